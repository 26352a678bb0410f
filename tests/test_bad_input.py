"""Bad seeds get a message naming the file and the problem, exit 2, and dist/ untouched."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from curation.cli import main
from tests.test_build import build_in, make_project, tree_digests

FIRST = "000_1d9f1a65aeae1940"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("pristine"))
    assert build_in(project) == 0
    return project


def _rewrite_sidecar(seeds: Path, seed_id: str, **changes: object) -> None:
    path = seeds / f"{seed_id}.json"
    sidecar = json.loads(path.read_text(encoding="utf-8"))
    sidecar.update(changes)
    path.write_text(json.dumps(sidecar), encoding="utf-8")


def _set_text(seeds: Path, data: bytes) -> None:
    import hashlib

    (seeds / f"{FIRST}.txt").write_bytes(data)
    _rewrite_sidecar(seeds, FIRST, sha256=hashlib.sha256(data).hexdigest())


CASES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "not_utf8": (
        lambda s: _set_text(s, "Привет".encode("cp1251") + b"\n"),
        f"{FIRST}.txt:1:1",
        "not valid UTF-8",
    ),
    "binary": (lambda s: _set_text(s, b"PK\x03\x04\x00\x00binary"), f"{FIRST}.txt", "binary"),
    "utf16": (lambda s: _set_text(s, "текст".encode("utf-16")), f"{FIRST}.txt", "UTF-16"),
    "empty": (lambda s: _set_text(s, b""), f"{FIRST}.txt", "empty"),
    "whitespace_only": (lambda s: _set_text(s, b" \n\t\n"), f"{FIRST}.txt", "empty"),
    "no_sidecar": (lambda s: (s / f"{FIRST}.json").unlink(), f"{FIRST}.txt", "no sidecar"),
    "sidecar_schema": (
        lambda s: _rewrite_sidecar(s, FIRST, date="22/10/2021", colour="blue"),
        f"{FIRST}.json",
        "does not match",
    ),
    "sidecar_unknown_field": (
        lambda s: _rewrite_sidecar(s, FIRST, colour="blue"),
        f"{FIRST}.json",
        "'colour' was unexpected",
    ),
    "sidecar_not_json": (
        lambda s: (s / f"{FIRST}.json").write_text("{\n  oops", encoding="utf-8"),
        f"{FIRST}.json:2:3",
        "not valid JSON",
    ),
    "sha256_mismatch": (
        lambda s: (s / f"{FIRST}.txt").write_bytes((s / f"{FIRST}.txt").read_bytes() + b"x"),
        f"{FIRST}.json#sha256",
        "does not match the seed file",
    ),
    "identical_seeds": (
        lambda s: (
            shutil.copyfile(s / f"{FIRST}.txt", s / "009_0123456789abcdef.txt"),
            shutil.copyfile(s / f"{FIRST}.json", s / "009_0123456789abcdef.json"),
            _rewrite_sidecar(s, "009_0123456789abcdef", id="009_0123456789abcdef"),
        ),
        "009_0123456789abcdef.txt",
        f"identical content to seed {FIRST}",
    ),
    "unknown_file": (
        lambda s: (s / "notes.docx").write_bytes(b"x"),
        "notes.docx",
        "unknown file",
    ),
    "id_mismatch": (
        lambda s: _rewrite_sidecar(s, FIRST, id="000_ffffffffffffffff"),
        f"{FIRST}.json#id",
        "does not match the file name",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_seed_is_refused_and_dist_untouched(
    case: str, pristine: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    shutil.copytree(pristine, project, symlinks=True)
    break_it, where, message = CASES[case]
    break_it(project / "seeds")
    before = tree_digests(project / "dist")
    cwd = Path.cwd()
    os.chdir(project)
    try:
        code = main(["build"])
    finally:
        os.chdir(cwd)
    err = capsys.readouterr().err
    assert code == 2
    assert where in err
    assert message in err
    assert tree_digests(project / "dist") == before
    # Nothing is left behind beside dist/ either.
    assert sorted(p.name for p in project.iterdir()) == [
        "dataset.toml",
        "dist",
        "pyproject.toml",
        "seeds",
    ]


def test_every_problem_is_reported_at_once(
    pristine: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    shutil.copytree(pristine, project)
    (project / "seeds" / "notes.docx").write_bytes(b"x")
    (project / "seeds" / f"{FIRST}.json").unlink()
    cwd = Path.cwd()
    os.chdir(project)
    try:
        assert main(["build"]) == 2
    finally:
        os.chdir(cwd)
    err = capsys.readouterr().err
    assert "2 problems found" in err
    assert "notes.docx" in err and f"{FIRST}.txt" in err
