"""normalize_unicode honours the step contract on arbitrary text."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from curation.record import Record, replay
from curation.rules import load_rules
from curation.steps import normalize_unicode
from tests import oracles_unicode

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


# Lines in many scripts, with mojibake of several encodings and the characters ftfy's
# other enabled fixes act on (C1 controls, surrogates, terminal escapes).
line_pieces = st.sampled_from(
    [
        "Ã¶",
        "Ã©",
        "â€™",
        "Р’Р°",
        "Ð¿Ñ€Ð¸",
        "Â ",
        "\x85",
        "\x9d",
        "\ud83d",
        "\x1b[31m",
        "Schön",
        "Эра",
        "中文，",
        "ă ș ț",
        "ΑΒΓ",
        "═══",
        "a b",
        # Pieces of the detector's longer sequences and single characters of it, so
        # that matches straddle the windows it is searched in (looks_like_mojibake).
        "ГўВЂВ",
        "вЂ",
        "β€",
        "ā€",
        "‚Ä",
        "Ã",
        "Â",
        "Ø",
        "¬",
        "×",
        "²",
        "°",
        "µ",
        "Œ",
        "à",
        "√",
        "«",
        "”",
        "В",
        " ",
        "x",
    ]
)


@pytest.mark.property
@given(line=st.one_of(st.text(), st.lists(line_pieces, max_size=12).map("".join)))
def test_lines_without_ftfy_suspects_are_left_alone_by_ftfy(line: str) -> None:
    """The pre-check skips only lines ftfy would return unchanged, with nothing to explain,
    and its detector, searched near the suspects only, answers as on the whole line."""
    assert normalize_unicode.looks_like_mojibake(line) == normalize_unicode.ftfy.badness.is_bad(
        line
    )
    if not normalize_unicode.ftfy_may_change(line):
        fixed, explanation = normalize_unicode.ftfy.fix_and_explain(
            line, config=normalize_unicode.FTFY_CONFIG
        )
        assert (fixed, explanation) == (line, [])


def test_ftfy_precheck_skips_plain_lines_and_keeps_mojibake() -> None:
    may_change = normalize_unicode.ftfy_may_change
    assert not may_change("中文新闻，数字经济。")
    assert not may_change("Plain English (2024): 'quotes' - and tabs\t.")
    assert not may_change("«Вода» — это жизнь. Гора, Рыба.")
    assert may_change("SchÃ¶n")
    assert may_change("Ð¿Ñ€Ð¸Ð²ÐµÑ‚")
    assert may_change("Р’Р°С€Р° РїРѕС‡С‚Р°")


# Pieces that make the spacing rules' edge cases: whitespace of every kind at the edges,
# line breaks in runs of one to three, spaces beside them, and mojibake lines met twice.
spacing_pieces = st.sampled_from(
    ["\n", "\n\n", "\n\n\n", " ", "  ", "\t", "\r", "\u00a0", "\u2028", "a", "Эра", "Ã©", "Café"]
)
spaced_texts = st.one_of(st.text(), st.lists(spacing_pieces, max_size=30).map("".join))


@pytest.mark.property
@given(spaced_texts)
# Each thing the spacing rules change, alone in a text.
@example("a\n\n\nb")
@example("a  b")
@example("a \nb")
@example("a\n b")
@example("\ta")
@example("a\u2028")
def test_fast_paths_give_the_records_of_the_code_they_replaced(text: str) -> None:
    """ftfy asked once a line and the spacing search skipped: the same record as at 5d5e1a3."""
    assert normalize_unicode.spacing_changes(text) == oracles_unicode.spacing_changes(text)
    if not normalize_unicode._may_respace(text):
        assert oracles_unicode.spacing_changes(text) == []
    record = Record("000_0000000000000000", 0, text)
    assert run(text) == oracles_unicode.run(record, RULES)[0]
