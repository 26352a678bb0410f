"""Near-duplicates: what the threshold separates, on synthetic texts (synthetic_text.py).

The cases around the threshold are the point: a copy with a sentence or two rewritten
must be caught, a text that shares only its subject or its first half must not.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from curation.contribute import near_duplicates
from curation.contribute.near_duplicates import (
    CANDIDATE_THRESHOLD,
    LSH_BANDS,
    LSH_ROWS,
    LSH_WEIGHTS,
    NEAR_DUPLICATE_THRESHOLD,
    NUM_PERM,
    Fingerprint,
    NearDuplicateIndex,
    SignatureScan,
    comparison_form,
    jaccard,
    near_duplicate_pairs,
    shingle_hashes,
)
from tests.contribute.synthetic_text import GERMAN, article, chinese_article, rewrite, wrap
from tests.oracles_datasketch import signature, signature_bytes, signature_from_bytes


def similarity(first: str, second: str) -> float:
    return jaccard(shingle_hashes(first), shingle_hashes(second))


def is_flagged(first: str, second: str) -> bool:
    """The verdict through the index, as check and add-seed reach it (LSH, then exact)."""
    index = NearDuplicateIndex([Fingerprint.of("first", first)])
    return bool(index.near_duplicates(Fingerprint.of("second", second)))


BASE = article(1)
TEXT = " ".join(BASE)

# (label, second text, near-duplicate?) -- the first text is TEXT.
NEAR_MISSES = [
    ("one sentence in fourteen rewritten", " ".join(rewrite(BASE, 1, seed=9)), True),
    ("two sentences rewritten", " ".join(rewrite(BASE, 2, seed=9)), True),
    ("a footer added", TEXT + " Subscribe to our newsletter for more news from the region.", True),
    ("five sentences rewritten", " ".join(rewrite(BASE, 5, seed=9)), False),
    ("seven sentences rewritten", " ".join(rewrite(BASE, 7, seed=9)), False),
    ("its first half only", " ".join(BASE[:7]), False),
    ("another article, same vocabulary", " ".join(article(2)), False),
]


@pytest.mark.parametrize(
    ("label", "second", "expected"), NEAR_MISSES, ids=[case[0] for case in NEAR_MISSES]
)
def test_threshold_separates_near_misses(label: str, second: str, expected: bool) -> None:
    assert (similarity(TEXT, second) >= NEAR_DUPLICATE_THRESHOLD) is expected, label
    assert is_flagged(TEXT, second) is expected, label


def test_layout_case_and_punctuation_do_not_count() -> None:
    assert similarity(TEXT, wrap(TEXT, 60, hyphenate=True)) == 1.0
    assert similarity(TEXT, TEXT.upper().replace(".", "!")) == 1.0
    chinese = "".join(chinese_article(1))
    half_width = chinese.replace("。", ". ")
    assert similarity(chinese, half_width) == 1.0
    assert comparison_form("Ａ\N{NO-BREAK SPACE}b") == comparison_form("a b")  # NFKC


def test_chinese_without_spaces() -> None:
    sentences = chinese_article(1)
    text = "".join(sentences)
    assert is_flagged(text, "".join(rewrite(sentences, 1, seed=5, chinese=True)))
    assert not is_flagged(text, "".join(rewrite(sentences, 6, seed=5, chinese=True)))
    assert not is_flagged(text, "".join(chinese_article(2)))


def test_german_and_english_versions_are_not_duplicates() -> None:
    german = " ".join(article(3, words=GERMAN))
    assert similarity(german, " ".join(article(4, words=GERMAN))) < NEAR_DUPLICATE_THRESHOLD
    assert similarity(german, TEXT) < 0.05


def test_index_finds_every_pair_at_the_threshold() -> None:
    """LSH proposes candidates from 0.5 up, so pairs just above 0.7 are never missed."""
    originals, variants = [], []
    for seed in range(60):
        sentences = article(100 + seed, sentences=20)
        for count in (3, 4, 5):  # ≈0.8, ≈0.75, ≈0.7 for 20 sentences
            changed = " ".join(rewrite(sentences, count, seed=seed))
            if similarity(" ".join(sentences), changed) >= NEAR_DUPLICATE_THRESHOLD:
                originals.append(Fingerprint.of(f"o{seed:02d}", " ".join(sentences)))
                variants.append((f"o{seed:02d}", Fingerprint.of(f"v{seed:02d}", changed)))
                break
    assert len(variants) >= 50
    index = NearDuplicateIndex(originals)
    for original, variant in variants:
        found = [n.key for n in index.near_duplicates(variant)]
        assert original in found, (
            original,
            similarity(variant.text, index_text(originals, original)),
        )


def index_text(fingerprints: list[Fingerprint], key: str) -> str:
    return next(f.text for f in fingerprints if f.key == key)


def test_below_the_threshold_is_never_reported_even_as_a_candidate() -> None:
    assert CANDIDATE_THRESHOLD < NEAR_DUPLICATE_THRESHOLD
    second = " ".join(rewrite(BASE, 5, seed=9))
    assert CANDIDATE_THRESHOLD <= similarity(TEXT, second) < NEAR_DUPLICATE_THRESHOLD
    index = NearDuplicateIndex([Fingerprint.of("a", TEXT)])
    assert index.near_duplicates(Fingerprint.of("b", second)) == []
    assert index.near_duplicates(Fingerprint.of("b", second), threshold=0.5)[0].key == "a"


def candidate_corpus() -> list[Fingerprint]:
    """Originals, rewrites of one of them, halves, Chinese texts, a wrapped copy, an
    empty text and German: texts whose LSH bands collide a little, a lot, or not."""
    texts = {f"a{n}": " ".join(article(n)) for n in range(1, 6)}
    texts |= {f"r{k}": " ".join(rewrite(article(1), k, seed=k)) for k in range(1, 9)}
    texts |= {f"half{n}": " ".join(article(n)[:7]) for n in range(1, 3)}
    texts |= {f"zh{n}": "".join(chinese_article(n)) for n in range(1, 4)}
    texts |= {
        f"zh-r{k}": "".join(rewrite(chinese_article(1), k, seed=k, chinese=True)) for k in (1, 4)
    }
    texts |= {"wrapped": wrap(" ".join(article(2)), 60), "empty": "...", "de": " ".join(GERMAN)}
    return [Fingerprint.of(key, text) for key, text in sorted(texts.items())]


def test_the_index_proposes_the_candidates_datasketchs_lsh_does() -> None:
    # The index's bands are datasketch's choice for the candidate threshold, and its
    # buckets propose what MinHashLSH's do (reported at threshold 0.0: every candidate).
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=CANDIDATE_THRESHOLD, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
    assert (lsh.b, lsh.r) == (LSH_BANDS, LSH_ROWS)
    fingerprints = candidate_corpus()
    index = NearDuplicateIndex(fingerprints)
    for fingerprint in fingerprints:
        if not fingerprint.is_empty:
            lsh.insert(fingerprint.key, signature(fingerprint))
    proposed = 0
    for query in [*fingerprints, Fingerprint.of("new", " ".join(rewrite(article(1), 3, seed=99)))]:
        expected = set() if query.is_empty else set(lsh.query(signature(query))) - {query.key}
        assert {n.key for n in index.near_duplicates(query, 0.0)} == expected, query.key
        proposed += len(expected)
    assert proposed >= 20  # candidates were proposed, not only empty answers compared


@pytest.mark.parametrize("threshold", [0.0, CANDIDATE_THRESHOLD, NEAR_DUPLICATE_THRESHOLD])
def test_a_scan_answers_as_the_index_does(threshold: float) -> None:
    # At 0.0 every LSH candidate is reported with its similarity: the scan's bands must
    # propose exactly the texts the index's buckets do, not only the near-duplicates.
    fingerprints = candidate_corpus()
    index, scan = NearDuplicateIndex(fingerprints), SignatureScan(fingerprints)
    queries = [*fingerprints, Fingerprint.of("new", " ".join(rewrite(article(1), 3, seed=99)))]
    answers = [scan.near_duplicates(f, threshold) for f in queries]
    assert answers == [index.near_duplicates(f, threshold) for f in queries]
    assert sum(map(len, answers)) >= 10  # not two empty answers: ten at the decision threshold


def review_corpus() -> list[Fingerprint]:
    texts = {f"a{n}": " ".join(article(n)) for n in range(1, 9)}
    texts |= {f"r{k}": " ".join(rewrite(article(1), k, seed=k)) for k in range(1, 12)}
    texts |= {f"zh{n}": "".join(chinese_article(n)) for n in range(1, 3)}
    texts |= {"empty": "...", "half": " ".join(article(1)[:7])}
    return [Fingerprint.of(key, text) for key, text in sorted(texts.items())]


def test_a_scans_nearest_texts_are_the_indexs_in_a_small_corpus() -> None:
    fingerprints = review_corpus()  # fewer than NEAREST_MEASURED: every text is measured
    index, scan = NearDuplicateIndex(fingerprints), SignatureScan(fingerprints)
    for fingerprint in fingerprints:
        for skip in (None, lambda key: key.startswith("r")):
            assert scan.nearest(fingerprint, 5, skip) == index.nearest(fingerprint, 5, skip)


def test_a_scan_measures_the_texts_its_estimates_rank_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With four texts measured, the rewrites of article 1 (one to four sentences in
    # fourteen, the most similar) are still found: their estimates rank them first.
    monkeypatch.setattr(near_duplicates, "NEAREST_MEASURED", 4)
    fingerprints = review_corpus()
    query = Fingerprint.of("new", " ".join(article(1)))
    nearest = SignatureScan(fingerprints).nearest(query, 3)
    assert nearest == NearDuplicateIndex(fingerprints).nearest(query, 3)
    assert [n.key for n in nearest] == ["a1", "r1", "r2"]
    measured: list[str] = []
    real_jaccard = near_duplicates.jaccard

    def counted(first: np.ndarray, second: np.ndarray) -> float:
        measured.append("")
        return real_jaccard(first, second)

    monkeypatch.setattr(near_duplicates, "jaccard", counted)
    SignatureScan(fingerprints).nearest(query, 3)
    assert len(measured) == 4  # not the whole corpus


def test_pairs_are_reported_once_on_the_later_text() -> None:
    fingerprints = [
        Fingerprint.of("002", " ".join(rewrite(BASE, 1, seed=3))),
        Fingerprint.of("001", TEXT),
        Fingerprint.of("003", " ".join(article(7))),
    ]
    pairs = near_duplicate_pairs(fingerprints)
    assert [(later, n.key) for later, n in pairs] == [("002", "001")]


def test_texts_without_letters_are_similar_to_nothing() -> None:
    empty = Fingerprint.of("dots", "... --- !!!")
    assert empty.is_empty
    index = NearDuplicateIndex([empty, Fingerprint.of("other", "--- ... ???")])
    assert index.near_duplicates(Fingerprint.of("q", "!!! ...")) == []
    assert similarity("...", "...") == 0.0


def test_short_texts_are_one_shingle() -> None:
    assert len(shingle_hashes("abc")) == 1
    assert similarity("abc", "ABC!") == 1.0


def test_signatures_survive_a_cache_round_trip() -> None:
    fingerprint = Fingerprint.of("a", TEXT)
    restored = signature_from_bytes(signature_bytes(signature(fingerprint)))
    assert restored.jaccard(signature(fingerprint)) == 1.0
    assert (restored.hashvalues == signature(fingerprint).hashvalues).all()


def test_signatures_are_the_same_in_every_process() -> None:
    code = (
        "from curation.contribute.near_duplicates import Fingerprint;"
        "print(Fingerprint.of('k', 'Trade grew, 中俄合作。').values.astype('<u4').tobytes().hex())"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


@pytest.mark.parametrize(("num_perm", "seed"), [(128, 1), (64, 7), (256, 12345)])
def test_permutations_are_datasketchs(num_perm: int, seed: int) -> None:
    # Drawn here so that the build need not import datasketch (and scipy with it).
    from datasketch import MinHash

    from curation.contribute.near_duplicates import _permutations

    multipliers, offsets = _permutations(num_perm, seed)
    theirs = MinHash(num_perm=num_perm, seed=seed).permutations
    assert multipliers.tolist() == theirs[0].tolist()
    assert offsets.tolist() == theirs[1].tolist()
