"""remove_repeats' algorithms that faster ones replaced, kept as they were (fe50d69) to check
the new ones against, as ``tests/oracles.py`` keeps the page reading's.

Tests compare old and new on handmade text in several scripts
(``tests/steps/test_remove_repeats_fast_paths.py``) and on generated text
(``tests/property/test_remove_repeats_properties.py``): the faster code must give the
same answer on every input, not on most. :func:`run` is the step as it was at 5d5e1a3,
before the rounds of a run shared their paragraphs' folds and sentences' clauses.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Callable

import numpy as np

from curation.record import Record
from curation.rules import RuleSet, RulesFile
from curation.steps import remove_repeats
from curation.steps.base import StepOutput
from curation.steps.remove_repeats import (
    _NON_WORD_TO_SPACE,
    STEP_ID,
    Facts,
    RepeatRules,
    _ascii_to_form,
    _Clauses,
    _Folded,
    _non_word_run,
    _Reading,
    _Rounds,
    _script_ranges,
    compile_rules,
    find_repeats,
    segmentation_language,
    sentence_spans,
    word_list_language,
)


def comparison_form(text: str, rules: RepeatRules) -> str:
    """remove_repeats.comparison_form: every character translated by the table."""
    if text.isascii() and not rules.ascii_dense:
        return " ".join(text.encode("ascii").translate(_ascii_to_form()).decode("ascii").split())
    folded = unicodedata.normalize("NFKC", text).casefold()
    spaced = " ".join(folded.translate(_NON_WORD_TO_SPACE).split())
    return rules.space_between_dense.sub("", spaced) if " " in spaced else spaced


def script_counts_by_edges(text: str, rules: RepeatRules) -> list[int]:
    """remove_repeats._script_counts as it was at 1ce824c: each character placed among the
    edges of the scripts' ranges by a binary search."""
    ranges = _script_ranges(rules.script_classes)
    assert ranges is not None
    edges, by_script = ranges
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    places = np.bincount(
        np.searchsorted(edges, codes, side="right"), minlength=len(edges) + 1
    ).tolist()
    return [sum(places[place] for place in places_of) for places_of in by_script]


def spaced(folded: str) -> str:
    """remove_repeats._spaced as it was at 1ce824c: the characters that may change found by
    one alternation, "[^\\w\\s]|_"."""
    for character in set(re.findall(r"[^\w\s]|_", folded)):
        if _NON_WORD_TO_SPACE[ord(character)] == " ":
            folded = folded.replace(character, " ")
    return folded


def guess_language_by_script(text: str, rules_file: RulesFile) -> str:
    """remove_repeats._guess_language_by_script: each script's characters found one by one."""
    segmentation = rules_file["segmentation"]
    best_language, best_count = segmentation["default_language"], 0
    for entry in segmentation["script_languages"]:
        count = len(re.findall(f"[{entry['characters']}]", text))
        if count > best_count:  # strict: ties go to the earlier entry
            best_language, best_count = entry["language"], count
    return best_language


def vocabulary(key: str, rules: RepeatRules) -> Facts:
    """remove_repeats.vocabulary: each token asked whether it has a dense character."""
    words: set[str] = set()
    numbers: set[str] = set()
    bigrams: set[str] = set()
    for token in key.split():
        pieces = rules.dense_runs.findall(token) if rules.dense_character.search(token) else [token]
        for piece in pieces:
            if rules.dense_character.match(piece):
                if len(piece) == 1:
                    bigrams.add(piece)
                bigrams.update(piece[i : i + 2] for i in range(len(piece) - 1))
            elif piece.isdigit():
                numbers.add(piece)
            else:
                words.add(piece)
    return Facts(
        units=0,
        content_words=frozenset(),
        words=frozenset(words),
        numbers=frozenset(numbers),
        bigrams=frozenset(bigrams),
        dense=False,
        first=None,
        last=None,
    )


class ReadingEachToken(_Reading):
    """remove_repeats._Reading: each token asked whether it has a dense character."""

    __slots__ = ()

    def _add(self, token: str, sentence_start: bool) -> None:
        rules = self.rules
        pieces = rules.dense_runs.findall(token) if rules.dense_character.search(token) else [token]
        for piece in pieces:
            if rules.dense_character.match(piece):
                folded = piece.casefold()
                grams = (
                    [folded]
                    if len(folded) == 1
                    else [folded[i : i + 2] for i in range(len(folded) - 1)]
                )
                self.bigrams.update(grams)
                self.units.append(("bigram", grams[0], grams[-1], piece, False))
            elif piece.isdigit():
                self.numbers.add(piece)
                self.units.append(("number", piece, piece, piece, False))
            else:
                word = piece.casefold()
                self.words.add(word)
                self.units.append(("word", word, word, piece, sentence_start))
            sentence_start = False


class ReadingByMatches(_Reading):
    """remove_repeats._Reading.__init__ as it was at 1ce824c: the text's non-word runs
    found one match at a time, each asked whether it holds a sentence end."""

    __slots__ = ()

    def __init__(
        self, text: str, word_language: Callable[[], str | None], rules: RepeatRules
    ) -> None:
        self.rules = rules
        self.word_language = word_language
        self.units = []
        self.words = set()
        self.numbers = set()
        self.bigrams = set()
        normalized = unicodedata.normalize("NFKC", text)
        self.dense = rules.dense_character.search(normalized) is not None
        sentence_start = True
        position = 0
        for match in _non_word_run().finditer(normalized + " "):
            token = normalized[position : match.start()]
            position = match.end()
            if token:
                self._add(token, sentence_start)
                sentence_start = False
            if not rules.restatement.sentence_end.isdisjoint(match.group()):
                sentence_start = True


class NothingRemembered(_Rounds):
    """What find_repeats read before the rounds of a run shared anything (5d5e1a3): each
    paragraph folded, segmented, and each sentence cut into clauses afresh."""

    def fold(self, paragraph: str) -> tuple[_Folded, str]:
        fold = _Folded(paragraph, self.rules)
        return fold, fold.form(0, len(fold.text))

    def sentence_spans(self, paragraph: str, language: str) -> list[tuple[int, int]]:
        return sentence_spans(paragraph, language)

    def clauses(self, sentence: str, key: str, folded: _Folded | None) -> _Clauses:
        return _Clauses.of(sentence, key, self.rules, folded)


def run(record: Record, rules: RuleSet) -> StepOutput:
    """remove_repeats.run at 5d5e1a3: each round reads its text afresh."""
    rules_file = rules["repeats"]
    compiled = compile_rules(rules_file)
    text = record.text
    word_language = functools.cache(lambda: word_list_language(text, record, rules))
    for round_number in itertools.count(1):
        language = segmentation_language(record.text, record, compiled)
        changes = find_repeats(
            record.text,
            language,
            rules_file,
            record.title,
            word_language,
            NothingRemembered(compiled),
        )
        if not changes:
            break
        step = STEP_ID if round_number == 1 else f"{STEP_ID}/round{round_number}"
        record = record.with_changes(step, changes)
    return (record,)


def clause_pieces(sentence: str, rules: RepeatRules) -> list[tuple[int, int, str | None]]:
    """remove_repeats._clause_pieces (without a known form or fold) as it was at 89a47d4:
    the cuts are clause_boundary's matches, found by scanning the whole sentence."""
    cuts = [match.end() for match in rules.clause_boundary.finditer(sentence)]
    spans: list[tuple[int, int, str | None]] = []
    start = piece_start = 0
    weight = 0
    key: str | None = None
    for end in [*cuts, len(sentence)]:
        piece_key = remove_repeats.comparison_form(sentence[piece_start:end], rules)
        key = piece_key if piece_start == start else None
        weight += remove_repeats.weighted_length(piece_key, rules)
        piece_start = end
        if weight >= rules.min_clause_chars:
            spans.append((start, end, key))
            start, weight = end, 0
    if start < len(sentence):
        if spans:
            spans[-1] = (spans[-1][0], len(sentence), None)
        else:
            spans.append((start, len(sentence), key))
    return spans
