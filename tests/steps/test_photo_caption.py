"""Photo captions between an article's paragraphs, found by the credit that ends them
(strip_boilerplate's ``photo_caption``): a run of names after a label's colon or a bar,
or names chained as photographer/agency; in several languages and scripts, with the
near misses that must stay (subheadings with a colon, terms with a slash, a quotation's
attribution, a table row, an article's last paragraph ending with its source)."""

from __future__ import annotations

import pytest

from curation.record import Record, replay
from curation.rules import load_rules
from curation.steps import strip_boilerplate
from curation.steps.strip_boilerplate import compile_rules, photo_caption

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

# Captions with their credits, in the shapes pages print them.
CAPTIONS = [
    ("en", "The old bridge at dawn on Monday. Photograph: Anna Berg/Reuters"),
    ("en", "The old bridge at dawn on Monday.Photograph: ANNA BERG/Getty Images"),
    ("en", "The old bridge at dawn on Monday, March 24, 2014. Anna Berg—Getty Images"),
    ("en", "Anna Berg/Pool/Getty Images"),
    ("de", "Die alte Brücke im Morgenlicht. Foto: Anna Berg/AFP"),
    ("de", "Die alte Brücke im Morgenlicht. | Bild: Reuters"),
    ("cs", "Starý most za svítání. | Foto: Reuters"),
    ("cs", "| ČTK"),
    ("ja", "夜明けの古い橋。写真：共同通信"),
    ("ru", "Старый мост на рассвете. Фото: Анна Берг/ТАСС"),
]


def run(text: str) -> Record:
    record = Record("000_0000000000000000", 0, text, declared={"languages": None})
    (out,) = strip_boilerplate.STEP.run(record, RULES)
    return out


@pytest.mark.parametrize(("language", "caption"), CAPTIONS)
def test_a_caption_between_paragraphs_goes(language: str, caption: str) -> None:
    first, second, third = ARTICLES[language]
    text = P.join([first, caption, second, third])
    record = run(text)
    assert record.text == P.join([first, second, third])
    assert {edit.rule for edit in record.provenance} == {"photo_caption"}
    assert replay(text, record.provenance) == record.text
    assert run(record.text).text == record.text


# Lines that end with names after a colon, a bar, a slash or a dash, and are the
# article's.
NEAR_MISSES = [
    ("en", "Chapter 1: Greetings of a Cryptid"),  # a subheading: lower-case words
    ("en", "Update: Apple Responds"),  # a subheading: a label, no chain of names
    ("en", "Input/Output"),  # a term: too short a chain
    ("en", "Windows/Mac Users"),
    ("en", '"We will win the vote." — John Smith'),  # a quotation's attribution
    ("en", '"We will win the vote." —John Smith'),
    ("en", "Paris | London | Berlin"),  # a table's row: no sentence before the bar
    ("en", "Languages: English, French, German"),  # a list, not a credit
    ("de", "Teil 2: Die Brücke und Die Stadt"),
    ("ru", "Глава 2: Мост"),
    ("en", "The council met on Tuesday. The Mayor Spoke Next"),  # no separator
    ("ja", "市議会は古い橋を通行止めにすることを決めた写真：共同通信"),  # no sentence before
]


@pytest.mark.parametrize(("language", "line"), NEAR_MISSES)
def test_a_line_ending_with_names_that_is_no_credit_stays(language: str, line: str) -> None:
    assert photo_caption(line, COMPILED) is None
    first, second, third = ARTICLES[language]
    text = P.join([first, line, second, third])
    assert run(text).text == text


def test_the_last_paragraph_ending_with_its_source_stays() -> None:
    first, second, third = ARTICLES["en"]
    last = "The ministry confirmed the closure on Wednesday. Reporting: Anna Berg/Pool"
    text = P.join([first, second, third, last])
    assert run(text).text == text


def test_a_credit_alone_at_the_end_goes() -> None:
    first, second, third = ARTICLES["en"]
    text = P.join([first, second, third, "Anna Berg/Pool/Getty Images"])
    assert run(text).text == P.join([first, second, third])


def test_a_long_paragraph_ending_with_its_source_stays() -> None:
    first, second, third = ARTICLES["en"]
    long = " ".join([first, second, third, second, first]) + " Reporting: Anna Berg/Pool"
    text = P.join([first, long, second, third])
    assert run(text).text == text


@pytest.mark.parametrize(
    ("line", "caption"),
    [
        ("Rose Byrne. Photograph: Universal/Everett/Rex", "Rose Byrne."),
        ("Souček po vítězství. | Foto: Reuters", "Souček po vítězství."),
        ("Erin Schaff/Pool/Getty Images", ""),
        ("| Efe", ""),
        ("夜明けの古い橋。写真：共同通信", "夜明けの古い橋。"),
    ],
)
def test_photo_caption_returns_the_caption_before_the_credit(line: str, caption: str) -> None:
    assert photo_caption(line, COMPILED) == caption
