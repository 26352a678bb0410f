"""extract_metadata's page reading and the paragraph classifier it asks give, on their
fast paths, the answers of the code they replaced at fe50d69 (``tests/oracles.py``): on
every paragraph of the repository's real text and on handmade near-misses in Latin,
Cyrillic, CJK and Arabic script.

Hypothesis checks the same on generated text:
``tests/property/test_metadata_fast_paths_properties.py``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from curation.rules import load_rules
from curation.steps import classify_paragraphs, extract_metadata
from curation.steps.classify_paragraphs import (
    classifier_rules,
    display_width,
    language_lists,
    measure,
    measured,
    width_at_least,
)
from curation.steps.headers import (
    _ADDRESS,
    _matches_at_least,
    _menu_case,
    _without_addresses,
    metadata_rules,
)
from tests import oracles
from tests.steps.test_fast_paths import real_paragraphs, real_texts

RULES = load_rules()
CLASSIFIER = classifier_rules(RULES["boilerplate"])
METADATA = metadata_rules(RULES["metadata"])
# Every kind of list measure reads: words (en, ru, ar), characters (zh, ja), none.
LANGUAGES = ("en", "ru", "ar", "zh", "ja", "th", None)

# Handmade near-misses: narrow and wide scripts side by side, digits of other scripts,
# the last narrow code point (U+10FF) and the first wide one (U+1100), fullwidth forms,
# wide punctuation that is no letter, copyright signs, menus, code.
NEAR_MISSES = [
    "",
    "   ",
    "Trade grew by a third in 2024, the minister said.",
    "Home | World | Sport | Weather",
    "© 2019 Example Media. All rights reserved.",
    "if (x) { return a; }",
    "Товарооборот вырос на треть в 2024 году, сообщил министр.",
    "Главная › Новости › Экономика",
    "ارتفعت التجارة بمقدار الثلث في عام ٢٠٢٤، بحسب الوزير.",
    "الرئيسية | الأخبار | الرياضة",
    "双方同意在未来五年内扩大在数字贸易、跨境数据和卫星导航领域的合作。",
    "DeepMind希望DNC可以推动2024年的研究",
    "首页 › 新闻 › 国际",
    "版权所有 © 2019 新华网",
    "東京で１２月に会議が開かれた。",
    "ＡＢＣ１２３ ａｂｃ",
    "、。「」",
    "\u10ff\u1100 \u1100\u1100\u1100",
    "한국어 문장입니다. 2024년",
    "2024 14:10 ٢٠٢٤",
    "x数字 数 2024年 ２０２４",
]


def _measure_cases() -> Iterator[str]:
    yield from NEAR_MISSES
    yield from real_paragraphs()


@pytest.mark.parametrize("language", LANGUAGES)
def test_measure_as_before(language: str | None) -> None:
    lists = language_lists(language, CLASSIFIER)
    wide = 0
    for paragraph in _measure_cases():
        expected = oracles.measure(paragraph, lists, CLASSIFIER)
        assert measure(paragraph, lists, CLASSIFIER) == expected, paragraph
        assert measured(paragraph, lists, CLASSIFIER) == expected, paragraph
        wide += expected.width > len(paragraph.strip())
    assert wide > 20  # the wide path is compared too, not only the narrow one


def test_measured_remembers_by_text_language_and_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    classify_paragraphs._measured.clear()
    asked: list[str] = []
    original = classify_paragraphs.measure

    def counting(paragraph: str, *args: object) -> object:
        asked.append(paragraph)
        return original(paragraph, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(classify_paragraphs, "measure", counting)
    english, chinese = language_lists("en", CLASSIFIER), language_lists("zh", CLASSIFIER)
    line = "Home | World | Sport | Weather"
    first = measured(line, english, CLASSIFIER)
    assert measured(line, english, CLASSIFIER) is first
    assert asked == [line]
    # Another language's lists or other rules are another question.
    measured(line, chinese, CLASSIFIER)
    other = dataclasses.replace(CLASSIFIER)
    assert other is not CLASSIFIER
    assert measured(line, english, other) == first
    assert asked == [line, line, line]
    # Bounded: the least recently asked goes first.
    monkeypatch.setattr(classify_paragraphs, "MEASURED_PARAGRAPHS", 2)
    classify_paragraphs._measured.clear()
    for text in ("Share", "Tweet", "Save"):
        measured(text, english, CLASSIFIER)
    assert len(classify_paragraphs._measured) == 2


@pytest.mark.parametrize("columns", [0, 1, 2, 3, 5, 8, 70, 200])
def test_width_at_least_is_the_width_compared(columns: int) -> None:
    for paragraph in [*NEAR_MISSES, *real_paragraphs()]:
        assert width_at_least(paragraph, columns) == (display_width(paragraph) >= columns)


def test_page_language_as_before_on_real_texts() -> None:
    for text in real_texts():
        paragraphs = text.split("\n\n")
        for declared in ((), ("zh",)):
            assert classify_paragraphs.page_language(
                paragraphs, declared, CLASSIFIER
            ) == oracles.page_language(paragraphs, declared, CLASSIFIER)


WORDS = [
    "share",
    "the",
    "Mozilla",
    "новости",
    "поделиться",
    "新闻",
    "أخبار",
    "zzqx",
    "",
    "2024",
]


@pytest.mark.parametrize("languages", [(), ("en",), ("ru",), ("zh",), ("ar",), ("xx",)])
def test_common_words_as_before(languages: tuple[str, ...]) -> None:
    bodies: list[list[str]] = [
        [],
        ["2024 — 14:10", "…"],
        ["The ministers met in Moscow on Friday and agreed to expand their trade."],
        ["Министры встретились в Москве в пятницу и договорились расширить торговлю."],
        ["双方同意在未来五年内扩大在数字贸易、跨境数据和卫星导航领域的合作。"],
        ["ارتفعت التجارة بمقدار الثلث في عام ٢٠٢٤، بحسب الوزير في مؤتمر صحفي."],
        *([p for p in text.split("\n\n") if len(p) > 80][:3] for text in real_texts()[:30]),
    ]
    for body in bodies:
        new = extract_metadata._common_words(languages, body, METADATA)
        old = oracles.common_words(languages, body, METADATA)
        for word in WORDS:
            assert new(word) == old(word), (languages, body[:1], word)


def test_common_words_identifies_the_language_only_when_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from curation.steps import identify_language

    asked: list[str] = []
    label = identify_language.model_label
    monkeypatch.setattr(
        identify_language, "model_label", lambda text: asked.append(text) or label(text)
    )
    body = ["The ministers met in Moscow on Friday and agreed to expand their trade."]
    common = extract_metadata._common_words((), body, METADATA)
    assert asked == []
    assert common("the") and not common("zzqx")
    assert len(asked) == 1  # once, however many words are asked


ADDRESS_CASES = [
    "See https://x.org/a or write to a@b.es. Thanks",
    "Главная | lenta.ru | @ria_novosti",
    "新华网 www.xinhuanet.com 版权所有",
    "موقع aljazeera.net/news الرسمي.",
    "a.b.c d/e f@g ... /// @@ .x x.",
    "word.\nnext line\u2028www.x.org\x85end.",
]


def test_without_addresses_as_before_on_real_texts() -> None:
    for text in [*ADDRESS_CASES, *real_texts()]:
        assert _without_addresses(text) == _ADDRESS.sub(" ", text)


@pytest.mark.parametrize("max_words", [0, 1, 4, 50])
def test_menu_case_as_before(max_words: int) -> None:
    lines = [
        "acervo folha",
        "Acervo Folha",
        "ǅa",
        "главная новости",
        "Главная",
        "首页 新闻",
        "الرئيسية الأخبار",
        "",
        *(line for text in real_texts() for line in text.splitlines()),
    ]
    answers = set()
    for line in lines:
        expected = oracles.menu_case(line, max_words)
        assert _menu_case(line, max_words) == expected, line
        answers.add(expected)
    if max_words:
        assert answers == {True, False}


def test_page_words_are_the_page_read_at_once() -> None:
    """site_name's common words, made on the first question, are the set it made at once
    (the page's lower-case words outside addresses and lower-case menus), and a page
    nobody asks about is never read."""
    from curation.steps.headers import _WORD, _PageWords

    max_words = METADATA.site_name["max_menu_words"]
    pages = [*NEAR_MISSES, "\n".join(NEAR_MISSES), *real_texts()]
    for page in pages:
        at_once = set(
            filter(
                str.islower,
                _WORD.findall(
                    "\n".join(
                        line
                        for line in _without_addresses(page).splitlines()
                        if not _menu_case(line, max_words)
                    )
                ),
            )
        )
        unread = _PageWords(page, max_words)
        assert unread._words is None
        asked = _PageWords(page, max_words)
        candidates = {*at_once, *(w.casefold() for w in page.split()), "the", "folha"}
        assert {w for w in candidates if w in asked} == at_once & candidates
        assert asked.words() == at_once


def test_find_body_with_the_pages_prose_flags_as_without() -> None:
    """The body found from is_prose asked once per paragraph (what extract_metadata
    hands over) is the body found asking again, and each flag is is_prose's answer."""
    from curation.steps.headers import find_body, is_prose, paragraph_spans, prose_flags

    for text in [*real_texts(), "\n\n".join(NEAR_MISSES)]:
        paragraphs = [text[p.start : p.end] for p in paragraph_spans(text)]
        flags = prose_flags(paragraphs, METADATA)
        assert flags == [is_prose(p, METADATA) for p in paragraphs]
        assert find_body(paragraphs, METADATA, flags) == find_body(paragraphs, METADATA)
        assert find_body(paragraphs, METADATA) == oracles.find_body(paragraphs, METADATA)


def test_matches_at_least_counts_as_findall() -> None:
    texts = [
        *NEAR_MISSES,
        "双方同意在未来五年内扩大在数字贸易、跨境数据和卫星导航领域的合作。" * 3,
        "東京で１２月に会議が開かれた。",
        "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ",
        "Short words in Latin",
    ]
    compared = 0
    for text in texts:
        found = len(METADATA.unspaced.findall(text))
        for count in range(-1, found + 3):
            assert _matches_at_least(METADATA.unspaced, text, count) == (found >= count), text
        compared += found > 25
    assert compared >= 1  # a paragraph past the prose threshold is read too
