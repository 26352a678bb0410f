"""repair_layout's cheap tests and narrowed searches give what the plain passes gave.

Each pass first rules out the work the common text does not need (no whitespace to
change at line ends, no mark before an upper-case letter, no CJK), or searches only
where a match can be. The passes as they were written first are kept here as
oracles, and must agree on generated text in several scripts: Latin, Cyrillic,
CJK, Arabic, Devanagari, Hangul.
"""

from __future__ import annotations

import re
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curation.record import Change
from curation.rules import RulesFile, load_rules
from curation.steps import repair_layout
from curation.steps.repair_layout import (
    _MAX_MARK_RUN,
    LayoutRules,
    _base_letter_before,
    _first_word,
    _is_address_or_name,
    _is_uncased_spaced_letter,
    _Words,
    cjk_wrap_space_changes,
    compile_layout_rules,
    find_cjk_wrap_spaces,
    is_cjk,
    mark_runs_before_letters,
    spacing_changes,
)

RULES = load_rules()
LAYOUT = compile_layout_rules(RULES["layout"])


def _with_spacing(**changed: str) -> LayoutRules:
    """The shipped layout rules with some [sentence_spacing] values replaced."""
    data = dict(RULES["layout"].data)
    data["sentence_spacing"] = MappingProxyType({**data["sentence_spacing"], **changed})
    digest = "0" * 63 + str(len(changed))
    return compile_layout_rules(RulesFile("layout", digest, MappingProxyType(data)))


# ---------------------------------------------------------------------------
# The oracles: the passes before the fast paths.


def spacing_changes_over_whole_text(text: str, rules: LayoutRules) -> list[Change]:
    """The spacing pass as first written: each pattern run over the whole text by re."""
    spacing = rules.sentence_spacing
    whole = {
        name: re.compile(getattr(spacing, name).whole.pattern)
        for name in ("sentence_end", "after_bracket", "uncased_sentence_end")
    }
    semicolon = re.compile(r"(?<=[^\W\d_]);(?=[^\W\d_])")
    stray_period = re.compile(spacing.stray_period.pattern)
    words = _Words(text)
    changes: list[Change] = []
    for match in whole["sentence_end"].finditer(text):
        start, end = match.span()
        after_next = text[end + 1] if end + 1 < len(text) else ""
        if (
            text[start - 1].islower()
            and text[end].isupper()
            and not after_next.isupper()
            and not _is_address_or_name(words.around(start), spacing)
        ):
            changes.append(Change(end, end, " ", "insert_sentence_space"))
    for match in whole["after_bracket"].finditer(text):
        start, end = match.span()
        after_next = text[end + 1] if end + 1 < len(text) else ""
        if (
            text[end].isupper()
            and not after_next.isupper()
            and not _is_address_or_name(words.around(start), spacing)
        ):
            changes.append(Change(end, end, " ", "insert_sentence_space"))
    for match in whole["uncased_sentence_end"].finditer(text):
        start, end = match.span()
        letter, letters = _base_letter_before(text, start)
        if (
            letters >= 2
            and _is_uncased_spaced_letter(letter, spacing)
            and _is_uncased_spaced_letter(text[end], spacing)
            and not _is_address_or_name(words.around(start), spacing)
        ):
            changes.append(Change(end, end, " ", "insert_sentence_space"))
    for match in semicolon.finditer(text):
        start = match.start()
        if (
            text[start - 1].islower()
            and text[start + 1].islower()
            and not _is_address_or_name(words.around(start), spacing)
        ):
            changes.append(Change(start + 1, start + 1, " ", "insert_semicolon_space"))
    for match in stray_period.finditer(text):
        start, end = match.span("stray")
        if text[end].isupper() and not _is_address_or_name(words.around(start), spacing):
            changes.append(Change(start, end, "", "remove_stray_period"))
    return changes


def first_word_by_characters(line: str) -> str:
    """``_first_word`` as first written: one character at a time."""
    if is_cjk(line[0]):
        return line[0]
    end = 1
    while end < len(line) and not line[end].isspace() and not is_cjk(line[end]):
        end += 1
    return line[:end]


def cjk_wrap_space_changes_by_paragraph(text: str, rules: LayoutRules) -> list[Change]:
    """The CJK pass as first written: every paragraph with a space searched for CJK."""
    changes: list[Change] = []
    offset = 0
    for paragraph in text.split("\n"):
        if " " in paragraph and repair_layout._CJK.search(paragraph):
            changes.extend(
                Change(offset + i, offset + i + 1, "", "remove_cjk_wrap_space")
                for i in find_cjk_wrap_spaces(paragraph, rules.cjk_wrap_spaces)
            )
        offset += len(paragraph) + 1
    return changes


# ---------------------------------------------------------------------------
# Generated text: words and marks of several scripts, glued with and without spaces.

LONG_RUN = "." * (_MAX_MARK_RUN + 3)
PIECES = st.sampled_from(
    [
        # Latin, with case and accents; a numeric character that is no digit ("²").
        "word", "Word", "WORD", "é", "É", "a", "B", "e.g", "U.S", "ASP.NET", "x²", "Ⅻ",
        # Cyrillic, CJK, Arabic (with a combining mark), Devanagari, Hangul, Hebrew.
        "слово", "Слово", "Дія", "数字", "合作", "。", "，", "طن", "وأوضحت", "د", "\u064e",
        "दी", "इसमें", "।", "이어갔다", "산업부는", "שלום",
        # Marks, quotes, brackets, addresses, digits.
        ".", ".", "!", "?", "…", "؟", "۔", ";", ";", "\"", "”", "’", "»", "«", ")", "]",
        "）", "(", "97", "8.5", "example.org/Page", "www.", "a@b", "a_b", "Mail.Ru",
        LONG_RUN, "!" * (_MAX_MARK_RUN + 1) + "”",
        " ", " ", " ", "\n", "\n\n", "\t", "\u3000", ". .", " . ",
    ]
)  # fmt: skip
TEXTS = st.one_of(
    st.lists(PIECES, max_size=40).map("".join),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=200),
)

SPACING_NEAR_MISSES = [
    "",
    "a.B",
    "a.b",  # a lower-case letter after the mark: never searched
    "a.”B",
    'said "Hello',  # quotes alone before a letter
    "(IBGE).É",
    "x).É",
    "طن.وأوضحت",
    "د.محمد",
    "दी।इसमें",
    "이어갔다.산업부는",
    "a" + LONG_RUN + "B",
    "a" + LONG_RUN + "”B",
    "”.B",
    "a;b",
    "A;b",
    "a ;b",
    "global. .Toate",
    "global. . Toate",
    "a . . . B",
    "Huanqiu.Com",
    "example.com/Index.Html",
    "x².B",
    "Ⅻ.B",
]


@pytest.mark.parametrize("text", SPACING_NEAR_MISSES)
def test_spacing_near_misses(text: str) -> None:
    assert spacing_changes(text, LAYOUT) == spacing_changes_over_whole_text(text, LAYOUT)


@pytest.mark.property
@settings(max_examples=600, deadline=None)
@given(TEXTS)
def test_spacing_by_runs_gives_the_changes_of_the_whole_text(text: str) -> None:
    assert spacing_changes(text, LAYOUT) == spacing_changes_over_whole_text(text, LAYOUT)


def test_mark_runs_are_whole_runs_before_letters_with_an_end_mark() -> None:
    spacing = LAYOUT.sentence_spacing
    text = 'Da.Nu?!»Sigur. "Bine"... ok' + LONG_RUN + "Z"
    runs = mark_runs_before_letters(text, spacing)
    assert runs == [(2, 3), (5, 8), (27, 27 + len(LONG_RUN))]
    for start, letter in runs:
        assert set(text[start:letter]) <= spacing.mark_characters
        assert start == 0 or text[start - 1] not in spacing.mark_characters
        assert repair_layout._LETTER.match(text[letter])


def test_rules_with_a_letter_among_the_marks_search_the_whole_text() -> None:
    # "x" as an end mark: a match may end inside a run of marks, so runs are not used.
    rules = _with_spacing(sentence_end_marks=".x")
    assert not rules.sentence_spacing.by_runs
    assert LAYOUT.sentence_spacing.by_runs
    for text in ["ax.B", "wordxWord", "a.B", "axxB", "a.xB"]:
        assert spacing_changes(text, rules) == spacing_changes_over_whole_text(text, rules)
    assert spacing_changes("wordxWord", rules) == [Change(5, 5, " ", "insert_sentence_space")]


def test_long_runs_are_searched_by_re2() -> None:
    spacing = LAYOUT.sentence_spacing
    from curation import patterns

    assert patterns.engine(spacing.sentence_end.whole) == "re2"
    assert patterns.engine(spacing.sentence_end.window) == "re-bounded-input"
    text = "word" + "." * 100_000 + "Word"
    assert spacing_changes(text, LAYOUT) == [Change(100_004, 100_004, " ", "insert_sentence_space")]


# ---------------------------------------------------------------------------
# The first word of a line, and the CJK pass.


@pytest.mark.property
@settings(max_examples=400, deadline=None)
@given(TEXTS.filter(bool))
def test_first_word_is_found_as_character_by_character(line: str) -> None:
    assert _first_word(line) == first_word_by_characters(line)


@pytest.mark.parametrize(
    "line", ["数字 ab", "ab数字", "a-b c", " a", "a\u3000b", "x", "한국어 단어"]
)
def test_first_word_near_misses(line: str) -> None:
    assert _first_word(line) == first_word_by_characters(line)


CJK_BOX = "一二三四五，七八九十" * 2


@pytest.mark.parametrize(
    "text",
    [
        " ".join([CJK_BOX] * 5),
        "Latin only, no CJK at all.\n\nSecond paragraph.",
        "A Latin paragraph.\n" + " ".join([CJK_BOX] * 5),
        "\u3000 only an ideographic space",
    ],
)
def test_cjk_pass_skips_texts_without_cjk(text: str) -> None:
    assert cjk_wrap_space_changes(text, LAYOUT) == cjk_wrap_space_changes_by_paragraph(text, LAYOUT)


@pytest.mark.property
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([CJK_BOX, " ", "\n", "word", "数字", "。"]), max_size=30))
def test_cjk_pass_gives_the_changes_paragraph_by_paragraph(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert cjk_wrap_space_changes(text, LAYOUT) == cjk_wrap_space_changes_by_paragraph(text, LAYOUT)
