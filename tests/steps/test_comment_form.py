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
# required, a box to tick repeating the rules' title, a button.
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
    "zh": [
        "评论规则",
        RULES_PROMPTS["zh"],
        "姓名 *",
        "电子邮件 *",
        "评论",
        "我同意评论规则",
        "提交",
    ],
    "ar": [
        "قواعد التعليقات",
        RULES_PROMPTS["ar"],
        "الاسم *",
        "البريد الإلكتروني *",
        "التعليق",
        "أوافق على قواعد التعليقات",
        "أرسل",
    ],
}
# A notice under the form, as wide as a long paragraph (a reader is responsible for what
# they write): it draws the article's span over the form.
NOTICES = {
    "en": "Remember that you are responsible for everything you write here, and that we "
    "will hand the data that the courts ask for to them, as the law on the press and on "
    "the information society requires of every publisher of comments.",
    "ru": "Помните, что вы отвечаете за всё, что пишете здесь, и что мы передадим суду "
    "данные, которые он запросит, как этого требует закон о печати и об информационном "
    "обществе от каждого, кто публикует комментарии читателей.",
    "zh": "请记住，你要为你在这里写下的一切负责。如果法院要求，我们会按照新闻法和信息社会法的"
    "规定，把法院需要的资料交给法院，这是法律对每一个发表读者评论的网站的要求。我们不会"
    "把你的地址告诉别人，也不会把你的资料用在别的地方，除非法律要求我们这样做。",
    "ar": "تذكر أنك مسؤول عن كل ما تكتبه هنا، وأننا سنسلم إلى المحاكم البيانات التي تطلبها منا، "
    "كما يفرض قانون الصحافة وقانون مجتمع المعلومات على كل من ينشر تعليقات القراء في موقعه، "
    "ولن نعطي عنوانك لأحد ولن نستخدم بياناتك في أي شيء آخر إلا إذا طلب القانون منا ذلك.",
}
# A link over the form's head.
LABELS = {"en": "Comment", "ru": "Комментировать", "zh": "评论", "ar": "علّق"}
# The article's own closing line, short, before the form.
CLOSINGS = {
    "en": "The talks will go on next week.",
    "ru": "Переговоры продолжатся на следующей неделе.",
    "zh": "谈判将在下周继续。",
    "ar": "وستستمر المحادثات الأسبوع المقبل.",
}
LANGUAGES = sorted(FORMS)


def unmarked(lines: list[str]) -> list[str]:
    """``lines`` with no field marked as required."""
    return [
        line.rstrip(" *():") if CLASSIFIER.form_required_mark.search(line) else line
        for line in lines
    ]


def under(language: str, form: list[str]) -> list[str]:
    """What a page sets under the article: a link, the form, a notice under it."""
    return [LABELS[language], *form, NOTICES[language]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_form_under_the_article_goes(language: str) -> None:
    """The notice under the form draws the article's span over it: the form ends the
    article, and its head goes with it (the tick box repeats the rules' title)."""
    out = strip(page(language, under(language, FORMS[language]), []), (language,))
    assert out == P.join(ARTICLES[language]), out


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_marks_the_form_stays(language: str) -> None:
    """The same lines with no field marked as required: no form, the notice stays."""
    out = strip(page(language, under(language, unmarked(FORMS[language])), []), (language,))
    assert NOTICES[language] in out, out


@pytest.mark.parametrize("language", LANGUAGES)
def test_article_closing_line_before_the_form_stays(language: str) -> None:
    """The article's short closing sentence before the form's head is the article's."""
    tail = [CLOSINGS[language], *under(language, FORMS[language])]
    out = strip(page(language, tail, []), (language,))
    assert out == P.join([*ARTICLES[language], CLOSINGS[language]]), out


@pytest.mark.parametrize("language", LANGUAGES)
def test_one_marked_line_is_no_form(language: str) -> None:
    """A footnote's mark on one short line (a price "from 40 euros *") ends nothing."""
    form = unmarked(FORMS[language])
    form[2] = FORMS[language][2]
    out = strip(page(language, under(language, form), []), (language,))
    assert NOTICES[language] in out, out


@pytest.mark.parametrize("language", LANGUAGES)
def test_form_inside_the_article_stays(language: str) -> None:
    """A form set among the article's paragraphs, more long paragraphs after it than
    a notice or two, though fewer than before it: the article goes on, nothing is cut
    at the form."""
    article = ARTICLES[language]
    menus = MENUS[language]
    after = [*article, *article, *article]
    text = P.join([*menus, *menus, *article * 8, *FORMS[language], *after, *menus])
    out = strip(text, (language,))
    assert out.count(article[0]) == 8 + 3, out


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
