"""Where the article ends, found by what a template prints: a list of stories under a
heading the page prints again and again (the other story a live feed sets after it
goes too), and a prompt printed twice in two wordings; in several scripts, with the
near misses that must stay (a box of the template set inside the article with a story
or three, a list under a subheading printed once, the article's closing sentences
that share a phrase)."""

from __future__ import annotations

import pytest

from tests.steps.test_article_end import ARTICLES, MENUS, P, article_end, boxed, strip

# A template's heading over a list of stories ("Related"), one story a line: headlines
# (no sentence end, one with a full stop inside: a headline and its kicker) and a
# counter, then the other story a live feed prints in full, one long paragraph.
HEADINGS = {"en": "Related", "ru": "Похожие", "zh": "相关阅读", "ar": "ذات صلة"}
TEASERS = {
    "en": [
        "Unions plan a week of strikes in the north",
        "Small firms ask for help. The minister says no",
        "12 photos",
        "Prices of bread rise for the third month in a row",
    ],
    "ru": [
        "Профсоюзы готовят неделю забастовок на севере",
        "Малые фирмы просят помощи. Министр отказал",
        "12 фотографий",
        "Хлеб дорожает третий месяц подряд",
    ],
    "zh": [
        "工会计划在北方举行一周罢工",
        "小企业请求帮助，部长拒绝了",
        "12张照片",
        "面包价格连续第三个月上涨",
    ],
    "ar": [
        "النقابات تخطط لأسبوع من الإضرابات في الشمال",
        "الشركات الصغيرة تطلب المساعدة والوزير يرفض",
        "12 صورة",
        "أسعار الخبز ترتفع للشهر الثالث على التوالي",
    ],
}
OTHER_STORIES = {
    "en": "The city council voted on Monday to build three hundred flats along the river, "
    "which the mayor said would be ready for the first tenants in two years.",
    "ru": "Городской совет в понедельник решил построить триста квартир вдоль реки; мэр "
    "сказал, что первые жильцы въедут в них через два года.",
    "zh": "市议会星期一投票决定在河边建造三百套公寓，市长说第一批住户两年以后就可以搬进去。",
    "ar": "صوت مجلس المدينة يوم الاثنين على بناء ثلاثمئة شقة على ضفة النهر، وقال رئيس البلدية "
    "إن السكان الأوائل سينتقلون إليها بعد عامين.",
}
LANGUAGES = sorted(HEADINGS)


def listed(language: str, after_article: list[str], heading_copies: int = 2) -> str:
    """The page: menus, the article, what follows it, the footer's menus with
    ``heading_copies - 1`` more copies of the heading among them (the template's other
    boxes, their stories left out)."""
    menus = MENUS[language]
    footer = [HEADINGS[language]] * (heading_copies - 1)
    return P.join(
        [
            *menus,
            *menus,
            *ARTICLES[language],
            *after_article,
            *menus,
            *footer,
            "© 2024 Daily News",
            *menus,
        ]
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_list_under_a_template_heading_ends_the_article(language: str) -> None:
    """The heading printed three times on the page, then four lines that end no
    sentence: the list and the story after it go, the article stays whole."""
    after = [HEADINGS[language], *TEASERS[language], OTHER_STORIES[language]]
    out = strip(listed(language, after, heading_copies=3), (language,))
    assert out == P.join(ARTICLES[language]), out


def inside(language: str, box: list[str], heading_copies: int) -> str:
    """The page of :func:`listed` with ``box`` set inside the article, before its last
    paragraph."""
    article = ARTICLES[language]
    return listed(language, [], heading_copies).replace(
        P.join(article), P.join([*article[:2], *box, article[2]])
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_template_box_with_a_few_stories_ends_nothing(language: str) -> None:
    """Near miss: the template's heading over three stories (at most
    list_entry_max_lines) inside the article: its last paragraph stays."""
    box = [HEADINGS[language], *TEASERS[language][:3]]
    out = strip(inside(language, box, heading_copies=3), (language,))
    assert ARTICLES[language][2] in out, out


@pytest.mark.parametrize("language", LANGUAGES)
def test_list_under_a_heading_printed_once_ends_nothing(language: str) -> None:
    """Near miss: a heading the page prints once is the article's subheading, and the
    lines under it the article's list: the article's last paragraph stays."""
    box = [HEADINGS[language], *TEASERS[language]]
    out = strip(inside(language, box, heading_copies=1), (language,))
    assert ARTICLES[language][2] in out, out


@pytest.mark.parametrize("language", ["en", "ru"])
def test_template_list_cutting_most_of_the_span_ends_nothing(language: str) -> None:
    """Near miss: a list after the first long paragraph with more of the article's
    prose after it than before is no box under the article (end_before_box)."""
    article = ARTICLES[language]
    after = [HEADINGS[language], *TEASERS[language], OTHER_STORIES[language]]
    text = listed(language, [], heading_copies=3).replace(
        P.join(article), P.join([article[0], *after, *article[1:], OTHER_STORIES[language]])
    )
    out = strip(text, (language,))
    assert all(paragraph in out for paragraph in article[1:]), out


# A box under the article that prints its prompt twice, once for each way to act on it:
# its title, the two wordings, the button.
RESTATED_BOXES = {
    "en": [
        "Errors in this article?",
        "Select the text and press Ctrl+Enter to send the wrong words to our editors!",
        "Select the text and press the button below to send the wrong words to our editors!",
        "Send",
    ],
    "ru": [
        "Ошибка в тексте?",
        "Выделите текст и нажмите Ctrl+Enter, чтобы отправить неверные слова нашему "
        "редактору!",
        "Выделите текст и нажмите кнопку ниже, чтобы отправить неверные слова нашему "
        "редактору!",
        "Отправить",
    ],
    "zh": [
        "文章有错误？",
        "请选中文章里的文字，然后按下键盘上的回车键，把这段文字发送给我们的编辑！",
        "请选中文章里的文字，然后用鼠标点击下面的那个按钮，把这段文字发送给我们的编辑！",
        "发送",
    ],
}
# The article's closing sentences after its last long paragraph, sharing a phrase.
CLOSINGS = {
    "en": [
        "The unions will meet the minister of labour again on Friday to talk about the rise.",
        "The employers have not said whether they will meet the minister of labour at all.",
    ],
    "zh": [
        "工会将在星期五再次与劳动部长见面，讨论这次上调的具体安排。",
        "雇主们还没有说他们是否会去见劳动部长，也没有说他们的要求。",
    ],
}


@pytest.mark.parametrize("language", sorted(RESTATED_BOXES))
def test_prompt_printed_twice_in_two_wordings_goes(language: str) -> None:
    """The two wordings share most of their runs of three words (of characters in
    Chinese): the box, its title with it, is the page's."""
    text = boxed(language, RESTATED_BOXES[language])
    assert article_end(language, text) == P + ARTICLES[language][2]


@pytest.mark.parametrize("language", sorted(CLOSINGS))
def test_closing_sentences_sharing_a_phrase_stay(language: str) -> None:
    """Near miss: two closing sentences of the article that share a phrase ("meet the
    minister of labour") but not most of their runs of words stay."""
    text = boxed(language, CLOSINGS[language])
    end = article_end(language, text)
    assert all(line in end for line in CLOSINGS[language]), end
