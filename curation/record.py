"""Records, and the edits that steps make to their text.

A step never rewrites text in place. It returns :class:`Change` objects -- a span
of its *input* text, the replacement, and the rule that asked for it -- and
:func:`apply_changes` turns them into the output text. Every change is kept in
the record's provenance, so the published text can be replayed from the raw
seed and every removed character can be traced to the rule that removed it.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True, order=True)
class Change:
    """Replace ``text[start:end]`` with ``replacement``, because of ``rule``.

    >>> apply_changes("a  b", [Change(1, 3, " ", "collapse_spaces")])
    'a b'
    """

    start: int
    end: int
    replacement: str
    rule: str


@dataclass(frozen=True, slots=True)
class Edit:
    """A :class:`Change` as it is published: which step made it, and the text it removed.

    Offsets are in the text the step (or the named pass of a step, written
    ``step_id/pass``) received, so edits replay step by step.
    """

    step: str
    rule: str
    start: int
    end: int
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class Warning_:
    """Something a step noticed and did not resolve, e.g. sidecar vs. text disagreement."""

    step: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Record:
    """One document on its way through the pipeline.

    ``declared`` holds the seed's sidecar (what the contributor submitted); the
    top-level fields hold what the pipeline concluded. A field of ``declared``
    that is not null wins over an extracted value.
    """

    seed_id: str
    part: int
    text: str
    declared: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    title: str | None = None
    author: str | None = None
    language: str | None = None
    language_score: float | None = None
    language_decided_by: str | None = None
    source: str | None = None
    date: str | None = None
    time: str | None = None
    url: str | None = None
    license: str | None = None
    provenance: tuple[Edit, ...] = ()
    warnings: tuple[Warning_, ...] = ()

    @property
    def id(self) -> str:
        """Stable across rebuilds and versions while the seed and its split are unchanged."""
        return f"{self.seed_id}-{self.part}"

    def with_changes(self, step: str, changes: Sequence[Change]) -> Record:
        """Apply ``changes`` to the text and append them to the provenance.

        Call it once per step, or once per named pass (``"normalize_unicode_v1/nfc"``):
        :func:`replay` treats each run of edits with the same ``step`` as one
        batch in one input text.
        """
        if not changes:
            return self
        ordered = sorted(changes)
        text = apply_changes(self.text, ordered)
        edits = tuple(
            Edit(step, c.rule, c.start, c.end, self.text[c.start : c.end], c.replacement)
            for c in ordered
        )
        return dataclasses.replace(self, text=text, provenance=self.provenance + edits)

    def warn(self, step: str, code: str, message: str) -> Record:
        return dataclasses.replace(self, warnings=(*self.warnings, Warning_(step, code, message)))

    def replace(self, **fields: object) -> Record:
        return dataclasses.replace(self, **fields)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A cleaned record as the record cache gives it back to a build: its published row,
    ready to write, and the fields the corpus passes and the build summary read.

    Decoding every cached record into a :class:`Record` (one object per edit of its
    provenance) and encoding it again as the row the writer hashes and writes was
    most of a rebuild after one seed changed; a record that no corpus pass rewrites
    needs neither. :meth:`record` gives the :class:`Record` itself, for a pass that
    rewrites it (``strip_recurring_lines`` on a record with a site).

    ``row`` is the canonical JSON of ``curation.schema.record_row(record)`` in UTF-8,
    byte for byte what :class:`curation.publish.parquet.ParquetShards` makes of the record.
    """

    seed_id: str
    part: int
    text: str
    declared: dict[str, object] = field(compare=False, hash=False)
    title: str | None
    language: str | None
    language_decided_by: str | None
    source: str | None
    date: str | None
    license: str | None
    warnings: tuple[Warning_, ...]
    row: bytes

    @property
    def id(self) -> str:
        return f"{self.seed_id}-{self.part}"

    def record(self) -> Record:
        """The :class:`Record` whose row this is (with its sidecar, which the row does not hold)."""
        row = json.loads(self.row.decode("utf-8", "surrogatepass"))
        return Record(
            seed_id=row["seed_id"],
            part=row["part"],
            text=row["text"],
            declared=self.declared,
            title=row["title"],
            author=row["author"],
            language=row["language"],
            language_score=row["language_score"],
            language_decided_by=row["language_decided_by"],
            source=row["source"],
            date=row["date"],
            time=row["time"],
            url=row["url"],
            license=row["license"],
            provenance=tuple(
                Edit(e["step"], e["rule"], e["start"], e["end"], e["before"], e["after"])
                for e in row["provenance"]
            ),
            warnings=tuple(Warning_(w["step"], w["code"], w["message"]) for w in row["warnings"]),
        )


# What a build's corpus passes, summary and writer take: a record, or a stored one.
AnyRecord = Record | StoredRecord


def whole_records(records: Iterable[AnyRecord]) -> list[Record]:
    """``records``, each stored one made a :class:`Record` (:meth:`StoredRecord.record`)."""
    return [r.record() if isinstance(r, StoredRecord) else r for r in records]


class OverlappingChanges(ValueError):
    """Two changes touch the same characters: a bug in the step that made them."""


def apply_changes(text: str, changes: Iterable[Change]) -> str:
    """Return ``text`` with every change applied; changes must not overlap.

    Zero-width changes (insertions) are allowed, also at the same offset as the
    start of a deletion; they apply in the order given by sorting.

    >>> apply_changes("abcdef", [Change(0, 1, "A", "r"), Change(3, 3, "-", "r")])
    'Abc-def'
    """
    pieces: list[str] = []
    position = 0
    for change in sorted(changes):
        if change.start < position or change.end < change.start or change.end > len(text):
            raise OverlappingChanges(
                f"change {change} overlaps an earlier one or leaves the text (length {len(text)})"
            )
        pieces.append(text[position : change.start])
        pieces.append(change.replacement)
        position = change.end
    pieces.append(text[position:])
    return "".join(pieces)


def as_edit(edit: Edit | Mapping[str, Any]) -> Edit:
    """An :class:`Edit`, from itself or from a row's ``provenance`` item (a dict).

    >>> as_edit({"step": "s_v1", "rule": "r", "start": 0, "end": 1, "before": "a", "after": ""})
    Edit(step='s_v1', rule='r', start=0, end=1, before='a', after='')
    """
    if isinstance(edit, Edit):
        return edit
    return Edit(
        str(edit["step"]),
        str(edit["rule"]),
        int(edit["start"]),
        int(edit["end"]),
        str(edit["before"]),
        str(edit["after"]),
    )


def replay(text: str, edits: Iterable[Edit | Mapping[str, Any]]) -> str:
    """Rebuild a record's text from the raw seed text and its provenance.

    ``edits`` is a record's ``provenance``: :class:`Edit` objects, or the dicts of a
    row as ``datasets`` or pyarrow return it, so a loaded row replays as it is:

    >>> row = {"text": "b", "provenance": [
    ...     {"step": "s_v1", "rule": "r", "start": 0, "end": 1, "before": "a", "after": "b"}]}
    >>> replay("a", row["provenance"]) == row["text"]
    True

    Consecutive edits of one step share that step's input offsets; a new step
    starts from the previous step's output.
    """
    current_step: str | None = None
    pending: list[Change] = []
    for edit in map(as_edit, edits):
        if edit.step != current_step and pending:
            text = apply_changes(text, pending)
            pending = []
        current_step = edit.step
        pending.append(Change(edit.start, edit.end, edit.after, edit.rule))
    return apply_changes(text, pending) if pending else text
