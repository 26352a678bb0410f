"""Declared vs detected language of a seed, judged the way ``identify_language`` judges it.

The detection is the pipeline's own (:func:`curation.steps.identify_language.identify`,
with its rules file ``language.toml``), run on the raw seed text, so ``curation
check`` and the build agree on what a text is. Only a *confident* detection
(enough letters, probability at least ``min_confidence``) that is not among the
declared languages is a problem: for an uncertain one the model's runner-up is often
the right answer, and the build reports it as a warning instead.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from curation.errors import Problem
from curation.rules import RuleSet
from curation.steps.identify_language import LanguageGuess, compile_rules, identify


def detect_language(text: str, rules: RuleSet) -> LanguageGuess:
    return identify(text, rules["language"])


def is_confident(guess: LanguageGuess, rules: RuleSet) -> bool:
    thresholds = compile_rules(rules["language"])
    return (
        guess.language is not None
        and guess.score is not None
        and guess.letters >= thresholds.min_letters
        and guess.score >= thresholds.min_confidence
    )


def language_mismatch(
    where: str, declared: Sequence[str] | None, guess: LanguageGuess, rules: RuleSet, hint: str
) -> Problem | None:
    """A problem when the text confidently reads as a language that was not declared."""
    if not declared or not is_confident(guess, rules) or guess.language in declared:
        return None
    return Problem(
        where,
        f"declared {json.dumps(list(declared))} but the text reads as {guess.language} "
        f"(probability {guess.score:.4f}, identify_language's model)",
        hint,
    )
