"""extract_metadata honours the step contract on arbitrary text and on text built from
the pieces pages are made of (headlines, datelines, labelled dates, prose)."""

from __future__ import annotations

import datetime
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curation.record import Record, replay
from curation.rules import load_rules
from curation.steps import extract_metadata

RULES = load_rules()

headlines = st.sampled_from(
    [
        "Digital cooperation gathers pace",
        "协同推进硬联通、软联通、心联通",
        "Цифровое сотрудничество набирает обороты",
        "World News",
        "By Anna Petrova",
        "Ministers agree on a roadmap.",
    ]
)
dates = st.sampled_from(
    [
        "2025-11-10",
        "October 22, 2021",
        "22 октября 2021",
        "2021年10月22日",
        "Iul-16-2022",
        "Noi-3-2020",
        "03/04/2022",
        "2021-13-45",
        "Monday 45 2021",
    ]
)
times = st.sampled_from(["", " 22:48", " 5:37 pm", " 25:61"])
publishers = st.sampled_from(["Ren Min Ri Bao", "People's Daily Online", "Xinhua", "人民网", ""])
separators = st.sampled_from(["· ", " | ", " - ", " • ", " "])
datelines = st.one_of(
    st.builds(lambda p, s, d, t: f"{p}{s}{d}{t}", publishers, separators, dates, times),
    st.builds(lambda p, t, d: f"({p}){t}, {d}", publishers, times, dates),
    st.builds(
        lambda label, d: f"{label} {d}",
        st.sampled_from(["Ora postării:", "Published:", "Опубликовано", "来源：新华网", "date"]),
        dates,
    ),
)
prose = st.sampled_from(
    [
        "On October 22, 2021 the ministers met in Moscow and agreed to expand cooperation.",
        "以心联通为纽带,促进数字文明交流互鉴。",
        "Cele două părți au convenit să extindă cooperarea.”Pe 12 iulie s-au întâlnit.",
        "date 2020-12-20 Chinese and Russian digital media must strengthen cooperation.",
        "short line",
    ]
)
paragraphs = st.one_of(headlines, datelines, prose, st.text(max_size=20))
joiners = st.sampled_from(["\n\n", "\n\n", "\n\n", "\n", " ", "", "\n\n\n"])


@st.composite
def documents(draw: st.DrawFn) -> str:
    parts = draw(st.lists(paragraphs, max_size=7))
    text = ""
    for i, part in enumerate(parts):
        text += (draw(joiners) if i else "") + part
    return text


@st.composite
def records(draw: st.DrawFn, texts: st.SearchStrategy[str]) -> Record:
    sidecar = {
        "languages": draw(st.sampled_from([None, ["en"], ["ru"], ["zh", "en"], ["ro"], ["xx"]])),
        "title": draw(st.sampled_from([None, "Digital cooperation gathers pace", "Another"])),
        "source": draw(st.sampled_from([None, "Xinhua"])),
        "date": draw(st.sampled_from([None, "2021-10-22"])),
    }
    return Record(
        "000_0000000000000000",
        draw(st.sampled_from([0, 1])),
        draw(texts),
        declared=sidecar,
        title=sidecar["title"],
        source=sidecar["source"],
        date=sidecar["date"],
    )


any_records = records(st.one_of(st.text(), documents()))


def run(record: Record) -> Record:
    (out,) = extract_metadata.STEP.run(record, RULES)
    return out


def in_layout(text: str) -> bool:
    """One paragraph per line, "\\n\\n" between paragraphs, no spaces at the edges."""
    paragraphs = text.split("\n\n")
    return text == "" or all(p and p == p.strip() and "\n" not in p for p in paragraphs)


@pytest.mark.property
@settings(max_examples=150, deadline=None)
@given(any_records)
def test_total_idempotent_and_replayable(record: Record) -> None:
    once = run(record)
    assert run(once) == once
    assert replay(record.text, once.provenance) == once.text


@pytest.mark.property
@settings(max_examples=150, deadline=None)
@given(any_records)
def test_only_removes_and_keeps_the_layout(record: Record) -> None:
    once = run(record)
    # An edit removes a span, or records a line that a value was read from by
    # replacing it with itself (a wire dateline, a date line that says more).
    assert all(edit.after in ("", edit.before) for edit in once.provenance)
    if in_layout(record.text):
        assert in_layout(once.text)


@pytest.mark.property
@settings(max_examples=150, deadline=None)
@given(any_records)
def test_fields_are_well_formed_and_the_sidecar_wins(record: Record) -> None:
    once = run(record)
    if once.date is not None:
        datetime.date.fromisoformat(once.date)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", once.date)
    if once.time is not None:
        assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", once.time)
    for name in ("title", "source", "date"):
        declared = record.declared.get(name)
        if declared is not None:
            assert getattr(once, name) == declared
    for value in (once.title, once.source):
        assert value is None or (value and value == value.strip())
