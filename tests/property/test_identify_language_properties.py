"""identify_language honours the step contract: total, text untouched, idempotent, and
its fields always in the published form."""

from __future__ import annotations

import functools
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curation.record import Record
from curation.rules import load_rules
from curation.steps import identify_language
from tests import oracles_language

RULES = load_rules()
DECIMALS = identify_language.compile_rules(RULES["language"]).score_decimals

words = st.sampled_from(
    [
        "trade",
        "China",
        "Россия",
        "торговля",
        "数字",
        "经济",
        "cooperare",
        "Handel",
        "。",
        ". ",
        "\n\n",
        " ",
        "2022",
        "...",
    ]
)
texts = st.one_of(st.text(), st.lists(words, max_size=40).map(" ".join))
declared = st.one_of(
    st.none(), st.lists(st.sampled_from(["en", "ru", "zh", "ro", "de"]), max_size=3)
)


def run(record: Record) -> Record:
    (out,) = identify_language.STEP.run(record, RULES)
    return out


@pytest.mark.property
@settings(max_examples=150, deadline=None)
@given(text=texts, languages=declared, title=st.one_of(st.none(), st.text(max_size=10)))
def test_total_idempotent_and_in_published_form(
    text: str, languages: list[str] | None, title: str | None
) -> None:
    record = Record("000_0000000000000000", 0, text, declared={"languages": languages}, title=title)
    out = run(record)
    assert out.text == record.text and out.provenance == record.provenance
    assert (out.language is None) == (out.language_score is None)
    if out.language is not None:
        assert re.fullmatch(r"[a-z]{2}", out.language)
        assert out.language_score is not None and 0 <= out.language_score <= 1
        assert out.language_score == round(out.language_score, DECIMALS)
    assert {w.code for w in out.warnings} <= {"language_uncertain", "language_mismatch"}
    assert len(out.warnings) <= 1
    assert run(out) == out


@functools.cache
def _py3langid() -> Any:
    """py3langid's own identifier, with its automaton (ours keeps only the trie)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE)


@pytest.mark.property
@settings(max_examples=200, deadline=None)
@given(data=st.one_of(st.binary(max_size=3000), texts.map(lambda t: t.encode("utf-8"))))
def test_array_walk_counts_as_py3langid_on_any_bytes(data: bytes) -> None:
    """The numpy walk's features and counts, in first-occurrence order, are py3langid's."""
    from py3langid.langid import visit_counts

    plain = _py3langid()
    counts = visit_counts(plain.tk_nextmove, plain._rowbase, plain.tk_output, data) or {}
    features, numbers = identify_language.language_identifier().visits(data)
    assert list(zip(features.tolist(), numbers.tolist(), strict=True)) == list(counts.items())


@pytest.mark.property
@settings(max_examples=200, deadline=None)
@given(text=st.one_of(texts, st.text(st.characters(exclude_categories=()), max_size=200)))
def test_fast_paths_guess_as_the_code_they_replaced(text: str) -> None:
    """Letters counted with a table and probabilities added up by column: the guess of
    5d5e1a3 (tests/oracles_language.py), on any text, surrogates and astral planes too."""
    assert identify_language.count_letters(text) == oracles_language.count_letters(text)
    rules_file = RULES["language"]
    assert identify_language._identify(text, rules_file) == oracles_language.identify(
        text, rules_file
    )
