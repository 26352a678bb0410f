"""Check the hand-written golden files (tests/golden/) against the raw seeds.

The golden files are the expected output of the whole pipeline on seeds/*.txt. They
were written by reading the raw seeds, not by running the pipeline, and these tests
need no pipeline either: they hold the golden files to the raw seeds' own content
and to the edits listed in tests/golden/README.md, so the golden files cannot drift
(a lost character at a join point, an undocumented edit, a metadata value that the
raw text does not support) without a test failing.

The tables below restate README.md as data. They name seeds and exact sentences on
purpose: these tests are about these five seeds, unlike the step tests.
"""

from __future__ import annotations

import datetime
import itertools
import json
import re
import unicodedata
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT / "seeds"
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
RECORD_SCHEMA = ROOT / "schema" / "record.schema.json"

GOLDEN_IDS = (
    "000_1d9f1a65aeae1940-0",
    "001_5039b5492d75b5b7-0",
    "002_ddf420c53e7c56f6-0",
    "002_ddf420c53e7c56f6-1",
    "003_5410e24f9165d44f-0",
    "004_b57d5ccfbe06e458-0",
)
SEED_IDS = tuple(sorted({rid.rsplit("-", 1)[0] for rid in GOLDEN_IDS}))
JSON_KEYS = {
    "id",
    "seed_id",
    "part",
    "title",
    "source",
    "date",
    "time",
    "language",
    "url",
    "license",
}
PARAGRAPH_COUNTS = {
    "000_1d9f1a65aeae1940-0": 3,
    "001_5039b5492d75b5b7-0": 10,
    "002_ddf420c53e7c56f6-0": 1,
    "002_ddf420c53e7c56f6-1": 1,
    "003_5410e24f9165d44f-0": 3,
    "004_b57d5ccfbe06e458-0": 7,
}

TITLE_002_0 = "协同推进硬联通、软联通、心联通 打造数字合作的“上合样板”(专题深思)"
TITLE_002_1 = "数字丝绸之路对合作共赢的价值"
TITLE_003 = (
    "China-Russia comprehensive strategic partnership of coordination for a new era"
    " boasts strong momentum and broad prospects"
)
REPEAT_000 = (
    "В целях продвижения всеобъемлющего стратегического партнерства и расширения"
    " всестороннего практического сотрудничества между Китаем и Россией в новую эпоху"
    " Китай и Россия соответственно запустили собственную стратегию «цифровой дипломатии»"
    " и создали «инструментарий» цифровой дипломатии, чтобы использовать возможности"
    " развития и международного дискурса в цифровую эпоху."
)

# Every fragment of raw text that is in no golden text: (before, after) pairs, in the
# raw's wording with the raw's spaces; after is "" for a whole fragment removed (or
# moved into a metadata field). Applied to the space-free raw, each must match once.
REMOVED = {
    "000_1d9f1a65aeae1940": [(REPEAT_000, "")],
    "001_5039b5492d75b5b7": [("date 2020-12-20", "")],
    "002_ddf420c53e7c56f6": [
        ("跨境光缆", ""),
        ("Search documents", ""),
        (TITLE_002_0, ""),
        ("Ren Min Ri Bao\N{MIDDLE DOT} 2025-11-10 22:48", ""),
        ("(文章来源:人民日报)", ""),
        ("习近平主席在上海合作组织成员国元首理事会第二十五次会议上的重 ...", ""),
        (TITLE_002_1, ""),
        ("Jing Ji Ri Bao\N{MIDDLE DOT} 2025-10-23 21:46", ""),
    ],
    "003_5410e24f9165d44f": [
        (TITLE_003, ""),
        ("(People's Daily Online) 17:37, October 22, 2021", ""),
        ("China, Pakistan strive to build a community with a shared future for mankind", ""),
        ("(Web editor: Hongyu, Bianji)", ""),
        ("Related Stories", ""),
    ],
    "004_b57d5ccfbe06e458": [
        ("global. .Toate", "global. Toate"),
        ("Ora postării: Iul-16-2022", ""),
    ],
}

# Edits inside paragraphs, as (raw wording, golden wording). Each golden wording occurs
# exactly once in its record's text and the raw wording not at all; undoing them must
# give back a run of the unwrapped raw text.
EDITS = {
    "002_ddf420c53e7c56f6-0": [
        ("是深化数 字合作", "是深化数字合作"),
        ("心联通 提供精神", "心联通提供精神"),
        ("民意基础, 增进", "民意基础,增进"),
        ("促进民心 相通", "促进民心相通"),
        ("国家的手 中", "国家的手中"),
        ("惠及民生, 提出", "惠及民生,提出"),
        ("在上海合 作组织", "在上海合作组织"),
        ('"小而 美"', '"小而美"'),
        ("我们要把数 字合作", "我们要把数字合作"),
    ],
    "004_b57d5ccfbe06e458-0": [
        ("global.”Pe", "global.” Pe"),
        ("cibernetic.Dezvoltați", "cibernetic. Dezvoltați"),
        ("umană.Pe", "umană. Pe"),
        ("suprapuse.Comunitatea", "suprapuse. Comunitatea"),
        ("internetului.Numai", "internetului. Numai"),
        ("dezvoltare.Înființarea", "dezvoltare. Înființarea"),
        ("internetului.Reuniunea", "internetului. Reuniunea"),
        ("omenirii.Comunitatea", "omenirii. Comunitatea"),
        ("global. .Toate", "global. Toate"),
        ("ciberspațial.Este", "ciberspațial. Este"),
        ("cibernetic;să", "cibernetic; să"),
        ("rezonabil;trebuie", "rezonabil; trebuie"),
        ("umane.Civilizația", "umane. Civilizația"),
        ("tendințe.În", "tendințe. În"),
        ("vremurile.Să", "vremurile. Să"),
    ],
}

# The 002 wrap spaces: 0-based columns in raw line 5 (README, table for 002-0).
WRAP_SPACES_002 = (45, 91, 137, 183, 228, 274, 320, 367, 413)

# 000: the eleven words split at a line end, as they read once joined.
HYPHENATIONS_000 = (
    "различных",
    "стратегического",
    "практического",
    "дипломатии.",
    "Китай",
    "развития",
    "дипломатической",
    "сотрудничества",
    "упорядочивается.",
    "Отечественной",
    "коммуникации",
)
# Two of them are inside the sentence removed as a repeat.
HYPHENATIONS_IN_REPEAT_000 = ("Китай", "развития")

# Text that looks like something to fix but must come out unchanged.
KEPT = {
    "000_1d9f1a65aeae1940-0": ["медиа - важный", "китайско-российской", "китайско-российского"],
    "001_5039b5492d75b5b7-0": ["$ 97.39 billion", "$ 100 billion", "COVID-19", "editor-in-chief"],
    "002_ddf420c53e7c56f6-0": ["更紧。 (作者为中国传媒大学新闻学院教授)", '"小而美"'],
    "002_ddf420c53e7c56f6-1": ["Core Viewpoint - The", "[1][2]", "[8].", "$33 trillion"],
    "003_5410e24f9165d44f-0": ["Huanqiu.com", "COVID-19", "head-of-state"],
    "004_b57d5ccfbe06e458-0": ["artificiale. inteligența", "să-l", "co-guvernarea", "„Sper"],
}

# Where each non-null metadata value comes from: (field, 1-based raw line, raw fragment).
METADATA_SOURCES = {
    "000_1d9f1a65aeae1940-0": [],
    "001_5039b5492d75b5b7-0": [("date", 1, "date 2020-12-20 ")],
    "002_ddf420c53e7c56f6-0": [
        ("title", 3, TITLE_002_0),
        ("source", 4, "Ren Min Ri Bao\N{MIDDLE DOT} "),
        ("date", 4, " 2025-11-10 "),
        ("time", 4, " 22:48"),
    ],
    "002_ddf420c53e7c56f6-1": [
        ("title", 6, TITLE_002_1),
        ("source", 7, "Jing Ji Ri Bao\N{MIDDLE DOT} "),
        ("date", 7, " 2025-10-23 "),
        ("time", 7, " 21:46"),
    ],
    "003_5410e24f9165d44f-0": [
        ("title", 2, TITLE_003),
        ("source", 4, "(People's Daily Online)"),
        ("time", 4, " 17:37,"),
        ("date", 4, "October 22, 2021"),
    ],
    "004_b57d5ccfbe06e458-0": [("date", 18, "Iul-16-2022")],
}
LANGUAGES = {
    "000_1d9f1a65aeae1940-0": "ru",
    "001_5039b5492d75b5b7-0": "en",
    "002_ddf420c53e7c56f6-0": "zh",
    "002_ddf420c53e7c56f6-1": "en",
    "003_5410e24f9165d44f-0": "en",
    "004_b57d5ccfbe06e458-0": "ro",
}
# Romanian month abbreviation of the 004 footer (Iul = iulie).
ROMANIAN_MONTHS = {"Iul": 7}


def raw_text(seed_id: str) -> str:
    return (SEEDS_DIR / f"{seed_id}.txt").read_text(encoding="utf-8")


def raw_lines(seed_id: str) -> list[str]:
    return raw_text(seed_id).split("\n")


def golden_text(record_id: str) -> str:
    content = (GOLDEN_DIR / f"{record_id}.txt").read_text(encoding="utf-8")
    assert content.endswith("\n") and not content.endswith("\n\n"), record_id
    return content[:-1]


def golden_meta(record_id: str) -> dict[str, object]:
    return json.loads((GOLDEN_DIR / f"{record_id}.json").read_text(encoding="utf-8"))


def records_of(seed_id: str) -> list[str]:
    return [rid for rid in GOLDEN_IDS if rid.rsplit("-", 1)[0] == seed_id]


def without_spaces(text: str) -> str:
    """Drop all whitespace, so only the characters' order is compared."""
    return "".join(text.split())


def raw_without_spaces(text: str) -> str:
    """Like without_spaces, after joining words split by a hyphen at a line end."""
    return without_spaces(re.sub(r"-\n", "", text))


def unwrapped_blocks(seed_id: str) -> list[str]:
    """The raw seed as paragraphs: blocks between blank (or whitespace-only) lines, their
    lines stripped and joined with a space, or with nothing after a line-end hyphen."""
    blocks: list[list[str]] = [[]]
    for line in raw_lines(seed_id):
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    joined = []
    for lines in filter(None, blocks):
        text = lines[0]
        for line in lines[1:]:
            text = text[:-1] + line if text.endswith("-") else f"{text} {line}"
        joined.append(text)
    return joined


def test_golden_ids_are_the_six_records() -> None:
    txt = {p.stem for p in GOLDEN_DIR.glob("*.txt")}
    js = {p.stem for p in GOLDEN_DIR.glob("*.json")}
    assert txt == set(GOLDEN_IDS)
    assert js == set(GOLDEN_IDS)
    assert {p.stem for p in SEEDS_DIR.glob("*.txt")} == set(SEED_IDS)


@pytest.mark.parametrize("record_id", GOLDEN_IDS)
def test_text_format(record_id: str) -> None:
    text = golden_text(record_id)
    assert text == text.strip()
    assert unicodedata.is_normalized("NFC", text)
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == PARAGRAPH_COUNTS[record_id]
    for paragraph in paragraphs:
        assert paragraph, "empty paragraph (three or more newlines in a row)"
        assert "\n" not in paragraph
        assert paragraph == paragraph.strip()
        assert "  " not in paragraph
    odd = {
        f"U+{ord(c):04X}"
        for c in text
        if c not in " \n" and (c.isspace() or unicodedata.category(c) in {"Zs", "Cf", "Cc"})
    }
    assert not odd, f"characters other than ordinary spaces: {sorted(odd)}"


@pytest.mark.parametrize("record_id", GOLDEN_IDS)
def test_json_fields(record_id: str) -> None:
    path = GOLDEN_DIR / f"{record_id}.json"
    meta = golden_meta(record_id)
    assert set(meta) == JSON_KEYS
    expected_bytes = json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert path.read_text(encoding="utf-8") == expected_bytes
    seed_id, part = record_id.rsplit("-", 1)
    assert meta["id"] == record_id
    assert meta["seed_id"] == seed_id
    assert meta["part"] == int(part) and type(meta["part"]) is int
    assert meta["url"] is None and meta["license"] is None
    assert meta["language"] == LANGUAGES[record_id]
    assert re.fullmatch(r"[a-z]{2}", str(meta["language"]))
    if meta["date"] is not None:
        assert datetime.date.fromisoformat(str(meta["date"])).isoformat() == meta["date"]
    if meta["time"] is not None:
        assert re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", str(meta["time"]))
    for key in ("title", "source"):
        assert meta[key] is None or (isinstance(meta[key], str) and meta[key] == meta[key].strip())
    schema = json.loads(RECORD_SCHEMA.read_text(encoding="utf-8"))
    for key, value in meta.items():
        jsonschema.validate(value, schema["properties"][key])


@pytest.mark.parametrize("record_id", GOLDEN_IDS)
def test_metadata_values_come_from_their_raw_lines(record_id: str) -> None:
    meta = golden_meta(record_id)
    lines = raw_lines(record_id.rsplit("-", 1)[0])
    sourced = set()
    for field, line_no, fragment in METADATA_SOURCES[record_id]:
        assert fragment in lines[line_no - 1], (field, line_no)
        sourced.add(field)
        value = str(meta[field])
        if field == "date":
            printed = fragment.strip().removeprefix("date ")
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", printed):
                parsed = datetime.date.fromisoformat(printed)
            elif m := re.fullmatch(r"([A-Z][a-z]{2})-(\d{2})-(\d{4})", printed):
                parsed = datetime.date(int(m[3]), ROMANIAN_MONTHS[m[1]], int(m[2]))
            else:
                parsed = datetime.datetime.strptime(printed, "%B %d, %Y").date()
            assert value == parsed.isoformat()
        elif field == "title":
            assert value == fragment == lines[line_no - 1]
        else:
            assert value in fragment
    for field in ("title", "source", "date", "time"):
        if field not in sourced:
            assert meta[field] is None, f"{field} has no documented raw line"


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_every_raw_character_is_kept_or_documented_as_removed(seed_id: str) -> None:
    """Spaces aside, raw = golden texts (in part order) + the removals listed in README."""
    remaining = raw_without_spaces(raw_text(seed_id))
    for before, after in REMOVED[seed_id]:
        squeezed = without_spaces(before)
        assert remaining.count(squeezed) == 1, before
        remaining = remaining.replace(squeezed, without_spaces(after))
    assert remaining == "".join(without_spaces(golden_text(rid)) for rid in records_of(seed_id))


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_removed_fragments_are_absent(seed_id: str) -> None:
    for rid in records_of(seed_id):
        text = golden_text(rid)
        for before, _after in REMOVED[seed_id]:
            assert before not in text, (rid, before)


@pytest.mark.parametrize("record_id", GOLDEN_IDS)
def test_paragraphs_are_runs_of_the_unwrapped_raw(record_id: str) -> None:
    """With the documented edits undone, each paragraph (spaces included) is a run of one
    raw paragraph, so no character or space was lost or added at a join point."""
    text = golden_text(record_id)
    for raw_form, golden_form in EDITS.get(record_id, []):
        assert text.count(golden_form) == 1, golden_form
        assert raw_form not in text, raw_form
        text = text.replace(golden_form, raw_form)
    blocks = unwrapped_blocks(record_id.rsplit("-", 1)[0])
    for paragraph in text.split("\n\n"):
        assert any(paragraph in block for block in blocks), paragraph[:60]


@pytest.mark.parametrize("record_id", GOLDEN_IDS)
def test_kept_fragments_are_present(record_id: str) -> None:
    text = golden_text(record_id)
    for fragment in KEPT[record_id]:
        assert fragment in text, fragment


def test_000_dehyphenations() -> None:
    lines = raw_lines("000_1d9f1a65aeae1940")
    joined = [
        line.rsplit(" ", 1)[-1][:-1] + nxt.split(" ", 1)[0]
        for line, nxt in itertools.pairwise(lines)
        if line.endswith("-")
    ]
    assert tuple(joined) == HYPHENATIONS_000
    text = golden_text("000_1d9f1a65aeae1940-0")
    assert "-\n" not in text
    for word in HYPHENATIONS_000:
        if word in HYPHENATIONS_IN_REPEAT_000:
            assert word in REPEAT_000
        else:
            assert word in text, word
    for line in lines:
        if line.endswith("-"):
            assert line.rsplit(" ", 1)[-1] not in text.split(), line


def test_000_repeat_removed_with_its_leading_space() -> None:
    text = golden_text("000_1d9f1a65aeae1940-0")
    first = text.split("\n\n")[0]
    assert first.endswith("«инструментарий» цифровой дипломатии.")
    assert "В целях продвижения всеобъемлющего" not in text
    assert "в целях продвижения новой эры всеобъемлющего" in first


def test_002_wrap_spaces_are_at_the_regular_interval() -> None:
    line = raw_lines("002_ddf420c53e7c56f6")[4]
    kept_before = line.index(" (作者为")
    trailer = line.index(" (文章来源")
    spaces = [i for i, c in enumerate(line) if c == " "]
    assert [i for i in spaces if i < kept_before] == list(WRAP_SPACES_002)
    # The wraps are evenly spaced (45 to 47 characters apart), which is what marks
    # them as line-wrap artefacts rather than spaces the author typed.
    gaps = [b - a for a, b in itertools.pairwise((0, *WRAP_SPACES_002))]
    assert all(45 <= gap <= 47 for gap in gaps), gaps
    # Every other space is the kept one before the author note, or in the removed tail.
    assert all(i == kept_before or i >= trailer for i in spaces if i not in WRAP_SPACES_002)
    text = golden_text("002_ddf420c53e7c56f6-0")
    assert text.count(" ") == 1
    assert golden_meta("002_ddf420c53e7c56f6-0")["title"] == TITLE_002_0
    assert " 打造" in TITLE_002_0


def test_004_sentence_spacing_has_no_leftovers() -> None:
    text = golden_text("004_b57d5ccfbe06e458-0")
    # No sentence end glued to the next sentence, except the known source defect
    # "artificiale. inteligența" which has its space and is a word-order problem.
    assert not re.search(r"[a-zăâîșț][.;][A-ZĂÂÎȘȚa-zăâîșț]", text)
    assert not re.search(r"[.!?][”\"][^\s]", text)
    assert ". ." not in text
