"""Move an article's headline, dateline and date footer out of its text into its fields.

Pages print the title, the publisher, the date and the time around the article:
a headline, a dateline under it (``(People's Daily Online) 17:37, October 22,
2021``, ``Ren Min Ri Bao· 2025-11-10 22:48``), a label with a date at the start of
the first paragraph (``date 2020-12-20 Chinese and Russian ...``) or a footer
(``Ora postării: Iul-16-2022``). This step reads them into the record's ``title``,
``source``, ``date`` (YYYY-MM-DD) and ``time`` (HH:MM, 24-hour) and removes them
from the text, each removal named for the format that matched (see
``curation/rules/metadata.toml``; a headline is removed under ``headline``).

Where it looks:

* the **head**: leading paragraphs, as long as each is a header paragraph (a
  dateline, a labelled date or source, a bare date), a headline (see
  :func:`~curation.steps.headers.is_headline`) followed by a header paragraph, a
  headline followed by body text, or starts with a label and a date followed by
  prose (only that start goes);
* the **tail**: trailing paragraphs, as long as each is a footer paragraph.

A paragraph between two prose paragraphs stays, whatever it looks like, and a date
in a sentence is never read.

The sidecar wins: when it states a title, source or date and the text says
something else, the record keeps the sidecar's value and gets a
``metadata_disagreement`` warning naming both; the header still leaves the text.
Two different values in the text itself give ``text_metadata_conflict`` (the first,
from the head, is kept). Nothing is resolved silently.

A headline with only body text after it (no dateline) is weaker evidence: it is
taken only while the record has no title yet, or when it repeats the title the
record has. That is also what keeps the step idempotent: once a title is known, a
short line that surfaces at the head on a second run is not taken for another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from curation.record import Change, Record
from curation.rules import RuleSet
from curation.steps.base import Step, StepOutput
from curation.steps.headers import (
    RULES_FILE,
    Metadata,
    MetadataRules,
    declared_languages,
    is_headline,
    match_head_fragment,
    match_paragraph,
    metadata_rules,
    paragraph_spans,
    reads_as_body,
)
from curation.steps.split_articles import SPLIT_RULE

NAME = "extract_metadata"
VERSION = 1
STEP_ID = f"{NAME}_v{VERSION}"

HEADLINE_RULE = "headline"
DISAGREEMENT = "metadata_disagreement"
CONFLICT = "text_metadata_conflict"

SPLIT_NOTE = (
    " (this record is one article of a seed that was split into several;"
    " the sidecar describes the whole seed)"
)


@dataclass
class Found:
    """What the header and footer paragraphs of one text say, in text order."""

    changes: list[Change] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    matches: list[Metadata] = field(default_factory=list)


def same(a: str, b: str) -> bool:
    """Equal up to case and spacing: "People's Daily online" is "People's Daily Online"."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def find_metadata(
    text: str,
    languages: tuple[str, ...],
    known_title: str | None,
    rules: MetadataRules,
) -> Found:
    r"""Header and footer paragraphs of ``text``, and the changes that remove them.

    ``known_title`` is the record's title before this step (the sidecar's, usually):
    a headline with only body text after it is taken only if it is that title or
    no title is known.

    >>> from curation.rules import load_rules
    >>> rules = metadata_rules(load_rules()["metadata"])
    >>> text = "Digital ties grow\n\nXinhua | 2021-10-22\n\nThe ministers met."
    >>> found = find_metadata(text, ("en",), None, rules)
    >>> found.titles, [(m.source, m.date) for m in found.matches]
    (['Digital ties grow'], [('Xinhua', '2021-10-22')])
    >>> [(c.start, c.end, c.rule) for c in found.changes]
    [(0, 19, 'headline'), (19, 40, 'publisher_dateline')]
    """
    paragraphs = paragraph_spans(text)
    found = Found()
    index, offset = 0, 0
    while index < len(paragraphs):
        paragraph = paragraphs[index]
        start = paragraph.start + offset
        rest = text[start : paragraph.end]
        # Removing what is left of a paragraph takes the separator after it along.
        cut_to = paragraphs[index + 1].start if index + 1 < len(paragraphs) else paragraph.end
        header = match_paragraph(rest, "header", languages, rules)
        if header is not None:
            found.changes.append(Change(start, cut_to, "", header.rule))
            found.matches.append(header)
            index, offset = index + 1, 0
            continue
        if index + 1 < len(paragraphs) and is_headline(rest, rules):
            following = paragraphs[index + 1]
            following_text = text[following.start : following.end]
            known = [t for t in (known_title, *found.titles) if t is not None]
            if match_paragraph(following_text, "header", languages, rules) is not None or (
                reads_as_body(following_text, rest, rules)
                and (not known or any(same(t, rest) for t in known))
            ):
                found.changes.append(Change(start, cut_to, "", HEADLINE_RULE))
                found.titles.append(rest)
                index, offset = index + 1, 0
                continue
        fragment = match_head_fragment(rest, languages, rules)
        if fragment is not None:
            found.changes.append(Change(start, start + fragment.length, "", fragment.rule))
            found.matches.append(fragment)
            offset += fragment.length
            continue
        break
    footers: list[Metadata] = []
    last = len(paragraphs) - 1
    while last > index:
        paragraph = paragraphs[last]
        footer = match_paragraph(text[paragraph.start : paragraph.end], "footer", languages, rules)
        if footer is None:
            break
        # The separator before a footer paragraph goes with it.
        found.changes.append(Change(paragraphs[last - 1].end, paragraph.end, "", footer.rule))
        footers.append(footer)
        last -= 1
    found.matches.extend(reversed(footers))
    return found


def _first_distinct(values: Sequence[str]) -> tuple[str | None, list[str]]:
    """The first value, and the later ones that differ from it."""
    if not values:
        return None, []
    first = values[0]
    others: list[str] = []
    for value in values[1:]:
        if not same(value, first) and not any(same(value, o) for o in others):
            others.append(value)
    return first, others


def _is_split_part(record: Record) -> bool:
    return record.part > 0 or any(edit.rule == SPLIT_RULE for edit in record.provenance)


def resolve_fields(record: Record, found: Found) -> Record:
    """Fill the record's fields from what the text says; warn where sources disagree."""
    candidates = {
        "title": found.titles,
        "source": [m.source for m in found.matches if m.source is not None],
        "date": [m.date for m in found.matches if m.date is not None],
        "author": [m.author for m in found.matches if m.author is not None],
    }
    note = SPLIT_NOTE if _is_split_part(record) else ""
    updates: dict[str, str] = {}
    warnings: list[tuple[str, str]] = []
    for name, values in candidates.items():
        text_value, conflicting = _first_distinct(values)
        if text_value is None:
            continue
        for other in conflicting:
            message = f'{name}: the text says "{text_value}" and also "{other}"; kept the first'
            warnings.append((CONFLICT, message))
        declared = record.declared.get(name)
        current = getattr(record, name)
        if declared is not None and not same(str(declared), text_value):
            warnings.append(
                (DISAGREEMENT, f'{name}: sidecar says "{declared}", text says "{text_value}"{note}')
            )
        elif declared is None and current is None:
            updates[name] = text_value
        elif declared is None and not same(current, text_value):
            warnings.append(
                (DISAGREEMENT, f'{name}: record says "{current}", text says "{text_value}"')
            )
    date = updates.get("date", record.date)
    for match in found.matches:
        if match.time is None:
            continue
        # A time belongs to the date printed with it; under another date it is wrong.
        if match.date is None or (date is not None and same(match.date, date)):
            if record.time is None:
                updates["time"] = match.time
        else:
            warnings.append(
                (
                    DISAGREEMENT,
                    f'time: "{match.time}" is printed with the date "{match.date}", '
                    f'not the kept date "{date}"; not kept',
                )
            )
        break
    record = record.replace(**updates) if updates else record
    for code, message in warnings:
        record = record.warn(STEP_ID, code, message)
    return record


def run(record: Record, rules: RuleSet) -> StepOutput:
    compiled = metadata_rules(rules[RULES_FILE])
    found = find_metadata(record.text, declared_languages(record.declared), record.title, compiled)
    record = record.with_changes(STEP_ID, found.changes)
    return (resolve_fields(record, found),)


STEP = Step(
    NAME,
    VERSION,
    "title, publisher, date and time from header and footer paragraphs into the record's "
    "fields and out of the text; the sidecar's values win, disagreements are warned",
    run,
    (RULES_FILE,),
)
