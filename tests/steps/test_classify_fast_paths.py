"""The paragraph classifier's cheap tests give the answers of the work they spare: the
wide-character test, the marks' opening characters, the whole patterns' screens and
their alternation, and the tail rules' required sets searched once per window.

``tests/steps/test_fast_paths.py`` compares whole_paragraph_rule and _strip_edges with
their oracles on real text; here the same on made-up text in several scripts, written
to hit the rules the screens stand before.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from curation import patterns
from curation.rules import load_rules
from curation.steps import classify_paragraphs
from curation.steps.classify_paragraphs import (
    _has_code_marks,
    classifier_rules,
    could_be_wide,
    line_key,
)
from curation.steps.strip_boilerplate import (
    _cut_tail,
    _paragraphs,
    _strip_edges,
    compile_rules,
    whole_paragraph_rule,
    width_at_most,
)
from tests import oracles

BOILERPLATE = load_rules()["boilerplate"]
CLASSIFIER = classifier_rules(BOILERPLATE)
COMPILED = compile_rules(BOILERPLATE)

# Leading spaces of several kinds (Python's \s is str.isspace: \x1c and U+3000 too).
SPACES = ["", " ", "  ", "\t", "\u3000", "\xa0", "\x1c", " \u2003"]
# Openings: digits of several scripts, bullets, letters, signs.
HEADS = [
    "1. ",
    "12) ",
    "3.",
    "17.1. ",
    "2.3.4 ",
    "５．２．",
    "١. ",
    "४) ",
    "１、",
    "* ",
    "• ",
    "– ",
    "- ",
    "—",
    "·",
    "A. ",
    "a) ",
    "Ⅳ. ",
    "² ",
    "½ ",
    "(1) ",
    "#1 ",
    "",
]
TAILS = ["Take the blankets off the bed", "北京", "x", "", " ", "Поиск"]
TEXTS = [space + head + tail for space in SPACES for head in HEADS for tail in TAILS]


def test_could_be_wide_is_the_maximum_test() -> None:
    texts = [
        *TEXTS,
        "Search",
        "Поиск по сайту",
        "البحث",
        "खोज",
        "ᄀ",
        "\u10ff",
        "跨境光缆",
        "ｆｕｌｌ",
        "한국어",
        "emoji 🙂",
        "\ud800 lone",
        "\U0010ffff",
    ]
    for text in texts:
        expected = not text.isascii() and max(text) >= "\u1100"
        assert could_be_wide(text) == expected, text


def test_no_character_below_u1100_is_wide() -> None:
    """What could_be_wide's callers rely on to skip the Unicode database. (The database
    calls some unassigned code points below it wide; the classifier counts them narrow,
    as it did before could_be_wide: a text holds none.)"""
    assert not [
        code
        for code in range(0x1100)
        if unicodedata.category(chr(code)) != "Cn"
        and unicodedata.east_asian_width(chr(code)) in "WF"
    ]
    assert unicodedata.east_asian_width("\u1100") == "W"


def test_the_rules_marks_refuse_a_letter_unread() -> None:
    """The marks the classifier tries on every paragraph have a first set
    (curation.patterns' pre-check, through their leading ``\\s*``): a paragraph that
    opens with a letter is refused without the engine."""
    for mark in (
        CLASSIFIER.enumeration_mark,
        CLASSIFIER.section_number_mark,
        CLASSIFIER.list_item_mark,
    ):
        text = "Take the blankets off the bed"
        assert mark._precheck.excludes(text, 0, len(text), anchored=True), mark.pattern
        assert mark._precheck.first is not None, mark.pattern


@pytest.mark.parametrize(
    "pattern",
    [
        CLASSIFIER.enumeration_mark.pattern,
        CLASSIFIER.section_number_mark.pattern,
        CLASSIFIER.list_item_mark.pattern,
        r"\s*(?P<n>\d{1,3})\.",
        r"\s*[*•]\s+\S",
        r"\s*-+ ",
        r"\s*(?:x)y",
        r"\s*\d?[.)]",
        r"\s*(?i:a)",
        r"\s*(?:ab|cd)",
    ],
)
def test_marks_match_as_python_re_does(pattern: str) -> None:
    """Through the pre-check, the marks match where Python's re matches, with the same span."""
    compiled = patterns.compile(pattern)
    python = re.compile(pattern)
    matched = 0
    for text in [*TEXTS, " x", "xy", " -- ", "b", " ß", "A", "  9", "ab", " cd"]:
        expected = python.match(text)
        got = compiled.match(text)
        assert (got is None) == (expected is None), (pattern, text)
        if expected is not None:
            assert got is not None and got.span() == expected.span(), (pattern, text)
            matched += 1
    assert matched > 0  # the comparison covers matches, not only refusals


PROSE = (
    "The minister said on Monday that the talks had been useful and that both sides "
    "would meet again in the spring."
)
WHOLE_TEXTS = [
    "© 2024 Example Media. All rights reserved.",
    "Copyright © 2019 Example Media. All Rights Reserved",
    "All rights reserved.",
    "ALL RIGHTS RESERVED 2024",
    "Example Media 2024 — tous droits réservés.",
    "Todos los derechos reservados. 2023",
    "Alle Rechte vorbehalten.",
    "Wszelkie prawa zastrzeżone.",
    "כל הזכויות שמורות",
    "सर्वाधिकार सुरक्षित",
    "Hak cipta dilindungi undang-undang.",
    "Все права защищены.",
    "Усі права захищені!",
    "جميع الحقوق محفوظة",
    f"{PROSE} All rights reserved.",
    f"{PROSE * 3} All rights reserved.",
    f"{PROSE}\nAll rights reserved.",
    "We use cookies to improve your experience on our site.",
    "Wir verwenden Cookies, um Ihnen das beste Erlebnis zu bieten.",
    "Мы используем файлы cookie.",
    "本网站使用cookie",
    "Click to share on Twitter",
    "Search results for climate",
    "找到相关结果约 1,230 条",
    "Home » News » World",
    "Tags: climate, energy",
    "Page 2 of 5",
    "- 12 -",
    "mail@example.org",
    "Subscribe to our newsletter",
    "Copyright 2021",
    "版权所有 © 2019",
    PROSE,
    PROSE.upper(),
    "",
    "   ",
]


@pytest.mark.parametrize("text", WHOLE_TEXTS)
def test_whole_paragraph_rule_as_before(text: str) -> None:
    assert whole_paragraph_rule(text, COMPILED) == oracles.whole_paragraph_rule(text, COMPILED)


def test_whole_paragraph_rules_fire_through_the_screens() -> None:
    """The screens are on, and the comparison above covers their matches."""
    assert COMPILED.whole_joined is not None
    assert any(screen is not None for screen in COMPILED.whole_screens)
    found = {whole_paragraph_rule(text, COMPILED) for text in WHOLE_TEXTS} - {None}
    assert {"copyright_notice", "cookie_notice", "breadcrumb", "contact_address"} <= found


@pytest.mark.parametrize(
    "text",
    [
        f"{PROSE} (Source: Xinhua)",
        f"{PROSE} Quelle: dpa",
        f"{PROSE} 来源：新华社",
        f"{PROSE} स्रोत: एजेंसी",
        f"{PROSE} Read more...",
        f"{PROSE} Weiterlesen …",
        PROSE,
        "Source:",
        "：",
    ],
)
def test_strip_edges_as_before(text: str) -> None:
    new, old = next(_paragraphs(text)), next(_paragraphs(text))
    _strip_edges(text, new, COMPILED)
    oracles.strip_edges(text, old, COMPILED)
    assert new == old


def test_line_key_memo_is_bounded() -> None:
    assert line_key.cache_info().maxsize == classify_paragraphs.LINE_KEYS
    assert line_key("  Read\u00a0 MORE \n") == "read more"


# Lines with and without code marks, in several scripts: each shape of code_marks, marks
# inside links' addresses (which do not count) and next to them (where taking the
# address out puts a space), near misses ("f (x)", "a=b", "< b"), a prompt and a price.
CODE_LINES = [
    "if (x) { return a; }",
    "x = f(y)",
    "f (x) and a=b, a< b",
    "a == b",
    "a != b",
    "a += 1",
    "x => x + 1",
    "<script src=app.js>",
    "</div>",
    "< div>",
    "│ id │ name │",
    "┼──┼",
    "$ hg push",
    "$5 for two",
    ">>> import re",
    ">>>x",
    "保存javascript:void(0)",
    "Twitter https://twitter.com/example?a=1;b=2",
    "x =https://example.org/a y",
    "<bhttp://example.org",
    "$ https://example.org x",
    "mailto:a@b.c;d",
    "Скачать: функция(x)",
    "печать(x); вывод",
    "函数调用 f(x)；结果",
    "变量 = 值",
    "المتغير = القيمة",
    "الدالة(س)",
    "फ़ंक्शन(x) = y",
    "परिणाम; आगे",
    "The minister said (on Monday) that the talks were useful.",
    "Товарооборот вырос на треть в 2024 году.",
    "双方同意在未来五年内扩大合作。",
    "",
    ":",
]


def test_code_marks_as_before() -> None:
    found = 0
    for text in CODE_LINES + [space + line for space in SPACES for line in CODE_LINES]:
        expected = oracles.has_code_marks(text, CLASSIFIER)
        assert _has_code_marks(text, CLASSIFIER) == expected, text
        found += expected
    assert found > 100  # the shapes are compared where they match, not only refused


def test_code_mark_shapes_are_the_alternatives() -> None:
    shapes = [shape.pattern for shape in CLASSIFIER.code_mark_shapes]
    assert len(shapes) == 7
    assert "|".join(shapes) == CLASSIFIER.code_marks.pattern


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"a|b", ["a", "b"]),
        (r"[|]|\||(a|b)", ["[|]", r"\|", "(a|b)"]),
        (r"[]|]x|[^]|]y", ["[]|]x", "[^]|]y"]),
        (r"(?:x|y)+z|[\]|]", ["(?:x|y)+z", r"[\]|]"]),
        (r"(?i)a|b", [r"(?i)a|b"]),
    ],
)
def test_alternatives_split_at_the_top_level_only(pattern: str, expected: list[str]) -> None:
    pieces = patterns.alternatives(pattern)
    assert [p.pattern for p in pieces] == expected
    texts = ["a", "b", "|", "x", "]x", "y", "xz", "xyz", "]", "\\", "A", "B", "", "c"]
    whole = patterns.compile(pattern)
    for text in texts:
        assert any(p.search(text) for p in pieces) == bool(whole.search(text))


WIDTH_TEXTS = [
    "",
    "Search",
    "Поиск по сайту",
    "البحث في الموقع",
    "खोज करें",
    "跨境光缆",
    "跨境 cable",
    "ＡＢＣ",
    "한국어",
    "\u10ff\u1100",
    "東京で１２月",
]


def test_width_at_most_is_the_width_test() -> None:
    for text in WIDTH_TEXTS:
        for columns in range(-1, 2 * len(text) + 3):
            assert width_at_most(text, columns) == oracles.width_at_most(text, columns), (
                text,
                columns,
            )


# Paragraph ends the tail rules read: snippets cut with an ellipsis (with and without a
# space before it, after a sentence end, a bracket or none), trailing credits and
# sources, in several scripts; each after prose short and long (past the rules' window,
# so that the window starts inside the paragraph).
TAIL_ENDS = [
    "",
    " Read the full story ...",
    " Read the full story...",
    " Read the full story…",
    " And then...",
    "The talks went on and on, and nobody knew when they would end, or how …",
    " (Source: Xinhua)",
    " Source: Reuters",
    " Source: Reuters. More at example.org ...",
    " Editor: Jane Doe",
    " [Editor: Jane Doe]",
    "Resource: none...",
    " 习近平主席在会议上的重要讲话引起了广泛关注，各方纷纷表示 ...",
    "习近平主席在会议上的重要讲话引起了广泛关注，各方纷纷表示…",
    "（来源：新华社）",
    " 来源：新华社",
    "【责任编辑：王五】",
    " Переговоры продолжатся на следующей неделе, сообщил источник ...",
    " Источник: ТАСС",
    " (Редактор: Иванов)",
    " واستمرت المحادثات حتى ساعة متأخرة من الليل ...",
    " المصدر: وكالة الأنباء",
    " बातचीत देर रात तक चलती रही और कोई नतीजा नहीं निकला ...",
    " स्रोत: एजेंसी",
    " 3.5 million people...",
    ' He said "it is over"...',
    " It ended (for now)...",
    "!... ...",
    "...",
    "…",
]
TAIL_HEADS = ["", PROSE, PROSE * 5, "Короткий текст. " * 30, "很长的句子。" * 80, "x" * 420]


def test_cut_tail_as_before() -> None:
    cut = 0
    for head in TAIL_HEADS:
        for end in TAIL_ENDS:
            paragraph = head + end
            # The paragraph alone, and inside a page (lo > 0, hi before the page's end).
            for text, lo in ((paragraph, 0), ("Home\n\n" + paragraph + "\n\nNext", 6)):
                hi = lo + len(paragraph)
                for rule, _ in COMPILED.edge_rules:
                    expected = oracles.cut_tail(text, lo, hi, rule, COMPILED)
                    got = _cut_tail(text, lo, hi, rule, COMPILED)
                    assert got == expected, (rule.rule, text)
                    cut += expected is not None
    assert cut > 40  # the rules cut, not only refuse


def test_edge_runs_are_the_edge_rules_in_order() -> None:
    flattened = [(rule, at) for at, rules in COMPILED.edge_runs for rule in rules]
    assert flattened == list(COMPILED.edge_rules)
    assert len(COMPILED.edge_runs) < len(COMPILED.edge_rules)  # the runs group rules
