"""`curation add-seed`: what it writes; each refusal says why and leaves seeds/ and dist/ alone."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import pty
import select
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from curation.cli import main
from curation.contribute import add_seed as add_seed_module
from curation.contribute import cleaned_text
from curation.contribute.add_seed import SeedMetadata, add_seed
from curation.contribute.cleaned_text import clean_seed, readable_seed_records
from curation.errors import InvalidInput
from curation.pipeline import Pipeline
from curation.record import Change, Record
from curation.rules import RuleSet, load_rules
from curation.seeds import discover_seeds
from curation.steps import normalize_unicode
from curation.steps.base import text_step
from tests.contribute.conftest import tree_state
from tests.contribute.synthetic_text import GERMAN_NEWS, UKRAINIAN_NEWS

REQUIRED = [
    "--license",
    "Synthetic test text, no rights reserved",
    "--provenance",
    "Written for a test",
]
ENGLISH_SEED = "001_5039b5492d75b5b7"
SPLIT_SEED = "002_ddf420c53e7c56f6"


def run(*args: str) -> int:
    return main(["add-seed", *args])


def new_files(project: Path, before: dict[str, str]) -> set[str]:
    return set(tree_state(project)) - set(before)


def test_adds_a_seed_with_its_sidecar(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("incoming").mkdir()
    Path("incoming/de.txt").write_text(GERMAN_NEWS, encoding="utf-8")
    before = tree_state(project)
    assert run("incoming/de.txt", *REQUIRED, "--language", "de", "--contributor", "tester") == 0
    out = capsys.readouterr().out
    digest = hashlib.sha256(GERMAN_NEWS.encode()).hexdigest()
    seed_id = f"005_{digest[:16]}"
    assert new_files(project, before) == {f"seeds/{seed_id}.txt", f"seeds/{seed_id}.json"}
    assert Path(f"seeds/{seed_id}.txt").read_bytes() == GERMAN_NEWS.encode()  # byte for byte
    sidecar = json.loads(Path(f"seeds/{seed_id}.json").read_text(encoding="utf-8"))
    assert sidecar == {
        "id": seed_id,
        "sha256": digest,
        "languages": ["de"],
        "source": None,
        "date": None,
        "url": None,
        "title": None,
        "license": "Synthetic test text, no rights reserved",
        "provenance": "Written for a test",
        "contributor": "tester",
        "date_added": datetime.date.today().isoformat(),
    }
    assert Path("seeds/.last-id").read_text(encoding="utf-8") == "005\n"
    assert f"added seed {seed_id}" in out
    assert "language detected: de" in out
    assert f"curation review {seed_id}" in out
    assert main(["check"]) == 0


def test_numbers_of_removed_seeds_are_not_given_out_again(project: Path) -> None:
    Path("seeds/.last-id").write_text("009\n", encoding="utf-8")
    Path("uk.txt").write_text(UKRAINIAN_NEWS, encoding="utf-8")
    assert run("uk.txt", *REQUIRED) == 0
    assert Path("seeds/.last-id").read_text(encoding="utf-8") == "010\n"
    assert len(list(Path("seeds").glob("010_*.json"))) == 1


def test_utf16_with_bom_and_crlf_are_converted_and_recorded(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("de.txt").write_bytes(GERMAN_NEWS.replace("\n", "\r\n").encode("utf-16"))
    assert run("de.txt", *REQUIRED) == 0
    out = capsys.readouterr().out
    (text_path,) = Path("seeds").glob("005_*.txt")
    assert text_path.read_bytes() == GERMAN_NEWS.encode("utf-8")
    sidecar = json.loads(text_path.with_suffix(".json").read_text(encoding="utf-8"))
    assert sidecar["sha256"] == hashlib.sha256(GERMAN_NEWS.encode("utf-8")).hexdigest()
    lines = GERMAN_NEWS.count("\n")
    assert sidecar["provenance"] == (
        "Written for a test; add-seed decoded UTF-16 LE with a byte-order mark to UTF-8; "
        f"converted {lines} CRLF line ends to LF"
    )
    assert "add-seed decoded UTF-16 LE with a byte-order mark to UTF-8" in out
    assert f"converted {lines} CRLF line ends to LF" in out


def _link(project: Path) -> str:
    Path("real.txt").write_text(GERMAN_NEWS, encoding="utf-8")
    Path("link.txt").symlink_to("real.txt")
    return "link.txt"


def _outside(project: Path) -> str:
    outside = project.parent / "outside.txt"
    outside.write_text(GERMAN_NEWS, encoding="utf-8")
    return str(outside)


def _write(data: bytes) -> Callable[[Path], str]:
    def make(project: Path) -> str:
        Path("new.txt").write_bytes(data)
        return "new.txt"

    return make


def _seed_text(seed_id: str, change: Callable[[str], str]) -> Callable[[Path], str]:
    def make(project: Path) -> str:
        text = Path(f"seeds/{seed_id}.txt").read_text(encoding="utf-8")
        Path("new.txt").write_text(change(text), encoding="utf-8", newline="")
        return "new.txt"

    return make


# label -> (make the file, extra arguments, where, words of the message)
REFUSALS: dict[str, tuple[Callable[[Path], str], list[str], str, str]] = {
    "not_utf8": (
        _write("Привет, мир".encode("cp1251")),
        REQUIRED,
        "new.txt:1:1",
        "not valid UTF-8",
    ),
    "binary": (_write(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), REQUIRED, "new.txt:3:1", "binary"),
    "utf16_without_bom": (
        _write(GERMAN_NEWS.encode("utf-16-le")),
        REQUIRED,
        "new.txt",
        "UTF-16 without a byte-order mark",
    ),
    "empty": (_write(b"\n\n"), REQUIRED, "new.txt", "empty"),
    "too_large": (_write(b"word " * 220_000), REQUIRED, "new.txt", "over the limit"),
    "outside_repository": (_outside, REQUIRED, "outside.txt", "outside the repository"),
    "symlink": (_link, REQUIRED, "link.txt", "symbolic link"),
    "no_license": (
        _write(GERMAN_NEWS.encode()),
        ["--url", "https://example.org/a"],
        "--license",
        "required: the license statement",
    ),
    "no_source": (
        _write(GERMAN_NEWS.encode()),
        ["--license", "CC0"],
        "--url/--provenance",
        "required",
    ),
    "bad_date": (
        _write(GERMAN_NEWS.encode()),
        [*REQUIRED, "--date", "22.10.2021"],
        "--date",
        "does not match",
    ),
    "impossible_date": (
        _write(GERMAN_NEWS.encode()),
        [*REQUIRED, "--date", "2021-02-30"],
        "--date",
        "is not a date",
    ),
    "bad_url": (
        _write(GERMAN_NEWS.encode()),
        ["--license", "CC0", "--url", "example.org/a"],
        "--url",
        "does not match",
    ),
    "bad_language": (
        _write(GERMAN_NEWS.encode()),
        [*REQUIRED, "--language", "deu"],
        "--language",
        "deu",
    ),
    "language_mismatch": (
        _write(GERMAN_NEWS.encode()),
        [*REQUIRED, "--language", "fr"],
        "--language",
        'declared ["fr"] but the text reads as de',
    ),
    "exact_duplicate": (
        _seed_text(ENGLISH_SEED, lambda t: t),
        REQUIRED,
        "new.txt",
        f"identical to seed {ENGLISH_SEED}",
    ),
    "duplicate_once_crlf_is_normalized": (
        _seed_text(ENGLISH_SEED, lambda t: t.replace("\n", "\r\n")),
        REQUIRED,
        "new.txt",
        f"identical to seed {ENGLISH_SEED}",
    ),
    "near_duplicate": (
        _seed_text(ENGLISH_SEED, lambda t: t.replace("China", "the PRC", 2).upper()),
        REQUIRED,
        "new.txt",
        f"near-duplicate of seed {ENGLISH_SEED}",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refused_with_the_reason_and_nothing_changes(
    case: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, arguments, where, words = REFUSALS[case]
    path = make(project)
    Path("dist").mkdir()
    Path("dist/README.md").write_text("a built dataset\n", encoding="utf-8")
    before = tree_state(project)
    assert run(path, *arguments) == 2
    err = capsys.readouterr().err
    assert where in err, err
    assert words in err, err
    assert tree_state(project) == before
    assert not [p for p in project.iterdir() if p.name.startswith(".add-seed-")]


def test_every_problem_at_once(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("new.txt").write_text(GERMAN_NEWS, encoding="utf-8")
    assert run("new.txt", "--date", "yesterday", "--language", "DE") == 2
    err = capsys.readouterr().err
    assert "4 problems found" in err
    for option in ("--license", "--url/--provenance", "--date", "--language"):
        assert f"  {option}: " in err


def test_a_duplicate_that_appears_only_after_cleaning(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A page holding one of the two articles of seed 002: different raw text, same record."""
    rules = load_rules()
    seeds, _ = discover_seeds(Path("seeds"))
    records, _, _ = readable_seed_records(seeds)
    (split,) = [r for r in records if r.seed_id == SPLIT_SEED]
    cleaned = clean_seed(split, rules)
    assert len(cleaned.records) >= 2, "seed 002 holds two articles"
    part = min(cleaned.records, key=lambda r: len(r.text))
    from curation.contribute.near_duplicates import jaccard, shingle_hashes

    raw_similarity = jaccard(shingle_hashes(part.text), shingle_hashes(split.text))
    assert raw_similarity < 0.7  # not a near-duplicate of the raw seed
    Path("new.txt").write_text(part.text + "\n", encoding="utf-8")
    before = tree_state(project)
    assert run("new.txt", *REQUIRED) == 2
    err = capsys.readouterr().err
    assert f"after cleaning, its record 0 would be the same text as record {part.id}" in err
    assert "near-duplicate of seed" not in err
    assert tree_state(project) == before


def _strip_ads(text: str, record: Record, rules: RuleSet) -> list[Change]:
    """A stand-in cleaning step: lines that start with 'AD:' are boilerplate."""
    changes, offset = [], 0
    for line in text.splitlines(keepends=True):
        if line.startswith("AD:"):
            changes.append(Change(offset, offset + len(line), "", "ad_line"))
        offset += len(line)
    return changes


def test_after_cleaning_near_duplicates_with_a_stand_in_pipeline(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Raw texts far apart, cleaned texts nearly the same: refused, and said so."""
    pipeline = (normalize_unicode.STEP, text_step("strip_ads", 1, "test step", _strip_ads))
    monkeypatch.setattr(cleaned_text, "PIPELINE", pipeline)
    ads = "".join(
        f"AD: {i} Buy cheap flights, hotels and cars today, offer number {i}!\n" for i in range(40)
    )
    Path("first.txt").write_text(GERMAN_NEWS, encoding="utf-8")
    metadata = SeedMetadata(license="CC0", provenance="test")
    kwargs = {
        "seeds_dir": Path("seeds"),
        "dist_dir": Path("dist"),
        "today": datetime.date(2026, 1, 2),
    }
    add_seed(Path("first.txt"), metadata, **kwargs)  # type: ignore[arg-type]
    changed = GERMAN_NEWS.replace("Herbst", "Winter")
    Path("second.txt").write_text(ads + changed + ads, encoding="utf-8")
    before = tree_state(project)
    with pytest.raises(InvalidInput) as refused:
        add_seed(Path("second.txt"), metadata, **kwargs)  # type: ignore[arg-type]
    (problem,) = refused.value.problems
    assert (
        "after cleaning, its record 0 would be a near-duplicate of record 005_" in problem.message
    )
    assert tree_state(project) == before


def test_a_failed_move_is_undone(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Path("de.txt").write_text(GERMAN_NEWS, encoding="utf-8")
    before = tree_state(project)
    real_replace = Path.replace
    calls = []

    def failing_replace(self: Path, target: Path) -> Path:
        calls.append(self.name)
        if self.name.endswith(".json"):
            raise OSError("disk full")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        add_seed(
            Path("de.txt"),
            SeedMetadata(license="CC0", provenance="test"),
            seeds_dir=Path("seeds"),
            dist_dir=Path("dist"),
            today=datetime.date(2026, 1, 2),
        )
    moves = [name for name in calls if not name.startswith(".seeds.journal")]
    assert moves[0].endswith(".txt")  # the text was moved in, then taken out again
    assert tree_state(project) == before


def test_a_seed_number_that_is_taken_is_refused(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As if another add-seed had taken the number between reading seeds/ and writing."""
    monkeypatch.setattr(add_seed_module, "next_number", lambda seeds, last: 4)
    Path("de.txt").write_text(GERMAN_NEWS, encoding="utf-8")
    before = tree_state(project)
    assert run("de.txt", *REQUIRED) == 2
    assert "seed number 4 is taken: ['004_b57d5ccfbe06e458']" in capsys.readouterr().err
    assert tree_state(project) == before


def test_a_malformed_last_id_stops_it(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("seeds/.last-id").write_text("four\n", encoding="utf-8")
    Path("de.txt").write_text(GERMAN_NEWS, encoding="utf-8")
    assert run("de.txt", *REQUIRED) == 2
    assert "seeds/.last-id: must hold one number" in capsys.readouterr().err


def test_missing_answers_are_asked_in_a_terminal(project: Path) -> None:
    """Run the real command in a pseudo-terminal and answer its questions."""
    Path("de.txt").write_text(GERMAN_NEWS, encoding="utf-8")
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "curation", "add-seed", "de.txt"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    os.close(follower)
    answers = {b"(URL)": b"\n", b"describe where": b"Written for a test\n", b"License": b"CC0\n"}
    transcript = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        transcript += chunk
        for prompt in list(answers):
            if prompt in transcript:
                os.write(leader, answers.pop(prompt))
    assert process.wait(timeout=60) == 0, transcript.decode()
    os.close(leader)
    (sidecar_path,) = Path("seeds").glob("005_*.json")
    sidecar = json.loads(sidecar_path.read_text(encoding="utf-8"))
    assert (sidecar["url"], sidecar["provenance"], sidecar["license"]) == (
        None,
        "Written for a test",
        "CC0",
    )


def test_no_terminal_no_questions(project: Path) -> None:
    Path("de.txt").write_text(GERMAN_NEWS, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "curation", "add-seed", "de.txt"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=project,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert result.returncode == 2
    assert "--license: required" in result.stderr
    assert result.stdout == ""


def test_compares_with_dist_when_it_is_current(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["build"]) == 0
    assert_compared_with_dist(capsys, monkeypatch)


def assert_compared_with_dist(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """add-seed of a German text reads the corpus from dist/, and cleans no seed of it."""
    capsys.readouterr()
    rebuilt: list[int] = []

    def no_rebuild(*args: object, **kwargs: object) -> Iterator[list[Record]]:
        rebuilt.append(1)
        return iter(())

    monkeypatch.setattr(Pipeline, "run", no_rebuild)
    monkeypatch.setattr(
        add_seed_module,
        "clean_seed",
        lambda record, rules, cache=None, recurring=None: clean_for_test(record),
    )
    Path("de.txt").write_text(GERMAN_NEWS, encoding="utf-8")
    assert run("de.txt", *REQUIRED) == 0
    assert "Compared with the published texts in dist/." in capsys.readouterr().out
    assert rebuilt == []  # the corpus was read from dist/, not rebuilt


def test_compares_with_dist_when_a_seed_published_nothing(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A seed whose one record dedup_exact drops: the English seed's text with spaces at
    # the ends of its lines, which normalize_unicode removes (other bytes, the same text).
    text = Path(f"seeds/{ENGLISH_SEED}.txt").read_text(encoding="utf-8")
    data = text.replace("\n", "  \n").encode()
    digest = hashlib.sha256(data).hexdigest()
    dropped = f"900_{digest[:16]}"
    sidecar = json.loads(Path(f"seeds/{ENGLISH_SEED}.json").read_text(encoding="utf-8"))
    sidecar.update(id=dropped, sha256=digest)
    Path(f"seeds/{dropped}.txt").write_bytes(data)
    Path(f"seeds/{dropped}.json").write_text(json.dumps(sidecar), encoding="utf-8")
    Path("seeds/.last-id").write_text("900\n", encoding="utf-8")
    assert main(["build"]) == 0
    manifest = json.loads(Path("dist/manifest.json").read_text(encoding="utf-8"))
    assert [d["dropped"] for d in manifest["duplicates_dropped"]] == [f"{dropped}-0"]
    assert manifest["seeds"][dropped] == digest  # an input, though it published nothing
    assert_compared_with_dist(capsys, monkeypatch)


def clean_for_test(record: Record) -> cleaned_text.CleanedSeed:
    return cleaned_text.CleanedSeed((record,), ())


def test_help_names_every_option() -> None:
    shutil.which("curation")  # the console script exists when the package is installed
    with pytest.raises(SystemExit):
        main(["add-seed", "--help"])
