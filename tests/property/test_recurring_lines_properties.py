"""strip_recurring_lines properties: on any texts the pass is total, only removes whole
lines, its edits replay, it is idempotent, and batching does not change it."""

from __future__ import annotations

import functools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curation.corpus import StripRecurringLines
from curation.corpus.recurring_lines import STEP_ID
from curation.pipeline import StepReport
from curation.record import Record, replay
from curation.rules import RuleSet, load_rules

pytestmark = pytest.mark.property


@functools.cache
def rules() -> RuleSet:
    return load_rules()


def new_pass() -> StripRecurringLines:
    return StripRecurringLines(rules()["recurring_lines"], rules()["boilerplate"])


# Texts made of a few lines, so that lines recur across seeds; any characters in them
# (line and paragraph separators, lone surrogates, controls, CJK, right-to-left).
LINES = st.sampled_from(
    ["Home | News", "© 2024 Site", "首页 | 新闻", "جميع الحقوق محفوظة", "", " ", "\r", "\u2028"]
) | st.text(max_size=12)
TEXTS = st.lists(LINES, max_size=6).map("\n".join)
PAGES = st.lists(
    st.tuples(
        TEXTS,
        st.sampled_from(["https://a.test/", "https://b.test/", None]),
        st.sampled_from(["Site", None]),
    ),
    max_size=8,
)


LINE_ENDS = "\n\r\x0b\x0c\x85\u2028\u2029"


def records(pages: list[tuple[str, str | None, str | None]]) -> list[Record]:
    return [
        Record(
            f"{n:03d}_{n:016x}",
            0,
            text,
            declared={"url": None if url is None else f"{url}{n}", "source": source},
        )
        for n, (text, url, source) in enumerate(pages)
    ]


def run(batch: list[Record], size: int) -> tuple[list[Record], StepReport]:
    chrome, report = new_pass(), StepReport(STEP_ID, "")
    batches = [batch[i : i + size] for i in range(0, len(batch), size)]
    chrome.count_corpus(batches)
    return [r for b in batches for r in chrome.process(b, report)], report


@given(PAGES, st.integers(1, 4))
def test_total_whole_lines_replay_idempotent_and_batch_free(
    pages: list[tuple[str, str | None, str | None]], size: int
) -> None:
    batch = records(pages)
    out, report = run(batch, size)
    assert (out, report) == run(batch, len(batch) or 1)
    by_id = {r.id: r for r in batch}
    for stripped in out:
        raw = by_id[stripped.id]
        assert replay(raw.text, stripped.provenance) == stripped.text
        assert stripped.text.strip()
        for edit in stripped.provenance:
            assert edit.after == ""
            # A removal starts at a line's edge: whole lines only.
            assert (
                edit.start == 0
                or raw.text[edit.start - 1] in LINE_ENDS
                or raw.text[edit.start] in LINE_ENDS
            )
    dropped = len(batch) - len(out)
    assert sum(report.drops.values()) == dropped
    chrome = new_pass()
    chrome.count_corpus([batch])
    assert chrome.process(out, StepReport(STEP_ID, "")) == out
