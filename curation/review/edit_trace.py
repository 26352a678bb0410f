"""Where in the *raw* seed each edit of a record's provenance happened.

Provenance offsets are in each step's input text, which is the previous step's
output. To show an edit on the raw text, the offset mappings are composed step by
step: the text is kept as a list of :class:`Piece` objects, each either a run of
raw characters that no step has touched (with its exact raw span) or text that
edits wrote (with the raw span it replaced). Applying the edits of one step
splits and replaces pieces exactly as :func:`curation.record.replay` replaces
characters, so the pieces always spell the current text.

An edit's raw span is the hull of the raw spans of the pieces it covered. When it
rewrites text that an earlier edit wrote (normalize_unicode turns ``\\r\\n`` into
``\\n``, and repair_layout then turns that ``\\n`` into a space), it gets the raw
span of the earlier edit too: both are shown on the same raw characters, in order.

>>> from curation.record import Edit
>>> trace = trace_edits("a\\r\\nb", [
...     Edit("normalize_unicode_v1/characters", "line_end", 1, 3, "\\r\\n", "\\n"),
...     Edit("repair_layout_v1", "join_wrapped_line", 1, 2, "\\n", " "),
... ])
>>> trace.text
'a b'
>>> [(e.raw_start, e.raw_end, e.edit.rule) for e in trace.edits]
[(1, 3, 'line_end'), (1, 3, 'join_wrapped_line')]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import groupby

from curation.record import Edit


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of the current text: raw characters kept as they are, or text that edits wrote."""

    text: str
    raw_start: int
    raw_end: int
    edits: tuple[int, ...] = ()  # indexes into the provenance; () for kept raw text

    @property
    def kept(self) -> bool:
        return not self.edits

    def split(self, at: int) -> tuple[Piece, Piece]:
        """Two pieces at text offset ``at``; written text keeps its whole raw span on both sides."""
        if self.kept:
            middle = self.raw_start + at
            return (
                Piece(self.text[:at], self.raw_start, middle),
                Piece(self.text[at:], middle, self.raw_end),
            )
        return replace(self, text=self.text[:at]), replace(self, text=self.text[at:])


@dataclass(frozen=True, slots=True)
class TracedEdit:
    """One provenance edit, with the span of the raw seed text it stands for."""

    index: int
    edit: Edit
    raw_start: int
    raw_end: int
    rewrites: tuple[int, ...] = ()  # earlier edits whose written text this one changed
    # The raw stretches it covered: one, unless earlier edits removed text in between
    # (then the span from raw_start to raw_end includes what they removed).
    raw_parts: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class EditTrace:
    raw: str
    pieces: tuple[Piece, ...]
    edits: tuple[TracedEdit, ...]

    @property
    def text(self) -> str:
        """The record's text, spelled by the pieces (equal to ``replay(raw, provenance)``)."""
        return "".join(piece.text for piece in self.pieces)


class _Stream:
    """The current text's pieces, consumed from the front while the next text is built."""

    def __init__(self, pieces: Sequence[Piece]) -> None:
        self.ahead = deque(p for p in pieces if p.text)
        self.out: list[Piece] = []

    def take(self, count: int) -> list[Piece]:
        taken = []
        while count > 0:
            piece = self.ahead.popleft()
            if len(piece.text) > count:
                piece, rest = piece.split(count)
                self.ahead.appendleft(rest)
            taken.append(piece)
            count -= len(piece.text)
        return taken

    def insertion_point(self) -> tuple[tuple[int, int], tuple[int, ...]]:
        """The raw span of a zero-width edit here, and the earlier edits whose text it is in."""
        left = self.out[-1] if self.out else None
        right = self.ahead[0] if self.ahead else None
        inside_written = (
            left is not None
            and right is not None
            and not left.kept
            and (left.raw_start, left.raw_end, left.edits)
            == (right.raw_start, right.raw_end, right.edits)
        )
        if inside_written:  # it stands for the raw span of the edit that wrote the text
            assert left is not None
            return (left.raw_start, left.raw_end), left.edits
        if left is not None:
            return (left.raw_end, left.raw_end), ()
        if right is not None:
            return (right.raw_start, right.raw_start), ()
        return (0, 0), ()


def _apply_step(
    pieces: Sequence[Piece], edits: Sequence[tuple[int, Edit]], traced: list[TracedEdit]
) -> list[Piece]:
    stream = _Stream(pieces)
    position = 0
    # The order apply_changes uses: by start, then end, replacement and rule.
    for index, edit in sorted(
        edits, key=lambda ie: (ie[1].start, ie[1].end, ie[1].after, ie[1].rule)
    ):
        stream.out.extend(stream.take(edit.start - position))
        covered = stream.take(edit.end - edit.start)
        if covered:
            parts = _merged((p.raw_start, p.raw_end) for p in covered)
            rewrites = tuple(sorted({i for p in covered for i in p.edits}))
        else:
            point, rewrites = stream.insertion_point()
            parts = [point]
        raw_start, raw_end = parts[0][0], parts[-1][1]
        traced.append(TracedEdit(index, edit, raw_start, raw_end, rewrites, tuple(parts)))
        if edit.after:
            stream.out.append(Piece(edit.after, raw_start, raw_end, (*rewrites, index)))
        position = edit.end
    stream.out.extend(stream.ahead)
    return stream.out


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in order, touching or overlapping ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _steps(provenance: Sequence[Edit]) -> Iterator[list[tuple[int, Edit]]]:
    """Runs of consecutive edits of one step (or pass): each run shares one input text."""
    for _step, run in groupby(enumerate(provenance), key=lambda ie: ie[1].step):
        yield list(run)


def trace_edits(raw: str, provenance: Sequence[Edit]) -> EditTrace:
    """Locate every edit of ``provenance`` in ``raw``; see the module docstring."""
    pieces: list[Piece] = [Piece(raw, 0, len(raw))] if raw else []
    traced: list[TracedEdit] = []
    for step_edits in _steps(provenance):
        pieces = _apply_step(pieces, step_edits, traced)
    traced.sort(key=lambda t: t.index)
    return EditTrace(raw, tuple(pieces), tuple(traced))


@dataclass(frozen=True)
class RawSpan:
    """A stretch of the raw text for the review page: kept, or changed by some edits."""

    start: int
    end: int
    edits: tuple[int, ...] = ()  # indexes into the provenance, in order; () when kept


def raw_spans(trace: EditTrace) -> list[RawSpan]:
    """The raw text cut into kept stretches and changed clusters, in order, covering it all.

    Edits whose raw spans overlap form one cluster; an insertion strictly inside a
    changed span joins it, one at a boundary is a zero-width cluster of its own.
    """
    clusters: list[list[int]] = []  # [start, end, *edit indexes]
    for traced in sorted(trace.edits, key=lambda t: (t.raw_start, t.raw_end, t.index)):
        last = clusters[-1] if clusters else None
        overlaps = last is not None and traced.raw_start < last[1]
        same_insertion_point = last is not None and (
            last[0] == last[1] == traced.raw_start == traced.raw_end
        )
        if last is not None and (overlaps or same_insertion_point):
            last[1] = max(last[1], traced.raw_end)
            last.append(traced.index)
        else:
            clusters.append([traced.raw_start, traced.raw_end, traced.index])
    spans: list[RawSpan] = []
    position = 0
    for start, end, *indexes in clusters:
        if start > position:
            spans.append(RawSpan(position, start))
        spans.append(RawSpan(start, end, tuple(sorted(indexes))))
        position = max(position, end)
    if position < len(trace.raw):
        spans.append(RawSpan(position, len(trace.raw)))
    return spans
