"""Remove repeated paragraphs and sentences inside one document; the first occurrence stays.

Extracted documents repeat themselves: a scraper picks up a paragraph twice, a PDF
layer holds a sentence and its rewording, an author restates a clause in the next
sentence. Three rules, each a removal with the separator that went with it:

``repeated_paragraph``
    a paragraph whose comparison form (NFKC, casefolded, punctuation stripped,
    spaces collapsed) equals an earlier paragraph's; removed with the ``"\\n\\n"``
    before it;
``repeated_sentence``
    a sentence whose comparison form equals an earlier sentence's of its paragraph, or
    of an earlier paragraph when it opens its own (see :class:`_Judge`);
``near_duplicate_sentence``
    a sentence that restates the sentence just before it in its paragraph: most of
    it (``redundant_share`` of its length) is made of clauses whose character n-grams
    are found (``clause_containment``) in that sentence, with the same numbers, and
    that sentence is not much longer than it (``max_restated_length_ratio``).

A removed sentence takes the space before it with it (the space after it when it
opens its paragraph); a paragraph whose sentences all go is removed with its
separator. Sentences come from sentencex, clauses from the clause punctuation in
``repeats.toml``; similarity is measured on character n-grams, which work for
unspaced scripts (Chinese, Japanese) and for inflected ones (Russian "цифровой" /
"цифровую" are different words but share four of their six trigrams).

Cost: exact repeats are found across the whole document (a set of comparison
forms); near-duplicates only among the last ``near_duplicate_lookback`` kept
sentences of the same paragraph, so a document of n sentences costs O(n) clause
comparisons. A clause's shingles are looked for in the earlier sentence's form, and
the search stops as soon as too many are missing (:meth:`_Clause.found_in`): most
clauses are refused after a few of their shingles, and no set of shingles is made
for them.

Comparisons are always with *kept* text, so a second look at the output finds
nothing more; where a removal changes how sentencex cuts the text around it, the
step looks again (:func:`run`) until it finds nothing, so it is idempotent.

>>> from curation.rules import load_rules
>>> sentence = "The talks lasted two days in Beijing last week."
>>> [c.rule for c in find_repeats(f"{sentence} {sentence}", "en", load_rules()["repeats"])]
['repeated_sentence']
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sentencex import segment

from curation import patterns
from curation.record import Change, Record, apply_changes
from curation.rules import RuleSet, RulesFile
from curation.steps.base import Step, StepOutput
from curation.steps.repair_layout import (
    compile_layout_rules,
    detect_word_list_language,
    frequency_languages,
)
from curation.word_frequency import zipf_frequency

NAME = "remove_repeats"
# 4: a near-duplicate only of the sentence just before it; 5: an exact repeat of an earlier
# paragraph's sentence only where it opens its paragraph.
VERSION = 5
STEP_ID = f"{NAME}_v{VERSION}"

PARAGRAPH_SEPARATOR = "\n\n"

REPEATED_PARAGRAPH = "repeated_paragraph"
REPEATED_SENTENCE = "repeated_sentence"
NEAR_DUPLICATE_SENTENCE = "near_duplicate_sentence"
RESTATED_HEADLINE = "restated_headline"
RESTATED_LEAD = "restated_lead"

_DIGITS = patterns.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class RestatementRules:
    """The ``[restatement]`` table of ``repeats.toml``."""

    lead_paragraphs: int
    lookahead_paragraphs: int
    min_chars: int
    max_chars: int
    min_content_units: int
    max_missing_share: float
    dense_max_missing_share: float
    common_word_zipf: float
    fallback_word_letters: int
    min_stem_letters: int
    stem_share: float
    sentence_end: frozenset[str]
    closing_marks: str
    language_sample_chars: int


@dataclass(frozen=True, slots=True)
class RepeatRules:
    """What :func:`find_repeats` needs from ``repeats.toml``, compiled once per rules file."""

    dense_char_weight: int
    min_exact_repeat_chars: int
    min_near_duplicate_chars: int
    min_clause_chars: int
    shingle_size: int
    dense_shingle_size: int
    clause_containment: float
    redundant_share: float
    near_duplicate_lookback: int
    max_restated_length_ratio: float
    dense_character: re.Pattern[str]
    # Runs of dense characters: counted by their lengths, fewer matches than characters.
    dense_run: re.Pattern[str]
    # Whether an ASCII character is dense: if not (the rules say Han, kana and Hangul),
    # an ASCII text's length is its weight and its comparison form is made by a table.
    ascii_dense: bool
    dense_runs: re.Pattern[str]
    space_between_dense: re.Pattern[str]
    clause_boundary: re.Pattern[str]
    # Any clause separator, digits around it or not: where clause_boundary may match.
    clause_separator: re.Pattern[str]
    default_language: str
    # Each language with the runs of its script's characters: counted by their lengths,
    # fewer matches than characters.
    script_languages: tuple[tuple[str, re.Pattern[str]], ...]
    # The same scripts' character classes as written (see _script_ranges).
    script_classes: tuple[str, ...]
    restatement: RestatementRules


_ASCII = "".join(map(chr, range(128)))


@functools.lru_cache(maxsize=8)
def compile_rules(rules: RulesFile) -> RepeatRules:
    length, similarity = rules["length"], rules["similarity"]
    segmentation, script = rules["segmentation"], rules["script"]
    dense = script["dense_characters"]
    separators = re.escape(segmentation["clause_separators"])
    return RepeatRules(
        dense_char_weight=length["dense_char_weight"],
        min_exact_repeat_chars=length["min_exact_repeat_chars"],
        min_near_duplicate_chars=length["min_near_duplicate_chars"],
        min_clause_chars=length["min_clause_chars"],
        shingle_size=similarity["shingle_size"],
        dense_shingle_size=similarity["dense_shingle_size"],
        clause_containment=similarity["clause_containment"],
        redundant_share=similarity["redundant_share"],
        near_duplicate_lookback=similarity["near_duplicate_lookback"],
        max_restated_length_ratio=similarity["max_restated_length_ratio"],
        dense_character=patterns.compile(f"[{dense}]"),
        dense_run=patterns.compile(f"[{dense}]+"),
        ascii_dense=bool(patterns.compile(f"[{dense}]").search(_ASCII)),
        dense_runs=patterns.compile(f"[{dense}]+|[^{dense}]+"),
        space_between_dense=patterns.compile(f"(?<=[{dense}]) (?=[{dense}])"),
        # A separator between two digits is a thousands separator or a clock time.
        clause_boundary=patterns.compile(f"(?<!\\d)[{separators}]|[{separators}](?!\\d)"),
        clause_separator=patterns.compile(f"[{separators}]"),
        default_language=segmentation["default_language"],
        script_languages=tuple(
            (entry["language"], patterns.compile(f"[{entry['characters']}]+"))
            for entry in segmentation["script_languages"]
        ),
        script_classes=tuple(entry["characters"] for entry in segmentation["script_languages"]),
        restatement=RestatementRules(
            lead_paragraphs=rules["restatement"]["lead_paragraphs"],
            lookahead_paragraphs=rules["restatement"]["lookahead_paragraphs"],
            min_chars=rules["restatement"]["min_chars"],
            max_chars=rules["restatement"]["max_chars"],
            min_content_units=rules["restatement"]["min_content_units"],
            max_missing_share=rules["restatement"]["max_missing_share"],
            dense_max_missing_share=rules["restatement"]["dense_max_missing_share"],
            common_word_zipf=rules["restatement"]["common_word_zipf"],
            fallback_word_letters=rules["restatement"]["fallback_word_letters"],
            min_stem_letters=rules["restatement"]["min_stem_letters"],
            stem_share=rules["restatement"]["stem_share"],
            sentence_end=frozenset(rules["restatement"]["sentence_end"]),
            closing_marks=rules["restatement"]["closing_marks"],
            language_sample_chars=rules["restatement"]["language_sample_chars"],
        ),
    )


# The last code point of the Basic Multilingual Plane.
_BMP_LAST = 0xFFFF


# The runs of combining marks of one Unicode version, as :func:`marks_of_every_code_point`
# found them (:func:`write_mark_runs` writes it; tests/test_remove_repeats.py checks it):
# asking ``unicodedata`` about every code point took a third of a second in every
# process that compares sentences, before its first record (a rebuild's worker, say).
MARK_RUNS_FILE = Path(__file__).with_name("combining_marks.txt")


@functools.lru_cache(maxsize=1)
def _mark_runs() -> tuple[tuple[int, int], ...]:
    """The first and last code point of each run of combining marks, in order: read
    from :data:`MARK_RUNS_FILE` if it is of this Python's Unicode version, else found."""
    try:
        heading, *lines = MARK_RUNS_FILE.read_text(encoding="ascii").splitlines()
    except OSError:
        return marks_of_every_code_point()
    if heading != f"unicode {unicodedata.unidata_version}":
        return marks_of_every_code_point()
    return tuple((int(first, 16), int(last, 16)) for first, last in map(str.split, lines))


def marks_of_every_code_point() -> tuple[tuple[int, int], ...]:
    """The runs of combining marks, found by asking ``unicodedata`` about every code point."""
    # The first letter of every code point's category, in one string: "M" runs are marks.
    categories = "".join(
        map(operator.itemgetter(0), map(unicodedata.category, map(chr, range(sys.maxunicode + 1))))
    )
    return tuple(
        (run.start(), run.end() - 1) for run in patterns.compile("M+").finditer(categories)
    )


def write_mark_runs(path: Path = MARK_RUNS_FILE) -> None:
    """Write :data:`MARK_RUNS_FILE` for this Python's Unicode version."""
    lines = [f"unicode {unicodedata.unidata_version}"]
    lines += [f"{first:X} {last:X}" for first, last in marks_of_every_code_point()]
    path.write_text("\n".join(lines) + "\n", encoding="ascii", newline="\n")


@functools.lru_cache(maxsize=2)
def _non_word_run(last: int = sys.maxunicode) -> re.Pattern[str]:
    """Runs of characters that are neither word characters nor combining marks.

    Combining marks (Devanagari vowel signs, Arabic harakat) are part of words but
    not ``\\w`` in Python's ``re``, which has no ``\\p{M}``: their ranges are read
    from ``unicodedata`` once, so the pattern follows the Unicode version of the
    Python that runs the build, like NFKC does.

    ``last`` is the highest code point of the texts the pattern reads: the marks past
    it are left out, as they cannot be met. For a text of the Basic Multilingual Plane
    (see :func:`_in_bmp`) that is twice as fast: ``re`` checks a character against the
    plane's ranges in one table, and against those of the planes above one by one.
    """
    ranges = "".join(
        f"{re.escape(chr(first))}-{re.escape(chr(min(end, last)))}"
        for first, end in _mark_runs()
        if first <= last
    )
    return patterns.compile(f"[^\\w{ranges}]+|_+")


def _in_bmp(text: str) -> bool:
    """Whether every character of ``text`` is in the Basic Multilingual Plane: one
    UTF-16 code unit each (a lone surrogate too, passed through)."""
    return len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text)


class _NonWordToSpace(dict[int, str]):
    """A ``str.translate`` table: each character of a :func:`_non_word_run` to a space.

    Filled as characters are met (a text has a few hundred distinct ones); a
    character's entry is what the pattern says of it alone.
    """

    def __missing__(self, code: int) -> str:
        character = chr(code)
        self[code] = " " if _non_word_run().fullmatch(character) else character
        return self[code]


_NON_WORD_TO_SPACE = _NonWordToSpace()


@functools.lru_cache(maxsize=1)
def _ascii_to_form() -> bytes:
    """A ``bytes.translate`` table: each ASCII character as :func:`comparison_form` turns it.

    Made from the general path, character by character: NFKC leaves ASCII alone and
    casefolding turns an ASCII character into one ASCII character, so an ASCII text is
    folded and spaced by this table alone (three passes in C, no character objects).
    """
    table = bytearray(range(256))
    for code in range(128):
        character = chr(code)
        folded = unicodedata.normalize("NFKC", character).casefold()
        assert folded.isascii() and len(folded) == 1  # true of every ASCII character
        table[code] = ord(folded.translate(_NON_WORD_TO_SPACE))
    return bytes(table)


class _NfkcOfCharacter(dict[int, str]):
    """A ``str.translate`` table: each character to its NFKC form, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        self[code] = unicodedata.normalize("NFKC", chr(code))
        return self[code]


_NFKC_OF_CHARACTER = _NfkcOfCharacter()

# A character that is neither a word character nor a space: with the underscore, what
# may be in a run of _non_word_run() that str.split() does not already take as a space
# (combining marks too, which the table keeps: they are \W in Python's re). One class
# and no alternation (not "[^\w\s]|_"): re then scans for it without trying a match at
# every position, and the underscore is looked for by str.
_NEITHER_WORD_NOR_SPACE = patterns.compile(r"[^\w\s]")


def _spaced(folded: str) -> str:
    """``folded`` with each character of a :func:`_non_word_run` that is not a space made a
    space: ``str.split`` then splits it as the run's replacement by one space would.

    The same as translating every character with ``_NON_WORD_TO_SPACE`` (whitespace is
    made a space there, and split takes it as one here), but only the few distinct
    characters that may change are looked up and replaced, each in one pass in C.
    """
    found = set(_NEITHER_WORD_NOR_SPACE.findall(folded))
    if "_" in folded:
        found.add("_")
    for character in found:
        if _NON_WORD_TO_SPACE[ord(character)] == " ":
            folded = folded.replace(character, " ")
    return folded


def _collapse(spaced: str, rules: RepeatRules, dense: bool = True) -> str:
    """Runs of spaces made one, the ends stripped, the spaces between dense characters
    dropped (``dense``: whether ``spaced`` may have a dense character)."""
    collapsed = " ".join(spaced.split())
    if dense and " " in collapsed:
        return rules.space_between_dense.sub("", collapsed)
    return collapsed


class _Folded:
    """A text folded once, so that the comparison form of any part of it is a slice.

    ``spaced`` is the text folded character by character (NFKC, casefolded, non-word
    characters made spaces), of the text's length, when that is what folding the whole
    text does: NFKC of each character is one character and their concatenation is
    normalized (then it is the text's NFKC, and each part of it that of the part, as a
    substring of a normalized string is normalized), and casefolding keeps the length
    (it maps each character alone). Then the form of ``text[a:b]`` is the collapse of
    ``spaced[a:b]`` (:meth:`form`), as :func:`comparison_form` would make it, with no
    character normalized, casefolded or looked up again. Otherwise (``spaced`` is None:
    "ß", "…", a ligature, a decomposed accent) each part is folded on its own.

    >>> from curation.rules import load_rules
    >>> rules = compile_rules(load_rules()["repeats"])
    >>> folded = _Folded("«Цифровой дипломатии», — сказал он.", rules)
    >>> folded.form(0, 21), folded.form(22, 35)
    ('цифровой дипломатии', 'сказал он')
    """

    __slots__ = ("dense", "rules", "spaced", "text")

    def __init__(self, text: str, rules: RepeatRules) -> None:
        self.text = text
        self.rules = rules
        self.dense = True
        self.spaced: str | None = None
        if text.isascii() and not rules.ascii_dense:
            self.dense = False
            self.spaced = text.encode("ascii").translate(_ascii_to_form()).decode("ascii")
            return
        normalized = text
        if not unicodedata.is_normalized("NFKC", text):
            normalized = text.translate(_NFKC_OF_CHARACTER)
            if len(normalized) != len(text) or not unicodedata.is_normalized("NFKC", normalized):
                return
        folded = normalized.casefold()
        if len(folded) != len(text):
            return
        self.spaced = _spaced(folded)
        self.dense = rules.dense_character.search(folded) is not None

    def form(self, start: int, end: int) -> str:
        """:func:`comparison_form` of ``text[start:end]``."""
        if self.spaced is None:
            return comparison_form(self.text[start:end], self.rules)
        return _collapse(self.spaced[start:end], self.rules, self.dense)

    def weight(self, key: str) -> int:
        """:func:`weighted_length` of the form of a part: its length, if the text has no
        dense character to count."""
        return weighted_length(key, self.rules) if self.dense else len(key)

    def part(self, start: int, end: int) -> _Folded:
        """The part ``text[start:end]``, folded: a slice of this one."""
        part = _Folded.__new__(_Folded)
        part.text = self.text[start:end]
        part.rules = self.rules
        part.dense = self.dense
        part.spaced = None if self.spaced is None else self.spaced[start:end]
        return part


def comparison_form(text: str, rules: RepeatRules) -> str:
    """The text as it is compared: NFKC, casefolded, punctuation stripped, spaces collapsed.

    Spaces between two dense-script characters go too: Chinese has none, and the
    ones found there are line-wrap artefacts.

    >>> from curation.rules import load_rules
    >>> rules = compile_rules(load_rules()["repeats"])
    >>> comparison_form("«Цифровой дипломатии», — сказал он.", rules)
    'цифровой дипломатии сказал он'
    >>> comparison_form("深化数 字合作，  促进交流。", rules)
    '深化数字合作促进交流'
    """
    if text.isascii() and not rules.ascii_dense:
        # No dense character, so no space between two of them to remove.
        return " ".join(text.encode("ascii").translate(_ascii_to_form()).decode("ascii").split())
    folded = unicodedata.normalize("NFKC", text).casefold()
    # Each character of a run of non-word characters becomes a space, and the split
    # collapses the run: the same as replacing the run by one space, in C.
    return _collapse(_spaced(folded), rules)


def weighted_length(key: str, rules: RepeatRules) -> int:
    """Length of a comparison form, a dense-script character counting ``dense_char_weight``."""
    return len(key) + (rules.dense_char_weight - 1) * _dense_count(key, rules)


def _dense_count(key: str, rules: RepeatRules) -> int:
    """How many dense-script characters ``key`` has."""
    if key.isascii() and not rules.ascii_dense:
        return 0  # known in constant time: Python marks a string as ASCII when it makes it
    return sum(map(len, rules.dense_run.findall(key)))


def shingles(key: str, size: int) -> frozenset[str]:
    """The character n-grams of a comparison form; a form shorter than ``size`` is one shingle.

    >>> sorted(shingles("эры", 2))
    ['ры', 'эр']
    """
    return frozenset(_shingle_list(key, size))


def _shingle_list(key: str, size: int) -> list[str]:
    """The shingles of a comparison form in the order they occur, repeats included.

    Those of a part of the form are a slice of the list: a clause found in its
    sentence's form takes its shingles from there instead of cutting new strings.
    """
    if len(key) <= size:
        return [key] if key else []
    return [key[i : i + size] for i in range(len(key) - size + 1)]


def _is_dense(key: str, rules: RepeatRules) -> bool:
    letters = len(key) - key.count(" ")
    return 2 * _dense_count(key, rules) > letters


class _KeptSentence:
    """A kept sentence, as the later sentences of its paragraph are compared with it.

    Its shingles and numbers are made only for the few later sentences that are
    compared with it (see :class:`_Judge`).
    """

    __slots__ = ("_numbers", "grams", "key", "shingles_by_size", "weight")

    def __init__(
        self,
        key: str,
        numbers: frozenset[str] | None = None,
        grams: dict[int, list[str]] | None = None,
        weight: int = 0,
    ) -> None:
        self.key = key
        self._numbers = numbers
        # Shingle lists and sets by n-gram size, made when first needed.
        self.grams: dict[int, list[str]] = grams or {}
        self.shingles_by_size: dict[int, frozenset[str]] = {}
        # Its weighted length (see weighted_length).
        self.weight = weight

    @property
    def numbers(self) -> frozenset[str]:
        if self._numbers is None:
            self._numbers = frozenset(_DIGITS.findall(self.key))
        return self._numbers

    def grams_of(self, size: int) -> list[str]:
        found = self.grams.get(size)
        if found is None:
            found = self.grams[size] = _shingle_list(self.key, size)
        return found

    def shingles(self, size: int) -> frozenset[str]:
        found = self.shingles_by_size.get(size)
        if found is None:
            found = self.shingles_by_size[size] = frozenset(self.grams_of(size))
        return found


# Characters that make a character class more than characters and ranges (escapes,
# nested or negated classes, set operations): such a class is counted by its pattern.
_CLASS_SYNTAX = frozenset("\\[]^&~|")


def _class_ranges(characters: str) -> list[tuple[int, int]] | None:
    """The code point ranges (first, last) of a character class made of characters and
    ranges only, as ``re`` reads it; None for any other class."""
    if not characters or _CLASS_SYNTAX.intersection(characters) or "--" in characters:
        return None
    if characters[0] == "-" or characters[-1] == "-":
        return None
    ranges = []
    position = 0
    while position < len(characters):
        first = ord(characters[position])
        if position + 2 < len(characters) and characters[position + 1] == "-":
            last = ord(characters[position + 2])
            if last < first:
                return None  # re refuses it: let the pattern say so
            ranges.append((first, last))
            position += 3
        else:
            ranges.append((first, first))
            position += 1
    return ranges


@functools.lru_cache(maxsize=8)
def _script_ranges(
    classes: tuple[str, ...],
) -> tuple[npt.NDArray[np.int64], tuple[tuple[int, ...], ...]] | None:
    """The edges of the scripts' ranges, sorted, and for each script the numbers of its
    ranges between them: each text character is placed among the edges at once
    (:func:`_script_counts`). None if a class is not characters and ranges or two
    ranges overlap."""
    owned = []
    for script, characters in enumerate(classes):
        ranges = _class_ranges(characters)
        if ranges is None:
            return None
        owned += [(first, last, script) for first, last in ranges]
    owned.sort()
    if any(later[0] <= earlier[1] for earlier, later in itertools.pairwise(owned)):
        return None
    # Range i covers [edges[2i], edges[2i + 1]): a character's place among the edges
    # (counted from the right) is 2i + 1 when it is in range i.
    edges = np.array(
        [edge for first, last, _ in owned for edge in (first, last + 1)], dtype=np.int64
    )
    by_script = tuple(
        tuple(2 * i + 1 for i, (_, _, owner) in enumerate(owned) if owner == script)
        for script in range(len(classes))
    )
    return edges, by_script


@functools.lru_cache(maxsize=8)
def _script_table(classes: tuple[str, ...]) -> npt.NDArray[np.uint8] | None:
    """Each code point from 0 to the end of the last script range, as the number of the
    script whose range holds it plus one (0: none): a text's characters are counted by
    looking them up (:func:`_script_counts`), a step cheaper than placing them among
    the edges. The last entry, the end of the last range, is 0: a character past the
    table is looked up there. None where the edges are (see :func:`_script_ranges`), or
    for more scripts than a byte numbers; a table of at most 1.1 MB (64 KB for the
    shipped rules, whose last range ends in Hangul)."""
    ranges = _script_ranges(classes)
    if ranges is None or not len(ranges[0]) or len(classes) >= 255:
        return None
    edges, by_script = ranges
    table = np.zeros(int(edges[-1]) + 1, dtype=np.uint8)
    for script, places in enumerate(by_script):
        for place in places:  # range i covers [edges[2i], edges[2i + 1]), place 2i + 1
            table[edges[place - 1] : edges[place]] = script + 1
    return table


def _script_counts(text: str, rules: RepeatRules) -> list[int]:
    """How many characters of ``text`` each script of ``script_languages`` has."""
    table = _script_table(rules.script_classes)
    if table is not None:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        # "clip": a code past the table reads its last entry, which no range holds.
        scripts = table.take(codes, mode="clip")
        counts: list[int] = np.bincount(scripts, minlength=len(rules.script_classes) + 1).tolist()
        return counts[1:]  # counts[0]: the characters of no script
    ranges = _script_ranges(rules.script_classes)
    if ranges is None:
        return [sum(map(len, runs.findall(text))) for _, runs in rules.script_languages]
    edges, by_script = ranges
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    places = np.bincount(
        np.searchsorted(edges, codes, side="right"), minlength=len(edges) + 1
    ).tolist()
    return [sum(places[place] for place in places_of) for places_of in by_script]


def _guess_language_by_script(text: str, rules: RepeatRules) -> str:
    best_language, best_count = rules.default_language, 0
    for (language, _), count in zip(
        rules.script_languages, _script_counts(text, rules), strict=True
    ):
        if count > best_count:  # strict: ties go to the earlier entry
            best_language, best_count = language, count
    return best_language


def segmentation_language(text: str, record: Record, rules: RepeatRules) -> str:
    """The language sentencex segments with.

    The record's detected language if set; else the declared language (of several,
    the one the text's script points to, or the first); else the script's guess.
    """
    if record.language:
        return record.language
    declared = record.declared.get("languages")
    languages = (
        [code for code in declared if isinstance(code, str) and code]
        if isinstance(declared, list | tuple)
        else []
    )
    if len(languages) == 1:
        return languages[0]
    guess = _guess_language_by_script(text, rules)
    if not languages or guess in languages:
        return guess
    return languages[0]


# sentencex's cost grows faster than the text on long runs of quotes and brackets
# (256K characters of "'" took 8 s, 64K 0.4 s), so a paragraph is segmented in
# windows of at most this many characters, cut after a sentence end (else at a
# space) in the window's second half: the work is linear in the paragraph. A real sentence is far
# shorter; a paragraph this long is a table or a listing flattened into one line.
SEGMENT_WINDOW_CHARS = 8000
# Where quotes and brackets are dense, sentencex's cost grows faster still: 8,000
# characters of mixed openers ("([{（【「『《〈«“‘) took 0.47 s, 2,000 took 0.008 s and
# 1,000 took 0.004 s. A window in which more than SEGMENT_DENSE_SHARE of the characters
# are quotes or brackets is cut again into windows of SEGMENT_DENSE_WINDOW_CHARS. Prose
# is far below that share: at most 6.6 % in any window of the benchmark's 10,000 pages,
# the development set's 121 and the seeds, so their sentences are cut as before; a
# window over it is a run of marks, a formula or a program.
SEGMENT_DENSE_WINDOW_CHARS = 1000
SEGMENT_DENSE_SHARE = 0.125
_WINDOW_CUTS = (". ", "! ", "? ", "。", "！", "？")


@functools.cache
def _quotes_and_brackets() -> dict[int, None]:
    """Quotes and brackets: Unicode's opening, closing, initial and final punctuation,
    and the two ASCII quotes, mapped to None (str.translate deletes them, and the
    length lost counts them). Every such character is in the Basic Multilingual Plane
    (the last is U+FF63), and looking through it takes ~35 ms: done once, when a long
    paragraph first needs it."""
    codes = [
        code
        for code in range(0x10000)
        if unicodedata.category(chr(code)) in ("Ps", "Pe", "Pi", "Pf")
    ]
    return dict.fromkeys([*codes, ord('"'), ord("'")])


def _segment_windows(paragraph: str) -> list[str]:
    """``paragraph`` in consecutive pieces of at most SEGMENT_WINDOW_CHARS, and of at
    most SEGMENT_DENSE_WINDOW_CHARS where quotes and brackets are dense."""
    windows = []
    for window in _windows(paragraph, SEGMENT_WINDOW_CHARS):
        if len(window) > SEGMENT_DENSE_WINDOW_CHARS and _quote_share(window) > SEGMENT_DENSE_SHARE:
            windows += _windows(window, SEGMENT_DENSE_WINDOW_CHARS)
        else:
            windows.append(window)
    return windows


def _quote_share(text: str) -> float:
    """The share of ``text``'s characters that are quotes or brackets."""
    return (len(text) - len(text.translate(_quotes_and_brackets()))) / len(text)


def _windows(paragraph: str, size: int) -> list[str]:
    """``paragraph`` in consecutive pieces of at most ``size`` characters, each cut after
    a sentence end, else at a space, in its second half."""
    windows = []
    start = 0
    while len(paragraph) - start > size:
        end = start + size
        half = start + size // 2
        # A sentence end followed by a space, else a space, else anywhere.
        cut = max(
            (
                found + len(mark)
                for mark in _WINDOW_CUTS
                if (found := paragraph.rfind(mark, half, end)) >= 0
            ),
            default=-1,
        )
        if cut < 0:
            space = paragraph.rfind(" ", half, end)
            cut = space + 1 if space >= 0 else end
        end = min(cut, start + size)
        windows.append(paragraph[start:end])
        start = end
    windows.append(paragraph[start:])
    return windows


def sentence_spans(paragraph: str, language: str) -> list[tuple[int, int]]:
    """Start and end of each sentence of ``paragraph``, without surrounding whitespace.

    sentencex returns strings; each is located in the paragraph, so the spans are
    exact offsets whatever sentencex does with whitespace.

    >>> p = "Hello world.  This is Mr. Smith. He left."
    >>> [p[s:e] for s, e in sentence_spans(p, "en")]
    ['Hello world.', 'This is Mr. Smith.', 'He left.']
    """
    pieces: list[str] = []
    for window in _segment_windows(paragraph):
        try:
            pieces += segment(language, window)
        except (UnicodeError, ValueError):
            pieces.append(window)  # text sentencex cannot take (lone surrogates): one sentence
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in pieces:
        stripped = piece.strip()
        if not stripped:
            continue
        start = paragraph.find(stripped, cursor)
        if start < 0:
            break  # sentencex changed the text: the rest becomes one sentence below
        spans.append((start, start + len(stripped)))
        cursor = start + len(stripped)
    rest = paragraph[cursor:]
    if rest.strip():
        spans.append((cursor + len(rest) - len(rest.lstrip()), len(paragraph.rstrip())))
    return spans


class _Clause:
    """A clause of a sentence: its form and weight, and, made when first asked for
    (most clauses are never compared: see :class:`_Judge`), its shingles and numbers."""

    __slots__ = ("_numbers", "_shingles", "key", "sentence", "weight")

    def __init__(self, key: str, weight: int, sentence: _Clauses) -> None:
        self.key = key
        self.weight = weight
        self.sentence = sentence
        self._shingles: frozenset[str] | None = None
        self._numbers: frozenset[str] | None = None

    @property
    def shingles(self) -> frozenset[str]:
        if self._shingles is None:
            sentence, size = self.sentence, self.sentence.shingle_size
            # The clause's form is nearly always a part of the sentence's.
            start = sentence.key.find(self.key) if len(self.key) > size else -1
            self._shingles = frozenset(
                sentence.grams[start : start + len(self.key) - size + 1]
                if start >= 0
                else _shingle_list(self.key, size)
            )
        return self._shingles

    @property
    def numbers(self) -> frozenset[str]:
        if self._numbers is None:
            self._numbers = frozenset(_DIGITS.findall(self.key))
        return self._numbers

    @property
    def min_shared(self) -> float:
        """Shingles it must share with an earlier sentence to be found there."""
        return self.sentence.containment * len(self.shingles)

    def found_in(self, earlier: _KeptSentence) -> bool:
        """Whether the clause repeats ``earlier``: it has no number ``earlier`` lacks, and at
        least :attr:`min_shared` of its shingles are ``earlier``'s.

        No set of shingles is made for a clause that is not found, as most are not: a
        shingle of ``size`` characters is one of ``earlier``'s exactly when it occurs in
        ``earlier``'s form (which has every run of ``size`` characters of it as a shingle,
        or is one shingle of at most ``size`` characters, which such a run occurs in only
        by being it), so the shingles are looked for there, one by one, and the search
        stops as soon as more are missing than a found clause can miss: a found clause of
        ``d`` distinct shingles misses at most ``(1 - containment) * d``, and ``d`` is at
        most the number of positions (the bound is taken one shingle wider, so that no
        rounding of the float decides a refusal).
        """
        # The earlier sentence's numbers are read only for a clause that has one (one in
        # four): no number is a subset of any.
        numbers = self.numbers
        if numbers and not numbers <= earlier.numbers:
            return False
        size = self.sentence.shingle_size
        key = self.key
        if len(key) <= size:  # one shingle (or none), which may be shorter than `size`
            return len(self.shingles & earlier.shingles(size)) >= self.min_shared
        containment = self.sentence.containment
        positions = len(key) - size + 1
        most_missing = int((1 - containment) * positions) + 1
        earlier_key = earlier.key
        missing: set[str] = set()
        for start in range(positions):
            gram = key[start : start + size]
            if gram not in earlier_key and gram not in missing:
                missing.add(gram)
                if len(missing) > most_missing:
                    return False
        # Every missing shingle was seen: the shared ones are the others.
        distinct = len(self.shingles)
        return distinct - len(missing) >= containment * distinct


def clause_spans(sentence: str, rules: RepeatRules) -> list[tuple[int, int]]:
    """The sentence cut at its clause punctuation into pieces of at least ``min_clause_chars``.

    A shorter piece ("he said", "in 2020") is joined to the next one, the last to the
    one before: alone, its few n-grams would be found in almost any long sentence.

    >>> from curation.rules import load_rules
    >>> s = ("In 2020, he said, trade between the two countries grew by a third, "
    ...      "and tourism between them doubled again, officials said.")
    >>> for a, b in clause_spans(s, compile_rules(load_rules()["repeats"])):
    ...     print(repr(s[a:b]))
    'In 2020, he said, trade between the two countries grew by a third,'
    ' and tourism between them doubled again, officials said.'
    """
    return [(start, end) for start, end, _ in _clause_pieces(sentence, rules)]


def _clause_pieces(
    sentence: str, rules: RepeatRules, form: str | None = None, folded: _Folded | None = None
) -> list[tuple[int, int, str | None]]:
    """:func:`clause_spans`, each with its comparison form when it is one piece (else None).

    ``form``, if given, is the sentence's comparison form, used for a sentence that
    is one piece instead of being made again; ``folded``, if given, is the sentence
    folded (:class:`_Folded`), which the pieces' forms are cut from.
    """
    # clause_boundary's matches are single separators: those not between two digits
    # (\d, Python's: the category Nd, what str.isdecimal says of one character). Found
    # by cutting the sentence at every separator (a plain class, which re scans far
    # faster than the alternation with its lookarounds: most sentences have none or a
    # few), one split in C, then looking at the characters on either side of each.
    parts = rules.clause_separator.split(sentence)
    cuts = []
    end = 0
    for before, after in itertools.pairwise(parts):
        end += len(before) + 1  # just past the separator after `before`
        if not (after[:1].isdecimal() and before[-1:].isdecimal()):
            cuts.append(end)
    if not cuts and form is not None:
        # One piece, the whole sentence: the loop below with its known form.
        return [(0, len(sentence), form)] if sentence else []
    spans: list[tuple[int, int, str | None]] = []
    start = piece_start = 0
    weight = 0
    key: str | None = None
    for end in [*cuts, len(sentence)]:
        # Weights of the pieces add up (give or take the space that joins them), so
        # each piece is measured once however many short ones are joined.
        piece_key = (
            folded.form(piece_start, end)
            if folded is not None
            else comparison_form(sentence[piece_start:end], rules)
        )
        key = piece_key if piece_start == start else None
        weight += (
            folded.weight(piece_key) if folded is not None else weighted_length(piece_key, rules)
        )
        piece_start = end
        if weight >= rules.min_clause_chars:
            spans.append((start, end, key))
            start, weight = end, 0
    if start < len(sentence):
        if spans:
            spans[-1] = (spans[-1][0], len(sentence), None)
        else:
            spans.append((start, len(sentence), key))
    return spans


_WEIGHT = operator.attrgetter("weight")


class _Clauses:
    """A sentence cut into clauses, ready to be compared."""

    __slots__ = (
        "_grams",
        "by_weight",
        "clauses",
        "containment",
        "key",
        "shingle_size",
        "total_weight",
    )

    def __init__(
        self, sentence: str, key: str, rules: RepeatRules, folded: _Folded | None = None
    ) -> None:
        self.key = key
        dense = folded is None or folded.dense  # else no dense character to count
        self.shingle_size = (
            rules.dense_shingle_size if dense and _is_dense(key, rules) else rules.shingle_size
        )
        self.containment = rules.clause_containment
        self._grams: list[str] | None = None
        clauses = []
        total_weight = 0
        for start, end, piece_key in _clause_pieces(sentence, rules, key, folded):
            if piece_key is not None:
                clause_key = piece_key
            elif start == 0 and end == len(sentence):
                clause_key = key  # the whole sentence: its form is known
            elif folded is not None:
                clause_key = folded.form(start, end)
            else:
                clause_key = comparison_form(sentence[start:end], rules)
            weight = weighted_length(clause_key, rules) if dense else len(clause_key)
            clauses.append(_Clause(clause_key, weight, self))
            total_weight += weight
        self.clauses = tuple(clauses)
        self.total_weight = total_weight
        # The clauses, heaviest first: whether a sentence repeats another is mostly
        # settled by its heaviest clauses (see repeats). Equal weights keep their order
        # (sorted is stable with reverse too); half the sentences are one clause.
        self.by_weight = (
            tuple(sorted(clauses, key=_WEIGHT, reverse=True)) if len(clauses) > 1 else self.clauses
        )

    @property
    def grams(self) -> list[str]:
        """The sentence's shingles in order, made when first asked for: its clauses' are
        slices of them (see :attr:`_Clause.shingles`)."""
        if self._grams is None:
            self._grams = _shingle_list(self.key, self.shingle_size)
        return self._grams

    @classmethod
    def of(
        cls, sentence: str, key: str, rules: RepeatRules, folded: _Folded | None = None
    ) -> _Clauses:
        return cls(sentence, key, rules, folded)

    def repeats(self, earlier: _KeptSentence, needed: float) -> bool:
        """Whether :meth:`repeated_weight` reaches ``needed``, deciding as soon as it knows:
        the clauses are tried heaviest first, and the search stops when the weight
        found reaches ``needed`` or the clauses left cannot bring it there."""
        found = 0
        left = self.total_weight
        for c in self.by_weight:
            left -= c.weight
            if c.found_in(earlier):
                found += c.weight
                if found >= needed:
                    return True
            elif found + left < needed:
                return False
        return found >= needed

    def repeated_weight(self, earlier: _KeptSentence, rules: RepeatRules) -> int:
        """Weight of the clauses found in ``earlier``: enough shingles, and no new number."""
        earlier_shingles = earlier.shingles(self.shingle_size)
        return sum(
            c.weight
            for c in self.clauses
            if c.numbers <= earlier.numbers and len(c.shingles & earlier_shingles) >= c.min_shared
        )


def restatement_share(sentence: str, earlier: str, rules_file: RulesFile) -> float:
    """Share of ``sentence`` (by weighted length) in clauses repeated from ``earlier``.

    The number :func:`find_repeats` compares with ``redundant_share``; tests and the
    rules' comments quote it.

    >>> from curation.rules import load_rules
    >>> rules_file = load_rules()["repeats"]
    >>> restatement_share(
    ...     "In AI, big data and cloud computing, the two countries agreed to expand cooperation.",
    ...     "The two countries agreed to expand cooperation in AI, big data and cloud computing.",
    ...     rules_file,
    ... )
    1.0
    """
    rules = compile_rules(rules_file)
    key, earlier_key = comparison_form(sentence, rules), comparison_form(earlier, rules)
    clauses = _Clauses.of(sentence, key, rules)
    if not clauses.total_weight:
        return 0.0
    kept = _KeptSentence(earlier_key, frozenset(_DIGITS.findall(earlier_key)))
    return clauses.repeated_weight(kept, rules) / clauses.total_weight


# Sentences whose clauses one record's run remembers for its later rounds (see _Rounds):
# a document's worth (the benchmark's longest has some 600 judged sentences), so a
# pathological one holds no more than this many at once beside what its judge holds.
ROUND_MEMO_SENTENCES = 4096


class _Rounds:
    """What the rounds of one record's :func:`run` share: a later round reads again every
    paragraph and sentence the one before kept, and a paragraph's fold and sentences, and
    a sentence's clauses, are functions of its text alone (with the rules and the
    segmentation language, the same in every round of a run). The judge's state, which
    depends on what came before, is never shared.
    """

    __slots__ = ("_clauses", "_folds", "_spans", "rules")

    def __init__(self, rules: RepeatRules) -> None:
        self.rules = rules
        self._folds: dict[str, tuple[_Folded, str]] = {}
        self._spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
        self._clauses: dict[str, _Clauses] = {}

    def fold(self, paragraph: str) -> tuple[_Folded, str]:
        """The paragraph folded (:class:`_Folded`), and its comparison form."""
        found = self._folds.get(paragraph)
        if found is None:
            fold = _Folded(paragraph, self.rules)
            found = self._folds[paragraph] = (fold, fold.form(0, len(paragraph)))
        return found

    def sentence_spans(self, paragraph: str, language: str) -> list[tuple[int, int]]:
        """:func:`sentence_spans`."""
        found = self._spans.get((paragraph, language))
        if found is None:
            found = self._spans[(paragraph, language)] = sentence_spans(paragraph, language)
        return found

    def clauses(self, sentence: str, key: str, folded: _Folded | None) -> _Clauses:
        """``_Clauses.of(sentence, key, rules, folded)``; ``key`` is the sentence's form."""
        found = self._clauses.get(sentence)
        if found is None:
            found = _Clauses.of(sentence, key, self.rules, folded)
            if len(self._clauses) < ROUND_MEMO_SENTENCES:
                self._clauses[sentence] = found
        return found


class _Judge:
    """Decides, sentence by sentence in document order, which ones repeat kept text.

    A sentence goes as ``repeated_sentence`` when its comparison form equals a kept
    sentence's of its own paragraph, or of an earlier paragraph if no sentence of its
    own paragraph is kept before it (it opens the paragraph, or follows only repeats):
    a copy that a scraper pasted (a lead or teaser again before the body, a paragraph
    cut otherwise) opens what it was pasted before, while a sentence that recurs
    inside different paragraphs (a citation's "Retrieved 5 June 2014.", a refrain, a
    caption's credit) is the text's own. It goes as
    ``near_duplicate_sentence`` only when it restates one of the last
    ``near_duplicate_lookback`` kept sentences of its own paragraph, and that sentence
    is at most ``max_restated_length_ratio`` times as long as it (see repeats.toml for
    why a restatement further away is the author's, not the extraction's).

    The kept sentences of the current paragraph are *pending* (:meth:`keep`) until the
    paragraph is kept (:meth:`commit`) or goes (:meth:`discard`): only their forms are
    remembered past their paragraph, so a document of any length costs one set lookup
    and at most ``near_duplicate_lookback`` comparisons per sentence.
    """

    def __init__(self, rules: RepeatRules, rounds: _Rounds | None = None) -> None:
        self.rules = rules
        # What the rounds of one run share (its sentences' clauses), if given.
        self.rounds = rounds
        self.exact: set[str] = set()
        self.pending: list[_KeptSentence] = []
        self.pending_keys: set[str] = set()
        # The weight of the sentence judged last (see keep).
        self.weight = 0

    def judge(self, sentence: str, key: str, folded: _Folded | None = None) -> str | None:
        """The rule that removes ``sentence`` (of comparison form ``key``), or None to keep it.

        ``folded``, if given, is the sentence folded, which its clauses' forms are cut from.
        """
        rules = self.rules
        weight = self.weight = (
            folded.weight(key) if folded is not None else weighted_length(key, rules)
        )
        if weight >= rules.min_exact_repeat_chars and (
            key in self.pending_keys or (key in self.exact and not self.pending)
        ):
            return REPEATED_SENTENCE
        if weight < rules.min_near_duplicate_chars:
            return None
        longest = rules.max_restated_length_ratio * weight
        # (Not pending[-lookback:], which is every pending sentence for a lookback of 0.)
        recent = self.pending[max(0, len(self.pending) - rules.near_duplicate_lookback) :]
        earlier = [kept for kept in recent if kept.weight <= longest]
        if not earlier:
            return None
        clauses = (
            _Clauses.of(sentence, key, rules, folded)
            if self.rounds is None
            else self.rounds.clauses(sentence, key, folded)
        )
        needed = rules.redundant_share * clauses.total_weight
        if any(clauses.repeats(kept, needed) for kept in reversed(earlier)):
            return NEAR_DUPLICATE_SENTENCE
        return None

    def keep(self, key: str) -> _KeptSentence:
        """Keep the sentence of form ``key`` just judged: pending until its paragraph is
        committed, and compared with the later sentences of its paragraph from now on.

        The later sentences are compared with its form (see :meth:`_Clause.found_in`):
        its shingles are made only if a comparison needs them as a set.
        """
        kept = _KeptSentence(key, weight=self.weight)
        self.pending.append(kept)
        self.pending_keys.add(key)
        return kept

    def commit(self) -> None:
        """The current paragraph stays: its kept sentences' forms are remembered."""
        self.exact.update(self.pending_keys)
        self.pending, self.pending_keys = [], set()

    def discard(self) -> None:
        """The current paragraph goes: its kept sentences are never compared with again."""
        self.pending, self.pending_keys = [], set()


def _sentence_removals(
    spans: Sequence[tuple[int, int]], decisions: Sequence[str | None]
) -> list[Change]:
    """Changes (paragraph offsets) removing the sentences that have a rule, with their spaces.

    A removed sentence takes the space before it; at the start of its paragraph, the
    space after it. Not called when every sentence goes (the paragraph goes whole).
    """
    changes: list[Change] = []
    first_kept = [rule is None for rule in decisions].index(True)
    for k, (start, end) in enumerate(spans):
        rule = decisions[k]
        if rule is None:
            continue
        if k < first_kept:
            left = start if k == 0 else spans[k - 1][1]
            right = spans[first_kept][0] if k == first_kept - 1 else end
        else:
            left, right = spans[k - 1][1], end
        changes.append(Change(left, right, "", rule))
    return changes


def _paragraph_removal(
    text_length: int,
    paragraph_start: int,
    paragraph_end: int,
    spans: Sequence[tuple[int, int]],
    rules: Sequence[str],
    kept_before: bool,
) -> list[Change]:
    """Changes (document offsets) removing a whole paragraph and one separator next to it.

    ``spans`` and ``rules`` name the parts removed and why: the whole paragraph with
    one rule, or each sentence with its own. The separator before the paragraph goes
    with it, or the one after it when no paragraph before it stays (the document's
    first, or one after teasers that go too), so two removals never share one.
    """
    if kept_before:
        left = paragraph_start - len(PARAGRAPH_SEPARATOR)
        right = paragraph_end
    else:
        left = paragraph_start
        right = min(text_length, paragraph_end + len(PARAGRAPH_SEPARATOR))
    if len(spans) == 1:
        return [Change(left, right, "", rules[0])]
    changes = []
    for k, rule in enumerate(rules):
        start = left if k == 0 else paragraph_start + spans[k - 1][1]
        end = right if k == len(rules) - 1 else paragraph_start + spans[k][1]
        changes.append(Change(start, end, "", rule))
    return changes


# ---------------------------------------------------------------------------
# Restatements: a teaser or lead that says again what the headline or a nearby
# paragraph says.

# A word: letters, digits and combining marks (the comparison form's tokens).
_PREFIX_LETTERS = 3


@dataclass(frozen=True, slots=True)
class Facts:
    """What a text states, as units a rewording keeps: numbers, names, rare words.

    ``units`` counts the text's own content units: its numbers, its names (words
    capitalized inside a sentence), its words rarer than ``common_word_zipf``, and
    the character bigrams of its dense-script runs (Chinese and Japanese have no
    word boundaries to find rare words by). ``words``, ``numbers`` and ``bigrams``
    hold *every* word, number and bigram, for when the text is the longer one of a
    pair and the units of the other are looked up in it. ``first`` and ``last``
    are the first and the last content unit, as (kind, value): where a sentence
    names what it is about, and where it puts its news. ``dense``: most units
    are bigrams.
    """

    units: int
    content_words: frozenset[str]
    words: frozenset[str]
    numbers: frozenset[str]
    bigrams: frozenset[str]
    dense: bool
    first: tuple[str, str] | None
    last: tuple[str, str] | None
    # The words by their first letters (see _by_prefix), made when first asked for: a
    # longer text is asked about each unit of several shorter ones. Not part of the
    # value: a function of `words`.
    _prefix_index: dict[str, list[str]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def units_found(self, other: Facts, rules: RestatementRules) -> int:
        """How many of ``other``'s content units are found in this text.

        A word is found when a word of this text shares its stem: a common prefix
        of at least ``stem_share`` of the longer word (and ``min_stem_letters``,
        unless one word is the other's prefix), so inflected forms ("Россия" /
        "России", "signed" / "signs") match and words that only share a root's
        start ("record" / "recovery") do not.
        """
        index = self._by_prefix()
        found = len(other.numbers & self.numbers) + len(other.bigrams & self.bigrams)
        return found + sum(1 for word in other.content_words if _has_word(word, index, rules))

    def has_unit(self, unit: tuple[str, str], rules: RestatementRules) -> bool:
        """Whether a unit of another text (kind and value, as ``last``) is found in this one."""
        kind, value = unit
        if kind == "number":
            return value in self.numbers
        if kind == "bigram":
            return value in self.bigrams
        return _has_word(value, self._by_prefix(), rules)

    def _by_prefix(self) -> dict[str, list[str]]:
        if self._prefix_index is not None:
            return self._prefix_index
        by_prefix: dict[str, list[str]] = {}
        for word in self.words:
            by_prefix.setdefault(word[:_PREFIX_LETTERS], []).append(word)
        object.__setattr__(self, "_prefix_index", by_prefix)  # frozen: set once, as made
        return by_prefix


def _has_word(word: str, by_prefix: Mapping[str, Sequence[str]], rules: RestatementRules) -> bool:
    return any(
        _same_stem(word, candidate, rules)
        for candidate in by_prefix.get(word[:_PREFIX_LETTERS], ())
    )


def _same_stem(a: str, b: str, rules: RestatementRules) -> bool:
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    if common < math.ceil(rules.stem_share * max(len(a), len(b))):
        return False
    return common >= rules.min_stem_letters or common == min(len(a), len(b))


# A unit of a text as read: its kind ("bigram", "number" or "word"), its value as
# Facts.first and Facts.last name it (the first and the last bigram of a dense run;
# a number; a casefolded word), and for a word, the word as written and whether it
# opens a sentence (which decide, with the word list, whether it is a content word).
_Unit = tuple[str, str, str, str, bool]


@functools.lru_cache(maxsize=8)
def _sentence_ends(characters: frozenset[str]) -> Callable[[str], list[str]]:
    """A text cut at each sentence end (``[restatement] sentence_end``) that is a non-word
    character (one that :func:`_non_word_run` matches alone): the others are word
    characters, inside tokens, never among the non-word characters between them."""
    ends = sorted(c for c in characters if _non_word_run().fullmatch(c))
    if not ends:
        return lambda text: [text]
    return patterns.compile(f"[{re.escape(''.join(ends))}]").split


class _Reading:
    """The words, numbers and bigrams of a text, and its units in reading order.

    What needs no word list is read at once. Which words are content words needs the
    language's word list, and finding that language may mean identifying it, so it is
    asked word by word, only as far as a question needs: most teasers are refused on
    their numbers or their first content unit (see :func:`_restates`), before their
    other words are looked up.
    """

    __slots__ = ("bigrams", "dense", "numbers", "rules", "units", "word_language", "words")

    def __init__(
        self, text: str, word_language: Callable[[], str | None], rules: RepeatRules
    ) -> None:
        self.rules = rules
        self.word_language = word_language
        self.units: list[_Unit] = []
        self.words: set[str] = set()
        self.numbers: set[str] = set()
        self.bigrams: set[str] = set()
        normalized = unicodedata.normalize("NFKC", text)
        # Whether a token may have a dense character: asked of the text once, not of each token.
        self.dense = rules.dense_character.search(normalized) is not None
        # A token opens a sentence when it is the text's first, or a sentence end is
        # among the non-word characters before it. Cut at those sentence ends (non-word
        # characters: see _sentence_ends), the text has the same tokens, and the first
        # token of each piece is the one that opens a sentence; each piece is cut into
        # tokens by one split in C, not a match at a time.
        units, words, numbers = self.units, self.words, self.numbers
        split = _non_word_run(_BMP_LAST if _in_bmp(normalized) else sys.maxunicode).split
        for piece in _sentence_ends(rules.restatement.sentence_end)(normalized):
            sentence_start = True
            for token in split(piece):
                if not token:
                    continue
                if self.dense:
                    self._add(token, sentence_start)
                # No dense character: the token is one word or number (as _add finds).
                elif token.isdigit():
                    numbers.add(token)
                    units.append(("number", token, token, token, False))
                else:
                    word = token.casefold()
                    words.add(word)
                    units.append(("word", word, word, token, sentence_start))
                sentence_start = False

    def _add(self, token: str, sentence_start: bool) -> None:
        # A token of a dense script is cut into runs of dense characters (bigrams)
        # and the rest (words and numbers): "2023年12月" is 2023, 年, 12, 月.
        rules = self.rules
        if not self.dense:
            pieces = [token]  # no dense character: the token is one word or number
        else:
            pieces = (
                rules.dense_runs.findall(token) if rules.dense_character.search(token) else [token]
            )
        for piece in pieces:
            if self.dense and rules.dense_character.match(piece):
                folded = piece.casefold()
                grams = (
                    [folded]
                    if len(folded) == 1
                    else [folded[i : i + 2] for i in range(len(folded) - 1)]
                )
                self.bigrams.update(grams)
                self.units.append(("bigram", grams[0], grams[-1], piece, False))
            elif piece.isdigit():
                self.numbers.add(piece)
                self.units.append(("number", piece, piece, piece, False))
            else:
                word = piece.casefold()
                self.words.add(word)
                self.units.append(("word", word, word, piece, sentence_start))
            sentence_start = False

    def _is_unit(self, unit: _Unit) -> bool:
        """Whether ``unit`` is a content unit: a bigram, a number or a content word."""
        kind, word, _, piece, sentence_start = unit
        return kind != "word" or _is_content_word(
            piece, word, sentence_start, self.word_language, self.rules.restatement
        )

    def first(self) -> tuple[str, str] | None:
        """The first content unit (``Facts.first``)."""
        found = next(filter(self._is_unit, self.units), None)
        return None if found is None else (found[0], found[1])

    def last(self) -> tuple[str, str] | None:
        """The last content unit (``Facts.last``)."""
        found = next(filter(self._is_unit, reversed(self.units)), None)
        return None if found is None else (found[0], found[2])

    def facts(self) -> Facts:
        """Every unit judged: the text's :class:`Facts`."""
        content = {unit[1] for unit in self.units if unit[0] == "word" and self._is_unit(unit)}
        return Facts(
            units=len(content) + len(self.numbers) + len(self.bigrams),
            content_words=frozenset(content),
            words=frozenset(self.words),
            numbers=frozenset(self.numbers),
            bigrams=frozenset(self.bigrams),
            # Mostly bigrams: a text in a dense script.
            dense=2 * len(self.bigrams) > len(content) + len(self.numbers),
            first=self.first(),
            last=self.last(),
        )


def facts(text: str, word_language: str | None, rules: RepeatRules) -> Facts:
    """The content units of ``text`` (see :class:`Facts`).

    ``word_language`` is the wordfreq language that says which words are common;
    without one, words of at least ``fallback_word_letters`` letters count.

    >>> from curation.rules import load_rules
    >>> rules = compile_rules(load_rules()["repeats"])
    >>> found = facts("The minister met Li Qiang in Beijing on 12 May.", "en", rules)
    >>> sorted(found.content_words), sorted(found.numbers), found.first, found.last
    (['beijing', 'li', 'may', 'qiang'], ['12'], ('word', 'li'), ('word', 'may'))
    >>> facts("中俄签署协议。", None, rules).last
    ('bigram', '协议')
    """
    return _Reading(text, lambda: word_language, rules).facts()


def vocabulary(key: str, rules: RepeatRules) -> Facts:
    """The words, numbers and bigrams of a comparison form, without content units.

    What a text offers as the longer one of a pair, read from the comparison form
    the step has already made (case and sentence starts are not needed here).

    >>> from curation.rules import load_rules
    >>> rules = compile_rules(load_rules()["repeats"])
    >>> found = vocabulary("中俄 2024年 talks", rules)
    >>> sorted(found.words), sorted(found.numbers), sorted(found.bigrams)
    (['talks'], ['2024'], ['中俄', '年'])
    """
    words: set[str] = set()
    numbers: set[str] = set()
    bigrams: set[str] = set()
    if rules.dense_character.search(key) is None:
        # No dense character: each token is a word or a number, as the loop below finds.
        tokens = key.split()
        numbers.update(filter(str.isdigit, tokens))
        words.update(tokens)
        words -= numbers
        tokens = []
    else:
        tokens = key.split()
    for token in tokens:
        pieces = rules.dense_runs.findall(token) if rules.dense_character.search(token) else [token]
        for piece in pieces:
            if rules.dense_character.match(piece):
                if len(piece) == 1:
                    bigrams.add(piece)
                bigrams.update(piece[i : i + 2] for i in range(len(piece) - 1))
            elif piece.isdigit():
                numbers.add(piece)
            else:
                words.add(piece)
    return Facts(
        units=0,
        content_words=frozenset(),
        words=frozenset(words),
        numbers=frozenset(numbers),
        bigrams=frozenset(bigrams),
        dense=False,
        first=None,
        last=None,
    )


def _is_content_word(
    piece: str,
    word: str,
    sentence_start: bool,
    word_language: Callable[[], str | None],
    rules: RestatementRules,
) -> bool:
    if piece[0].isupper() and not sentence_start:
        return True  # a name, or a word of a language that capitalizes nouns
    language = word_language()  # only now: it may identify the text's language
    if language is None:
        return len(word) >= rules.fallback_word_letters
    # zipf_frequency remembers the words last asked (teasers and leads share most of
    # theirs). A second memo of 65,536 words here took 14 MiB in each cleaning process
    # once full, which a 100,000-document build reached and a 10,000 one did not.
    return zipf_frequency(word, language) < rules.common_word_zipf


def _ends_sentence(paragraph: str, rules: RestatementRules) -> bool:
    ending = paragraph.rstrip().rstrip(rules.closing_marks)
    return bool(ending) and ending[-1] in rules.sentence_end


def restates(shorter: Facts, longer: Facts, rules: RestatementRules) -> bool:
    """Whether ``shorter`` states nothing ``longer`` does not: its numbers, nearly all its units.

    >>> from curation.rules import load_rules
    >>> rules = compile_rules(load_rules()["repeats"])
    >>> teaser = facts("Exports to Russia rose by a third in May, officials said.", "en", rules)
    >>> lead = facts("Officials said on Monday that exports to Russia rose by a third "
    ...              "in May, the fastest rise in a decade.", "en", rules)
    >>> restates(teaser, lead, rules.restatement)
    True
    >>> imports = facts("Imports from Russia rose by a third in May, officials said.", "en", rules)
    >>> restates(imports, lead, rules.restatement)
    False
    """
    if shorter.units < rules.min_content_units or not shorter.numbers <= longer.numbers:
        return False
    # A sentence names what it is about first and puts its news at its end (topic
    # before comment): two texts that share a long frame and say different things
    # differ there ("Exports to ..." / "Imports from ...", "... had reached a
    # record" / "... had fallen sharply"), a rewording keeps both.
    for unit in (shorter.first, shorter.last):
        if unit is not None and not longer.has_unit(unit, rules):
            return False
    # Counted in whole units, so a share on the threshold is not decided by rounding.
    missing = shorter.units - longer.units_found(shorter, rules)
    share = rules.dense_max_missing_share if shorter.dense else rules.max_missing_share
    return missing < share * shorter.units


def _restates(shorter: _Reading, longer: Facts, rules: RestatementRules) -> bool:
    """:func:`restates` of ``shorter``'s facts, refused first on what is cheapest to know.

    Each test below is one that :func:`restates` makes too (its numbers, then its first
    and last content units, must be found), so a refusal here is its refusal; only a
    text that passes them has every word looked up.
    """
    if not shorter.numbers <= longer.numbers:
        return False
    # Refused before the word list is asked (which may identify the text's language)
    # when no unit that may be the first (or the last) content unit is found.
    if _none_found(shorter.units, False, longer, rules) or _none_found(
        reversed(shorter.units), True, longer, rules
    ):
        return False
    for unit in (shorter.first(), shorter.last()):
        if unit is not None and not longer.has_unit(unit, rules):
            return False
    return restates(shorter.facts(), longer, rules)


def _none_found(units: Iterable[_Unit], last: bool, longer: Facts, rules: RestatementRules) -> bool:
    """Whether ``longer`` has none of ``units`` (in reading order, or reversed) up to the
    first that is a content unit whatever the word list says (a bigram, a number, a
    word capitalized inside a sentence: see :func:`_is_content_word`), each as
    :meth:`_Reading.first` (or, if ``last``, :meth:`_Reading.last`) names it.

    Then :func:`restates` refuses, whichever words the word list calls content words:
    the first (last) content unit is one of these, not found in ``longer``; or there
    is none (no unit was a bigram or a number either), and a text of no content unit
    restates nothing (missing 0 is not under a share of 0 units).
    """
    for unit in units:
        kind, first_value, last_value, piece, sentence_start = unit
        if longer.has_unit((kind, last_value if last else first_value), rules):
            return False
        if kind != "word" or (piece[0].isupper() and not sentence_start):
            return True
    return True


def _restatements(
    paragraphs: Sequence[str],
    keys: Sequence[str],
    language: str,
    title: str | None,
    word_language: Callable[[], str | None],
    rules: RepeatRules,
) -> dict[int, str]:
    """Paragraphs (by index) that restate the headline or a later paragraph, with the rule.

    Only teasers and leads are judged: the first ``lead_paragraphs`` paragraphs,
    before the body begins (a paragraph heavier than ``max_chars``), that are a
    sentence or a few (at least ``min_chars``, ending with a sentence end, so a
    headline, a menu or a kicker is never judged) and are not the headline itself.
    One goes when its facts are in the title (``restated_headline``) or in a
    longer paragraph among the ``lookahead_paragraphs`` after it
    (``restated_lead``): the full occurrence stays, the teaser before it goes. A
    paragraph copied sentence by sentence into a later one is left to the sentence
    rules, which keep the first copy. A constant number of pairs, each linear in
    its length.
    """
    restatement = rules.restatement
    title_key = comparison_form(title, rules) if title else ""
    title_facts: Facts | None = None
    longer: dict[int, Facts] = {}

    weights: dict[int, int] = {}

    def weight_of(index: int) -> int:
        if index not in weights:
            weights[index] = weighted_length(keys[index], rules)
        return weights[index]

    def judged(index: int) -> bool:
        """Whether the paragraph is a teaser or a lead that may be judged."""
        key = keys[index]
        return (
            restatement.min_chars <= weight_of(index) <= restatement.max_chars
            and _ends_sentence(paragraphs[index], restatement)
            and not (title_key and (key in title_key or title_key in key))
        )

    def as_longer(index: int) -> Facts:
        if index not in longer:
            longer[index] = vocabulary(keys[index], rules)
        return longer[index]

    def sentence_keys(index: int) -> set[str]:
        paragraph = paragraphs[index]
        spans = sentence_spans(paragraph, language)
        return {comparison_form(paragraph[a:b], rules) for a, b in spans}

    removed: dict[int, str] = {}
    judged_count = 0
    for i in range(len(keys)):
        weight = weight_of(i)
        if weight > restatement.max_chars or judged_count >= restatement.lead_paragraphs:
            break  # the body has begun
        if not judged(i):
            continue
        judged_count += 1
        # Read only when compared with something (a reading is pure: when does not matter).
        candidate: _Reading | None = None
        if title and title_facts is None:
            title_facts = vocabulary(title_key, rules)
        if title_facts is not None:
            candidate = _Reading(paragraphs[i], word_language, rules)
            if _restates(candidate, title_facts, restatement):
                removed[i] = RESTATED_HEADLINE
                continue
        for j in range(i + 1, min(len(keys), i + 1 + restatement.lookahead_paragraphs)):
            if weight_of(j) <= weight:
                continue  # the full occurrence is the longer text
            if candidate is None:
                candidate = _Reading(paragraphs[i], word_language, rules)
            if not _restates(candidate, as_longer(j), restatement):
                continue
            if sentence_keys(i) <= sentence_keys(j):
                continue  # copied sentence by sentence: the later copies go (repeated_sentence)
            removed[i] = RESTATED_LEAD
            break
    return removed


def word_list_language(text: str, record: Record, rules: RuleSet) -> str | None:
    """The wordfreq language that says which words of ``text`` are common, if any.

    The record's language, else the declared ones (the first with a word list),
    else the language identified in the text's longest paragraph; None when none
    has a word list.
    """
    hyphenation = compile_layout_rules(rules["layout"]).hyphenation
    declared = [record.language] if record.language else []
    value = record.declared.get("languages")
    if isinstance(value, list | tuple):
        declared += [code for code in value if isinstance(code, str)]
    languages = frequency_languages(declared, "", hyphenation)
    if not languages:
        # The longest paragraph, cut to a sample: the body's language, identified
        # at a cost that does not grow with the document, from a text the step
        # does not shorten (teasers go, the full occurrence stays).
        sample_chars = compile_rules(rules["repeats"]).restatement.language_sample_chars
        longest = max(text.split(PARAGRAPH_SEPARATOR), key=len)[:sample_chars]
        detected = detect_word_list_language(longest, rules["language"], hyphenation)
        languages = frequency_languages(declared, "", hyphenation, detected)
    return languages[0] if languages else None


def find_repeats(
    text: str,
    language: str,
    rules_file: RulesFile,
    title: str | None = None,
    word_language: Callable[[], str | None] = lambda: None,
    rounds: _Rounds | None = None,
) -> list[Change]:
    """Changes that remove every paragraph and sentence repeating earlier kept text.

    ``title`` is the record's headline (a teaser that only restates it goes), and
    ``word_language`` gives the wordfreq language that tells common words from
    content words in restatements (None: word length decides); it is called only
    when a paragraph is judged, as it may identify the text's language. ``rounds``,
    if given, is what the rounds of one run share (:class:`_Rounds`; made here if not).
    """
    rules = compile_rules(rules_file)
    if rounds is None or rounds.rules is not rules:
        rounds = _Rounds(rules)
    judge = _Judge(rules, rounds)
    # Comparison forms of the kept paragraphs, as they came in and as they go out.
    kept_paragraphs: set[str] = set()
    changes: list[Change] = []
    paragraphs = text.split(PARAGRAPH_SEPARATOR)
    # Each paragraph is folded once: its form, and those of its sentences and their
    # clauses, are cut from that.
    folds, keys = [], []
    for paragraph in paragraphs:
        fold, key = rounds.fold(paragraph)
        folds.append(fold)
        keys.append(key)
    restated = _restatements(paragraphs, keys, language, title, word_language, rules)
    paragraph_end = -len(PARAGRAPH_SEPARATOR)
    kept_before = False  # whether a paragraph before the current one stays
    for index, paragraph in enumerate(paragraphs):
        start = paragraph_end + len(PARAGRAPH_SEPARATOR)
        paragraph_end = start + len(paragraph)
        whole = [(0, len(paragraph))]
        if index in restated:
            changes += _paragraph_removal(
                len(text), start, paragraph_end, whole, [restated[index]], kept_before
            )
            continue
        key = keys[index]
        if not key:
            kept_before = True
            continue  # blank or punctuation only: nothing to compare
        if key in kept_paragraphs and folds[index].weight(key) >= rules.min_exact_repeat_chars:
            changes += _paragraph_removal(
                len(text), start, paragraph_end, whole, [REPEATED_PARAGRAPH], kept_before
            )
            continue
        spans = rounds.sentence_spans(paragraph, language)
        decisions: list[str | None] = []
        for sentence_start, sentence_end in spans:
            sentence = paragraph[sentence_start:sentence_end]
            # A paragraph of one sentence (the spans strip nothing from it) has its form.
            sentence_key = (
                key if sentence == paragraph else folds[index].form(sentence_start, sentence_end)
            )
            decision = judge.judge(
                sentence, sentence_key, folds[index].part(sentence_start, sentence_end)
            )
            decisions.append(decision)
            if decision is None:
                judge.keep(sentence_key)
        if not judge.pending:
            # Every sentence repeats earlier text (never in the first kept paragraph,
            # whose first sentence has nothing before it): the paragraph goes, each
            # sentence under its own rule.
            removed_rules = [rule for rule in decisions if rule is not None]
            changes += _paragraph_removal(
                len(text), start, paragraph_end, spans, removed_rules, kept_before
            )
            continue
        removals = _sentence_removals(spans, decisions)
        # What is left of the paragraph may repeat an earlier paragraph (the whole
        # paragraph, when nothing was removed, was found not to above).
        left = comparison_form(apply_changes(paragraph, removals), rules) if removals else key
        if (
            removals
            and left in kept_paragraphs
            and weighted_length(left, rules) >= rules.min_exact_repeat_chars
        ):
            judge.discard()
            changes += _paragraph_removal(
                len(text), start, paragraph_end, whole, [REPEATED_PARAGRAPH], kept_before
            )
            continue
        kept_before = True
        kept_paragraphs.update((key, left))
        judge.commit()
        changes += [Change(c.start + start, c.end + start, "", c.rule) for c in removals]
    return changes


def run(record: Record, rules: RuleSet) -> StepOutput:
    """Remove repeats, round after round, until a round finds nothing.

    A removal can change how sentencex cuts the text next to it ("。Mr. Smith" is cut
    after "Mr." where "delegates. Mr. Smith" is not), and with it what a later round
    finds; a round that finds nothing on the final text is exactly what running the
    step again would do, so the step is idempotent by construction. Nearly every
    document needs one round; the rounds after the first are recorded as passes
    ``round2``, ``round3``, ... so that the provenance replays.
    """
    rules_file = rules["repeats"]
    compiled = compile_rules(rules_file)
    text = record.text
    # Identified once, on the text as the step receives it, and only if needed.
    word_language = functools.cache(lambda: word_list_language(text, record, rules))
    # A round after the first reads again what the one before kept.
    rounds = _Rounds(compiled)
    for round_number in itertools.count(1):
        language = segmentation_language(record.text, record, compiled)
        changes = find_repeats(
            record.text, language, rules_file, record.title, word_language, rounds
        )
        if not changes:
            break
        step = STEP_ID if round_number == 1 else f"{STEP_ID}/round{round_number}"
        record = record.with_changes(step, changes)  # each round removes text: it ends
    return (record,)


STEP = Step(
    NAME,
    VERSION,
    "remove repeated paragraphs, repeated sentences and sentences that restate the one "
    "just before them (character n-gram containment by clause), keeping the first occurrence",
    run,
    rules_files=("repeats", "layout", "language"),
)
