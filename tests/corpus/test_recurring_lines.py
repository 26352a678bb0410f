"""strip_recurring_lines: a site's template lines go, in Latin, Cyrillic, CJK and Arabic
pages; a line of one seed, a quote shared by other sites, long prose and a page's own
headline stay; the counts and the result do not depend on batching, jobs or order."""

from __future__ import annotations

import dataclasses
import datetime
import doctest
import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from curation.corpus import StripRecurringLines
from curation.corpus import recurring_lines as module
from curation.corpus.recurring_lines import (
    EMPTY_AFTER_RECURRING_LINES,
    RECURRING_ACROSS_SITE,
    STEP_ID,
    VERSION,
    KeyCounts,
    PhasesOutOfOrder,
    site_of,
)
from curation.pipeline import CorpusPass, Pipeline, StepReport
from curation.publish.parquet import read_rows
from curation.record import Edit, Record, replay
from curation.rules import RuleSet, load_rules
from curation.steps import PIPELINE

RULES = load_rules()

# Per script: the chrome a site prints on every page, and three articles' own paragraphs.
SITES = {
    "latin": (
        [
            "Home | World | Business | Sport",
            "Follow us on Facebook and Twitter",
            "© 2024 Example Daily. All rights reserved.",
        ],
        [
            [
                "The council approved the new budget on Tuesday after a long debate.",
                "Schools and roads will receive most of the extra money next year.",
            ],
            [
                "Farmers in the valley expect a record harvest of apples this autumn.",
                "Prices at the market have already started to fall.",
            ],
            [
                "The museum reopened its east wing after three years of repairs.",
                "Visitors can now see the restored ceiling paintings again.",
            ],
        ],
    ),
    "cyrillic": (
        [
            "Главная | Новости | Спорт | Контакты",
            "Подписывайтесь на наш канал",
            "© 2024 Пример. Все права защищены.",
        ],
        [
            [
                "Городской совет утвердил новый бюджет во вторник после долгих споров.",
                "Больше всего денег получат школы и дороги.",
            ],
            [
                "Фермеры в долине ждут рекордного урожая яблок этой осенью.",
                "Цены на рынке уже начали снижаться.",
            ],
            [
                "Музей открыл восточное крыло после трёх лет ремонта.",
                "Посетители снова могут увидеть отреставрированные росписи.",
            ],
        ],
    ),
    "cjk": (
        ["首页 | 新闻 | 体育 | 联系我们", "关注我们的微信公众号", "版权所有 © 2024 示例新闻网"],
        [
            ["市议会周二在长时间辩论后批准了新预算。", "学校和道路明年将获得大部分新增资金。"],
            ["山谷里的农民预计今年秋天苹果将获得创纪录的丰收。", "市场上的价格已经开始下降。"],
            ["博物馆在修缮三年后重新开放了东翼。", "游客现在可以再次看到修复后的天花板壁画。"],
        ],
    ),
    "arabic": (
        [
            "الرئيسية | أخبار | رياضة | اتصل بنا",
            "تابعونا على فيسبوك وتويتر",
            "جميع الحقوق محفوظة © 2024 أخبار المثال",
        ],
        [
            [
                "وافق المجلس البلدي على الميزانية الجديدة يوم الثلاثاء بعد نقاش طويل.",
                "ستحصل المدارس والطرق على معظم الأموال الإضافية العام المقبل.",
            ],
            [
                "يتوقع المزارعون في الوادي محصولا قياسيا من التفاح هذا الخريف.",
                "بدأت الأسعار في السوق بالانخفاض بالفعل.",
            ],
            [
                "أعاد المتحف افتتاح جناحه الشرقي بعد ثلاث سنوات من الترميم.",
                "يمكن للزوار الآن رؤية لوحات السقف المرممة مرة أخرى.",
            ],
        ],
    ),
}

# A long paragraph of prose, as a statement quoted in follow-up stories would be.
PROSE = (
    "The minister said on Monday that the talks with the unions had been useful and that "
    "both sides would meet again in the spring, when the new figures on wages and prices "
    "are in, and she added that nobody in the government wanted a strike before the summer."
)


def record(
    number: int,
    text: str,
    url: str | None = None,
    source: str | None = None,
    title: str | None = None,
    language: str | None = None,
) -> Record:
    return Record(
        f"{number:03d}_{number:016x}",
        0,
        text,
        declared={"url": url, "source": source},
        url=url,
        source=source,
        title=title,
        language=language,
    )


def page(chrome: Sequence[str], body: Sequence[str]) -> str:
    """A pasted page: the menu, the article, then the rest of the chrome."""
    return "\n\n".join([chrome[0], *body, *chrome[1:]])


def site_records(script: str, host: str = "news.example.org", first: int = 1) -> list[Record]:
    chrome, bodies = SITES[script]
    return [
        record(first + i, page(chrome, body), url=f"https://{host}/story/{i}")
        for i, body in enumerate(bodies)
    ]


def new_pass(rules: RuleSet = RULES) -> StripRecurringLines:
    return StripRecurringLines(rules["recurring_lines"], rules["boilerplate"])


def report() -> StepReport:
    return StepReport(STEP_ID, StripRecurringLines.description)


def strip(
    records: Sequence[Record], batch_size: int = 256, rules: RuleSet = RULES
) -> tuple[list[Record], StepReport]:
    """Both phases over ``records``, in batches of ``batch_size``."""
    batches = [records[i : i + batch_size] for i in range(0, len(records), batch_size)]
    chrome, counts = new_pass(rules), report()
    chrome.count_corpus(batches)
    return [r for batch in batches for r in chrome.process(batch, counts)], counts


def test_is_a_corpus_pass() -> None:
    chrome: CorpusPass = new_pass()
    assert (chrome.name, chrome.version) == ("strip_recurring_lines", VERSION)
    assert chrome.description


def test_doctests() -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize("script", sorted(SITES))
def test_chrome_on_every_seed_of_a_site_goes_and_the_articles_stay(script: str) -> None:
    chrome, bodies = SITES[script]
    records = site_records(script)
    out, counts = strip(records)
    assert [r.text for r in out] == ["\n\n".join(body) for body in bodies]
    # One edit per run of removed paragraphs: the menu, then the footer lines together.
    assert counts.rules == {RECURRING_ACROSS_SITE: 3 * 2}
    assert counts.rule_chars_removed[RECURRING_ACROSS_SITE] == sum(
        len(r.text) - len(o.text) for r, o in zip(records, out, strict=True)
    )
    for raw, stripped in zip(records, out, strict=True):
        edits = stripped.provenance
        assert {(e.step, e.rule) for e in edits} == {(STEP_ID, RECURRING_ACROSS_SITE)}
        assert sorted(e.before.strip() for e in edits) == sorted(
            [chrome[0], "\n\n".join(chrome[1:])]
        )
        assert replay(raw.text, edits) == stripped.text


@pytest.mark.parametrize("script", sorted(SITES))
def test_a_line_of_one_seed_or_of_two_stays(script: str) -> None:
    records = site_records(script)
    chrome, _ = SITES[script]
    extra_one, extra_two = "Photo: Jane Doe", "Weather: sunny, 21 degrees"
    records[0] = record(1, records[0].text + f"\n\n{extra_one}\n\n{extra_two}", records[0].url)
    records[1] = record(2, records[1].text + f"\n\n{extra_two}", records[1].url)
    out, _ = strip(records)
    assert out[0].text.endswith(f"{extra_one}\n\n{extra_two}")
    assert out[1].text.endswith(extra_two)
    assert not any(line in r.text for r in out for line in chrome)


def test_a_site_of_fewer_seeds_than_min_seeds_is_left_alone() -> None:
    records = site_records("latin")[:2]
    out, counts = strip(records)
    assert out == records
    assert not counts.rules


def test_the_same_sentence_on_pages_of_different_sites_stays() -> None:
    quote = "“We will not give up,” the mayor told reporters outside the court."
    records = [
        record(i, f"{quote}\n\nStory number {i} goes on in its own words.", url=url)
        for i, url in enumerate(
            ["https://a.example.com/1", "https://b.example.net/2", "https://c.example.org/3"],
            start=1,
        )
    ]
    out, counts = strip(records)
    assert out == records
    assert not counts.rules


def test_long_prose_recurring_on_three_of_three_seeds_stays_but_chrome_next_to_it_goes() -> None:
    records = [
        record(
            i,
            f"Home | World | Sport\n\n{PROSE}\n\nStory {i} in its own words.",
            url=f"https://example.com/{i}",
            language="en",
        )
        for i in range(1, 4)
    ]
    out, counts = strip(records)
    assert [r.text for r in out] == [f"{PROSE}\n\nStory {i} in its own words." for i in range(1, 4)]
    assert counts.rules == {RECURRING_ACROSS_SITE: 3}


def test_long_prose_on_most_seeds_of_a_site_goes() -> None:
    """A long agency disclaimer that is prose to the classifier, on 5 of 6 pages."""
    records = [
        record(
            i,
            f"Story {i} in its own words." + (f"\n\n{PROSE}" if i < 6 else ""),
            url=f"https://example.com/{i}",
            language="en",
        )
        for i in range(1, 7)
    ]
    out, _ = strip(records)
    assert [r.text for r in out] == [f"Story {i} in its own words." for i in range(1, 7)]


def test_a_short_agency_disclaimer_is_chrome_on_three_seeds() -> None:
    disclaimer = (
        "This material may not be published, broadcast, rewritten or redistributed. "
        "© 2024 The Agency. All rights reserved."
    )
    records = [
        record(
            i, f"Story {i} in its own words.\n\n{disclaimer}", source="The Agency", language="en"
        )
        for i in range(1, 4)
    ]
    out, _ = strip(records)
    assert [r.text for r in out] == [f"Story {i} in its own words." for i in range(1, 4)]


def test_a_pages_own_headline_stays_where_it_is_the_title() -> None:
    headline = "Council approves the budget"
    records = [
        record(1, f"{headline}\n\nThe council approved it.", url="https://e.com/1", title=headline),
        record(2, f"Trains are late.\n\n{headline}", url="https://e.com/2"),
        record(3, f"Apples are cheap.\n\n{headline}", url="https://e.com/3"),
    ]
    out, _ = strip(records)
    assert [r.text for r in out] == [records[0].text, "Trains are late.", "Apples are cheap."]


def test_a_share_of_a_large_site_is_needed() -> None:
    """40 seeds: a line must be on ceil(0.1 × 40) = 4 of them; 3 is not enough."""
    line_on_three, line_on_four = "Special report: the floods", "Live: election night"
    records = [
        record(
            i,
            f"Story {i} in its own words."
            + (f"\n\n{line_on_three}" if i <= 3 else "")
            + (f"\n\n{line_on_four}" if i <= 4 else ""),
            url=f"https://example.com/{i}",
        )
        for i in range(1, 41)
    ]
    out, counts = strip(records)
    assert [r.text for r in out[:4]] == [
        f"Story {i} in its own words.\n\n{line_on_three}" for i in range(1, 4)
    ] + ["Story 4 in its own words."]
    assert counts.rules == {RECURRING_ACROSS_SITE: 4}


def test_the_site_is_the_url_host_else_the_source() -> None:
    assert site_of({"url": "https://www.example.com/a"}) == site_of({"url": "http://example.com"})
    assert site_of({"url": "https://m.example.com/a"}) != site_of({"url": "https://example.com"})
    assert site_of({"url": "https://example.com/a", "source": "Other"}) == "host:example.com"
    assert site_of({"url": "https://[::1/broken", "source": "Daily"}) == "source:daily"
    assert site_of({"url": None, "source": None}) is None
    assert site_of({}) is None


def test_an_internationalized_host_is_one_site_in_punycode_and_in_unicode() -> None:
    punycode = site_of({"url": "https://www.xn--e1afmkfd.xn--p1ai/news/1"})
    assert punycode == site_of({"url": "https://ПРИМЕР.рф/news/2"}) == "host:пример.рф"
    assert site_of({"url": "http://xn--fiqs8s.example/"}) == "host:中国.example"
    # a label that only looks like punycode is kept as written, not dropped
    assert site_of({"url": "https://xn--broken-.example/"}) == "host:xn--broken-.example"
    assert site_of({"url": "https://xn--e1afmkfd.xn--p1ai/"}) != site_of(
        {"url": "https://xn--p1ai/"}
    )


def test_pages_of_the_same_site_by_source_and_by_www_are_one_site() -> None:
    chrome, bodies = SITES["latin"]
    by_www = [
        record(i, page(chrome, body), url=f"https://{host}/{i}")
        for i, (host, body) in enumerate(
            zip(["www.example.com", "example.com", "WWW.EXAMPLE.COM"], bodies, strict=True)
        )
    ]
    by_source = [
        record(10 + i, page(chrome, body), source=name)
        for i, (name, body) in enumerate(
            zip(["Example Daily", "example  daily", "EXAMPLE DAILY"], bodies, strict=True)
        )
    ]
    for records in (by_www, by_source):
        out, _ = strip(records)
        assert [r.text for r in out] == ["\n\n".join(body) for body in bodies]


def test_seeds_without_url_or_source_are_left_alone() -> None:
    chrome, bodies = SITES["latin"]
    records = [record(i, page(chrome, body)) for i, body in enumerate(bodies)]
    out, counts = strip(records)
    assert out == records
    assert not counts.rules


def test_the_same_page_given_three_times_counts_once() -> None:
    """Copies (one URL, or one text) must not make a page's own lines recurring."""
    text = "Council approves the budget\n\nThe council approved it on Tuesday."
    same_url = [record(i, text + " " * i, url="https://e.com/1") for i in range(1, 4)]
    same_text = [record(i, text, url=f"https://e.com/{i}") for i in range(1, 4)]
    for records in (same_url, same_text):
        out, counts = strip(records)
        assert out == records
        assert not counts.rules


def test_a_wrapped_footer_is_recognised_once_unwrapped_and_without_punctuation() -> None:
    """Counted on the raw seeds, removed from the text the steps made of them."""
    raw_footers = [
        "Copyright Example Daily. All rights re-\nserved. Do not copy.",
        "Copyright Example Daily.  All rights\nreserved. Do not copy.",
        "COPYRIGHT EXAMPLE DAILY - ALL RIGHTS RESERVED - DO NOT COPY",
    ]
    raws = [
        record(i, f"Story {i} in its own words.\n\n{footer}", url=f"https://e.com/{i}")
        for i, footer in enumerate(raw_footers, start=1)
    ]
    cleaned = [
        dataclasses.replace(r, text=f"Story {i} in its own words.\n\n{footer}")
        for i, (r, footer) in enumerate(
            zip(
                raws,
                ["Copyright Example Daily. All rights reserved. Do not copy."] * 2
                + [raw_footers[2]],
                strict=True,
            ),
            start=1,
        )
    ]
    chrome, counts = new_pass(), report()
    chrome.count_corpus([raws])
    out = chrome.process(cleaned, counts)
    assert [r.text for r in out] == [f"Story {i} in its own words." for i in range(1, 4)]


def test_lines_inside_a_paragraph_go_with_their_line_break() -> None:
    records = [
        record(
            i,
            f"Menu\nStory {i} goes here.\nAdvertisement\nMore of story {i}.\nShare",
            url=f"https://e.com/{i}",
        )
        for i in range(1, 4)
    ]
    out, _ = strip(records)
    assert [r.text for r in out] == [
        f"Story {i} goes here.\nMore of story {i}." for i in range(1, 4)
    ]


def test_a_record_left_empty_is_dropped_with_its_reason() -> None:
    records = [
        record(1, "Home | News\n\nSubscribe", url="https://e.com/1"),
        record(2, "Subscribe\n\nHome | News", url="https://e.com/2"),
    ]
    records.append(record(3, "Home | News\n\nSubscribe\n\nA real story.", url="https://e.com/3"))
    out, counts = strip(records)
    assert [r.text for r in out] == ["A real story."]
    assert counts.drops == {EMPTY_AFTER_RECURRING_LINES: 2}
    assert counts.rules == {RECURRING_ACROSS_SITE: 3}  # one edit per run of paragraphs


def test_a_split_seeds_parts_are_stripped_like_the_seed() -> None:
    records = site_records("latin")
    chrome, counts = new_pass(), report()
    chrome.count_corpus([records])
    parts = [dataclasses.replace(records[0], part=p) for p in (0, 1)]
    assert [r.text for r in chrome.process(parts, counts)] == [
        "\n\n".join(SITES["latin"][1][0])
    ] * 2


def test_stripping_before_the_counts_are_complete_is_refused() -> None:
    chrome = new_pass()
    chrome.count(site_records("latin"))
    with pytest.raises(PhasesOutOfOrder):
        chrome.process(site_records("latin"), report())
    chrome.finish_counting()
    with pytest.raises(PhasesOutOfOrder):
        chrome.count(site_records("latin"))


def test_it_is_idempotent() -> None:
    records = [r for script in sorted(SITES) for r in site_records(script, f"{script}.example")]
    records = [dataclasses.replace(r, seed_id=f"{n:03d}_{n:016x}") for n, r in enumerate(records)]
    once, _ = strip(records)
    chrome, counts = new_pass(), report()
    chrome.count_corpus([records])
    assert chrome.process(once, counts) == once
    assert not counts.rules


def all_sites() -> list[Record]:
    records = [
        r
        for n, script in enumerate(sorted(SITES))
        for r in site_records(script, f"{script}.example", first=10 * n)
    ]
    records += [
        record(
            90 + i,
            f"Home | World | Business | Sport\n\nLone page {i}.",
            url=f"https://lone{i}.example/",
        )
        for i in range(3)
    ]
    return records


@pytest.mark.parametrize("batch_size", [1, 2, 5, 1000])
def test_the_same_whatever_the_batch_size_and_the_order_counted(batch_size: int) -> None:
    records = all_sites()
    expected, expected_counts = strip(records, batch_size=1000)
    shuffled = records[:]
    random.Random(batch_size).shuffle(shuffled)
    chrome = new_pass()
    chrome.count_corpus([shuffled[i : i + batch_size] for i in range(0, len(shuffled), batch_size)])
    counts = report()
    out = [
        r
        for i in range(0, len(records), batch_size)
        for r in chrome.process(records[i : i + batch_size], counts)
    ]
    assert out == expected
    assert counts == expected_counts
    # The lone pages (other sites) keep the menu they share with the Latin site.
    assert all(r.text.startswith("Home | World") for r in out if r.seed_id.startswith("09"))


# A site's self-description printed inside every article: prose-like, so the record
# steps keep it; only its recurrence across the site shows it is chrome.
TAGLINES = {
    "latin": "Example Daily is an independent newspaper founded in 1921.",
    "cyrillic": "«Пример» — независимая газета, основанная в 1921 году.",
    "cjk": "示例新闻网是一家创办于1921年的独立报纸。",
    "arabic": "أخبار المثال صحيفة مستقلة تأسست عام 1921.",
}


def test_the_same_through_the_pipeline_whatever_the_jobs() -> None:
    records = [
        record(
            10 * n + i,
            f"{body[0]}\n\n{TAGLINES[script]}\n\n{body[1]}",
            url=f"https://{script}.example/{i}",
        )
        for n, script in enumerate(sorted(SITES))
        for i, body in enumerate(SITES[script][1])
    ]
    results = []
    for jobs, batch_size in ((1, 256), (2, 2)):
        chrome = new_pass()
        chrome.count_corpus([records])
        pipeline = Pipeline(PIPELINE, [chrome], RULES)
        batches = [records[i : i + batch_size] for i in range(0, len(records), batch_size)]
        out = [r for batch in pipeline.run(batches, jobs=jobs) for r in batch]
        results.append((out, pipeline.reports[-1]))
    assert results[0] == results[1]
    out, chrome_report = results[0]
    assert chrome_report.rules == {RECURRING_ACROSS_SITE: 3 * 4}
    assert [r.text for r in out] == [
        "\n\n".join(body) for script in sorted(SITES) for body in SITES[script][1]
    ]


def test_key_counts_match_a_counter_whatever_the_buffer() -> None:
    rng = random.Random(3)
    pages = [sorted({rng.randrange(50) for _ in range(rng.randrange(1, 12))}) for _ in range(200)]
    expected = Counter(key for keys in pages for key in keys)
    for buffer_size in (1, 7, 1 << 16):
        counts = KeyCounts(buffer_size)
        for keys in pages:
            counts.add(np.array(keys, dtype=np.uint64))
        counts.freeze()
        assert len(counts) == len(expected)
        probe = np.arange(60, dtype=np.uint64)
        assert counts.counts(probe).tolist() == [expected[k] for k in range(60)]


def test_the_thresholds_come_from_the_rules_file(tmp_path: object) -> None:
    """With min_seeds raised to 4, a line on 3 of 3 seeds stays."""
    data = dict(RULES["recurring_lines"].data)
    data["recurring"] = {**data["recurring"], "min_seeds": 4}
    changed = dataclasses.replace(RULES["recurring_lines"], data=data, sha256="changed")
    rules = RuleSet({**RULES.files, "recurring_lines": changed})
    records = site_records("latin")
    out, _ = strip(records, rules=rules)
    assert out == records


def test_a_build_strips_a_sites_chrome_names_it_in_the_card_and_keeps_the_five_seeds(
    tmp_path: Path,
) -> None:
    """The five seeds (no url, no source) plus three pages of one site, built by the CLI."""
    from tests.test_build import build_in, make_project

    project = make_project(tmp_path / "project")
    texts = [f"{body[0]}\n\n{TAGLINES['latin']}\n\n{body[1]}" for body in SITES["latin"][1]]
    seed_ids = write_site_seeds(project, texts, "www.example-daily.test", languages=["en"])
    assert build_in(project) == 0
    dist = project / "dist"
    rows = {r["id"]: r for r in read_rows((dist / "data").rglob("*.parquet"))}
    for seed_id, text, body in zip(seed_ids, texts, SITES["latin"][1], strict=True):
        row = rows[f"{seed_id}-0"]
        assert row["text"] == "\n\n".join(body)
        assert replay(text, [Edit(**e) for e in row["provenance"]]) == row["text"]
        assert row["provenance"][-1]["step"] == STEP_ID
    golden = Path(__file__).resolve().parent.parent / "golden"
    for path in golden.glob("*.txt"):
        assert rows[path.stem]["text"] == path.read_text(encoding="utf-8").removesuffix("\n")
    card = (dist / "README.md").read_text(encoding="utf-8")
    # The steps table's row of the pass names the rule and how often it fired
    # (the card escapes underscores in its text cells).
    fired = RECURRING_ACROSS_SITE.replace("_", r"\\?_")
    assert re.search(rf"`{STEP_ID}`.*\| 180 \| {fired} ×3 \|", card)
    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    assert {"id": STEP_ID, "name": "strip_recurring_lines", "version": VERSION} in manifest["steps"]
    assert "recurring_lines.toml" in manifest["rules"]


def test_versions_of_one_article_sharing_a_long_paragraph_count_once() -> None:
    """Three versions of a story (other URLs, an edit each) share its long paragraphs:
    one page of the site, so the story's short lines are not the site's chrome."""
    long_paragraph = " ".join([PROSE] * 2)
    records = [
        record(
            i,
            f"Council approves the budget\n\n{long_paragraph}\n\nUpdated {i} times today.",
            url=f"https://e.com/story?version={i}",
        )
        for i in range(1, 4)
    ]
    out, counts = strip(records)
    assert out == records
    assert not counts.rules


def write_site_seeds(
    project: Path,
    texts: Sequence[str],
    host: str,
    first: int = 5,
    languages: list[str] | None = None,
) -> list[str]:
    """``texts`` as seeds of ``project`` whose sidecars give a url on ``host`` (and
    ``languages``); their ids."""
    seed_ids = []
    for number, text in enumerate(texts, start=first):
        data = text.encode("utf-8")
        sha = hashlib.sha256(data).hexdigest()
        seed_id = f"{number:03d}_{sha[:16]}"
        seed_ids.append(seed_id)
        (project / "seeds" / f"{seed_id}.txt").write_bytes(data)
        sidecar = {
            "id": seed_id,
            "sha256": sha,
            "languages": languages,
            "source": None,
            "date": None,
            "url": f"https://{host}/news/{number}",
            "title": None,
            "license": None,
            "provenance": "a test page",
            "contributor": None,
            "date_added": "2026-12-01",
        }
        (project / "seeds" / f"{seed_id}.json").write_text(json.dumps(sidecar), encoding="utf-8")
    (project / "seeds" / ".last-id").write_text(f"{first + len(texts) - 1:03d}\n", encoding="utf-8")
    return seed_ids


@pytest.mark.parametrize("script", ["latin", "cyrillic"])
def test_a_review_shows_the_lines_that_recur_across_the_seeds_site(
    tmp_path: Path, script: str
) -> None:
    """`curation review` shows the published text, so it strips what the build strips."""
    from curation.review.seed_review import review_seeds, step_order
    from tests.test_build import make_project

    project = make_project(tmp_path / "project")
    _chrome, bodies = SITES[script]
    texts = [f"{body[0]}\n\n{TAGLINES[script]}\n\n{body[1]}" for body in bodies]
    seed_ids = write_site_seeds(project, texts, "www.example-daily.test")
    # The tagline is prose: it goes only once it is on max(5, 50 %) of the site's seeds.
    more = [f"{t}\n\nStory {n} ends here with a sentence of its own." for n, t in enumerate(texts)]
    seed_ids += write_site_seeds(project, more[:2], "example-daily.test", first=8)
    reviews = review_seeds(seed_ids[:1], project / "seeds", project / "dist")
    (record,) = reviews[0].records
    assert record.record.text == "\n\n".join(bodies[0])
    assert replay(texts[0], list(record.record.provenance)) == record.record.text
    assert [e.step for e in record.record.provenance][-1] == STEP_ID
    assert STEP_ID in step_order()
    traced = record.trace
    assert any(
        TAGLINES[script] in traced.raw[e.raw_start : e.raw_end]
        for e in traced.edits
        if e.edit.step == STEP_ID
    )


def test_a_review_of_a_seed_with_no_site_is_what_the_steps_make(tmp_path: Path) -> None:
    """The near-miss: the same three texts with no url and no source keep their tagline."""
    from curation.contribute.cleaned_text import clean_seed, readable_seed_records
    from curation.review.seed_review import review_seeds
    from curation.seeds import discover_seeds
    from tests.test_build import make_project

    project = make_project(tmp_path / "project")
    _chrome, bodies = SITES["latin"]
    texts = [f"{body[0]}\n\n{TAGLINES['latin']}\n\n{body[1]}" for body in bodies] * 2
    texts = [f"{t}\n\nPart {n} of the series." for n, t in enumerate(texts)]
    seed_ids = write_site_seeds(project, texts, "unused.test")
    for seed_id in seed_ids:
        path = project / "seeds" / f"{seed_id}.json"
        sidecar = json.loads(path.read_text())
        sidecar["url"] = None
        path.write_text(json.dumps(sidecar), encoding="utf-8")
    (record,) = review_seeds(seed_ids[:1], project / "seeds", project / "dist")[0].records
    assert TAGLINES["latin"] in record.record.text
    seeds, _ = discover_seeds(project / "seeds")
    raw = {r.seed_id: r for r in readable_seed_records(seeds)[0]}
    assert clean_seed(raw[seed_ids[0]], RULES).records == (record.record,)


def test_add_seed_counts_the_new_seed_among_its_sites_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new page that holds only its site's recurring prose would publish nothing: the
    new seed is counted with the others, as the next build counts it, and refused."""
    from curation.contribute.add_seed import SeedMetadata, add_seed
    from curation.errors import InvalidInput
    from tests.test_build import make_project

    project = make_project(tmp_path / "project")
    _chrome, bodies = SITES["latin"]
    texts = [f"{body[0]}\n\n{TAGLINES['latin']}\n\n{body[1]}" for body in bodies]
    texts.append(f"{bodies[0][1]}\n\n{TAGLINES['latin']}\n\nThe fourth story is short.")
    write_site_seeds(project, texts, "example-daily.test")
    monkeypatch.chdir(project)
    new = project / "new.txt"
    new.write_text(TAGLINES["latin"] + "\n", encoding="utf-8")
    metadata = SeedMetadata(
        languages=("en",), url="https://example-daily.test/about", license="CC0", provenance="t"
    )
    kwargs = {
        "seeds_dir": Path("seeds"),
        "dist_dir": Path("dist"),
        "today": datetime.date(2026, 12, 1),
    }
    with pytest.raises(InvalidInput) as refused:
        add_seed(new, metadata, **kwargs)  # type: ignore[arg-type]
    assert f"({STEP_ID}: {EMPTY_AFTER_RECURRING_LINES})" in str(refused.value)
    # The near-miss: on a site of its own the same text is a seed like any other.
    elsewhere = dataclasses.replace(metadata, url="https://other-site.test/about")
    added = add_seed(new, elsewhere, **kwargs)  # type: ignore[arg-type]
    assert added.records == 1
