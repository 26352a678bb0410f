"""Identify each record's language with py3langid, and check it against the declared ones.

Sets ``record.language`` (ISO 639-1) and ``record.language_score`` (the probability
of that language, 0..1) from the record's *text*; the title is not part of it (a
Chinese headline over an English summary is an English record). The text is not
changed.

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
    a confident detection that is not among the sidecar's declared ``languages``.
    An uncertain detection is not compared: on a short text the model's runner-up
    is often the declared language, and two warnings would say one thing.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from types import MappingProxyType

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from curation.record import Record
from curation.rules import RuleSet, RulesFile
from curation.steps.base import Step, StepOutput

NAME = "identify_language"
VERSION = 1
STEP_ID = f"{NAME}_v{VERSION}"

LANGUAGE_UNCERTAIN = "language_uncertain"
LANGUAGE_MISMATCH = "language_mismatch"


@functools.lru_cache(maxsize=1)
def language_identifier() -> LanguageIdentifier:
    """py3langid's model, shipped inside its wheel; loaded once (0.6 s), then only read."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


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


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """What the model says about a text, before it is put on a record."""

    language: str | None
    score: float | None
    letters: int


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


def identify(text: str, rules_file: RulesFile) -> LanguageGuess:
    """The most probable ISO 639-1 language of ``text``, with its rounded probability.

    >>> from curation.rules import load_rules
    >>> text = "Der Handel zwischen den beiden Ländern ist um ein Drittel gewachsen."
    >>> identify(text, load_rules()["language"])
    LanguageGuess(language='de', score=0.9986, letters=57)
    """
    rules = compile_rules(rules_file)
    sample = text[: rules.max_chars]
    letters = sum(1 for character in sample if character.isalpha())
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
    return LanguageGuess(best, round(min(totals[best], 1.0), rules.score_decimals), letters)


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


def _warnings(
    guess: LanguageGuess, declared: list[str], rules: LanguageRules
) -> list[tuple[str, str]]:
    declared_text = json.dumps(declared, ensure_ascii=False)
    if guess.language is None or guess.score is None:
        return [
            (LANGUAGE_UNCERTAIN, f"no letters to identify a language in; declared {declared_text}")
        ]
    detected = f"detected {guess.language} (p={guess.score:.{rules.score_decimals}f})"
    if guess.letters < rules.min_letters:
        return [
            (
                LANGUAGE_UNCERTAIN,
                f"text too short to identify reliably ({guess.letters} letters, fewer than "
                f"{rules.min_letters}): {detected}; declared {declared_text}",
            )
        ]
    if guess.score < rules.min_confidence:
        return [
            (
                LANGUAGE_UNCERTAIN,
                f"low confidence ({detected}, below {rules.min_confidence}); "
                f"declared {declared_text}",
            )
        ]
    if declared and guess.language not in declared:
        return [(LANGUAGE_MISMATCH, f"declared {declared_text}, {detected}")]
    return []


def run(record: Record, rules: RuleSet) -> StepOutput:
    rules_file = rules["language"]
    guess = identify(_detection_text(record), rules_file)
    record = record.replace(language=guess.language, language_score=guess.score)
    for code, message in _warnings(guess, declared_languages(record), compile_rules(rules_file)):
        if not any(
            w.step == STEP_ID and w.code == code and w.message == message for w in record.warnings
        ):
            record = record.warn(STEP_ID, code, message)  # once, however often the step runs
    return (record,)


STEP = Step(
    NAME,
    VERSION,
    "identify the language of the text with py3langid (ISO 639-1, probability rounded to 4 "
    "decimals); warn when it is uncertain or not among the declared languages",
    run,
    rules_files=("language",),
)
