"""split_articles finds the header blocks it found before it stopped early.

``header_blocks`` now splits the page once, asks each paragraph for a date once,
and gives up as soon as too few headlines are left for ``min_blocks`` blocks. The
search as it was written first is kept here as the oracle, and must agree on pages
of headlines, datelines and bodies in Latin, Cyrillic, CJK and Arabic scripts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curation.rules import load_rules
from curation.steps import split_articles
from curation.steps.headers import (
    is_headline,
    match_paragraph,
    metadata_rules,
    paragraph_spans,
)
from curation.steps.split_articles import (
    HeaderBlock,
    _reads_as_prose,
    _sentence_chars,
    article_starts,
    header_blocks,
)

RULES = metadata_rules(load_rules()["metadata"])
CASES = json.loads(
    (Path(__file__).parent / "cases" / "split_articles.json").read_text(encoding="utf-8")
)


def header_blocks_one_by_one(text: str, languages: tuple[str, ...]) -> list[HeaderBlock]:
    """``header_blocks`` as first written: every paragraph asked as it comes."""
    paragraphs = [text[p.start : p.end] for p in paragraph_spans(text)]
    starts = [p.start for p in paragraph_spans(text)]
    blocks: list[HeaderBlock] = []
    used = -1

    def dated_rule(index: int) -> str | None:
        if not 0 <= index < len(paragraphs) or index <= used:
            return None
        found = match_paragraph(paragraphs[index], "header", languages, RULES)
        return found.rule if found is not None and found.date is not None else None

    for index, paragraph in enumerate(paragraphs):
        if index <= used or not is_headline(paragraph, RULES) or dated_rule(index) is not None:
            continue
        for dated, first in ((index + 1, index), (index - 1, index - 1)):
            rule = dated_rule(dated)
            if rule is not None:
                last = max(index, dated)
                end = starts[last] + len(paragraphs[last])
                blocks.append(
                    HeaderBlock(starts[first], rule in RULES.split_rules, end, dated < index)
                )
                used = max(index, dated)
                break
    return blocks


def article_starts_one_by_one(text: str, languages: tuple[str, ...]) -> list[int]:
    """``article_starts`` as first written, on the blocks found one by one."""
    found = header_blocks_one_by_one(text, languages)
    ends = [block.start for block in found[1:]] + [len(text)] if found else []
    blocks = [
        block
        for block, next_start in zip(found, ends, strict=True)
        if _sentence_chars(text[block.end : next_start], RULES)
        >= (1 if block.by_publisher else RULES.min_body_chars)
    ]
    if len(blocks) < RULES.min_articles:
        return []
    by_publisher = sum(block.by_publisher for block in blocks)
    if by_publisher < RULES.min_articles and len({block.date_first for block in blocks}) > 1:
        return []
    opens_with_header = not any(
        _reads_as_prose(text[p.start : p.end], RULES)
        for p in paragraph_spans(text[: blocks[0].start])
    )
    if by_publisher >= RULES.min_articles or opens_with_header:
        return [block.start for block in blocks]
    return []


def _check(text: str, languages: tuple[str, ...]) -> None:
    expected = header_blocks_one_by_one(text, languages)
    assert header_blocks(text, languages, RULES) == expected
    for min_blocks in (1, 2, 3):
        early = header_blocks(text, languages, RULES, min_blocks=min_blocks)
        assert early == (expected if len(expected) >= min_blocks else [])
    assert article_starts(text, languages, RULES) == article_starts_one_by_one(text, languages)


@pytest.mark.parametrize("case", CASES, ids=[case["label"] for case in CASES])
def test_the_cases_find_the_blocks_found_one_by_one(case: dict[str, object]) -> None:
    languages = case["languages"]
    assert isinstance(languages, list)
    assert isinstance(case["input"], str)
    _check(case["input"], tuple(languages))


def test_the_cases_split_pages() -> None:
    # The oracle is compared on pages that do split, not only on pages that do not.
    split_pages = [
        case for case in CASES if article_starts_one_by_one(case["input"], tuple(case["languages"]))
    ]
    assert len(split_pages) >= 5


HEADLINES = [
    "Digital cooperation gathers pace",
    "Payment systems are linked up at last",
    "数字丝绸之路对合作共赢的价值",
    "Цифровое сотрудничество набирает обороты",
    "الحكومة تعلن خطة جديدة للتحول الرقمي",
    "Neue Brücke über die Elbe eröffnet",
    "The ministers met.",
    "World News",
]
DATELINES = [
    "Ren Min Ri Bao· 2025-11-10 22:48",
    "Xinhua | October 22, 2021",
    "(ТАСС) 14:02, 5 июня 2023",
    "(People's Daily Online) 17:37, October 22, 2021",
    "Xinhua | 2021-13-45",
    "22 October 2021",
    "Published: 2021-10-22",
    "14.03.2024, 09:30 Uhr",
    "نُشر في 2024-03-05 10:30",
    "٥ مارس ٢٠٢٤",
    "来源：人民网 2021年10月22日 08:15",
    "Agenda | Item 45, 2021",
    # Header paragraphs without a date: they head no block.
    "Source: Xinhua",
    "来源：人民网",
    "By Anna Petrova",
]
BODIES = [
    "The two sides agreed to expand cooperation in digital trade, cross-border data and "
    "satellite navigation, and said the corridor would be reviewed every two years by a "
    "joint commission of officials, engineers and bankers from both economies.",
    "Стороны договорились расширить сотрудничество в области цифровой торговли, "
    "трансграничных данных и спутниковой навигации; первые поставки начнутся весной, "
    "а совместная комиссия будет проверять ход работ каждые два года.",
    "双方同意在未来五年内扩大在数字贸易、跨境数据和卫星导航领域的合作。" * 3,
    "أعلنت الحكومة اليوم عن خطة شاملة للتحول الرقمي تشمل تطوير البنية التحتية للاتصالات "
    "وتدريب الموظفين على المهارات الرقمية الحديثة، وقال الوزير إن الخطة ستنفذ على مدى خمس سنوات.",
    "A short teaser.",
    "Startseite | Politik | Wirtschaft",
]
PARAGRAPHS = st.sampled_from(HEADLINES + DATELINES + BODIES)
PAGES = st.lists(PARAGRAPHS, max_size=12).map("\n\n".join)
LANGUAGES = st.sampled_from([(), ("en",), ("ru",), ("zh", "en"), ("ar",), ("de",)])


@pytest.mark.property
@settings(max_examples=300, deadline=None)
@given(PAGES, LANGUAGES)
def test_pages_find_the_blocks_found_one_by_one(text: str, languages: tuple[str, ...]) -> None:
    _check(text, languages)


def test_a_page_with_one_headline_reads_no_date(monkeypatch: pytest.MonkeyPatch) -> None:
    # One headline can head one block, never the two a split needs: no date is read.
    paragraphs = [HEADLINES[0], "Published: 2021-10-22", BODIES[0]]
    assert [is_headline(p, RULES) for p in paragraphs] == [True, False, False]
    text = "\n\n".join(paragraphs)
    asked: list[str] = []

    def counting(paragraph: str, *args: object) -> object:
        asked.append(paragraph)
        return match_paragraph(paragraph, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(split_articles, "match_paragraph", counting)
    assert article_starts(text, ("en",), RULES) == []
    assert asked == []
    assert len(header_blocks(text, ("en",), RULES)) == 1  # without min_blocks: found
    assert asked == paragraphs[:2]  # the headline (no date itself), then the date under it
