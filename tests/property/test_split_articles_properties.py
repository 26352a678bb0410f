"""split_articles honours the step contract: total, idempotent, replayable, and its parts
partition the page."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curation.record import Record, replay
from curation.rules import load_rules
from curation.steps import split_articles

RULES = load_rules()

headlines = st.sampled_from(
    [
        "Digital cooperation gathers pace",
        "数字丝绸之路对合作共赢的价值",
        "Цифровое сотрудничество набирает обороты",
        "The ministers met.",
        "World News",
    ]
)
datelines = st.sampled_from(
    [
        "Ren Min Ri Bao· 2025-11-10 22:48",
        "Jing Ji Ri Bao· 2025-10-23 21:46",
        "(People's Daily Online) 17:37, October 22, 2021",
        "Xinhua | 2021-13-45",
        "22 October 2021",
        "来源：人民网 2021年10月22日 08:15",
    ]
)
bodies = st.sampled_from(
    [
        "Core Viewpoint - The construction of the Digital Silk Road is crucial [1].",
        "以心联通为纽带,促进数字文明交流互鉴。",
        "On October 22, 2021 the ministers met.",
    ]
)
blocks = st.one_of(
    st.tuples(headlines, datelines, bodies).map("\n\n".join),
    st.tuples(headlines, datelines).map("\n\n".join),
    bodies,
    st.text(max_size=20),
)
joiners = st.sampled_from(["\n\n", "\n\n", "\n\n", "\n", " ", "\n\n\n"])


@st.composite
def documents(draw: st.DrawFn) -> str:
    parts = draw(st.lists(blocks, max_size=5))
    text = ""
    for i, part in enumerate(parts):
        text += (draw(joiners) if i else "") + part
    return text


languages = st.sampled_from([None, ["en"], ["zh", "en"], ["xx"]])
records = st.builds(
    lambda text, langs: Record("000_0000000000000000", 0, text, declared={"languages": langs}),
    st.one_of(st.text(), documents()),
    languages,
)


def split(record: Record) -> tuple[Record, ...]:
    parts = split_articles.STEP.run(record, RULES)
    assert isinstance(parts, tuple)
    return parts


@pytest.mark.property
@settings(max_examples=150, deadline=None)
@given(records)
def test_total_idempotent_replayable_and_a_partition(record: Record) -> None:
    parts = split(record)
    if len(parts) == 1:
        assert parts == (record,)
        return
    assert "\n\n".join(p.text for p in parts) == record.text
    assert [p.part for p in parts] == list(range(len(parts)))
    for part in parts:
        assert replay(record.text, part.provenance) == part.text
        assert split(part) == (part,)
