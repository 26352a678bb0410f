"""A document that numbers its sections on more than one level ("3.", "3.1", "3.2",
"4.") is followed from section to section after its span ends
(resume_numbered_sections, ``section_number_mark``): a section with no prose under it
(a list of references) is the document's when the next number of the numbering closes
it; one that nothing closes, or that a number out of the numbering follows, still
goes. Inside the span, its subsection headings stay (keep_section_headings). Made-up
specifications in four scripts."""

from __future__ import annotations

import pytest

from curation.record import apply_changes
from curation.rules import load_rules
from curation.steps import classify_paragraphs, strip_boilerplate

RULES = load_rules()
BOILERPLATE = RULES["boilerplate"]
CLASSIFIER = classify_paragraphs.classifier_rules(BOILERPLATE)
P = "\n\n"

# language: (menu, five paragraphs of prose, the headings of sections 1, 1.1, 2, 2.1,
# 3 (references), 3.1, 3.2 and 4, a reference (label, entry) given its number, footer)
DOCS = {
    "en": (
        ["Home", "Docs", "Tracker", "Email", "Search", "Sign In"],
        [
            "The protocol lets an application running in a browser keep the data of its "
            "user on a server that the user chose, and not on the servers of the people "
            "who wrote the application, so that the user can move it when they want.",
            "A server that does not support the version that the client asks for must "
            "answer with an error, and the client may then try again with an older one "
            "if it knows how to speak it, or give up and tell the user about it.",
            "Every document on the server has a version that changes each time that it "
            "is written, and a client can ask the server to write it only if the version "
            "is still the one that it read before, which avoids losing an edit.",
            "A folder lists the documents and the folders that are in it, each with its "
            "version and its size, and the folder has a version of its own that changes "
            "when any of the things inside it changes in any way at all.",
            "The authors would like to thank all of the people who have tried the early "
            "versions of this protocol and who have sent us their comments about it, "
            "which have made it much better than it was when we started.",
        ],
        [
            "Introduction",
            "Scope",
            "Storage model",
            "Versions",
            "References",
            "Normative References",
            "Informative References",
            "Acknowledgements",
        ],
        lambda n: (
            f"[PART{n}]",
            f"Smith, J., Lee, K., Storage Protocol Part {n}, RFC {7200 + n}, June 2014.",
        ),
        ["About", "Privacy", "Terms", "Contact", "© 2024 Example Standards Body"],
    ),
    "ru": (
        ["Главная", "Документы", "Трекер", "Почта", "Поиск", "Войти"],
        [
            "Этот протокол позволяет приложению, которое работает в браузере, хранить "
            "данные своего пользователя на сервере, который выбрал сам пользователь, а не "
            "на серверах авторов приложения, чтобы он мог перенести их, когда захочет.",
            "Если сервер не поддерживает версию, которую просит клиент, он должен ответить "
            "ошибкой, и тогда клиент может попробовать ещё раз с более старой версией, "
            "если он её знает, или сообщить об этом пользователю.",
            "У каждого документа на сервере есть версия, которая меняется при каждой "
            "записи, и клиент может попросить сервер записать его, только если версия всё "
            "ещё та, которую он прочитал, и так не теряет чужую правку.",
            "Папка перечисляет документы и папки, которые в ней лежат, каждый с его "
            "версией и размером, и у самой папки тоже есть версия, которая меняется, когда "
            "меняется что-нибудь внутри неё.",
            "Авторы благодарят всех, кто пробовал ранние версии этого протокола и присылал "
            "нам свои замечания о нём, потому что с ними он стал намного лучше, чем был "
            "тогда, когда мы только начинали эту работу.",
        ],
        [
            "Введение",
            "Область применения",
            "Модель хранения",
            "Версии",
            "Литература",
            "Нормативные ссылки",
            "Информативные ссылки",
            "Благодарности",
        ],
        lambda n: (
            f"[ЧАСТЬ{n}]",
            f"Иванов И., Петров П. Протокол хранения, часть {n}. RFC {7200 + n}, июнь 2014.",
        ),
        ["О нас", "Конфиденциальность", "Условия", "Контакты", "© 2024 Пример"],
    ),
    "zh": (
        ["首页", "文档", "跟踪", "邮件", "搜索", "登录"],
        [
            "这个协议让在浏览器里运行的应用程序把用户的数据保存在用户自己选择的服务器上，"
            "而不是保存在应用程序作者的服务器上，这样用户想搬走的时候就可以把数据搬走。",
            "如果服务器不支持客户端要求的版本，它必须返回一个错误，然后客户端可以用一个"
            "更旧的版本再试一次，或者放弃并且把这个情况告诉用户。",
            "服务器上的每一个文档都有一个版本，每次写入的时候版本都会改变，客户端可以要求"
            "服务器只在版本还是它读到的那一个的时候才写入，这样就不会丢失别人的修改。",
            "文件夹列出它里面的文档和文件夹，每一个都带着它的版本和大小，文件夹自己也有"
            "一个版本，只要里面的任何东西发生变化，这个版本就会跟着改变。",
            "作者感谢所有试用过这个协议早期版本并且给我们发来意见的人，因为有了这些意见，"
            "这个协议比我们刚开始的时候好了很多，我们也从中学到了很多东西。",
        ],
        ["引言", "范围", "存储模型", "版本", "参考文献", "规范性引用", "资料性引用", "致谢"],
        lambda n: (f"[第{n}部分]", f"张伟，李娜：存储协议第{n}部分，RFC {7200 + n}，2014年6月。"),
        ["关于", "隐私", "条款", "联系", "© 2024 示例标准组织"],
    ),
    "ar": (
        ["الرئيسية", "الوثائق", "المتابعة", "البريد", "بحث", "الأخبار | الرياضة | الثقافة"],
        [
            "يتيح هذا البروتوكول للتطبيق الذي يعمل في المتصفح أن يحفظ بيانات المستخدم على "
            "خادم اختاره المستخدم نفسه، وليس على خوادم من كتبوا التطبيق، حتى يستطيع "
            "المستخدم أن ينقلها متى أراد ذلك إلى مكان آخر.",
            "إذا كان الخادم لا يدعم النسخة التي يطلبها العميل فعليه أن يرد بخطأ، ويمكن "
            "للعميل عندئذ أن يحاول مرة أخرى بنسخة أقدم إذا كان يعرفها، أو أن يتوقف ويخبر "
            "المستخدم بما حدث.",
            "لكل وثيقة على الخادم نسخة تتغير في كل مرة تكتب فيها، ويمكن للعميل أن يطلب من "
            "الخادم ألا يكتبها إلا إذا كانت النسخة هي التي قرأها من قبل، وبهذا لا يضيع "
            "تعديل أحد.",
            "يسرد المجلد الوثائق والمجلدات التي فيه، كل منها مع نسختها وحجمها، وللمجلد "
            "نسخة خاصة به تتغير عندما يتغير أي شيء في داخله بأي طريقة كانت على الإطلاق.",
            "يشكر المؤلفون كل الذين جربوا النسخ الأولى من هذا البروتوكول وأرسلوا إلينا "
            "ملاحظاتهم عليه، فقد جعلته هذه الملاحظات أفضل بكثير مما كان عليه حين بدأنا "
            "العمل فيه.",
        ],
        [
            "مقدمة",
            "النطاق",
            "نموذج التخزين",
            "النسخ",
            "المراجع",
            "المراجع المعيارية",
            "المراجع الإعلامية",
            "شكر",
        ],
        lambda n: (
            f"[الجزء{n}]",
            f"أحمد م.، سالم ع.: بروتوكول التخزين، الجزء {n}، RFC {7200 + n}، يونيو 2014.",
        ),
        ["من نحن", "الخصوصية", "الشروط", "اتصل بنا", "© 2024 هيئة المعايير"],
    ),
}
# "2" -> "4" in ASCII, full-width and Arabic-Indic digits: a subsection skipped.
SKIP_A_NUMBER = str.maketrans("2２٢", "4４٤")
NUMBERS = ["1.", "1.1.", "2.", "2.1.", "3.", "3.1.", "3.2.", "4."]


def _page(language: str, last: str) -> tuple[list[str], list[str], list[str]]:
    """The page whose last section is numbered ``last``; the document up to its
    references, the references of section 3.2, and the last section."""
    menu, prose, headings, reference, footer = DOCS[language]
    titled = [f"{n} {heading}" for n, heading in zip([*NUMBERS[:-1], last], headings, strict=True)]
    references = [line for n in range(1, 13) for line in reference(n)]
    document = [prose[4]]
    for heading, paragraph in zip(titled[:4], prose, strict=False):
        document += [heading, paragraph]
    document += [titled[4], titled[5], *references[:12]]
    informative = [titled[6], *references[12:]]
    closing = [titled[7], prose[4]]
    return [*menu, *document, *informative, *closing, *footer], document, informative


def strip(text: str, language: str) -> str:
    return apply_changes(
        text, strip_boilerplate.boilerplate_changes(text, BOILERPLATE, (language,))
    )


@pytest.mark.parametrize("language", sorted(DOCS))
def test_references_closed_by_the_next_section_stay(language: str) -> None:
    """Sections 3, 3.1 and 3.2 hold only references, then section 4: the document
    goes on to its end; the menu and the footer still go."""
    page, document, informative = _page(language, "4.")
    assert strip(P.join(page), language) == P.join([*document, *informative, *page[-7:-5]])


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_section_nothing_closes_goes(language: str) -> None:
    """Near-miss: after section 3.2 comes a number out of the numbering ("7." after
    "3.2."): its references are no section of the document."""
    page, document, informative = _page(language, "7.")
    kept = strip(P.join(page), language)
    assert P.join(document) in kept
    assert informative[1] not in kept


def test_section_numbers_go_on_level_by_level() -> None:
    """The next number at a level or any level above, or the first below; in any
    script's digits and with full-width stops."""
    goes_on = classify_paragraphs._numbering_goes_on
    number = classify_paragraphs._section_number
    assert [
        number(line, CLASSIFIER) for line in ["17.1. Normative", "18. Authors", "２．３ 範囲"]
    ] == [
        (17, 1),
        (18,),
        (2, 3),
    ]
    assert number("٣.١ المراجع", CLASSIFIER) == (3, 1)
    assert goes_on((17, 1), (17, 2)) and goes_on((17, 2), (18,)) and goes_on((17,), (17, 1))
    assert goes_on((2, 3, 4), (3,))
    # Near-misses: a number skipped, a numbering that starts again, a number repeated.
    assert not goes_on((17, 1), (17, 3))
    assert not goes_on((17, 2), (1,))
    assert not goes_on((5,), (5,))
    assert not goes_on((5,), (5, 2))


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        (
            "en",
            ["12.3. Form submission", "POST /oauth HTTP/1.1", "12.4. Preflight", "Host: a.example"],
        ),
        ("ru", ["3.1. Область", "GET /storage HTTP/1.1", "3.2. Термины", "Host: a.example"]),
        ("zh", ["２．１ 范围", "GET /storage HTTP/1.1", "２．２ 术语", "Host: a.example"]),
        ("ar", ["٣.١ النطاق", "GET /storage HTTP/1.1", "٣.٢ المصطلحات", "Host: a.example"]),
    ],
)
def test_a_subsection_heading_inside_the_span_stays(language: str, lines: list[str]) -> None:
    """Inside the span, a subsection's heading that goes on from the one before is the
    document's, though it looks like a link label; the lines around it are left alone.
    Near-misses: a one-level numbering (a list of links), a number skipped, and the
    first number of all (nothing before it to go on from) are not taken."""
    from curation.steps.classify_paragraphs import (
        BAD,
        NUMBERED_SECTION,
        SHORT_LINK_LIKE,
        Verdict,
        keep_section_headings,
        language_lists,
        measure,
    )

    lists = language_lists(language, CLASSIFIER)

    def bad(line: str) -> Verdict:
        return Verdict(measure(line, lists, CLASSIFIER), BAD, BAD, SHORT_LINK_LIKE)

    def kept(page: list[str]) -> list[bool]:
        verdicts = [bad(line) for line in page]
        revised = keep_section_headings(page, verdicts, range(len(page)), CLASSIFIER)
        return [verdict.reason == NUMBERED_SECTION for verdict in revised]

    assert kept(lines) == [False, False, True, False]
    skipped = [lines[0], lines[1], lines[2].translate(SKIP_A_NUMBER), lines[3]]
    assert kept(skipped) == [False, False, False, False]
    links = ["1. Markets rally", "2. Storm warning", "3. Rates held"]
    assert kept(links) == [False, False, False]
