"""Locating provenance edits in the raw text: the composed offsets must be exact."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curation.contribute.cleaned_text import clean_seed, readable_seed_records
from curation.record import Change, Edit, Record, replay
from curation.review.edit_trace import EditTrace, raw_spans, trace_edits
from curation.rules import load_rules
from curation.seeds import discover_seeds

REPO = Path(__file__).resolve().parents[2]


def assert_exact(raw: str, provenance: tuple[Edit, ...] | list[Edit], trace: EditTrace) -> None:
    assert trace.text == replay(raw, provenance)
    for piece in trace.pieces:
        if piece.kept:  # kept text is the raw text at its span
            assert raw[piece.raw_start : piece.raw_end] == piece.text
        assert 0 <= piece.raw_start <= piece.raw_end <= len(raw)
    for traced in trace.edits:
        assert 0 <= traced.raw_start <= traced.raw_end <= len(raw)
        if not traced.rewrites:  # an edit of untouched text stands exactly on its raw parts
            assert "".join(raw[s:e] for s, e in traced.raw_parts) == traced.edit.before
        assert traced.raw_parts[0][0] == traced.raw_start
        assert traced.raw_parts[-1][1] == traced.raw_end
    kept = [i for p in trace.pieces if p.kept for i in range(p.raw_start, p.raw_end)]
    assert kept == sorted(set(kept))  # kept raw text in order, never twice
    changed = {i for t in trace.edits for s, e in t.raw_parts for i in range(s, e)}
    assert changed.isdisjoint(kept)
    assert changed | set(kept) == set(range(len(raw)))  # every raw character is accounted for
    spans = raw_spans(trace)
    assert "".join(raw[s.start : s.end] for s in spans) == raw
    assert sorted(i for s in spans for i in s.edits) == list(range(len(provenance)))


@st.composite
def edited_records(draw: st.DrawFn) -> tuple[str, Record]:
    """A raw text and several steps of random non-overlapping edits (insertions included)."""
    raw = draw(st.text(alphabet="ab \n\r-é中", max_size=30))
    record = Record("000_0000000000000000", 0, raw)
    for step in range(draw(st.integers(0, 5))):
        text = record.text
        points = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
        changes = []
        for i in range(0, len(points) - 1, 2):
            start, end = points[i], points[i + 1]
            replacement = draw(st.text(alphabet="xy \n", max_size=3))
            if start == end and not replacement:
                continue
            changes.append(Change(start, end, replacement, f"rule{i}"))
        record = record.with_changes(f"step{step}_v1", changes)
    return raw, record


@pytest.mark.property
@settings(max_examples=300, deadline=None)
@given(edited_records())
def test_every_edit_is_located_exactly(case: tuple[str, Record]) -> None:
    raw, record = case
    assert_exact(raw, record.provenance, trace_edits(raw, record.provenance))


def test_a_chain_of_edits_on_the_same_characters() -> None:
    raw = "Trade grew by a third,\r\nsaid the minis-\r\nter."
    record = Record("000_0000000000000000", 0, raw)
    record = record.with_changes(
        "normalize_unicode_v1/characters",
        [Change(22, 24, "\n", "line_end"), Change(39, 41, "\n", "line_end")],
    )
    record = record.with_changes(
        "repair_layout_v1",
        [Change(22, 23, " ", "unwrap_line"), Change(37, 39, "", "join_hyphenated_word")],
    )
    trace = trace_edits(raw, record.provenance)
    assert record.text == "Trade grew by a third, said the minister."
    assert_exact(raw, record.provenance, trace)
    located = [(t.edit.rule, raw[t.raw_start : t.raw_end], t.rewrites) for t in trace.edits]
    assert located == [
        ("line_end", "\r\n", ()),
        ("line_end", "\r\n", ()),
        ("unwrap_line", "\r\n", (0,)),
        ("join_hyphenated_word", "-\r\n", (1,)),
    ]
    changed = [(s.start, s.end, s.edits) for s in raw_spans(trace) if s.edits]
    assert changed == [(22, 24, (0, 2)), (38, 41, (1, 3))]


def test_insertions_at_and_inside_changed_text() -> None:
    raw = "ab"
    record = Record("000_0000000000000000", 0, raw)
    record = record.with_changes("one_v1", [Change(1, 1, "XY", "insert"), Change(2, 2, "!", "end")])
    record = record.with_changes("two_v1", [Change(2, 2, "-", "inside")])  # between X and Y
    trace = trace_edits(raw, record.provenance)
    assert trace.text == "aX-Yb!"
    assert [(t.raw_start, t.raw_end) for t in trace.edits] == [(1, 1), (2, 2), (1, 1)]
    assert_exact(raw, record.provenance, trace)


@pytest.mark.parametrize("seed_id", sorted(p.stem for p in (REPO / "seeds").glob("*.txt")))
def test_real_pipeline_on_real_seeds(seed_id: str) -> None:
    seeds, _ = discover_seeds(REPO / "seeds")
    records, _, _ = readable_seed_records([s for s in seeds if s.id == seed_id])
    (seed,) = records
    for record in clean_seed(seed, load_rules()).records:
        assert_exact(seed.text, record.provenance, trace_edits(seed.text, record.provenance))
