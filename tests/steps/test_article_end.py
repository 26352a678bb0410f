"""Where the article ends: a box the page prints twice, once next to the article and once
among the footer's chrome, is chrome in both places; in several scripts, with the
near-misses that must stay (a refrain, a box printed twice among the article's prose,
two lines printed twice, a box whose other copy is no chrome)."""

from __future__ import annotations

import pytest

from curation.record import apply_changes
from curation.rules import load_rules
from curation.steps import strip_boilerplate
from curation.steps.classify_paragraphs import REPEATED_BLOCK
from tests.steps.test_listing import ARTICLES as LISTING_ARTICLES
from tests.steps.test_listing import MENUS

RULES = load_rules()
BOILERPLATE = RULES["boilerplate"]
P = "\n\n"


def strip(text: str, languages: tuple[str, ...]) -> str:
    return apply_changes(text, strip_boilerplate.boilerplate_changes(text, BOILERPLATE, languages))


def first_removed_as(text: str, languages: tuple[str, ...]) -> dict[str, str]:
    """Each removed paragraph, by the rule that removed its first copy."""
    changes = strip_boilerplate.boilerplate_changes(text, BOILERPLATE, languages)
    rules: dict[str, str] = {}
    for change in changes:
        rules.setdefault(text[change.start : change.end].strip(), change.rule)
    return rules


# Per script: the page's menus (enough chrome for the classifier to act) and its
# article, those of the listing tests (a longer article in Chinese and Arabic), then a
# box of prompts (a title, a sentence as wide as a paragraph, a button), the footer.
ARTICLES = {
    **LISTING_ARTICLES,
    "zh": [
        "政府星期二宣布，明年最低工资将上调百分之四。这是在与工会和雇主进行了数月谈判之后"
        "作出的决定，雇主们此前因为经济疲软而要求较小的涨幅。政府表示，这次上调将从明年一月"
        "开始实行，并且会在两年以后再次进行评估。",
        "工会此前要求上调百分之八，并表示如果政府不听取他们的意见，他们将在春天继续抗议，"
        "其中最大的工会已经宣布在三月第一周举行罢工。其他几个工会也表示，他们会在下个月决定"
        "是否参加这次罢工。",
        "雇主们则表示，这一涨幅对小企业来说太高了，因为它们的成本已经连续两年上涨，而且"
        "无法把这些成本转嫁给顾客，其中一些企业将不得不裁员。他们希望政府能够为小企业提供"
        "一些帮助，比如减少它们要交的税。",
    ],
    "ar": [
        *LISTING_ARTICLES["ar"][:2],
        "وقال أصحاب العمل إن الزيادة مرتفعة جدا بالنسبة إلى الشركات الصغيرة التي ارتفعت "
        "تكاليفها لعامين متتاليين ولا تستطيع أن تحملها لزبائنها، وإن بعضها سيضطر إلى "
        "تسريح عمال، وطلبوا من الحكومة أن تساعد الشركات الصغيرة بخفض الضرائب عليها.",
    ],
}
# A box of prompts as a template prints it: a call, a prompt as wide as a paragraph, a
# button, a confirmation, a second prompt that ends like a sentence.
BOXES = {
    "en": [
        "Get our letters by mail!",
        "We will send you one of them about once a week and you can stop them at any time",
        "Confirm",
        "You are on the list now!",
        "To make sure that the choice was your own, please confirm it in the mail we sent you.",
    ],
    "ru": [
        "Получайте наши письма!",
        "Мы будем присылать их примерно раз в неделю, и от них можно отказаться в любой момент",
        "Подтвердить",
        "Теперь вы в списке!",
        "Чтобы убедиться, что это было ваше решение, подтвердите его в письме, которое мы "
        "вам отправили.",
    ],
    "zh": [
        "接收我们的邮件！",
        "我们大约每周给你发一次邮件，你可以在任何时候取消，我们不会把你的地址告诉别人，也不会给你发广告",
        "确认",
        "你已经在名单上了！",
        "为了确认这是你自己的选择，请在我们发给你的那封邮件里点一下确认，这样我们就会开始给你发邮件。",
    ],
    "ar": [
        "احصل على رسائلنا!",
        "سنرسل إليك واحدة منها مرة في الأسبوع تقريبا ويمكنك أن توقفها في أي وقت تريده من "
        "دون أي سؤال",
        "تأكيد",
        "أنت الآن في القائمة!",
        "لكي نتأكد من أن هذا كان اختيارك أنت، أكد ذلك من فضلك في الرسالة التي أرسلناها إليك.",
    ],
}
LANGUAGES = sorted(ARTICLES)


def page(language: str, after_article: list[str], footer_box: list[str]) -> str:
    """Menus, the article, what follows it, the footer's menus with a box among them."""
    menus = MENUS[language]
    return P.join(
        [
            *menus,
            *menus,
            *ARTICLES[language],
            *after_article,
            *menus,
            *footer_box,
            "© 2024 Daily News",
            *menus,
        ]
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_box_printed_again_among_chrome_goes(language: str) -> None:
    box = BOXES[language]
    text = page(language, box, box)
    out = strip(text, (language,))
    assert all(paragraph in out for paragraph in ARTICLES[language])
    assert all(line not in out for line in box), out
    removed = first_removed_as(text, (language,))
    # The copy next to the article was kept for its neighbours: the copy in the footer
    # says what it is.
    assert removed[box[1]] == REPEATED_BLOCK


@pytest.mark.parametrize("language", LANGUAGES)
def test_box_printed_once_is_left_to_its_neighbours(language: str) -> None:
    box = BOXES[language]
    out = strip(page(language, box, []), (language,))
    assert box[1] in out


@pytest.mark.parametrize("language", LANGUAGES)
def test_two_lines_printed_again_are_no_box(language: str) -> None:
    box = BOXES[language][:2]
    out = strip(page(language, box, box), (language,))
    assert box[1] in out


@pytest.mark.parametrize("language", LANGUAGES)
def test_box_printed_twice_inside_the_article_stays(language: str) -> None:
    """A run printed twice among the article's prose, neither copy chrome: a refrain, a
    question and its answer repeated in a summary."""
    box = BOXES[language]
    article = ARTICLES[language]
    menus = MENUS[language]
    text = P.join([*menus, *menus, article[0], *box, article[1], *box, article[2], *menus])
    out = strip(text, (language,))
    assert out.count(box[1]) == 2, out


# A comment section's head under the article: a block of links, then its rules, a
# prompt as wide as a paragraph.
COMMENT_HEADS = {
    "en": ["Comments", "Share Your View", "Tags", "Mobile Apps", "Close"],
    "ru": ["Комментарии", "Ваше Мнение", "Теги", "Мобильные Приложения", "Закрыть"],
    "zh": [
        "评论 | 分享 | 打印",
        "标签 | 手机应用 | 科技",
        "关闭 | 返回 | 顶部",
        "登录 | 注册 | 帮助",
    ],
    "ar": [
        "التعليقات | شارك | اطبع",
        "الوسوم | تطبيقات | تقنية",
        "إغلاق | عودة | أعلى",
        "دخول | تسجيل | مساعدة",
    ],
}
RULES_PROMPTS = {
    "en": "We ask you to be respectful and to use fitting language when you give your view. "
    "The comments that do not keep to these rules will be taken down by our editors.",
    "ru": "Мы просим вас быть вежливыми и выбирать подходящие слова, когда вы высказываете "
    "своё мнение. Комментарии, которые нарушают эти правила, будут удалены.",
    "zh": "我们希望你在发表意见的时候能够尊重别人，使用合适的语言，不要发表与文章无关的内容，"
    "否则编辑会删除你的评论。",
    "ar": "نطلب منكم أن تكونوا محترمين وأن تستخدموا لغة مناسبة عندما تعبرون عن آرائكم، "
    "وسيحذف المحررون التعليقات التي لا تلتزم بهذه القواعد.",
}
# The line over the prompt: a call to sign in.
SIGN_INS = {
    "en": "Sign in or sign up to comment",
    "ru": "Войдите или зарегистрируйтесь, чтобы оставить комментарий",
    "zh": "登录或者注册以后就可以发表评论了",
    "ar": "سجل الدخول أو أنشئ حسابا لكي تعلق",
}


# In scripts without capitals a comment section's links are no link labels by their shape
# (the page's menus stand for them here, chrome by their shape, and the prompt after
# them goes by its neighbours already): the scripts with capitals show the span's end.
@pytest.mark.parametrize("language", ["en", "ru"])
def test_prompt_after_a_block_of_links_under_the_article_goes(language: str) -> None:
    """A block of links under the article, then a call to sign in and the comments'
    rules, wider together than the block: no long paragraph after the block, so the
    article ends before it."""
    prompt = RULES_PROMPTS[language]
    text = page(language, [*COMMENT_HEADS[language], SIGN_INS[language], prompt], [])
    out = strip(text, (language,))
    assert out == P.join(ARTICLES[language]), out


@pytest.mark.parametrize("language", ["en", "ru"])
def test_article_goes_on_after_a_short_box_of_links(language: str) -> None:
    """Near-miss: three links between the article's paragraphs (an entry of a list, a
    box of related stories) are no wall; its last paragraph, no longer than a prompt,
    stays. (In the scripts without capitals the links are menus here, chrome by their
    shape, and the paragraph after them goes by its neighbours already.)"""
    prompt = RULES_PROMPTS[language]
    text = page(language, [*COMMENT_HEADS[language][:3], SIGN_INS[language], prompt], [])
    assert prompt in strip(text, (language,))


@pytest.mark.parametrize("language", LANGUAGES)
def test_article_goes_on_after_a_block_of_links_with_its_long_paragraphs(language: str) -> None:
    """Near-miss: the article's long paragraphs after a block of links (a gallery, a box
    of teasers set inside it) are the article's."""
    article = ARTICLES[language]
    menus = MENUS[language]
    text = P.join([*menus, *menus, *article[:2], *COMMENT_HEADS[language], *article, *menus])
    out = strip(text, (language,))
    assert all(out.count(paragraph) >= 1 for paragraph in article), out
    assert out.count(article[0]) == 2, out


# A box under the article that names its button in its prompt: its title (a label), the
# prompt (as wide as a paragraph), the button.
ERROR_BOXES = {
    "en": [
        "Errors in this article",
        "Select the text and press the Report an error button to send it to our editors.",
        "Report an error",
    ],
    "ru": [
        "Ошибка в тексте",
        "Выделите текст и нажмите кнопку Сообщить об ошибке, чтобы отправить его редактору.",
        "Сообщить об ошибке",
    ],
    "zh": [
        "文章错误",
        "请选中文章里的文字，然后点击报告错误按钮，把这段文字发送给我们的编辑，谢谢你的帮助。",
        "报告错误",
    ],
    "ar": [
        "أخطاء المقال",
        "حدد النص ثم اضغط على زر أبلغ عن خطأ لكي ترسله إلى محررينا في أسرع وقت ممكن.",
        "أبلغ عن خطأ",
    ],
}


def boxed(language: str, after_article: list[str]) -> str:
    """The article, what follows it, then a newsletter box that the footer prints again
    (chrome on both copies; the lines before it are judged by their neighbours)."""
    menus = MENUS[language]
    box = BOXES[language]
    return P.join(
        [
            *menus,
            *menus,
            *ARTICLES[language],
            *after_article,
            *box,
            *menus,
            *box,
            "© 2024 Daily News",
            *menus,
        ]
    )


def article_end(language: str, text: str) -> str:
    """What strip_boilerplate keeps of ``text``, from the article's last long paragraph on."""
    out = strip(text, (language,))
    last = ARTICLES[language][1]
    assert last in out, out
    return out[out.index(last) + len(last) :]


@pytest.mark.parametrize("language", LANGUAGES)
def test_box_naming_its_button_under_the_article_goes(language: str) -> None:
    """The button's label printed again inside the prompt above it: the box, its title
    with it, is the page's; the article's last paragraph (no long one) stays."""
    text = boxed(language, ERROR_BOXES[language])
    assert article_end(language, text) == P + ARTICLES[language][2]


@pytest.mark.parametrize("language", LANGUAGES)
def test_call_printed_twice_under_the_article_goes(language: str) -> None:
    """A call printed twice around the comments' rules, each copy a line of its own."""
    call = SIGN_INS[language]
    text = boxed(language, [call, RULES_PROMPTS[language], call])
    assert article_end(language, text) == P + ARTICLES[language][2]


# A button whose words the prompt above prints, but not as one run.
OTHER_BUTTONS = {
    "en": "Report the error",
    "ru": "Сообщить редактору",
    "zh": "发送错误",
    "ar": "أرسل الخطأ",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_box_without_an_echo_is_left_to_its_neighbours(language: str) -> None:
    """Near-miss: a button whose label the prompt prints only in part (the same words,
    not in one run) is no echo: the prompt stays, kept for its neighbours as before."""
    title, prompt, _ = ERROR_BOXES[language]
    text = boxed(language, [title, prompt, OTHER_BUTTONS[language]])
    assert prompt in strip(text, (language,))


# A closing section of the article: its heading, then a paragraph that opens with the
# heading's words.
CLOSING_SECTIONS = {
    "en": [
        "What comes next",
        "What comes next is a vote in parliament, which the government hopes to win in May.",
    ],
    "ru": [
        "Что будет дальше",
        "Что будет дальше, решит парламент: правительство надеется на голосование в мае.",
    ],
    "zh": [
        "接下来会怎样",
        "接下来会怎样，要看议会的投票，政府希望能够在五月份之前拿到足够的票数通过这个方案。",
    ],
    "ar": [
        "ماذا بعد",
        "ماذا بعد ذلك؟ سيصوت البرلمان على الخطة، وتأمل الحكومة أن تفوز في التصويت في مايو.",
    ],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_heading_opening_its_paragraph_is_no_echo(language: str) -> None:
    """Near-miss: a heading's words opening the paragraph right under it are the
    article's, after its last long paragraph too."""
    section = CLOSING_SECTIONS[language]
    text = boxed(language, section)
    end = article_end(language, text)
    assert all(line in end for line in section), end


@pytest.mark.parametrize("language", ["en", "ru"])
def test_echo_that_would_cut_most_of_the_article_is_left_alone(language: str) -> None:
    """Near-miss: after one long paragraph, more short sections than the long one holds,
    one of them echoing another's label: what it would cut is no box under an article
    (more than tail_box_max_share of the span), and stays."""
    title, prompt, button = ERROR_BOXES[language]
    article = ARTICLES[language]
    sections = [article[2], button, article[2].upper(), prompt, article[2].lower(), title]
    text = page(language, [], [])
    text = text.replace(P.join(article), P.join([article[1], *sections]))
    out = strip(text, (language,))
    assert prompt in out and button in out, out


# Tags under the article, set in lower case (no link labels by their shape, so kept
# for their neighbours): the first names words of its last paragraph.
TAGS = {
    "en": ["small firms", "wages and prices"],
    "ru": ["малых фирм", "зарплаты и цены"],
    "zh": ["小企业", "工资和物价"],
    "ar": ["الشركات الصغيرة", "الأجور والأسعار"],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_tag_repeating_the_last_paragraph_leaves_it(language: str) -> None:
    """Near-miss: a label under the article that repeats words of the article's last
    paragraph (a tag) is no echo of that paragraph: the paragraph stays (the tags go,
    as chrome under it)."""
    text = boxed(language, TAGS[language])
    assert ARTICLES[language][2] in strip(text, (language,))


# A list of related stories under the article: its heading (a phrase rule's), then
# teasers, each a headline and a lead as wide as the article's closing paragraph.
RELATED = {
    "en": [
        "Related Stories",
        "Unions plan a week of strikes",
        "The largest of them said on Monday that the strikes would start in the north "
        "and reach the capital by Friday.",
        "Small firms ask for help with costs",
        "The owners of shops and workshops wrote to the minister asking for lower taxes "
        "on their wages.",
    ],
    "ru": [
        "Похожие новости",
        "Профсоюзы готовят неделю забастовок",
        "Крупнейший из них заявил в понедельник, что забастовки начнутся на севере и к "
        "пятнице дойдут до столицы.",
        "Малые фирмы просят помощи",
        "Владельцы магазинов и мастерских написали министру письмо с просьбой снизить "
        "налоги на зарплаты.",
    ],
    "zh": [
        "相关新闻",
        "工会计划举行一周罢工",
        "最大的工会星期一表示，罢工将从北方开始，并且会在星期五之前蔓延到首都，其他工会也会参加。",
        "小企业请求政府帮助",
        "商店和作坊的老板们给部长写信，要求政府降低他们为工资缴纳的税，并且提供一些补贴。",
    ],
}


@pytest.mark.parametrize("language", sorted(RELATED))
def test_related_stories_under_the_article_go(language: str) -> None:
    """After the article's last long paragraph, a list's heading ends the article: the
    teasers' leads under it are the list's, though as wide as a closing paragraph."""
    text = boxed(language, RELATED[language])
    assert article_end(language, text) == P + ARTICLES[language][2]


# In English and Russian the article's middle paragraph is a long one (context-free
# good): a box before it stands between the article's long paragraphs.
@pytest.mark.parametrize("language", ["en", "ru"])
def test_related_stories_inside_the_article_end_nothing(language: str) -> None:
    """Near-miss: a list's heading between the article's long paragraphs (a box set
    inside it) ends nothing: the long paragraph after the box stays."""
    article = ARTICLES[language]
    related = RELATED[language]
    text = boxed(language, [])
    text = text.replace(P.join(article), P.join([article[0], article[2], *related[:2], article[1]]))
    out = strip(text, (language,))
    assert article[1] in out and article[2] in out, out
