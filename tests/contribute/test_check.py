"""`curation check`: every problem in seeds/, with its file and field, exit 2; real seeds pass."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from curation.cli import main
from curation.contribute import check as check_module
from curation.contribute import near_duplicates
from curation.contribute.check import check_seeds
from curation.contribute.incoming_text import MAX_SEED_BYTES
from tests.contribute.conftest import tree_state
from tests.contribute.synthetic_text import GERMAN_NEWS

FIRST = "000_1d9f1a65aeae1940"
ENGLISH = "001_5039b5492d75b5b7"


def test_the_repository_seeds_pass(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert "seeds/: 5 seeds, no problems" in capsys.readouterr().out


def sidecar(seeds: Path, seed_id: str) -> dict[str, object]:
    return json.loads((seeds / f"{seed_id}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def rewrite_sidecar(seeds: Path, seed_id: str, **changes: object) -> None:
    data = sidecar(seeds, seed_id)
    data.update(changes)
    (seeds / f"{seed_id}.json").write_text(json.dumps(data, indent=2), encoding="utf-8")


def add_by_hand(seeds: Path, seed_id: str, data: bytes, **fields: object) -> Path:
    """A seed written without add-seed, as a careless contributor might."""
    (seeds / f"{seed_id}.txt").write_bytes(data)
    sidecar: dict[str, object] = {
        "id": seed_id,
        "sha256": hashlib.sha256(data).hexdigest(),
        "languages": None,
        "source": None,
        "date": None,
        "url": None,
        "title": None,
        "license": "CC0",
        "provenance": "written for a test",
        "contributor": None,
        "date_added": "2026-01-02",
    }
    sidecar.update(fields)
    (seeds / f"{seed_id}.json").write_text(json.dumps(sidecar), encoding="utf-8")
    return seeds / f"{seed_id}.txt"


def english_variant(seeds: Path) -> bytes:
    return (seeds / f"{ENGLISH}.txt").read_bytes().replace(b"China", b"the PRC", 3)


def set_last_id(seeds: Path, text: str) -> int:
    return (seeds / ".last-id").write_text(text, encoding="utf-8")


# label -> (break the folder, where, words of the message)
CASES: dict[str, tuple[Callable[[Path], object], str, str]] = {
    "unknown_sidecar_field": (
        lambda s: rewrite_sidecar(s, FIRST, colour="blue"),
        f"{FIRST}.json",
        "'colour' was unexpected",
    ),
    "wrong_sha256": (
        lambda s: rewrite_sidecar(s, FIRST, sha256="0" * 64),
        f"{FIRST}.json#sha256",
        "does not match the seed file",
    ),
    "text_changed_after_sidecar": (
        lambda s: (s / f"{FIRST}.txt").write_bytes((s / f"{FIRST}.txt").read_bytes() + b"!"),
        f"{FIRST}.json#sha256",
        "the text changed after the sidecar was written",
    ),
    "no_url_no_provenance": (
        lambda s: rewrite_sidecar(s, FIRST, provenance=None),
        f"{FIRST}.json#provenance",
        "neither url nor provenance",
    ),
    "bad_date": (
        lambda s: rewrite_sidecar(s, FIRST, date="2021/10/22"),
        f"{FIRST}.json#date",
        "does not match",
    ),
    "declared_language_wrong": (
        lambda s: rewrite_sidecar(s, ENGLISH, languages=["fr"]),
        f"{ENGLISH}.json#languages",
        'declared ["fr"] but the text reads as en',
    ),
    "not_utf8": (
        lambda s: add_by_hand(s, "005_aaaaaaaaaaaaaaaa", "Привет".encode("cp1251"), languages=None),
        "005_aaaaaaaaaaaaaaaa.txt:1:1",
        "not valid UTF-8",
    ),
    "utf16": (
        lambda s: add_by_hand(s, "005_aaaaaaaaaaaaaaaa", GERMAN_NEWS.encode("utf-16")),
        "005_aaaaaaaaaaaaaaaa.txt",
        "re-add it with `curation add-seed`",
    ),
    "crlf_is_fine_in_check": (  # check validates; only add-seed converts. Not a problem.
        lambda s: (
            add_by_hand(s, "005_aaaaaaaaaaaaaaaa", GERMAN_NEWS.replace("\n", "\r\n").encode()),
            set_last_id(s, "005\n"),
        ),
        "",
        "",
    ),
    "too_large": (
        lambda s: add_by_hand(s, "005_aaaaaaaaaaaaaaaa", b"word " * (MAX_SEED_BYTES // 5 + 1)),
        "005_aaaaaaaaaaaaaaaa.txt",
        "over the limit",
    ),
    "symlink": (
        lambda s: (s / "005_aaaaaaaaaaaaaaaa.txt").symlink_to(s / f"{FIRST}.txt"),
        "005_aaaaaaaaaaaaaaaa.txt",
        "symbolic link",
    ),
    "bad_name": (
        lambda s: shutil.copyfile(s / f"{FIRST}.txt", s / "article.txt"),
        "article.txt",
        "unknown file",
    ),
    "id_collision": (
        lambda s: add_by_hand(s, "004_0123456789abcdef", GERMAN_NEWS.encode()),
        "004_0123456789abcdef.txt",
        "seed number 004 is also used by 004_b57d5ccfbe06e458",
    ),
    "last_id_behind": (
        lambda s: add_by_hand(s, "005_aaaaaaaaaaaaaaaa", GERMAN_NEWS.encode()),
        ".last-id",
        "says 004 but seed number 005 exists",
    ),
    "last_id_missing": (
        lambda s: (s / ".last-id").unlink(),
        ".last-id",
        "missing",
    ),
    "identical_seed": (
        lambda s: (
            add_by_hand(s, "005_aaaaaaaaaaaaaaaa", (s / f"{ENGLISH}.txt").read_bytes()),
            set_last_id(s, "005\n"),
        ),
        "005_aaaaaaaaaaaaaaaa.txt",
        f"identical content to seed {ENGLISH}",
    ),
    "near_duplicate": (
        lambda s: (
            add_by_hand(s, "005_aaaaaaaaaaaaaaaa", english_variant(s)),
            set_last_id(s, "005\n"),
        ),
        "005_aaaaaaaaaaaaaaaa.txt",
        f"near-duplicate of seed {ENGLISH}: similarity 0.9",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_problem_is_reported_with_file_and_field(
    case: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    break_it, where, words = CASES[case]
    break_it(project / "seeds")
    before = tree_state(project)
    code = main(["check"])
    err = capsys.readouterr().err
    assert tree_state(project) == before  # check never writes into the repository
    if not where:
        assert code == 0, err
        return
    assert code == 2
    assert f"seeds/{where}" in err, err
    assert words in err, err


def test_every_problem_at_once(project: Path) -> None:
    seeds = project / "seeds"
    rewrite_sidecar(seeds, FIRST, colour="blue")
    rewrite_sidecar(seeds, ENGLISH, languages=["de"])
    (seeds / ".last-id").unlink()
    problems = check_seeds(seeds).problems
    assert sorted(Path(p.where).name for p in problems) == [
        ".last-id",
        "000_1d9f1a65aeae1940.json",
        "001_5039b5492d75b5b7.json#languages",
    ]


def test_unchanged_texts_are_not_analysed_twice(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert check_seeds(project / "seeds").problems == []

    def must_not_run(*args: object) -> object:
        raise AssertionError("the cache should have answered")

    monkeypatch.setattr(check_module, "detect_language", must_not_run)
    assert check_seeds(project / "seeds").problems == []
    # A changed text is analysed afresh: its new language is noticed.
    monkeypatch.undo()
    seeds = project / "seeds"
    german = GERMAN_NEWS.encode()
    (seeds / f"{ENGLISH}.txt").write_bytes(german)
    rewrite_sidecar(seeds, ENGLISH, sha256=hashlib.sha256(german).hexdigest())
    (problem,) = check_seeds(seeds).problems
    assert "reads as de" in problem.message


def test_pairs_measured_before_are_not_measured_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = project / "seeds"
    variant = english_variant(seeds)
    add_by_hand(seeds, "005_aaaaaaaaaaaaaaaa", variant)
    set_last_id(seeds, "005\n")
    first = check_seeds(seeds).problems
    assert len(first) == 1 and f"near-duplicate of seed {ENGLISH}" in first[0].message

    def must_not_run(*args: object) -> object:
        raise AssertionError("the cache should have answered")

    monkeypatch.setattr(check_module, "exact_similarity", must_not_run)
    assert check_seeds(seeds).problems == first
    # A changed text is measured afresh.
    monkeypatch.undo()
    changed = variant.replace(b"the PRC", b"the People's Republic", 1)
    (seeds / "005_aaaaaaaaaaaaaaaa.txt").write_bytes(changed)
    rewrite_sidecar(seeds, "005_aaaaaaaaaaaaaaaa", sha256=hashlib.sha256(changed).hexdigest())
    measured: list[object] = []
    monkeypatch.setattr(
        check_module,
        "exact_similarity",
        lambda *pair: measured.append(pair) or near_duplicates.exact_similarity(*pair),
    )
    (again,) = check_seeds(seeds).problems
    assert len(measured) == 1 and "near-duplicate" in again.message


def test_a_damaged_cache_is_ignored(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CURATION_CACHE_DIR", str(tmp_path / "cache"))
    assert check_seeds(project / "seeds").problems == []
    # check's own file (beside it, the rules files found valid: curation.cache)
    (cache_file,) = (tmp_path / "cache").glob("check-*.json")
    cache_file.write_text('{"x": [1, 2', encoding="utf-8")
    assert check_seeds(project / "seeds").problems == []
    entries = json.loads(cache_file.read_text(encoding="utf-8"))
    assert len(entries) == 5


def test_without_a_cache(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CURATION_CACHE_DIR", "")
    assert main(["check", "--no-cache"]) == 0
