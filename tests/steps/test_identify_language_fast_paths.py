"""identify_language's fast paths give the answers of the code they replaced at 5d5e1a3
(``tests/oracles_language.py``): letters counted with a table, the model's probabilities
added up by column. On the repository's real text, its parts, and handmade text in
many scripts; hypothesis checks generated text
(``tests/property/test_identify_language_properties.py``).
"""

from __future__ import annotations

import random
import sys

import numpy as np
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


def test_every_weight_converted_as_numpy_converts_it() -> None:
    """weight_rows's float32 from the halves' bits is numpy's float16 -> float32, bit for
    bit, for every weight of the model (all of them negative normal halves)."""
    identifier = identifier_of_the_step()
    table = identifier.nb_ptc
    assert table.dtype == np.float16
    rows = identifier.weight_rows(np.arange(len(table), dtype=np.intp))
    assert rows.dtype == np.float32
    assert rows.view(np.uint32).tobytes() == table.astype(np.float32).view(np.uint32).tobytes()


def test_every_negative_normal_half_converted_as_numpy_converts_it() -> None:
    """Not only the model's: every half the bit rule is used for, and no other."""
    halves = np.arange(0x8000, 0x10000, dtype=np.uint32).astype(np.uint16)
    table = halves.view(np.float16).reshape(-1, 1)
    normal = identify_language._negative_normal_halves(table[0x0400:0x7C00])
    assert normal is not None
    bits = (normal.astype(np.uint32) << 13) + identify_language._HALF_TO_SINGLE
    assert bits.tobytes() == table[0x0400:0x7C00].astype(np.float32).view(np.uint32).tobytes()
    # Zero, a subnormal, infinity, NaN, a positive number: left to numpy.
    for odd in (0x8000, 0x8001, 0xFC00, 0xFE00, 0x3C00):
        mixed = np.array([[0xBC00], [odd]], dtype=np.uint16).view(np.float16)
        assert identify_language._negative_normal_halves(mixed) is None
    assert identify_language._negative_normal_halves(table.astype(np.float32)) is None


def identifier_of_the_step() -> identify_language.ArrayLanguageIdentifier:
    identifier = identify_language.language_identifier()
    assert isinstance(identifier, identify_language.ArrayLanguageIdentifier)
    return identifier


def test_raw_scores_as_before_bit_for_bit() -> None:
    """The scores from float32 rows are the ones einsum made converting the float16 rows
    itself: on real text in several languages, its parts, and random bytes."""
    identifier = identifier_of_the_step()
    rng = random.Random(11)
    samples = [text.encode("utf-8", "surrogatepass") for text in _samples()]
    samples += [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 5000))) for _ in range(60)]
    samples.append("\n".join(_samples()).encode("utf-8", "surrogatepass"))
    for data in samples:
        expected = oracles_language.raw_score(identifier, data)
        assert identifier._raw_score(data).tobytes() == expected.tobytes(), data[:80]


def _bytes_in_many_scripts() -> list[bytes]:
    """Real and handmade text in several scripts, every one of them joined, texts shorter
    than the trie is deep, and random bytes (walks that die at once, or never start)."""
    rng = random.Random(17)
    samples = [text.encode("utf-8", "surrogatepass") for text in _samples()]
    samples.append("\n".join(_samples()).encode("utf-8", "surrogatepass"))
    samples += [b"", b"a", b"th", "中".encode(), b"\x00\xff\x00", bytes(range(256)) * 3]
    samples += [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000))) for _ in range(40)]
    return samples


def test_trie_walk_as_before() -> None:
    trie = identifier_of_the_step()._trie
    for data in _bytes_in_many_scripts():
        expected = oracles_language.trie_features(trie, data)
        found = trie.features(data)
        assert found.dtype == expected.dtype
        assert found.tolist() == expected.tolist(), data[:80]


def test_feature_counts_as_before() -> None:
    """The same features, the same counts, in the same order (of first occurrence)."""
    identifier = identifier_of_the_step()
    for data in _bytes_in_many_scripts():
        features, counts = identifier.visits(data)
        expected_features, expected_counts = oracles_language.visits(identifier._trie, data)
        assert features.tolist() == expected_features.tolist(), data[:80]
        assert counts.tolist() == expected_counts.tolist(), data[:80]


def test_every_weight_scaled_exactly() -> None:
    """scaled_weight_rows's numbers are weight_rows's times -2**-80, for every weight of
    the model: scaled back, the very same float32."""
    identifier = identifier_of_the_step()
    features = np.arange(len(identifier.nb_ptc), dtype=np.intp)
    scaled = identifier.scaled_weight_rows(features)
    assert scaled is not None
    back = scaled * identify_language._SCALE_OF_WEIGHTS
    assert back.tobytes() == identifier.weight_rows(features).tobytes()
    # Normal numbers (no subnormal), as the exactness of the scaled products needs.
    assert (scaled >= np.finfo(np.float32).tiny).all()
