"""py3langid's byte n-gram automaton as a double-array trie: the same features in 1 MiB, not 37.

py3langid finds a text's features (byte n-grams, up to 6 bytes) with an
Aho-Corasick automaton: a dense table of 256 transitions for each of its 38,346
distinct rows, 37 MiB of ``uint32`` in every process that identifies a language.
In such an automaton the state after a byte is the node of the trie of n-grams
spelling the longest suffix of the text read so far that is in the trie (a
property of Aho-Corasick's construction, which a test checks on every seed, on
random bytes and on every node of the trie). So the state, and the feature it
outputs, at each position is found from the trie alone: of the windows of 1 to
``depth`` bytes ending there, the longest that spells a node. The trie's own edges
(104,582 of them, against 9.8 million transitions) are kept as a double array
(Aoe's): the child of ``node`` by byte ``b`` is slot ``base[node] + b`` if
``check`` of that slot names ``node``, so every lookup is exact, two reads and a
comparison, and a walk of ``depth`` steps over all of a text's positions at once
is as fast in numpy as the automaton's.

>>> trie = NgramTrie.from_edges([-1, 0, 1, 0], [0, ord("a"), ord("b"), ord("b")], [-1, -1, 7, 8])
>>> trie.features(b"xabab").tolist()  # "ab" is feature 7, "b" alone feature 8
[-1, -1, 7, -1, 7]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Slots below the root are never a node's: the child lookup of a leaf (base 0) and
# of the dead state lands there and fails, and no base can be negative.
PADDING = 256

# Nodes placed per scan of the free slots: the slots are searched as a window of a
# Python integer's bits, wide enough that a node seldom needs a second one.
WINDOW_BITS = 1 << 15

# States whose rows are read at once while finding the trie's edges: the temporary
# is this many times 256 indices (some 8 MiB), not the whole table's 75 MiB.
ROWS_PER_CHUNK = 4096


@dataclass(frozen=True, slots=True)
class NgramTrie:
    """A trie of byte strings with a feature (or -1) per node, in three arrays of slots.

    ``base[slot]`` is where the node's children begin (by byte), ``check[slot]`` the
    slot of the node's parent (-1 for a slot that is no node's), ``output[slot]`` the
    node's feature. ``dead`` is a slot with no children past every node's (the first
    free one), where a walk may go when the window it reads is no node's;
    :meth:`features` keeps its dead walks in slot 0, a padding slot, instead.
    """

    base: np.ndarray
    check: np.ndarray
    output: np.ndarray
    depth: int
    root: int
    dead: int
    # The walks' first step as a lookup in 256 slots: by byte, the root's child (or 0,
    # a padding slot: see features), and the same as features keeps it in ``longest``.
    first: np.ndarray = field(init=False, repr=False, compare=False)
    first_longest: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.base[0] != 0 or (self.check[:PADDING] != -1).any() or self.output[0] != -1:
            raise ValueError("the trie's first slots are not padding (base 0, no node's)")
        if (self.depth + 1) << self._slot_bits > np.iinfo(self.base.dtype).max:
            raise ValueError("the trie's slots and depth do not fit in its dtype together")
        children = int(self.base[self.root]) + np.arange(256)
        first = np.where(self.check[children] == self.root, children, 0)
        object.__setattr__(self, "first", first.astype(self.base.dtype))
        longest = np.where(first != 0, first | (1 << self._slot_bits), 0)
        object.__setattr__(self, "first_longest", longest.astype(self.base.dtype))

    @property
    def _slot_bits(self) -> int:
        """How many low bits of a slot number ``features`` keeps a node's slot in."""
        return len(self.base).bit_length()

    @classmethod
    def from_automaton(
        cls, rows: np.ndarray, row_of_state: np.ndarray, output: np.ndarray
    ) -> NgramTrie:
        """The trie under py3langid's automaton (its ``nextmove`` rows, ``nextmove_row``
        and ``out_feat``; state 0 is the start).

        A transition to a state not seen at a shallower depth is a trie edge: the state
        after reading a node's string and one byte is at most one byte deeper, and is
        exactly one deeper only when the string and the byte spell its own string.
        """
        states = len(row_of_state)
        table = rows.reshape(-1, 256)
        parent = np.full(states, -1, dtype=np.int64)
        byte = np.zeros(states, dtype=np.int64)
        seen = np.zeros(states, dtype=bool)
        seen[0] = True
        frontier = np.zeros(1, dtype=np.int64)
        while len(frontier):
            found = []
            for first in range(0, len(frontier), ROWS_PER_CHUNK):
                sources = frontier[first : first + ROWS_PER_CHUNK]
                targets = table[row_of_state[sources]]
                source, read = np.nonzero(~seen[targets])
                target = targets[source, read].astype(np.int64)
                # A trie node has one parent: its string less its last byte.
                parent[target] = sources[source]
                byte[target] = read
                seen[target] = True
                found.append(target)
            frontier = np.sort(np.concatenate(found))
        if not seen.all():
            raise ValueError("the automaton has states that no text reaches")
        return cls.from_edges(parent, byte, output)

    @classmethod
    def from_edges(
        cls,
        parent: np.ndarray | list[int],
        byte: np.ndarray | list[int],
        output: np.ndarray | list[int],
    ) -> NgramTrie:
        """The trie whose node ``i`` is child ``byte[i]`` of ``parent[i]`` (node 0, the root,
        has parent -1) and has feature ``output[i]``."""
        parent = np.asarray(parent, dtype=np.int64)
        byte = np.asarray(byte, dtype=np.int64)
        nodes = len(parent)
        children = np.flatnonzero(parent >= 0)
        children = children[np.lexsort((byte[children], parent[children]))]
        bounds = np.searchsorted(parent[children], np.arange(nodes + 1)).tolist()
        child_bytes = byte[children].tolist()
        count = np.diff(bounds)
        base = np.zeros(nodes, dtype=np.int64)
        # Nodes with two children or more, first fit: the lowest slot from which every
        # child's slot is free, found with the free slots as the bits of an integer.
        taken = (1 << (PADDING + 1)) - 1  # the padding and the root
        lowest_free = PADDING + 1
        window = (1 << (WINDOW_BITS + PADDING)) - 1
        in_window = (1 << WINDOW_BITS) - 1
        for node in np.flatnonzero(count >= 2).tolist():
            spelled = child_bytes[bounds[node] : bounds[node + 1]]
            pattern = 0
            for b in spelled:
                pattern |= 1 << (b - spelled[0])
            start = lowest_free
            while True:
                near = (taken >> start) & window
                blocked = near
                for b in spelled[1:]:
                    blocked |= near >> (b - spelled[0])
                free = ~blocked & in_window
                if free:
                    first_slot = start + (free & -free).bit_length() - 1
                    break
                start += WINDOW_BITS
            base[node] = first_slot - spelled[0]
            taken |= pattern << first_slot
            if first_slot == lowest_free:
                gaps = ~((taken >> lowest_free) & window)
                lowest_free += (gaps & -gaps).bit_length() - 1
        # Nodes with one child: any free slot each, in order.
        single = np.flatnonzero(count == 1)
        size = taken.bit_length() + len(single) + 1
        used = np.unpackbits(
            np.frombuffer(taken.to_bytes((size + 7) // 8, "little"), dtype=np.uint8),
            bitorder="little",
        ).astype(bool)
        free_slots = np.flatnonzero(~used)[: len(single)]
        base[single] = free_slots - byte[children[np.asarray(bounds)[single]]]
        slot = np.empty(nodes, dtype=np.int64)
        slot[0] = PADDING
        slot[children] = base[parent[children]] + byte[children]
        dead = int(slot.max()) + 1
        # The dead slot's base is 0, and a lookup can reach base + 255: room for both.
        length = dead + 1 + 256
        slots_base = np.zeros(length, dtype=np.int32)
        slots_base[slot] = base
        check = np.full(length, -1, dtype=np.int32)
        check[slot[children]] = slot[parent[children]]
        slots_output = np.full(length, -1, dtype=np.int32)
        slots_output[slot] = output
        depth = int(_depths(parent).max())
        return cls(slots_base, check, slots_output, depth, PADDING, dead)

    def features(self, data: bytes) -> np.ndarray:
        """The feature (or -1) of the longest trie node ending at each byte of ``data``.

        Each position starts a walk down the trie; step ``k`` of the walks reads the
        byte ``k`` after their start, all positions at once, and a walk that leaves
        the trie goes to a dead slot. A longer node ending at a position replaces a
        shorter one.

        Without a branch on any position, which numpy's masked copies and ``where``
        take (and mispredict, half the walks dying at random in the middle rounds):
        a walk that leaves the trie is multiplied by 0, and slot 0 is a padding slot
        (checked when the trie is made), base 0 and no node's parent, so a walk in it
        stays there, as one in ``dead`` would. The longest node ending at each byte
        is a maximum: each node is kept as its slot plus its depth above the slot's
        bits (0 for none), so a deeper node is the greater number. Slots are of the
        trie's dtype (``int32``), which numpy gathers from faster than from ``intp``.
        """
        codes = np.frombuffer(data, dtype=np.uint8)
        length = len(codes)
        slot_bits = self._slot_bits
        nodes = self.first.take(codes)
        longest = self.first_longest.take(codes)
        codes = codes.astype(self.base.dtype)
        for step in range(1, min(self.depth, length)):
            nodes = nodes[: length - step]
            children = self.base.take(nodes)
            children += codes[step:]
            exists = self.check.take(children) == nodes
            children |= (step + 1) << slot_bits
            children *= exists
            ending = longest[step:]
            np.maximum(ending, children, out=ending)
            children &= (1 << slot_bits) - 1
            nodes = children
        longest &= (1 << slot_bits) - 1
        return self.output.take(longest)

    @property
    def nbytes(self) -> int:
        return int(self.base.nbytes + self.check.nbytes + self.output.nbytes)


def _depths(parent: np.ndarray) -> np.ndarray:
    """Each node's depth, from its parent's (nodes in any order; the root is the one with -1)."""
    depth = np.full(len(parent), -1, dtype=np.int64)
    depth[parent < 0] = 0
    while (depth < 0).any():
        pending = np.flatnonzero(depth < 0)
        known = depth[parent[pending]] >= 0
        depth[pending[known]] = depth[parent[pending[known]]] + 1
    return depth
