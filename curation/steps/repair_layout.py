"""Paragraphs back together: unwrap hard-wrapped lines and repair the spacing layout broke.

Text arrives from ``normalize_unicode`` with its line breaks as the source had them:
a PDF extraction wraps every paragraph at a fixed width and hyphenates words at line
ends; a web page puts each paragraph (or heading, or byline) on a line of its own;
a layout engine may leave a space wherever it wrapped a CJK paragraph; a careless
conversion may drop the space after a full stop. Text leaves in the format every
later step keeps: one paragraph per line, paragraphs separated by exactly one blank
line (``"\\n\\n"``), nothing else.

Four passes, each recorded under its own name so the provenance replays:

``lines``
    whitespace-only lines, runs of blank lines and whitespace at the ends of lines
    and of the document go. ``normalize_unicode`` leaves none; the pass is here so
    the output format holds whatever text the step is given.
``unwrap``
    every single line break is decided: a wrap inside a paragraph (joined with a
    space, with nothing between CJK characters, or with the end-of-line hyphen
    removed or kept, and kept with a space before a conjunction: "Forschungs- und")
    or a paragraph break (doubled). Blank lines are always paragraph breaks.
``spacing``
    the space missing after a sentence end or a semicolon is inserted (between
    letters of a cased script, after a closing bracket, or between letters of an
    uncased script that spaces its words: Arabic, Devanagari, Hangul), and a stray
    full stop after a sentence end is removed.
``cjk``
    spaces a layout engine left at its wrap points inside a CJK paragraph are
    removed. It runs last because it measures the distances between spaces: no
    later pass of this step may move them, or a second run would measure
    differently and the step would not be idempotent.

Blank lines are never joined, so the step's output (which has no single line breaks
left) passes through ``unwrap`` unchanged.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from curation import patterns
from curation.record import Change, Record
from curation.rules import RuleSet, RulesFile
from curation.steps.base import Step, StepOutput
from curation.steps.identify_language import compile_rules as compile_language_rules
from curation.steps.identify_language import identify
from curation.word_frequency import zipf_frequency

NAME = "repair_layout"
VERSION = 2
STEP_ID = f"{NAME}_v{VERSION}"
RULES_FILE = "layout"
# The floors of a confident language identification, shared with identify_language:
# a hyphen is judged in the language detected around it when none is declared.
LANGUAGE_RULES_FILE = "language"

# Every rule name this step records, by pass (the build report counts them).
RULE_NAMES = {
    "lines": ("strip_document_edges", "collapse_blank_lines", "strip_line_edges"),
    "unwrap": (
        "paragraph_break",
        "unwrap_line",
        "unwrap_cjk_line",
        "unwrap_cjk_quotation",
        "unwrap_after_dash",
        "join_hyphenated_word",
        "unwrap_hyphenated_compound",
        "unwrap_suspended_hyphen",
    ),
    "spacing": ("insert_sentence_space", "insert_semicolon_space", "remove_stray_period"),
    "cjk": ("remove_cjk_wrap_space",),
}

# Characters written without spaces between words: Han, kana, bopomofo, CJK symbols
# and punctuation, fullwidth forms. Hangul is left out on purpose: Korean separates
# words with spaces, so a space beside Hangul is never a layout artefact and a line
# wrapped in Korean text is joined with a space. These are Unicode block facts, not
# tunable rules, so they live here rather than in the rules file.
_CJK_CHARACTERS = (
    "\u2e80-\u2fff"  # CJK and Kangxi radicals, ideographic description characters
    "\u3000-\u303f"  # CJK symbols and punctuation
    "\u3040-\u30ff"  # hiragana, katakana
    "\u3100-\u312f"  # bopomofo
    "\u3190-\u31ff"  # kanbun, bopomofo extended, CJK strokes, katakana extension
    "\u3200-\u33ff"  # enclosed CJK letters, CJK compatibility
    "\u3400-\u4dbf"  # CJK unified ideographs extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\ufe30-\ufe4f"  # CJK compatibility forms
    "\uff00-\uff9f"  # fullwidth forms and halfwidth katakana (not halfwidth Hangul)
    "\uffe0-\uffef"  # fullwidth signs
    "\U00020000-\U0003ffff"  # CJK unified ideographs extensions B and later
)
_CJK = patterns.compile(f"[{_CJK_CHARACTERS}]")
_NOT_CJK_RUN = patterns.compile(f"[^{_CJK_CHARACTERS}]+")
# A word with no CJK character in it: CJK is written without spaces, so each of its
# characters is a word of its own where a line may wrap.
_WORD_WITHOUT_CJK = patterns.compile(f"[^\\s{_CJK_CHARACTERS}]+")

# Characters a terminal or a layout engine draws two columns wide (East Asian Width
# W or F), approximated by blocks so a line is measured with one regex instead of a
# Python loop over unicodedata.east_asian_width. Hangul is wide even though it is
# not in _CJK_CHARACTERS.
_NOT_WIDE_RUN = patterns.compile(
    "[^"
    "\u1100-\u115f"  # Hangul jamo (leading consonants)
    "\u2e80-\u303e"
    "\u3041-\u33ff"
    "\u3400-\u4dbf"
    "\u4e00-\u9fff"
    "\ua000-\ua4cf"  # Yi
    "\ua960-\ua97f"  # Hangul jamo extended A
    "\uac00-\ud7a3"  # Hangul syllables
    "\uf900-\ufaff"
    "\ufe10-\ufe19"  # vertical forms
    "\ufe30-\ufe6f"  # CJK compatibility forms, small form variants
    "\uff00-\uff60"  # fullwidth forms
    "\uffe0-\uffe6"  # fullwidth signs
    "\U0001f300-\U0001f64f"  # pictographs and emoticons (drawn wide)
    "\U0001f900-\U0001f9ff"
    "\U00020000-\U0003fffd"
    "]+"
)

# A space with no other whitespace on either side: the only kind a wrap leaves.
_SINGLE_SPACE = patterns.compile(r"(?<=\S) (?=\S)")
_NON_SPACE_RUN = patterns.compile(r"\S+")
# Runs of sentence-end marks longer than this (".....", 100 KB of "!") are searched
# by RE2, shorter ones by Python's re, which is cheaper on a few characters.
_MAX_MARK_RUN = 64
_LETTER = patterns.compile(r"[^\W\d_]")

# Runs of whitespace are matched whole and classified in Python, so a long run costs
# one pass over it (alternatives anchored at line or document ends would rescan it
# from every position).
# The runs of whitespace line_changes may change: those at the document's edges and
# those with a line break. The others (the space between two words, every few
# characters) it leaves alone, and is not handed. Each is matched whole: from the
# first whitespace character after a non-space, greedily to the last.
_EDGE_OR_LINE_BREAK_RUN = patterns.compile(r"\A\s+|\s*\n\s*|\s+\Z")
# A line break that has whitespace other than itself beside it, or two more line
# breaks after it: every run line_changes changes inside the text holds one (a run
# with a line break that is neither "\n" nor "\n\n" has another whitespace character
# next to one of its line breaks, or three line breaks in a row). Most texts have
# none, and it is found with a scan for "\n" alone (a pattern that starts with a
# class, or a lookbehind, is tried at every position), so they skip the pass.
_LINE_BREAK_TO_CHANGE = patterns.compile(r"\n(?:(?<=[^\S\n]\n)|[^\S\n]|\n\n)")


def display_width(text: str) -> int:
    """Columns ``text`` takes in a monospaced layout: two for a CJK character, else one.

    >>> display_width("数字 ab")
    7
    """
    return len(text) + len(_NOT_WIDE_RUN.sub("", text))


def is_cjk(character: str) -> bool:
    """Whether ``character`` belongs to a script written without spaces between words.

    >>> is_cjk("数"), is_cjk("カ"), is_cjk("，"), is_cjk("한"), is_cjk("a")
    (True, True, True, False, False)
    """
    return _CJK.match(character) is not None


@dataclass(frozen=True, slots=True)
class UnwrapRules:
    width_quantile: float
    width_tolerance: float
    wrap_fill_tolerance: float
    min_lines_at_width: int
    min_share_at_width: float
    min_lowercase_continuations: float
    max_uncased_sentence_final_share: float
    min_wrap_width: int
    list_item_start: re.Pattern[str]
    prose_line_end: frozenset[str]
    closing_marks: str
    sentence_end: str
    max_title_abbreviation_letters: int
    cjk_quotation_marks: tuple[str, ...]
    max_quotation_lines: int
    max_open_quotations: int


@dataclass(frozen=True, slots=True)
class HyphenationRules:
    hyphens: frozenset[str]
    attached_dashes: frozenset[str]
    min_zipf_advantage: float
    known_word_zipf: float
    max_compound_advantage: float
    min_part_letters: int
    join_when_unknown: bool
    frequency_languages: frozenset[str]
    language_aliases: Mapping[str, str]
    script_languages: Mapping[str, tuple[str, ...]]
    noun_capitalizing_languages: frozenset[str]
    suspension_words: Mapping[str, frozenset[str]]
    suspension_max_joined_zipf: float


@dataclass(frozen=True, slots=True)
class CjkWrapSpaceRules:
    min_cjk_share: float
    prose_marks: frozenset[str]
    min_period: int
    max_jitter: int
    min_chain_spaces: int
    min_chain_share: float
    period_lookahead: int


@dataclass(frozen=True, slots=True)
class MarkRunPattern:
    """A pattern whose every match is a run of end marks and quotes right before a letter.

    It is searched only in the runs :func:`mark_runs_before_letters` finds, by
    Python's re while a run is short (``window``, the same pattern bounded to
    ``_MAX_MARK_RUN`` characters) and by RE2 beyond (``whole``); on the whole text
    it would be a scan of every character, with a call from Python for each
    "letter + mark" in it.
    """

    whole: re.Pattern[str]
    window: re.Pattern[str]

    def finditer(
        self, text: str, runs: Sequence[tuple[int, int]] | None
    ) -> Iterator[re.Match[str]]:
        """The matches ``whole.finditer(text)`` gives, given the text's mark runs (or None)."""
        if runs is None:
            yield from self.whole.finditer(text)
            return
        for start, letter in runs:
            if letter + 1 - start <= _MAX_MARK_RUN:
                match = self.window.search(text, start, letter + 1)
            else:
                match = self.whole.search(text, start, letter + 1)
            if match is not None:
                yield match


@dataclass(frozen=True, slots=True)
class SentenceSpacingRules:
    sentence_end: MarkRunPattern
    after_bracket: MarkRunPattern
    uncased_sentence_end: MarkRunPattern
    # Every character the three patterns above match, and a scan for one before a letter.
    mark_characters: frozenset[str]
    end_marks: frozenset[str]  # those of them that are no closing quotes
    mark_before_letter: re.Pattern[str]
    by_runs: bool
    uncased_scripts: tuple[str, ...]
    semicolon: re.Pattern[str]
    stray_period: re.Pattern[str]
    # What every match of stray_period holds: " ." and a letter, with at most a space between.
    stray_period_core: re.Pattern[str]
    url_markers: tuple[str, ...]
    dotted_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LayoutRules:
    """The rules file ``layout.toml``, compiled once."""

    unwrap: UnwrapRules
    hyphenation: HyphenationRules
    cjk_wrap_spaces: CjkWrapSpaceRules
    sentence_spacing: SentenceSpacingRules


@functools.lru_cache(maxsize=8)
def compile_layout_rules(rules_file: RulesFile) -> LayoutRules:
    """Build the regexes and sets of ``layout.toml`` once per version of the file."""
    unwrap = rules_file["unwrap"]
    hyphenation = rules_file["hyphenation"]
    cjk = rules_file["cjk_wrap_spaces"]
    spacing = rules_file["sentence_spacing"]
    marks = re.escape(spacing["sentence_end_marks"])
    quotes = re.escape(spacing["closing_quotes"])
    quote_class = f"[{quotes}]*" if quotes else ""
    mark_characters = set(
        spacing["sentence_end_marks"]
        + spacing["uncased_sentence_end_marks"]
        + spacing["closing_quotes"]
    )
    return LayoutRules(
        unwrap=UnwrapRules(
            width_quantile=unwrap["width_quantile"],
            width_tolerance=unwrap["width_tolerance"],
            wrap_fill_tolerance=unwrap["wrap_fill_tolerance"],
            min_lines_at_width=unwrap["min_lines_at_width"],
            min_share_at_width=unwrap["min_share_at_width"],
            min_lowercase_continuations=unwrap["min_lowercase_continuations"],
            max_uncased_sentence_final_share=unwrap["max_uncased_sentence_final_share"],
            min_wrap_width=unwrap["min_wrap_width"],
            list_item_start=patterns.compile(unwrap["list_item_start"]),
            prose_line_end=frozenset(unwrap["prose_line_end"]),
            closing_marks=unwrap["closing_marks"],
            sentence_end=unwrap["sentence_end"],
            max_title_abbreviation_letters=unwrap["max_title_abbreviation_letters"],
            cjk_quotation_marks=tuple(unwrap["cjk_quotation_marks"]),
            max_quotation_lines=unwrap["max_quotation_lines"],
            max_open_quotations=unwrap["max_open_quotations"],
        ),
        hyphenation=HyphenationRules(
            hyphens=frozenset(hyphenation["hyphens"]),
            attached_dashes=frozenset(hyphenation["attached_dashes"]),
            min_zipf_advantage=hyphenation["min_zipf_advantage"],
            known_word_zipf=hyphenation["known_word_zipf"],
            max_compound_advantage=hyphenation["max_compound_advantage"],
            min_part_letters=hyphenation["min_part_letters"],
            join_when_unknown=hyphenation["default_when_unknown"] == "join",
            frequency_languages=frozenset(hyphenation["frequency_languages"]),
            language_aliases=dict(hyphenation["language_aliases"]),
            script_languages={
                script: tuple(codes) for script, codes in hyphenation["script_languages"].items()
            },
            noun_capitalizing_languages=frozenset(hyphenation["noun_capitalizing_languages"]),
            suspension_words={
                language: frozenset(word.casefold() for word in words)
                for language, words in hyphenation["suspension_words"].items()
            },
            suspension_max_joined_zipf=hyphenation["suspension_max_joined_zipf"],
        ),
        cjk_wrap_spaces=CjkWrapSpaceRules(
            min_cjk_share=cjk["min_cjk_share"],
            prose_marks=frozenset(cjk["prose_marks"]),
            min_period=cjk["min_period"],
            max_jitter=cjk["max_jitter"],
            min_chain_spaces=cjk["min_chain_spaces"],
            min_chain_share=cjk["min_chain_share"],
            period_lookahead=cjk["period_lookahead"],
        ),
        sentence_spacing=SentenceSpacingRules(
            # A run of end marks (so "word...Then" is one match) and closing quotes,
            # between two letters; their case is checked in Python.
            sentence_end=_mark_run_pattern(rf"(?<=[^\W\d_])[{marks}]+{quote_class}(?=[^\W\d_])"),
            # "(IBGE).É o menor": a sentence that ends on a bracket.
            after_bracket=_mark_run_pattern(rf"(?<=\w[)\]）])[{marks}]+{quote_class}(?=[^\W\d_])"),
            # Checked in Python: the letters on both sides must be of a script
            # without case that separates words with spaces.
            uncased_sentence_end=_mark_run_pattern(
                rf"(?<=\S)[{re.escape(spacing['uncased_sentence_end_marks'])}]+{quote_class}"
                r"(?=[^\W\d_])"
            ),
            mark_characters=frozenset(mark_characters),
            end_marks=frozenset(
                spacing["sentence_end_marks"] + spacing["uncased_sentence_end_marks"]
            ),
            # A mark that is a letter would let a match end inside a run of marks,
            # where the search by runs does not look: such rules search the whole text.
            by_runs=not any(_LETTER.match(character) for character in mark_characters),
            mark_before_letter=patterns.compile(
                rf"[{re.escape(''.join(sorted(mark_characters)))}](?=[^\W\d_])"
            ),
            uncased_scripts=tuple(spacing["uncased_scripts"]),
            # The semicolon first: a pattern that starts with a lookbehind is tried at
            # every position of the text, one that starts with ";" only at each ";".
            semicolon=patterns.compile(r";(?<=[^\W\d_];)(?=[^\W\d_])"),
            # A sentence end right after a word (not the dots of a spaced ellipsis
            # ". . ."), a space, then a lone full stop before the next word.
            stray_period=patterns.compile(
                rf"(?<=[^\s{marks}])[{marks}]{quote_class} (?P<stray>\. ?)(?=[^\W\d_])"
            ),
            stray_period_core=patterns.compile(r" \. ?(?=[^\W\d_])"),
            url_markers=tuple(spacing["url_markers"]),
            dotted_names=tuple(spacing["dotted_names"]),
        ),
    )


def _mark_run_pattern(pattern: str) -> MarkRunPattern:
    return MarkRunPattern(
        patterns.compile(pattern), patterns.compile(pattern, max_input=_MAX_MARK_RUN)
    )


# ---------------------------------------------------------------------------
# Pass "lines"


def line_changes(text: str) -> list[Change]:
    r"""Whitespace at line and document edges, whitespace-only lines, runs of blank lines.

    Whitespace inside a line is left alone.

    >>> from curation.record import apply_changes
    >>> apply_changes(" a \n \n\n\tb c \nd\n", line_changes(" a \n \n\n\tb c \nd\n"))
    'a\n\nb c\nd'
    """
    # str.isspace is re's \s (both are Py_UNICODE_ISSPACE; a test checks every code point).
    edges = text[:1].isspace() or text[-1:].isspace()
    if not edges and _LINE_BREAK_TO_CHANGE.search(text) is None:
        return []
    changes = []
    for match in _EDGE_OR_LINE_BREAK_RUN.finditer(text):
        run, start, end = match.group(), match.start(), match.end()
        if start == 0 or end == len(text):
            changes.append(Change(start, end, "", "strip_document_edges"))
            continue
        newlines = run.count("\n")
        if newlines == 1 and run != "\n":
            changes.append(Change(start, end, "\n", "strip_line_edges"))
        elif newlines > 1 and run != "\n\n":
            changes.append(Change(start, end, "\n\n", "collapse_blank_lines"))
    return changes


# ---------------------------------------------------------------------------
# Pass "unwrap"


def _near(width: int, wrap_width: int, rules: UnwrapRules) -> bool:
    return (
        wrap_width * (1 - rules.width_tolerance)
        <= width
        <= wrap_width * (1 + rules.width_tolerance)
    )


def estimate_wrap_width(widths: Sequence[int], rules: UnwrapRules) -> int | None:
    """The width a document was hard-wrapped at, or None if it was not hard-wrapped.

    ``widths`` are the display widths of the lines that are followed by another
    line of the same block: in wrapped text most of them are full lines of about
    the same width, in web text they are unrelated.

    >>> rules = compile_layout_rules(_shipped_rules()).unwrap
    >>> estimate_wrap_width([80, 82, 78, 84, 81, 40], rules)
    82
    >>> estimate_wrap_width([12, 16, 66, 32, 900, 28], rules) is None
    True
    """
    if len(widths) < rules.min_lines_at_width:
        return None
    ordered = sorted(widths)
    rank = max(1, math.ceil(rules.width_quantile * len(ordered)))
    width = ordered[rank - 1]
    if width < rules.min_wrap_width:
        return None
    near = sum(1 for w in ordered if _near(w, width, rules))
    if near < rules.min_lines_at_width or near < rules.min_share_at_width * len(ordered):
        return None
    return width


def _continues_like_prose(next_initials: Sequence[str], rules: UnwrapRules) -> bool:
    """Whether enough lines at the wrap width are followed by a lower-case letter.

    Prose carries sentences over line ends; a list of capitalized headlines of
    similar width does not. Lines followed by an uncased character (CJK, digits,
    punctuation) say nothing either way.
    """
    cased = [c for c in next_initials if c.islower() or c.isupper()]
    if not cased:
        return True
    lower = sum(1 for c in cased if c.islower())
    return lower >= rules.min_lowercase_continuations * len(cased)


def _carries_sentences_over(lines: Sequence[tuple[str, str]], rules: UnwrapRules) -> bool:
    """Whether full-width lines before an uncased line mostly end inside a sentence.

    ``lines`` are (line, next line) pairs at the wrap width. Where case says
    nothing (CJK, Thai, digits), the line end does: a wrap falls anywhere in a
    sentence, so few wrapped lines end with a full stop, while web text with one
    paragraph per line ends every line with one. Paragraphs of similar length are
    common in Chinese news; they must not be joined.

    >>> rules = compile_layout_rules(_shipped_rules()).unwrap
    >>> _carries_sentences_over([("天气很好。", "明天"), ("他说。", "我们"), ("好。", "2")], rules)
    False
    >>> _carries_sentences_over([("天气很", "好。"), ("他说。", "我们"), ("我", "们")], rules)
    True
    """
    uncased = [
        line.rstrip(rules.closing_marks)
        for line, following in lines
        if not (following[0].islower() or following[0].isupper())
    ]
    uncased = [line for line in uncased if line]
    if len(uncased) < rules.min_lines_at_width:
        return True  # a heading or two after a paragraph end says nothing
    final = sum(1 for line in uncased if line[-1] in rules.sentence_end)
    return final <= rules.max_uncased_sentence_final_share * len(uncased)


def _first_word(line: str) -> str:
    """What a wrapping layout could have moved up from ``line``: a word, or one CJK character.

    >>> _first_word("数字 ab"), _first_word("ab数字"), _first_word("a-b c"), _first_word(" a")
    ('数', 'ab', 'a-b', ' a')
    """
    if is_cjk(line[0]):
        return line[0]
    rest = _WORD_WITHOUT_CJK.match(line, 1)
    return line[: 1 if rest is None else rest.end()]


def _trailing_letters(text: str) -> str:
    start = len(text)
    while start > 0 and _LETTER.match(text[start - 1]):
        start -= 1
    return text[start:]


def _leading_letters(text: str) -> str:
    end = 0
    while end < len(text) and _LETTER.match(text[end]):
        end += 1
    return text[:end]


def declared_languages(declared: Mapping[str, object]) -> tuple[str, ...]:
    """The language codes a record's sidecar declares, as given (None and junk dropped)."""
    value = declared.get("languages") if isinstance(declared, Mapping) else None
    if not isinstance(value, list | tuple):
        return ()
    return tuple(code for code in value if isinstance(code, str))


def _declared_codes(declared: Sequence[str], rules: HyphenationRules) -> tuple[str, ...]:
    """The declared language codes, lower-cased, without region, aliases resolved."""
    codes: list[str] = []
    for raw in declared:
        code = raw.strip().lower().replace("_", "-").split("-", 1)[0]
        code = rules.language_aliases.get(code, code)
        if code and code not in codes:
            codes.append(code)
    return tuple(codes)


def frequency_languages(
    declared: Sequence[str], word: str, rules: HyphenationRules, detected: str | None = None
) -> tuple[str, ...]:
    """The wordfreq languages to look ``word`` up in.

    The declared languages that have a word list; failing those, the language
    detected in the text around the word (``detected``, when it has a word list);
    failing that, the main languages of the word's script; failing those, none (and
    the default decides). A detected language beats the script's: a Romanian
    hyphenation point ("planifica-" + "rea") scores in Spanish and Italian as two
    known words, and only the Romanian list knows the joined word.

    >>> rules = compile_layout_rules(_shipped_rules()).hyphenation
    >>> frequency_languages(["pt-BR", "zh"], "palavra", rules)
    ('pt',)
    >>> frequency_languages([], "planifica", rules, detected="ro")
    ('ro',)
    >>> frequency_languages([], "слово", rules)
    ('ru', 'uk', 'bg')
    """
    codes = tuple(c for c in _declared_codes(declared, rules) if c in rules.frequency_languages)
    if codes:
        return codes
    if detected is not None and detected in rules.frequency_languages:
        return (detected,)
    if not word:
        return ()
    script = unicodedata.name(word[0], "").split(" ", 1)[0].lower()
    return rules.script_languages.get(script, ())


def detect_word_list_language(
    text: str, language_rules: RulesFile, rules: HyphenationRules
) -> str | None:
    """The wordfreq language ``text`` is written in, if it is identified with confidence.

    The language identification of ``identify_language`` (py3langid), with the
    same floors for a confident answer (``min_letters``, ``min_confidence`` in
    ``language.toml``); the code is mapped to its wordfreq name
    (``language_aliases``) and kept only if wordfreq has a list for it.

    >>> from curation.rules import load_rules
    >>> rules = compile_layout_rules(_shipped_rules()).hyphenation
    >>> text = "Guvernul a aprobat ieri planificarea investițiilor pentru anul viitor."
    >>> detect_word_list_language(text, load_rules()["language"], rules)
    'ro'
    >>> detect_word_list_language("Hallo", load_rules()["language"], rules) is None
    True
    """
    guess = identify(text, language_rules)
    confidence = compile_language_rules(language_rules)
    if (
        guess.language is None
        or guess.score is None
        or guess.letters < confidence.min_letters
        or guess.score < confidence.min_confidence
    ):
        return None
    code = rules.language_aliases.get(guess.language, guess.language)
    return code if code in rules.frequency_languages else None


def is_hyphenation_break(
    left: str, right: str, languages: Sequence[str], rules: HyphenationRules
) -> bool:
    """Whether ``left-`` at a line end and ``right`` are one word split by hyphenation.

    wordfreq scores a hyphenated form from the frequencies of its parts, so the two
    readings compare directly: the joined word against the compound.

    >>> rules = compile_layout_rules(_shipped_rules()).hyphenation
    >>> is_hyphenation_break("раз", "личных", ["ru"], rules)
    True
    >>> is_hyphenation_break("well", "known", ["en"], rules)
    False
    >>> is_hyphenation_break("Daar", "naast", ["nl"], rules)  # a common word: joined
    True
    >>> is_hyphenation_break("ne", "am", ["ro"], rules)  # "ne-am": far more common
    False
    >>> is_hyphenation_break("s", "a", ["ro"], rules)  # "s-a": no hyphenation point
    False
    """
    if min(len(left), len(right)) < rules.min_part_letters:
        return False
    if not languages:
        return rules.join_when_unknown
    joined = max(zipf_frequency(left + right, language) for language in languages)
    hyphenated = max(zipf_frequency(f"{left}-{right}", language) for language in languages)
    if joined == 0 and hyphenated == 0:
        return rules.join_when_unknown
    if joined >= rules.known_word_zipf and hyphenated - joined <= rules.max_compound_advantage:
        return True
    return joined - hyphenated > rules.min_zipf_advantage


def _is_suspended_hyphen(
    left: str, right: str, after: str, languages: Sequence[str], rules: HyphenationRules
) -> bool:
    """Whether ``left-`` + ``right`` is a suspended hyphen before a conjunction.

    "Forschungs-" + "und Entwicklungsvorhaben", "pre-" + "and post-war": the first
    compound's second half is left out, the hyphen says so, and the space before
    the conjunction is the writer's. Only when ``right`` is a whole word of the
    languages' suspension words and ``left + right`` is no common word ("Cannabis"
    is "Canna-" + "bis", hyphenated).
    """
    if len(after) > len(right) and _LETTER.match(after[len(right)]):
        return False
    folded = right.casefold()
    if not any(folded in rules.suspension_words.get(code, ()) for code in languages):
        return False
    return all(
        zipf_frequency(left + right, code) < rules.suspension_max_joined_zipf
        for code in languages
        if code in rules.frequency_languages
    )


def _hyphen_change(
    before: str,
    after: str,
    newline: int,
    declared: Sequence[str],
    rules: HyphenationRules,
    detected: Callable[[], str | None],
) -> Change | None:
    """The change for a line ending in a hyphen attached to a word, or None if it does not.

    ``detected`` gives the language detected around the line end; it is called only
    when the declared languages have no word list, so a record that declares its
    language is never classified.
    """
    if len(before) < 2 or before[-1] not in rules.hyphens:
        return None
    if not before[-2].isalnum() or not after[0].isalnum():
        return None
    left = _trailing_letters(before[:-1])
    # Only a plain word can have been hyphenated: "Belt-and-" + "Road", "COVID-" +
    # "19", "3D-" + "printing" are compounds, and so is anything before an upper-case
    # letter ("Anglo-" + "Saxon").
    prefix = before[-2 - len(left)] if len(before) > len(left) + 1 else " "
    plain_word = bool(left) and not prefix.isalnum() and prefix not in rules.hyphens
    if plain_word and after[0].islower():
        right = _leading_letters(after)
        codes = _declared_codes(declared, rules)
        language = None if not rules.frequency_languages.isdisjoint(codes) else detected()
        languages = frequency_languages(declared, left, rules, language)
        if _is_suspended_hyphen(left, right, after, languages, rules):
            return Change(newline, newline + 1, " ", "unwrap_suspended_hyphen")
        if min(len(left), len(right)) < rules.min_part_letters:
            # No hyphenation point leaves a single letter: "s-" + "a", "E-" + "mail".
            return Change(newline, newline + 1, "", "unwrap_hyphenated_compound")
        # German writes a hyphenated noun compound with a capital after the hyphen
        # ("Kita-Plätze", "E-Mail"), so "Bau-" + "ämter" is a hyphenated word, however
        # common its parts are (wordfreq scores "bau-ämter" 3.8 from its parts and
        # "Bauämter" 1.7). Only a title-case left part: "deutsch-" + "französische"
        # is an adjective compound and goes by frequency. The declared languages
        # decide, or the detected one when none is declared.
        noun_codes = codes or ((language,) if language else ())
        if left.istitle() and not rules.noun_capitalizing_languages.isdisjoint(noun_codes):
            return Change(newline - 1, newline + 1, "", "join_hyphenated_word")
        if is_hyphenation_break(left, right, languages, rules):
            return Change(newline - 1, newline + 1, "", "join_hyphenated_word")
    return Change(newline, newline + 1, "", "unwrap_hyphenated_compound")


def _ends_sentence(line: str, rules: UnwrapRules) -> bool:
    """Whether ``line`` ends with a sentence end, not with a title before a name ("Dr.")."""
    ending = line.rstrip(rules.closing_marks)
    if not ending or ending[-1] not in rules.sentence_end:
        return False
    word = _trailing_letters(ending.rstrip(rules.sentence_end))
    return not (word.istitle() and len(word) <= rules.max_title_abbreviation_letters)


def _is_wrap(
    before: str, before_width: int, after: str, wrap_width: int, joiner: str, rules: UnwrapRules
) -> bool:
    """Whether the next line's first word would not have fitted on this line.

    A justified or ragged paragraph wraps a line when its next word does not fit; a
    paragraph's last line ends early, with room to spare. A line much wider than
    the wrap width is a paragraph of its own. Within the wrap-fill tolerance a line
    that ends a sentence, before a line that does not start in lower case, is a
    paragraph's last line if the next word would have fitted.
    """
    if before_width > wrap_width * (1 + rules.width_tolerance):
        return False
    filled = before_width + len(joiner) + display_width(_first_word(after))
    if filled < wrap_width and not after[0].islower() and _ends_sentence(before, rules):
        return False
    return filled >= wrap_width * (1 - rules.wrap_fill_tolerance)


def _is_short_line_block(
    before_width: int, after: str, wrap_width: int, rules: UnwrapRules
) -> bool:
    """Whether two short lines are lines of a block (a title, a dateline) rather than a wrap.

    A wrapped line short of the wrap width is followed by a word too long to fit
    and, if the next line is short too, that line ends the paragraph, so it ends like
    prose. A title over a dateline, or an address, does not.

    >>> rules = compile_layout_rules(_shipped_rules()).unwrap
    >>> _is_short_line_block(57, "Stuttgart, 12. März 2024", 75, rules)
    True
    >>> _is_short_line_block(57, "Informationssicherheitsbeauftragten.", 75, rules)
    False
    """
    short = wrap_width * (1 - rules.width_tolerance)
    if before_width >= short or display_width(after) >= short:
        return False
    ending = after.rstrip(rules.closing_marks)
    return not ending or ending[-1] not in rules.prose_line_end


def cjk_quotation_breaks(lines: Sequence[str], rules: UnwrapRules) -> set[int]:
    """Indices ``i`` of the breaks after ``lines[i]`` that fall inside a CJK quotation.

    A quotation mark opened on one line and closed on a later line of the same
    block (no blank line between), at most ``max_quotation_lines`` lines on, holds
    the breaks between them; only breaks with a CJK character on either side count.
    A quotation that runs over several paragraphs is written with an opening mark at
    the start of each paragraph and no closing mark before the last: the marks pair
    up innermost first, so the opening marks that are never closed hold nothing
    and those paragraph breaks stay. Linear: a stack of open marks (at most
    ``max_open_quotations`` deep) and a difference array over the lines.

    >>> rules = compile_layout_rules(_shipped_rules()).unwrap
    >>> sorted(cjk_quotation_breaks(["他说：“我们将继续", "推进合作。”", "新段落。"], rules))
    [0]
    >>> sorted(cjk_quotation_breaks(["他说：“第一段。", "“第二段。”"], rules))
    []
    """
    openers = {pair[0] for pair in rules.cjk_quotation_marks}
    opener_of_closer = {pair[1]: pair[0] for pair in rules.cjk_quotation_marks}
    depth_change = [0] * (len(lines) + 1)
    stack: list[tuple[str, int]] = []
    for index, line in enumerate(lines):
        if not line:
            stack.clear()  # a blank line ends every quotation
            continue
        for character in line:
            if character in openers:
                stack.append((character, index))
                if len(stack) > rules.max_open_quotations:
                    del stack[0]
            elif character in opener_of_closer:
                opening = opener_of_closer[character]
                for position in range(len(stack) - 1, -1, -1):
                    if stack[position][0] == opening:
                        opened = stack[position][1]
                        del stack[position:]
                        if 0 < index - opened <= rules.max_quotation_lines:
                            depth_change[opened] += 1
                            depth_change[index] -= 1
                        break
    inside: set[int] = set()
    depth = 0
    for index in range(len(lines) - 1):
        depth += depth_change[index]
        before, after = lines[index], lines[index + 1]
        if depth > 0 and before and after and (is_cjk(before[-1]) or is_cjk(after[0])):
            inside.add(index)
    return inside


def _blocks(lines: Sequence[str]) -> list[int]:
    """For each line, the index of the first line of its block (lines between blank lines)."""
    firsts: list[int] = []
    first = 0
    for index, line in enumerate(lines):
        if not line:
            first = index + 1
        firsts.append(first)
    return firsts


def unwrap_changes(
    text: str,
    rules: LayoutRules,
    languages: Sequence[str],
    language_rules: RulesFile | None = None,
) -> list[Change]:
    r"""Decide every single line break: a wrap to join, or a paragraph break to double.

    Expects the output of :func:`line_changes` (no whitespace at line ends, no
    whitespace-only lines). Blank lines are left as they are. ``language_rules``
    (``language.toml``) lets a hyphen be judged in the language detected in its
    block, or failing a confident answer there, in the document, when the record
    declares no language with a word list; without it the word's script decides.

    >>> from curation.record import apply_changes
    >>> rules = compile_layout_rules(_shipped_rules())
    >>> text = "Title\nFirst paragraph."
    >>> apply_changes(text, unwrap_changes(text, rules, []))
    'Title\n\nFirst paragraph.'
    """
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    breaks = [i for i in range(len(lines) - 1) if lines[i] and lines[i + 1]]
    if not breaks:
        return []
    widths = {i: display_width(lines[i]) for i in breaks}
    wrap_width = estimate_wrap_width([widths[i] for i in breaks], rules.unwrap)
    if wrap_width is not None and not _continues_like_prose(
        [lines[i + 1][0] for i in breaks if _near(widths[i], wrap_width, rules.unwrap)],
        rules.unwrap,
    ):
        wrap_width = None
    if wrap_width is not None and not _carries_sentences_over(
        [(lines[i], lines[i + 1]) for i in breaks if _near(widths[i], wrap_width, rules.unwrap)],
        rules.unwrap,
    ):
        wrap_width = None
    quoted = cjk_quotation_breaks(lines, rules.unwrap) if _CJK.search(text) else set()
    block_firsts = _blocks(lines)
    detected: dict[int, str | None] = {}

    def detect(first: int) -> str | None:
        """The word-list language of the block starting at line ``first``, else of the text."""
        if language_rules is None:
            return None
        if first not in detected:
            last = first
            while last + 1 < len(lines) and lines[last + 1]:
                last += 1
            block = "\n".join(lines[first : last + 1])
            found = detect_word_list_language(block, language_rules, rules.hyphenation)
            if found is None and len(block) < len(text):
                if -1 not in detected:
                    detected[-1] = detect_word_list_language(
                        text, language_rules, rules.hyphenation
                    )
                found = detected[-1]
            detected[first] = found
        return detected[first]

    changes = []
    for i in breaks:
        before, after = lines[i], lines[i + 1]
        newline = starts[i] + len(before)
        if i in quoted:
            # Inside a quotation that closes a line or a few later: a wrap, whatever
            # the widths say (a paragraph never ends inside a quotation that goes on).
            changes.append(Change(newline, newline + 1, "", "unwrap_cjk_quotation"))
            continue
        first = block_firsts[i]
        changes.append(
            _break_change(
                before,
                after,
                newline,
                widths[i],
                wrap_width,
                rules,
                languages,
                functools.partial(detect, first),
            )
        )
    return changes


def _digit_run_neighbours(before: str, after: str) -> tuple[str, str] | None:
    """The characters around a number a line break cuts in two, or None if it cuts none.

    ``("有", "人")`` for "共有1" + "200人": the character before the digits that end
    ``before`` and the one after the digits that start ``after`` ("" at a line edge).
    """
    if not (before[-1].isdigit() and after[0].isdigit()):
        return None
    start = len(before)
    while start > 0 and before[start - 1].isdigit():
        start -= 1
    end = 0
    while end < len(after) and after[end].isdigit():
        end += 1
    return (before[start - 1] if start else "", after[end] if end < len(after) else "")


def _break_change(
    before: str,
    after: str,
    newline: int,
    before_width: int,
    wrap_width: int | None,
    rules: LayoutRules,
    languages: Sequence[str],
    detected: Callable[[], str | None],
) -> Change:
    if rules.unwrap.list_item_start.match(after):
        return Change(newline, newline + 1, "\n\n", "paragraph_break")
    # A line never ends a paragraph on a hyphen attached to a word, so this is a wrap
    # whether or not the document is hard-wrapped.
    hyphen = _hyphen_change(before, after, newline, languages, rules.hyphenation, detected)
    if hyphen is not None:
        return hyphen
    if wrap_width is not None:
        dashes = rules.hyphenation.attached_dashes
        digits = _digit_run_neighbours(before, after)
        if len(before) >= 2 and before[-1] in dashes and not before[-2].isspace():
            rule, joiner = "unwrap_after_dash", ""  # "word—" + "word": no space to restore
        elif is_cjk(before[-1]) or is_cjk(after[0]):
            rule, joiner = "unwrap_cjk_line", ""  # CJK has no spaces between words
        elif digits is not None and any(is_cjk(c) for c in digits if c):
            # A CJK layout breaks a line anywhere, also inside a number ("共有1" +
            # "200人"); a Latin one breaks only at spaces, so "in 2023" + "15 people"
            # keeps its space.
            rule, joiner = "unwrap_cjk_line", ""
        else:
            rule, joiner = "unwrap_line", " "
        if _is_wrap(
            before, before_width, after, wrap_width, joiner, rules.unwrap
        ) and not _is_short_line_block(before_width, after, wrap_width, rules.unwrap):
            return Change(newline, newline + 1, joiner, rule)
    return Change(newline, newline + 1, "\n\n", "paragraph_break")


# ---------------------------------------------------------------------------
# Pass "spacing"


class _Words:
    """The whitespace-separated words of a text, found once and looked up by offset."""

    def __init__(self, text: str) -> None:
        self._spans = [(m.start(), m.end()) for m in _NON_SPACE_RUN.finditer(text)]
        self._starts = [start for start, _ in self._spans]
        self._text = text
        self._words: dict[int, str] = {}

    def around(self, offset: int) -> str:
        index = bisect.bisect_right(self._starts, offset) - 1
        if index not in self._words:
            # The same str object for every mark in a word: its hash is computed once,
            # so _is_address_or_name reads a long word once, not once per mark in it.
            start, end = self._spans[index]
            self._words[index] = self._text[start:end]
        return self._words[index]


@functools.lru_cache(maxsize=256)
def _is_address_or_name(word: str, rules: SentenceSpacingRules) -> bool:
    return any(marker in word for marker in rules.url_markers) or any(
        name in word for name in rules.dotted_names
    )


def _base_letter_before(text: str, offset: int) -> tuple[str, int]:
    """The letter that ends ``text[:offset]`` (combining marks skipped), and the word's length.

    The length counts letters and combining marks: "दी" (a letter and a vowel sign)
    is two, like "طن".
    """
    position = offset
    while position > 0 and unicodedata.category(text[position - 1]).startswith("M"):
        position -= 1
    if position == 0 or not text[position - 1].isalpha():
        return "", 0
    letter = text[position - 1]
    letters = offset - position
    while position > 0 and (
        text[position - 1].isalpha() or unicodedata.category(text[position - 1]).startswith("M")
    ):
        position -= 1
        letters += 1
    return letter, letters


def mark_runs_before_letters(text: str, rules: SentenceSpacingRules) -> list[tuple[int, int]]:
    """``(start, letter)`` of each run of marks (``mark_characters``) a letter follows,
    if it holds an end mark (not only quotes).

    Every match of the patterns of :class:`MarkRunPattern` lies in one run, so it is
    searched only there: ``text[start:letter]`` is the whole run and
    ``text[letter]`` the letter. A run is found from its last mark (one pattern
    with no repeat, over the text once) and read back from there; the runs do not
    overlap, so each character is read back at most once.

    >>> rules = compile_layout_rules(_shipped_rules()).sentence_spacing
    >>> mark_runs_before_letters('Da.Nu?!»Sigur. "Bine"...', rules)
    [(2, 3), (5, 8)]
    """
    characters, end_marks = rules.mark_characters, rules.end_marks
    runs = []
    for match in rules.mark_before_letter.finditer(text):
        start = match.start()
        has_end_mark = text[start] in end_marks
        while start > 0 and text[start - 1] in characters:
            start -= 1
            has_end_mark = has_end_mark or text[start] in end_marks
        # Quotes alone ('said "Hello') hold no match: every match starts with an end mark.
        if has_end_mark:
            runs.append((start, match.end()))
    return runs


def _is_uncased_spaced_letter(character: str, rules: SentenceSpacingRules) -> bool:
    """A letter without case, of a script that puts spaces between words (Arabic, Hangul)."""
    if not character.isalpha() or character.islower() or character.isupper():
        return False
    return unicodedata.name(character, "").startswith(rules.uncased_scripts)


def spacing_changes(text: str, rules: LayoutRules) -> list[Change]:
    """Missing spaces after sentence ends and semicolons, and stray full stops.

    A match is left alone when its word (the run of non-space characters around it)
    looks like a URL, an e-mail address, a path or markup, or holds a dotted name,
    so "Huanqiu.com", "Node.js", "97.39", "U.S." and "e.g." never match in the first
    place, and "example.org/Index.Html" is skipped.

    >>> from curation.record import apply_changes
    >>> rules = compile_layout_rules(_shipped_rules())
    >>> text = "umană.Pe baza; global.”Pe atunci;apoi global. .Toate"
    >>> apply_changes(text, spacing_changes(text, rules))
    'umană. Pe baza; global.” Pe atunci; apoi global. Toate'
    >>> text = "(IBGE).É o menor; 8.5 مليون طن.وأوضحت; दी।इसमें"
    >>> apply_changes(text, spacing_changes(text, rules))
    '(IBGE). É o menor; 8.5 مليون طن. وأوضحت; दी। इसमें'
    """
    spacing = rules.sentence_spacing
    changes: list[Change] = []
    words: _Words | None = None
    # Each match below ends at the letter after its run of marks, and counts only if
    # that letter is upper-case (the first two) or of an uncased spaced script (the
    # third): the runs before a lower-case letter ("example.com", "e.g.") are not
    # searched.
    upper_runs: list[tuple[int, int]] | None = None
    uncased_runs: list[tuple[int, int]] | None = None
    if spacing.by_runs:
        runs = mark_runs_before_letters(text, spacing)
        upper_runs = [run for run in runs if text[run[1]].isupper()]
        uncased_runs = [run for run in runs if _is_uncased_spaced_letter(text[run[1]], spacing)]

    def words_around(offset: int) -> str:
        nonlocal words
        if words is None:
            words = _Words(text)
        return words.around(offset)

    for match in spacing.sentence_end.finditer(text, upper_runs):
        start, end = match.span()
        after_next = text[end + 1] if end + 1 < len(text) else ""
        # "global.USA" or "ASP.NET": an upper-case run after the dot is a name or an
        # acronym, not the start of a sentence.
        if (
            text[start - 1].islower()
            and text[end].isupper()
            and not after_next.isupper()
            and not _is_address_or_name(words_around(start), spacing)
        ):
            changes.append(Change(end, end, " ", "insert_sentence_space"))
    for match in spacing.after_bracket.finditer(text, upper_runs):
        start, end = match.span()
        after_next = text[end + 1] if end + 1 < len(text) else ""
        if (
            text[end].isupper()
            and not after_next.isupper()
            and not _is_address_or_name(words_around(start), spacing)
        ):
            changes.append(Change(end, end, " ", "insert_sentence_space"))
    for match in spacing.uncased_sentence_end.finditer(text, uncased_runs):
        start, end = match.span()
        letter, letters = _base_letter_before(text, start)
        # A one-letter word before the mark is an abbreviation ("د.محمد", "ص.ب").
        if (
            letters >= 2
            and _is_uncased_spaced_letter(letter, spacing)
            and _is_uncased_spaced_letter(text[end], spacing)
            and not _is_address_or_name(words_around(start), spacing)
        ):
            changes.append(Change(end, end, " ", "insert_sentence_space"))
    for match in spacing.semicolon.finditer(text):
        start = match.start()
        if (
            text[start - 1].islower()
            and text[start + 1].islower()
            and not _is_address_or_name(words_around(start), spacing)
        ):
            changes.append(Change(start + 1, start + 1, " ", "insert_semicolon_space"))
    # " ." is rare: a substring search rules most texts out before any pattern runs.
    stray = " ." in text and spacing.stray_period_core.search(text) is not None
    stray_periods = spacing.stray_period.finditer(text) if stray else ()
    for match in stray_periods:
        start, end = match.span("stray")
        if text[end].isupper() and not _is_address_or_name(words_around(start), spacing):
            changes.append(Change(start, end, "", "remove_stray_period"))
    return changes


# ---------------------------------------------------------------------------
# Pass "cjk"


def _is_wrap_space_candidate(left: str, right: str) -> bool:
    """A space a wrap could have left: CJK on one side, CJK or punctuation on the other.

    A space between CJK and a Latin word or a number is spacing many writers use
    on purpose, and one beside Hangul separates Korean words, so neither is a
    candidate.
    """
    left_cjk, right_cjk = is_cjk(left), is_cjk(right)
    if left_cjk and right_cjk:
        return True
    if left_cjk:
        return unicodedata.category(right).startswith("P")
    if right_cjk:
        return unicodedata.category(left).startswith("P")
    return False


def _estimate_period(points: Sequence[int], rules: CjkWrapSpaceRules) -> int | None:
    """The most common distance between nearby points, if enough distances agree.

    Distances are taken to the next ``period_lookahead`` points only: a separator
    between two wraps splits their interval, but not the distance across it.
    """
    distances = sorted(
        points[j] - points[i]
        for i in range(len(points))
        for j in range(i + 1, min(len(points), i + 1 + rules.period_lookahead))
        if points[j] - points[i] >= rules.min_period
    )
    best_start, best_count, high = 0, 0, 0
    for low in range(len(distances)):
        while high < len(distances) and distances[high] - distances[low] <= 2 * rules.max_jitter:
            high += 1
        if high - low > best_count:
            best_start, best_count = low, high - low
    if best_count < rules.min_chain_spaces:
        return None
    return distances[best_start + (best_count - 1) // 2]


def _chain_members(points: Sequence[int], period: int, rules: CjkWrapSpaceRules) -> list[int]:
    """Indices (not 0, the paragraph start) of points in chains at ``period``.

    Each point links to the unclaimed point nearest one period further on (within
    the jitter); a chain is a path of links, and counts if it has at least
    ``min_chain_spaces`` spaces. Points are strictly increasing.
    """
    successor = [-1] * len(points)
    claimed = [False] * len(points)
    for i, point in enumerate(points):
        target = point + period
        low = bisect.bisect_left(points, target - rules.max_jitter, i + 1)
        high = bisect.bisect_right(points, target + rules.max_jitter, i + 1)
        best = -1
        for j in range(low, high):
            if not claimed[j] and (
                best < 0 or abs(points[j] - target) < abs(points[best] - target)
            ):
                best = j
        if best >= 0:
            successor[i] = best
            claimed[best] = True
    members: list[int] = []
    for head in range(len(points)):
        if claimed[head]:
            continue
        chain = []
        node = head
        while node >= 0:
            if node != 0:
                chain.append(node)
            node = successor[node]
        if len(chain) >= rules.min_chain_spaces:
            members.extend(chain)
    return members


def _is_digit_wrap_space_candidate(left: str, right: str) -> bool:
    """A space beside a digit that a wrap could have left: digit or CJK on both sides.

    Writers put such spaces on purpose ("在 2023 年"), so one is removed only where
    it falls on the interval of the wrap spaces found without it.
    """
    if not (left.isdigit() or right.isdigit()):
        return False
    return (left.isdigit() or is_cjk(left)) and (right.isdigit() or is_cjk(right))


def find_cjk_wrap_spaces(paragraph: str, rules: CjkWrapSpaceRules) -> list[int]:
    """Offsets of the spaces a layout engine left where it wrapped a CJK paragraph.

    The engine wraps at a fixed width, so its spaces recur at a regular interval,
    measured in display columns from the paragraph's start; deliberate separators
    (in a title, between two snippets) do not. Only prose paragraphs that are
    mostly CJK are searched. The interval is the most common distance between
    nearby candidate spaces; the spaces in chains at that interval are removed if
    they are most of the candidates. The search repeats on
    what is left until nothing changes, so a second run of the step finds nothing:
    positions leave out the candidate spaces themselves, so removing some does not
    move the others.

    A space beside a digit ("增长了 12%", "共有1 200人") is no candidate of its own,
    since writers space numbers on purpose, but a wrap falls there as anywhere: it
    is removed when a chain at the interval found without it passes through it.

    >>> rules = compile_layout_rules(_shipped_rules()).cjk_wrap_spaces
    >>> box = "一二三四五，七八九十" * 2
    >>> find_cjk_wrap_spaces(" ".join([box] * 5), rules)
    [20, 41, 62, 83]
    >>> find_cjk_wrap_spaces(" ".join([box, box, box[:-2] + "12", box, box, box]), rules)
    [20, 41, 62, 83, 104]
    >>> find_cjk_wrap_spaces("协同推进硬联通、软联通、心联通 打造数字合作的“上合样板”", rules)
    []
    >>> find_cjk_wrap_spaces(" ".join(["北京大学新闻学院教授"] * 5), rules)
    []
    """
    candidates = []
    digit_candidates = set()
    for m in _SINGLE_SPACE.finditer(paragraph):
        left, right = paragraph[m.start() - 1], paragraph[m.start() + 1]
        if _is_wrap_space_candidate(left, right):
            candidates.append(m.start())
        elif _is_digit_wrap_space_candidate(left, right):
            candidates.append(m.start())
            digit_candidates.add(m.start())
    if len(candidates) - len(digit_candidates) < rules.min_chain_spaces:
        return []
    visible = len(paragraph) - paragraph.count(" ")
    cjk_count = len(_NOT_CJK_RUN.sub("", paragraph))
    if cjk_count < rules.min_cjk_share * visible:
        return []
    if rules.prose_marks.isdisjoint(paragraph):
        return []  # a title or a list, not prose
    positions = []
    column, previous = 0, 0
    for offset in candidates:
        column += display_width(paragraph[previous:offset])
        positions.append(column)
        previous = offset + 1
    remaining = list(range(len(candidates)))
    removed: list[int] = []
    while True:
        primary = [k for k in remaining if candidates[k] not in digit_candidates]
        if len(primary) < rules.min_chain_spaces:
            break
        # The interval is estimated from the spaces that are no writer's spacing;
        # the chains at it may pass through spaces beside digits.
        period = _estimate_period([0, *(positions[k] for k in primary)], rules)
        if period is None:
            break
        members = _chain_members([0, *(positions[k] for k in remaining)], period, rules)
        dropped = {remaining[index - 1] for index in members}
        in_chains = sum(1 for k in dropped if candidates[k] not in digit_candidates)
        if not in_chains or in_chains < rules.min_chain_share * len(primary):
            break
        removed.extend(dropped)
        remaining = [k for k in remaining if k not in dropped]
    return sorted(candidates[k] for k in removed)


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    offset = 0
    for paragraph in text.split("\n"):
        yield offset, paragraph
        offset += len(paragraph) + 1


def cjk_wrap_space_changes(text: str, rules: LayoutRules) -> list[Change]:
    """Remove the wrap spaces :func:`find_cjk_wrap_spaces` finds, paragraph by paragraph."""
    changes: list[Change] = []
    if _CJK.search(text) is None:
        return changes  # most texts: one scan instead of one for each paragraph
    for offset, paragraph in _paragraphs(text):
        if " " in paragraph and _CJK.search(paragraph):
            changes.extend(
                Change(offset + i, offset + i + 1, "", "remove_cjk_wrap_space")
                for i in find_cjk_wrap_spaces(paragraph, rules.cjk_wrap_spaces)
            )
    return changes


# ---------------------------------------------------------------------------


def _shipped_rules() -> RulesFile:
    """The shipped ``layout.toml`` (for the examples in docstrings)."""
    from curation.rules import load_rules

    return load_rules()[RULES_FILE]


def run(record: Record, rules: RuleSet) -> StepOutput:
    layout = compile_layout_rules(rules[RULES_FILE])
    languages = declared_languages(record.declared)
    record = record.with_changes(f"{STEP_ID}/lines", line_changes(record.text))
    record = record.with_changes(
        f"{STEP_ID}/unwrap",
        unwrap_changes(record.text, layout, languages, rules[LANGUAGE_RULES_FILE]),
    )
    record = record.with_changes(f"{STEP_ID}/spacing", spacing_changes(record.text, layout))
    record = record.with_changes(f"{STEP_ID}/cjk", cjk_wrap_space_changes(record.text, layout))
    return (record,)


STEP = Step(
    NAME,
    VERSION,
    "one paragraph per line: hard wraps unwrapped (wrap width estimated per document), "
    "end-of-line hyphens joined by word frequency, CJK wrap spaces removed, missing "
    "sentence spaces inserted",
    run,
    rules_files=(RULES_FILE, LANGUAGE_RULES_FILE),
)
