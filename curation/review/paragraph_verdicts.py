"""Why strip_boilerplate kept or cut each paragraph of a record, for ``curation review``.

The step's input is rebuilt from the raw seed and the record's provenance (the edits
of the steps before it), and the step's classifier is run on it again: the same
pure function, so the review shows exactly the decision the build made. For every
paragraph: whether it stays, the rule that cut it, the classifier's context-free
class and final label, and the features that decided (width, stopword density,
title-case share, sentence end, menu shape). A contributor who sees a line cut, or
kept, for the wrong reason can point at the feature and propose a rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from curation.record import Record, replay
from curation.rules import RuleSet
from curation.steps import PIPELINE, strip_boilerplate


@dataclass(frozen=True, slots=True)
class ParagraphVerdict:
    """One paragraph of strip_boilerplate's input and what became of it."""

    index: int
    text: str
    kept: bool
    rule: str | None  # the rule that removed the paragraph (or its head or tail)
    initial: str  # the classifier's class from the paragraph alone
    label: str  # its class after context: good or bad
    reason: str  # what decided the label
    features: str  # the measured features, one line
    in_body: bool  # inside the span the classifier took for the article


def _step_name(step_id: str) -> str:
    """``"normalize_unicode_v1/nfc"`` -> ``"normalize_unicode"``."""
    return step_id.split("/", 1)[0].rsplit("_v", 1)[0]


def boilerplate_input(raw: str, record: Record) -> Record:
    """The record as strip_boilerplate received it: the raw text with the edits of the
    steps before it replayed, and those edits as its provenance."""
    names = [step.name for step in PIPELINE]
    before = set(names[: names.index(strip_boilerplate.NAME)])
    edits = tuple(e for e in record.provenance if _step_name(e.step) in before)
    return Record(
        record.seed_id, record.part, replay(raw, edits), declared=record.declared, provenance=edits
    )


def paragraph_verdicts(raw: str, record: Record, rules: RuleSet) -> list[ParagraphVerdict]:
    """Each paragraph strip_boilerplate saw in ``record``, with its decision and features."""
    received = boilerplate_input(raw, record)
    text = received.text
    paragraphs, classified = strip_boilerplate.classify_text(
        text,
        rules[strip_boilerplate.RULES_FILE],
        strip_boilerplate.declared_languages(received),
        strip_boilerplate.headline_offset(received),
    )
    rows = []
    for index, (paragraph, verdict) in enumerate(zip(paragraphs, classified.verdicts, strict=True)):
        cut = paragraph.rule or (paragraph.cuts[0][2] if paragraph.cuts else None)
        rows.append(
            ParagraphVerdict(
                index=index,
                text=text[paragraph.start : paragraph.end],
                kept=not paragraph.removed,
                rule=cut,
                initial=verdict.initial,
                label=verdict.label,
                reason=verdict.reason,
                features=verdict.features.describe(),
                in_body=index in classified.body,
            )
        )
    return rows
