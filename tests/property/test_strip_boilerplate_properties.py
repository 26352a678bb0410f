"""strip_boilerplate honours the step contract, and never cuts into the middle of prose."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curation.record import Record, replay
from curation.rules import load_rules
from curation.steps import classify_paragraphs, strip_boilerplate

RULES = load_rules()
BOILERPLATE = RULES["boilerplate"]
RULE_NAMES = (
    {
        entry["id"]
        for section in ("whole_paragraph", "tail", "head")
        for entry in BOILERPLATE.get(section, ())
    }
    | {
        BOILERPLATE[section]["id"]
        for section in ("truncated_teaser", "search_query", "related_headline")
    }
    | set(classify_paragraphs.RULE_NAMES)
)
P = "\n\n"

# Pieces of real pages: words in several scripts, sentence ends, brackets, ellipses,
# and the chrome the rules look for, so that rules fire often and next to each other.
words = st.sampled_from(
    [
        "China",
        "Russia",
        "digital",
        "cooperation",
        "Search",
        "documents",
        "Related",
        "Stories",
        "Source",
        "Editor",
        "Источник",
        "ТАСС",
        "Похожие",
        "новости",
        "跨境光缆",
        "相关新闻",
        "文章来源",
        "人民日报",
        "数字合作",
        "Ora",
        "postării",
        "2022",
        "17:37",
        "Xinhua",
        "x",
    ]
)
marks = st.sampled_from(
    [
        " ",
        " ",
        " ",
        ".",
        ". ",
        "。",
        "!",
        "?",
        ",",
        ":",
        "：",
        "(",
        ")",
        "（",
        "）",
        "【",
        "】",
        " ...",
        "...",
        "…",
        "……",
        "-",
        "\n",
        "\n\n",
        "\n\n\n",
        "«",
        "»",
        "\u201c",
        "\u201d",
    ]
)
chrome = st.sampled_from(
    [
        "Related Stories",
        "Search documents",
        "(Web editor: Hongyu, Bianji)",
        "(文章来源:人民日报)",
        "（来源：新华社）",
        "Источник: ТАСС",
        "Share this",
        "Read more »",
        "相关新闻",
        "Поиск",
        "习近平主席在上海合作组织成员国元首理事会第二十五次会议上的重 ...",
        "China, Pakistan strive to build a community with a shared future for mankind",
    ]
)
pieces = st.lists(st.one_of(words, marks, chrome), max_size=40).map("".join)
texts = st.one_of(st.text(), pieces)

# Text in repair_layout's format: paragraphs without line breaks, one blank line between.
# A sentence of four words or more, so that no sentence is itself a chrome phrase
# ("Search.", "Related Stories.") or a row of share-button names ("x x.").
prose_words = words.filter(lambda w: w != "x")
sentence = st.lists(prose_words, min_size=4, max_size=12).map(" ".join).map(lambda s: s + ".")
prose_paragraph = st.lists(sentence, min_size=1, max_size=4).map(" ".join)
paragraph = st.one_of(
    prose_paragraph,
    chrome,
    st.tuples(prose_paragraph, st.lists(chrome, max_size=3)).map(lambda t: " ".join([t[0], *t[1]])),
    st.lists(words, min_size=1, max_size=8).map(" ".join),
)
layout_texts = st.lists(paragraph, min_size=1, max_size=8).map(P.join)


def run(text: str) -> Record:
    (record,) = strip_boilerplate.STEP.run(Record("000_0000000000000000", 0, text), RULES)
    return record


@pytest.mark.property
@settings(max_examples=150, deadline=None)
@given(texts)
def test_total_idempotent_and_replayable(text: str) -> None:
    once = run(text)
    assert run(once.text).text == once.text
    assert replay(text, once.provenance) == once.text
    assert {edit.rule for edit in once.provenance} <= RULE_NAMES
    assert all(edit.after == "" for edit in once.provenance)


@pytest.mark.property
@settings(max_examples=150, deadline=None)
@given(layout_texts)
def test_keeps_the_layout_and_cuts_only_at_paragraph_edges(text: str) -> None:
    once = run(text)
    assert run(once.text).provenance == ()
    if once.text:
        assert once.text == once.text.strip()
        assert all(p and "\n" not in p for p in once.text.split(P))
    # Every paragraph left is one run of an input paragraph, in order: nothing was
    # taken out of the middle of a paragraph, and nothing was moved.
    remaining = iter(text.split(P))
    for kept in once.text.split(P) if once.text else ():
        assert any(kept in original for original in remaining), kept


@pytest.mark.property
@settings(max_examples=150, deadline=None)
@given(st.lists(prose_paragraph, min_size=1, max_size=6), st.integers(0, 6), chrome)
def test_prose_is_never_touched(prose: list[str], position: int, extra: str) -> None:
    """Paragraphs of sentences survive whole, wherever a chrome paragraph is put among them."""
    assert run(P.join(prose)).provenance == ()
    position = min(position, len(prose))
    mixed = P.join([*prose[:position], extra, *prose[position:]])
    out = run(mixed).text
    for paragraph_ in prose:
        assert paragraph_ in out.split(P)
