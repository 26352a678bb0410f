"""identify_language's fast paths give the answers of the code they replaced at 5d5e1a3
(``tests/oracles_language.py``): letters counted with a table, the model's probabilities
added up by column. On the repository's real text, its parts, and handmade text in
many scripts; hypothesis checks generated text
(``tests/property/test_identify_language_properties.py``).
"""

from __future__ import annotations

import sys

import pytest

from curation.rules import load_rules
from curation.steps import identify_language
from tests import oracles_language
from tests.steps.test_fast_paths import real_texts

LANGUAGE = load_rules()["language"]

# Scripts with and without letters, digits and marks that are no letters, the last code
# point of the table and the first after it, letters above it (mathematical, CJK
# extension B), lone surrogates, and labels py3langid folds (Cantonese, Wu).
HANDMADE = [
    "",
    "2024 — 12:30, №5.",
    "Trade rose 3% in 2024.",
    "Торговля выросла на треть.",
    "中俄贸易增长了三分之一。粵語係香港嘅主要語言。上海闲话老好听个。",
    "التجارة نمت بنسبة الثلث",
    "व्यापार में वृद्धि हुई",
    "ǅemal İstanbul ß ﬁ Ⅻ ⅻ ② ²",
    "\uffff\U00010000𝐀𝐁𝐂 𠀀𠀁 😀 \ud800\udfff",
    "Guvernul a aprobat ieri planificarea investițiilor pentru anul viitor.",
    "Der Handel zwischen den beiden Ländern ist um ein Drittel gewachsen.",
]


def _samples() -> list[str]:
    samples = list(HANDMADE)
    for text in real_texts():
        samples += [text, text[:60], text[-400:]]
    return samples


def test_letters_counted_as_before() -> None:
    for text in _samples():
        assert identify_language.count_letters(text) == oracles_language.count_letters(text), text


def test_letters_counted_as_before_on_every_code_point() -> None:
    """Each code point alone, and all of them in one text (the table and what is above it)."""
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    assert identify_language.count_letters(everything) == oracles_language.count_letters(everything)
    table = identify_language._letters_below()
    assert table.tolist() == [chr(code).isalpha() for code in range(len(table))]


@pytest.mark.parametrize("text", HANDMADE)
def test_guesses_as_before_on_handmade_text(text: str) -> None:
    assert identify_language._identify(text, LANGUAGE) == oracles_language.identify(text, LANGUAGE)


def test_guesses_as_before_on_real_text() -> None:
    languages = set()
    for text in _samples():
        guess = identify_language._identify(text, LANGUAGE)
        assert guess == oracles_language.identify(text, LANGUAGE), text[:80]
        languages.add(guess.language)
    assert {"en", "ru", "zh", "ro"} <= languages  # the corpus is there


def test_every_code_of_the_model_is_added_up() -> None:
    """Each published code's columns are the first of each of its labels, and a code with
    several labels (Chinese: zh, yue, wuu) has them all."""
    columns = dict(identify_language._columns_by_code(LANGUAGE))
    labels = identify_language.language_identifier().nb_classes
    assert len(columns["zh"]) >= 2
    for code, found in columns.items():
        for column in found:
            assert labels.index(labels[column]) == column
            rules = identify_language.compile_rules(LANGUAGE)
            assert identify_language.iso_639_1(labels[column], rules) == code
    assert list(columns) == sorted(columns)
