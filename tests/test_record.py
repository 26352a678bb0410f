"""Changes, edits and replay: the mechanism every step's provenance rests on."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curation.record import Change, OverlappingChanges, Record, apply_changes, replay


def test_apply_changes_in_input_offsets() -> None:
    text = "one two three"
    changes = [Change(8, 13, "3", "digits"), Change(0, 3, "1", "digits"), Change(7, 7, "!", "mark")]
    assert apply_changes(text, changes) == "1 two! 3"


@pytest.mark.parametrize(
    "changes",
    [
        [Change(0, 5, "", "a"), Change(3, 6, "", "b")],  # overlap
        [Change(4, 2, "", "a")],  # backwards
        [Change(0, 99, "", "a")],  # past the end
    ],
)
def test_bad_changes_are_refused(changes: list[Change]) -> None:
    with pytest.raises(OverlappingChanges):
        apply_changes("0123456789", changes)


def test_provenance_replays_across_steps_and_passes() -> None:
    record = Record("000_0000000000000000", 0, "a  b\r\nc")
    record = record.with_changes("s_v1/one", [Change(1, 3, " ", "spaces")])
    record = record.with_changes("s_v1/two", [Change(3, 5, "\n", "crlf")])
    record = record.with_changes("t_v1", [Change(0, 1, "A", "upper"), Change(4, 5, "C", "upper")])
    assert record.text == "A b\nC"
    assert replay("a  b\r\nc", record.provenance) == record.text
    assert [(e.rule, e.before, e.after) for e in record.provenance] == [
        ("spaces", "  ", " "),
        ("crlf", "\r\n", "\n"),
        ("upper", "a", "A"),
        ("upper", "c", "C"),
    ]


def test_no_changes_no_provenance() -> None:
    record = Record("000_0000000000000000", 0, "same")
    assert record.with_changes("s_v1", []) is record


@given(st.text(max_size=40), st.data())
def test_apply_changes_matches_manual_splice(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    replacement = data.draw(st.text(max_size=5))
    assert apply_changes(text, [Change(start, end, replacement, "r")]) == (
        text[:start] + replacement + text[end:]
    )
