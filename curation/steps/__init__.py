"""The per-record cleaning steps, by name, and the one order they run in.

Corpus-wide passes (deduplication) live in :mod:`curation.corpus`: they look
across records and scale differently.
"""

from __future__ import annotations

from curation.steps import (
    drop_empty,
    extract_metadata,
    identify_language,
    normalize_unicode,
    remove_repeats,
    repair_layout,
    split_articles,
    strip_boilerplate,
)
from curation.steps.base import Drop, Step, StepOutput, text_step

# The pipeline, in order. Each entry's position is part of published behaviour.
PIPELINE: tuple[Step, ...] = (
    normalize_unicode.STEP,
    repair_layout.STEP,
    split_articles.STEP,
    # Metadata is read from the whole page, chrome included, before the chrome goes:
    # strip_boilerplate then knows where the headline stood.
    extract_metadata.STEP,
    strip_boilerplate.STEP,
    remove_repeats.STEP,
    identify_language.STEP,
    drop_empty.STEP,
)

STEPS: dict[str, Step] = {step.name: step for step in PIPELINE}

__all__ = ["PIPELINE", "STEPS", "Drop", "Step", "StepOutput", "text_step"]
