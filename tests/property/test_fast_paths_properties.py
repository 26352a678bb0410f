"""The fast paths of the page reading answer as the code they replaced (``tests/oracles.py``)
on generated text: paragraphs made of the rules files' own phrases, labels, colons,
brackets, separators and prose, and any text at all."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curation.rules import load_rules
from curation.steps.headers import is_prose, metadata_rules
from curation.steps.strip_boilerplate import (
    _paragraphs,
    _strip_edges,
    compile_rules,
    whole_paragraph_rule,
)
from tests import oracles

pytestmark = pytest.mark.property

RULES = load_rules()
BOILERPLATE = RULES["boilerplate"]
COMPILED = compile_rules(BOILERPLATE)
METADATA = metadata_rules(RULES["metadata"])

phrases = sorted(
    {
        phrase
        for entry in BOILERPLATE["whole_paragraph"]
        for key in ("literals", "words", "link_prefixes")
        for phrase in entry.get(key, ())
    }
    | {label for entry in BOILERPLATE["tail"] for label in entry.get("labels", ())}
)
marks = st.sampled_from(
    [" ", "  ", ":", "：", " : ", "(", ")", "（", "）", "【", "】", "[", "]", ".", "。", "!",
     "?", "...", "…", " - ", " – ", "|", "»", "→", ",", "\n", "\u00a0", "©", "2024", "@"]
)  # fmt: skip
words = st.sampled_from(
    ["Trade", "grows", "the", "talks", "ended", "Xinhua", "ТАСС", "人民日报", "share", "email",
     "cookies", "We", "use", "Home", "News", "Copyright", "reserved", "İLGİLİ", "ß", "ǅ"]
)  # fmt: skip
pieces = st.lists(
    st.one_of(st.sampled_from(phrases), st.sampled_from(phrases).map(str.upper), marks, words),
    max_size=30,
).map("".join)
texts = st.one_of(pieces, st.text(max_size=300), st.lists(pieces, max_size=5).map("\n\n".join))


@settings(max_examples=400, deadline=None)
@given(texts)
def test_whole_paragraph_rule_as_before(text: str) -> None:
    assert whole_paragraph_rule(text, COMPILED) == oracles.whole_paragraph_rule(text, COMPILED)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_strip_edges_as_before(text: str) -> None:
    for new, old in zip(_paragraphs(text), _paragraphs(text), strict=True):
        _strip_edges(text, new, COMPILED)
        oracles.strip_edges(text, old, COMPILED)
        assert new == old


@settings(max_examples=300, deadline=None)
@given(texts, st.booleans())
def test_is_prose_as_before(text: str, weak: bool) -> None:
    assert is_prose(text, METADATA, weak) == oracles.is_prose(text, METADATA, weak)
