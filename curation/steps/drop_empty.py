"""Drop a record that cleaning left without text (a seed that was all boilerplate).

The published schema requires non-empty text; the drop is counted with its reason
(``empty_after_cleaning``) in the build report and the card, never silent.
"""

from __future__ import annotations

from curation.record import Record
from curation.rules import RuleSet
from curation.steps.base import Drop, Step, StepOutput

NAME = "drop_empty"
VERSION = 1
EMPTY_AFTER_CLEANING = "empty_after_cleaning"


def run(record: Record, rules: RuleSet) -> StepOutput:
    """
    >>> from curation.rules import load_rules
    >>> run(Record("000_0000000000000000", 0, ""), load_rules()).reason
    'empty_after_cleaning'
    """
    if not record.text.strip():
        return Drop(record, EMPTY_AFTER_CLEANING)
    return (record,)


STEP = Step(NAME, VERSION, "drop records whose text is empty after cleaning", run)
