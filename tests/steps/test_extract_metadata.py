"""extract_metadata: data-driven cases (tests/steps/cases/extract_metadata.json), its
rules file, determinism, and what it does to the five seeds."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from dateparser.date import DateDataParser

from curation.record import Record, replay
from curation.rules import load_rules
from curation.seeds import Seed, seed_record
from curation.steps import extract_metadata, headers, normalize_unicode, split_articles

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "cases" / "extract_metadata.json").read_text(encoding="utf-8")
)
RULES = load_rules()
COMPILED = headers.metadata_rules(RULES[headers.RULES_FILE])
SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
FIELDS = ("title", "source", "date", "time")


def case_record(case: dict[str, Any]) -> Record:
    """The record as the pipeline hands it over: fields copied from the sidecar."""
    sidecar = {"title": None, "source": None, "date": None, **case.get("sidecar", {})}
    sidecar["languages"] = case["languages"]
    return Record(
        "000_0000000000000000",
        case.get("part", 0),
        case["input"],
        declared=sidecar,
        title=sidecar["title"],
        source=sidecar["source"],
        date=sidecar["date"],
    )


def run(record: Record) -> Record:
    (out,) = extract_metadata.STEP.run(record, RULES)
    return out


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    record = run(case_record(case))
    assert record.text == case["expected"], case["comment"]
    assert {name: getattr(record, name) for name in FIELDS} == case["fields"], case["comment"]
    assert sorted(e.rule for e in record.provenance) == case["rules"]
    assert [w.code for w in record.warnings] == case["warnings"]
    assert replay(case["input"], record.provenance) == record.text
    assert run(record) == record, "not idempotent"
    if case["kind"] == "negative":
        assert record.provenance == ()
        assert record.warnings == ()


def test_every_format_has_a_case() -> None:
    """A format without a case is a format nobody has seen work."""
    fired = {rule for case in CASES for rule in case["rules"]}
    assert {fmt.rule for fmt in COMPILED.formats} | {extract_metadata.HEADLINE_RULE} <= fired


def test_cases_cover_every_kind() -> None:
    kinds = {case["kind"] for case in CASES}
    assert kinds == {"in-the-wild", "synthetic", "negative"}


def test_disagreement_names_both_values() -> None:
    case = next(c for c in CASES if c["label"] == "sidecar_disagrees")
    messages = [w.message for w in run(case_record(case)).warnings]
    assert 'source: sidecar says "TASS", text says "Xinhua"' in messages
    assert 'date: sidecar says "2023-03-02", text says "2023-03-03"' in messages
    assert any(m.startswith('time: "09:15"') and "not kept" in m for m in messages)
    assert all(w.step == extract_metadata.STEP_ID for w in run(case_record(case)).warnings)


def test_split_part_warning_says_the_sidecar_is_the_whole_seed() -> None:
    case = next(c for c in CASES if c["label"] == "split_part_sidecar_note")
    (warning,) = run(case_record(case)).warnings
    assert warning.message.endswith(extract_metadata.SPLIT_NOTE)
    whole = run(case_record({**case, "part": 0}))
    assert not whole.warnings[0].message.endswith(extract_metadata.SPLIT_NOTE)


@pytest.mark.parametrize("entry", RULES[headers.RULES_FILE].get("extra_month_names", ()))
def test_extra_month_names_are_still_unknown_to_dateparser(entry: Any) -> None:
    """When dateparser learns a name, this fails: remove the entry from metadata.toml."""
    for language in (entry["language"], None):
        parser = DateDataParser(
            languages=[language] if language else None,
            settings={"REQUIRE_PARTS": ["day", "month", "year"], "PARSERS": ["absolute-time"]},
        )
        for text in (f"{entry['name']}-16-2022", f"16 {entry['name']} 2022"):
            assert parser.get_date_data(text)["date_obj"] is None, text


@pytest.mark.parametrize(
    ("candidate", "languages", "page", "expected"),
    [
        ("Iul-16-2022", ("ro",), (), "2022-07-16"),
        # Romanian is not among the 20 most used languages: read as the page's own.
        ("Iul-16-2022", (), ("ro",), "2022-07-16"),
        ("Iul-16-2022", (), (), None),
        ("Noi-16-2022", ("ro",), (), "2022-11-16"),
        ("October 22, 2021", ("en",), (), "2021-10-22"),
        ("22 октября 2021 г.", ("ru",), (), "2021-10-22"),
        ("22 октября 2021 г.", (), (), "2021-10-22"),  # Russian is among them
        ("2025年11月10日", ("zh",), (), "2025-11-10"),
        ("03/04/2022", ("en",), (), "2022-03-04"),
        ("03/04/2022", ("de",), (), "2022-04-03"),
        ("03/04/2022", (), (), "2022-04-03"),  # no language: day first
        ("03/04/2022", (), ("en",), "2022-04-03"),  # the page's language too
        ("Foo-16-2022", ("en",), (), None),
        ("2022-02-30", ("en",), (), None),
        ("tomorrow", ("en",), (), None),
    ],
)
def test_parse_date(
    candidate: str, languages: tuple[str, ...], page: tuple[str, ...], expected: str | None
) -> None:
    assert headers.parse_date(candidate, languages, COMPILED, lambda: page) == expected


def test_the_page_language_is_asked_only_when_the_common_languages_read_no_date() -> None:
    asked: list[str] = []

    def page() -> tuple[str, ...]:
        asked.append("asked")
        return ("ro",)

    assert headers.parse_date("October 22, 2021", (), COMPILED, page) == "2021-10-22"
    assert asked == []
    assert headers.parse_date("Iul-17-2022", (), COMPILED, page) == "2022-07-17"
    assert asked == ["asked"]


@pytest.mark.parametrize(
    "candidate",
    [
        "Iul-16-2022",
        "16 Julai 2022",
        "03/04/2022",
        "22 октября 2021 г.",
        "2021年10月22日",
        "22 de octubre de 2021",
        "Zzqx 16 Blorp 2022",
        "16 Şubat 2022",
        "16. února 2022",
        "16 ஜூலை 2022",
    ],
)
@pytest.mark.parametrize("page", [(), ("ro",), ("sw",), ("ta",), ("tr",)])
def test_a_date_is_what_every_language_finds_in_the_languages_tried(
    candidate: str, page: tuple[str, ...]
) -> None:
    """The bound changes which languages are tried, never what a language tried reads:
    dateparser over all its languages, restricted to the common ones and the page's."""
    from dateparser.data import language_order

    tried = set(language_order[: COMPILED.common_languages]) | set(page)
    parser = DateDataParser(languages=sorted(tried), settings=headers._ANY_LANGUAGE_SETTINGS)
    found = parser.get_date_data(candidate)["date_obj"]
    expected = found.date().isoformat() if found is not None else None
    assert headers.parse_date(candidate, (), COMPILED, lambda: page) == expected


def test_a_string_that_is_no_date_loads_only_the_languages_tried() -> None:
    """Memory: every locale dateparser loads stays loaded (35 MiB for all 205)."""
    import subprocess
    import sys

    program = (
        "from curation.rules import load_rules\n"
        "from curation.steps import headers\n"
        "from dateparser.languages.loader import LocaleDataLoader\n"
        "rules = headers.metadata_rules(load_rules()['metadata'])\n"
        "assert headers.parse_date('Zzqx 16 Blorp 2022', (), rules, lambda: ('ta',)) is None\n"
        "print(len(LocaleDataLoader._loaded_locales))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    ).stdout
    assert int(loaded) <= COMPILED.common_languages + 1


def test_unknown_declared_language_falls_back_to_detection() -> None:
    assert headers.declared_languages({"languages": ["xx", "ro", "ro"]}) == ("ro",)
    assert headers.declared_languages({"languages": None}) == ()
    assert headers.declared_languages({}) == ()


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [("17:37", "17:37"), ("5:37 pm", "17:37"), ("12:05 a.m.", "00:05"), ("12:05 PM", "12:05"),
     ("22h48", "22:48"), ("9.30", "09:30"), ("13:00 pm", None), ("0:15 am", None)],
)  # fmt: skip
def test_parse_time(candidate: str, expected: str | None) -> None:
    assert headers.parse_time(candidate) == expected


def test_same_result_in_any_time_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dates and times are read as printed; the machine's zone and locale play no part."""

    def all_cases() -> list[Record]:
        headers._dateparser_date.cache_clear()  # or the first zone's answers are replayed
        return [run(case_record(case)) for case in CASES]

    baseline = all_cases()
    try:
        for zone in ("Pacific/Kiritimati", "America/Adak", "Asia/Kolkata"):
            monkeypatch.setenv("TZ", zone)
            monkeypatch.setenv("LC_ALL", "C")
            monkeypatch.setenv("LANG", "C")
            time.tzset()
            assert all_cases() == baseline, zone
    finally:
        monkeypatch.undo()
        time.tzset()


# ---- the five seeds -------------------------------------------------------------------

# What strip_boilerplate removes from these seeds (tests/golden/README.md lists it);
# simulated here so these tests do not depend on that step's rules.
SEED_BOILERPLATE = frozenset(
    {
        "跨境光缆",
        "Search documents",
        "China, Pakistan strive to build a community with a shared future for mankind",
        "(Web editor: Hongyu, Bianji)",
        "Related Stories",
    }
)


def as_upstream_leaves_it(record: Record) -> Record:
    """The seed as split_articles receives it, with repair_layout and strip_boilerplate
    simulated: one paragraph per line, "\\n\\n" between paragraphs, chrome removed.

    A document without blank lines has a paragraph per line (seed 002); otherwise
    blank lines separate paragraphs and the lines inside one are joined.
    """
    (record,) = normalize_unicode.STEP.run(record, RULES)
    blocks = record.text.split("\n\n")
    lines = blocks[0].split("\n") if len(blocks) == 1 else [b.replace("\n", " ") for b in blocks]
    text = "\n\n".join(line for line in lines if line not in SEED_BOILERPLATE)
    return record.replace(text=text, provenance=())


def seed_through_both_steps(seed_id: str) -> tuple[str, list[Record]]:
    text_path = SEEDS_DIR / f"{seed_id}.txt"
    sidecar = json.loads(text_path.with_suffix(".json").read_text(encoding="utf-8"))
    record = seed_record(
        Seed(seed_id, text_path, text_path.with_suffix(".json")),
        text_path.read_text(encoding="utf-8"),
        sidecar,
    )
    record = as_upstream_leaves_it(record)
    parts = split_articles.STEP.run(record, RULES)
    assert isinstance(parts, tuple)
    return record.text, [run(part) for part in parts]


TITLE_003 = (
    "China-Russia comprehensive strategic partnership of coordination for a new era"
    " boasts strong momentum and broad prospects"
)

# (seed, part): (title, source, date, time, text starts with, rules fired)
SEED_EXPECTATIONS = {
    ("000_1d9f1a65aeae1940", 0): (None, None, None, None, "Эра цифровой дипломатии", []),
    ("001_5039b5492d75b5b7", 0): (
        None, None, "2020-12-20", None, "Chinese and Russian digital media must",
        ["labelled_date_fragment"],
    ),
    ("002_ddf420c53e7c56f6", 0): (
        "协同推进硬联通、软联通、心联通 打造数字合作的“上合样板”(专题深思)",
        "Ren Min Ri Bao", "2025-11-10", "22:48", "以心联通为纽带",
        ["headline", "publisher_dateline", "split_article"],
    ),
    ("002_ddf420c53e7c56f6", 1): (
        "数字丝绸之路对合作共赢的价值", "Jing Ji Ri Bao", "2025-10-23", "21:46",
        "Core Viewpoint - The construction", ["headline", "publisher_dateline", "split_article"],
    ),
    ("003_5410e24f9165d44f", 0): (
        TITLE_003, "People's Daily Online", "2021-10-22", "17:37", "This year marks the 72nd",
        ["headline", "publisher_dateline"],
    ),
    ("004_b57d5ccfbe06e458", 0): (
        None, None, "2022-07-16", None, "„Sper ca Conferința Mondială", ["labelled_date"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("seed_id", sorted({seed for seed, _ in SEED_EXPECTATIONS}))
def test_seed(seed_id: str) -> None:
    parent_text, records = seed_through_both_steps(seed_id)
    expected_parts = sorted(part for seed, part in SEED_EXPECTATIONS if seed == seed_id)
    assert [r.part for r in records] == expected_parts
    for record in records:
        title, source, date, time_, start, rules = SEED_EXPECTATIONS[(seed_id, record.part)]
        assert (record.title, record.source, record.date, record.time) == (
            title,
            source,
            date,
            time_,
        )
        assert record.text.startswith(start)
        assert sorted({e.rule for e in record.provenance}) == rules
        # Every value agrees with the sidecar where it states one: no warnings.
        assert record.warnings == ()
        assert replay(parent_text, record.provenance) == record.text
        # The header is out of the text: neither the title nor the date line is left.
        for value in (title, source):
            if value is not None:
                assert value not in record.text
        assert "\n\n\n" not in record.text
        assert record.text == record.text.strip()


def test_seed_004_footer_removed_text_otherwise_kept() -> None:
    parent_text, (record,) = seed_through_both_steps("004_b57d5ccfbe06e458")
    assert "Ora postării" not in record.text
    assert parent_text.startswith(record.text)
    assert parent_text[len(record.text) :] == "\n\nOra postării: Iul-16-2022"


@pytest.mark.parametrize(
    ("label", "author"),
    [("byline_first", "Anna Petrova and Li Wei"), ("sidecar_disagrees", None)],
)
def test_byline_names_go_to_the_author_field(label: str, author: str | None) -> None:
    case = next(c for c in CASES if c["label"] == label)
    assert run(case_record(case)).author == author


# --- pages with chrome: the zones around the body (issue 11) ---------------------

PROSE_EN = (
    "The two sides agreed to expand cooperation in digital trade, cross-border data and "
    "satellite navigation over the next five years."
)
PROSE_RU = (
    "Стороны договорились расширить сотрудничество в области цифровой торговли и "
    "спутниковой навигации в ближайшие пять лет, сообщили в министерстве."
)
PROSE_ZH = "双方同意在未来五年内扩大在数字贸易、跨境数据和卫星导航领域的合作，并将定期评估进展。"
PROSE_AR = (
    "اتفق الجانبان على توسيع التعاون في مجال التجارة الرقمية والملاحة عبر الأقمار الصناعية "
    "خلال السنوات الخمس المقبلة وفق ما أعلنته الوزارة."
)


@pytest.mark.parametrize(
    ("line", "languages", "expected"),
    [
        ("Stand: 28.03.2024 14:35 Uhr", ("de",), [("updated", "2024-03-28", "14:35")]),
        ("14 марта 2024, 15:20", ("ru",), [("plain", "2024-03-14", "15:20")]),
        ("Publié le 23/06/2015 à 14H30", ("fr",), [("published", "2015-06-23", "14:30")]),
        (
            "Written on March 3, 2015 | Updated March 5, 2015",
            ("en",),
            [("plain", "2015-03-03", None), ("updated", "2015-03-05", None)],
        ),
        ("2018年6月18日 10:01　発信地：カノ", ("ja",), [("plain", "2018-06-18", "10:01")]),
        ("تاريخ النشر: 22 أكتوبر 2021", ("ar",), [("published", "2021-10-22", None)]),
        ("9:22 PM EST, Mon November 6, 2023", ("en",), [("plain", "2023-11-06", "21:22")]),
        # A dot that belongs to the date or the time ends no sentence: after the year
        # (Croatian, Serbian), after the day of a year-first date (Hungarian), in a
        # word for "year" (Russian, Ukrainian), in a 12-hour time.
        ("Objavljeno: 11. 3. 2017.", ("hr",), [("plain", "2017-03-11", None)]),
        ("2017. március 11.", ("hu",), [("plain", "2017-03-11", None)]),
        ("11 марта 2017 г.", ("ru",), [("plain", "2017-03-11", None)]),
        ("Опубліковано 11 березня 2017 р.", ("uk",), [("published", "2017-03-11", None)]),
        ("March 3, 2015, 10:20 a.m.", ("en",), [("plain", "2015-03-03", "10:20")]),
        ("Publikováno 11. 3. 2017 14:05", ("cs",), [("plain", "2017-03-11", "14:05")]),
        # The time after a short word for "at", whatever the language; not after a
        # longer word (a weekday).
        ("Lördag 11 mars 2017 kl. 10.20", ("sv",), [("plain", "2017-03-11", "10:20")]),
        ("Ажурирано: 11.03.2017. у 10:20", ("sr",), [("plain", "2017-03-11", "10:20")]),
        ("Posodobljeno: 11. 03. 2017 ob 10.20", ("sl",), [("plain", "2017-03-11", "10:20")]),
        ("11 Mart 2017 Cumartesi 10:20", ("tr",), [("plain", "2017-03-11", None)]),
        # Near-misses: a sentence that mentions a date, a long remark around one, a
        # sentence that ends right after a date (its full stop is not the date's).
        ("On March 3, 2015 the ministers met in Geneva.", ("en",), []),
        ("The ministers met on 3 March 2015.", ("en",), []),
        ("Rođen je 11. 3. 2017. u Zagrebu, a danas živi u Splitu.", ("hr",), []),
        ("3 марта 2015 года министры встретились в Женеве и подписали договор", ("ru",), []),
        ("Nolan22 Dec 2016651", ("en",), []),
    ],
)
def test_read_date_line(
    line: str, languages: tuple[str, ...], expected: list[tuple[str, str, str | None]]
) -> None:
    found = headers.read_date_line(line, languages, COMPILED)
    assert [(d.kind, d.date, d.time) for d in found] == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Copyright © 2015 Heise Medien", ("Heise Medien", True)),
        ("© Le Quotidien 2024. Tous droits réservés.", ("Le Quotidien", True)),
        (
            "Copyright © 2024 Portal Notícias. Todos os direitos reservados.",
            ("Portal Notícias", True),
        ),
        ("© 2003 - 2017 PIXNET Travel", ("PIXNET Travel", True)),
        ("版权所有 © 2017 新华网", ("新华网", True)),
        ("Все права защищены © 2024 Коммерсантъ", ("Коммерсантъ", True)),
        ("Home | About © 2019 The Daily Planet | Contact", ("The Daily Planet", False)),
        # The name before the sign, only years and rights after it.
        ("Royal Road® © 2024", ("Royal Road", True)),
        ("topicseed, 2018-2019 © All rights reserved", ("topicseed", True)),
        ("Интерфакс © 1991-2024", ("Интерфакс", True)),
        # Near-miss: a credit in a sentence.
        ("The photo is © the author and may not be reused.", None),
        # Near-miss: words before a credit are a caption, not a name.
        ("The ministers met in Geneva on Friday 2024 ©", None),
    ],
)
def test_read_copyright(line: str, expected: tuple[str, bool] | None) -> None:
    assert headers.read_copyright(line, COMPILED, name_before=True) == expected


def test_name_before_the_sign_is_read_only_when_asked() -> None:
    # "All rights reserved © 2024" where the rights words are not in the rules file
    # has the shape of "Name © 2024": a footer does not take it as the outlet alone.
    assert headers.read_copyright("Royal Road® © 2024", COMPILED) is None
    assert headers.read_copyright("Royal Road® © 2024", COMPILED, name_before=True)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # A notice followed by another sentence: the name is read, the line is not pure.
        (
            "topicseed, 2018-2019 © All rights reserved. Operated by TOPICSEED LIMITED.",
            ("topicseed", False),
        ),
        ("Коммерсантъ © 2024 Все права защищены. Перепечатка запрещена.", ("Коммерсантъ", False)),
        ("新华网 © 2024 版权所有。未经许可不得转载", ("新华网", False)),
        ("الجزيرة © 2024 جميع الحقوق محفوظة. شروط الاستخدام", ("الجزيرة", False)),
        # The notice alone stays pure.
        ("topicseed, 2018-2019 © All rights reserved.", ("topicseed", True)),
        # Near-miss: no rights words, a sentence after the sign: no notice.
        ("Photo by Jane © 2019. Operated by X Ltd.", None),
    ],
)
def test_name_before_the_sign_and_sentences_after_the_notice(
    line: str, expected: tuple[str, bool] | None
) -> None:
    assert headers.read_copyright(line, COMPILED, name_before=True) == expected


@pytest.mark.parametrize(
    ("paragraph", "agency"),
    [
        ("WASHINGTON (Reuters) - The Senate voted on Tuesday to pass the bill.", "Reuters"),
        ("LONDON, March 3 (AP) — Prices rose again in February, figures showed.", "AP"),
        ("(AFP) - Les prix ont encore augmenté en février, selon les chiffres.", "AFP"),
        ("МОСКВА, 14 марта. /ТАСС/. Пассажиропоток вырос на 5 %.", "ТАСС"),
        ("МОСКВА, 14 мар — РИА Новости. Банк России может начать снижать ставку.", "РИА Новости"),
        ("القاهرة (رويترز) - ارتفعت الأسعار مجددا في فبراير.", "رويترز"),
        # Near-misses: a place that is not in capitals, a bracket in prose.
        ("Washington (state) - a region of forests and rivers.", None),
        ("The ministers (all of them) - and their staff - met on Friday.", None),
    ],
)
def test_read_wire_credit(paragraph: str, agency: str | None) -> None:
    found = headers.read_wire_credit(paragraph, COMPILED)
    assert (found[0] if found else None) == agency
    if found is not None:
        assert found[0] in paragraph[found[1] : found[2]]


def _page(*lines: str) -> str:
    return "\n\n".join(lines)


@pytest.mark.parametrize(
    ("text", "languages", "fields", "kept", "gone"),
    [
        (  # Latin: navigation, headline, share buttons, byline + date, body, footer.
            _page(
                "Home",
                "World",
                "Business",
                "Ministers agree on a digital trade roadmap",
                "Share",
                "Tweet",
                "By Jane Doe",
                "March 14, 2024 at 10:32 am",
                PROSE_EN,
                PROSE_EN,
                "Related stories",
                "© 2024 The Daily Planet",
            ),
            ("en",),
            {
                "title": "Ministers agree on a digital trade roadmap",
                "source": "The Daily Planet",
                "date": "2024-03-14",
                "time": "10:32",
            },
            ["Home", "Share", PROSE_EN, "Related stories"],
            ["By Jane Doe", "March 14, 2024", "© 2024"],
        ),
        (  # Cyrillic: a label on one line, its value on the next; a wire dateline kept.
            _page(
                "Главная / Экономика",
                "Стороны расширят цифровое сотрудничество",
                "Источник:",
                "Интерфакс",
                "14 марта 2024, 15:20",
                "МОСКВА, 14 марта. /ТАСС/. " + PROSE_RU,
                PROSE_RU,
            ),
            ("ru",),
            {
                "title": "Стороны расширят цифровое сотрудничество",
                "source": "Интерфакс",
                "date": "2024-03-14",
                "time": "15:20",
            },
            ["Главная / Экономика", "МОСКВА, 14 марта. /ТАСС/."],
            ["Источник:", "Интерфакс"],
        ),
        (  # CJK: the Chinese label with a full-width colon and the value on the next line.
            _page(
                "首页",
                "国际新闻",
                "数字丝绸之路建设成效显著",
                "来源：",
                "新华网",
                "2021年10月22日 08:15",
                PROSE_ZH,
                PROSE_ZH,
                "返回顶部",
            ),
            ("zh",),
            {
                "title": "数字丝绸之路建设成效显著",
                "source": "新华网",
                "date": "2021-10-22",
                "time": "08:15",
            },
            ["首页", "返回顶部"],
            ["来源：", "新华网"],
        ),
        (  # Arabic: a labelled source and a weekday date with a time.
            _page(
                "الرئيسية",
                "نمو التجارة الرقمية بين البلدين",
                "الخميس 14 مارس 2024 - 15:20",
                PROSE_AR,
                PROSE_AR,
                "المصدر: وكالات",
            ),
            ("ar",),
            {
                "title": "نمو التجارة الرقمية بين البلدين",
                "source": "وكالات",
                "date": "2024-03-14",
                "time": "15:20",
            },
            ["الرئيسية"],
            ["المصدر"],
        ),
        (  # Near-misses: a date and a "Source:" inside the body's prose are not read.
            _page(
                "Trade between the neighbours grows",
                PROSE_EN,
                "Source: officials said on March 3, 2015 that the figures were revised, and "
                "the ministry confirmed it in a statement published the same day.",
                PROSE_EN,
            ),
            ("en",),
            {
                "title": "Trade between the neighbours grows",
                "source": None,
                "date": None,
                "time": None,
            },
            ["Source: officials said on March 3, 2015"],
            [],
        ),
    ],
    ids=["latin", "cyrillic", "cjk", "arabic", "prose_near_misses"],
)
def test_page_with_chrome(
    text: str,
    languages: list[str],
    fields: dict[str, str | None],
    kept: list[str],
    gone: list[str],
) -> None:
    record = run(case_record({"input": text, "languages": list(languages)}))
    assert {name: getattr(record, name) for name in FIELDS} == fields
    for fragment in kept:
        assert fragment in record.text
    for fragment in gone:
        assert fragment not in record.text
    assert replay(text, record.provenance) == record.text
    assert run(record) == record
    # Every value read names its line: a removal, or an edit that keeps the line.
    assert all(e.after in ("", e.before) for e in record.provenance)


def test_wire_credit_is_recorded_and_kept() -> None:
    text = _page("Senate passes the budget bill", "WASHINGTON (Reuters) - " + PROSE_EN, PROSE_EN)
    record = run(case_record({"input": text, "languages": ["en"]}))
    assert record.source == "Reuters"
    assert record.text.startswith("WASHINGTON (Reuters) - ")
    (credit,) = [e for e in record.provenance if e.rule == extract_metadata.WIRE_RULE]
    assert credit.before == credit.after == "(Reuters)"


def test_published_date_wins_over_update() -> None:
    text = _page(
        "Ministers agree on a roadmap",
        "Updated: March 5, 2015",
        "Published: March 3, 2015",
        PROSE_EN,
        PROSE_EN,
    )
    record = run(case_record({"input": text, "languages": ["en"]}))
    assert record.date == "2015-03-03"


def test_find_body_skips_menus_and_footers() -> None:
    paragraphs = [
        "Home",
        "News",
        "Headline here",
        PROSE_EN,
        "Advertisement",
        PROSE_EN,
        "Share",
        "About us",
        "Contact",
        "Privacy",
        PROSE_EN,
    ]
    assert headers.find_body(paragraphs, COMPILED) == (3, 5)
    assert headers.find_body(["Home", "News"], COMPILED) is None


def test_outlet_after_the_headline_in_the_page_title_line() -> None:
    text = _page(
        "Ministers agree on a digital trade roadmap - The Daily Planet",
        "Home",
        "Ministers agree on a digital trade roadmap",
        PROSE_EN,
        PROSE_EN,
    )
    record = run(case_record({"input": text, "languages": ["en"]}))
    assert record.title == "Ministers agree on a digital trade roadmap"
    assert record.source == "The Daily Planet"
    # The title line stays, and the read is recorded on it.
    (read,) = [e for e in record.provenance if e.rule == extract_metadata.TITLE_LINE_RULE]
    assert read.before == read.after == text.split("\n\n")[0]
    assert record.text.startswith(read.before)


def test_headline_ending_in_a_question_mark_and_a_caption_below_it() -> None:
    # The caption shares fewer content words with the body than the headline.
    text = _page(
        "Home",
        "How does the brain turn unconscious information into conscious thought?",
        "Jane Doe, John Roe",
        "Researchers studied how the brain turns unconscious information into conscious "
        "thought, and found that the change happens in stages, Jane Doe said.",
        PROSE_EN,
    )
    record = run(case_record({"input": text, "languages": ["en"]}))
    assert record.title == (
        "How does the brain turn unconscious information into conscious thought?"
    )


def test_lead_above_a_picture_belongs_to_the_body_but_not_above_a_date_line() -> None:
    pictures = ["Photo: Jane Roe", "1/5", "2/5", "3/5", "4/5", "Getty Images"]
    body = [PROSE_EN, PROSE_EN, PROSE_EN]
    paragraphs = ["Home", "Headline", "March 3, 2015", PROSE_EN, *pictures, *body]
    assert headers.find_body(paragraphs, COMPILED) == (3, 12)
    # A headline that reads like a sentence stays above the body: a date line is
    # between them.
    paragraphs = [PROSE_EN, "March 3, 2015", "Share", *pictures, PROSE_EN, PROSE_EN, PROSE_EN]
    assert headers.find_body(paragraphs, COMPILED) == (9, 11)


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        (
            ["Inicio", "Una solución no violenta para la cuestión", "mapuche"],
            "Una solución no violenta para la cuestión mapuche",
        ),
        # Near-miss: a capitalized short line under the headline is not its rest.
        (
            ["Inicio", "Una solución no violenta para la cuestión mapuche", "Compartir"],
            "Una solución no violenta para la cuestión mapuche",
        ),
    ],
)
def test_headline_wrapped_onto_a_second_line(lines: list[str], title: str) -> None:
    body = (
        "La cuestión mapuche necesita una solución no violenta, dijeron los dirigentes "
        "de las comunidades, que reclaman derechos incumplidos desde hace décadas."
    )
    text = _page(*lines, body, body)
    record = run(case_record({"input": text, "languages": ["es"]}))
    assert record.title == title
    assert record.text.startswith("Inicio\n\n")
    assert "mapuche\n\n" not in record.text.split(body)[0]


def test_body_is_the_first_large_run_not_the_comments_below() -> None:
    comment = "I read this twice and I still think the figures are wrong, but thanks for it."
    paragraphs = ["Home", "Headline", PROSE_EN, PROSE_EN, "Comments", "Jane", "Share", "Reply"]
    paragraphs += [comment, comment, comment, comment, comment]
    assert headers.find_body(paragraphs, COMPILED) == (2, 3)


# Share buttons, a video carousel: chrome between a headline and its body, longer
# than the `title_lookback` lines that the nearest-headline rule looks through.
CAROUSEL = ["Share", "Tweet", "Email", "Video", "03:29", "Now playing", "Next", "More"] * 3


@pytest.mark.parametrize(
    ("lines", "languages", "title"),
    [
        (  # Latin: headline, byline and date, then a long carousel before the text.
            [
                "Home",
                "Ministers agree on a digital trade roadmap",
                "By Jane Doe",
                "March 14, 2024",
                *CAROUSEL,
                "Officials wave at the press in Geneva",
                PROSE_EN,
                PROSE_EN,
            ],
            ["en"],
            "Ministers agree on a digital trade roadmap",
        ),
        (  # Cyrillic: a section tag between the headline and its date.
            [
                "Главная",
                "Стороны расширят цифровое сотрудничество",
                "Экономика",
                "14 марта 2024, 15:20",
                *CAROUSEL,
                PROSE_RU,
                PROSE_RU,
            ],
            ["ru"],
            "Стороны расширят цифровое сотрудничество",
        ),
        (  # CJK
            [
                "首页",
                "数字贸易与卫星导航合作扩大",
                "2021年10月22日 08:15",
                *CAROUSEL,
                PROSE_ZH,
                PROSE_ZH,
            ],
            ["zh"],
            "数字贸易与卫星导航合作扩大",
        ),
        (  # Arabic
            [
                "الرئيسية",
                "توسيع التعاون في التجارة الرقمية والملاحة",
                "الخميس 14 مارس 2024 - 15:20",
                *CAROUSEL,
                PROSE_AR,
                PROSE_AR,
            ],
            ["ar"],
            "توسيع التعاون في التجارة الرقمية والملاحة",
        ),
        (  # Initials are no sentence end: "N. Korea", "U.S.".
            [
                "Home",
                "N. Korea and the U.S. agree on a digital trade roadmap",
                "By Jane Doe",
                "March 14, 2024",
                *CAROUSEL,
                PROSE_EN,
                PROSE_EN,
            ],
            ["en"],
            "N. Korea and the U.S. agree on a digital trade roadmap",
        ),
        (  # Near-miss: a dated teaser that shares no words with the body is no headline;
            # the line right above the body is taken, as before.
            [
                "Home",
                "Football club signs a new goalkeeper from Spain",
                "March 14, 2024",
                *CAROUSEL,
                "Digital trade and navigation deal agreed",
                PROSE_EN,
                PROSE_EN,
            ],
            ["en"],
            "Digital trade and navigation deal agreed",
        ),
        (  # Near-miss: a dated line sharing one content word with the body ("digital")
            # is chance, not a headline, although that word is a third of its words.
            [
                "Follow our digital channels",
                "By Jane Doe",
                "March 14, 2024",
                *CAROUSEL,
                PROSE_EN,
                PROSE_EN,
            ],
            ["en"],
            None,
        ),
    ],
    ids=["latin", "cyrillic", "cjk", "arabic", "initials", "teaser", "one_shared_word"],
)
def test_dated_headline_far_above_the_body(
    lines: list[str], languages: list[str], title: str | None
) -> None:
    text = _page(*lines)
    record = run(case_record({"input": text, "languages": languages}))
    assert record.title == title
    assert replay(text, record.provenance) == record.text
    if title is not None:
        (headline,) = [e for e in record.provenance if e.rule == extract_metadata.HEADLINE_RULE]
        assert headline.before.startswith(title)


@pytest.mark.parametrize(
    ("lines", "languages", "title"),
    [
        (  # The breadcrumb line repeats the headline after a section name.
            [
                "Economy|As Debt Rises, Interest Will Cost More Than the Military",
                "Supported by",
                "As Debt Rises, Interest Will Cost More Than the Military",
                "Image",
                *CAROUSEL,
                "Interest on the debt will cost more than the military budget within five "
                "years, economists said, as the deficit keeps rising.",
                PROSE_EN,
            ],
            ["en"],
            "As Debt Rises, Interest Will Cost More Than the Military",
        ),
        (  # Cyrillic: the tab title "Headline — Outlet", the headline again lower down.
            [
                "Стороны расширят цифровое сотрудничество — Вести",
                "Главная",
                "Стороны расширят цифровое сотрудничество",
                *CAROUSEL,
                PROSE_RU,
                PROSE_RU,
            ],
            ["ru"],
            "Стороны расширят цифровое сотрудничество",
        ),
    ],
    ids=["latin_breadcrumb", "cyrillic_tab_title"],
)
def test_headline_the_header_prints_twice(
    lines: list[str], languages: list[str], title: str
) -> None:
    record = run(case_record({"input": _page(*lines), "languages": languages}))
    assert record.title == title


@pytest.mark.parametrize(
    ("chrome", "masthead", "page", "holders", "common", "name"),
    [
        (  # A domain spells the name: "Mozilla" beats "Share", which is a common word.
            ["Share", "Share to Facebook", "Share on X", "Share this", "Mozilla", "mozilla.org"],
            [],
            "",
            (),
            {"share"},
            "Mozilla",
        ),
        (  # The holder of the footer's copyright notice, named once more in a menu.
            ["Home", "Work at The Seattle Times", "Login"],
            [],
            "",
            ("The Seattle Times",),
            set(),
            "The Seattle Times",
        ),
        (  # Cyrillic: the name in the masthead and in a menu, and the copyright holder.
            ["Главная", "Подписка на Коммерсантъ", "© 2024 Коммерсантъ"],
            ["Коммерсантъ"],
            "",
            ("Коммерсантъ",),
            set(),
            "Коммерсантъ",
        ),
        (  # Arabic (no capitals to tell a name): the copyright holder, which the
            # masthead prints too.
            ["الرئيسية", "© 2024 الجزيرة"],
            ["الجزيرة"],
            "",
            ("الجزيرة",),
            set(),
            "الجزيرة",
        ),
        (  # CJK: likewise.
            ["首页", "© 2014 史蒂文的家"],
            ["史蒂文的家"],
            "",
            ("史蒂文的家",),
            set(),
            "史蒂文的家",
        ),
        (  # Near-miss: a copyright holder printed nowhere else is not enough alone.
            ["首页", "© 2014 史蒂文的家"],
            [],
            "",
            ("史蒂文的家",),
            set(),
            None,
        ),
        (  # An acronym printed only in capitals is kept although "cnn" might be common.
            ["CNN values your feedback", "Your CNN account", "More from CNN"],
            [],
            "",
            (),
            {"cnn"},
            "CNN",
        ),
        (  # Near-miss: buttons and months recur, but are common words of the language.
            ["Menu", "Main Menu", "Share", "March", "Menu", "Share", "Main Menu", "March"],
            ["Menu"],
            "",
            (),
            {"menu", "main", "share", "march"},
            None,
        ),
        (  # Near-miss: time zones of date lines are no names.
            ["November 28, 2013 -- Updated 0203 GMT", "April 2, 2014 -- Updated 2011 GMT"] * 2,
            [],
            "",
            (),
            set(),
            None,
        ),
    ],
    ids=[
        "domain",
        "copyright",
        "cyrillic",
        "arabic",
        "cjk",
        "holder_alone",
        "acronym",
        "common",
        "dates",
    ],
)
def test_site_name(
    chrome: list[str],
    masthead: list[str],
    page: str,
    holders: tuple[str, ...],
    common: set[str],
    name: str | None,
) -> None:
    found = headers.site_name(chrome, masthead, page, COMPILED, holders, common.__contains__)
    assert found == name


def test_common_words_come_from_the_page_language() -> None:
    body = [PROSE_EN, PROSE_EN]
    detected = extract_metadata._common_words((), body, COMPILED)
    assert detected("share") and detected("menu") and not detected("mozilla")
    # A language wordfreq has no list for (here: none given, no body) has no common words.
    assert not extract_metadata._common_words((), [], COMPILED)("share")
    # CJK lists need tokenizers that are not installed: never asked.
    assert not extract_metadata._common_words(("zh",), [], COMPILED)("新闻")


def test_copyright_of_a_photo_agency_in_a_caption_is_not_the_source() -> None:
    text = _page(
        "Home",
        "Ministers agree on a digital trade roadmap",
        PROSE_EN,
        "The ministers in Geneva. © 2024 Reuters",
        PROSE_EN,
        "About us",
        "Contact",
    )
    record = run(case_record({"input": text, "languages": ["en"]}))
    assert record.source is None
    assert "© 2024 Reuters" in record.text


def test_copyright_holder_of_common_words_is_a_name() -> None:
    # "Royal Road" is made of common English words, but a copyright notice names it,
    # and another footer line repeats it; a notice printed twice is one notice.
    chrome = ["Log in", "Royal Road® as an Amazon Associate earns", "Royal Road® © 2024"]
    common = {"royal", "road", "log", "amazon", "associate", "earns"}.__contains__
    name = headers.site_name(chrome, [], "", COMPILED, ("Royal Road",), common)
    assert name == "Royal Road"
    twice = headers.site_name(["© 史蒂文的家"] * 2, [], "", COMPILED, ("史蒂文的家",) * 2)
    assert twice is None


@pytest.mark.parametrize(
    ("line", "one_phrase", "two_phrases"),
    [
        # A caption: a sentence and its credit in brackets after it.
        ("Netanyahu visits the Western Wall in Jerusalem. (Thomas Coex/AFP)", False, True),
        ("Путин выступает в Кремле. (Михаил Климентьев/ТАСС)", False, True),
        ("Les ministres à Genève. « Photo Jean Dupont »", False, True),
        # Near-misses: an initial before a bracket, a bracket inside one phrase.
        ("Talks with the U.S. (and Others) Resume in Geneva", True, True),
        ("Ministers meet (again) in Geneva", True, True),
        # Two phrases: a headline only when printed twice (see the cases file).
        ("West Ham hrozí gigantům. Součka je snadné přehlédnout", False, True),
        ("油价上涨。欧佩克决定减产", False, True),
        # Arabic has no capitals: a full stop inside never splits a line.
        ("ارتفاع أسعار النفط. أوبك تخفض الإنتاج", True, True),
        # Neither: a sentence, a byline.
        ("The ministers met in Geneva on Friday.", False, False),
        ("By Anna Petrova and Li Wei", False, False),
    ],
)
def test_headline_shape(line: str, one_phrase: bool, two_phrases: bool) -> None:
    assert headers.is_headline(line, COMPILED) is one_phrase
    assert headers.is_headline(line, COMPILED, one_phrase=False) is two_phrases


@pytest.mark.parametrize(
    ("lines", "wrapped"),
    [
        # A standfirst hard-wrapped into two lines (es, ru): both lines are wrapped.
        (
            [
                "Los pueblos indígenas reclaman por derechos que permanecen",
                "incumplidos, por eso es más eficiente canalizar la protesta que reprimirla",
            ],
            [True, True],
        ),
        (
            [
                "Страны картеля договорились сократить добычу нефти, и рынок",
                "отреагировал ростом котировок уже в первые часы торгов на бирже",
            ],
            [True, True],
        ),
        # A headline's short wrapped tail, and a menu item over a lower-case line: no wrap.
        (["Una solución no violenta para la cuestión", "mapuche"], [False, False]),
        (["Tech", "iPhone sales fall in China for the third quarter in a row"], [False, False]),
        # A wide line over a sentence that opens with a number: one paragraph ...
        (
            [
                "Abdullah Ocalan, el líder kurdo, desembarcó en Italia en noviembre de",
                "1998 y pidió asilo político. Arrastraba un pedido de captura de Turquía.",
            ],
            [True, True],
        ),
        # ... but not over a count or a read time, nor in scripts without case.
        (
            ["Twitter Lite launches in eleven countries of Latin America", "2 comments"],
            [False, False],
        ),
        (
            [
                "欧佩克成员国同意明年减少石油产量后国际油价随即上涨了百分之三市场对减产决定反应积极",
                "分析人士认为如果亚洲需求保持强劲油价上涨的势头将会持续",
            ],
            [False, False],
        ),
        (
            [
                "ارتفعت أسعار النفط بنسبة ثلاثة في المئة بعد أن اتفقت دول أوبك على خفض",
                "الإنتاج في العام المقبل وفق ما أعلنت المنظمة في بيان رسمي",
            ],
            [False, False],
        ),
    ],
)
def test_lines_of_a_hard_wrapped_paragraph(lines: list[str], wrapped: list[bool]) -> None:
    found = [
        extract_metadata._in_wrapped_paragraph(i, lines, set(), COMPILED) for i in range(len(lines))
    ]
    assert found == wrapped


@pytest.mark.parametrize(
    ("chrome", "holders", "headline", "name"),
    [
        # The product the headline is about recurs in menus more than the site's name.
        (
            [
                *["Get Firefox", "Firefox for Android", "Firefox Nightly"],
                *["Mozilla", "Mozilla Blog", "Donate to Mozilla"],
            ],
            (),
            "Make your Firefox your own",
            "Mozilla",
        ),
        (
            [
                *["Газпром", "Акции Газпрома", "Газпром нефть", "Газпром и ОПЕК"],
                *["Коммерсантъ", "Подписка на Коммерсантъ", "Коммерсантъ FM"],
            ],
            (),
            "Газпром снизил добычу газа",
            "Коммерсантъ",
        ),
        # Near-miss: a longer word of the headline is not the name ("Firefoxes").
        (
            [
                *["Get the new Firefox", "Firefox for Android", "Firefox Nightly"],
                *["Mozilla", "Mozilla Blog"],
            ],
            (),
            "Firefoxes in the wild",
            "Firefox",
        ),
        # Near-miss: a site writing about itself keeps its name when a domain spells it
        # or a copyright notice gives it.
        (
            ["Lifehacker", "Follow Lifehacker", "lifehacker.com", "Lifehacker Deals", "Kinja"],
            (),
            "Lifehacker turns ten",
            "Lifehacker",
        ),
        (
            ["Royal Road", "Royal Road Forums", "Royal Road Premium", "Write on Royal Road"],
            ("Royal Road",),
            "Royal Road turns ten",
            "Royal Road",
        ),
        # An Arabic page: a Latin product name in its headline goes, the outlet stays.
        (
            [
                *["iPhone", "iPhone 15", "iPhone Pro"],
                *["Al Jazeera", "Al Jazeera مباشر", "Al Jazeera English"],
            ],
            (),
            "آبل تطلق iPhone الجديد",
            "Al Jazeera",
        ),
        # A Japanese headline: the Latin name between brackets is a word of it.
        (
            ["iPhone", "iPhone 15", "iPhone Pro", "ITmedia", "ITmedia News", "ITmedia Mobile"],
            (),
            "新型「iPhone 15」発売、価格は据え置き",
            "ITmedia",
        ),
    ],
    ids=["latin", "cyrillic", "longer_word", "domain_spells_it", "copyright", "arabic", "cjk"],
)
def test_site_name_leaves_out_what_the_headline_is_about(
    chrome: list[str], holders: tuple[str, ...], headline: str, name: str
) -> None:
    found = headers.site_name(chrome, [], "", COMPILED, holders, headline=headline)
    assert found == name


@pytest.mark.parametrize(
    ("line", "languages", "relative"),
    [
        ("1 day ago", ("en",), True),
        ("před 2 hodinami", ("cs",), True),
        ("3 часа назад", ("ru",), True),
        ("2小时前", ("zh",), True),
        ("منذ ساعتين", ("ar",), True),
        # Near-misses: counts, a time to come, a name, a line too long to be a time alone.
        ("2192 Shares", ("en",), False),
        ("in 2 days", ("en",), False),
        ("Alex Perry", ("en",), False),
        ("12 комментариев", ("ru",), False),
        ("Posted by the editors of the site 2 hours ago", ("en",), False),
    ],
)
def test_relative_date(line: str, languages: tuple[str, ...], relative: bool) -> None:
    assert headers.is_relative_date(line, languages, COMPILED) is relative


def test_relative_date_under_a_headline_dates_it() -> None:
    # The headline stands over its outlet, author and "1 day ago", further above the
    # body than `title_lookback`; a related story's headline stands right above it.
    body = (
        "Nintendo will release its first iPhone game in December, and it will cost $10, "
        "the company said on Thursday."
    )
    text = _page(
        "Home",
        "Nintendo's first iPhone game will launch in December for $10",
        "Tech Insider",
        "Alex Perry",
        "1 day ago",
        *["Share", "Tweet", "Email", "Save", "Print", "Comments", "Follow", "Subscribe"],
        *["Newsletter", "Video", "Photos", "Related", "Trending"],
        # It names two things the body names: not chance (see test_far_headline_...).
        "iPhone 8 vs Nintendo Switch: what's the difference",
        body,
        body,
    )
    record = run(case_record({"input": text, "languages": ["en"]}))
    assert record.title == "Nintendo's first iPhone game will launch in December for $10"
    assert record.date is None  # no date is read from "1 day ago"
    # Near-miss: a count under the headline does not date it; the line above the body wins.
    counted = text.replace("1 day ago", "2192 Shares")
    record = run(case_record({"input": counted, "languages": ["en"]}))
    assert record.title == "iPhone 8 vs Nintendo Switch: what's the difference"


# --- the site's name: where the chrome prints it, and its shape (issue 11) ---------------


@pytest.mark.parametrize(
    ("domain", "labels"),
    [
        # Three letters name a site too.
        ("www.bbc.com", {"bbc"}),
        ("edition.cnn.com", {"edition", "cnn"}),
        ("m.heraldsun.com.au", {"heraldsun"}),
        # Near-misses: the host, the registry's levels, one- and two-letter labels.
        ("www.gov.uk", set()),
        ("example.org.uk", {"example"}),
        ("en.m.wikipedia.org", {"wikipedia"}),
    ],
)
def test_domain_labels_that_can_spell_a_name(domain: str, labels: set[str]) -> None:
    generic = COMPILED.site_name["generic_domain_labels"]
    assert headers._domain_labels(domain, generic) == labels


def test_three_letter_domain_spells_the_site_name() -> None:
    # A Burmese page: the masthead and the footer print "BBC" in the same line (counted
    # once); the page's address spells it. Social networks' and a photographer's names
    # are printed twice each.
    chrome = [
        "BBC မြန်မာ လမ်းညွှန်",
        "ဒီစာမျက်နှာ Facebook",
        "Facebook",
        "https://www.bbc.com/burmese/burma-45989453",
        "Khin Mg Win (Shwe Inn Thar)",
        "Khin Maung Win (Shwe Inn Thar)",
        "BBC မြန်မာ လမ်းညွှန်",
    ]
    assert headers.site_name(chrome, [], "", COMPILED) == "BBC"
    # Near-miss: without the address, nothing is printed often enough.
    assert headers.site_name([c for c in chrome if "bbc.com" not in c], [], "", COMPILED) is None


@pytest.mark.parametrize(
    ("line", "menu"),
    [
        ("acervo folha", True),
        ("архив коммерсанта", True),
        # Near-misses: a capital, a sentence, a script without case.
        ("Acervo Folha", False),
        ("the web is their medium and they use it every day", False),
        ("新华网 首页", False),
        ("الأخبار العاجلة", False),
    ],
)
def test_menu_case(line: str, menu: bool) -> None:
    assert headers._menu_case(line, COMPILED.site_name["max_menu_words"]) is menu


@pytest.mark.parametrize(
    ("chrome", "page", "name"),
    [
        # Portuguese: menus set in lower case by the style sheet do not make the
        # outlet's name a lower-case word.
        (
            ["acervo folha", "guia folha", "Sobre a Folha", "Siga a Folha", "Fale com a Folha"],
            "acervo folha\n\nguia folha\n\nO ministro falou à imprensa.",
            "Folha",
        ),
        # Cyrillic: likewise.
        (
            ["о коммерсанте", "Всё о Коммерсанте", "Подписка на Коммерсанте", "Коммерсанте"],
            "о коммерсанте\n\nМинистр выступил в Москве.",
            "Коммерсанте",
        ),
        # Near-miss: a sentence that writes the word in lower case makes it a word.
        (
            ["More from Medium", "Discover Medium", "Medium"],
            "Students treat the web as their medium and write for it every day.",
            None,
        ),
    ],
    ids=["latin", "cyrillic", "prose"],
)
def test_lower_case_menus_are_no_evidence_of_a_common_word(
    chrome: list[str], page: str, name: str | None
) -> None:
    assert headers.site_name(chrome, [], page, COMPILED) == name


@pytest.mark.parametrize(
    ("line", "start", "end", "inside"),
    [
        ("Inside the Guardian", 11, 19, True),
        ("Подписка на Известия", 12, 20, True),
        ("Читайте Известия в Дзене", 8, 16, True),
        # Near-misses: the line's first word, Title Case, a month by a number, no case.
        ("Login with Facebook", 0, 5, False),
        ("Social Login", 7, 12, False),
        ("Snow in Pittsburgh on November 26", 22, 30, False),
        ("ثم قرأ الأخبار اليوم", 7, 14, False),
    ],
)
def test_named_inside_a_phrase(line: str, start: int, end: int, inside: bool) -> None:
    assert headers._named_inside(line, start, end) is inside


@pytest.mark.parametrize(
    ("chrome", "common", "body", "name"),
    [
        # A common English word that the chrome writes as a name in several lines.
        (
            [
                "The Guardian view",
                "Inside the Guardian",
                "Support The Guardian",
                "Whale expert Hori Parata. Photograph: Adrian Malloch for the Guardian",
                "Guardian Weekly",
            ],
            {"guardian", "view", "inside", "support", "weekly", "whale", "expert"},
            PROSE_EN,
            "Guardian",
        ),
        # Cyrillic: "Известия" is the common word for "news".
        (
            ["Известия", "Подписка на Известия", "Читайте Известия в Дзене", "Главное"],
            {"известия", "подписка", "читайте", "главное"},
            PROSE_RU,
            "Известия",
        ),
        # Near-miss: an interface word is never written so ("Login with Facebook").
        (
            [
                "Login",
                "Login with Facebook",
                "Login using your social network",
                "Social Login",
                "User Login",
            ],
            {"login", "social", "user"},
            PROSE_EN,
            None,
        ),
        # Near-miss: one line so written is any proper noun of a related headline.
        (
            [
                "Latvijā",
                "Pasaulē",
                "Latvijā",
                "Ko nozīmē šie vārdi, kas lietoti Latvijā?",
                "Sports",
                "Latvijā un pasaulē",
            ],
            {"latvijā", "pasaulē", "sports"},
            "",
            None,
        ),
        # Near-miss: a name that the article itself writes is what it is about.
        (
            ["Amazon", "Tags: Amazon", "A glimpse of Amazon strategy", "Why Amazon bought it"],
            {"amazon", "tags", "glimpse", "strategy", "why", "bought"},
            "Amazon bought Whole Foods in August 2017 for $13.7 billion.",
            None,
        ),
        # Near-miss: Arabic has no capitals; a common word stays a word.
        (
            ["الأخبار", "اقرأ الأخبار اليوم", "كل الأخبار هنا", "الأخبار"],
            {"الأخبار", "اقرأ", "اليوم", "كل", "هنا"},
            PROSE_AR,
            None,
        ),
    ],
    ids=["latin", "cyrillic", "interface_word", "one_line", "told_by_the_article", "arabic"],
)
def test_common_word_written_as_a_name(
    chrome: list[str], common: set[str], body: str, name: str | None
) -> None:
    found = headers.site_name(chrome, [], "", COMPILED, (), common.__contains__, body=body)
    assert found == name


@pytest.mark.parametrize(
    ("chrome", "name"),
    [
        # Two names printed as often: the first in reading order, not the first in
        # the alphabet ("JAPAN" < "Yahoo").
        (
            ["Yahoo! JAPAN", "Yahoo!ニュース", "CNET Japan 3/9(木)", "スタッフブログ Yahoo!"],
            "Yahoo",
        ),
        (["ТАСС | Россия", "ТАСС", "Россия", "Лента ТАСС", "Вся Россия"], "ТАСС"),
        # Near-miss: a name printed more often wins wherever it stands.
        (["Россия | ТАСС", "ТАСС", "ТАСС Новости", "Новости России"], "ТАСС"),
    ],
    ids=["cjk", "cyrillic", "more_often"],
)
def test_names_printed_as_often_the_first_wins(chrome: list[str], name: str) -> None:
    assert headers.site_name(chrome, [], "", COMPILED) == name


@pytest.mark.parametrize(
    ("chrome", "name"),
    [
        # The chrome spells the acronym out, outside a copyright notice.
        (
            [
                "Your MNT",
                "MNT - Hourly Medical News",
                "Get the most out of Medical News Today.",
                "Advertise with MNT",
            ],
            "Medical News Today",
        ),
        (
            ["American Civil Liberties Union", "ACLU", "Donate to the ACLU", "ACLU Foundation"],
            "American Civil Liberties Union",
        ),
        (
            ["ОТР", "Смотрите ОТР", "Общественное Телевидение России", "ОТР онлайн"],
            "Общественное Телевидение России",
        ),
        # Near-misses: the words only in a copyright notice (a company's legal name);
        # the site's address spells the acronym; no words in a script without capitals.
        (
            [
                "CNN values your feedback",
                "Your CNN account",
                "More from CNN",
                "© 2016 Cable News Network. All Rights Reserved.",
            ],
            "CNN",
        ),
        (
            ["LSM", "Re! LSM pasts", "Latvijas Sabiedriskie Mediji", "lsm.lv"],
            "LSM",
        ),
        (["NHK", "NHK 番組表", "日本放送協会", "NHK オンライン"], "NHK"),
    ],
    ids=["latin", "latin_masthead", "cyrillic", "copyright_only", "domain_spells_it", "cjk"],
)
def test_acronym_spelled_out_by_the_chrome(chrome: list[str], name: str) -> None:
    assert headers.site_name(chrome, [], "", COMPILED) == name


@pytest.mark.parametrize(
    ("line", "head", "outlet"),
    [
        (
            "Ministers agree on a digital trade roadmap - The Daily Planet",
            "Ministers agree on a digital trade roadmap",
            "The Daily Planet",
        ),
        (
            "Цены на нефть растут второй месяц подряд - Коммерсантъ",
            "Цены на нефть растут второй месяц подряд",
            "Коммерсантъ",
        ),
        # Near-misses: a photo credit under a caption has the same shape.
        (
            "Lula recebe de Tite uma réplica da taça - Heinrich Aikawa/Instituto Lula",
            "Lula recebe de Tite uma réplica da taça - Heinrich Aikawa/Instituto Lula",
            None,
        ),
        (
            "Путин выступает в Кремле перед депутатами - Михаил Климентьев/ТАСС",
            "Путин выступает в Кремле перед депутатами - Михаил Климентьев/ТАСС",
            None,
        ),
    ],
)
def test_photo_credit_after_a_caption_is_no_outlet(
    line: str, head: str, outlet: str | None
) -> None:
    assert extract_metadata._split_outlet(line, COMPILED) == (head, outlet)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # A full stop with a letter after it is inside the name.
        ("Copyright Folha de S.Paulo. Todos os direitos reservados.", ("Folha de S.Paulo", True)),
        ("© 2018 Sott.net", ("Sott.net", True)),
        # Near-misses: a full stop before a space or the end closes the name.
        ("© 2024 РИА Новости. Все права защищены", ("РИА Новости", True)),
        ("© 2015 The Daily Planet. Contact us", ("The Daily Planet", False)),
    ],
)
def test_copyright_holder_with_a_full_stop_inside(line: str, expected: tuple[str, bool]) -> None:
    assert headers.read_copyright(line, COMPILED) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # The word alone is a link's label or a heading, not a notice.
        ("Copyright Notice", None),
        ("Copyright Policy", None),
        ("Copyright Information | Privacy | Terms", None),
        # The word with a year, a sign or the rights words is a notice.
        ("Copyright 2019 The Seattle Times", ("The Seattle Times", True)),
        ("Copyright (c) Heise Medien", ("Heise Medien", True)),
        ("Copyright Example Daily. All rights reserved.", ("Example Daily", True)),
        ("Copyright Новая газета. Все права защищены.", ("Новая газета", True)),
    ],
)
def test_the_word_copyright_alone_is_no_notice(
    line: str, expected: tuple[str, bool] | None
) -> None:
    assert headers.read_copyright(line, COMPILED) == expected


@pytest.mark.parametrize(
    ("chrome", "holders", "name"),
    [
        # Near-miss, Korean: a three-letter domain (a reporter's e-mail) is no name
        # alone, and the holder is printed once: nothing here (the step then reads the
        # holder from the footer's notice).
        (["kms@yna.co.kr", "<저작권자(c) 연합뉴스, 무단 전재-재배포 금지>"], ("연합뉴스",), None),
        # A longer label names the site by itself.
        (["Startseite", "prachatai.com"], (), "prachatai.com"),
        # German: a holder that ends in the chrome's domain is spelled by it.
        (
            ["Startseite", "Teilen", "© ARD-aktuell / tagesschau.de"],
            ("ARD-aktuell / tagesschau.de",),
            "ARD-aktuell / tagesschau.de",
        ),
    ],
    ids=["korean_short_label", "long_label", "german_holder_with_domain"],
)
def test_domain_printed_in_the_chrome(
    chrome: list[str], holders: tuple[str, ...], name: str | None
) -> None:
    assert headers.site_name(chrome, [], "", COMPILED, holders) == name


@pytest.mark.parametrize(
    ("body", "source"),
    [
        (PROSE_EN, "Guardian"),
        # Near-miss: the article itself writes the name: it is what the article is about.
        (PROSE_EN.replace("The two sides", "The Guardian and its rival"), None),
    ],
)
def test_common_word_outlet_read_from_a_whole_page(body: str, source: str | None) -> None:
    text = _page(
        "The Guardian view",
        "Inside the Guardian",
        "Support The Guardian",
        "Ministers agree on a digital trade roadmap",
        body,
        PROSE_EN,
        "Guardian Weekly",
        "Photograph: Jane Roe for the Guardian",
        "Contact us",
    )
    record = run(case_record({"input": text, "languages": ["en"]}))
    assert record.source == source


ROMANIAN_BODY = (
    "Miniștrii celor două țări s-au întâlnit vineri la Moscova și au convenit să "
    "extindă cooperarea în domeniul comerțului digital și al infrastructurii de date."
)


def test_an_undeclared_page_has_its_date_read_in_its_own_language() -> None:
    # "Iul" is Romanian only, and Romanian is not among the most used languages.
    text = f"Cooperare digitală\n\nIul-16-2022\n\n{ROMANIAN_BODY}"
    found = extract_metadata.find_metadata(text, (), None, COMPILED)
    assert [c.value for c in found.candidates if c.field == "date"] == ["2022-07-16"]
    english = text.replace(
        ROMANIAN_BODY,
        "The ministers met in Moscow on Friday and agreed to expand their cooperation in "
        "digital trade and data infrastructure.",
    )
    found = extract_metadata.find_metadata(english, (), None, COMPILED)
    assert [c.value for c in found.candidates if c.field == "date"] == []


def test_a_byline_and_date_under_a_caption_read_as_prose_end_the_header() -> None:
    # A photo caption with its credit glued on reads as prose, and the byline and the
    # date line under it would pass for a gap inside the body: they end the header.
    text = "\n\n".join(
        [
            "Nowa biblioteka miejska otwarta po dwóch latach remontu",
            "Czytelnicy w nowej sali biblioteki miejskiej w Gdańsku podczas otwarcia w "
            "sobotę rano, gdy kolejka sięgała aż do ulicy. Jan Kowalski/Agencja Foto",
            "Autor: Anna Nowak",
            "14.03.2024",
            "Biblioteka miejska w Gdańsku została ponownie otwarta w sobotę po dwóch latach "
            "remontu, który objął dach, instalację wentylacyjną i wszystkie czytelnie.",
            "W pierwszym dniu bibliotekę odwiedziło ponad trzy tysiące osób, więcej niż "
            "kiedykolwiek wcześniej w jej stuletniej historii, jak podali urzędnicy miasta.",
            "Remont kosztował czterdzieści milionów złotych i został sfinansowany w całości "
            "z budżetu miasta oraz z funduszy unijnych przeznaczonych na kulturę.",
        ]
    )
    found = extract_metadata.find_metadata(text, ("pl",), None, COMPILED)
    assert [c.value for c in found.candidates if c.field == "date"] == ["2024-03-14"]


# A Polish page (no seed is Polish): the headline far above the article (a carousel
# of share buttons between), then a box of pros whose items the page breaks after a
# short first word, so the tail of the last one stands alone right above the
# article's first paragraph, where the nearest headline-shaped line is read.
PL_BODY = (
    "Nowa konsola Xbox jest najmocniejszą konsolą, jaką można dziś kupić, i bez trudu "
    "dorównuje komputerom do gier, choć kosztuje więcej niż poprzednie modele."
)
PL_MORE = (
    "Testowaliśmy ją przez dwa tygodnie na telewizorze 4K i w tym czasie nie zawiodła "
    "nas ani razu, także w grach, które nie zostały do niej dostosowane."
)


@pytest.mark.parametrize(
    ("tail", "title"),
    [
        # The rest of a broken line, in lower case: no headline.
        ("napęd świetny dla kinomanów", None),
        # An entry of a bulleted list: no headline either.
        ("+ Napęd świetny dla kinomanów", None),
        # Near-miss: a line that opens with a capital is a headline right above the body.
        ("Napęd świetny dla kinomanów", "Napęd świetny dla kinomanów"),
        ("4K: napęd świetny dla kinomanów", "4K: napęd świetny dla kinomanów"),
    ],
)
def test_line_opening_in_lower_case_or_with_a_list_mark_is_no_headline(
    tail: str, title: str | None
) -> None:
    """A headline opens with a capital (or a digit, a quote, a letter of a script without
    case); a line whose first word is in lower case is the rest of a caption or of a
    list's entry broken onto a line of its own, and a line opening with a list's mark is
    an entry: neither is the page's title, and neither leaves the text as one."""
    text = _page(
        "Strona główna",
        # A line far up that names nothing of the body: no headline either (one that
        # does is: test_far_headline_beats_a_line_above_the_body_sharing_one_word).
        "Recenzje sprzętu do salonu",
        *CAROUSEL,
        "Zalety",
        "Blu-ray 4K",
        tail,
        PL_BODY,
        PL_MORE,
    )
    record = run(case_record({"input": text, "languages": ["pl"]}))
    assert record.title == title
    if title is None:
        assert f"\n\n{tail}\n\n" in record.text


# --- the site's name: what says a recurring name is the site's, not the article's ----

SAMUS_CAPTIONS = [
    "Concept art of Samus by the studio",
    "The suit of Samus in the third game",
    "A fan drawing of Samus on her ship",
    "The return of Samus to the planet",
    "Sketches of Samus from the archive",
]
METROID_PROSE = [
    "The series began in 1986 on a console that few of its players remember, and it "
    "grew into one of the richest worlds that games have ever built for their fans.",
    "Its heroine explores a hostile planet alone, and every corridor she opens hides "
    "another path that the player only understands many hours later in the game.",
    "Each new game added ruins, creatures and the history of an extinct people whose "
    "technology the heroine carries in her armour from the very first scene onwards.",
]


def test_lines_the_classifier_keeps_as_the_article_are_no_chrome() -> None:
    """An article that goes on past a gallery leaves its captions after the first run of
    prose, in the footer zone: the name they are about recurs there more often than
    the site's. The paragraphs the classifier keeps as the article are not read."""
    lines = [
        "Kotaku",
        "Reviews",
        "Deals",
        *METROID_PROSE,
        *SAMUS_CAPTIONS,
        METROID_PROSE[0],
        "More from Kotaku",
        "Sign up for Kotaku news",
    ]
    text = _page(*lines)
    span = range(3, 3 + len(METROID_PROSE) + len(SAMUS_CAPTIONS) + 1)
    without = extract_metadata.find_metadata(text, ("en",), None, COMPILED)
    found = extract_metadata.find_metadata(text, ("en",), None, COMPILED, None, lambda: span)
    assert [c.value for c in without.candidates if c.field == "source"] == ["Samus"]
    assert [c.value for c in found.candidates if c.field == "source"] == ["Kotaku"]
    # The step asks the paragraph classifier, which keeps the captions in the article.
    assert run(case_record({"input": text, "languages": ["en"]})).source == "Kotaku"


@pytest.mark.parametrize(
    ("chrome", "common", "name"),
    [
        # A name credited with a byline's word is a person's or a sponsor's.
        (
            [
                "Jane Doe, @janedoe",
                "Daily Planet",
                "By Jane Doe",
                "Jane Doe/Reuters",
                "More from the Daily Planet",
                "Jane Doe",
                "Subscribe to the Daily Planet",
            ],
            {"by", "more", "from", "the", "subscribe", "to"},
            "Daily Planet",
        ),
        (
            [
                "InsideGov — By Graphiq",
                "HealthGrove — By Graphiq",
                "PrettyFamous — By Graphiq",
                "the ten best films ever made — By Graphiq",
                "Support the Planet",
                "Planet",
                "Subscribe to the Planet",
            ],
            {"by", "support", "subscribe", "to", "the", "ten", "best", "films", "ever", "made"},
            "Planet",
        ),
        # French and German byline words.
        (
            [
                "Par Claire Dubois",
                "Une enquête de Claire Dubois",
                "Claire Dubois, Paris",
                "Le Soir",
                "Abonnez-vous au Soir",
                "Soir",
            ],
            {"par", "le", "abonnez", "vous", "au", "une", "enquête", "de"},
            "Soir",
        ),
        (
            [
                "Von Anna Müller",
                "Ein Kommentar von Anna Müller",
                "Anna Müller | Berlin",
                "Tagesspiegel",
                "Abo vom Tagesspiegel",
                "Tagesspiegel Plus",
            ],
            {"von", "abo", "vom", "plus", "ein", "kommentar"},
            "Tagesspiegel",
        ),
        # Near-misses: "by" after other words names the site or its software.
        (
            ["Branded Content by TIME", "TIME", "TIME Studios", "Shop the TIME Store"],
            {"by", "branded", "content", "studios", "shop", "the", "store"},
            "TIME",
        ),
    ],
    ids=["byline", "sponsor", "french", "german", "by_inside_a_phrase"],
)
def test_names_credited_by_a_byline_word_are_no_site_names(
    chrome: list[str], common: set[str], name: str | None
) -> None:
    page = " ".join(sorted(common))
    assert headers.site_name(chrome, [], page, COMPILED, (), common.__contains__) == name


@pytest.mark.parametrize(
    ("chrome", "masthead", "name"),
    [
        # Capitalised only as a line's first word or in Title Case: a button.
        (
            [
                "Login",
                "Login using your social network",
                "Social Login",
                "Login with Facebook",
                "Login with Google",
                "User Login",
            ],
            [],
            None,
        ),
        (
            ["Войти", "Войти через соцсети", "Войти через почту", "Войти по номеру"],
            [],
            None,
        ),
        # Near-misses: the same in the masthead, with a capital inside the word, among
        # words of a script without capitals, capitalised inside a phrase.
        (["Nikkei Asia", "Nikkei Markets", "Nikkei"], ["Nikkei"], "Nikkei"),
        (["eHow", "eHow Home", "eHow Garden"], [], "eHow"),
        (["Yahoo!ニュース", "スタッフブログ Yahoo!", "Yahoo!天気"], [], "Yahoo"),
        (["Subscribe to Kotaku", "More from Kotaku", "Kotaku"], [], "Kotaku"),
    ],
    ids=["latin", "cyrillic", "masthead", "inner_capital", "uncased_script", "inside_a_phrase"],
)
def test_name_capitalised_only_where_any_word_is_is_no_site_name(
    chrome: list[str], masthead: list[str], name: str | None
) -> None:
    lowered = "using your network with by through via number mail"
    assert headers.site_name(chrome, masthead, lowered, COMPILED) == name


@pytest.mark.parametrize(
    ("chrome", "name"),
    [
        # A short label at the end of a phrase does not spell it: the word it spells
        # names the site.
        (["Worth Your Time", "Worth Your Time podcast", "time.com"], "Time"),
        # Near-miss: a label that covers most of the name spells it.
        (
            ["The Seattle Times", "seattletimes.com", "Local News"],
            "The Seattle Times",
        ),
    ],
    ids=["short_label", "long_label"],
)
def test_domain_spells_a_name_it_covers(chrome: list[str], name: str) -> None:
    holders = ("The Seattle Times",) if "Seattle" in name else ()
    page = "it is the podcast about local news today"
    assert headers.site_name(chrome, [], page, COMPILED, holders) == name


@pytest.mark.parametrize(
    ("line", "domains"),
    [
        # The user's name of an e-mail address, a page's number: no site's address.
        ("Write to jane.doe@example.com", {"example.com"}),
        ("Permalink: 318674.php", set()),
        # Near-miss: a domain printed alone.
        ("Visit example.org", {"example.org"}),
    ],
)
def test_addresses_in_a_chrome_line(line: str, domains: set[str]) -> None:
    names = headers._line_names(line, set(), 4)
    found = {
        name
        for name in names
        if "." in name and headers._domain_labels(name, ("com", "org", "php"))
    }
    assert found == domains


def test_abbreviation_in_capitals_is_no_logo() -> None:
    # "U.S." is printed in capitals, as a logo is, but it abbreviates common words.
    chrome = ["U.S.", "World", "Will the U.S. and Canada leave?", "Flights to the U.S."]
    common = {"u.s", "world", "will", "and", "leave", "flights", "to", "the"}.__contains__
    assert headers.site_name(chrome, chrome[:1], "", COMPILED, (), common) is None
    # Near-miss: an acronym of letters is one ("CNN").
    chrome = ["CNN", "World", "Watch CNN live", "More from CNN"]
    common = {"cnn", "world", "watch", "live", "more", "from"}.__contains__
    assert headers.site_name(chrome, chrome[:1], "", COMPILED, (), common) == "CNN"


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("© Copyright 2015 The Daily Planet", "The Daily Planet"),
        ("(c) Copyright 2010-2016, Le Soir.", "Le Soir"),
        # Near-miss: the word alone as the sign.
        ("Copyright 2015 The Daily Planet", "The Daily Planet"),
    ],
)
def test_copyright_sign_written_twice(line: str, outlet: str) -> None:
    found = headers.read_copyright(line, COMPILED)
    assert found is not None and found[0] == outlet


def test_name_the_article_writes_stays_when_an_address_spells_it() -> None:
    # A common word written as a name that the article writes is what it is about
    # ("Amazon"), unless the site's address spells it: an encyclopedia cites itself.
    chrome = ["Donate to Wikipedia", "Help improve Wikipedia", "Visit the Wikipedia store"]
    chrome.append("en.wikipedia.org")
    common = {"wikipedia", "donate", "to", "help", "improve", "visit", "the", "store"}.__contains__
    body = "The matrix is named after Hermite; see the Wikipedia article on adjoints."
    assert headers.site_name(chrome, [], "", COMPILED, (), common, body=body) == "Wikipedia"
    without = [line for line in chrome if "." not in line]
    assert headers.site_name(without, [], "", COMPILED, (), common, body=body) is None


# --- a headline far up beats a line above the body that names the article by chance ---

FAR_PAGES = {
    "en": (
        "Council turns old railway depot into public library",
        "Block for Citynews",
        [
            "The city council voted on Tuesday to turn the old railway depot into a public "
            "library, ending a dispute that has lasted for more than ten years in the town.",
            "Work on the library will begin in the spring, the council said, and the depot's "
            "brick walls and its clock tower will be kept as they are, Citynews was told.",
        ],
    ),
    "ru": (
        "Совет превратит старое депо в библиотеку",
        "Заблокировать для Горвести",
        [
            "Городской совет во вторник решил превратить старое железнодорожное депо в "
            "публичную библиотеку, и этот спор, длившийся больше десяти лет, закончился.",
            "Работы в библиотеке начнутся весной, сообщил совет, а кирпичные стены депо и "
            "часовая башня останутся такими, как есть, пишут Горвести в своём выпуске.",
        ],
    ),
    "pl": (
        "Recenzja: nowa konsola Xbox dorównuje komputerom",
        "Napęd świetny dla kinomanów",
        [PL_BODY, PL_MORE],
    ),
}
FAR_CHROME = ["Filed to: local", "transport", "Edit", "Promote", "Share", "Tweet", "Hide"] * 2


@pytest.mark.parametrize("language", sorted(FAR_PAGES))
def test_far_headline_beats_a_line_above_the_body_sharing_one_word(language: str) -> None:
    """Right above the body stands a widget's line (or a spec list's item) that shares at
    most one content word with the body (the site's name); the headline stands over a
    tag list and share buttons, further up than `title_lookback`, and shares most of its
    words with the body: it is the title, and the line above the body stays."""
    headline, chance, body = FAR_PAGES[language]
    text = _page("Home", "Log in", headline, *FAR_CHROME, chance, *body)
    record = run(case_record({"input": text, "languages": [language]}))
    assert record.title == headline
    assert f"\n\n{chance}\n\n" in record.text
    assert headline not in record.text


@pytest.mark.parametrize("language", sorted(FAR_PAGES))
def test_line_above_the_body_naming_two_things_of_it_stays_the_title(language: str) -> None:
    """Near-miss: a line above the body that shares two content words with it names the
    article (not chance): it stays the title over a headline-shaped line further up."""
    headline, _, body = FAR_PAGES[language]
    near = {
        "en": "Old depot becomes a library",
        "ru": "Библиотека откроется в депо",
        "pl": "Konsola Xbox kontra komputery",
    }[language]
    text = _page("Home", "Log in", headline, *FAR_CHROME, near, *body)
    record = run(case_record({"input": text, "languages": [language]}))
    assert record.title == near


@pytest.mark.parametrize(
    "far",
    [
        # Two content words in common: chance, not the headline.
        "Old depot and library photos",
        # Three in common, but a small part of a long line's words: a related story.
        "Mayor answers questions on parking, schools, taxes, depot, library and council "
        "budget cuts",
    ],
)
def test_far_line_sharing_few_words_is_no_headline(far: str) -> None:
    """Near-miss: a headline-shaped line further up that shares fewer than
    `min_far_title_shared_words` content words, or less than `min_title_overlap` of
    them, does not replace the line above the body."""
    _, chance, body = FAR_PAGES["en"]
    text = _page("Home", "Log in", far, *FAR_CHROME, chance, *body)
    record = run(case_record({"input": text, "languages": ["en"]}))
    assert record.title == chance


@pytest.mark.parametrize(
    ("chrome", "holders", "name"),
    [
        # Burmese: the copyright notice and the menus write the name in the page's
        # script; the chrome prints the name its address spells.
        (
            ["BBC မြန်မာ", "ဘီဘီစီ လမ်းညွှန်", "ဘီဘီစီ အကြောင်း", "https://www.bbc.com/burmese"],
            ["ဘီဘီစီ"],
            "BBC",
        ),
        # Korean.
        (
            ["Yonhap 뉴스", "연합뉴스 소개", "연합뉴스 구독", "www.yonhap.com/ko"],
            ["연합뉴스"],
            "Yonhap",
        ),
        # Near-misses: no address spells a name of the chrome; an address alone (a
        # share link) is no name the chrome writes.
        (["BBC မြန်မာ", "ဘီဘီစီ လမ်းညွှန်", "ဘီဘီစီ အကြောင်း"], ["ဘီဘီစီ"], "ဘီဘီစီ"),
        (
            ["ဘီဘီစီ လမ်းညွှန်", "ဘီဘီစီ အကြောင်း", "ဘီဘီစီ ဆက်သွယ်ရန်", "https://facebook.com/sharer"],
            ["ဘီဘီစီ"],
            "ဘီဘီစီ",
        ),
    ],
    ids=["burmese", "korean", "no_address", "share_address"],
)
def test_name_without_capitals_yields_to_the_name_the_address_spells(
    chrome: list[str], holders: list[str], name: str
) -> None:
    assert headers.site_name(chrome, [], "\n".join(chrome), COMPILED, holders) == name


@pytest.mark.parametrize(
    ("chrome", "common", "name"),
    [
        # English: "The Independent" is made of common words; the address that the
        # page prints (an ad-blocker notice) spells it, and its mentions count for it:
        # it outweighs a common word the chrome capitalises as often as the address.
        (
            [
                "Game reviews from the Game desk",
                "The Independent Books",
                "Win a Game console",
                "Disable your ad blocker for independent.co.uk",
                "Add independent.co.uk to your trusted sites",
                "Thank you for supporting independent.co.uk",
            ],
            {"the", "independent", "books", "game", "win", "a", "console", "reviews"},
            "The Independent",
        ),
        # French: the article and the noun, both common.
        (
            [
                "Le Monde Afrique",
                "Abonnez-vous sur lemonde.fr",
                "lemonde.fr vous informe",
                "Jeux",
                "Jeux",
            ],
            {"le", "monde", "afrique", "jeux"},
            "Le Monde",
        ),
        # Dutch.
        (
            ["De Telegraaf Archief", "telegraaf.nl", "Hulp bij telegraaf.nl", "Nieuwsbrief"],
            {"de", "telegraaf", "archief", "hulp", "bij", "nieuwsbrief"},
            "De Telegraaf",
        ),
    ],
    ids=["en", "fr", "nl"],
)
def test_site_name_of_common_words_that_the_address_spells(
    chrome: list[str], common: set[str], name: str
) -> None:
    page = " ".join(sorted(common) * 3)  # a line of prose that writes them in lower case
    assert headers.site_name(chrome, [], page, COMPILED, (), common.__contains__) == name
    # Near-miss: without the address the words are common words, no name.
    bare = [line for line in chrome if "." not in line]
    assert headers.site_name(bare, [], page, COMPILED, (), common.__contains__) != name


@pytest.mark.parametrize(
    ("chrome", "holder", "name"),
    [
        # English: the notice gives the owner's legal name, the chrome the brand its
        # initials make, written in camel case with a word after them.
        (
            [
                "CNNMoney Sponsors",
                "Paid Partner",
                "© 2016 Cable News Network. All Rights Reserved.",
            ],
            "Cable News Network",
            "CNNMoney",
        ),
        # German: the brand as a word of its own.
        (
            ["ZDF Mediathek", "Hilfe", "© Zweites Deutsches Fernsehen"],
            "Zweites Deutsches Fernsehen",
            "ZDF",
        ),
    ],
    ids=["en", "de"],
)
def test_copyright_holder_counts_for_the_brand_of_its_initials(
    chrome: list[str], holder: str, name: str
) -> None:
    assert headers.site_name(chrome, [], "", COMPILED, (holder,)) == name
    # Near-miss: a name that opens with other capitals gains nothing from the notice.
    other = [
        line.replace(name, "XYZ" + name[3:]) if line != chrome[-1] else line for line in chrome
    ]
    assert headers.site_name(other, [], "", COMPILED, (holder,)) != "XYZ" + name[3:]
