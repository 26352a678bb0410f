"""A list that a sentence of the article introduces ("... as follows:") stays inside the
article however many short lines it has (revise_inside_body, ``list_intro_marks``);
a run of labels with no such sentence before it, or under a link list's label, still
goes. Made-up pages in four scripts."""

from __future__ import annotations

import pytest

from curation.record import apply_changes
from curation.rules import load_rules
from curation.steps import strip_boilerplate
from curation.steps.classify_paragraphs import (
    classifier_rules,
    introduces_list,
    language_lists,
    measure,
)

RULES = load_rules()
BOILERPLATE = RULES["boilerplate"]
CLASSIFIER = classifier_rules(BOILERPLATE)
P = "\n\n"


def strip(text: str, language: str) -> str:
    return apply_changes(
        text, strip_boilerplate.boilerplate_changes(text, BOILERPLATE, (language,))
    )


# language: (menu, first paragraph, the sentence that opens the list, its items (short
# labels, no numbers), a heading before that sentence, last paragraph, footer)
PAGES = {
    "en": (
        ["Home", "World", "Business", "Sport", "Sign In", "Weather", "Video"],
        "The team shipped the new release on Tuesday, after a month of work on the "
        "address bar, the printing dialog and the way the browser unloads tabs that "
        "nobody has looked at for a while, which saves memory on older machines.",
        "This month we are running experiments in these countries:",
        ["Australia", "New Zealand", "Canada", "Ireland", "South Africa", "Kenya", "India"],
        "Experiments",
        "The results will be published in the next report, together with the numbers "
        "of users who took part and what they told us about the changes, so that the "
        "team can decide which of them should be turned on for everybody in the spring.",
        ["Most Read", "Markets Rally On Rate Hopes", "Storm Warning For Coast", "Contact"],
    ),
    "ru": (
        ["Главная", "Мир", "Экономика", "Спорт", "Войти", "Погода", "Видео"],
        "Команда выпустила новую версию во вторник, после месяца работы над адресной "
        "строкой, диалогом печати и тем, как браузер выгружает вкладки, которые никто "
        "давно не открывал, и это экономит память на старых компьютерах.",
        "В этом месяце мы проводим эксперименты в таких странах:",
        ["Австралия", "Новая Зеландия", "Канада", "Ирландия", "Казахстан", "Кения", "Индия"],
        "Эксперименты",
        "Результаты будут опубликованы в следующем отчёте вместе с числом пользователей, "
        "которые приняли в них участие, и с тем, что они нам рассказали, чтобы команда "
        "могла решить, какие из изменений включить для всех весной.",
        ["Самое читаемое", "Рынки растут", "Шторм на побережье", "Контакты"],
    ),
    "zh": (
        [
            "登录",
            "注册",
            "首页 | 新闻 | 财经 | 体育 | 娱乐",
            "首页 › 新闻 › 国际",
            "国际 | 国内 | 社会",
            "科技 | 文化 | 旅游",
            "视频 | 图片 | 直播",
        ],
        "开发团队在星期二发布了新版本，此前他们用了一个月的时间改进地址栏、打印对话框，"
        "以及浏览器卸载长时间没有人查看的标签页的方式，这在旧电脑上可以节省不少内存。",
        "这个月我们在下面这些国家进行了试验：",
        ["澳大利亚", "新西兰", "加拿大", "爱尔兰", "南非", "肯尼亚", "印度"],
        "试验",
        "试验的结果将在下一期报告中公布，同时公布参加试验的用户人数和他们对这些改动的意见，"
        "以便团队决定在春天把其中哪些改动向所有用户开放。",
        [
            "热门文章 | 股市上涨 | 沿海风暴",
            "© 2024 每日新闻",
            "关于我们 | 联系我们 | 隐私",
            "广告 | 招聘 | 帮助",
        ],
    ),
    "ar": (
        [
            "تسجيل الدخول",
            "اشترك",
            "الرئيسية | أخبار | اقتصاد | رياضة",
            "الرئيسية › أخبار › العالم",
            "سياسة | ثقافة | علوم",
            "سفر | صحة | تقنية",
            "فيديو | صور | بث",
        ],
        "أصدر الفريق النسخة الجديدة يوم الثلاثاء، بعد شهر من العمل على شريط العناوين "
        "ونافذة الطباعة والطريقة التي يغلق بها المتصفح الألسنة التي لم يفتحها أحد منذ "
        "مدة طويلة، وهو ما يوفر الذاكرة على الأجهزة القديمة.",
        "في هذا الشهر نجري التجارب في هذه الدول:",
        ["أستراليا", "نيوزيلندا", "كندا", "أيرلندا", "جنوب أفريقيا", "كينيا", "الهند"],
        "التجارب",
        "وستنشر النتائج في التقرير القادم مع عدد المستخدمين الذين شاركوا فيها وما قالوه "
        "لنا عن التغييرات، حتى يقرر الفريق أيها يجب أن يفعل للجميع في الربيع المقبل.",
        [
            "الأكثر قراءة | أخبار | فيديو",
            "© 2024 الأخبار",
            "اتصل بنا | من نحن | الخصوصية",
            "إعلانات | وظائف | مساعدة",
        ],
    ),
}
# A link list's label with a colon: a label, not a sentence (too few words, or Title Case).
LABELS = {
    "en": "Other Stories You May Like:",
    "ru": "Читайте также:",
    "zh": "相关阅读：",
    "ar": "اقرأ أيضا:",
}


# In a script without capitals a short line is a link's label only by its neighbours,
# and after good text it heads what follows (see _caseless_label): seven such lines
# stay with or without a sentence before them, so the near misses are in cased scripts.
CASED = ["en", "ru"]


def _page(language: str, middle: list[str]) -> tuple[str, list[str]]:
    menu, first, _, _, _, last, footer = PAGES[language]
    body = [first, *middle, last]
    return P.join([*menu, *body, *footer]), body


@pytest.mark.parametrize("language", sorted(PAGES))
def test_introduced_list_inside_the_article_stays(language: str) -> None:
    """Seven short unnumbered items after the sentence that opens them: more than
    list_entry_max_lines label-like lines, kept because the article introduces them."""
    _, _, intro, items, _, _, _ = PAGES[language]
    page, body = _page(language, [intro, *items])
    assert strip(page, language) == P.join(body)


# Longer items: their text is too far from the next paragraph for the introducing
# sentence to be a heading of prose, so it is a label-like line of the run itself.
GROUPS = {"en": "the second test group", "ru": "вторая тестовая группа"}


@pytest.mark.parametrize("language", CASED)
def test_lines_before_the_introducing_sentence_are_judged_apart(language: str) -> None:
    """A heading, the sentence under it and the list, all label-like lines of one run:
    the list goes on from the sentence, and the heading before it is a run of one
    line between the article's paragraph and the sentence, so it stays too."""
    menu, first, intro, items, heading, last, footer = PAGES[language]
    entries = [f"{item}, {GROUPS[language]}" for item in items]
    body = [f"{first} {last}", heading, intro, *entries, f"{last} {first}"]
    assert strip(P.join([*menu, *body, *footer]), language) == P.join(body)


@pytest.mark.parametrize("language", CASED)
def test_list_under_a_link_label_goes(language: str) -> None:
    """Near miss: the same seven lines under a link list's label ending with a colon
    ("Read also:") are a block of links inside the article, and go with the label."""
    _, first, _, items, _, last, _ = PAGES[language]
    page, _ = _page(language, [LABELS[language], *items])
    assert strip(page, language) == P.join([first, last])


@pytest.mark.parametrize("language", CASED)
def test_list_after_a_sentence_without_a_colon_goes(language: str) -> None:
    """Near miss: a sentence that ends with a full stop introduces nothing; the seven
    labels after it go as before (the sentence stays, it is prose)."""
    _, first, intro, items, _, last, _ = PAGES[language]
    closed = intro.rstrip(":：") + ("。" if language == "zh" else ".")
    page, _ = _page(language, [closed, *items])
    assert strip(page, language) == P.join([first, closed, last])


@pytest.mark.parametrize("language", sorted(PAGES))
def test_introduced_list_at_the_end_of_the_article_goes(language: str) -> None:
    """Near miss: a list must lie between the article's paragraphs; seven labels after
    its last paragraph are the page's, whatever the sentence before them says."""
    menu, first, intro, items, _, last, footer = PAGES[language]
    page = P.join([*menu, first, last, intro, *items, *footer])
    kept = strip(page, language)
    assert all(item not in kept.split(P) for item in items)
    assert first in kept and last in kept


@pytest.mark.parametrize(
    ("language", "line", "opens"),
    [
        ("en", "We are running three experiments:", True),
        ("en", "The server stores the following properties:", True),
        ("es", "Las tres pruebas son las siguientes:", True),
        ("ru", "Общий рейтинг стран получился таким:", True),
        ("ja", "この記事では次の三つを試しています：", True),
        ("zh", "这个月我们在下面这些国家进行了试验：", True),
        ("ar", "وجاء الترتيب العام للدول على النحو التالي:", True),
        # labels: too few words, Title Case, or no stopword at all
        ("en", "Read more:", False),
        ("en", "see also:", False),
        ("es", "ver también:", False),
        ("en", "Other Stories You May Like:", False),
        ("en", "Apples pears plums cherries:", False),
        ("ru", "Читайте также:", False),
        ("zh", "相关阅读：", False),
        # a sentence that ends otherwise
        ("en", "We are running three experiments.", False),
        ("en", "We are running three experiments", False),
    ],
)
def test_introduces_list(language: str, line: str, opens: bool) -> None:
    features = measure(line, language_lists(language, CLASSIFIER), CLASSIFIER)
    assert introduces_list(line, features, CLASSIFIER) is opens
