"""The record cache's state of a build answers what plain sets and dicts answered.

What a build keeps per record in the writing process (the memos' digests, the
entries of the packs it wrote) is held in flat buffers and sorted arrays
(:class:`curation.packed.SortedDigests`, ``cache._Written``) so that it stays small
at 100,000 records. Here each is run beside the plain structure it replaced, and
the memo files are compared byte for byte with what the replaced encoders wrote.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curation import cache as cache_module
from curation import packed, word_frequency
from curation.cache import RecordCache
from curation.corpus.dedup_exact import text_digest
from curation.corpus.dedup_near import NearDupRules, signature
from curation.packed import SortedDigests, sorted_distinct
from curation.rules import load_rules
from curation.steps import PIPELINE, identify_language

RULES = load_rules()
STEPS = PIPELINE[:2]


def items_of(width: int) -> st.SearchStrategy[list[bytes]]:
    """Items of ``width`` bytes, many sharing their first 8 bytes (the search's key)."""
    common = st.sampled_from([bytes(8), b"\xff" * 8, b"prefix!!"])
    prefixes = common | st.binary(min_size=8, max_size=8)
    item = st.tuples(prefixes, st.binary(min_size=width - 8, max_size=width - 8))
    return st.lists(item.map(b"".join), max_size=60)


@pytest.mark.parametrize("width", [8, 16, 32])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_sorted_digests_find_what_a_sorted_set_holds(width: int, data: st.DataObject) -> None:
    items = data.draw(items_of(width))
    others = data.draw(items_of(width))
    digests = SortedDigests.of(b"".join(items), width)
    expected = sorted(set(items))
    assert digests.data == b"".join(expected)
    assert len(digests) == len(expected)
    for item in [*items, *others]:
        assert (item in digests) == (item in expected)
        assert digests.index(item) == (expected.index(item) if item in expected else None)
    first = {}
    for position, item in enumerate(items):
        first.setdefault(item, position)
    assert sorted_distinct(b"".join(items), width).tolist() == [first[i] for i in expected]


def test_sorted_digests_refuse_items_of_another_width() -> None:
    digests = SortedDigests.of(b"a" * 16, 16)
    assert digests.index(b"a" * 8) is None
    assert "a" * 16 not in digests
    with pytest.raises(ValueError, match="not items of 16 bytes"):
        SortedDigests(b"a" * 17, 16)
    with pytest.raises(ValueError, match="a multiple of 8"):
        sorted_distinct(b"a" * 12, 12)


@settings(max_examples=60, deadline=None)
@given(keys=items_of(32), data=st.data())
def test_written_entries_are_found_as_a_dict_finds_them(
    keys: list[bytes], data: st.DataObject
) -> None:
    adds = data.draw(st.lists(st.sampled_from(keys or [bytes(32)]), max_size=80))
    recent = data.draw(st.sampled_from([1, 2, 5, 4096]))
    # Keys and places in memory, or all but the newest few bytes in their files.
    spill_at = data.draw(st.sampled_from([1, 50, 1 << 18]))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache_module, "RECENT_ENTRIES", recent)
        patch.setattr(packed, "SPILL_BYTES", spill_at)
        written = cache_module._Written()
        reference: dict[bytes, tuple[int, int, int]] = {}
        for number, key in enumerate(adds):
            written.add(key, number % 3, 10 * number, number + 1)
            reference.setdefault(key, (number % 3, 10 * number, number + 1))
            assert len(written) == len(reference)
    for key in {*adds, *keys, b"\x01" * 32}:
        position = written.find(key)
        if key in reference:
            assert position is not None
            assert written.place(position) == reference[key]
            assert written.key(position) == key
        else:
            assert position is None
    assert [written.key(n) for n in range(len(written))] == list(reference)


# The memo files as the encoders before the compact state wrote them (a dict of
# signatures; a set of hex digests), to compare the new files with byte for byte.


def encode_signatures_as_before(signatures: dict[bytes, np.ndarray]) -> bytes:
    digests = sorted(signatures)
    lengths = np.array([len(signatures[d]) for d in digests], dtype="<u4")
    body = b"".join(digests) + lengths.tobytes()
    body += b"".join(signatures[d].astype("<u4").tobytes() for d in digests)
    header = b"%s %d %d %s\n" % (
        cache_module.SIGNATURES_MAGIC,
        cache_module.CACHE_FORMAT,
        len(digests),
        hashlib.sha256(body).hexdigest().encode(),
    )
    return header + body


def encode_digests_as_before(digests: set[str]) -> bytes:
    body = b"".join(bytes.fromhex(digest) for digest in sorted(digests))
    header = b"%s %d %d %s\n" % (
        cache_module.SIDECARS_MAGIC,
        cache_module.CACHE_FORMAT,
        len(digests),
        hashlib.sha256(body).hexdigest().encode(),
    )
    return header + body


def memo_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def test_a_saved_signature_memo_is_the_file_the_dict_gave_read_in_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "SIGNATURES_PER_READ", 2)
    near = NearDupRules.from_rules(RULES["dedup"])
    texts = [f"Text number {n} of the memo, with words enough to shingle." for n in range(7)]
    texts += ["", "中文新闻，今天。", texts[3], texts[0], ""]  # repeats, and no shingles
    cache = RecordCache(tmp_path)
    memo = cache.signature_memo(STEPS, RULES)
    for text in texts:
        memo.signature(text, near)
    memo.save()
    expected = {memo_key(text): signature(text, near) for text in texts}
    assert memo.path.read_bytes() == encode_signatures_as_before(expected)

    again = cache.signature_memo(STEPS, RULES)
    for text in reversed(texts):
        assert (again.signature(text, near) == expected[memo_key(text)]).all()
    assert again.hits == len(texts)
    writes: list[Path] = []
    monkeypatch.setattr(RecordCache, "write_atomically", lambda _, __, p, ___: writes.append(p))
    again.save()
    assert writes == []  # the same texts: the file is left as it is
    fewer = cache.signature_memo(STEPS, RULES)
    fewer.signature(texts[1], near)
    fewer.save()
    assert writes == [memo.path]


def test_a_memo_asked_again_after_it_was_saved_saves_every_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its values wait in a file written without a seek per text; save() reads that
    # file, and the texts asked after it must still land at its end, not over it.
    monkeypatch.setattr(cache_module, "SIGNATURES_PER_READ", 2)
    near = NearDupRules.from_rules(RULES["dedup"])
    texts = [f"Text number {n}, asked before or after the first save." for n in range(9)]
    memo = RecordCache(tmp_path).signature_memo(STEPS, RULES)
    for text in texts[:5]:
        memo.signature(text, near)
    memo.save()
    for text in texts[5:]:
        memo.signature(text, near)
    memo.save()
    expected = {memo_key(text): signature(text, near) for text in texts}
    assert memo.path.read_bytes() == encode_signatures_as_before(expected)


def test_a_memo_asked_a_batch_at_once_gives_and_saves_what_it_gives_one_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """values_of (what the passes ask a batch at a time): the rows of what values gives
    each text, found in the old file or computed; what it found is saved from the old
    file, and the file saved is the one a memo asked one text at a time would save."""
    monkeypatch.setattr(cache_module, "SIGNATURES_PER_READ", 3)
    near = NearDupRules.from_rules(RULES["dedup"])
    texts = [f"Text number {n} of the memo, with words enough to shingle." for n in range(9)]
    texts += ["", "中文新闻，今天。", "lone \ud800 surrogate", "..."]
    cache = RecordCache(tmp_path)
    first = cache.signature_memo(STEPS, RULES)
    for text in texts[::2]:  # the old file: every other text
        first.signature(text, near)
    first.save()
    asked = [*texts[1:], texts[4], texts[1]]  # some new, some remembered, repeats
    memo = cache.signature_memo(STEPS, RULES)
    rows, lengths = memo.signature.many(asked[:6])
    more_rows, more_lengths = memo.signature.many(asked[6:])
    rows, lengths = np.concatenate([rows, more_rows]), np.concatenate([lengths, more_lengths])
    for text, row, length in zip(asked, rows, lengths, strict=True):
        expected = signature(text, near)
        assert length == len(expected) and (row[:length] == expected).all()
        assert not row[length:].any()
    assert memo.hits == sum(text in texts[::2] for text in asked)
    memo.save()
    one_at_a_time = RecordCache(tmp_path / "other").signature_memo(STEPS, RULES)
    for text in asked:
        one_at_a_time.signature(text, near)
    one_at_a_time.save()
    assert memo.path.read_bytes() == one_at_a_time.path.read_bytes()

    digests = cache.exact_digest_memo(STEPS, RULES)
    assert digests.digest.many(asked) == [text_digest(text) for text in asked]
    assert digests.digest(asked[0]) == text_digest(asked[0])


def test_a_saved_memo_of_valid_sidecars_is_the_file_the_set_gave(tmp_path: Path) -> None:
    digests = [hashlib.sha256(bytes([n % 5])).hexdigest() for n in range(12)]
    cache = RecordCache(tmp_path)
    memo = cache.valid_sidecars()
    for digest in digests:
        memo.add(digest)
    memo.add("not a digest")  # never found valid, never kept
    memo.save()
    assert memo.path.read_bytes() == encode_digests_as_before(set(digests))
    again = cache.valid_sidecars()
    assert all(digest in again for digest in digests)
    assert hashlib.sha256(b"other").hexdigest() not in again
    assert "not a digest" not in again


MODEL = identify_language.MODEL_DIR / identify_language.MODEL_FILE


def same_model(
    found: identify_language.ModelArrays, expected: identify_language.ModelArrays
) -> bool:
    """Whether two decoded models are the same arrays (dtypes included), labels and trie."""
    (ptc, pc, classes, trie), (ptc_, pc_, classes_, trie_) = found, expected
    arrays = [(ptc, ptc_), (pc, pc_), (trie.base, trie_.base), (trie.check, trie_.check)]
    arrays.append((trie.output, trie_.output))
    return (
        all(a.dtype == b.dtype and np.array_equal(a, b) for a, b in arrays)
        and classes == classes_
        and all(type(label) is str for label in classes)
        and (trie.depth, trie.root, trie.dead) == (trie_.depth, trie_.root, trie_.dead)
    )


def test_a_kept_language_model_is_the_model_the_file_decodes_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = identify_language.load_model(MODEL)
    memo = RecordCache(tmp_path).language_model_memo()
    assert same_model(memo.load(MODEL), expected)  # decoded, and kept
    kept = memo.path(MODEL)
    assert kept.parent == tmp_path / "models" and kept.is_file()

    def no_decoding(path: Path) -> identify_language.ModelArrays:
        raise AssertionError("decoded again")

    monkeypatch.setattr(identify_language, "load_model", no_decoding)
    assert same_model(RecordCache(tmp_path).language_model_memo().load(MODEL), expected)


@pytest.mark.parametrize("damage", ["a byte of the arrays", "cut short", "the header"])
def test_a_damaged_kept_language_model_is_ignored_and_kept_again(
    damage: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    expected = identify_language.load_model(MODEL)
    memo = RecordCache(tmp_path).language_model_memo()
    memo.load(MODEL)
    kept = memo.path(MODEL)
    data = bytearray(kept.read_bytes())
    if damage == "a byte of the arrays":
        data[len(data) // 2] ^= 1
    elif damage == "cut short":
        del data[-100:]
    else:
        data[:10] = b"x" * 10
    kept.write_bytes(bytes(data))
    cache = RecordCache(tmp_path)
    with caplog.at_level(logging.WARNING, logger="curation.cache"):
        assert same_model(cache.language_model_memo().load(MODEL), expected)
    assert "ignored damaged language model" in caplog.text and cache.stats.damaged == 1
    again = RecordCache(tmp_path)
    assert same_model(again.language_model_memo().load(MODEL), expected)
    assert again.stats.damaged == 0  # written again, whole


def test_the_language_step_reads_the_model_with_the_loader_lent_to_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A build with the record cache lends the memo's loader (curation.build.build_into);
    the identifier is then made of what it gives, and of load_model again after."""
    asked: list[Path] = []

    def loader(path: Path) -> identify_language.ModelArrays:
        asked.append(path)
        return identify_language.load_model(path)

    monkeypatch.setattr(
        identify_language, "language_identifier", identify_language.language_identifier.__wrapped__
    )
    with identify_language.load_model_with(loader):
        label = identify_language.language_identifier().classify("Die Minister trafen sich.")[0]
    assert asked == [MODEL] and label == "de"
    assert identify_language._model_loader is identify_language.load_model


def word_list(lang: str) -> str:
    """The path of the wordfreq list ``frequency_table(lang)`` reads."""
    return str(word_frequency._wordfreq().available_languages("best")[lang])


@pytest.mark.parametrize("lang", ["ro", "en"])
def test_a_kept_word_table_is_the_table_the_list_builds(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = word_list(lang)
    expected = word_frequency.build_table(source)
    memo = RecordCache(tmp_path).word_table_memo()
    assert memo.load(source) == expected  # built, and kept
    kept = memo.path(Path(source))
    assert kept.parent.parent == tmp_path / "words" and kept.is_file()

    def no_building(path: str) -> word_frequency.FrequencyTable:
        raise AssertionError("built again")

    monkeypatch.setattr(word_frequency, "build_table", no_building)
    found = RecordCache(tmp_path).word_table_memo().load(source)
    assert found == expected
    assert [type(getattr(found, name)) for name in ("words", "starts", "bands", "hashes")] == [
        type(getattr(expected, name)) for name in ("words", "starts", "bands", "hashes")
    ]


def test_a_word_table_kept_by_another_interpreter_gives_the_same_answers(tmp_path: Path) -> None:
    """The table is ordered by its words' hashes: kept by a process with another
    PYTHONHASHSEED, it is looked up here (with Python's own hash, the words would not be
    found where this process looks for them)."""
    source = word_list("ro")
    code = (
        "import sys; from pathlib import Path; from curation.cache import RecordCache; "
        "RecordCache(Path(sys.argv[1])).word_table_memo().load(sys.argv[2])"
    )
    for seed in ("1", "2"):
        subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / seed), source],
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        )
    one = RecordCache(tmp_path / "1").word_table_memo().load(source)
    assert one == RecordCache(tmp_path / "2").word_table_memo().load(source)
    built = word_frequency.build_table(source)
    words = [bytes(built.words[a:b]).decode() for a, b in itertools.pairwise(built.starts)]
    assert [one.frequency(w) for w in words[::50]] == [built.frequency(w) for w in words[::50]]
    assert all(one.frequency(w) is not None for w in words[::50])


@pytest.mark.parametrize("damage", ["a byte of the words", "cut short", "the header"])
def test_a_damaged_kept_word_table_is_ignored_and_kept_again(
    damage: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = word_list("ro")
    expected = word_frequency.build_table(source)
    memo = RecordCache(tmp_path).word_table_memo()
    memo.load(source)
    kept = memo.path(Path(source))
    data = bytearray(kept.read_bytes())
    if damage == "a byte of the words":
        data[len(data) // 4] ^= 1
    elif damage == "cut short":
        del data[-100:]
    else:
        data[:10] = b"x" * 10
    kept.write_bytes(bytes(data))
    cache = RecordCache(tmp_path)
    with caplog.at_level(logging.WARNING, logger="curation.cache"):
        assert cache.word_table_memo().load(source) == expected
    assert "ignored damaged word table" in caplog.text and cache.stats.damaged == 1
    again = RecordCache(tmp_path)
    assert again.word_table_memo().load(source) == expected
    assert again.stats.damaged == 0  # written again, whole


def test_the_word_frequencies_are_read_with_the_loader_lent_to_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A build with the record cache lends the memo's loader (curation.build.build_into);
    the table is then what it gives, and build_table's again after."""
    asked: list[str] = []

    def loader(path: str) -> word_frequency.FrequencyTable:
        asked.append(path)
        return word_frequency.build_table(path)

    monkeypatch.setattr(
        word_frequency, "frequency_table", word_frequency.frequency_table.__wrapped__
    )
    with word_frequency.load_tables_with(loader):
        table = word_frequency.frequency_table("ro")
    assert asked == [word_list("ro")] and table.frequency("și") is not None
    assert word_frequency._table_loader is word_frequency.build_table


def test_the_fingerprint_memo_outlives_an_edit_of_the_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # add-seed's and review's signatures depend on the text and near_duplicates.py only:
    # an edit elsewhere in the package (a new settings folder for the records) keeps them.
    from curation.contribute.near_duplicates import shingle_hashes
    from tests.oracles_datasketch import minhash

    texts = ["Trade grew by a third.", "数字丝绸之路 合作", "..."]
    cache = RecordCache(tmp_path)
    memo = cache.fingerprint_memo()
    for text in texts:
        expected = np.asarray(minhash(shingle_hashes(text)).hashvalues, dtype=np.uint32)
        assert (memo.values(text) == expected).all()
    memo.save()
    before = cache.folder(STEPS, RULES)
    monkeypatch.setattr(cache_module, "code_digest", lambda: "another edit of a step")
    again = RecordCache(tmp_path)
    assert again.folder(STEPS, RULES) != before
    kept = again.fingerprint_memo()
    for text in texts:
        kept.values(text)
    assert kept.hits == len(texts)
