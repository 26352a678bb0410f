"""normalize_unicode as it was at 5d5e1a3, kept to check the faster one against, as
``tests/oracles.py`` keeps the page reading's.

The step now gives ftfy no line it has already left as it was in the same record, and
does not search a text for spacing changes it cannot hold. Tests compare old and new
records (text and provenance) on real and handmade text
(``tests/steps/test_normalize_unicode_fast_paths.py``) and on generated text
(``tests/property/test_normalize_unicode_properties.py``).
"""

from __future__ import annotations

import re

from curation import patterns
from curation.record import Change, Record
from curation.rules import RuleSet
from curation.steps.base import StepOutput
from curation.steps.normalize_unicode import (
    _SPACING_REPLACEMENT,
    _SPACING_RULES,
    FTFY_CONFIG,
    MAX_ROUNDS,
    STEP_ID,
    _diff_changes,
    _lines,
    _regex_changes,
    character_changes,
    ftfy,
    nfc_changes,
)


def _ftfy_touches() -> re.Pattern[str]:
    """The characters a line needs for ftfy to change it, as normalize_unicode had them
    (it now also asks ftfy's detector, near them: ``ftfy_may_change``)."""
    detector = ftfy.badness.BADNESS_RE
    suspects = patterns.required_characters(detector.pattern, detector.flags & ~re.UNICODE)
    if suspects is None:
        return patterns.compile(r"[\s\S]")
    spelled = "".join(f"\\U{ord(ch):08x}" for ch in suspects)
    return patterns.compile(f"[{spelled}\\x80-\\x9f\\ud800-\\udfff\\x1b]")


_FTFY_TOUCHES = _ftfy_touches()


def ftfy_changes(text: str) -> list[Change]:
    """normalize_unicode.ftfy_changes: every line with a suspect character given to ftfy."""
    changes: list[Change] = []
    for offset, line in _lines(text):
        if _FTFY_TOUCHES.search(line) is None:
            continue  # nothing ftfy could fix; the common case, kept cheap
        fixed, explanation = ftfy.fix_and_explain(line, config=FTFY_CONFIG)
        if fixed != line:
            names = sorted({name for _action, name in explanation or ()}) or ["fix"]
            changes.extend(_diff_changes(offset, line, fixed, "ftfy_" + "+".join(names)))
    return changes


def spacing_changes(text: str) -> list[Change]:
    """normalize_unicode.spacing_changes: the rules searched on every text."""
    return _regex_changes(text, _SPACING_RULES, _SPACING_REPLACEMENT)


PASSES = (
    ("ftfy", ftfy_changes),
    ("nfc", nfc_changes),
    ("characters", character_changes),
    ("spacing", spacing_changes),
)


def run(record: Record, rules: RuleSet) -> StepOutput:
    """normalize_unicode.run: every pass of every round on the whole text."""
    for round_number in range(1, MAX_ROUNDS + 1):
        before = record.text
        for pass_name, find_changes in PASSES:
            name = pass_name if round_number == 1 else f"{pass_name}.{round_number}"
            record = record.with_changes(f"{STEP_ID}/{name}", find_changes(record.text))
        if record.text == before:
            break
    return (record,)
