"""Where the article ends: a listing of cards after it (a live feed, dated teasers, a
photo gallery, teasers closed by the same template lines), found by its rhythm, in
several scripts; and the near-misses that must stay (a timeline of years, an article
with an ad between its paragraphs, a diary of long dated entries, an article that goes
on after a gallery)."""

from __future__ import annotations

import pytest

from curation.record import apply_changes
from curation.rules import load_rules
from curation.steps import strip_boilerplate
from curation.steps.classify_paragraphs import (
    LISTING,
    classifier_rules,
    classify,
    listing_rules,
    listing_spans,
    stamp_keys,
)

RULES = load_rules()
BOILERPLATE = RULES["boilerplate"]
CLASSIFIER = classifier_rules(BOILERPLATE)
LISTING_RULES = listing_rules(BOILERPLATE)
P = "\n\n"


def strip(text: str, languages: tuple[str, ...]) -> str:
    return apply_changes(text, strip_boilerplate.boilerplate_changes(text, BOILERPLATE, languages))


def removed_as(text: str, languages: tuple[str, ...]) -> dict[str, str]:
    """Each removed paragraph, by the rule that removed it."""
    changes = strip_boilerplate.boilerplate_changes(text, BOILERPLATE, languages)
    return {text[c.start : c.end].strip(): c.rule for c in changes}


# Per script: the page's menus (enough chrome for the classifier to act), its article,
# and cards that each read like a piece of an article: a headline and a teaser of prose.
MENUS = {
    "en": ["Politics | Business | Sport", "Culture | Science | Travel", "Home › World"],
    "ru": ["Политика | Экономика | Спорт", "Культура | Наука | Туризм", "Главная › Мир"],
    "zh": ["政治 | 财经 | 体育", "文化 | 科技 | 旅游", "首页 › 国际"],
    "ar": ["سياسة | اقتصاد | رياضة", "ثقافة | علوم | سفر", "الرئيسية › العالم"],
}
ARTICLES = {
    "en": [
        "The government said on Tuesday that it would raise the minimum wage by four per "
        "cent next year, after months of talks with the unions and the employers, who had "
        "asked for a smaller rise because of the weak economy.",
        "The unions had asked for eight per cent and said they would go on with their "
        "protests in the spring if the government did not listen to them, and the largest "
        "of them has already called a strike for the first week.",
        "The employers said the rise was too high for small firms, which have seen their "
        "costs go up for two years in a row and cannot pass them on to their customers.",
    ],
    "ru": [
        "Правительство во вторник объявило, что в следующем году минимальная зарплата "
        "вырастет на четыре процента. Об этом договорились после долгих переговоров с "
        "профсоюзами и работодателями, которые просили меньшего роста.",
        "Профсоюзы требовали восемь процентов и заявили, что продолжат протесты весной, "
        "если правительство их не услышит. Крупнейший из них уже назначил забастовку на "
        "первую неделю марта, и к ней готовы присоединиться другие.",
        "Работодатели сказали, что рост слишком велик для малых фирм, у которых расходы "
        "растут уже второй год подряд и которые не могут переложить их на покупателей.",
    ],
    "zh": [
        "政府星期二宣布，明年最低工资将上调百分之四。这是在与工会和雇主进行了数月谈判之后"
        "作出的决定，雇主们此前因为经济疲软而要求较小的涨幅。",
        "工会此前要求上调百分之八，并表示如果政府不听取他们的意见，他们将在春天继续抗议，"
        "其中最大的工会已经宣布在三月第一周举行罢工。",
        "雇主们则表示，这一涨幅对小企业来说太高了，因为它们的成本已经连续两年上涨，而且"
        "无法把这些成本转嫁给顾客，其中一些企业将不得不裁员。",
    ],
    "ar": [
        "قالت الحكومة يوم الثلاثاء إنها سترفع الحد الأدنى للأجور بنسبة أربعة في المئة في "
        "العام المقبل، بعد أشهر من المحادثات مع النقابات وأصحاب العمل الذين طلبوا زيادة "
        "أقل بسبب ضعف الاقتصاد في البلاد.",
        "وكانت النقابات قد طالبت بزيادة ثمانية في المئة، وقالت إنها ستواصل احتجاجاتها في "
        "الربيع إذا لم تستمع إليها الحكومة، وقد دعت أكبرها بالفعل إلى إضراب في الأسبوع "
        "الأول من الشهر المقبل.",
        "وقال أصحاب العمل إن الزيادة مرتفعة جدا بالنسبة إلى الشركات الصغيرة التي ارتفعت "
        "تكاليفها لعامين متتاليين ولا تستطيع أن تحملها لزبائنها، وإن بعضها سيضطر إلى "
        "تسريح عمال.",
    ],
}
# (headline, teaser) of other stories.
TEASERS = {
    "en": [
        (
            "Storm closes the coast road",
            "The road along the coast was closed on Monday after "
            "the storm brought down trees and power lines in the north.",
        ),
        (
            "City council votes on the new budget",
            "The council will vote on the budget next "
            "week, and the opposition has said that it will vote against it.",
        ),
        (
            "Museum opens a new wing",
            "The new wing of the museum opened to the public on "
            "Sunday with an exhibition of paintings from the collection.",
        ),
        (
            "Rail strike is called off",
            "The union called off the strike at the last minute "
            "after the company made a new offer on pay and hours.",
        ),
    ],
    "ru": [
        (
            "Шторм закрыл прибрежную дорогу",
            "Дорогу вдоль побережья закрыли в понедельник, "
            "после того как шторм повалил деревья и линии электропередачи.",
        ),
        (
            "Городской совет голосует за бюджет",
            "Совет проголосует за бюджет на следующей "
            "неделе, и оппозиция уже заявила, что будет против.",
        ),
        (
            "Музей открыл новое крыло",
            "Новое крыло музея открылось для публики в воскресенье, "
            "и в нём показывают картины из его собрания.",
        ),
        (
            "Забастовка на железной дороге отменена",
            "Профсоюз отменил забастовку в последний "
            "момент, когда компания сделала новое предложение.",
        ),
    ],
    "zh": [
        (
            "暴风雨导致沿海公路关闭",
            "周一暴风雨吹倒了北部的树木和电线，沿海公路因此被关闭，有关部门正在抢修。",
        ),
        ("市议会将就新预算投票", "市议会将在下周就预算进行投票，反对派已经表示他们将投反对票。"),
        ("博物馆新馆开放", "博物馆的新馆在周日向公众开放，展出了馆藏中的一批画作，吸引了很多人。"),
        ("铁路罢工被取消", "在公司就工资和工时提出新方案之后，工会在最后一刻取消了这次罢工。"),
    ],
    "ar": [
        (
            "العاصفة تغلق الطريق الساحلي",
            "أغلق الطريق على طول الساحل يوم الاثنين بعد أن "
            "أسقطت العاصفة الأشجار وخطوط الكهرباء في الشمال.",
        ),
        (
            "مجلس المدينة يصوت على الميزانية",
            "سيصوت المجلس على الميزانية الأسبوع المقبل، وقالت المعارضة إنها ستصوت ضدها.",
        ),
        (
            "المتحف يفتتح جناحا جديدا",
            "افتتح الجناح الجديد للمتحف أمام الجمهور يوم الأحد بمعرض للوحات من مجموعته.",
        ),
        (
            "إلغاء إضراب السكك الحديدية",
            "ألغت النقابة الإضراب في اللحظة الأخيرة بعد أن قدمت الشركة عرضا جديدا للأجور.",
        ),
    ],
}
LANGUAGES = sorted(ARTICLES)


def page(language: str, cards: list[str]) -> str:
    """Menus, the article, a menu (as a page sets a box of other stories apart), the
    cards, the footer's menus."""
    menus = MENUS[language]
    return P.join([*menus, *menus, *ARTICLES[language], menus[0], *cards, *menus, *menus])


def live_feed(language: str) -> list[str]:
    """A live feed: each card a time, a headline and a teaser."""
    times = ["14:32", "14:10", "13:47", "13:05"]
    return [line for t, (h, s) in zip(times, TEASERS[language], strict=True) for line in (t, h, s)]


def dated_teasers(language: str) -> list[str]:
    """Teaser cards each with a date line under its headline (CNN's "Updated" lines)."""
    dates = ["12.03.2024", "09.03.2024", "02.03.2024", "27.02.2024"]
    return [line for d, (h, s) in zip(dates, TEASERS[language], strict=True) for line in (h, d, s)]


def gallery(language: str) -> list[str]:
    """A photo gallery: a counter, a headline, a caption, a credit."""
    return [
        line
        for n, (h, s) in enumerate(TEASERS[language], 1)
        for line in (f"{n}/{len(TEASERS[language])}", h, s, "AFP")
    ]


def latest_box(language: str) -> list[str]:
    """A "latest news" box: each card a time and a headline, no teaser."""
    times = ["18:51", "18:09", "17:24", "17:00"]
    return [line for t, (h, _) in zip(times, TEASERS[language], strict=True) for line in (t, h)]


def template_closed(language: str) -> list[str]:
    """Teasers each closed by the same template lines (a stream's "Save" buttons)."""
    buttons = {"en": "Save", "ru": "Сохранить", "zh": "收藏", "ar": "حفظ"}[language]
    return [line for h, s in TEASERS[language] for line in (h, s, buttons)]


@pytest.mark.parametrize("cards", [live_feed, dated_teasers, gallery, template_closed, latest_box])
@pytest.mark.parametrize("language", LANGUAGES)
def test_listing_after_the_article_goes(language: str, cards: object) -> None:
    assert callable(cards)
    text = page(language, cards(language))
    assert strip(text, (language,)) == P.join(ARTICLES[language])
    # The cards went as a listing, not for their own shape.
    removed = removed_as(text, (language,))
    assert LISTING in removed.values()


@pytest.mark.parametrize("language", LANGUAGES)
def test_gallery_inside_the_article_goes_and_the_article_goes_on(language: str) -> None:
    """A gallery of three cards inside the article: its lines go, and the article goes
    on after it (each line of a listing costs the body only chrome_min_cost, less
    than the article brings on either side of it)."""
    before = ARTICLES[language][:2]
    after = ARTICLES[language][::-1]  # the article's second half: three more paragraphs
    cards = gallery(language)[:12]
    text = P.join([*MENUS[language] * 2, *before, *cards, *after, *MENUS[language] * 2])
    assert strip(text, (language,)) == P.join([*before, *after])


def test_stamp_kinds() -> None:
    lines = [
        "14:32",  # a clock time
        "April 26, 2014 -- Updated 1358 GMT",  # a date line: four words
        "3/50",  # a counter
        "١٤:٣٢",  # Arabic-Indic digits
        "1969",  # a year alone: a timeline's entry, no stamp
        "In 2014 the talks began again",  # a sentence with a year
        "The talks went on.",
    ]
    verdicts = classify(lines, "en", CLASSIFIER)
    assert stamp_keys(lines, verdicts, CLASSIFIER, LISTING_RULES) == [
        "stamp", "stamp", "stamp", "stamp", None, None, None,
    ]  # fmt: skip


# --- near-misses: article text that must stay -----------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_timeline_of_years_stays(language: str) -> None:
    """A chronology, each entry a year, a heading and a paragraph: years alone are no
    stamps (a film list, a history)."""
    entries = [
        line
        for year, (h, s) in zip(["1969", "1983", "1997", "2012"], TEASERS[language], strict=True)
        for line in (year, h, s)
    ]
    article = [*ARTICLES[language], *entries]
    text = P.join([*MENUS[language] * 2, *article, *MENUS[language] * 2])
    assert LISTING not in removed_as(text, (language,)).values()


@pytest.mark.parametrize("language", LANGUAGES)
def test_ad_label_between_paragraphs_marks_no_card(language: str) -> None:
    """An ad's label that a phrase rule removes, after every paragraph of an article
    with a subheading before each: the label marks no card (it stands between an
    article's paragraphs as often as between cards)."""
    parts = [line for h, s in TEASERS[language] for line in ("Advertisement", h, s)]
    text = P.join([*MENUS[language] * 2, *ARTICLES[language], *parts, *MENUS[language] * 2])
    assert LISTING not in removed_as(text, (language,)).values()


@pytest.mark.parametrize("language", LANGUAGES)
def test_diary_of_long_dated_entries_stays(language: str) -> None:
    """Dated entries that each hold more prose than a card does are the article's."""
    long = {lang: P.join(ARTICLES[lang] * 2) for lang in LANGUAGES}[language]
    dates = ["12.03.2024", "13.03.2024", "14.03.2024", "15.03.2024"]
    article = [
        line for d, (h, _) in zip(dates, TEASERS[language], strict=True) for line in (d, h, long)
    ]
    text = P.join([*MENUS[language] * 2, *article, *MENUS[language] * 2])
    assert LISTING not in removed_as(text, (language,)).values()


@pytest.mark.parametrize("language", LANGUAGES)
def test_two_cards_are_no_listing(language: str) -> None:
    """Two dated teasers may be a box inside the article: a listing takes three."""
    cards = live_feed(language)[:6]
    lines = [*ARTICLES[language], *cards]
    verdicts = classify(lines, language, CLASSIFIER)
    assert listing_spans(lines, verdicts, CLASSIFIER, LISTING_RULES) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_cards_without_labels_are_no_listing(language: str) -> None:
    """Times before paragraphs of prose with no headline or name among them (a
    transcript, minutes of a meeting) are the text, not cards."""
    times = ["14:32", "14:10", "13:47", "13:05"]
    lines = [line for t, (_, s) in zip(times, TEASERS[language], strict=True) for line in (t, s)]
    verdicts = classify(lines, language, CLASSIFIER)
    assert listing_spans(lines, verdicts, CLASSIFIER, LISTING_RULES) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_menu_printed_again_and_again_marks_no_card(language: str) -> None:
    """Near-miss: the page's menus, printed between its head, its article and its foot,
    recur like a template line, but a menu is neither a stamp nor a card's label: the
    article between two copies is no card."""
    menus = MENUS[language]
    text = P.join([*menus, *menus, *ARTICLES[language], *menus, *menus])
    assert LISTING not in removed_as(text, (language,)).values()
    assert strip(text, (language,)) == P.join(ARTICLES[language])


# --- comment threads: template lines with changing counts, long comments ---------------

NAMES = {
    "en": ["Anna Smith", "John Brown", "Mary Jones", "Peter Clark", "Lucy Green", "Tom Hall"],
    "ru": ["Анна Петрова", "Иван Смирнов", "Мария Орлова", "Пётр Волков", "Олег Попов", "Нина Лис"],
    "zh": ["王小明", "李华", "张伟", "刘洋", "陈静", "杨帆"],
    "ar": ["أحمد علي", "سارة حسن", "محمد سالم", "ليلى عمر", "خالد يوسف", "منى كريم"],
}
# A comment's rating line, printed under each comment with its own count.
RATING = {"en": "Rating: {}", "ru": "Рейтинг: {}", "zh": "评分：{}", "ar": "التقييم: {}"}
REPLY = {"en": "Reply", "ru": "Ответить", "zh": "回复", "ar": "رد"}


def comment(language: str, number: int) -> str:
    """A comment of two sentences: wide enough to be prose on its own."""
    first = TEASERS[language][number % 4][1]
    second = TEASERS[language][(number + 1) % 4][1]
    return f"{first} {second}"


def rated_thread(language: str) -> list[str]:
    """Comments each under its author's name, with a rating line whose count changes."""
    counts = [3, -1, 12, 0, 5]
    return [
        line
        for number, count in enumerate(counts)
        for line in (
            NAMES[language][number],
            comment(language, number),
            RATING[language].format(count),
        )
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_template_line_with_changing_counts_marks_the_cards(language: str) -> None:
    """The rating line of each comment differs only in its count: one template, whose
    rhythm marks the thread after the article as a listing."""
    text = page(language, rated_thread(language))
    assert strip(text, (language,)) == P.join(ARTICLES[language])
    assert LISTING in removed_as(text, (language,)).values()


def test_lines_differing_in_counts_are_one_kind() -> None:
    lines = ["11 Comments", "A headline", "200 Comments", "Another headline", "-3 Comments"]
    verdicts = classify(lines, "en", CLASSIFIER)
    keys = stamp_keys(lines, verdicts, CLASSIFIER, LISTING_RULES)
    assert keys[0] == keys[2] == keys[4] is not None


@pytest.mark.parametrize("language", LANGUAGES)
def test_numbered_steps_are_no_template(language: str) -> None:
    """Near-miss: "Step 1", "Step 2", "Step 3" differ only in their numbers too, but the
    numbers count up one by one: an article's numbered headings, each over its short
    instruction, are no cards."""
    step = {"en": "Step {}", "ru": "Шаг {}", "zh": "第{}步", "ar": "الخطوة {}"}[language]
    steps = [
        line
        for number, (h, s) in enumerate(TEASERS[language], 1)
        for line in (step.format(number), h, s)
    ]
    lines = [*ARTICLES[language], *steps]
    verdicts = classify(lines, language, CLASSIFIER)
    assert listing_spans(lines, verdicts, CLASSIFIER, LISTING_RULES) == []
    assert stamp_keys(lines, verdicts, CLASSIFIER, LISTING_RULES)[3] is None


def long_comment(language: str, number: int) -> list[str]:
    """A comment of four paragraphs: more prose than a card holds."""
    return [comment(language, number + k) for k in range(4)]


def thread_with_long_comments(language: str, names: list[str]) -> list[str]:
    """Short and long comments in turn, each closed by its reply button: no three short
    ones in a row."""
    lines: list[str] = []
    for number, name in enumerate(names):
        body = [comment(language, number)] if number % 2 == 0 else long_comment(language, number)
        lines.extend([name, *body, REPLY[language]])
    return lines


@pytest.mark.parametrize("language", LANGUAGES)
def test_thread_goes_on_across_long_comments(language: str) -> None:
    """A long comment is no card (too much prose), but it opens with its author's name
    like the short ones: the thread's rhythm bridges it, and the whole thread goes."""
    thread = thread_with_long_comments(language, NAMES[language])
    text = page(language, thread)
    assert strip(text, (language,)) == P.join(ARTICLES[language])
    # Every comment went as the thread's, the long ones too.
    removed = removed_as(text, (language,))
    long_comments = [line for n in (1, 3, 5) for line in long_comment(language, n)]
    assert {removed[line] for line in long_comments} == {LISTING}


@pytest.mark.parametrize("language", LANGUAGES)
def test_repeated_name_is_a_label(language: str) -> None:
    """Anonymous comments all show the same name: a line printed again and again, yet
    each card's label."""
    anonymous = {"en": "Anonymous", "ru": "Аноним", "zh": "匿名用户", "ar": "مجهول"}[language]
    text = page(language, thread_with_long_comments(language, [anonymous] * 6))
    assert strip(text, (language,)) == P.join(ARTICLES[language])


def thread_opening_with_a_long_comment(language: str, names: list[str]) -> list[str]:
    """Long and short comments in turn, the first a long one, each under its name and
    closed by its reply button."""
    lines: list[str] = []
    for number, name in enumerate(names):
        body = long_comment(language, number) if number % 2 == 0 else [comment(language, number)]
        lines.extend([name, *body, REPLY[language]])
    return lines


@pytest.mark.parametrize("language", LANGUAGES)
def test_thread_opening_with_a_long_comment_right_under_the_article_goes(language: str) -> None:
    """A thread right under the article, its first comment a long one: more prose than
    a card holds, with the article's prose before it, not chrome. But it opens with the
    name line the thread's anonymous comments open with: the thread starts there."""
    anonymous = {"en": "Anonymous", "ru": "Аноним", "zh": "匿名用户", "ar": "مجهول"}[language]
    names = [anonymous if n % 2 == 0 else name for n, name in enumerate(NAMES[language])]
    thread = thread_opening_with_a_long_comment(language, names)
    menus = MENUS[language]
    text = P.join([*menus, *menus, *ARTICLES[language], *thread, *menus, *menus])
    assert strip(text, (language,)) == P.join(ARTICLES[language])
    assert {removed_as(text, (language,))[line] for line in long_comment(language, 0)} == {LISTING}


@pytest.mark.parametrize("language", LANGUAGES)
def test_sections_between_photo_credits_stay(language: str) -> None:
    """Near-miss: an article whose long sections stand between photos, each photo a
    caption and the same credit line, some photos in pairs. The short stretches between
    two credits are cards, but the sections open with prose, not with a label: no
    rhythm of cards bridges them."""
    section = ARTICLES[language] * 2  # more than a card holds, in paragraphs and in prose
    photos = [line for h, _ in TEASERS[language] for line in (h, "AFP")]
    article = [*section, *photos[:4], *section[::-1], *photos[4:], *section]
    text = P.join([*MENUS[language] * 2, *article, *MENUS[language] * 2])
    assert LISTING not in removed_as(text, (language,)).values()


@pytest.mark.parametrize("language", LANGUAGES)
def test_stretch_far_longer_than_the_cards_is_not_bridged(language: str) -> None:
    """Near-miss: a stream of teasers, each closed by the same button, printed before
    and after the article, whose first line is a name: the stretch between the two
    streams opens with a label like a card, but is more than twice as long as any of
    them, and stays."""
    cards = template_closed(language)
    menus = MENUS[language]
    text = P.join([*menus, *cards, NAMES[language][0], *ARTICLES[language], *cards, *menus, *menus])
    kept = strip(text, (language,))
    assert all(paragraph in kept for paragraph in ARTICLES[language])
