"""Photo credits alone on their lines between an article's paragraphs, and the caption
right above one (strip_boilerplate's ``photo_caption``): names chained as
photographer/agency, after a label's colon or after a bar; in several languages and
scripts, with the near misses that must stay (subheadings with a colon, terms with a
slash, a quotation's attribution, a table row, a subheading or a long paragraph above a
credit)."""

from __future__ import annotations

import pytest

from curation.record import Record, replay
from curation.rules import load_rules
from curation.steps import strip_boilerplate
from curation.steps.strip_boilerplate import compile_rules, is_photo_credit

RULES = load_rules()
COMPILED = compile_rules(RULES["boilerplate"])
P = "\n\n"

# An article's paragraphs, by language: the caption goes between the first and second.
ARTICLES = {
    "en": [
        "The council voted on Tuesday to close the old bridge to traffic for two years.",
        "Engineers said the repairs would cost far more than the city had planned for.",
        "Residents will be able to cross on foot while the work goes on, officials said.",
    ],
    "de": [
        "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke für zwei Jahre zu sperren.",
        "Die Ingenieure sagten, die Reparatur werde weit mehr kosten als geplant.",
        "Fußgänger dürfen die Brücke während der Arbeiten weiter benutzen, hieß es.",
    ],
    "cs": [
        "Zastupitelstvo v úterý rozhodlo, že starý most bude dva roky uzavřen pro dopravu.",
        "Inženýři uvedli, že oprava bude stát mnohem víc, než město plánovalo.",
        "Chodci budou moci most během prací dál používat, uvedli úředníci.",
    ],
    "ja": [
        "市議会は火曜日、古い橋を二年間通行止めにすることを決めた。",
        "技術者によると、修理費は市の計画を大きく上回る見込みだという。",
        "工事中も歩行者は橋を渡ることができると市は説明している。",
    ],
    "ru": [
        "Городской совет во вторник решил закрыть старый мост для движения на два года.",
        "Инженеры сообщили, что ремонт обойдётся намного дороже, чем планировал город.",
        "Пешеходы смогут переходить мост во время работ, сообщили в мэрии.",
    ],
}

CREDITS = [
    ("en", "Anna Berg/Pool/Getty Images"),
    ("en", "ANNA BERG/Getty Images"),
    ("en", "Photograph: Anna Berg/Reuters"),
    ("de", "Foto: Anna Berg/AFP"),
    ("de", "| Reuters"),
    ("cs", "| ČTK"),
    ("ja", "写真：共同通信/ロイター"),
    ("ru", "Фото: Анна Берг/ТАСС"),
    ("ru", "Анна Берг—ТАСС Фото Хроника"),
]


def run(text: str) -> Record:
    record = Record("000_0000000000000000", 0, text, declared={"languages": None})
    (out,) = strip_boilerplate.STEP.run(record, RULES)
    return out


def check_removed(text: str, expected: str) -> None:
    record = run(text)
    assert record.text == expected
    assert {edit.rule for edit in record.provenance} == {"photo_caption"}
    assert replay(text, record.provenance) == record.text
    assert run(record.text).text == record.text, "not idempotent"


@pytest.mark.parametrize(("language", "credit"), CREDITS)
def test_a_credit_alone_between_paragraphs_goes(language: str, credit: str) -> None:
    assert is_photo_credit(credit, COMPILED)
    first, second, third = ARTICLES[language]
    # Under a paragraph of two sentences (an uncaptioned photo): only the credit goes.
    lead = first + " " + second
    check_removed(P.join([lead, credit, third]), P.join([lead, third]))


# A caption, one sentence, above its credit.
CAPTIONS = {
    "en": "Engineers inspect the old bridge at dawn on Monday, March 24, 2014.",
    "de": "Ingenieure prüfen die alte Brücke am Montagmorgen.",
    "cs": "Inženýři v pondělí ráno prohlížejí starý most.",
    "ja": "月曜日の朝、古い橋を点検する技術者たち。",
    "ru": "Инженеры осматривают старый мост в понедельник утром.",
}


@pytest.mark.parametrize(("language", "credit"), CREDITS)
def test_the_caption_above_a_credit_goes_with_it(language: str, credit: str) -> None:
    first, second, third = ARTICLES[language]
    text = P.join([first, CAPTIONS[language], credit, second, third])
    check_removed(text, P.join([first, second, third]))


def test_a_credit_at_the_end_goes() -> None:
    first, second, third = ARTICLES["en"]
    lead = first + " " + second
    check_removed(
        P.join([lead, third + " " + first, CREDITS[0][1]]), P.join([lead, third + " " + first])
    )


# Lines that end with names after a colon, a bar, a slash or a dash, and are the
# article's.
NEAR_MISSES = [
    ("en", "Chapter 1: Greetings of a Cryptid"),  # a subheading: lower-case words
    ("en", "Update: Apple Responds"),  # a subheading: a label, no chain of names
    ("en", "Input/Output"),  # a term: too short a chain
    ("en", "Windows/Mac Users"),
    ("en", '"We will win the vote." — John Smith'),  # a quotation's attribution
    ("en", '"We will win the vote." —John Smith'),
    ("en", "Paris | London | Berlin"),  # a table's row
    ("en", "Languages: English, French, German"),  # a list, no chain
    ("en", "The council met on Tuesday. Anna Berg/Pool/Getty Images"),  # a sentence before
    ("en", "Cast: Anna Berg, Tom Watkins"),  # names listed, not chained
    ("de", "Teil 2: Die Brücke und Die Stadt"),
    ("ru", "Глава 2: Мост"),
    ("ja", "市議会は古い橋を通行止めにすることを決めた写真：共同通信"),
    ("ja", "市議会は古い橋を通行止めにすることを決めた写真：共同通信/ロイター"),
]


@pytest.mark.parametrize(("language", "line"), NEAR_MISSES)
def test_a_line_ending_with_names_that_is_no_credit_stays(language: str, line: str) -> None:
    assert not is_photo_credit(line, COMPILED)
    first, second, third = ARTICLES[language]
    text = P.join([first, line, second, third])
    assert run(text).text == text


@pytest.mark.parametrize(
    "above",
    [
        "Safety First",  # a subheading: no sentence end
        # two sentences: the article's paragraph, under which an uncaptioned photo stands
        "Engineers inspect the bridge. They found cracks in two of its piers.",
        # one sentence, wider than a caption
        "Engineers inspected the old bridge " + "and its piers and its railings " * 10 + "today.",
    ],
)
def test_a_line_above_a_credit_that_is_no_caption_stays(above: str) -> None:
    first, second, third = ARTICLES["en"]
    credit = CREDITS[0][1]
    text = P.join([first, above, credit, second, third])
    check_removed(text, P.join([first, above, second, third]))
