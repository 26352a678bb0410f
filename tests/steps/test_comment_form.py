"""A form under the article (a comment form, a sign-up form), found by its fields marked
as required with a lone asterisk, ends the article: the form, its head (a title, the
rules for comments) and a notice under it go, in several scripts; the near misses stay
(the article's own closing lines, one marked line, a form inside the article, an
article quoting a form's notice)."""

from __future__ import annotations

import pytest

from curation.rules import load_rules
from curation.steps.classify_paragraphs import classifier_rules
from tests.steps.test_article_end import ARTICLES, MENUS, RULES_PROMPTS, P, page, strip

CLASSIFIER = classifier_rules(load_rules()["boilerplate"])

# A comment form as a template prints it: the rules' title, the rules, fields marked as
# required, a box to tick repeating the rules' title (en, ru), a button.
FORMS = {
    "en": [
        "Rules for comments",
        RULES_PROMPTS["en"],
        "Name *",
        "Email *",
        "Comment",
        "I accept the rules for comments",
        "Post comment",
    ],
    "ru": [
        "Правила комментариев",
        RULES_PROMPTS["ru"],
        "Имя *",
        "Электронная почта (*):",
        "Комментарий",
        "Я принимаю правила комментариев",
        "Отправить",
    ],
    "zh": ["发表评论", RULES_PROMPTS["zh"], "姓名 *", "电子邮件 *", "评论", "提交"],
    "ar": ["اترك تعليقا", RULES_PROMPTS["ar"], "الاسم *", "البريد الإلكتروني *", "التعليق", "أرسل"],
}
# A notice under the form, as wide as a long paragraph: a reader is responsible for
# what they write.
NOTICES = {
    "en": "Remember that you are responsible for everything you write here, and that we "
    "will hand the data that the courts ask for to them, as the law on the press and on "
    "the information society requires of every publisher of comments.",
    "ru": "Помните, что вы отвечаете за всё, что пишете здесь, и что мы передадим суду "
    "данные, которые он запросит, как этого требует закон о печати и об информационном "
    "обществе от каждого, кто публикует комментарии читателей.",
}
# The article's own closing line, short, before the form.
CLOSINGS = {
    "en": "The talks will go on next week.",
    "ru": "Переговоры продолжатся на следующей неделе.",
    "zh": "谈判将在下周继续。",
    "ar": "وستستمر المحادثات الأسبوع المقبل.",
}
LANGUAGES = sorted(FORMS)
# A link over the form's head.
LABELS = {"en": "Comment", "ru": "Комментировать"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_form_under_the_article_goes(language: str) -> None:
    """The fields and the button go; the rules over them go only when the form repeats
    their words (see the next test)."""
    form = FORMS[language][2:]
    out = strip(page(language, form, []), (language,))
    assert out == P.join(ARTICLES[language]), out


@pytest.mark.parametrize("language", ["en", "ru"])
def test_form_with_a_long_notice_under_it_goes(language: str) -> None:
    """A notice as long as the article's paragraphs under the form: the form still ends
    the article, and its head goes with it (the tick box repeats the rules' title)."""
    form = FORMS[language]
    out = strip(
        page(language, [LABELS[language], *form, NOTICES[language]], []),
        (language,),
    )
    assert out == P.join(ARTICLES[language]), out


# Arabic left out: its short closing line goes with or without a form under it (the
# classifier's own verdict on a short line at the article's end; not this mechanism's).
@pytest.mark.parametrize("language", ["en", "ru", "zh"])
def test_article_closing_line_before_the_form_stays(language: str) -> None:
    out = strip(page(language, [CLOSINGS[language], *FORMS[language][2:]], []), (language,))
    assert out == P.join([*ARTICLES[language], CLOSINGS[language]]), out


@pytest.mark.parametrize("language", LANGUAGES)
def test_one_marked_line_is_no_form(language: str) -> None:
    """A footnote's mark on one short line (a price "from 40 euros *") ends nothing."""
    form = FORMS[language]
    marked = [line for line in form if CLASSIFIER.form_required_mark.search(line)]
    unmarked = [line.rstrip(" *():") for line in form]
    with_one = [*unmarked[:2], marked[0], *unmarked[3:]]
    assert strip(page(language, with_one, []), (language,)) == strip(
        page(language, unmarked, []), (language,)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_form_inside_the_article_stays(language: str) -> None:
    """A form set between the article's paragraphs, more than a few long paragraphs
    after it: the article goes on, nothing is cut at the form."""
    article = ARTICLES[language]
    fields = [line for line in FORMS[language] if CLASSIFIER.form_required_mark.search(line)]
    menus = MENUS[language]
    text = P.join([*menus, *menus, article[0], *fields, *article[1:], *article, *menus])
    out = strip(text, (language,))
    assert all(out.count(paragraph) == 2 for paragraph in article[1:]), out


def test_article_quoting_a_forms_notice_stays() -> None:
    """An article about web forms quoting their marks in its prose keeps every line."""
    article = ARTICLES["en"]
    quote = "Most shops print the same line over their forms: Required fields are marked *"
    menus = MENUS["en"]
    text = P.join([*menus, *menus, article[0], quote, *article[1:], *menus])
    out = strip(text, ("en",))
    assert all(paragraph in out for paragraph in article)
    assert quote in out, out


def test_required_mark_shapes() -> None:
    mark = CLASSIFIER.form_required_mark
    for label in ("Name *", "Nombre (*):", "Email*", "Name: *", "姓名＊", "Имя *"):
        assert mark.search(label), label
    for line in ("* Names changed", "**bold**", "* * *", "***", "Name"):
        assert not mark.search(line), line
