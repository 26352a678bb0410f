"""The fast paths of extract_metadata's page reading give the answers of the code they
replaced (``tests/oracles.py``) on every paragraph of the repository's real text, on
every phrase of the rules files, and the language model's memo gives the model's answer.

Hypothesis checks the same on generated text: ``tests/property/test_fast_paths_properties.py``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from curation import patterns
from curation.paths import REPO_DIR
from curation.rules import load_rules
from curation.steps import identify_language
from curation.steps.headers import _WORD, is_prose, metadata_rules
from curation.steps.strip_boilerplate import (
    _paragraphs,
    _strip_edges,
    compile_rules,
    whole_paragraph_rule,
)
from tests import oracles

RULES = load_rules()
BOILERPLATE = RULES["boilerplate"]
COMPILED = compile_rules(BOILERPLATE)
METADATA = metadata_rules(RULES["metadata"])
TESTS = Path(__file__).parents[1]


@functools.cache
def real_texts() -> tuple[str, ...]:
    """The seeds, the real pages of tests/quality and the step's own cases."""
    files = [
        *sorted((REPO_DIR / "seeds").glob("*.txt")),
        *sorted((TESTS / "quality" / "pages").glob("*.txt")),
        *sorted((TESTS / "quality" / "documents").glob("**/*.txt")),
    ]
    texts = [path.read_text(encoding="utf-8") for path in files]
    cases = json.loads((TESTS / "steps" / "cases" / "strip_boilerplate.json").read_text("utf-8"))
    texts.extend(case["input"] for case in cases)
    assert len(files) > 20 and len(cases) > 20  # the corpus is there
    return tuple(texts)


def real_paragraphs() -> Iterator[str]:
    for text in real_texts():
        # As repair_layout leaves them, and as lines (a page not yet repaired).
        yield from text.split("\n\n")
        yield from text.splitlines()


def test_whole_paragraph_rule_as_before_on_real_paragraphs() -> None:
    removed = 0
    for paragraph in real_paragraphs():
        expected = oracles.whole_paragraph_rule(paragraph, COMPILED)
        assert whole_paragraph_rule(paragraph, COMPILED) == expected, paragraph
        removed += expected is not None
    assert removed > 50  # the rules fire: the comparison covers their matches too


def _rule_phrases() -> Iterator[str]:
    """Every phrase of the whole-paragraph and tail rules, as chrome and inside prose."""
    for entry in BOILERPLATE["whole_paragraph"]:
        yield from entry.get("literals", ())
        yield from entry.get("words", ())
        for label in entry.get("link_prefixes", ()):
            yield f"{label}: Trade between the two countries grows"
            yield f"{label.upper()} → Trade grows"
            yield f"{label}: The talks ended. Both sides left."  # two sentences: no link
            yield f"{label} said that the talks ended on Monday."
    for entry in BOILERPLATE["tail"]:
        for label in entry.get("labels", ()):
            yield f"The talks ended. ({label}: Xinhua)"
            yield f"The talks ended. {label.upper()}： Xinhua"
            yield f"{label}: the talks ended on Monday, and both sides left Geneva"


@pytest.mark.parametrize("phrase", sorted(set(_rule_phrases())))
def test_as_before_on_the_rules_phrases(phrase: str) -> None:
    assert whole_paragraph_rule(phrase, COMPILED) == oracles.whole_paragraph_rule(phrase, COMPILED)
    new, old = next(_paragraphs(phrase)), next(_paragraphs(phrase))
    _strip_edges(phrase, new, COMPILED)
    oracles.strip_edges(phrase, old, COMPILED)
    assert new == old


def test_the_rules_phrases_are_found() -> None:
    """The comparison above is not between two functions that find nothing."""
    found = {whole_paragraph_rule(p, COMPILED) for p in _rule_phrases()} - {None}
    assert {"read_more_link", "related_heading", "share_prompt"} <= found
    cut = set()
    for phrase in _rule_phrases():
        paragraph = next(_paragraphs(phrase))
        _strip_edges(phrase, paragraph, COMPILED)
        cut.update(rule for _, _, rule in paragraph.cuts)
    assert {"source_attribution", "editor_credit"} <= cut


def test_strip_edges_as_before_on_real_texts() -> None:
    cuts = 0
    for text in real_texts():
        for new, old in zip(_paragraphs(text), _paragraphs(text), strict=True):
            _strip_edges(text, new, COMPILED)
            oracles.strip_edges(text, old, COMPILED)
            assert new == old, text[new.start : new.end]
            cuts += len(new.cuts)
    assert cuts > 5


def test_is_prose_as_before_on_real_paragraphs() -> None:
    answers = set()
    for paragraph in real_paragraphs():
        for weak in (False, True):
            expected = oracles.is_prose(paragraph, METADATA, weak)
            assert is_prose(paragraph, METADATA, weak) == expected, paragraph
            answers.add(expected)
    assert answers == {True, False}


def test_common_words_as_before_on_real_texts() -> None:
    for text in real_texts():
        expected = {word for word in (m.group(0) for m in _WORD.finditer(text)) if word.islower()}
        assert set(filter(str.islower, _WORD.findall(text))) == expected


def test_match_widths_bound_every_match() -> None:
    """A whole-paragraph pattern's matches are as long as its widths say: a paragraph of
    another length is never tried, so a width too narrow would lose a match."""
    lengths = 0
    for paragraph in real_paragraphs():
        stripped = paragraph.strip()
        for (_, pattern), (fewest, most) in zip(
            COMPILED.whole_patterns, COMPILED.whole_widths, strict=True
        ):
            if pattern.fullmatch(stripped):
                assert fewest <= len(stripped) <= most
                lengths += 1
    assert lengths > 10
    assert patterns.match_widths("ab?c{2,3}") == (3, 5)


@pytest.fixture
def empty_memo() -> Iterator[None]:
    identify_language._labels.clear()
    identify_language._guesses.clear()
    yield
    identify_language._labels.clear()
    identify_language._guesses.clear()


def test_model_label_is_the_models_label_and_asks_once(
    empty_memo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = identify_language.language_identifier()
    texts = [text[:3000] for text in real_texts()[:12]]
    expected = [str(model.classify(text)[0]) for text in texts]
    asked: list[str] = []
    classify = type(model).classify
    monkeypatch.setattr(
        type(model), "classify", lambda self, text: asked.append(text) or classify(self, text)
    )
    assert [identify_language.model_label(t) for t in texts] == expected
    assert [identify_language.model_label(t) for t in texts] == expected
    assert len(asked) == len(set(texts))  # the second round was remembered


def test_model_label_memo_is_bounded(empty_memo: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(identify_language, "IDENTIFIED_TEXTS", 3)
    texts = [
        "Der Handel wächst.",
        "Trade grows.",
        "Торговля растёт.",
        "贸易增长。",
        "Comerțul crește.",
    ]
    for text in texts:
        identify_language.model_label(text)
    assert len(identify_language._labels) == 3
    # The least recently asked went first; an answer asked again is the model's still.
    assert identify_language.model_label(texts[0]) == "de"


def test_identify_memo_is_bounded(empty_memo: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(identify_language, "GUESSED_TEXTS", 2)
    language = RULES["language"]
    for text in ("Der Handel wächst.", "Trade grows.", "Торговля растёт.", "贸易增长。"):
        identify_language.identify(text, language)
    assert len(identify_language._guesses) == 2
    assert identify_language.identify("Der Handel wächst.", language).language == "de"


def test_identify_remembered_equals_computed(empty_memo: None) -> None:
    language = RULES["language"]
    for text in real_texts()[:12]:
        first = identify_language.identify(text, language)
        assert identify_language.identify(text, language) == first
        sample = text[: identify_language.compile_rules(language).max_chars]
        assert first == identify_language._identify(sample, language)
    assert len(identify_language._guesses) == len(set(real_texts()[:12]))
