"""curation.patterns: RE2 runs the steps' patterns exactly as Python's re would.

Every pattern the pipeline compiles is checked against ``re`` on generated text
made of the characters the pattern mentions, so the translation (Unicode classes,
case folding, lookarounds at the edges, pos and endpos) is tested where it is used.
"""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curation import patterns
from curation.errors import InvalidInput, UnboundedPattern
from curation.record import Record
from curation.rules import load_rules
from curation.steps import PIPELINE
from curation.steps.base import Drop

REPO = Path(__file__).resolve().parent.parent


def _run_pipeline_once() -> None:
    records = [Record("000_0000000000000000", 0, "Title\n\nBy Anna. Text. 12:30 pm.\n\n数字。")]
    rules = load_rules()
    for step in PIPELINE:
        out: list[Record] = []
        for record in records:
            result = step.run(record, rules)
            out.extend(() if isinstance(result, Drop) else result)
        records = out


_run_pipeline_once()
RE2_PATTERNS = sorted(
    (key[0], key[1]) for key, (kind, _) in patterns._CACHE.items() if kind == "re2"
)


def test_the_steps_run_most_patterns_on_re2() -> None:
    # If this drops, a pattern fell back to re (bounded, so still linear): look why.
    # 47 since the metadata fragments bound their repeats (`year_word`: `\s{0,3}`),
    # which makes the date formats bounded and run on re, still in linear time.
    assert len(RE2_PATTERNS) >= 45


# Calls that would run a pattern on Python's backtracking engine without the check.
_DIRECT_RE = re.compile(r"\bre\.(?:compile|search|match|fullmatch|finditer|findall|subn?|split)\(")


# The record steps and corpus passes read seed text; steps merged later are covered.
SEED_READERS = sorted([*REPO.glob("curation/steps/*.py"), *REPO.glob("curation/corpus/*.py")])


@pytest.mark.parametrize("path", SEED_READERS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_steps_compile_their_patterns_through_curation_patterns(path: Path) -> None:
    calls = [
        f"{path.name}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _DIRECT_RE.search(line)
    ]
    assert not calls, "use curation.patterns.compile, which runs in linear time:\n" + "\n".join(
        calls
    )


def _alphabet(pattern: str) -> list[str]:
    characters = {c for c in pattern if c not in "\\[](){}?*+|^$"}
    return sorted(characters | set(" \n\t\N{NO-BREAK SPACE}aZ9.-,:é中İ\N{ARABIC LETTER ALEF}"))


@st.composite
def _case(draw: st.DrawFn) -> tuple[str, int, str, int, int]:
    pattern, flags = draw(st.sampled_from(RE2_PATTERNS))
    text = draw(st.text(st.sampled_from(_alphabet(pattern)), max_size=60))
    pos = draw(st.integers(0, len(text)))
    endpos = draw(st.integers(pos, len(text)))
    return pattern, flags, text, pos, endpos


def _spans(match: re.Match[str] | None, groups: int) -> object:
    if match is None:
        return None
    return [match.span(i) for i in range(groups + 1)]


@settings(max_examples=3000, deadline=None)
@given(_case())
def test_re2_patterns_match_as_python_re_does(case: tuple[str, int, str, int, int]) -> None:
    pattern, flags, text, pos, endpos = case
    ours, python = patterns.compile(pattern, flags), re.compile(pattern, flags)
    assert patterns.engine(ours) == "re2"
    groups = python.groups
    assert [_spans(m, groups) for m in ours.finditer(text, pos, endpos)] == [
        _spans(m, groups) for m in python.finditer(text, pos, endpos)
    ]
    for method in ("search", "match", "fullmatch"):
        assert _spans(getattr(ours, method)(text, pos, endpos), groups) == _spans(
            getattr(python, method)(text, pos, endpos), groups
        ), method
    assert ours.sub("<>", text) == python.sub("<>", text)
    assert ours.split(text) == python.split(text)


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        # Python's classes are Unicode; RE2's \w, \d, \s are ASCII unless translated.
        (r"[^\W\d_]+", "Ünïcödé ٣ 数字"),
        (r"\s+", "a\N{NO-BREAK SPACE}\N{IDEOGRAPHIC SPACE}b"),
        (r"\d+", "٣٤ 12"),
        # Python's (?i) folds İ to i, ſ to s, K (Kelvin) to k; Unicode case folding does not.
        (r"(?i:ilgili haber)\w+", "İlgili Haberler"),
        (r"(?i:sk)+", "ſK"),
        # Edge lookarounds: the match starts after the lookbehind, ends before the lookahead.
        (r"(?<=\S)[.!?]+(?=[^\W\d_])", ". ..x a.b"),
        (r"(?<![0-9])[0-9]+(?![.])", "123 45. 6"),
        (r"(?P<a>(?<=\n) +)|(?P<b> +(?=\n))|(?P<c>  +)", "x  \n  y   z"),
        (r"a+$", "baa\n"),
    ],
)
def test_translation_keeps_python_meaning(pattern: str, text: str) -> None:
    python = re.compile(pattern)
    ours = patterns.compile(pattern)
    assert [(m.span(), m.groups()) for m in ours.finditer(text)] == [
        (m.span(), m.groups()) for m in python.finditer(text)
    ]


def test_engine_choice() -> None:
    # Unbounded and RE2-expressible: RE2.
    assert patterns.engine(patterns.compile(r"(?<=\S)[.!?]+(?=\w)")) == "re2"
    # Lookaround in the middle, but every repeat bounded: Python's re.
    assert patterns.engine(patterns.compile(r"a(?=b).{0,20}\bc")) == "re"
    # One final repeat of one character: a match never backtracks into it.
    assert patterns.engine(patterns.compile(r"(?:\s|(?<!\w)-)+")) == "re"
    # Bounded only by what the caller passes: refuses more.
    windowed = patterns.compile(r"\s*(?:x(?!\s))+\Z", max_input=10)
    assert patterns.engine(windowed) == "re-bounded-input"
    assert windowed.search("  xx") is not None
    with pytest.raises(ValueError, match="only bounded on 10 characters"):
        windowed.search("x" * 11)


def test_every_engine_survives_a_pickle() -> None:
    """Rules compiled in one process travel to others by pickle (Ray ships the corpus
    passes, which hold compiled rules, to its workers): a copy runs on the same engine
    and answers as the original, whose RE2 program itself does not pickle."""
    texts = ["Hi. No!", "x" * 5, "  xx", "Мир. 世界？", "a world"]
    for compiled in (
        patterns.compile(r"(?<=\S)[.!?]+(?=\w)"),
        patterns.compile(r"(?i)(?:мир|world)\W+\w+"),
        patterns.compile(r"a(?=b).{0,20}\bc"),
        patterns.compile(r"\s*(?:x(?!\s))+\Z", max_input=10),
    ):
        copy = pickle.loads(pickle.dumps(compiled))
        assert patterns.engine(copy) == patterns.engine(compiled)
        assert (copy.pattern, copy.flags) == (compiled.pattern, compiled.flags)
        found = [compiled.search(t) for t in texts]
        assert [m and m.span() for m in map(copy.search, texts)] == [m and m.span() for m in found]


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (r"(\w+)\1", "backreference"),
        (r"a(?=b)\s*c", "lookaround in the middle"),
        (r"(?:x+x+)+y\b", "word boundary"),
        (r"(?>a+)b+", "atomic group"),
    ],
)
def test_unbounded_patterns_are_refused_with_the_reason(pattern: str, why: str) -> None:
    with pytest.raises(UnboundedPattern) as caught:
        patterns.compile(pattern)
    assert isinstance(caught.value, InvalidInput)
    message = str(caught.value)
    assert why in message and repr(pattern) in message
    assert patterns.why_unbounded(pattern) is not None


def test_all_characters_is_every_code_point_in_order() -> None:
    # Decoded from UTF-32 (surrogates passed through): the string the character sets
    # are read from, one character per code point, as "".join(map(chr, ...)) made it.
    everything = patterns._all_characters()
    assert everything == "".join(map(chr, range(0x110000)))
    assert everything[0xD800] == "\ud800" and everything[-1] == "\U0010ffff"


def test_lowercase_groups_are_every_code_point_that_lowers_to_the_key() -> None:
    import _sre

    groups: dict[int, list[int]] = {}
    for code in range(0x110000):
        groups.setdefault(_sre.unicode_tolower(code), []).append(code)
    for key, members in groups.items():
        assert patterns._lowercase_group(key) == tuple(members), hex(key)
    assert patterns._lowercase_group(0xE000) == (0xE000,)  # lowers to itself, alone


BOUNDED_PATTERNS = sorted(
    (key[0], key[1], key[2])
    for key, (kind, _) in patterns._CACHE.items()
    if kind == "re-bounded-input" and key[2] is not None
)


@st.composite
def _bounded_case(draw: st.DrawFn) -> tuple[str, int, int, str, int, int]:
    pattern, flags, max_input = draw(st.sampled_from(BOUNDED_PATTERNS))
    text = draw(st.text(st.sampled_from(_alphabet(pattern)), max_size=min(60, max_input)))
    pos = draw(st.integers(0, len(text)))
    endpos = draw(st.integers(pos, len(text)))
    return pattern, flags, max_input, text, pos, endpos


@settings(max_examples=2000, deadline=None)
@given(_bounded_case())
def test_bounded_input_patterns_match_as_python_re_does(
    case: tuple[str, int, int, str, int, int],
) -> None:
    """The pre-checks (a required character, a first character) never hide a match."""
    pattern, flags, max_input, text, pos, endpos = case
    ours = patterns.compile(pattern, flags, max_input=max_input)
    python = re.compile(pattern, flags)
    for method in ("search", "match", "fullmatch"):
        assert _spans(getattr(ours, method)(text, pos, endpos), python.groups) == _spans(
            getattr(python, method)(text, pos, endpos), python.groups
        ), method


@pytest.mark.parametrize(
    ("pattern", "required", "first"),
    [
        # The rarest required set; a match begins in the \s* that may be empty, or after it.
        (r"\s*[:：]\s*\w{1,80}\Z", ":：", " :："),
        (r"(?:ab|cd)x*", "ac", "ac"),  # the union over branches; a repeat of 0 adds none
        (r"(?i:k)\d+", "Kk\N{KELVIN SIGN}", "Kk\N{KELVIN SIGN}"),  # Python's (?i) folding
        (r"x?y*", None, None),  # every part may be absent
        (r"\s*", None, None),
        (r"\s*\d?[.)]", ".)", " 0123456789.)"),  # optional parts in a row
        (r"(?:\s*x)?y", "y", " xy"),  # an optional group that begins with an optional run
        (r"\s*(?:a|\d*)", None, None),  # a branch may be empty
        (r"\s*[*•]\s+\S", "*•", " *•"),  # the list marks
    ],
)
def test_precheck_sets(pattern: str, required: str | None, first: str | None) -> None:
    check = patterns._precheck(re._parser.parse(pattern, 0))  # type: ignore[attr-defined]
    alphabet = "abcdxyKk\N{KELVIN SIGN}0123456789:：?; *•.)"
    for found, expected in ((check.required, required), (check.first, first)):
        if expected is None:
            assert found is None
        else:
            assert found is not None
            assert {c for c in alphabet if found.fullmatch(c)} == set(expected)


PYTHON_ENGINE_PATTERNS = sorted(
    (key[0], int(key[1]), key[2])
    for key, (kind, _) in patterns._CACHE.items()
    if kind in ("re", "re-bounded-input")
)


@pytest.mark.parametrize(
    ("pattern", "flags"),
    [
        *((pattern, flags) for pattern, flags, _ in PYTHON_ENGINE_PATTERNS),
        (r"(?P<word>\w+)(?:,\s(?P=word))?", 0),
        (r"(?<=[.!?])\s+(?i:über|ÉTÉ)", re.IGNORECASE),
        (r"^(\d{1,3})(?=\D)|x{2,5}?$", re.MULTILINE | re.DOTALL),
        (r"(?x) a [b-d]  # a comment", 0),
    ],
)
def test_compiled_from_the_parsed_tree_is_re_compile(pattern: str, flags: int) -> None:
    """The one parse shared by the engine choice and Python's compiler gives the very
    pattern ``re.compile`` gives (same pattern, flags and code: re.Pattern's ==)."""
    parsed = re._parser.parse(pattern, flags)  # type: ignore[attr-defined]
    ours = patterns._python_compile(pattern, flags, parsed)
    python = re.compile(pattern, flags)
    assert ours == python
    assert (ours.pattern, ours.flags, ours.groups) == (python.pattern, python.flags, python.groups)
    assert ours.groupindex == python.groupindex


def test_categories_are_their_scans() -> None:
    """\\W, \\D and \\S are taken as the complements of \\w, \\d and \\s: each equals a
    scan of every code point with its own pattern."""
    categories = re._constants  # type: ignore[attr-defined]
    for code, pattern in (
        (categories.CATEGORY_WORD, r"\w"),
        (categories.CATEGORY_NOT_WORD, r"\W"),
        (categories.CATEGORY_DIGIT, r"\d"),
        (categories.CATEGORY_NOT_DIGIT, r"\D"),
        (categories.CATEGORY_SPACE, r"\s"),
        (categories.CATEGORY_NOT_SPACE, r"\S"),
    ):
        found = re.compile(f"(?:{pattern})+").finditer(patterns._all_characters())
        assert patterns._category(code) == tuple((m.start(), m.end() - 1) for m in found), pattern


@pytest.mark.parametrize(
    "pattern",
    [r"[^\W\d_]", r"(?i:[a-zß])", r"(?i:k)", r"[^k]", r".", r"(?s:.)", r"(?i:[^\W\d])", r"\s"],
)
def test_character_sets_depend_on_case_and_dotall_only(pattern: str) -> None:
    """The memo of one-character sets is keyed by (?i) and (?s) alone: any other
    flag gives the set worked out afresh."""
    parsed = re._parser.parse(pattern, 0)  # type: ignore[attr-defined]
    items = list(parsed.data)
    flags = parsed.state.flags
    for more in (0, re.MULTILINE, re.VERBOSE, re.MULTILINE | re.VERBOSE):
        with_more = patterns._single_character(items, flags | more)
        op, av = items[0]
        if op is re._constants.SUBPATTERN:  # type: ignore[attr-defined]
            (op, av), flags_inside = av[3][0], (flags | av[1]) & ~av[2]
        else:
            flags_inside = flags
        fresh = patterns._character_set.__wrapped__(
            op, patterns._item_key(op, av), flags_inside | more
        )
        assert with_more == fresh, (pattern, more)
