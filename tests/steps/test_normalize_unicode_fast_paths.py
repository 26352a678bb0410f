"""normalize_unicode's fast paths give the records of the code they replaced at 5d5e1a3
(``tests/oracles_unicode.py``): ftfy is not asked again about a line it left as it was,
and a text with nothing the spacing rules could change is not searched.

Hypothesis checks the same on generated text:
``tests/property/test_normalize_unicode_properties.py``.
"""

from __future__ import annotations

import re
import sys

import pytest

from curation.record import Record
from curation.rules import load_rules
from curation.steps import normalize_unicode
from tests import oracles_unicode
from tests.steps.test_fast_paths import real_texts

RULES = load_rules()

# Mojibake of several encodings, lines met twice and lines a later pass changes (a
# no-break space between two mojibake bytes, trailing spaces, a soft hyphen at a line
# end), whitespace at the edges and between lines in every arrangement.
HANDMADE = [
    "SchÃ¶n\nSchÃ¶n\n",
    "CafÃ©  au lait\nCafÃ©  au lait \n\n\n\nâ€œquotedâ€\u009d\n",
    "Ð¿Ñ€Ð¸Ð²ÐµÑ‚\u00a0Ð¼Ð¸Ñ€\n\nР’Р°С€Р° РїРѕС‡С‚Р°\n",
    "Ã\u00a0 la carte\nÃ la carte\n",
    "raz\u00adlich\u00ad\nnyh Ã¶\r\nline\u2028end\x0bÃ©",
    "\n\n  lead\n \n\ttab\t\n\n\n trail  \n",
    "a\n\nb",
    "a\n\n\nb",
    " a",
    "a ",
    "\u3000中文，Ã¶\u3000",
    "x\u200by\u202ez\x07",
    "\ud83d\ude00 \ud83d",
    "\x1b[31mred\x1b[0m Ã©",
    "",
    "\n",
    " ",
]


def _record(text: str) -> Record:
    return Record("000_0000000000000000", 0, text)


def _assert_as_before(text: str) -> None:
    (new,) = normalize_unicode.STEP.run(_record(text), RULES)
    (old,) = oracles_unicode.run(_record(text), RULES)
    assert new == old, text


@pytest.mark.parametrize("text", HANDMADE)
def test_as_before_on_handmade_text(text: str) -> None:
    _assert_as_before(text)


def test_as_before_on_real_text() -> None:
    for text in real_texts():
        # As the seed came, and with mojibake on every line (every line given to ftfy).
        _assert_as_before(text)
        _assert_as_before(text.encode("utf-8").decode("latin-1") + "\n")


def test_spacing_as_before_where_the_search_is_skipped() -> None:
    texts = [*HANDMADE, *real_texts()]
    texts += [normalize_unicode.STEP.run(_record(text), RULES)[0].text for text in texts]
    skipped = 0
    for text in texts:
        for part in (text, *text.split("\n\n")):
            expected = oracles_unicode.spacing_changes(part)
            assert normalize_unicode.spacing_changes(part) == expected, part
            if not normalize_unicode._may_respace(part):
                assert expected == []
                skipped += 1
    assert skipped > 50  # the skip is taken: the comparison covers it


def test_python_whitespace_is_isspace() -> None:
    """_may_respace reads the spacing rules' ``\\s`` at the text's edges as str.isspace."""
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    matched = {m.start() for m in re.finditer(r"\s", everything)}
    assert matched == {code for code, ch in enumerate(everything) if ch.isspace()}


def test_ftfy_is_asked_once_about_a_line_it_leaves_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    fix = normalize_unicode.ftfy.fix_and_explain

    def counting(line: str, config: object) -> object:
        asked.append(line)
        return fix(line, config=config)

    monkeypatch.setattr(normalize_unicode.ftfy, "fix_and_explain", counting)
    # Two rounds (the last line break goes). "Привет" and "Café" have characters ftfy's
    # detector looks for, and it leaves them alone: asked once, in the first round.
    # "CafÃ©" is fixed in the first round; the second asks about the fixed line.
    (record,) = normalize_unicode.STEP.run(_record("Привет\nПривет\nCafÃ©\n"), RULES)
    assert record.text == "Привет\nПривет\nCafé"
    assert asked == ["Привет", "CafÃ©", "Café"]
