"""Where the article starts: a bar of buttons right above it that the page printed already
in its head ("Share", "Save"), with a notice beside it as wide as a short paragraph, is
the page's, not the article's; in several scripts, with the near misses that must stay
(a lead above buttons the head does not print, a lead that is a sentence the head
printed too)."""

from __future__ import annotations

import pytest

from tests.steps.test_article_end import ARTICLES, MENUS, P, strip

# The bar's buttons, printed in the page's head and again over the article; in sentence
# case (a button in Title Case is a link label by its shape already).
BUTTONS = {
    "en": ["Keep it for later", "Send it to a friend"],
    "ru": ["Отложить на потом", "Отправить другу письмом"],
    "zh": ["分享", "收藏"],
    "ar": ["شارك", "احفظ"],
}
# Buttons the head does not print.
OTHER_BUTTONS = {
    "en": ["Read it out loud", "Make the text larger"],
    "ru": ["Прочитать вслух", "Увеличить размер текста"],
    "zh": ["点赞", "打印"],
    "ar": ["أعجبني", "اطبع"],
}
# A notice beside the bar, as wide as a short paragraph.
NOTICES = {
    "en": "To reprint this article or use it in your company's papers, see our terms of use.",
    "ru": "Чтобы перепечатать эту статью или использовать её в работе, прочтите наши условия.",
    "zh": "如果您希望在公司内部共享或转载本文，请点击链接查看详细的使用条件和有关费用的说明。",
    "ar": "لإعادة نشر هذا المقال أو استخدامه في أوراق شركتك، اطلع على شروط الاستخدام الخاصة بنا.",
}
LANGUAGES = sorted(BUTTONS)


def page(language: str, over_article: list[str]) -> str:
    """Menus with the bar's buttons among them, ``over_article``, the article, menus."""
    menus = MENUS[language]
    return P.join(
        [
            *menus,
            *BUTTONS[language],
            *menus,
            *over_article,
            *ARTICLES[language],
            *menus,
            "© 2024 Daily News",
            *menus,
        ]
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_bar_printed_in_the_head_goes_with_its_notice(language: str) -> None:
    """The notice, then the bar's buttons the head printed already: the article starts
    after them."""
    text = page(language, [NOTICES[language], *BUTTONS[language]])
    out = strip(text, (language,))
    assert out == P.join(ARTICLES[language]), out


@pytest.mark.parametrize("language", LANGUAGES)
def test_lead_over_buttons_the_head_does_not_print_stays(language: str) -> None:
    """Near miss: buttons the page prints only over the article prove nothing: what
    stood before them stays as the classifier found it (the notice here)."""
    text = page(language, [NOTICES[language], *OTHER_BUTTONS[language]])
    assert NOTICES[language] in strip(text, (language,))


@pytest.mark.parametrize("language", LANGUAGES)
def test_sentence_the_head_printed_is_no_button(language: str) -> None:
    """Near miss: a short sentence over the article that the head printed too (a
    teaser of the lead) is no button: it is no label by its shape, and stays."""
    lead = ARTICLES[language][0].split(",")[0].split("，")[0].split("،")[0] + "."
    text = page(language, [NOTICES[language], lead]).replace(
        P.join(BUTTONS[language]), P.join([*BUTTONS[language], lead]), 1
    )
    assert NOTICES[language] in strip(text, (language,))


# A second paragraph over the bar, as wide as a short paragraph: with the notice, the
# article's lead (two paragraphs), not a notice beside a bar.
LEADS = {
    "en": "It was the third time this year that the two sides met, and the first in the capital.",
    "ru": "Стороны встречались в этом году уже в третий раз, но впервые это было в столице.",
    "zh": "这是双方今年第三次见面，也是第一次在首都见面，会谈一直持续到了深夜才结束。",
    "ar": "كانت هذه هي المرة الثالثة التي يلتقي فيها الطرفان هذا العام، والأولى في العاصمة.",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_lead_paragraphs_over_a_label_the_head_printed_stay(language: str) -> None:
    """Near miss: two paragraphs as wide as a short paragraph over a line the head
    printed too (an advertisement's label) are the article's lead, more than a bar's
    notice (bar_notice_max_paragraphs): they stay."""
    text = page(language, [NOTICES[language], LEADS[language], *BUTTONS[language]])
    out = strip(text, (language,))
    assert NOTICES[language] in out and LEADS[language] in out, out
