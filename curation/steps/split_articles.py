"""Split a page that holds several articles into one record per article.

Aggregator and search-results pages print a header block for each item: a headline
paragraph, then a dateline paragraph naming the publisher and the date
(``Ren Min Ri Bao· 2025-11-10 22:48``). A document with at least ``[split]
min_articles`` such blocks (see ``curation/rules/metadata.toml``; the dateline
formats are the ones :mod:`curation.steps.extract_metadata` reads) is split before
each block. A document with one block is one article and is left alone.

Each part becomes a record of its own, numbered 0, 1, ... in text order (its id is
``<seed_id>-<part>``), with the parent's sidecar, url and license. Its text is the
parent's with everything before and after its span deleted, under the rule
``split_article``, so the provenance of every part replays from the raw seed. Text
before the first block (a page's own introduction, if ``strip_boilerplate`` left
any) is kept as a part of its own, with a ``split_preamble`` warning, rather than
dropped or glued onto the first article.

The parts' headers stay in their text: ``extract_metadata`` moves them into each
part's fields next.
"""

from __future__ import annotations

from curation.record import Change, Record
from curation.rules import RuleSet
from curation.steps.base import Step, StepOutput
from curation.steps.headers import (
    PARAGRAPH_SEPARATOR,
    RULES_FILE,
    article_starts,
    declared_languages,
    metadata_rules,
)

NAME = "split_articles"
VERSION = 1
STEP_ID = f"{NAME}_v{VERSION}"

SPLIT_RULE = "split_article"
PREAMBLE_WARNING = "split_preamble"


def article_spans(starts: list[int], length: int) -> list[tuple[int, int]]:
    r"""The ``(start, end)`` of each part, given where the articles start.

    Spans leave out the ``"\n\n"`` between parts; text before the first article is
    a part of its own.

    >>> article_spans([0, 20, 45], 60)
    [(0, 18), (20, 43), (45, 60)]
    >>> article_spans([12, 40], 60)
    [(0, 10), (12, 38), (40, 60)]
    """
    starts = [0, *starts] if starts and starts[0] > 0 else list(starts)
    ends = [start - len(PARAGRAPH_SEPARATOR) for start in starts[1:]] + [length]
    return list(zip(starts, ends, strict=True))


def split_record(record: Record, spans: list[tuple[int, int]], preamble: bool) -> list[Record]:
    """One record per span: the parent with the text outside the span deleted."""
    parts = []
    for part, (start, end) in enumerate(spans):
        changes = [
            Change(a, b, "", SPLIT_RULE) for a, b in ((0, start), (end, len(record.text))) if a < b
        ]
        child = record.with_changes(STEP_ID, changes).replace(part=part)
        if preamble and part == 0:
            child = child.warn(
                STEP_ID,
                PREAMBLE_WARNING,
                "text before the first article header of a split page, kept as a part of its own",
            )
        parts.append(child)
    return parts


def run(record: Record, rules: RuleSet) -> StepOutput:
    compiled = metadata_rules(rules[RULES_FILE])
    starts = article_starts(record.text, declared_languages(record.declared), compiled)
    if len(starts) < compiled.min_articles:
        return (record,)
    spans = article_spans(starts, len(record.text))
    return tuple(split_record(record, spans, preamble=starts[0] > 0))


STEP = Step(
    NAME,
    VERSION,
    "a page with several headline + dateline blocks becomes one record per article",
    run,
    (RULES_FILE,),
)
