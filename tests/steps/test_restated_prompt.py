"""Where the article ends: a box under it that prints its prompt twice, in two wordings
(one for each way to act on it), goes with its title and button; in several scripts,
with the near misses that must stay (the article's closing sentences that share a
phrase, two wordings set apart)."""

from __future__ import annotations

import pytest

from tests.steps.test_article_end import ARTICLES, P, article_end, boxed

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
        "Выделите текст и нажмите Ctrl+Enter, чтобы отправить неверные слова нашему редактору!",
        "Выделите текст и нажмите кнопку ниже, чтобы отправить неверные слова нашему редактору!",
        "Отправить",
    ],
    "zh": [
        "文章有错误？",
        "请选中文章里的文字，然后按下键盘上的回车键，把这段文字发送给我们的编辑！",
        "请选中文章里的文字，然后用鼠标点击下面的那个按钮，把这段文字发送给我们的编辑！",
        "发送",
    ],
}
# The article's closing section after its last long paragraph: a subheading (a label),
# two sentences sharing a phrase.
CLOSINGS = {
    "en": [
        "Next steps",
        "The unions will meet the minister of labour again on Friday to talk about the rise.",
        "The employers have not said whether they will meet the minister of labour at all.",
    ],
    "ru": [
        "Что дальше",
        "Профсоюзы снова встретятся с министром труда в пятницу, чтобы обсудить повышение.",
        "Работодатели пока не сказали, пойдут ли они вообще на встречу с министром труда.",
    ],
    "zh": [
        "下一步",
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


@pytest.mark.parametrize("language", sorted(RESTATED_BOXES))
def test_two_wordings_set_apart_stay(language: str) -> None:
    """Near miss: two sentences retelling one another with another sentence between
    them are no box's two wordings (a box prints them together): they stay."""
    _, first, second, _ = RESTATED_BOXES[language]
    _, before, between = CLOSINGS[language]
    text = boxed(language, [before, first, between, second])
    end = article_end(language, text)
    assert first in end and second in end, end


# The article's sources under it: a label, then entries as wide as a short paragraph that
# share most of their words, and end no sentence.
SOURCES = {
    "en": [
        "Sources",
        "Ministry of Labour, Report on wages and prices in the northern regions, volume 1, 2023",
        "Ministry of Labour, Report on wages and prices in the northern regions, volume 2, 2024",
    ],
    "ru": [
        "Источники",
        "Министерство труда, Доклад о зарплатах и ценах в северных регионах, том 1, 2023 год",
        "Министерство труда, Доклад о зарплатах и ценах в северных регионах, том 2, 2024 год",
    ],
}


@pytest.mark.parametrize("language", sorted(SOURCES))
def test_entries_of_a_list_of_sources_stay(language: str) -> None:
    """Near miss: two entries of the article's list of sources share most of their runs
    of words, one right after the other, but are no sentences (no prompt speaks so):
    they stay."""
    text = boxed(language, SOURCES[language])
    end = article_end(language, text)
    assert all(line in end for line in SOURCES[language][1:]), end
