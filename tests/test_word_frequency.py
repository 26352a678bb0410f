"""curation.word_frequency gives wordfreq's numbers from its compact tables, bit for bit."""

from __future__ import annotations

import random
import sys

import pytest
import wordfreq

from curation import word_frequency
from curation.word_frequency import FrequencyTable, frequency_table, zipf_frequency
from tests import oracles_word_frequency

# Words that go through wordfreq's tokenizer, digit smashing and rounding paths.
AWKWARD = [
    "",
    "   ",
    "...",
    "123",
    "2024",
    "1,000",
    "3.14",
    "x1y2",
    "don't",
    "don’t",
    "New York",
    "the the",
    "well-known",
    "раз-личных",
    "ÉCOLE",
    "ſ",
    "qwzxv",
    "\N{NO-BREAK SPACE}a",
    "\udcff",
]


@pytest.mark.parametrize("lang", ["en", "ru", "ro", "de", "pt-BR"])
def test_same_numbers_as_wordfreq(lang: str) -> None:
    listed = [word for bucket in wordfreq.get_frequency_list(lang) for word in bucket]
    sample = random.Random(lang).sample(listed, 1500)
    # Joined pairs: compounds that are listed or not, hyphenated forms (two tokens).
    words = sample + AWKWARD
    words += [a + b for a, b in zip(sample[:200], sample[200:400], strict=True)]
    words += [f"{a}-{b}" for a, b in zip(sample[:200], sample[200:400], strict=True)]
    different = [
        (word, zipf_frequency(word, lang), wordfreq.zipf_frequency(word, lang))
        for word in words
        if zipf_frequency(word, lang) != wordfreq.zipf_frequency(word, lang)
    ]
    assert not different


def test_a_word_listed_twice_has_its_last_band() -> None:
    table = FrequencyTable.from_buckets([[], ["word"], [], ["other", "word"]])
    assert table.frequency("word") == 10 ** (-3 / 100)
    assert table.frequency("other") == 10 ** (-3 / 100)
    assert table.frequency("wor") is None
    assert table.frequency("words") is None


def test_languages_are_matched_as_wordfreq_matches_them() -> None:
    # "pt-BR" reads the Portuguese list, "tlh" the nearest (English); "zz" none.
    for lang in ("pt-BR", "tlh"):
        assert zipf_frequency("palavra", lang) == wordfreq.zipf_frequency("palavra", lang)
    with pytest.raises(LookupError, match="No wordlist 'best' available for language 'zz'"):
        wordfreq.zipf_frequency("word", "zz")
    with pytest.raises(LookupError, match="No wordlist 'best' available for language 'zz'"):
        zipf_frequency("word", "zz")


def test_a_table_holds_no_object_per_word() -> None:
    # The Russian list has some 700,000 words: wordfreq's dict of them takes over
    # 100 MiB. The table is a few flat buffers, near the size of the words' bytes.
    table = frequency_table("ru")
    assert len(table.bands) > 500_000
    held = sum(sys.getsizeof(getattr(table, name)) for name in FrequencyTable.__slots__)
    assert held < 32 * 2**20


@pytest.mark.parametrize("bits", [0, 1, 32])
def test_a_hash_collision_cannot_change_an_answer(
    monkeypatch: pytest.MonkeyPatch, bits: int
) -> None:
    # With 0 bits every word has the same hash, with 1 bit half of them: the answers
    # are those of the full 32 bits, since every hit is checked against the bytes.
    monkeypatch.setattr(word_frequency, "word_hash", lambda data: hash(data) & ((1 << bits) - 1))
    buckets = [["a", "bb"], [], ["ccc", "a", "дом"], ["bb", "", "e\udcff"]]
    table = FrequencyTable.from_buckets(buckets)
    expected = {"ccc": 2, "a": 2, "дом": 2, "bb": 3, "": 3, "e\udcff": 3}
    for word, band in expected.items():
        assert table.frequency(word) == 10 ** (-band / 100)
    for unknown in ("b", "cc", "aa", "до", "дома", "e"):
        assert table.frequency(unknown) is None
    assert sorted(table.hashes) == list(table.hashes)


def test_a_table_keeps_ten_bytes_a_word_besides_its_bytes() -> None:
    table = frequency_table("en")
    arrays = ("starts", "bands", "hashes")
    per_word = sum(getattr(table, name).itemsize for name in arrays)
    assert per_word == 10
    assert len(table.starts) == len(table.bands) + 1 == len(table.hashes) + 1
    assert len(table.words) == table.starts[-1]


@pytest.mark.parametrize("lang", ["en", "ro", "zh"])
def test_tables_built_a_bucket_at_a_time_as_a_word_at_a_time(lang: str) -> None:
    """The arrays of the build at 5d5e1a3 (tests/oracles_word_frequency.py), byte for byte."""
    path = wordfreq.available_languages("best")[lang]
    buckets = list(word_frequency._read_buckets(path))
    assert FrequencyTable.from_buckets(buckets) == oracles_word_frequency.table(buckets)


def test_handmade_tables_built_as_a_word_at_a_time() -> None:
    buckets = [[], ["a", "bb", "a"], [], ["дом", "", "e\udcff", "中文"], ["bb"] * 3, []]
    assert FrequencyTable.from_buckets(buckets) == oracles_word_frequency.table(buckets)
    assert FrequencyTable.from_buckets([]) == oracles_word_frequency.table([])
