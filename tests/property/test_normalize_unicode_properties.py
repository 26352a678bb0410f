"""normalize_unicode honours the step contract on arbitrary text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curation.record import Record, replay
from curation.rules import load_rules
from curation.steps import normalize_unicode

RULES = load_rules()
pieces = st.sampled_from(
    [
        "\r\n",
        "\n",
        "\n\n\n",
        " ",
        "  ",
        "\u00a0",
        "\u3000",
        "\t",
        "\u200b",
        "Ã¶",
        "e\u0301",
        "中文",
        "Эра",
        "\x07",
        "a",
    ]
)
texts = st.one_of(st.text(), st.lists(pieces, max_size=30).map("".join))


def run(text: str) -> Record:
    (record,) = normalize_unicode.STEP.run(Record("000_0000000000000000", 0, text), RULES)
    return record


@pytest.mark.property
@given(texts)
def test_total_idempotent_and_replayable(text: str) -> None:
    once = run(text)
    assert run(once.text).text == once.text
    assert replay(text, once.provenance) == once.text
