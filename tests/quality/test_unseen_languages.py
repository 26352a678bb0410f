"""The whole pipeline on documents it was not built on: other languages, other sites.

The documents in ``documents/`` are synthetic (see the README there): news pages and
PDF extractions in German, French, Spanish, Ukrainian, Arabic, Japanese, Korean,
Hindi, Turkish, Portuguese and English, and (second round) Polish, Russian, traditional
Chinese, Vietnamese, Thai, Hebrew, Greek, Persian, Indonesian, Italian, Dutch, Swahili
and Amharic, with the defects scraped and extracted text
has, and clean negative controls. ``expectations.toml`` says, per document, what must
stay, what must go and which fields the record must get. These are the regression
tests of the general rules: a rule tuned to the five seeds breaks them.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Any

import pytest

from curation.pipeline import Pipeline
from curation.record import Record, replay
from curation.rules import RuleSet, load_rules
from curation.steps import PIPELINE

HERE = Path(__file__).parent
DOCUMENTS = HERE / "documents"
EXPECTATIONS: list[dict[str, Any]] = tomllib.loads(
    (HERE / "expectations.toml").read_text(encoding="utf-8")
)["document"]
FIELDS = ("title", "source", "date", "time")
SEED_ID = "900_0000000000000000"


@functools.cache
def _rules() -> RuleSet:
    return load_rules()


def _record(text: str, languages: list[str], fields: dict[str, str | None]) -> Record:
    """The record a seed with this text and sidecar starts as (see curation.seeds.seed_record)."""
    sidecar: dict[str, object] = {
        "languages": languages,
        "source": None,
        "date": None,
        "url": None,
        "title": None,
        "license": None,
        **fields,
    }
    return Record(
        seed_id=SEED_ID,
        part=0,
        text=text,
        declared=sidecar,
        title=fields.get("title"),
        source=fields.get("source"),
        date=fields.get("date"),
    )


def _clean(record: Record) -> list[Record]:
    pipeline = Pipeline(PIPELINE, [], _rules())
    return [out for batch in pipeline.run([[record]]) for out in batch]


@functools.cache
def _cleaned(file: str) -> tuple[str, Record]:
    expectation = next(e for e in EXPECTATIONS if e["file"] == file)
    raw = (DOCUMENTS / file).read_text(encoding="utf-8")
    records = _clean(_record(raw, expectation["declared"], {}))
    assert len(records) == 1, f"{file}: {len(records)} records, expected one article"
    return raw, records[0]


def _param(expectation: dict[str, Any]) -> Any:
    return pytest.param(expectation, id=expectation["file"].removesuffix(".txt"))


CASES = [_param(e) for e in EXPECTATIONS]


def test_every_document_has_expectations() -> None:
    files = sorted(p.name for p in DOCUMENTS.glob("*.txt"))
    listed = [e["file"] for e in EXPECTATIONS]
    assert sorted(listed) == files
    assert len(listed) == len(set(listed))
    languages = {name.split("_", 1)[0] for name in files}
    assert {"de", "fr", "es", "uk", "ar", "ja", "ko", "hi", "tr", "pt", "en"} <= languages
    second_round = {"pl", "ru", "zh", "vi", "th", "he", "el", "fa", "id", "it", "nl", "sw", "am"}
    assert second_round <= languages
    assert any(e.get("clean") for e in EXPECTATIONS)


@pytest.mark.parametrize("expectation", CASES)
def test_fields(expectation: dict[str, Any]) -> None:
    _raw, record = _cleaned(expectation["file"])
    assert {name: getattr(record, name) for name in FIELDS} == {
        name: expectation.get(name) for name in FIELDS
    }
    assert record.language == expectation["language"]
    language_warnings = [w for w in record.warnings if w.step.startswith("identify_language")]
    assert language_warnings == []


@pytest.mark.parametrize("expectation", CASES)
def test_text(expectation: dict[str, Any]) -> None:
    _raw, record = _cleaned(expectation["file"])
    missing = [f for f in expectation.get("must_contain", ()) if f not in record.text]
    assert missing == [], f"real text lost, glued or split:\n{record.text}"
    left = [f for f in expectation.get("must_not_contain", ()) if f in record.text]
    assert left == [], f"not removed or not repaired:\n{record.text}"
    # The format every step keeps: one paragraph per line, one blank line between.
    assert record.text == record.text.strip()
    assert all(p and "\n" not in p and p == p.strip() for p in record.text.split("\n\n"))


@pytest.mark.parametrize("expectation", [_param(e) for e in EXPECTATIONS if e.get("clean")])
def test_clean_document_comes_out_as_it_went_in(expectation: dict[str, Any]) -> None:
    """Negative controls: their lines are their paragraphs, and only the title line goes."""
    raw, record = _cleaned(expectation["file"])
    lines = [line for line in raw.splitlines() if line.strip()]
    if record.title is not None:
        assert lines[0] == record.title
        lines = lines[1:]
    assert record.text == "\n\n".join(lines)


@pytest.mark.parametrize("expectation", CASES)
def test_provenance_replays_and_a_second_run_changes_nothing(expectation: dict[str, Any]) -> None:
    raw, record = _cleaned(expectation["file"])
    assert replay(raw, record.provenance) == record.text
    fields = {name: getattr(record, name) for name in FIELDS if name != "time"}
    (again,) = _clean(_record(record.text, expectation["declared"], fields))
    assert again.text == record.text
    assert again.time is None or again.time == record.time
