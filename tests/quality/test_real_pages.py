"""The whole pipeline on real pages pasted from a browser: the article stays, the chrome
goes (strip_boilerplate's paragraph classifier), in seven languages and five scripts.

The pages and what must and must not survive are in ``pages.toml``; see
``pages/README.md`` for where they come from.
"""

from __future__ import annotations

import functools
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from curation.pipeline import Pipeline
from curation.record import Record, replay
from curation.rules import RuleSet, load_rules
from curation.steps import PIPELINE

HERE = Path(__file__).parent
PAGES: list[dict[str, Any]] = tomllib.loads((HERE / "pages.toml").read_text(encoding="utf-8"))[
    "page"
]


@functools.cache
def _rules() -> RuleSet:
    return load_rules()


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@functools.cache
def _cleaned(file: str) -> tuple[str, tuple[Record, ...]]:
    raw = (HERE / "pages" / file).read_text(encoding="utf-8")
    record = Record("900_0000000000000000", 0, raw, declared={"languages": None})
    pipeline = Pipeline(PIPELINE, [], _rules())
    return raw, tuple(out for batch in pipeline.run([[record]]) for out in batch)


def _with_known_gaps(pages: list[dict[str, Any]]) -> list[Any]:
    """A page with a ``known_gap`` is a strict xfail: it must fail, and says why."""
    return [
        pytest.param(p, marks=pytest.mark.xfail(reason=p["known_gap"], strict=True))
        if "known_gap" in p
        else p
        for p in pages
    ]


@pytest.mark.parametrize("page", _with_known_gaps(PAGES), ids=[p["file"] for p in PAGES])
def test_article_stays_and_chrome_goes(page: dict[str, Any]) -> None:
    raw, records = _cleaned(page["file"])
    text = _norm("\n\n".join(r.text for r in records))
    for fragment in page["must_contain"]:
        assert fragment in text, f"article text lost: {fragment!r}"
    for fragment in page["must_not_contain"]:
        assert fragment not in text, f"chrome kept: {fragment!r}"
    for record in records:
        assert replay(raw, record.provenance) == record.text
    assert {r.language for r in records} == {page["language"]}


METADATA_PAGES = [p for p in PAGES if "title" in p or "source" in p]


@pytest.mark.parametrize("page", METADATA_PAGES, ids=[p["file"] for p in METADATA_PAGES])
def test_page_metadata(page: dict[str, Any]) -> None:
    """The headline and the outlet the page shows are read (extract_metadata), and the
    line each was read from is in the provenance."""
    _, records = _cleaned(page["file"])
    record = records[0]
    for name in ("title", "source"):
        if name in page:
            assert getattr(record, name) == page[name], name
    headline = [e for e in record.provenance if e.rule == "headline"]
    # A headline wrapped over two lines is read from both (one edit each).
    printed = " ".join(" ".join(edit.before.split()) for edit in headline)
    assert headline and printed.startswith(page["title"])
