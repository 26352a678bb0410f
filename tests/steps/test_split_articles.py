"""split_articles: data-driven cases (tests/steps/cases/split_articles.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from curation.record import Change, Record, replay
from curation.rules import load_rules
from curation.steps import split_articles
from curation.steps.headers import RULES_FILE, metadata_rules

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "cases" / "split_articles.json").read_text(encoding="utf-8")
)
RULES = load_rules()
SEED_ID = "000_0000000000000000"


def case_record(case: dict[str, Any]) -> Record:
    declared = {"languages": case["languages"], "title": None, "source": None, "date": None}
    return Record(
        SEED_ID,
        0,
        case["input"],
        declared=declared,
        url="https://example.org/search?q=digital",
        license="CC BY 4.0",
    )


def split(record: Record) -> tuple[Record, ...]:
    parts = split_articles.STEP.run(record, RULES)
    assert isinstance(parts, tuple)
    return parts


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    parent = case_record(case)
    parts = split(parent)
    assert [p.text for p in parts] == case["parts"], case["comment"]
    assert [[w.code for w in p.warnings] for p in parts] == case["warnings"]
    if case["kind"] == "negative":
        assert parts == (parent,)
        return
    assert [p.part for p in parts] == list(range(len(parts)))
    assert [p.id for p in parts] == [f"{SEED_ID}-{i}" for i in range(len(parts))]
    for part in parts:
        # Each part replays from its parent's text and says which rule cut it.
        assert replay(parent.text, part.provenance) == part.text
        assert {e.rule for e in part.provenance} == {split_articles.SPLIT_RULE}
        assert {e.step for e in part.provenance} == {split_articles.STEP_ID}
        assert (part.declared, part.url, part.license) == (
            parent.declared,
            parent.url,
            parent.license,
        )
        # Idempotent: a part holds one article and is not split again.
        assert split(part) == (part,)


SPLIT_CASES = [c for c in CASES if c["kind"] != "negative"]


@pytest.mark.parametrize("case", SPLIT_CASES, ids=[c["label"] for c in SPLIT_CASES])
def test_parts_partition_the_page(case: dict[str, Any]) -> None:
    """Nothing is lost or duplicated: the parts, rejoined, are the page."""
    assert "\n\n".join(p.text for p in split(case_record(case))) == case["input"]


def test_cases_cover_every_kind() -> None:
    assert {case["kind"] for case in CASES} == {"in-the-wild", "synthetic", "negative"}


def test_article_spans() -> None:
    assert split_articles.article_spans([0, 20, 45], 60) == [(0, 18), (20, 43), (45, 60)]
    assert split_articles.article_spans([12, 40], 60) == [(0, 10), (12, 38), (40, 60)]


def test_a_part_of_a_split_seed_keeps_its_parents_edits() -> None:
    """A split after other steps: the parts carry the earlier provenance too."""
    case = next(c for c in CASES if c["label"] == "two_articles_aggregator")
    raw = "  " + case["input"]
    parent = case_record(case).replace(text=raw)
    parent = parent.with_changes(
        "normalize_unicode_v1/spacing", [Change(0, 2, "", "document_start")]
    )
    for part in split(parent):
        assert replay(raw, part.provenance) == part.text
        assert part.provenance[0].rule == "document_start"


def test_a_page_in_no_declared_language_is_split_on_dates_in_its_own_language() -> None:
    # "Iul" is Romanian only, and Romanian is not among the most used languages that
    # every date is read in: the page's own language, identified, reads it.
    compiled = metadata_rules(RULES[RULES_FILE])
    body = (
        "Miniștrii celor două țări s-au întâlnit vineri la Moscova și au convenit să "
        "extindă cooperarea în domeniul comerțului digital și al infrastructurii de date. "
    ) * 3
    first = ["Cooperare digitală nouă", "Iul-16-2022", body.strip()]
    text = "\n\n".join([*first, "Alt titlu important", "Iul-17-2022", body.strip()])
    assert len(split_articles.header_blocks(text, (), compiled)) == 2
    english = text.replace(body.strip(), "The ministers met in Moscow. " * 8)
    assert split_articles.header_blocks(english, (), compiled) == []


def test_a_copyright_notice_under_a_list_of_links_is_no_article() -> None:
    # An article, then the page's rail of dated teasers (Thai digits and era), then
    # its footer: the copyright notice under the last teaser is no second article.
    compiled = metadata_rules(RULES[RULES_FILE])
    body = (
        "รัฐมนตรีของทั้งสองประเทศได้พบกันที่กรุงเทพฯ เมื่อวันศุกร์ และตกลงที่จะขยายความร่วมมือ "
        "ด้านการค้าดิจิทัลและโครงสร้างพื้นฐานข้อมูลในอีกหลายปีข้างหน้า ตามแถลงการณ์ร่วม. "
    ) * 3
    notice = "© ๒๕๖๗ สำนักข่าวไทย สงวนลิขสิทธิ์ทั้งหมด. " + (
        "ห้ามนำเนื้อหาส่วนใดส่วนหนึ่งของหน้านี้ไปเผยแพร่ในสื่อใด ๆ ไม่ว่าจะเป็นสื่ออิเล็กทรอนิกส์"
        "หรือสิ่งพิมพ์ โดยไม่ได้รับอนุญาตเป็นลายลักษณ์อักษร. "
    )
    article = ["ความร่วมมือดิจิทัลครั้งใหม่", "๑๒ มีนาคม ๒๕๖๗ ๑๔:๓๐ น.", body.strip()]
    rail = ["ราคาน้ำมันปรับตัวลดลงต่อเนื่อง", "๑๑ มีนาคม ๒๕๖๗ ๒๒:๐๐ น."]
    text = "\n\n".join([*article, *rail, notice.strip()])
    assert len(split_articles.header_blocks(text, ("th",), compiled)) == 2
    assert split_articles.article_starts(text, ("th",), compiled) == []
    # Under the second headline an article's own sentences make it a second article.
    two = text.replace(notice.strip(), body.strip())
    assert len(split_articles.article_starts(two, ("th",), compiled)) == 2
