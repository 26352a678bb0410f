"""`check`, `build` and `add-seed` judge a seed with one validator, and say the same thing.

Each case breaks a copy of the real seeds folder; `curation check` and `curation
build` must both exit 2 with the same problem line (file, problem), and leave seeds/
and dist/ as they were. Cases about a file's content are also offered to
`curation add-seed`, which must refuse them with the same words.
"""

from __future__ import annotations

import contextlib
import doctest
import importlib
import io
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from curation.cli import main
from curation.seeds import MAX_SEED_BYTES
from tests.test_bad_input import FIRST, _rewrite_sidecar, _set_text
from tests.test_build import build_in, make_project, tree_digests

ADD_SEED_REQUIRED = ["--license", "CC0", "--provenance", "written for a test"]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("pristine"))
    assert build_in(project) == 0
    return project


@pytest.fixture
def project(pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    shutil.copytree(pristine, root, symlinks=True)
    monkeypatch.chdir(root)
    monkeypatch.setenv("CURATION_CACHE_DIR", str(tmp_path / "cache"))
    return root


def run(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(args))
    return code, err.getvalue()


def problem_line(err: str, where: str) -> str:
    """The line of the message that names ``where`` (the problem, without the command)."""
    lines = [line.strip() for line in err.splitlines() if where in line]
    assert lines, err
    return lines[0].split(": ", 1)[1] if lines[0].startswith("curation ") else lines[0]


def _remove_every_seed(seeds: Path) -> None:
    for path in seeds.iterdir():
        if path.suffix in (".txt", ".json"):
            path.unlink()


# label -> (break the seeds folder, where, words of the problem, bytes for add-seed or None)
CASES: dict[str, tuple[Callable[[Path], object], str, str, bytes | None]] = {
    "too_large": (
        lambda s: _set_text(s, b"word " * (MAX_SEED_BYTES // 5 + 1)),
        f"{FIRST}.txt",
        "over the limit of 1,048,576 bytes (1 MiB)",
        b"word " * (MAX_SEED_BYTES // 5 + 1),
    ),
    "no_break_spaces_only": (
        lambda s: _set_text(s, "\N{NO-BREAK SPACE}\N{NO-BREAK SPACE}\n".encode()),
        f"{FIRST}.txt",
        "holds no visible text: only spaces and invisible characters (U+00A0 NO-BREAK SPACE)",
        "\N{NO-BREAK SPACE}\n\N{NO-BREAK SPACE}".encode(),
    ),
    "ideographic_spaces_only": (
        lambda s: _set_text(s, "\N{IDEOGRAPHIC SPACE}".encode() * 40),
        f"{FIRST}.txt",
        "only spaces and invisible characters (U+3000 IDEOGRAPHIC SPACE)",
        "\N{IDEOGRAPHIC SPACE}".encode() * 3,
    ),
    "zero_width_only": (
        lambda s: _set_text(s, "\N{ZERO WIDTH SPACE}\N{WORD JOINER}\n".encode()),
        f"{FIRST}.txt",
        "U+200B ZERO WIDTH SPACE",
        "\N{ZERO WIDTH SPACE}\N{ZERO WIDTH NO-BREAK SPACE}".encode(),
    ),
    "emoji_only": (
        lambda s: _set_text(s, "\N{GRINNING FACE} \N{PARTY POPPER}\n".encode()),
        f"{FIRST}.txt",
        "holds no letter at all (only digits, punctuation, symbols or emoji)",
        "\N{THUMBS UP SIGN}\N{THUMBS UP SIGN}\n".encode(),
    ),
    "punctuation_and_digits_only": (
        lambda s: _set_text(s, b"!!! ... ??? -- 2024-10-22 (1/2)\n"),
        f"{FIRST}.txt",
        "holds no letter at all",
        b"*** 12 345 ***\n",
    ),
    "utf32_with_bom": (
        lambda s: _set_text(s, "Текст статьи.\n".encode("utf-32")),
        f"{FIRST}.txt",
        "the file is UTF-32 LE (it starts with a UTF-32 byte-order mark)",
        "Текст статьи.\n".encode("utf-32"),
    ),
    "utf32_big_endian_with_bom": (
        lambda s: _set_text(s, "\N{BYTE ORDER MARK}Text.\n".encode("utf-32-be")),
        f"{FIRST}.txt",
        "the file is UTF-32 BE",
        "\N{BYTE ORDER MARK}Text.\n".encode("utf-32-be"),
    ),
    "empty_seeds_folder": (
        _remove_every_seed,
        "seeds",
        "no seeds: the folder holds no <id>.txt file with its <id>.json sidecar",
        None,
    ),
    "fifo_in_seeds": (
        lambda s: os.mkfifo(s / "005_aaaaaaaaaaaaaaaa.txt"),
        "005_aaaaaaaaaaaaaaaa.txt",
        "is a named pipe (FIFO): the seeds folder holds only regular files",
        None,
    ),
    "folder_in_seeds": (
        lambda s: (s / "drafts").mkdir(),
        "drafts",
        "is a folder: the seeds folder holds only regular files",
        None,
    ),
    "bidi_override_in_sidecar": (
        lambda s: _rewrite_sidecar(s, FIRST, title="Report\N{RIGHT-TO-LEFT OVERRIDE}fdp.exe"),
        f"{FIRST}.json#title",
        "holds U+202E RIGHT-TO-LEFT OVERRIDE at character 7",
        None,
    ),
    "control_character_in_sidecar": (
        lambda s: _rewrite_sidecar(s, FIRST, source="Xinhua\x1b[31m"),
        f"{FIRST}.json#source",
        "holds U+001B",
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_and_build_refuse_alike(case: str, project: Path) -> None:
    break_it, where, message, _data = CASES[case]
    break_it(project / "seeds")
    seeds_before = tree_digests(project / "seeds")
    dist_before = tree_digests(project / "dist")
    said = {}
    for command in (["check", "--no-cache", "-q"], ["build", "-q"]):  # -q: problems only
        code, err = run(*command)
        assert code == 2, (command, err)
        assert message in err, (command, err)
        said[command[0]] = problem_line(err, where)
    assert said["check"] == said["build"]
    assert where in said["check"]
    assert tree_digests(project / "seeds") == seeds_before
    assert tree_digests(project / "dist") == dist_before


@pytest.mark.parametrize("case", sorted(c for c, v in CASES.items() if v[3] is not None))
def test_add_seed_refuses_the_same_texts(case: str, project: Path) -> None:
    _break_it, _where, message, data = CASES[case]
    assert data is not None
    Path("new.txt").write_bytes(data)
    seeds_before = tree_digests(project / "seeds")
    dist_before = tree_digests(project / "dist")
    code, err = run("add-seed", "new.txt", *ADD_SEED_REQUIRED)
    assert code == 2, err
    assert "new.txt" in err and message in err
    assert tree_digests(project / "seeds") == seeds_before
    assert tree_digests(project / "dist") == dist_before


def test_add_seed_names_a_fifo_and_a_folder(project: Path) -> None:
    os.mkfifo("pipe.txt")
    Path("folder.txt").mkdir()
    seeds_before = tree_digests(project / "seeds")
    code, err = run("add-seed", "pipe.txt", *ADD_SEED_REQUIRED)
    assert code == 2
    assert "pipe.txt: is a named pipe (FIFO), not a regular file" in err
    code, err = run("add-seed", "folder.txt", *ADD_SEED_REQUIRED)
    assert code == 2
    assert "folder.txt: is a folder, not a regular file" in err
    assert tree_digests(project / "seeds") == seeds_before


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(0x80, 0x88)),  # 8 bytes, no zero at all
        bytes(range(0xF0, 0x100)),  # 16 bytes
        b"\x89\x00\x8a\x00\x8b\x00\x8c\x00\x01\x00\x02\x00",  # zeros at one parity, not text
    ],
    ids=["8_bytes", "16_bytes", "zeros_at_odd_offsets"],
)
def test_short_non_text_is_not_called_utf16(data: bytes, project: Path) -> None:
    """An even-length binary file is reported as not UTF-8 or binary, never as UTF-16."""
    Path("new.txt").write_bytes(data)
    seeds_before = tree_digests(project / "seeds")
    code, err = run("add-seed", "new.txt", *ADD_SEED_REQUIRED)
    assert code == 2
    assert "new.txt" in err
    assert "not valid UTF-8" in err or "binary" in err
    assert "UTF-16" not in err
    assert tree_digests(project / "seeds") == seeds_before


def test_utf32_is_not_called_utf16_nor_promised_a_conversion(project: Path) -> None:
    _set_text(project / "seeds", "Текст.\n".encode("utf-32"))
    code, err = run("check", "--no-cache")
    assert code == 2
    assert "UTF-32" in err and "UTF-16" not in err
    assert "add-seed does not convert UTF-32" in err


def test_a_letter_in_any_script_is_enough(project: Path) -> None:
    """Negative case: short texts with letters, in scripts without spaces too, are accepted."""
    for text in ("中俄数字合作。\n", "Ок.\n", "\N{GRINNING FACE} a\n"):
        _set_text(project / "seeds", text.encode())
        _code, err = run("check", "--no-cache")  # the declared language may disagree: exit 2
        assert "holds no letter" not in err and "no visible text" not in err, err


def test_a_sidecar_written_by_add_seed_refuses_bidi_controls(project: Path) -> None:
    Path("new.txt").write_text("Ein kurzer deutscher Text über Kooperation.\n", encoding="utf-8")
    seeds_before = tree_digests(project / "seeds")
    code, err = run(
        "add-seed", "new.txt", *ADD_SEED_REQUIRED, "--source", "Xinhua\N{LEFT-TO-RIGHT ISOLATE}"
    )
    assert code == 2
    assert "--source: holds U+2066 LEFT-TO-RIGHT ISOLATE at character 7" in err
    assert tree_digests(project / "seeds") == seeds_before


@pytest.mark.parametrize(
    "module",
    [
        "curation.seeds",
        "curation.contribute.incoming_text",
    ],
)
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0
