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
    # Two rounds (the last line break goes). ftfy's detector finds "¬¬" (two of its
    # "bad" characters in a row) and ftfy leaves it alone: asked once, in the first
    # round; "Привет" has nothing it could change, and is never asked about. "CafÃ©" is
    # fixed in the first round; the second asks about the fixed line only if the
    # detector finds something there ("Café": nothing).
    (record,) = normalize_unicode.STEP.run(_record("Привет ¬¬\nПривет ¬¬\nCafÃ©\n"), RULES)
    assert record.text == "Привет ¬¬\nПривет ¬¬\nCafé"
    assert asked == ["Привет ¬¬", "CafÃ©"]


# Mojibake as it is made: text of several scripts written in UTF-8 and read in another
# encoding (some of them twice), and text that only looks like it.
_SOURCES = [
    "Schön, Café, naïve, façade, Ångström, Œuvre, æsthetic",
    "Guvernul a aprobat ieri investițiile: „ÎNCHIS” și Ăsta",
    "«Вода» — это жизнь. Ёлка, Гора, Рыба, Сом, № 5, 10 °C",
    "Ελληνικά: Βουλή, Γράμμα, Ξένος, Όμηρος – «καλημέρα»",
    "中文新闻：数字经济，“引号”……（括号）",
    "العربية: مرحبا بالعالم، ١٢٣",
    "हिन्दी समाचार: भारत",
    "Lietuvių kalba: ąčęėįšųūž, Łódź, Český Krumlov",
    "€ 5, £ 3, ¥ 7, © 2024 ™, 1½ × 2², ±0.5‰, ¿Qué? ¡Sí!",
    "╔═══╗ │box│ ╚═══╝ ░▒▓ ≈ ≤ ≥ √ ∞",
]
_ENCODINGS = ["latin-1", "cp1252", "cp1251", "cp1253", "cp1257", "mac_roman", "cp437", "cp850"]


def _mojibake_lines() -> list[str]:
    lines: list[str] = []
    for source in _SOURCES:
        lines.append(source)
        for encoding in _ENCODINGS:
            once = source.encode("utf-8").decode(encoding, "replace")
            lines.append(once)
            lines.append(once.encode("utf-8").decode(encoding, "replace"))
            # Mojibake amid clean text, at a line's start and end, and cut in two.
            lines.append(f"{source} {once[:7]}")
            lines.append(once[3:11] + source)
            lines.append(once[: len(once) // 2])
    return lines


def test_mojibake_detector_near_suspects_is_ftfys() -> None:
    """looks_like_mojibake searches only windows around rare characters: it must find
    what ftfy's own detector finds on the whole line, in every script."""
    is_bad = normalize_unicode.ftfy.badness.is_bad
    lines = _mojibake_lines()
    lines += [line for text in real_texts() for line in text.split("\n")]
    found = 0
    for line in lines:
        assert normalize_unicode.looks_like_mojibake(line) == is_bad(line), line
        found += is_bad(line)
    assert 100 < found < len(lines) - 1000  # both answers are well covered


def test_lines_skipped_are_left_alone_by_ftfy() -> None:
    lines = [*_mojibake_lines(), "a\x1b[31mb", "\ud83d\ude00", "x\x85y", "¬¬"]
    skipped = 0
    for line in lines:
        answer = normalize_unicode.ftfy.fix_and_explain(line, config=normalize_unicode.FTFY_CONFIG)
        if not normalize_unicode.ftfy_may_change(line):
            assert answer == (line, []), line
            skipped += 1
        elif answer.text != line:
            assert normalize_unicode.ftfy_may_change(line)
    assert skipped > 20


def test_the_suspects_leave_out_common_letters() -> None:
    """The windows are only cheaper when the suspects are rare in clean text."""
    assert normalize_unicode._SUSPECTS is not None  # ftfy's detector as expected
    suspects, width = normalize_unicode._SUSPECTS
    assert width == 7  # "ГўВЂВ.[A-Za-z ]"
    for clean in ("Привет, как дела", "în anul viitor, această", "Schön naïve café"):
        assert suspects.search(clean) is None, clean
