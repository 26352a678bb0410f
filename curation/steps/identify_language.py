"""Identify each record's language with py3langid, and check it against the declared ones.

Sets ``record.language`` (ISO 639-1), ``record.language_score`` (the model's
probability of that language, 0..1) and ``record.language_decided_by`` from the
record's *text*; the title is not part of it (a Chinese headline over an English
summary is an English record). The text is not changed.

How the language is decided (``language_decided_by``), so that no language config
is made of guesses:

``detection``
    the text has at least ``min_letters`` letters and the model's best language
    scores at least ``min_confidence``: the detection is published, whatever the
    sidecar declared (a disagreement is warned about, see below).
``declaration``
    the detection is not confident and the sidecar declares languages: the declared
    language the model finds most probable is published, with its probability. A
    short English note the model calls Shona (p=0.05) stays English.
``None``
    not confident and nothing declared: the record goes to ``und`` (undetermined)
    rather than into a config of its own made of one guess.

py3langid labels some regional varieties with their own codes (``wuu``, ``yue``,
``ary``); ``language.toml`` maps them to the ISO 639-1 code of their macrolanguage
and their probabilities are added to it. Labels with no ISO 639-1 code are never
published. The score is rounded (``score_decimals``) so that float32 noise between
machines cannot change the published bytes.

Two warnings, both with a stable code:

``language_uncertain``
    fewer than ``min_letters`` letters, or a score below ``min_confidence``. The
    best guess is still published; a text with no letters at all gets ``None``
    for both fields.
``language_mismatch``
    a confident detection that is not among the sidecar's declared ``languages``
    (the detection is published).
    An uncertain detection is not compared: on a short text the model's runner-up
    is often the declared language, and two warnings would say one thing.
"""

from __future__ import annotations

import functools
import json
import lzma
import math
import shutil
import tempfile
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from types import MappingProxyType
from typing import Self

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from curation.heap import give_back_free_memory
from curation.ngram_trie import NgramTrie
from curation.record import Record
from curation.rules import RuleSet, RulesFile
from curation.steps.base import Step, StepOutput, remembered, text_digest

NAME = "identify_language"
VERSION = 3
STEP_ID = f"{NAME}_v{VERSION}"

LANGUAGE_UNCERTAIN = "language_uncertain"
LANGUAGE_MISMATCH = "language_mismatch"

DECIDED_BY_DETECTION = "detection"
DECIDED_BY_DECLARATION = "declaration"


class ArrayLanguageIdentifier(LanguageIdentifier):  # type: ignore[misc]  # py3langid is untyped
    """py3langid's identifier, with its byte automaton replaced by a trie walked by numpy.

    py3langid counts the byte n-grams of a text with an Aho-Corasick automaton, one
    Python step per byte (``visit_counts``) over a 37 MiB table: most of the cost of
    identifying a language, and most of the model's memory. The state the automaton
    is in after each byte is the longest trie node ending there, so
    :class:`curation.ngram_trie.NgramTrie` finds every position's feature at once
    from the trie's edges alone (1 MiB). The counts go to py3langid's own scoring in
    the order of their first occurrence, as its ``Counter`` has them, so every score
    is the same float, bit for bit (tests compare both on every seed, on random bytes
    and on every node of the trie).
    """

    __slots__ = ("_halves", "_halves_of", "_trie")

    def __init__(
        self,
        nb_ptc: np.ndarray,
        nb_pc: np.ndarray,
        nb_classes: list[str],
        trie: NgramTrie,
        *,
        norm_probs: bool,
    ) -> None:
        # No automaton for py3langid's part: its visit_counts, the only reader of
        # tk_nextmove, tk_output and tk_row, is replaced by visits.
        super().__init__(nb_ptc, nb_pc, nb_classes, None, None, norm_probs=norm_probs, tk_row=())
        self._trie = trie
        # The weights' bits, when they are all negative normal halves (see weight_rows),
        # and the table they are of (py3langid's set_languages would replace it).
        self._halves: np.ndarray | None = None
        self._halves_of: np.ndarray | None = None

    @classmethod
    def from_model_file(cls, model_file: str | Path, *, norm_probs: bool = False) -> Self:
        """The model in ``model_file`` (a relative path is in py3langid's package)."""
        path = Path(model_file)
        nb_ptc, nb_pc, nb_classes, trie = load_model(
            path if path.is_absolute() else MODEL_DIR / path
        )
        return cls(nb_ptc, nb_pc, nb_classes, trie, norm_probs=norm_probs)

    def visits(self, data: bytes) -> tuple[np.ndarray, np.ndarray]:
        """Feature indices and their counts in ``data``, in order of first occurrence."""
        features = self._trie.features(data)
        positions = np.flatnonzero(features >= 0)
        if not len(positions):
            return positions, positions
        # One sort of (feature, position) pairs packed into one integer, the position in
        # its low bits, instead of np.unique's stable argsort: a feature's run of pairs
        # starts at its first position, and its length is the feature's count. Shifts
        # and masks, not division (numpy divides integers one at a time).
        shift = len(features).bit_length()
        pairs = features.take(positions).astype(np.int64)
        pairs <<= shift
        pairs |= positions
        pairs.sort()
        keys = pairs >> shift
        starts = np.empty(len(pairs), dtype=bool)
        starts[0] = True
        np.not_equal(keys[1:], keys[:-1], out=starts[1:])
        runs = np.flatnonzero(starts)
        counts = np.empty(len(runs), dtype=np.intp)
        np.subtract(runs[1:], runs[:-1], out=counts[:-1])
        counts[-1] = len(pairs) - runs[-1]
        # Each count written at its feature's first position, and read back in the order
        # of the positions, instead of an argsort of them: a count is never 0, and first
        # positions are distinct.
        first = pairs.take(runs)
        first &= (1 << shift) - 1
        count_at = np.zeros(len(features), dtype=np.intp)
        count_at[first] = counts
        at_first = np.flatnonzero(count_at)
        return features.take(at_first), count_at.take(at_first)

    def weight_rows(self, features: np.ndarray) -> np.ndarray:
        """The model's weights of ``features`` (its rows of ``nb_ptc``), float32 for a
        float16 table.

        py3langid's table is float16, and numpy converts a half to a single one number
        at a time (its portable build has no vector instruction for it): that took more
        than the sum the rows go to. Every weight of py3langid's table is a negative
        normal half (a log-probability between -15 and -2), and such a half's single
        has the same sign, the same mantissa shifted 13 bits up, and its exponent
        rebased from 15 to 127: the bits, shifted and added to in vector code, are the
        very float32 numpy's conversion gives (a test compares every weight). A table
        with a weight of any other kind is left to numpy, as before.
        """
        table = self.nb_ptc
        if self._halves_of is not table:
            self._halves_of, self._halves = table, _negative_normal_halves(table)
        if self._halves is None:
            return table[features]  # type: ignore[no-any-return]
        bits = self._halves.take(features, axis=0).astype(np.uint32)
        bits <<= 13
        bits += _HALF_TO_SINGLE
        return bits.view(np.float32)

    def scaled_weight_rows(self, features: np.ndarray) -> np.ndarray | None:
        """:meth:`weight_rows` times ``-2**-80``, exactly, or None for a table that is not
        all negative normal halves.

        A negative normal half's bits shifted 13 bits up are a float32 already: the
        half's sign bit lands in the exponent (adding 32 to it), its exponent and
        mantissa where a single has them. With the exponent's bias of 127 against 15,
        that float32 is the weight's magnitude times ``2**(32 - 127 + 15)``: one pass
        less than :meth:`weight_rows`'s, whose weights it gives scaled.
        """
        table = self.nb_ptc
        if self._halves_of is not table:
            self._halves_of, self._halves = table, _negative_normal_halves(table)
        if self._halves is None:
            return None
        bits = self._halves.take(features, axis=0).astype(np.uint32)
        bits <<= 13
        return bits.view(np.float32)

    def _raw_score(self, text: bytes) -> np.ndarray:
        features, counts = self.visits(text)
        if not len(features):
            empty: np.ndarray = super()._raw_score(b"")  # py3langid's for a featureless text
            return empty
        # py3langid's _sparse_score, on the same arrays it builds from its Counter, but
        # summed by numpy's own loop (einsum) instead of the BLAS product ``@``: a
        # multithreaded BLAS splits the sum by its thread count, so the score's last
        # bits (and, rounded at a boundary, the published one) would depend on the
        # machine's cores or OPENBLAS_NUM_THREADS. The loop is also cheaper here than
        # BLAS's threads for a vector of a few thousand features. einsum adds each
        # feature's products in turn, in float32 (the type of the float16 table and
        # float32 weights together): given the rows as float32 already, it does the
        # same additions in the same order, without converting the rows itself.
        idx = features.astype(np.intp)
        weights = np.log1p(counts.astype(np.float32))
        rows = self.scaled_weight_rows(idx)
        if rows is None:
            rows = self.weight_rows(idx)
        else:
            # Each product of a weight and a row's number is the product of the two
            # unscaled ones, exactly (the scales, -2**80 and -2**-80, are powers of two
            # and no number gets subnormal or infinite): the same products, the same sums.
            weights *= _SCALE_OF_WEIGHTS
        scores = np.einsum("i,ij->j", weights, rows)
        return scores + self.nb_pc  # type: ignore[no-any-return]


# A negative normal half, sign 1, exponent e (bias 15) and mantissa m in its 16 bits,
# shifted 13 bits up is 1 << 28 | e << 23 | m << 13; its single is 1 << 31 |
# (e + 112) << 23 | m << 13 (bias 127). The difference is this constant.
_HALF_TO_SINGLE = np.uint32((1 << 31) - (1 << 28) + (112 << 23))

# What scaled_weight_rows's numbers are multiplied by to be weight_rows's (the product
# of the weights and them is scaled by it instead).
_SCALE_OF_WEIGHTS = np.float32(-(2.0**80))

# The bits of the negative normal halves: sign 1, exponent neither 0 (zero or
# subnormal) nor 31 (infinity or NaN).
_LOWEST_NEGATIVE_NORMAL = 0x8400
_NEGATIVE_INFINITY = 0xFC00


def _negative_normal_halves(table: np.ndarray) -> np.ndarray | None:
    """``table``'s bits, if it is float16 and all its numbers negative normal halves."""
    if table.dtype != np.float16:
        return None
    halves = table.view(np.uint16)
    if not ((halves.min() >= _LOWEST_NEGATIVE_NORMAL) and (halves.max() < _NEGATIVE_INFINITY)):
        return None
    return halves


# The model as the identifier reads it: weights, class weights, labels and the n-gram trie.
ModelArrays = tuple[np.ndarray, np.ndarray, list[str], NgramTrie]


def load_model(path: Path) -> ModelArrays:
    """py3langid's model file (an npz in LZMA): its weights, labels, and automaton as a trie.

    py3langid's own loader (``modelio.load_model``) keeps the automaton's 37 MiB
    table, a copy of it made on the way, and its outputs and row numbers as Python
    lists (some 8 MiB); here the table is read once to find the trie, then dropped.
    As py3langid does, the npz goes through a temporary file, so that it is never
    whole in memory.
    """
    with tempfile.TemporaryFile(suffix=".npz") as unpacked:
        with lzma.open(path) as packed:
            shutil.copyfileobj(packed, unpacked, length=1 << 20)
        unpacked.seek(0)
        with np.load(unpacked, allow_pickle=False) as data:
            missing = {"ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat"}
            missing.difference_update(data.files)
            if missing:
                raise ValueError(f"{path}: not a py3langid model, missing {sorted(missing)}")
            trie = NgramTrie.from_automaton(
                data["nextmove"], data["nextmove_row"], data["out_feat"]
            )
            return data["ptc"], data["pc"], data["classes"].tolist(), trie


# What language_identifier reads the model with: load_model, unless a build with the
# record cache lent it a memo of the decoded model (load_model_with).
_model_loader: Callable[[Path], ModelArrays] = load_model


@contextmanager
def load_model_with(loader: Callable[[Path], ModelArrays]) -> Iterator[None]:
    """Have :func:`language_identifier` read the model with ``loader`` (given the
    model file's path, the arrays :func:`load_model` makes of it) in this process and
    in the processes it forks meanwhile; :func:`load_model` again after.

    Decompressing the file and finding its trie took about a second of every
    process that identifies a language, the early worker of a one-seed rebuild
    included (:class:`curation.pipeline.EarlyCleaning`), whose seed the build then
    waited for: a build with the record cache lends it
    :class:`curation.cache.LanguageModelMemo`, which keeps the arrays decoded.
    """
    global _model_loader
    before, _model_loader = _model_loader, loader
    try:
        yield
    finally:
        _model_loader = before


@functools.lru_cache(maxsize=1)
def language_identifier() -> LanguageIdentifier:
    """py3langid's model, shipped inside its wheel; loaded once (some seconds), then only read."""
    nb_ptc, nb_pc, nb_classes, trie = _model_loader(MODEL_DIR / MODEL_FILE)
    identifier = ArrayLanguageIdentifier(nb_ptc, nb_pc, nb_classes, trie, norm_probs=True)
    # What reading it left free on the heap (the automaton's table, the LZMA buffers)
    # would stay in the process's resident memory until the heap's top is reused.
    give_back_free_memory()
    return identifier


# How many texts' answers from the model are remembered (see model_label and identify).
# Several steps ask the model about the same text: strip_boilerplate classifies again a
# page whose paragraphs extract_metadata classified (the same sample of its prose).
# Answers are kept by the text's digest, never the text. A label is a few dozen bytes:
# under 1 MB in each process when full. A guess holds a score for every language the
# model knows (about 8 kB): fewer of them, 2 MB when full.
IDENTIFIED_TEXTS = 4096
GUESSED_TEXTS = 256
_labels: OrderedDict[bytes, str] = OrderedDict()


def model_label(text: str) -> str:
    """py3langid's most probable label for ``text`` (its ``classify``), remembered by the
    text's digest (:data:`IDENTIFIED_TEXTS` of them, the least recently asked dropped
    first): the model's answer is a function of the text alone.

    >>> model_label("Die Minister trafen sich am Montag in Berlin.")
    'de'
    """
    return remembered(
        _labels,
        text_digest(text),
        IDENTIFIED_TEXTS,
        lambda: str(language_identifier().classify(text)[0]),
    )


@dataclass(frozen=True, slots=True)
class LanguageRules:
    min_letters: int
    min_confidence: float
    max_chars: int
    score_decimals: int
    model_codes: MappingProxyType[str, str]


@functools.lru_cache(maxsize=8)
def compile_rules(rules: RulesFile) -> LanguageRules:
    detection = rules["detection"]
    return LanguageRules(
        min_letters=detection["min_letters"],
        min_confidence=detection["min_confidence"],
        max_chars=detection["max_chars"],
        score_decimals=detection["score_decimals"],
        model_codes=MappingProxyType(dict(rules["model_codes"])),
    )


# The ASCII characters that are not letters, deleted to count an ASCII text's letters.
_ASCII_NOT_LETTERS = bytes(code for code in range(128) if not chr(code).isalpha())

# Code points below this are looked up in a table of letters (see _letters_below).
_TABLE_LIMIT = 0x10000


@functools.cache
def _letters_below() -> np.ndarray:
    """Whether each code point below :data:`_TABLE_LIMIT` is a letter (``str.isalpha``)."""
    return np.fromiter(
        map(str.isalpha, map(chr, range(_TABLE_LIMIT))), dtype=np.bool_, count=_TABLE_LIMIT
    )


def count_letters(text: str) -> int:
    """How many characters of ``text`` are letters (``str.isalpha``).

    An ASCII text's letters are what is left when the other characters are deleted
    (in C); any other text's characters are looked up in a table of the letters
    below U+10000 (numpy), and the few above it are asked one by one.

    >>> count_letters("Trade rose 3% in 2024."), count_letters("中俄 2024"), count_letters("𝐀𝟏")
    (11, 2, 1)
    """
    if text.isascii():
        return len(text.encode("ascii").translate(None, _ASCII_NOT_LETTERS))
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    above = codes >= _TABLE_LIMIT
    letters = int(np.count_nonzero(_letters_below()[codes[~above]]))
    return letters + sum(map(str.isalpha, map(chr, codes[above].tolist())))


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """What the model says about a text, before it is put on a record."""

    language: str | None
    score: float | None
    letters: int
    # Every ISO 639-1 code the model gives a probability, with it (rounded), by code.
    scores: tuple[tuple[str, float], ...] = ()


def iso_639_1(label: str, rules: LanguageRules) -> str | None:
    """The ISO 639-1 code published for a py3langid label, or None if it has none.

    >>> from curation.rules import load_rules
    >>> rules = compile_rules(load_rules()["language"])
    >>> iso_639_1("yue", rules), iso_639_1("ro", rules), iso_639_1("pcm", rules)
    ('zh', 'ro', None)
    """
    if label in rules.model_codes:
        return rules.model_codes[label] or None
    return label if len(label) == 2 else None


_GuessKey = tuple[bytes, RulesFile]
_guesses: OrderedDict[_GuessKey, LanguageGuess] = OrderedDict()


def identify(text: str, rules_file: RulesFile) -> LanguageGuess:
    """The most probable ISO 639-1 language of ``text``, with its rounded probability.

    Remembered (:data:`GUESSED_TEXTS` of them) by the digest of the sample the model
    reads and the rules file, as :func:`model_label`'s answers are.

    >>> from curation.rules import load_rules
    >>> text = "Der Handel zwischen den beiden Ländern ist um ein Drittel gewachsen."
    >>> guess = identify(text, load_rules()["language"])
    >>> guess.language, guess.score, guess.letters
    ('de', 0.9986, 57)
    """
    sample = text[: compile_rules(rules_file).max_chars]
    key = (text_digest(sample), rules_file)
    return remembered(_guesses, key, GUESSED_TEXTS, lambda: _identify(sample, rules_file))


@functools.lru_cache(maxsize=8)
def _columns_by_code(rules_file: RulesFile) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """Each ISO 639-1 code the model's labels map to, in code order, with the columns of
    the model's probabilities that add up to it: of each label, its first column, the
    one py3langid's ``rank`` reads (it folds an aliased label's other columns into it)."""
    rules = compile_rules(rules_file)
    first_columns: dict[str, int] = {}
    for column, label in enumerate(language_identifier().nb_classes):
        first_columns.setdefault(label, column)
    columns: dict[str, list[int]] = {}
    for label, column in first_columns.items():
        code = iso_639_1(label, rules)
        if code is not None:
            columns.setdefault(code, []).append(column)
    return tuple((code, tuple(columns[code])) for code in sorted(columns))


@functools.lru_cache(maxsize=8)
def _summed_columns(
    rules_file: RulesFile,
) -> tuple[tuple[str, ...], tuple[int, ...], tuple[tuple[int, tuple[int, ...]], ...]]:
    """:func:`_columns_by_code` for :func:`_identify`: the codes, each one's first
    column, and the codes with more columns than one (by position) with all of theirs."""
    by_code = _columns_by_code(rules_file)
    several = tuple(
        (position, columns) for position, (_, columns) in enumerate(by_code) if len(columns) > 1
    )
    return (
        tuple(code for code, _ in by_code),
        tuple(columns[0] for _, columns in by_code),
        several,
    )


def _identify(sample: str, rules_file: RulesFile) -> LanguageGuess:
    rules = compile_rules(rules_file)
    letters = count_letters(sample)
    if not letters:
        return LanguageGuess(None, None, 0)
    codes, first_columns, several = _summed_columns(rules_file)
    if not codes:  # a model without one ISO 639-1 label; not py3langid's
        return LanguageGuess(None, None, letters)
    # The probabilities py3langid's rank gives each label, read by column: the same
    # numbers without the sort by probability, which the totals do not need. A total is
    # the fsum of its code's probabilities (exact whatever the order, so the same
    # whatever order its labels' probabilities come in); of a single one, fsum gives
    # it back, but for a zero's sign: fsum([-0.0]) is 0.0, and so is -0.0 + 0.0, which
    # changes no other number (and no fsum of several).
    probabilities = (language_identifier()._decide(sample) + np.float32(0.0)).tolist()
    totals = list(map(probabilities.__getitem__, first_columns))
    for position, columns in several:
        totals[position] = math.fsum([probabilities[column] for column in columns])
    by_code = dict(zip(codes, totals, strict=True))
    best = min(by_code, key=lambda code: (-by_code[code], code))
    # The totals are in code order already.
    rounded = map(round, map(min, totals, repeat(1.0)), repeat(rules.score_decimals))
    scores = tuple(zip(codes, rounded, strict=True))
    return LanguageGuess(best, dict(scores)[best], letters, scores)


@dataclass(frozen=True, slots=True)
class LanguageDecision:
    """What is published: the language, its probability, and what decided it."""

    language: str | None
    score: float | None
    decided_by: str | None


def is_confident(guess: LanguageGuess, rules: LanguageRules) -> bool:
    return (
        guess.language is not None
        and guess.score is not None
        and guess.letters >= rules.min_letters
        and guess.score >= rules.min_confidence
    )


def decide(guess: LanguageGuess, declared: list[str], rules: LanguageRules) -> LanguageDecision:
    """A confident detection, else the most probable declared language, else undetermined.

    >>> from curation.rules import load_rules
    >>> rules = compile_rules(load_rules()["language"])
    >>> guess = identify("Related Stories", load_rules()["language"])
    >>> guess.score < rules.min_confidence
    True
    >>> decide(guess, ["ru", "en"], rules).decided_by, decide(guess, [], rules).language
    ('declaration', None)
    """
    if is_confident(guess, rules):
        return LanguageDecision(guess.language, guess.score, DECIDED_BY_DETECTION)
    if declared:
        scores = dict(guess.scores)
        # Most probable first; among equals (a text with no letters), the order declared.
        language = min(declared, key=lambda code: (-scores.get(code, 0.0), declared.index(code)))
        return LanguageDecision(language, scores.get(language, 0.0), DECIDED_BY_DECLARATION)
    return LanguageDecision(None, None, None)


def declared_languages(record: Record) -> list[str]:
    declared = record.declared.get("languages")
    if not isinstance(declared, list | tuple):
        return []
    return [code for code in declared if isinstance(code, str) and code]


def _detection_text(record: Record) -> str:
    """The record's text, without a first paragraph that is only its title.

    Earlier steps move the title out of the text; this guards the detection when a
    record arrives with the title still on top.
    """
    text = record.text
    if record.title:
        first, _, rest = text.partition("\n\n")
        if first.strip() == record.title.strip():
            return rest
    return text


def _published(decision: LanguageDecision) -> str:
    if decision.language is None:
        return "published as und (undetermined)"
    return f"published as declared: {decision.language}"


def _warnings(
    guess: LanguageGuess, declared: list[str], rules: LanguageRules, decision: LanguageDecision
) -> list[tuple[str, str]]:
    declared_text = json.dumps(declared, ensure_ascii=False)
    if guess.language is None or guess.score is None:
        return [
            (
                LANGUAGE_UNCERTAIN,
                f"no letters to identify a language in; declared {declared_text}; "
                + _published(decision),
            )
        ]
    detected = f"detected {guess.language} (p={guess.score:.{rules.score_decimals}f})"
    if guess.letters < rules.min_letters:
        return [
            (
                LANGUAGE_UNCERTAIN,
                f"text too short to identify reliably ({guess.letters} letters, fewer than "
                f"{rules.min_letters}): {detected}; declared {declared_text}; "
                + _published(decision),
            )
        ]
    if guess.score < rules.min_confidence:
        return [
            (
                LANGUAGE_UNCERTAIN,
                f"low confidence ({detected}, below {rules.min_confidence}); "
                f"declared {declared_text}; " + _published(decision),
            )
        ]
    if declared and guess.language not in declared:
        return [(LANGUAGE_MISMATCH, f"declared {declared_text}, {detected}")]
    return []


def run(record: Record, rules: RuleSet) -> StepOutput:
    rules_file = rules["language"]
    compiled = compile_rules(rules_file)
    guess = identify(_detection_text(record), rules_file)
    declared = declared_languages(record)
    decision = decide(guess, declared, compiled)
    record = record.replace(
        language=decision.language,
        language_score=decision.score,
        language_decided_by=decision.decided_by,
    )
    for code, message in _warnings(guess, declared, compiled, decision):
        if not any(
            w.step == STEP_ID and w.code == code and w.message == message for w in record.warnings
        ):
            record = record.warn(STEP_ID, code, message)  # once, however often the step runs
    return (record,)


STEP = Step(
    NAME,
    VERSION,
    "identify the language of the text with py3langid (ISO 639-1, probability rounded to 4 "
    "decimals); below the confidence threshold the declared language, else und; warn when "
    "it is uncertain or not among the declared languages",
    run,
    rules_files=("language",),
)
