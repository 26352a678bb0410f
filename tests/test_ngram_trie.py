"""curation.ngram_trie finds, at every byte, the feature py3langid's automaton outputs there."""

from __future__ import annotations

import functools
import random
from typing import Any

import numpy as np
import pytest

from curation.ngram_trie import NgramTrie
from curation.steps import identify_language


@functools.cache
def _py3langid() -> Any:
    """py3langid's own identifier, with its automaton (ours keeps only the trie)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE)


def _automaton_features(data: bytes) -> np.ndarray:
    """The feature of py3langid's automaton state after each byte: its table, walked from
    the start over each position's last six bytes (the trie's depth)."""
    plain = _py3langid()
    nextmove = np.frombuffer(plain.tk_nextmove, dtype=np.uint32)
    rowbase = np.asarray(plain._rowbase, dtype=np.intp)
    codes = np.frombuffer(data, dtype=np.uint8).astype(np.intp)
    states = np.zeros(len(codes), dtype=np.intp)
    for back in range(min(6, len(codes)) - 1, -1, -1):
        states[back:] = nextmove[rowbase[states[back:]] + codes[: len(codes) - back]]
    return np.asarray(plain.tk_output, dtype=np.intp)[states]


def _node_strings(trie: NgramTrie) -> list[bytes]:
    """Every node's string, read from the trie upwards (the root's is empty)."""
    strings = {trie.root: b""}
    pending = [int(slot) for slot in np.flatnonzero(trie.check >= 0)]
    while pending:
        later = []
        for slot in pending:
            parent = int(trie.check[slot])
            if parent in strings:
                strings[slot] = strings[parent] + bytes([slot - int(trie.base[parent])])
            else:
                later.append(slot)
        assert len(later) < len(pending)
        pending = later
    return sorted(strings.values())


def test_the_trie_walk_is_the_automaton_on_every_node_of_the_trie() -> None:
    # Each node's string after a random byte and before one, in a random order: every
    # node is read, ending a window and inside longer ones.
    trie = identify_language.language_identifier()._trie
    strings = _node_strings(trie)
    assert len(strings) == len(_py3langid()._rowbase)  # one node per automaton state
    rng = random.Random(6)
    rng.shuffle(strings)
    pieces = [bytes([rng.randrange(256)]) + s + bytes([rng.randrange(256)]) for s in strings]
    data = b"".join(pieces)
    assert np.array_equal(trie.features(data), _automaton_features(data))
    noise = bytes(rng.randrange(256) for _ in range(50_000))
    assert np.array_equal(trie.features(noise), _automaton_features(noise))


def test_the_trie_walk_on_texts_shorter_than_the_trie_is_deep() -> None:
    trie = identify_language.language_identifier()._trie
    for data in (b"", b"a", b"th", b"\xd0\xbf", "中".encode(), b"\x00\xff\x00"):
        assert np.array_equal(trie.features(data), _automaton_features(data))


# "ab" (feature 7) and "b" (feature 8) as py3langid's automaton has them: states
# 0 (start), 1 "a", 2 "ab", 3 "b"; distinct rows only, and each state's row.
_ROWS = np.zeros((2, 256), dtype=np.uint16)
_ROWS[:, ord("a")] = 1
_ROWS[0, ord("b")] = 3
_ROWS[1, ord("b")] = 2
_ROW_OF_STATE = np.array([0, 1, 0, 0], dtype=np.uint16)
_OUTPUT = np.array([-1, -1, 7, 8], dtype=np.int32)


def test_the_trie_under_an_automaton() -> None:
    trie = NgramTrie.from_automaton(_ROWS.ravel(), _ROW_OF_STATE, _OUTPUT)
    assert trie.depth == 2
    assert trie.features(b"abbaab\x00b").tolist() == [-1, 7, 8, -1, -1, 7, -1, 8]
    by_edges = NgramTrie.from_edges([-1, 0, 1, 0], [0, ord("a"), ord("b"), ord("b")], _OUTPUT)
    assert by_edges.features(b"abbaab\x00b").tolist() == [-1, 7, 8, -1, -1, 7, -1, 8]


def test_an_automaton_with_a_state_no_text_reaches_is_refused() -> None:
    row_of_state = np.array([0, 1, 0, 0, 0], dtype=np.uint16)
    output = np.array([-1, -1, 7, 8, 9], dtype=np.int32)
    with pytest.raises(ValueError, match="states that no text reaches"):
        NgramTrie.from_automaton(_ROWS.ravel(), row_of_state, output)


def test_children_at_the_ends_of_the_byte_range() -> None:
    # Bytes 0 and 255 under nodes of one child and of many: the lookups at the edges
    # of a node's slots land on no other node's child.
    parent = [-1, 0, 0, 0, 1, 2, 2, 3]
    byte = [0, 0, 255, 7, 255, 0, 255, 0]
    output = [-1, 10, 11, 12, 13, 14, 15, 16]
    trie = NgramTrie.from_edges(parent, byte, output)
    assert trie.features(b"\x00\xff\xff\x00\x07\x00\x07\xff").tolist() == [
        10,  # \x00
        13,  # \x00\xff
        15,  # \xff\xff (\x00\xff\xff is deeper than the trie)
        14,  # \xff\x00
        12,  # \x07
        16,  # \x07\x00
        12,  # \x07
        11,  # \xff (no \x07\xff)
    ]


def test_the_identifier_keeps_the_trie_and_not_the_automaton() -> None:
    model = identify_language.language_identifier()
    assert model.tk_nextmove is None and model.tk_output is None and model._rowbase == []
    # The automaton's table was 37 MiB; the trie's three arrays of slots are 1.2 MiB.
    assert model._trie.nbytes < 2 * 2**20


def test_a_trie_without_padding_below_the_root_is_refused() -> None:
    """The walk keeps dead walks in slot 0: it must be a padding slot (base 0, no node's
    child, no feature), as every trie from_edges makes has it."""
    trie = NgramTrie.from_edges([-1, 0, 1, 0], [0, ord("a"), ord("b"), ord("b")], [-1, -1, 7, 8])
    for name, value in (("base", 3), ("check", 0), ("output", 7)):
        arrays = {key: getattr(trie, key).copy() for key in ("base", "check", "output")}
        arrays[name][0] = value
        with pytest.raises(ValueError, match="padding"):
            NgramTrie(
                arrays["base"], arrays["check"], arrays["output"], trie.depth, trie.root, trie.dead
            )
