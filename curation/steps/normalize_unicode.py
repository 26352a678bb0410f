"""Encoding repair and Unicode normalization: the first step every seed goes through.

Four passes, each recorded under its own name so the provenance replays, repeated
until the text no longer changes:

``ftfy``
    mojibake and other encoding damage, repaired line by line by ftfy under the
    fixed configuration :data:`FTFY_CONFIG`;
``nfc``
    Unicode NFC, so that the same visible text has the same code points;
``characters``
    line ends become ``\\n`` (a soft hyphen at a line end joins the broken word);
    control and invisible characters go, and so do bidi embedding, override and
    isolate controls (version 2), which can make text display as other text; every
    other kind of space becomes an ordinary space;
``spacing``
    runs of spaces collapse; spaces at the ends of lines, whitespace-only lines,
    runs of blank lines and blank lines at the document's edges go.

Paragraph structure (single vs. double line breaks) is left for ``repair_layout``.
"""

from __future__ import annotations

import difflib
import functools
import re
import re._constants as _c
import re._parser as _parser
import unicodedata
from collections.abc import Iterator
from typing import Any, cast

import ftfy

from curation import patterns
from curation.record import Change, Record
from curation.rules import RuleSet
from curation.steps.base import Step, StepOutput

NAME = "normalize_unicode"
VERSION = 2  # 2: bidi controls are removed (rule bidi_control)
STEP_ID = f"{NAME}_v{VERSION}"

# Every option is spelled out, so an ftfy upgrade that changes a default cannot
# change our output silently. Start from datatrove's formatters/ftfy.py choices.
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,  # plain-text seeds: "&amp;" may be the article's own text
    remove_terminal_escapes=True,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,  # ligatures are left to NFC; NFKC would also fold CJK
    fix_character_width=False,  # would turn CJK full-width punctuation into ASCII
    uncurl_quotes=False,  # curly quotes are correct typography, not damage
    fix_line_breaks=False,  # done below, with its own rule name
    fix_surrogates=True,
    remove_control_chars=False,  # done below, with its own rule name
    normalization=None,  # NFC is its own pass
    max_decode_length=1_000_000,
    explain=True,
)

# Zero-width and invisible format characters that carry no text. ZWJ and ZWNJ are
# kept: they change how Indic and Arabic scripts and emoji are written.
_INVISIBLE = "\N{ZERO WIDTH SPACE}\N{ZERO WIDTH NO-BREAK SPACE}\N{SOFT HYPHEN}\N{WORD JOINER}"

# Bidi embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069) make
# the characters around them display in another order than they are stored ("Trojan
# Source"): a reader would see other text than the dataset holds. The marks LRM,
# RLM and ALM are kept: they only nudge neutral characters in right-to-left text.
_BIDI_CONTROLS = (
    "\N{LEFT-TO-RIGHT EMBEDDING}-\N{RIGHT-TO-LEFT OVERRIDE}"
    "\N{LEFT-TO-RIGHT ISOLATE}-\N{POP DIRECTIONAL ISOLATE}"
)

_CHARACTER_RULES = patterns.compile(
    # A soft hyphen at a line end marks where a word was broken: join the two halves
    # here, since the invisible hyphen is about to go and would leave "раз личных".
    r"(?P<soft_hyphen_break>\N{SOFT HYPHEN}[ \t]*(?:\r\n?|\n)[ \t]*)"
    r"|(?P<line_end>\r\n?|[\N{LINE SEPARATOR}\N{PARAGRAPH SEPARATOR}\x85\x0b\x0c])"
    r"|(?P<control_character>[\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f])"
    rf"|(?P<invisible_character>[{_INVISIBLE}])"
    rf"|(?P<bidi_control>[{_BIDI_CONTROLS}])"
    r"|(?P<space_character>[^\S\n ]+)"
)

_SPACING_RULES = patterns.compile(
    r"(?P<document_start>\A\s+)"
    r"|(?P<document_end>\s+\Z)"
    r"|(?P<blank_lines>\n[ \n]*\n(?=[^\n]))"
    r"|(?P<trailing_space> +(?=\n))"
    r"|(?P<leading_space>(?<=\n) +)"
    r"|(?P<repeated_spaces>  +)"
)

_SPACING_REPLACEMENT = {
    "document_start": "",
    "document_end": "",
    "blank_lines": "\n\n",
    "trailing_space": "",
    "leading_space": "",
    "repeated_spaces": " ",
}

_CHARACTER_REPLACEMENT = {
    "soft_hyphen_break": "",
    "line_end": "\n",
    "control_character": "",
    "invisible_character": "",
    "bidi_control": "",
    "space_character": " ",
}


def _lines(text: str) -> Iterator[tuple[int, str]]:
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


# difflib's SequenceMatcher takes time cubic in the length of a repetitive text (a
# line of 3,000 characters of "Ã© " took three minutes), so it only compares short
# pieces: 400 cells is two words of 20 characters, where it costs microseconds.
_DIFF_MAX_CELLS = 400
_WHITESPACE_SPLIT = patterns.compile(r"(\s+)")


def _diff_changes(offset: int, before: str, after: str, rule: str) -> Iterator[Change]:
    """The smallest spans of ``before`` that differ from ``after``, as changes.

    ftfy and NFC repair characters inside words and leave whitespace alone, so the
    two lines are compared word by word when their whitespace agrees.

    >>> [(c.start, c.end, c.replacement) for c in _diff_changes(0, "Ã© Ã©", "é é", "x")]
    [(0, 2, 'é'), (3, 5, 'é')]
    """
    before_parts = _WHITESPACE_SPLIT.split(before)
    after_parts = _WHITESPACE_SPLIT.split(after)
    if len(before_parts) != len(after_parts) or before_parts[1::2] != after_parts[1::2]:
        yield from _diff_piece(offset, before, after, rule)
        return
    for before_part, after_part in zip(before_parts, after_parts, strict=True):
        if before_part != after_part:
            yield from _diff_piece(offset, before_part, after_part, rule)
        offset += len(before_part)


def _common_prefix(a: str, b: str) -> int:
    """The length of the longest common prefix, by bisection on slices compared in C.

    >>> _common_prefix("abcx", "abcy"), _common_prefix("", "a")
    (3, 0)
    """
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _diff_piece(offset: int, before: str, after: str, rule: str) -> Iterator[Change]:
    if len(before) * len(after) > _DIFF_MAX_CELLS:
        # Too long for difflib: what lies between the common prefix and suffix is
        # compared if it is short, and replaced whole if not.
        prefix = _common_prefix(before, after)
        room = min(len(before), len(after)) - prefix
        suffix = min(_common_prefix(before[::-1], after[::-1]), room)
        before_middle = before[prefix : len(before) - suffix]
        after_middle = after[prefix : len(after) - suffix]
        if len(before_middle) * len(after_middle) > _DIFF_MAX_CELLS:
            yield Change(offset + prefix, offset + len(before) - suffix, after_middle, rule)
            return
        offset, before, after = offset + prefix, before_middle, after_middle
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            yield Change(offset + i1, offset + i2, after[j1:j2], rule)


# What FTFY_CONFIG lets ftfy change: mojibake, which it only tries to fix where its
# detector (ftfy.badness.BADNESS_RE, its ``is_bad``) finds some, C1 controls, surrogates
# and terminal escapes (fix_c1_controls, fix_surrogates and remove_terminal_escapes
# need these characters; every other fixer is off). A line with none of them, where the
# detector finds nothing, is left as it is by ftfy, and is not given to it (most lines
# of most languages).
_OTHER_FIXES = patterns.compile(r"[\x80-\x9f\ud800-\udfff\x1b]")
_DETECTOR = ftfy.badness.BADNESS_RE

# The items of a parsed pattern that read one character each, and nothing around it.
_ONE_CHARACTER = (_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY)


def _commonness(characters: frozenset[str]) -> tuple[bool, int, int]:
    """How often a set of characters is to be expected in a line of text (lower: rarer).

    ASCII is in most lines of every language, and so are the cased letters of each
    alphabet (Cyrillic В, Romanian Î); the symbols and odd letters that mojibake is
    made of (ƒ, ¤, Ђ) are seldom met elsewhere.
    """
    return (
        any(ch.isascii() for ch in characters),
        sum(1 for ch in characters if unicodedata.category(ch) in ("Lu", "Ll")),
        len(characters),
    )


def _consumed_characters(op: object, av: object) -> frozenset[str] | None:
    """The characters a one-character item of a parsed pattern matches, if it lists them."""
    if op is _c.LITERAL:
        return frozenset(chr(cast(int, av)))
    if op is not _c.IN:
        return None
    found: set[str] = set()
    for item_op, item_av in cast(list[tuple[object, object]], av):
        if item_op is _c.LITERAL:
            found.add(chr(cast(int, item_av)))
        elif item_op is _c.RANGE:
            low, high = cast(tuple[int, int], item_av)
            found.update(map(chr, range(low, high + 1)))
        else:
            return None  # a category (\w) or a negated set: too many to list
    return frozenset(found)


def _window_safe(items: object) -> bool:
    """Whether a parsed pattern reads nothing but the characters a match consumes and
    the start of the text (which a search from a later position sees as it is): no
    lookaround, no ``\\b``, no ``$``, so a match is found in any window that holds it."""
    for op, av in cast(list[tuple[object, Any]], items):
        if op is _c.AT:
            safe = av in (_c.AT_BEGINNING, _c.AT_BEGINNING_STRING)
        elif op is _c.BRANCH:
            safe = all(_window_safe(branch) for branch in av[1])
        elif op is _c.SUBPATTERN:
            safe = _window_safe(av[3])
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            safe = _window_safe(av[2])
        else:
            safe = op in _ONE_CHARACTER
        if not safe:
            return False
    return True


def _mojibake_suspects() -> tuple[re.Pattern[str], int] | None:
    """Characters every match of ftfy's detector holds one of, and how far a match may
    reach from one of them; None when the detector is not a plain alternation of
    sequences of characters (an ftfy whose detector is then searched whole).

    Each alternative of the detector is a sequence of characters; of the ones every
    match of it reads (not in an optional part), the rarest in text is taken
    (:func:`_commonness`; among equals the later one: in "вЂ" the Ђ, mojibake's
    second character, not the common в). A line without any of the chosen characters
    has no match. A match holding one at position ``q`` is no wider than the
    detector's widest match, ``width``, so it lies inside ``q - width + 1`` to
    ``q + width``: the detector is searched in those windows only.
    """
    parsed = _parser.parse(_DETECTOR.pattern, _DETECTOR.flags)
    width = patterns.match_widths(_DETECTOR.pattern, _DETECTOR.flags)[1]
    if (
        _DETECTOR.flags & re.IGNORECASE
        or len(parsed.data) != 1
        or parsed.data[0][0] is not _c.BRANCH
        or not _window_safe(parsed.data)
        or width > 64
    ):
        return None
    chosen: set[str] = set()
    for branch in parsed.data[0][1][1]:
        sets: list[frozenset[str]] = [
            s for op, av in branch if (s := _consumed_characters(op, av)) is not None
        ]
        if not sets:
            return None
        rarest = min(sets[::-1], key=_commonness)
        chosen.update(rarest)
    spelled = "".join(f"\\U{ord(ch):08x}" for ch in sorted(chosen))
    return patterns.compile(f"[{spelled}]"), width


_SUSPECTS = _mojibake_suspects()


def looks_like_mojibake(line: str) -> bool:
    """ftfy's ``is_bad(line)``: whether its detector finds mojibake, found by searching
    only near the characters every match holds (:func:`_mojibake_suspects`).

    >>> looks_like_mojibake("SchÃ¶n"), looks_like_mojibake("«Вода» — это жизнь.")
    (True, False)
    """
    if _SUSPECTS is None:
        return _DETECTOR.search(line) is not None
    suspects, width = _SUSPECTS
    start = end = -1
    for found in suspects.finditer(line):
        position = found.start()
        if position - width + 1 > end:  # a new window: search the one before
            if end >= 0 and _DETECTOR.search(line, start, end) is not None:
                return True
            start = max(0, position - width + 1)
        end = position + width
    return end >= 0 and _DETECTOR.search(line, start, end) is not None


def ftfy_may_change(line: str) -> bool:
    """Whether ftfy, under :data:`FTFY_CONFIG`, may change ``line`` (False: it leaves it
    as it is, with nothing to explain).

    >>> ftfy_may_change("SchÃ¶n"), ftfy_may_change("Schön"), ftfy_may_change("a\\x1b[0m")
    (True, False, True)
    """
    return _OTHER_FIXES.search(line) is not None or looks_like_mojibake(line)


def ftfy_changes(text: str, settled: set[str] | None = None) -> list[Change]:
    """Encoding repairs, line by line, named for the ftfy fixes that made them.

    ``settled``, if given, holds lines ftfy is known to leave as they are: they are
    not given to it again, and each line it leaves as it is is added. ftfy's answer
    is a function of the line alone (its configuration is fixed), and :func:`run`'s
    second round meets again most lines its first round gave ftfy: every line of a
    seed that ends with a line break, since removing that break is a change.

    >>> [c.replacement for c in ftfy_changes("SchÃ¶n")]
    ['ö']
    """
    changes: list[Change] = []
    for offset, line in _lines(text):
        if not ftfy_may_change(line):
            continue  # nothing ftfy could fix; the common case, kept cheap
        if settled is not None and line in settled:
            continue
        fixed, explanation = ftfy.fix_and_explain(line, config=FTFY_CONFIG)
        if fixed != line:
            names = sorted({name for _action, name in explanation or ()}) or ["fix"]
            changes.extend(_diff_changes(offset, line, fixed, "ftfy_" + "+".join(names)))
        elif settled is not None:
            settled.add(line)
    return changes


def nfc_changes(text: str) -> list[Change]:
    """Spans whose NFC form differs, line by line."""
    if unicodedata.is_normalized("NFC", text):
        return []
    changes: list[Change] = []
    for offset, line in _lines(text):
        normal = unicodedata.normalize("NFC", line)
        if normal != line:
            changes.extend(_diff_changes(offset, line, normal, "nfc"))
    return changes


def _regex_changes(
    text: str, pattern: re.Pattern[str], replacement: dict[str, str]
) -> list[Change]:
    changes = []
    for match in pattern.finditer(text):
        rule = match.lastgroup
        assert rule is not None
        if match.group() != replacement[rule]:
            changes.append(Change(match.start(), match.end(), replacement[rule], rule))
    return changes


def character_changes(text: str) -> list[Change]:
    r"""Line ends, control, invisible and space characters.

    >>> [c.rule for c in character_changes("a\r\nb\N{NO-BREAK SPACE}c\x07")]
    ['line_end', 'space_character', 'control_character']
    >>> [c.rule for c in character_changes("\N{RIGHT-TO-LEFT OVERRIDE}cod.exe")]
    ['bidi_control']
    """
    return _regex_changes(text, _CHARACTER_RULES, _CHARACTER_REPLACEMENT)


def spacing_changes(text: str) -> list[Change]:
    r"""Spaces and blank lines; expects :func:`character_changes` to have run.

    >>> from curation.record import apply_changes
    >>> apply_changes(" a  b \n \n\n\nc\n", spacing_changes(" a  b \n \n\n\nc\n"))
    'a b\n\nc'
    """
    if not _may_respace(text):
        return []
    return _regex_changes(text, _SPACING_RULES, _SPACING_REPLACEMENT)


# Two characters that every change of _SPACING_RULES inside a text holds (see
# _may_respace).
_RESPACED_PAIRS = ("  ", " \n", "\n ")


def _may_respace(text: str) -> bool:
    r"""False when :data:`_SPACING_RULES` can change nothing in ``text``.

    Every match of the rules is whitespace, and one that changes something needs:
    whitespace at the text's first character (``document_start``) or its last
    (``document_end``; ``\s`` is ``str.isspace``); two spaces (``repeated_spaces``);
    a space before a line break (``trailing_space``) or after one
    (``leading_space``); or, for ``blank_lines``, more than the two line breaks it
    puts back: a space next to a line break, or three line breaks in a row. A text
    the pass has already gone over has none of them, so :func:`run`'s second round
    is not searched again.

    >>> _may_respace("a\n\nb"), _may_respace("a\n\n\nb"), _may_respace("a\n")
    (False, True, True)
    """
    return (
        text[:1].isspace()
        or text[-1:].isspace()
        or "\n\n\n" in text
        or any(pair in text for pair in _RESPACED_PAIRS)
    )


PASSES = (
    ("ftfy", ftfy_changes),
    ("nfc", nfc_changes),
    ("characters", character_changes),
    ("spacing", spacing_changes),
)


# ftfy decides from context, and the later passes change the context (a no-break
# space between two mojibake bytes hides them): the passes repeat until nothing
# changes, so the step is idempotent. Real text settles in one or two rounds.
MAX_ROUNDS = 4


def run(record: Record, rules: RuleSet) -> StepOutput:
    # Lines ftfy left as they were, kept for the rounds after the first (see ftfy_changes).
    settled: set[str] = set()
    passes = tuple(
        (name, functools.partial(ftfy_changes, settled=settled) if name == "ftfy" else changes)
        for name, changes in PASSES
    )
    for round_number in range(1, MAX_ROUNDS + 1):
        before = record.text
        for pass_name, find_changes in passes:
            # Later rounds get their own pass names, so provenance replays batch by batch.
            name = pass_name if round_number == 1 else f"{pass_name}.{round_number}"
            record = record.with_changes(f"{STEP_ID}/{name}", find_changes(record.text))
        if record.text == before:
            break
    return (record,)


STEP = Step(
    NAME,
    VERSION,
    "ftfy encoding repair (fixed configuration), NFC, control, invisible and bidi control "
    "characters, line ends and whitespace",
    run,
)
