"""identify_language as it was at 5d5e1a3, kept to check the faster one against, as
``tests/oracles.py`` keeps the page reading's.

The step now counts letters with a table instead of a Counter, and reads the model's
probabilities by column instead of through py3langid's sorted ``rank``; after 1ce824c,
the trie's walk and the counting of its features were made cheaper (their old forms
are here too). Tests compare old and new on real, handmade and generated text
(``tests/steps/test_identify_language_fast_paths.py``,
``tests/property/test_identify_language_properties.py``).
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from curation.ngram_trie import NgramTrie
from curation.rules import RulesFile
from curation.steps.identify_language import (
    ArrayLanguageIdentifier,
    LanguageGuess,
    compile_rules,
    iso_639_1,
    language_identifier,
)


def count_letters(text: str) -> int:
    """identify_language.count_letters: each distinct character asked."""
    return sum(count for character, count in Counter(text).items() if character.isalpha())


def identify(sample: str, rules_file: RulesFile) -> LanguageGuess:
    """identify_language._identify: the labels as py3langid's rank sorts them."""
    rules = compile_rules(rules_file)
    letters = count_letters(sample)
    if not letters:
        return LanguageGuess(None, None, 0)
    by_code: dict[str, list[float]] = {}
    for label, probability in language_identifier().rank(sample):
        code = iso_639_1(label, rules)
        if code is not None:
            by_code.setdefault(code, []).append(probability)
    # fsum is exact whatever the order, so the sum cannot depend on rank's ties.
    totals = {code: math.fsum(probabilities) for code, probabilities in by_code.items()}
    if not totals:  # a model without one ISO 639-1 label; not py3langid's
        return LanguageGuess(None, None, letters)
    best = min(totals, key=lambda code: (-totals[code], code))
    scores = tuple(
        (code, round(min(total, 1.0), rules.score_decimals))
        for code, total in sorted(totals.items())
    )
    return LanguageGuess(best, dict(scores)[best], letters, scores)


def raw_score(identifier: ArrayLanguageIdentifier, data: bytes) -> np.ndarray:
    """ArrayLanguageIdentifier._raw_score as it was at 2af1178: the float16 rows given to
    einsum, which converts them itself."""
    features, counts = identifier.visits(data)
    if not len(features):
        return identifier._raw_score(b"")  # type: ignore[no-any-return]
    rows = identifier.nb_ptc[features.astype(np.intp)]
    weights = np.log1p(counts.astype(np.float32))
    return np.einsum("i,ij->j", weights, rows) + identifier.nb_pc  # type: ignore[no-any-return]


def trie_features(trie: NgramTrie, data: bytes) -> np.ndarray:
    """NgramTrie.features as it was at 1ce824c: ``intp`` slots, every round a ``where``
    over all positions, the first round a lookup like the others."""
    codes = np.frombuffer(data, dtype=np.uint8).astype(np.intp)
    nodes = np.full(len(codes), trie.root, dtype=np.intp)
    longest = nodes.copy()
    for step in range(min(trie.depth, len(codes))):
        nodes = nodes[: len(codes) - step]
        children = trie.base[nodes] + codes[step:]
        exists = trie.check[children] == nodes
        nodes = np.where(exists, children, trie.dead)
        longest[step:] = np.where(exists, children, longest[step:])
    return trie.output[longest]  # type: ignore[no-any-return]


def visits(trie: NgramTrie, data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """ArrayLanguageIdentifier.visits as it was at 1ce824c: pairs packed by multiplying,
    read back by division, and the distinct features put in order by an argsort."""
    features = trie_features(trie, data)
    positions = np.flatnonzero(features >= 0)
    span = len(data) + 1
    pairs = np.sort(features[positions].astype(np.intp) * span + positions)
    runs = np.flatnonzero(np.diff(pairs // span, prepend=-1))
    counts = np.diff(runs, append=len(pairs))
    order = np.argsort(pairs[runs] % span)
    return (pairs[runs] // span)[order], counts[order]
