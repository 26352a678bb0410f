"""The article's edges: a member's article cut off with an ellipsis ends at the cut (the
notice under it goes), and the value printed under a field's label that went as chrome
goes with it ("Authors:" / a name); in several scripts, with the near misses that must
stay (an ellipsis closing a quotation, an article going on after an ellipsis, a label
with no colon, a sentence under a removed label)."""

from __future__ import annotations

import pytest

from curation.record import Record, replay
from curation.rules import load_rules
from curation.steps import strip_boilerplate
from curation.steps.classify_paragraphs import AFTER_BODY, FIELD_VALUE
from tests.steps.test_article_end import ARTICLES, MENUS, P, first_removed_as, strip

RULES = load_rules()
LANGUAGES = sorted(ARTICLES)

# --- a preview cut off with an ellipsis ---------------------------------------------

# The next paragraph, cut at the page's budget of characters: the ellipsis follows a
# word, not a sentence's end.
CUTS = {
    "en": "Whether the employers will accept the rise now depends on…",
    "ru": "Примут ли работодатели это повышение, теперь зависит от…",
    "zh": "雇主们是否会接受这次上调，现在要看…",
    "ar": "أما ما إذا كان أصحاب العمل سيقبلون هذه الزيادة فيتوقف الآن على…",
}
# The same paragraph ending in a quotation that trails off: the ellipsis closes the
# quotation, no budget cut it.
QUOTED = {
    "en": "Asked whether the employers would accept the rise, he said: “We will see…”",
    "ru": "На вопрос, примут ли работодатели повышение, он ответил: «Посмотрим…»",
    "zh": "被问到雇主们是否会接受这次上调时，他说：“我们再看吧…”",
    "ar": "وسئل عما إذا كان أصحاب العمل سيقبلون الزيادة فقال: «سنرى…»",
}
# The same paragraph as a question trailing off: a sentence's end before the ellipsis.
QUESTIONS = {
    "en": "Will the employers accept the rise now?...",
    "ru": "Примут ли работодатели это повышение теперь?…",
}
# The page's notice under the cut, as wide as a short paragraph: sentences.
MEMBER_NOTICES = {
    "en": "This article is for paying members only. Sign up for the digital edition, and "
    "you can read the rest of it and every other article on our site.",
    "ru": "Эта статья доступна только подписчикам. Оформите подписку на электронную версию, "
    "и вы сможете дочитать её и все другие статьи на нашем сайте.",
    "zh": "本文仅限付费会员阅读。注册电子版以后，"
    "你就可以在我们的网站上阅读这篇文章的全文和其他所有的文章。",
    "ar": "هذا المقال متاح للمشتركين فقط. اشترك في النسخة الرقمية لكي تقرأ بقيته وكل "
    "المقالات الأخرى على موقعنا.",
}


def preview(language: str, cut: str, after_cut: list[str]) -> str:
    """Menus, the article's first paragraphs, the paragraph cut off, what follows."""
    menus = MENUS[language]
    return P.join(
        [
            *menus,
            *menus,
            *ARTICLES[language][:3],
            cut,
            *after_cut,
            *menus,
            "© 2024 Daily News",
            *menus,
        ]
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_notice_under_a_cut_preview_goes(language: str) -> None:
    text = preview(language, CUTS[language], [MEMBER_NOTICES[language]])
    out = strip(text, (language,))
    assert all(paragraph in out for paragraph in ARTICLES[language][:3]), out
    assert CUTS[language] in out, out
    assert MEMBER_NOTICES[language] not in out, out
    assert first_removed_as(text, (language,))[MEMBER_NOTICES[language]] == AFTER_BODY


@pytest.mark.parametrize("language", LANGUAGES)
def test_notice_under_a_quotation_trailing_off_is_left_to_its_neighbours(language: str) -> None:
    out = strip(preview(language, QUOTED[language], [MEMBER_NOTICES[language]]), (language,))
    assert QUOTED[language] in out, out
    assert MEMBER_NOTICES[language] in out, out


@pytest.mark.parametrize("language", sorted(QUESTIONS))
def test_notice_under_a_question_trailing_off_is_left_to_its_neighbours(language: str) -> None:
    out = strip(preview(language, QUESTIONS[language], [MEMBER_NOTICES[language]]), (language,))
    assert QUESTIONS[language] in out, out
    assert MEMBER_NOTICES[language] in out, out


def test_value_is_no_label_for_the_line_after_it() -> None:
    # Two lines ending with a colon under a removed label: only the first is its value.
    label, value = FIELDS["en"]
    second = "Edited by:"
    out = strip(
        fielded("en", label, value + ":").replace(
            P + ARTICLES["en"][0], P + second + P + ARTICLES["en"][0], 1
        ),
        ("en",),
    )
    assert second in out, out


@pytest.mark.parametrize("language", LANGUAGES)
def test_article_going_on_after_an_ellipsis_stays(language: str) -> None:
    # More of the article's paragraphs after the ellipsis than a notice has: the
    # article's own text, not a preview's cut (in Arabic the article's paragraphs are
    # as wide as short ones, neargood).
    rest = [*ARTICLES[language][:2], MEMBER_NOTICES[language]]
    out = strip(preview(language, CUTS[language], rest), (language,))
    assert all(out.count(p) == 2 for p in ARTICLES[language][:2]), out
    assert MEMBER_NOTICES[language] in out, out


def test_cut_on_its_own_changes_nothing() -> None:
    # The cut as the article's last paragraph: nothing after it to end.
    text = preview("en", CUTS["en"], [])
    assert CUTS["en"] in strip(text, ("en",))


# --- the value under a field's label ---------------------------------------------------

# A field's label (chrome by its shape) and its value on the next line, right over the
# article: the byline as a record's field.
FIELDS = {
    "en": ("Authors:", "Anna Udre (foreign news editor)"),
    "ru": ("Авторы:", "Анна Удре (редактор международных новостей)"),
    "zh": ("作者：", "安娜·乌德雷（国际新闻编辑）"),
    "ar": ("الكاتبة:", "آنا أودري (محررة الأخبار الدولية)"),
}


def fielded(language: str, label: str, value: str) -> str:
    """Menus, a field's label and value, the article, the footer's menus."""
    menus = MENUS[language]
    return P.join(
        [*menus, *menus, label, value, *ARTICLES[language], *menus, "© 2024 Daily News", *menus]
    )


@pytest.mark.parametrize("language", ["en", "ru"])
def test_value_under_a_removed_label_goes(language: str) -> None:
    # Without the label's verdict the value, a short line right over the article's first
    # paragraph, would head the article and stay.
    label, value = FIELDS[language]
    text = fielded(language, label, value)
    out = strip(text, (language,))
    assert label not in out and value not in out, out
    assert first_removed_as(text, (language,))[value] == FIELD_VALUE
    assert all(p in out for p in ARTICLES[language]), out


def test_value_under_a_label_the_classifier_keeps_stays() -> None:
    # Arabic has no capitals: a short label has no link-like shape, and it heads the
    # article with its value; a label that stays keeps its value.
    label, value = FIELDS["ar"]
    out = strip(fielded("ar", label, value), ("ar",))
    assert label in out and value in out, out


@pytest.mark.parametrize("language", ["en", "ru"])
def test_line_under_a_label_without_colon_stays(language: str) -> None:
    label, value = FIELDS[language]
    out = strip(fielded(language, label.rstrip(":："), value), (language,))
    assert value in out, out


@pytest.mark.parametrize("language", ["en", "ru", "zh", "ar"])
def test_sentence_under_a_removed_label_stays(language: str) -> None:
    # A summary's label over the article's lead: the lead is a sentence, no field's value.
    label = FIELDS[language][0]
    lead = ARTICLES[language][2]
    text = fielded(language, label, lead)
    out = strip(text, (language,))
    assert out.count(lead) == 2, out


def test_value_inside_the_article_under_a_kept_label_stays() -> None:
    # A label the article keeps (a list's heading between its paragraphs) keeps its lines.
    article = ARTICLES["en"]
    items = ["Two eggs", "A cup of milk"]
    menus = MENUS["en"]
    text = P.join(
        [*menus, *menus, article[0], "Ingredients:", *items, *article[1:], *menus, *menus]
    )
    out = strip(text, ("en",))
    assert "Ingredients:" in out and all(item in out for item in items), out


def test_step_names_its_rule() -> None:
    text = fielded("en", *FIELDS["en"])
    record = Record("000_0000000000000000", 0, text, declared={"languages": ["en"]})
    (out,) = strip_boilerplate.STEP.run(record, RULES)
    assert FIELD_VALUE in {edit.rule for edit in out.provenance}
    assert replay(text, out.provenance) == out.text
