"""strip_boilerplate: data-driven cases (tests/steps/cases/strip_boilerplate.json), the
rules file, and the five seeds."""

from __future__ import annotations

import functools
import json
from collections import Counter
from pathlib import Path
from types import MappingProxyType

import pytest

from curation.paths import REPO_DIR
from curation.record import Record, replay
from curation.rules import RuleSet, RulesFile, load_rules
from curation.seeds import iter_seed_batches, validate_seeds
from curation.steps import STEPS, strip_boilerplate

CASES = json.loads(
    (Path(__file__).parent / "cases" / "strip_boilerplate.json").read_text(encoding="utf-8")
)
RULES = load_rules()
BOILERPLATE = RULES["boilerplate"]
P = "\n\n"
PROSE = "The two sides signed agreements on digital infrastructure and data security."


def run(text: str, rules: RuleSet = RULES, languages: list[str] | None = None) -> Record:
    record = Record("000_0000000000000000", 0, text, declared={"languages": languages})
    (out,) = strip_boilerplate.STEP.run(record, rules)
    return out


def rule_names(record: Record) -> list[str]:
    return sorted(edit.rule for edit in record.provenance)


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_case(case: dict[str, object]) -> None:
    record = run(str(case["input"]))
    assert record.text == case["expected"], case["comment"]
    assert rule_names(record) == case["rules"], case["comment"]
    assert replay(str(case["input"]), record.provenance) == record.text
    assert run(record.text).text == record.text, "not idempotent"
    if case["kind"] == "negative":
        assert record.provenance == ()


def test_case_kinds_and_labels() -> None:
    assert {c["kind"] for c in CASES} == {"in-the-wild", "synthetic", "negative"}
    labels = [c["label"] for c in CASES]
    assert len(labels) == len(set(labels))


# --- the rules file ---------------------------------------------------------------


def _whole_paragraph_literals() -> list[tuple[str, str]]:
    return [
        (entry["id"], literal)
        for entry in BOILERPLATE["whole_paragraph"]
        for literal in entry.get("literals", ())
    ]


def test_every_rules_entry_is_documented_and_named_in_snake_case() -> None:
    for section in ("whole_paragraph", "tail", "head"):
        for entry in BOILERPLATE.get(section, ()):
            assert entry["comment"].strip()
            assert entry["id"].isidentifier() and entry["id"].islower()
    compiled = strip_boilerplate.compile_rules(BOILERPLATE)
    assert compiled.teaser.rule == "truncated_teaser"


def test_no_phrase_is_listed_twice() -> None:
    """A phrase listed under two entries would be counted under whichever comes first."""
    decoration = BOILERPLATE["punctuation"]["decoration"]
    keys = Counter(
        literal.casefold().strip(decoration) for _, literal in _whole_paragraph_literals()
    )
    assert [key for key, count in keys.items() if count > 1] == []


@pytest.mark.parametrize(("rule", "literal"), _whole_paragraph_literals(), ids=lambda v: str(v))
def test_every_whole_paragraph_literal_goes_alone_and_stays_in_a_sentence(
    rule: str, literal: str
) -> None:
    """Checks each phrase a contributor adds: removed as a paragraph, kept inside prose."""
    alone = run(PROSE + P + literal + P + PROSE)
    assert alone.text == PROSE + P + PROSE
    assert rule_names(alone) == [rule]
    inside = PROSE + P + f"Readers saw {literal} on the page and moved on." + P + PROSE
    assert run(inside).provenance == ()


def _trailer_labels() -> list[tuple[str, str]]:
    return [
        (entry["id"], label) for entry in BOILERPLATE["tail"] for label in entry.get("labels", ())
    ]


@pytest.mark.parametrize(("rule", "label"), _trailer_labels(), ids=lambda v: str(v))
def test_every_trailer_label_goes_at_the_tail_and_stays_inside(rule: str, label: str) -> None:
    for trailer in (f" ({label}: Xinhua)", f"（{label}：新华社）", f" {label}: Xinhua"):
        record = run(PROSE + trailer)
        assert record.text == PROSE, trailer
        assert rule_names(record) == [rule]
    assert run(f"({label}: Xinhua)" + P + PROSE).text == PROSE
    for kept in (
        f"The report ({label}: Xinhua) was published on Monday.",
        f"The report named the {label}: Xinhua and two other outlets, and it went on.",
        f"Its {label}: Xinhua",  # not after a sentence end
    ):
        assert run(kept).provenance == (), kept


def test_declared_language_does_not_matter() -> None:
    """Chrome is often in another language than the article (English labels on a Chinese page)."""
    text = "跨境光缆" + P + "Search documents" + P + "以心联通为纽带,促进数字文明交流互鉴。"
    outputs = {run(text, languages=langs).text for langs in (["zh"], ["en"], ["ro"], None)}
    assert outputs == {"以心联通为纽带,促进数字文明交流互鉴。"}


def test_head_rules_from_data() -> None:
    """A head rule added to the TOML (here in place of the shipped ones) cuts a fragment and
    the space after it."""
    data = dict(BOILERPLATE.data)
    data["head"] = (
        MappingProxyType(
            {
                "id": "listen_prompt",
                "language": "en",
                "comment": "audio player label",
                "literals": ("Listen to this article",),
            }
        ),
    )
    rules = RuleSet(
        MappingProxyType(
            {"boilerplate": RulesFile("boilerplate", "0" * 64, MappingProxyType(data))}
        )
    )
    record = run("Listen to this article " + PROSE + P + "Listen to this articles.", rules)
    assert record.text == PROSE + P + "Listen to this articles."
    assert rule_names(record) == ["listen_prompt"]
    assert run("Listen to this article", rules).text == ""


def test_many_trailers_in_one_paragraph_all_go_in_one_run() -> None:
    text = PROSE + " (Source: Xinhua)" * 50
    record = run(text)
    assert record.text == PROSE
    assert run(record.text).provenance == ()


def test_a_removed_tail_exposes_a_new_tail_in_the_same_run() -> None:
    text = (
        PROSE
        + P
        + "China and Russia expand digital trade cooperation"
        + P
        + "Share this"
        + P
        + "(Editor: Li Yan)"
    )
    record = run(text)
    assert record.text == PROSE
    assert run(record.text).provenance == ()


def test_related_headlines_go_only_where_paragraphs_end_with_a_mark() -> None:
    # The same page twice: a long paragraph, two short ones, and a share button. In
    # English the short ones end with a full stop and stay; the same two without it,
    # next to prose that ends with one, are headlines of the tail and go. In Thai no
    # paragraph ends with a mark: the short ones are the article's last and stay.
    lead = (
        "The ministry opened a new data centre in the north of the country on Thursday, "
        "the first of five that the plan for digital infrastructure pays for this year."
    )
    short = [
        "The centre runs on solar power for a third of its needs.",
        "Work on the second starts next year.",
    ]
    ended = run(P.join([lead, *short, "Share"]))
    assert ended.text == P.join([lead, *short])
    unended = run(P.join([lead, *(s.rstrip(".") for s in short), "Share"]))
    assert unended.text == lead
    assert rule_names(unended).count("related_headline") == 2
    thai_lead = (
        "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคมเปิดศูนย์ข้อมูลแห่งใหม่ที่จังหวัดขอนแก่นเมื่อวันพฤหัสบดี "
        "ศูนย์แห่งนี้จะรองรับบริการของหน่วยงานรัฐในภาคตะวันออกเฉียงเหนือ และเป็นส่วนหนึ่งของแผนระยะห้าปี"
    )
    thai_short = ["ศูนย์ข้อมูลใช้พลังงานแสงอาทิตย์ร้อยละ 30 ของพลังงานทั้งหมด", "ระยะที่สองจะเริ่มก่อสร้างในปีหน้า"]
    thai = run(P.join([thai_lead, *thai_short, "แชร์"]))
    assert thai.text == P.join([thai_lead, *thai_short])
    assert "related_headline" not in rule_names(thai)


def test_step_is_registered_after_its_predecessor() -> None:
    assert STEPS["strip_boilerplate"] is strip_boilerplate.STEP
    names = list(STEPS)
    # Metadata is read from the page before its chrome goes (issue 11).
    assert names.index("strip_boilerplate") == names.index("extract_metadata") + 1
    assert strip_boilerplate.STEP.rules_files == ("boilerplate",)
    assert strip_boilerplate.STEP.id == "strip_boilerplate_v17"


# --- the seeds ---------------------------------------------------------------------


@functools.cache
def _seed_inputs() -> dict[str, list[Record]]:
    """Each seed as strip_boilerplate receives it: after the steps that precede it
    (split_articles among them, so a seed may arrive as several records)."""
    before = list(STEPS).index("strip_boilerplate")
    assert "repair_layout" in list(STEPS)[:before]
    records = {}
    for batch in iter_seed_batches(validate_seeds(REPO_DIR / "seeds")):
        for record in batch:
            parts = [record]
            for step in list(STEPS.values())[:before]:
                parts = [out for part in parts for out in step.run(part, RULES)]  # type: ignore[union-attr]
            records[record.seed_id] = parts
    return records


SEED_REMOVALS = {
    "000_1d9f1a65aeae1940": [],
    "001_5039b5492d75b5b7": [],
    # split_articles runs first: the search page is already cut into its two results,
    # the search box before the first staying with it.
    "002_ddf420c53e7c56f6": [
        ("search_query", "跨境光缆"),
        ("search_chrome", "Search documents"),
        ("source_attribution", "(文章来源:人民日报)"),
        ("truncated_teaser", "习近平主席在上海合作组织成员国元首理事会第二十五次会议上的重 ..."),
    ],
    "003_5410e24f9165d44f": [
        (
            "related_headline",
            "China, Pakistan strive to build a community with a shared future for mankind",
        ),
        ("editor_credit", "(Web editor: Hongyu, Bianji)"),
        ("related_heading", "Related Stories"),
    ],
    "004_b57d5ccfbe06e458": [],
}


@pytest.mark.parametrize("seed_id", sorted(SEED_REMOVALS))
def test_seed(seed_id: str) -> None:
    removed = []
    for record in _seed_inputs()[seed_id]:
        out = run(record.text)
        edits = out.provenance
        removed += [(e.rule, e.before.strip()) for e in edits]
        assert replay(record.text, edits) == out.text
        assert run(out.text).provenance == ()
        # The format between steps is kept; a split-off preamble of chrome alone
        # ends up empty (drop_empty removes it).
        assert out.text == out.text.strip()
        assert out.text == "" or all(p and "\n" not in p for p in out.text.split(P))
    assert removed == SEED_REMOVALS[seed_id]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Search",
        "跨境光缆 cable",
        "Ｆｕｌｌ",
        "\u0378\u0379 Ελλάδα",
        "한국어 텍스트",
        "ab\u1100",
    ],
)
def test_display_width_counts_wide_characters_twice(text: str) -> None:
    """The counted-by-character width is the character-by-character one (unassigned code
    points that unicodedata calls wide included)."""
    import unicodedata

    expected = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    assert strip_boilerplate.display_width(text) == expected
