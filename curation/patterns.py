"""Regular expressions that run in time linear in the text they read.

Python's ``re`` backtracks: ``(?<=\\S)[.!?]+(?=\\w)`` tries every position of a
run of full stops and rescans the rest of the run from each, so 100 KB of ``.``
took minutes. Every pattern that reads seed text is compiled here instead, and
:func:`compile` picks, in this order:

1. Python's **re**, when the pattern is *bounded*: every repeat in it has a
   maximum (``{0,80}``, ``?``), or the only unbounded one is a greedy run of one
   character class at the very end (``[^\\w]+``), which a match never backtracks
   into. Either way a match attempt reads a bounded number of characters from
   each start position, whatever the text, and ``re`` does it in C.
2. **RE2** (``google-re2``), a linear-time engine, for the unbounded rest (after 3). The
   pattern is translated from Python's syntax tree, so it means exactly what it
   means to ``re``: ``\\w``, ``\\d`` and ``\\s`` are Python's Unicode classes and
   ``(?i)`` is Python's case folding, spelled out as explicit character sets
   (RE2's own are ASCII-only or fold differently). RE2 has no lookaround; a
   lookbehind of fixed width at the start of a top-level alternative and a
   lookahead at its end are still accepted: they become text the RE2 pattern
   matches around a capturing core, and searches start early enough to read it.
3. Python's **re** on input of bounded length, when the pattern is unbounded and
   the caller passes ``max_input``: it only ever searches that many characters (a
   window at a paragraph's end, say), and a longer input is a programming error
   that raises. (Checked before RE2: on short windows re is cheaper per call.)

Anything else raises :class:`~curation.errors.UnboundedPattern`, which says why,
so a rules file with such a pattern is refused when it is loaded, not when a
hostile seed arrives.

>>> pattern = compile(r"(?<=\\S)[.!?]+(?=[^\\W\\d_])")
>>> [m.span() for m in pattern.finditer("Да.Нет!!Ja")]
[(2, 3), (6, 8)]
>>> engine(pattern)
're2'
>>> "a backreference" in why_unbounded(r"(\\w+)\\1")
True
"""

from __future__ import annotations

import _sre  # Python's own case tables, for exact (?i)
import functools
import re
import re._casefix as _casefix
import re._compiler as _compiler
import re._constants as _c
import re._parser as _parser
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

import re2
from re2 import _re2

from curation.errors import Problem, UnboundedPattern

__all__ = [
    "UNBOUNDED_WIDTH",
    "alternatives",
    "compile",
    "engine",
    "match_widths",
    "required_characters",
    "why_unbounded",
]

# RE2 refuses counted repeats above 1000 (it unrolls them).
_RE2_MAX_REPEAT = 1000

# Lookbehinds RE2 patterns may emulate: at most this many characters are read
# before a search position.
_MAX_LOOKBEHIND = 8

_Ranges = tuple[tuple[int, int], ...]  # sorted, disjoint, inclusive code point ranges

_SURROGATES = (0xD800, 0xDFFF)
_MAX_CODE_POINT = 0x10FFFF


class _NotExpressible(Exception):
    """The pattern uses something RE2 cannot express; the message says what."""


# ---------------------------------------------------------------------------
# Character sets, exactly as Python's re sees them


@functools.cache
def _all_characters() -> str:
    """Every code point, in order, surrogates included: decoded from their UTF-32 in
    one call (``"".join(map(chr, ...))`` made 1.1 million strings first, a quarter of a
    second of every process that translates a pattern for RE2)."""
    import numpy as np  # a dependency of datasketch's; imported only here

    codes = np.arange(_MAX_CODE_POINT + 1, dtype="<u4").tobytes()
    return codes.decode("utf-32-le", "surrogatepass")


@functools.cache
def _python_set(pattern: str, flags: int) -> _Ranges:
    """The code points one Python character pattern matches, found by running it on all of them."""
    found = re.compile(f"(?:{pattern})+", flags).finditer(_all_characters())
    return tuple((m.start(), m.end() - 1) for m in found)


# Python's categories, each with its complement: \W matches exactly the code points
# \w does not (surrogates included), so one scan of every code point gives both.
_CATEGORIES = {
    _c.CATEGORY_DIGIT: (r"\d", False),
    _c.CATEGORY_NOT_DIGIT: (r"\d", True),
    _c.CATEGORY_SPACE: (r"\s", False),
    _c.CATEGORY_NOT_SPACE: (r"\s", True),
    _c.CATEGORY_WORD: (r"\w", False),
    _c.CATEGORY_NOT_WORD: (r"\w", True),
}


@functools.cache
def _category(code: int) -> _Ranges:
    if code not in _CATEGORIES:
        raise _NotExpressible(f"the character category {code}")
    pattern, negated = _CATEGORIES[code]
    ranges = _python_set(pattern, 0)
    return _complement(ranges) if negated else ranges


def _union(sets: Sequence[_Ranges]) -> _Ranges:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(r for ranges in sets for r in ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return tuple(merged)


def _complement(ranges: _Ranges) -> _Ranges:
    out, next_low = [], 0
    for low, high in ranges:
        if low > next_low:
            out.append((next_low, low - 1))
        next_low = high + 1
    if next_low <= _MAX_CODE_POINT:
        out.append((next_low, _MAX_CODE_POINT))
    return tuple(out)


def _intersect(a: _Ranges, b: _Ranges) -> _Ranges:
    return _complement(_union([_complement(a), _complement(b)]))


# Code points are lowered a block of this many at a time (see _lowered).
_LOWERING_BLOCK = 256


@functools.cache
def _lowered() -> dict[int, tuple[int, ...]]:
    """The code points Python's simple lower-case mapping changes, by what they lower to.

    Only about 1,400 do; every other code point lowers to itself. Asking
    ``_sre.unicode_tolower`` of all 1.1 million took a fifth of a second of every
    process that translates a pattern for RE2, so a block of code points is first
    lowered as one string, and only a block that ``str.lower`` changes is asked
    code point by code point. That skips no code point the simple mapping changes:
    ``str.lower`` maps each character to one or more characters (the full mapping,
    which differs from the simple one only in giving more characters, as for
    U+0130, or by context, as for a final sigma, never in giving the character
    itself back), so a block it leaves equal has no character that lowers to
    another (a test compares this with the code point by code point answer).
    """
    everything = _all_characters()
    lowered: dict[int, list[int]] = {}
    for start in range(0, len(everything), _LOWERING_BLOCK):
        block = everything[start : start + _LOWERING_BLOCK]
        if block.lower() == block:
            continue
        for code in range(start, start + len(block)):
            lower = _sre.unicode_tolower(code)
            if lower != code:
                lowered.setdefault(lower, []).append(code)
    return {key: tuple(value) for key, value in lowered.items()}


def _lowercase_group(key: int) -> tuple[int, ...]:
    """Every code point whose simple lower-case mapping is ``key`` (what (?i) compares)."""
    itself = (key,) if _sre.unicode_tolower(key) == key else ()
    return tuple(sorted((*itself, *_lowered().get(key, ()))))


def _literal_set(code: int, ignore_case: bool) -> _Ranges:
    """What a literal matches: itself, or under (?i) what Python's sre folds to it."""
    if not ignore_case or not _sre.unicode_iscased(code):
        return ((code, code),)
    lower = _sre.unicode_tolower(code)
    keys = (lower, *_casefix._EXTRA_CASES.get(lower, ()))
    return _union([tuple((c, c) for c in _lowercase_group(key)) for key in keys])


def _class_set(items: list[tuple[Any, Any]], ignore_case: bool) -> _Ranges:
    if ignore_case:
        # Python folds a class item by item in ways that matter at the edges
        # (ranges across cased letters), so ask Python for the exact set.
        return _python_set(_unparse_class(items), re.IGNORECASE)
    negate = False
    parts: list[_Ranges] = []
    for op, av in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            parts.append(((av, av),))
        elif op is _c.RANGE:
            parts.append(((av[0], av[1]),))
        elif op is _c.CATEGORY:
            parts.append(_category(av))
        else:
            raise _NotExpressible(f"the class item {op}")
    ranges = _union(parts)
    return _complement(ranges) if negate else ranges


def _unparse_class(items: list[tuple[Any, Any]]) -> str:
    out = []
    for op, av in items:
        if op is _c.NEGATE:
            out.append("^")
        elif op is _c.LITERAL:
            out.append(re.escape(chr(av)))
        elif op is _c.RANGE:
            out.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is _c.CATEGORY:
            out.append(
                {
                    _c.CATEGORY_DIGIT: r"\d",
                    _c.CATEGORY_NOT_DIGIT: r"\D",
                    _c.CATEGORY_SPACE: r"\s",
                    _c.CATEGORY_NOT_SPACE: r"\S",
                    _c.CATEGORY_WORD: r"\w",
                    _c.CATEGORY_NOT_WORD: r"\W",
                }[av]
            )
        else:
            raise _NotExpressible(f"the class item {op}")
    return f"[{''.join(out)}]"


def _re2_class(ranges: _Ranges) -> str:
    """An RE2 class for ``ranges`` (surrogates left out: UTF-8 text has none)."""
    ranges = _intersect(ranges, _complement((_SURROGATES,)))
    if not ranges:
        return r"[^\x00-\x{10FFFF}]"

    def spell(low: int, high: int) -> str:
        return f"\\x{{{low:X}}}" if low == high else f"\\x{{{low:X}}}-\\x{{{high:X}}}"

    inverse = _intersect(_complement(ranges), _complement((_SURROGATES,)))
    if len(inverse) < len(ranges):
        return "[^" + "".join(spell(*r) for r in inverse) + "]" if inverse else r"[\x00-\x{10FFFF}]"
    return "[" + "".join(spell(*r) for r in ranges) + "]"


# ---------------------------------------------------------------------------
# Syntax tree analysis


def _flags_of(flags: int, add: int, remove: int) -> int:
    return (flags | add) & ~remove


# The flags a one-character item's set depends on (the rest only concern repeats,
# anchors and the engine): a key of the memos below.
_CHARACTER_FLAGS = re.IGNORECASE | re.DOTALL
_ONE_CHARACTER = (_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY)


def _single_character(items: Sequence[tuple[Any, Any]], flags: int) -> _Ranges | None:
    """The set of characters, if ``items`` match exactly one character and nothing else."""
    if len(items) != 1:
        return None
    op, av = items[0]
    if op in _ONE_CHARACTER:
        return _character_set(op, _item_key(op, av), flags & _CHARACTER_FLAGS)
    if op is _c.SUBPATTERN and av[0] is None:
        return _single_character(av[3], _flags_of(flags, av[1], av[2]))
    return None


def _item_key(op: Any, av: Any) -> Any:
    """A one-character item's argument, hashable (a class's items are a list)."""
    return tuple(av) if op is _c.IN else av


# The same classes come back in pattern after pattern (``[^\W\d_]``, ``\s``, a
# class of quotes): each set, and its RE2 spelling, is worked out once per process.
# The sets depend only on the item and the two flags (and Python's Unicode tables).
@functools.lru_cache(maxsize=4096)
def _character_set(op: Any, av: Any, flags: int) -> _Ranges:
    ignore_case = bool(flags & re.IGNORECASE)
    if op is _c.LITERAL:
        return _literal_set(av, ignore_case)
    if op is _c.NOT_LITERAL:
        return _complement(_literal_set(av, ignore_case))
    if op is _c.IN:
        return _class_set(list(av), ignore_case)
    return ((0, _MAX_CODE_POINT),) if flags & re.DOTALL else _complement(((10, 10),))


@functools.lru_cache(maxsize=4096)
def _re2_character(op: Any, av: Any, flags: int) -> str:
    """The RE2 class for one one-character item (:func:`_character_set`)."""
    return _re2_class(_character_set(op, av, flags))


def _unbounded_repeat(items: Sequence[tuple[Any, Any]]) -> str | None:
    """The first repeat without a maximum, in Python's syntax, or None if all are bounded."""
    for op, av in items:
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            if av[1] is _c.MAXREPEAT:
                return "*" if av[0] == 0 else ("+" if av[0] == 1 else f"{{{av[0]},}}")
            found = _unbounded_repeat(av[2])
        elif op is _c.SUBPATTERN:
            found = _unbounded_repeat(av[3])
        elif op is _c.BRANCH:
            found = next(filter(None, (_unbounded_repeat(b) for b in av[1])), None)
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            found = _unbounded_repeat(av[1])
        elif op is _c.ATOMIC_GROUP:
            found = _unbounded_repeat(av)
        elif op is _c.GROUPREF_EXISTS:
            found = _unbounded_repeat(av[1]) or (_unbounded_repeat(av[2]) if av[2] else None)
        else:
            found = None
        if found:
            return found
    return None


def _nested_unbounded(items: Sequence[tuple[Any, Any]], inside_repeat: bool = False) -> bool:
    """Whether an unbounded repeat sits inside another repeat (``(a+)+``, ``(?:x*y)*``)."""
    for op, av in items:
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            unbounded = av[1] is _c.MAXREPEAT
            if unbounded and inside_repeat:
                return True
            if _nested_unbounded(av[2], inside_repeat or av[1] > 1):
                return True
        elif (
            (op is _c.SUBPATTERN and _nested_unbounded(av[3], inside_repeat))
            or (op is _c.BRANCH and any(_nested_unbounded(b, inside_repeat) for b in av[1]))
            or (op in (_c.ASSERT, _c.ASSERT_NOT) and _nested_unbounded(av[1], inside_repeat))
            or (op is _c.ATOMIC_GROUP and _nested_unbounded(av, inside_repeat))
        ):
            return True
    return False


def _ends_in_one_character_repeat(parsed: Any) -> bool:
    """Whether the only unbounded repeats are greedy ones of one character, at the very end.

    Nothing follows such a repeat, so a match never backtracks into it: each start
    position costs the bounded prefix, and a match's run is read once and skipped.
    Each alternative of a top-level ``|`` may end in one (``[^\\w]+|_+``).
    """
    items = list(parsed.data)
    branches = items[0][1][1] if len(items) == 1 and items[0][0] is _c.BRANCH else [items]
    for branch in branches:
        if _unbounded_repeat(branch) is None:
            continue
        branch = list(branch)
        while branch and branch[-1][0] is _c.SUBPATTERN:  # "(\s+)": look inside the group
            branch = branch[:-1] + list(branch[-1][1][3])
        if not branch or branch[-1][0] is not _c.MAX_REPEAT:
            return False
        body = branch[-1][1][2]
        if _unbounded_repeat(list(branch[:-1])) or _unbounded_repeat(body):
            return False
        if _parser.SubPattern(parsed.state, body).getwidth() != (1, 1):
            return False
    return True


# ---------------------------------------------------------------------------
# Pre-checks: characters a match cannot do without


# A set of more code points than this is found at once in any text: not worth a scan.
_MAX_PRECHECK_SET = 50_000


def _size(ranges: _Ranges) -> int:
    return sum(high - low + 1 for low, high in ranges)


def _rarity(ranges: _Ranges) -> tuple[bool, bool, int]:
    """How little a set is to be expected in text (lower: rarer): a set without ASCII
    letters, digits or spaces before one with them, a set of punctuation or symbols
    before one with a word character or a space in it (what ``\\w`` and ``\\s``
    match), then the smaller. A large set counts as common unread."""
    size = _size(ranges)
    if size > 256:
        return True, True, size
    codes = [code for low, high in ranges for code in range(low, high + 1)]
    word_or_space = [c for c in codes if chr(c).isalnum() or chr(c).isspace() or c == ord("_")]
    return any(c < 128 for c in word_or_space), bool(word_or_space), size


def _consumed_set(op: Any, av: Any, flags: int) -> _Ranges | None:
    """The characters a one-character item matches, or None if it is not one."""
    if op not in (_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY):
        return None
    try:
        return _single_character([(op, av)], flags)
    except _NotExpressible:
        return None


def _required(items: Sequence[tuple[Any, Any]], flags: int) -> _Ranges | None:
    """A set of characters every match holds one of (the rarest found), or None.

    Only items every match goes through count: a character, a repeat of at least
    one, a group, or an alternation whose every branch requires one (their union).
    """
    best: _Ranges | None = None
    for op, av in items:
        found = _consumed_set(op, av, flags)
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and av[0] >= 1:
            found = _required(av[2], flags)
        elif op is _c.SUBPATTERN:
            found = _required(av[3], _flags_of(flags, av[1], av[2]))
        elif op is _c.ATOMIC_GROUP:
            found = _required(av, flags)
        elif op is _c.BRANCH:
            branches = [_required(branch, flags) for branch in av[1]]
            found = None if any(b is None for b in branches) else _union(cast(Any, branches))
        if found is not None and (best is None or _rarity(found) < _rarity(best)):
            best = found
    return best


def _first(items: Sequence[tuple[Any, Any]], flags: int) -> _Ranges | None:
    r"""The characters a match can begin with, or None if unknown (or it can be empty).

    A repeat that may read nothing (``\s*``, ``x?``) is begun or passed over: a match
    begins with a character of its body or with one of what follows it (their union).
    So the list and section marks' ``\s*\d...`` begin with a space or a digit, and a
    paragraph that opens with a letter is refused without the engine.
    """
    for index, (op, av) in enumerate(items):
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # reads no character: the first one is the next item's
        found = _consumed_set(op, av, flags)
        if found is not None:
            return found
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            body = _first(av[2], flags)
            if av[0] >= 1 or body is None:
                return body
            after = _first(items[index + 1 :], flags)
            return None if after is None else _union((body, after))
        if op is _c.SUBPATTERN:
            return _first(av[3], _flags_of(flags, av[1], av[2]))
        if op is _c.ATOMIC_GROUP:
            return _first(av, flags)
        if op is _c.BRANCH:
            branches = [_first(branch, flags) for branch in av[1]]
            return None if any(b is None for b in branches) else _union(cast(Any, branches))
        return None
    return None


def _class_pattern(ranges: _Ranges | None) -> re.Pattern[str] | None:
    """Python's re for one character of ``ranges`` (a class of a bounded size), or None."""
    if ranges is None or not ranges or _size(ranges) > _MAX_PRECHECK_SET:
        return None
    spelled = "".join(
        f"\\U{low:08x}" if low == high else f"\\U{low:08x}-\\U{high:08x}" for low, high in ranges
    )
    # One character class, no repeat: a search reads each character once.
    return re.compile(f"[{spelled}]")


@dataclass(frozen=True)
class _Precheck:
    """Cheap tests that rule out a match before the engine runs (see :func:`_precheck`)."""

    required: re.Pattern[str] | None
    first: re.Pattern[str] | None

    def excludes(self, text: str, pos: int, end: int, anchored: bool) -> bool:
        """Whether no match can lie in ``text[pos:end]`` (starting at ``pos`` if anchored).

        The first character is tested before the required set is searched for: one
        character's test, where the search may read the whole text."""
        if anchored and self.first is not None and self.first.match(text, pos, end) is None:
            return True
        return self.required is not None and self.required.search(text, pos, end) is None


def _precheck(parsed: Any) -> _Precheck:
    """What a match of ``parsed`` cannot do without: a character of its rarest required
    set somewhere in what it reads, and, for a match anchored at a position, a first
    character from its first set. A text without them has no match, and the engine is
    not started (most tail rules need a colon, most paragraphs have none)."""
    flags = parsed.state.flags
    return _Precheck(
        _class_pattern(_required(parsed.data, flags)), _class_pattern(_first(parsed.data, flags))
    )


class _Translator:
    """Python syntax tree -> RE2 syntax with the same meaning, or :class:`_NotExpressible`."""

    def __init__(self) -> None:
        self.group_map: dict[int, int] = {}  # Python group -> RE2 group
        self.groups = 0  # RE2 groups opened so far
        self.in_lookaround = False

    def open_group(self, python_group: int | None = None) -> int:
        self.groups += 1
        if python_group is not None:
            self.group_map[python_group] = self.groups
        return self.groups

    def sequence(
        self, items: Sequence[tuple[Any, Any]], flags: int, lookaround: bool = False
    ) -> str:
        outer, self.in_lookaround = self.in_lookaround, self.in_lookaround or lookaround
        try:
            return "".join(self.item(op, av, flags) for op, av in items)
        finally:
            self.in_lookaround = outer

    def item(self, op: Any, av: Any, flags: int) -> str:
        if op in _ONE_CHARACTER:
            return _re2_character(op, _item_key(op, av), flags & _CHARACTER_FLAGS)
        if op is _c.BRANCH:
            return "(?:" + "|".join(self.sequence(b, flags) for b in av[1]) + ")"
        if op is _c.SUBPATTERN:
            group, add, remove, body = av
            if group is None:
                return f"(?:{self.sequence(body, _flags_of(flags, add, remove))})"
            if self.in_lookaround:
                raise _NotExpressible("a capturing group inside a lookaround")
            self.open_group(group)
            # Left unnamed: RE2 numbers groups in order, and the plan maps the numbers.
            return f"({self.sequence(body, _flags_of(flags, add, remove))})"
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            low, high, body = av
            if high is not _c.MAXREPEAT and high > _RE2_MAX_REPEAT:
                raise _NotExpressible(f"a repeat of more than {_RE2_MAX_REPEAT}")
            inner = f"(?:{self.sequence(body, flags)})"
            if high is _c.MAXREPEAT:
                count = "*" if low == 0 else ("+" if low == 1 else f"{{{low},}}")
            elif (low, high) == (0, 1):
                count = "?"
            else:
                count = f"{{{low},{high}}}"
            return inner + count + ("?" if op is _c.MIN_REPEAT else "")
        if op is _c.AT:
            if av in (_c.AT_BEGINNING_STRING,) or (
                av is _c.AT_BEGINNING and not flags & re.MULTILINE
            ):
                return r"\A"
            if av is _c.AT_END_STRING:
                return r"\z"
            if av is _c.AT_BEGINNING:
                return "(?m:^)"
            if av is _c.AT_END and flags & re.MULTILINE:
                return "(?m:$)"
            raise _NotExpressible(
                "a $ in the middle of the pattern (Python's $ also matches before a final newline)"
                if av is _c.AT_END
                else r"a word boundary (\b, \B), which RE2 only knows for ASCII"
            )
        if op in (_c.ASSERT, _c.ASSERT_NOT):
            raise _NotExpressible("a lookaround in the middle of the pattern")
        if op in (_c.GROUPREF, _c.GROUPREF_EXISTS):
            raise _NotExpressible("a backreference")
        if op in (_c.ATOMIC_GROUP, _c.POSSESSIVE_REPEAT):
            raise _NotExpressible("an atomic group or possessive repeat")
        raise _NotExpressible(f"the construct {op}")


@dataclass(frozen=True, slots=True)
class _Plan:
    """How an RE2 pattern emulates a Python one.

    Each top-level alternative of the Python pattern is a *core* between optional
    lookarounds at its edges. The RE2 pattern matches the lookarounds' text around
    a capturing group per core; the match is that group's span. When an alternative
    has a lookbehind, every alternative reads ``behind`` characters (or the text
    start) before its core, so all of them start from the same place and RE2's
    leftmost-first choice is Python's.
    """

    source: str  # for a search whose match may start at offset 0
    later_source: str  # for any other search: the text start is not reachable
    full_source: str  # for fullmatch: each core must reach the end
    behind: int
    cores: tuple[int, ...]  # RE2 group of each alternative's core
    group_map: tuple[int, ...]  # RE2 group of Python group 1, 2, ...
    groupindex: dict[str, int]


_NEVER = r"[^\x00-\x{10FFFF}]"  # matches nothing


def _lookbehind(av: Any, flags: int, negative: bool, translator: _Translator) -> tuple[str, int]:
    body = av[1]
    low, high = _parser.SubPattern(_parser.State(), body).getwidth()
    if low != high or high > _MAX_LOOKBEHIND:
        raise _NotExpressible("a lookbehind of variable or long width")
    if negative:
        characters = _single_character(body, flags)
        if characters is None:
            raise _NotExpressible("a negative lookbehind of more than one character class")
        return rf"(?:\A|{_re2_class(_complement(characters))})", 1
    return f"(?:{translator.sequence(body, flags, lookaround=True)})", high


def _lookahead(av: Any, flags: int, negative: bool, translator: _Translator) -> str:
    body = av[1]
    if negative:
        characters = _single_character(body, flags)
        if characters is None:
            raise _NotExpressible("a negative lookahead of more than one character class")
        return rf"(?:{_re2_class(_complement(characters))}|\z)"
    return f"(?:{translator.sequence(body, flags, lookaround=True)})"


@dataclass
class _Alternative:
    group: int | None  # a Python group that is the whole alternative, else None
    behind: tuple[Any, Any] | None
    core: list[tuple[Any, Any]]
    ahead: tuple[Any, Any] | None  # a lookahead, or (AT, AT_END) for Python's final $


def _split_alternative(items: Sequence[tuple[Any, Any]], flags: int) -> _Alternative:
    items = list(items)
    group = None
    # "(?P<name>(?<=\n) +)": lookarounds are zero-width, so they may leave the group.
    if len(items) == 1 and items[0][0] is _c.SUBPATTERN:
        index, add, remove, body = items[0][1]
        if index is not None and not add and not remove:
            group, items = index, list(body)
    behind = None
    if items and items[0][0] in (_c.ASSERT, _c.ASSERT_NOT) and items[0][1][0] == -1:
        behind = items.pop(0)
    ahead = None
    if items and (
        (items[-1][0] in (_c.ASSERT, _c.ASSERT_NOT) and items[-1][1][0] == 1)
        or (items[-1] == (_c.AT, _c.AT_END) and not flags & re.MULTILINE)
    ):
        ahead = items.pop()
    return _Alternative(group, behind, items, ahead)


def _plan(parsed: Any) -> _Plan:
    flags = parsed.state.flags
    if flags & (re.ASCII | re.LOCALE):
        raise _NotExpressible("the ASCII or LOCALE flag")
    items = list(parsed.data)
    branches = items[0][1][1] if len(items) == 1 and items[0][0] is _c.BRANCH else [items]
    alternatives = [_split_alternative(branch, flags) for branch in branches]
    for alternative in alternatives:
        low, _ = _parser.SubPattern(parsed.state, alternative.core).getwidth()
        if low == 0:
            # Python lets a non-empty match start where an empty one ended; RE2's
            # leftmost-first search cannot be told to skip the empty one.
            raise _NotExpressible("an alternative that can match the empty string")
    translator = _Translator()
    befores: list[tuple[str, int] | None] = [
        None
        if a.behind is None
        else _lookbehind(a.behind[1], flags, a.behind[0] is _c.ASSERT_NOT, translator)
        for a in alternatives
    ]
    widths = {b[1] for b in befores if b is not None}
    if len(widths) > 1 or (len(alternatives) > 1 and widths - {1}):
        raise _NotExpressible("lookbehinds of different widths, or a wide one among alternatives")
    behind = widths.pop() if widths else 0
    at_start, later, full, cores = [], [], [], []
    for alternative, before in zip(alternatives, befores, strict=True):
        if before is not None:
            prefix = before[0]
        elif behind:
            prefix = r"(?:\A|(?s:.))"  # any character, or none at the text start
        else:
            prefix = ""
        if alternative.group is None:
            cores.append(translator.open_group())
            core = f"({translator.sequence(alternative.core, flags)})"
        else:
            cores.append(translator.open_group(alternative.group))
            core = f"({translator.sequence(alternative.core, flags)})"
        needs_character = False
        if alternative.ahead is None:
            after = ""
        elif alternative.ahead[0] is _c.AT:
            after = r"(?:\n?\z)"
        else:
            op, av = alternative.ahead
            after = _lookahead(av, flags, op is _c.ASSERT_NOT, translator)
            low, _ = _parser.SubPattern(parsed.state, av[1]).getwidth()
            needs_character = op is _c.ASSERT and low > 0
        at_start.append(prefix + core + after)
        later.append(prefix.replace(r"(?:\A|", "(?:", 1) + core + after)
        full.append((_NEVER if needs_character else prefix) + core)
    return _Plan(
        source="|".join(at_start),
        later_source="|".join(later),
        full_source="|".join(full),
        behind=behind,
        cores=tuple(cores),
        group_map=tuple(translator.group_map[i] for i in range(1, parsed.state.groups)),
        groupindex=dict(parsed.state.groupdict),
    )


# ---------------------------------------------------------------------------
# The RE2-backed pattern


_OPTIONS = re2.Options()
_OPTIONS.max_mem = 64 << 20  # room for the DFA of large Unicode classes: keeps RE2 on its fast path
_OPTIONS.log_errors = False


class _Match:
    """The part of ``re.Match`` the steps use, with Python's offsets and group numbers."""

    __slots__ = ("_spans", "_text", "endpos", "pos", "re", "string")

    def __init__(
        self, pattern: Re2Pattern, text: str, spans: list[tuple[int, int]], pos: int, endpos: int
    ) -> None:
        self._spans = spans
        self._text = text
        self.re = pattern
        self.string = text
        self.pos = pos
        self.endpos = endpos

    def _index(self, group: int | str) -> int:
        if isinstance(group, str):
            return self.re.groupindex[group]
        if not 0 <= group <= self.re.groups:
            raise IndexError("no such group")
        return group

    def span(self, group: int | str = 0) -> tuple[int, int]:
        return self._spans[self._index(group)]

    def start(self, group: int | str = 0) -> int:
        return self.span(group)[0]

    def end(self, group: int | str = 0) -> int:
        return self.span(group)[1]

    def group(self, *groups: int | str) -> Any:
        if not groups:
            groups = (0,)
        values = []
        for group in groups:
            start, end = self.span(group)
            values.append(None if start < 0 else self._text[start:end])
        return values[0] if len(values) == 1 else tuple(values)

    def __getitem__(self, group: int | str) -> Any:
        return self.group(group)

    def groups(self, default: Any = None) -> tuple[Any, ...]:
        return tuple(
            default if value is None else value
            for value in (self.group(i) for i in range(1, self.re.groups + 1))
        )

    def groupdict(self, default: Any = None) -> dict[str, Any]:
        return {
            name: default if self.group(name) is None else self.group(name)
            for name in self.re.groupindex
        }

    @property
    def lastindex(self) -> int | None:
        found = [i for i in range(1, self.re.groups + 1) if self._spans[i][0] >= 0]
        # The group that closed last: the one that ends last, the outer one of nested groups.
        return max(found, key=lambda i: (self._spans[i][1], -i)) if found else None

    @property
    def lastgroup(self) -> str | None:
        index = self.lastindex
        names = {number: name for name, number in self.re.groupindex.items()}
        return None if index is None else names.get(index)

    def expand(self, template: str) -> str:
        if "\\" not in template:
            return template
        parsed = _parser.parse_template(template, re.compile(self.re.pattern, self.re.flags))
        return cast(str, _parser.expand_template(parsed, self))

    def __repr__(self) -> str:
        return f"<re2 match; span={self.span()}, match={self.group()!r}>"


class Re2Pattern:
    """A pattern run by RE2, answering as ``re.Pattern`` does for str subjects."""

    def __init__(self, pattern: str, flags: int, plan: _Plan, precheck: _Precheck) -> None:
        self._precheck = precheck
        self.pattern = pattern
        self.flags = flags
        self.groups = len(plan.group_map)
        self.groupindex = plan.groupindex
        self._cores = plan.cores
        self._group_map = plan.group_map
        self._behind = plan.behind
        self._at_start = re2.compile(plan.source, _OPTIONS)._regexp
        self._later = (
            self._at_start
            if plan.later_source == plan.source
            else re2.compile(plan.later_source, _OPTIONS)._regexp
        )
        self._full = re2.compile(plan.full_source, _OPTIONS)._regexp
        self._later_full = re2.compile(plan.full_source.replace(r"(?:\A|", "(?:"), _OPTIONS)._regexp
        self._fallback: re.Pattern[str] | None = None

    def __repr__(self) -> str:
        return f"re2.compile({self.pattern!r})"

    def __reduce__(self) -> tuple[Callable[[str, int], re.Pattern[str]], tuple[str, int]]:
        # RE2's compiled programs do not pickle: a copy (a Ray worker's, a spawned
        # process's) compiles the same pattern again, which picks the same engine.
        return (compile, (self.pattern, self.flags))

    def _python(self) -> re.Pattern[str]:
        if self._fallback is None:
            self._fallback = re.compile(self.pattern, self.flags)
        return self._fallback

    def _matches(
        self, anchor: Any, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[_Match]:
        end = len(text) if endpos is None else max(0, min(endpos, len(text)))
        pos = max(0, min(pos, len(text)))
        if pos > end:
            return
        if self._precheck.excludes(text, pos, end, anchor is not re2._Anchor.UNANCHORED):
            return
        # Read only what a match can see: the lookbehind, one character before it
        # (so \A and ^ know they are not at the start), and the text up to endpos.
        offset = max(0, pos - self._behind - 1)
        try:
            data = text[offset:end].encode("utf-8")
        except UnicodeEncodeError:
            # Lone surrogates (never in a decoded seed): Python's engine reads them.
            yield from self._python_matches(anchor, text, pos, end)
            return
        ascii_only = len(data) == end - offset
        # Every offset a match reports lies after the point its search started from,
        # so offsets are converted by stepping on from there: the text is read once.
        base = [0, 0]  # (character, byte) where the current search starts

        def to_byte(char: int) -> int:
            if ascii_only:
                return char
            if char < base[0]:
                base[0], base[1] = 0, 0  # never happens: searches move forward
            step = int(_re2.CharLenToBytes(data, base[1], char - base[0]))
            base[0], base[1] = char, base[1] + step
            return base[1]

        def to_chars(spans: Sequence[tuple[int, int]]) -> dict[int, int]:
            if ascii_only:
                return {b: b for span in spans for b in span}
            chars, char, byte = {-1: -1}, base[0], base[1]
            for value in sorted({b for span in spans for b in span if b >= 0}):
                char += int(_re2.BytesToCharLen(data, byte, value))
                byte = value
                chars[value] = char
            return chars

        regexp = self._full if anchor is re2._Anchor.ANCHOR_BOTH else self._at_start
        first_core = pos  # where the next match may start
        while True:
            if first_core > 0:
                regexp = self._later_full if anchor is re2._Anchor.ANCHOR_BOTH else self._later
            search_from = max(0, first_core - self._behind)
            spans = self._regexp_match(regexp, anchor, data, to_byte(search_from - offset))
            if spans is None:
                return
            core = next(spans[i] for i in self._cores if spans[i][0] >= 0)
            wanted = [core, *(spans[i] for i in self._group_map)]
            chars = to_chars(wanted)
            python_spans = [
                (-1, -1) if s < 0 else (offset + chars[s], offset + chars[e]) for s, e in wanted
            ]
            if anchor is not re2._Anchor.UNANCHORED:
                # The lookbehind has a fixed width, but at the start of the text a
                # negative one reads nothing: the core must start where asked.
                if python_spans[0][0] == pos:
                    yield _Match(self, text, python_spans, pos, end)
                return
            yield _Match(self, text, python_spans, pos, end)
            # The next search starts where this match ended, less the lookbehind;
            # the core is never empty, so each search starts further on.
            first_core = python_spans[0][1]

    @staticmethod
    def _regexp_match(regexp: Any, anchor: Any, data: bytes, start: int) -> Any:
        spans = regexp.Match(anchor, data, start, len(data))
        return None if spans[0][0] < 0 else spans

    def _python_matches(self, anchor: Any, text: str, pos: int, end: int) -> Iterator[Any]:
        """Python's engine, for text RE2 cannot read (lone surrogates)."""
        if anchor is re2._Anchor.UNANCHORED:
            yield from self._python().finditer(text, pos, end)
            return
        method = self._python().match if anchor is re2._Anchor.ANCHOR_START else None
        match = (method or self._python().fullmatch)(text, pos, end)
        if match is not None:
            yield match

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> _Match | None:
        return next(self._matches(re2._Anchor.UNANCHORED, text, pos, endpos), None)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> _Match | None:
        return next(self._matches(re2._Anchor.ANCHOR_START, text, pos, endpos), None)

    def fullmatch(self, text: str, pos: int = 0, endpos: int | None = None) -> _Match | None:
        return next(self._matches(re2._Anchor.ANCHOR_BOTH, text, pos, endpos), None)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[_Match]:
        return self._matches(re2._Anchor.UNANCHORED, text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int | None = None) -> list[Any]:
        out: list[Any] = []
        for match in self.finditer(text, pos, endpos):
            if self.groups == 0:
                out.append(match.group())
            elif self.groups == 1:
                out.append(match.groups("")[0])
            else:
                out.append(match.groups(""))
        return out

    def subn(self, repl: str | Callable[[Any], str], text: str, count: int = 0) -> tuple[str, int]:
        pieces, last, done = [], 0, 0
        for match in self.finditer(text):
            if count and done == count:
                break
            start, end = match.span()
            pieces.append(text[last:start])
            pieces.append(repl(match) if callable(repl) else match.expand(repl))
            last, done = end, done + 1
        pieces.append(text[last:])
        return "".join(pieces), done

    def sub(self, repl: str | Callable[[Any], str], text: str, count: int = 0) -> str:
        return self.subn(repl, text, count)[0]

    def split(self, text: str, maxsplit: int = 0) -> list[Any]:
        pieces: list[Any] = []
        last = 0
        for done, match in enumerate(self.finditer(text)):
            if maxsplit and done == maxsplit:
                break
            pieces.append(text[last : match.start()])
            pieces.extend(match.groups())
            last = match.end()
        pieces.append(text[last:])
        return pieces


class _BoundedInput:
    """Python's re on inputs the caller keeps short: longer ones are a bug, and raise."""

    def __init__(self, compiled: re.Pattern[str], max_input: int, precheck: _Precheck) -> None:
        self._compiled = compiled
        self.max_input = max_input
        self._precheck = precheck
        self.pattern = compiled.pattern
        self.flags = compiled.flags
        self.groups = compiled.groups
        self.groupindex = compiled.groupindex

    def __repr__(self) -> str:
        return f"bounded({self.pattern!r}, max_input={self.max_input})"

    def _check(self, text: str, pos: int, endpos: int | None) -> None:
        end = len(text) if endpos is None else min(endpos, len(text))
        if end - pos > self.max_input:
            raise ValueError(
                f"pattern {self.pattern!r} is only bounded on {self.max_input} characters "
                f"and was given {end - pos}"
            )

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        self._check(text, pos, endpos)
        end = len(text) if endpos is None else endpos
        if self._precheck.excludes(text, pos, end, anchored=False):
            return None
        return self._compiled.search(text, pos, end)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        self._check(text, pos, endpos)
        end = len(text) if endpos is None else endpos
        if self._precheck.excludes(text, pos, end, anchored=True):
            return None
        return self._compiled.match(text, pos, end)

    def fullmatch(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        self._check(text, pos, endpos)
        end = len(text) if endpos is None else endpos
        if self._precheck.excludes(text, pos, end, anchored=True):
            return None
        return self._compiled.fullmatch(text, pos, end)


# ---------------------------------------------------------------------------


def _python_compile(pattern: str, flags: int, parsed: Any) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the syntax tree :func:`_choose` has parsed
    already: what ``re._compiler.compile`` does after its own parse (Python 3.11,
    which pyproject.toml pins), without parsing the pattern a second time (half the
    cost of compiling most rules). A test checks that the result equals
    ``re.compile``'s (``re.Pattern`` compares its pattern, flags and code).
    Call it after any other reading of ``parsed``."""
    flags = int(flags)
    if flags & (_c.SRE_FLAG_DEBUG | _c.SRE_FLAG_TEMPLATE):  # never ours: re.compile prints or warns
        return re.compile(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = parsed.state.groupdict
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return cast(
        "re.Pattern[str]",
        _sre.compile(
            pattern,
            flags | parsed.state.flags,
            code,
            parsed.state.groups - 1,
            groupindex,
            tuple(indexgroup),
        ),
    )


def _choose(pattern: str, flags: int, max_input: int | None) -> tuple[str, Any]:
    try:
        parsed = _parser.parse(pattern, flags)
    except re.error as error:
        problem = Problem(f"pattern {pattern!r}", f"not a valid regex: {error}")
        raise UnboundedPattern([problem]) from error
    unbounded = _unbounded_repeat(parsed.data)
    # A bounded pattern, or one whose only unbounded part is a final run of one
    # character class, reads a bounded number of characters from each start
    # position: Python's engine runs it in linear time, and in C, where each call
    # into RE2 costs a few microseconds of Python.
    if unbounded is None or _ends_in_one_character_repeat(parsed):
        return "re", _python_compile(pattern, flags, parsed)
    if max_input is not None and not _nested_unbounded(parsed.data):
        # The caller searches windows of bounded length: re is linear there too (a
        # window costs a polynomial of its bounded length), and cheaper per call
        # than RE2 on short windows. A repeat inside a repeat is exponential even
        # on a short window, so it is left to RE2 or refused.
        precheck = _precheck(parsed)
        return "re-bounded-input", _BoundedInput(
            _python_compile(pattern, flags, parsed), max_input, precheck
        )
    try:
        return "re2", Re2Pattern(pattern, flags, _plan(parsed), _precheck(parsed))
    except _NotExpressible as error:
        reason = str(error)
    except re2.error as error:
        reason = f"RE2 refused the translation ({error})"
    raise UnboundedPattern(
        [
            Problem(
                f"pattern {pattern!r}",
                f"{reason} with an unbounded repeat ({unbounded}); RE2 cannot express it and "
                "Python's re may backtrack without bound",
                hint="bound the repeat ({0,200}) or drop the lookaround, backreference or \\b",
            )
        ]
    )


# Compiled patterns, by (pattern, flags, max_input): rules files are compiled once
# per process, and the tests read this to check every pattern the steps use.
_CACHE: dict[tuple[str, int, int | None], tuple[str, Any]] = {}


def _compile(pattern: str, flags: int, max_input: int | None) -> tuple[str, Any]:
    key = (pattern, flags, max_input)
    if key not in _CACHE:
        _CACHE[key] = _choose(pattern, flags, max_input)
    return _CACHE[key]


def compile(pattern: str, flags: int = 0, *, max_input: int | None = None) -> re.Pattern[str]:
    """Compile ``pattern`` for an engine that runs it in linear time, or raise why not.

    The result answers ``search``, ``match``, ``fullmatch``, ``finditer``,
    ``findall``, ``sub``, ``subn`` and ``split`` on str exactly as ``re`` would (a
    differential test checks it); it is typed as ``re.Pattern`` so callers keep
    their annotations. ``max_input`` promises that the caller never searches more
    than that many characters at once.
    """
    return cast("re.Pattern[str]", _compile(pattern, flags, max_input)[1])


def required_characters(pattern: str, flags: int = 0) -> str | None:
    """Characters every match of ``pattern`` holds one of (the rarest such set found in
    its syntax tree), or None when no small one is found: a text with none of them has
    no match, and a search for the set is far cheaper than the pattern's.

    >>> required_characters(r"(?:Source|Quelle)\\s*[:：]\\s*\\w+")
    ':：'
    >>> required_characters(r"\\w+") is None
    True
    """
    parsed = _parser.parse(pattern, flags)
    ranges = _required(parsed.data, parsed.state.flags)
    if ranges is None or _size(ranges) > _MAX_PRECHECK_SET:
        return None
    return "".join(chr(code) for low, high in ranges for code in range(low, high + 1))


def alternatives(pattern: str) -> tuple[re.Pattern[str], ...]:
    """``pattern``'s top-level alternatives, each compiled alone: ``A|B`` matches somewhere
    in a text exactly when ``A`` or ``B`` does (at a position where an alternative matches,
    the alternation matches too), so ``any`` of their searches is the pattern's search
    as a yes or no. Alone, an alternative opening with a character class or a literal is
    searched by the engine's scan for its first character; the alternation, whose
    branches open with classes, is tried branch by branch at every position: the classifier's
    ``code_marks`` took twice as long so. A pattern with global flags (which the pieces would not
    carry), or whose pieces do not all compile, is its own one alternative.

    >>> [p.pattern for p in alternatives(r"[{};]|(?:a|b)\\(|[|]x|\\|y")]
    ['[{};]', '(?:a|b)\\\\(', '[|]x', '\\\\|y']
    >>> [p.pattern for p in alternatives(r"(?i)a|b")]
    ['(?i)a|b']
    """
    whole = (compile(pattern),)
    if _parser.parse(pattern).state.flags & ~_c.SRE_FLAG_UNICODE:
        return whole
    pieces: list[str] = []
    depth = 0
    start = 0
    position = 0
    while position < len(pattern):
        character = pattern[position]
        if character == "\\":
            position += 2
            continue
        if character == "[":
            # A set: its "]" right after "[" or "[^" is a member, and "|" or a bracket
            # inside it is one too.
            position += 1
            if pattern.startswith("^", position):
                position += 1
            if pattern.startswith("]", position):
                position += 1
            while position < len(pattern) and pattern[position] != "]":
                position += 2 if pattern[position] == "\\" else 1
        elif character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
        elif character == "|" and depth == 0:
            pieces.append(pattern[start:position])
            start = position + 1
        position += 1
    pieces.append(pattern[start:])
    try:
        return tuple(compile(piece) for piece in pieces)
    except (re.error, UnboundedPattern):
        return whole


# The least "most" match_widths gives a pattern whose match can be as long as it likes:
# Python's parser counts an unbounded repeat as MAXREPEAT times its body's width.
UNBOUNDED_WIDTH = int(_c.MAXREPEAT)


def match_widths(pattern: str, flags: int = 0) -> tuple[int, int]:
    """The fewest and the most characters a match of ``pattern`` can span (the most is
    :data:`UNBOUNDED_WIDTH` or more when a repeat is unbounded): ``fullmatch`` on a
    text of another length cannot succeed, and is not worth starting.

    >>> match_widths(r"(?i:search results? for)\\b.{0,100}")
    (17, 118)
    >>> match_widths(r"\\d+")[0], match_widths(r"\\d+")[1] >= UNBOUNDED_WIDTH
    (1, True)
    >>> match_widths(r"(?:\\d{1,65535}){1,65535}")[1] < UNBOUNDED_WIDTH
    True
    """
    low, high = _parser.parse(pattern, flags).getwidth()
    return int(low), int(high)


def engine(compiled: object) -> str:
    """Which engine runs a compiled pattern: ``re2``, ``re`` or ``re-bounded-input``."""
    if isinstance(compiled, Re2Pattern):
        return "re2"
    if isinstance(compiled, _BoundedInput):
        return "re-bounded-input"
    return "re"


def why_unbounded(pattern: str, flags: int = 0, *, max_input: int | None = None) -> str | None:
    """Why ``pattern`` cannot be run in linear time, or None if it can.

    With ``max_input``, on windows of at most that many characters.

    >>> why_unbounded(r"(?<=x)\\s*\\S(?=y)") is None
    True
    >>> print(why_unbounded(r"a(?=b)\\s+c").split(": ", 1)[1])  # doctest: +ELLIPSIS
    a lookaround in the middle of the pattern with an unbounded repeat (+); ...
    """
    try:
        _compile(pattern, flags, max_input)
    except UnboundedPattern as error:
        return "\n".join(str(p) for p in error.problems)
    return None
