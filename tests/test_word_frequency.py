"""curation.word_frequency gives wordfreq's numbers from its compact tables, bit for bit."""

from __future__ import annotations

import random
import sys

import pytest
import wordfreq

from curation.word_frequency import FrequencyTable, frequency_table, zipf_frequency

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
