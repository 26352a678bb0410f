"""repair_layout's "lines" pass is handed only the whitespace runs it may change (at the
document's edges, or with a line break): it changes what it changed when it was handed
every run, the space between two words included."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curation.record import Change
from curation.steps.repair_layout import line_changes

WHITESPACE_RUN = re.compile(r"\s+")


def line_changes_over_every_run(text: str) -> list[Change]:
    """The pass as it was written first: every run of whitespace looked at."""
    changes = []
    for match in WHITESPACE_RUN.finditer(text):
        run, start, end = match.group(), match.start(), match.end()
        if start == 0 or end == len(text):
            changes.append(Change(start, end, "", "strip_document_edges"))
            continue
        newlines = run.count("\n")
        if newlines == 1 and run != "\n":
            changes.append(Change(start, end, "\n", "strip_line_edges"))
        elif newlines > 1 and run != "\n\n":
            changes.append(Change(start, end, "\n\n", "collapse_blank_lines"))
    return changes


# Runs that are changed, runs that are not, and runs that only look like them: a line
# break inside a run of other whitespace, at either edge, alone, doubled; line
# separators that are whitespace but no "\n" (U+2028, U+0085, "\r", "\x1c").
NEAR_MISSES = [
    "",
    " ",
    "\n",
    "a",
    "a b",
    "a  b",
    "a\nb",
    "a\n\nb",
    "a\n\n\nb",
    "a \nb",
    "a\n b",
    "a \n \n b",
    "a\r\nb",
    "a\u2028b",
    "a\x85b",
    "a\x1cb",
    "a\N{NO-BREAK SPACE}\nb",
    " a",
    "a ",
    "\na",
    "a\n",
    "\n a b \n",
    "a\tb\t\nc\n\n\n\nd ",
    # Whitespace beside a line break that is not " " (the cheap test must see it too).
    "a\u3000\nb",
    "a\n\u3000b",
    "a\x0b\nb",
    "a\n\x0cb",
    "a\n\n\n",
    "\n\n\na",
    "a\n\n\u2028\nb",
    "\u3000a",
    "a\u3000",
]

whitespace = st.sampled_from(
    [" ", "  ", "\t", "\n", "\n\n", "\r", "\u2028", "\x85", "\x1c", "\u3000"]
)
texts = st.one_of(
    st.text(),
    st.lists(st.one_of(whitespace, st.sampled_from(["a", "bc", "数", "."])), max_size=30).map(
        "".join
    ),
)


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_misses(text: str) -> None:
    assert line_changes(text) == line_changes_over_every_run(text)


def test_str_isspace_is_re_whitespace() -> None:
    # line_changes tests the document's edges with str.isspace and its runs with re's
    # \s: they must be the same characters.
    every = "".join(map(chr, range(0x110000)))
    assert set(re.findall(r"\s", every)) == {
        character for character in every if character.isspace()
    }


def test_a_long_run_without_a_line_break_is_left_alone() -> None:
    text = "a" + " " * 200_000 + "b"
    assert line_changes(text) == []


@pytest.mark.property
@settings(max_examples=500, deadline=None)
@given(texts)
def test_the_runs_handed_over_give_the_changes_of_every_run(text: str) -> None:
    assert line_changes(text) == line_changes_over_every_run(text)
