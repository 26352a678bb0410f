"""A damaged SHA256SUMS or manifest.json gets exit 3 and the line, never a traceback.

`verify`, `verify --against` and `publish` read the published SHA256SUMS; a byte
that is not UTF-8 or a line that is not `sha256sum`'s format used to crash them
with UnicodeDecodeError / ValueError. Each case damages a copy of a built dist/ and
checks the exit code, that the message names the file, the line and the problem,
and that seeds/ and dist/ are left as they were.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from curation.cli import main
from curation.errors import DamagedMetadata
from curation.publish.checksums import read_sums
from curation.release import hub
from tests.test_build import build_in, make_project, tree_digests

REPO_ID = "example-org/example-dataset"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("pristine"))
    assert build_in(project) == 0
    return project


@pytest.fixture
def project(pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    shutil.copytree(pristine, root)
    monkeypatch.chdir(root)
    return root


class NoNetwork:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise AssertionError("damaged metadata must be refused before any network access")


def run(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(args))
    return code, err.getvalue()


def _edit_line(number: int, edit: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def damage(sums: Path) -> None:
        lines = sums.read_bytes().split(b"\n")
        lines[number - 1] = edit(lines[number - 1])
        sums.write_bytes(b"\n".join(lines))

    return damage


def _append(line: bytes) -> Callable[[Path], None]:
    def damage(sums: Path) -> None:
        sums.write_bytes(sums.read_bytes() + line + b"\n")

    return damage


def _first_line(sums: Path) -> bytes:
    return sums.read_bytes().split(b"\n")[0]


# label -> (damage SHA256SUMS, line named, words of the problem)
CASES: dict[str, tuple[Callable[[Path], None], int, str]] = {
    "not_utf8": (
        _edit_line(2, lambda line: line[:-3] + b"\xff" + line[-2:]),
        2,
        "not UTF-8 (byte",
    ),
    "malformed_line": (_edit_line(3, lambda line: b"this is not a checksum line"), 3, "malformed"),
    "short_digest": (_edit_line(1, lambda line: line[:10] + line[64:]), 1, "malformed line"),
    "no_file_name": (_edit_line(1, lambda line: line[:64]), 1, "expected '<64 hex digits>"),
    "crlf_line_end": (_edit_line(2, lambda line: line + b"\r"), 2, "malformed line"),
    "blank_line_inside": (_edit_line(2, lambda line: b""), 2, "malformed line ''"),
    "outside_the_folder": (_append(b"0" * 64 + b"  ../seeds/x.txt"), -1, "points outside"),
    "listed_twice": (
        lambda sums: _append(_first_line(sums))(sums),
        -1,
        "is listed twice",
    ),
}


def _line_number(sums: Path, number: int) -> int:
    return number if number > 0 else sums.read_bytes().count(b"\n")


@pytest.mark.parametrize("case", sorted(CASES))
def test_publish_names_the_damaged_line(
    case: str, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hub, "HfApi", NoNetwork)
    monkeypatch.setenv("HF_TOKEN", "hf_" + "x" * 30)
    damage, number, problem = CASES[case]
    sums = project / "dist" / "SHA256SUMS"
    damage(sums)
    line = _line_number(sums, number)
    before = tree_digests(project)
    for dry_run in ([], ["--dry-run"]):
        code, err = run("publish", "--repo-id", REPO_ID, *dry_run)
        assert code == 3, err
        assert f"dist/SHA256SUMS:{line}: " in err and problem in err, err
        assert "Traceback" not in err
    assert tree_digests(project) == before


@pytest.mark.parametrize("case", ["not_utf8", "malformed_line"])
def test_verify_names_the_damaged_line(case: str, project: Path, tmp_path: Path) -> None:
    damage, number, problem = CASES[case]
    download = tmp_path / "download"
    shutil.copytree(project / "dist", download)
    damage(project / "dist" / "SHA256SUMS")
    damage(download / "SHA256SUMS")
    before = tree_digests(project)
    code, err = run("verify")
    assert code == 3, err
    assert f"dist/SHA256SUMS:{number}: " in err and problem in err
    code, err = run("verify", "--against", str(download))
    assert code == 3, err
    assert f"{download}/SHA256SUMS:{number}: " in err and problem in err
    assert tree_digests(project) == before


def test_every_damaged_line_is_listed_at_once(project: Path) -> None:
    sums = project / "dist" / "SHA256SUMS"
    _edit_line(1, lambda line: b"garbage")(sums)
    _edit_line(3, lambda line: b"\xfe\xff")(sums)
    with pytest.raises(DamagedMetadata) as raised:
        read_sums(sums)
    where = [p.where for p in raised.value.problems]
    assert where == [f"{sums}:1", f"{sums}:3"]


@pytest.mark.parametrize(
    ("content", "where", "problem"),
    [
        (b'{"dataset": \xff}', "manifest.json:1", "not UTF-8"),
        (b'{\n  "dataset": [1,\n}', "manifest.json:3:1", "not valid JSON"),
        (b"[]", "manifest.json", "not a JSON object"),
    ],
    ids=["not_utf8", "not_json", "not_an_object"],
)
def test_publish_names_a_damaged_manifest(
    content: bytes, where: str, problem: str, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hub, "HfApi", NoNetwork)
    (project / "dist" / "manifest.json").write_bytes(content)
    before = tree_digests(project)
    code, err = run("publish", "--repo-id", REPO_ID, "--dry-run")
    assert code == 3, err
    assert f"dist/{where}" in err and problem in err
    assert tree_digests(project) == before


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs GNU sha256sum")
def test_the_readme_download_check_fails_on_a_damaged_line(project: Path) -> None:
    """Why the README says `sha256sum --strict -c`: plain `-c` passes a malformed line."""
    dist = project / "dist"
    _append(b"this line is damaged")(dist / "SHA256SUMS")
    plain = subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=dist, check=False)
    strict = subprocess.run(
        ["sha256sum", "--quiet", "--strict", "-c", "SHA256SUMS"], cwd=dist, check=False
    )
    assert plain.returncode == 0  # only a warning
    assert strict.returncode != 0
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "sha256sum --strict -c SHA256SUMS" in readme
    assert "sha256sum -c" not in readme
    assert "sha256sum --strict -c" in (dist / "README.md").read_text(encoding="utf-8").replace(
        "\n", " "
    )
