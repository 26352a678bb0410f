"""remove_repeats' fast paths answer as the code they replaced (``tests/oracles_repeats.py``).

Each paragraph is folded once and the forms of its sentences and clauses are cut from
that (:class:`_Folded`); non-word characters are replaced by the few distinct ones found.
Handmade text in Latin, Cyrillic, CJK, Arabic and Devanagari scripts, and text that must
take the slow path, give the forms and the removals they gave before.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import tomllib
import unicodedata
from pathlib import Path

import pytest

from curation.record import Record
from curation.rules import load_rules
from curation.steps import remove_repeats
from tests import oracles_repeats
from tests.steps.test_fast_paths import real_texts

RULES = load_rules()
RULES_FILE = RULES["repeats"]
CASES_FILE = Path(__file__).parent / "cases" / "remove_repeats.toml"
COMPILED = remove_repeats.compile_rules(RULES_FILE)
P = "\n\n"

# Text folded once, character by character (the fast path).
ONE_BY_ONE = {
    "latin": "Trade grows: the talks, in 2024, ended; „Sper ca Conferința” – Ștefan said.",
    "latin_ascii": "In AI, big data and cloud computing, the two countries agreed: 12:30, 1,200.",
    "cyrillic": "«Цифровой дипломатии», — сказал он. В 2024 году Россия и Китай, по словам.",
    "cjk": "深化数 字合作，  促进交流。２０２４年，中俄双方同意扩大合作！日本語のテキスト。",
    "arabic": "وقال الوزيرُ إن التجارة بين البلدين، ارتفعت في الأشهر الأولى؛ 2024.",
    "devanagari": "हिन्दी, भाषा! यह एक वाक्य है। दूसरा_वाक्य।",
    "no_break_space": "Ａｂｃ＿ＤＥＦ\N{NO-BREAK SPACE}trade, Ｔａｌｋｓ.",
}
# Text whose folding changes its length or joins characters: each part folded alone.
PART_BY_PART = {
    "sharp_s": "Die Straße, sagte er.",
    "ellipsis": "He paused… then spoke, again.",
    "ligature": "The ﬁrst ﬁnal, ﬁne.",
    "decomposed": "Cafe\u0301 au lait, cre\u0300me.",
    "jamo": "\u1100\u1161\u11a8 text, more.",
    "dotted_i": "İstanbul, İzmir.",
}


def every_part(text: str) -> list[tuple[int, int]]:
    return [(a, b) for a in range(len(text) + 1) for b in range(a, len(text) + 1)]


@pytest.mark.parametrize("name", sorted(ONE_BY_ONE))
def test_a_text_folded_once_gives_each_part_its_form(name: str) -> None:
    text = ONE_BY_ONE[name]
    folded = remove_repeats._Folded(text, COMPILED)
    assert folded.spaced is not None  # the fast path is the one tested
    for a, b in every_part(text):
        expected = oracles_repeats.comparison_form(text[a:b], COMPILED)
        assert folded.form(a, b) == expected, (a, b)
        assert folded.weight(expected) == remove_repeats.weighted_length(expected, COMPILED)


@pytest.mark.parametrize("name", sorted(PART_BY_PART))
def test_a_text_folding_cannot_cut_is_folded_part_by_part(name: str) -> None:
    text = PART_BY_PART[name]
    folded = remove_repeats._Folded(text, COMPILED)
    assert folded.spaced is None
    for a, b in every_part(text):
        assert folded.form(a, b) == oracles_repeats.comparison_form(text[a:b], COMPILED)


@pytest.mark.parametrize("text", [*ONE_BY_ONE.values(), *PART_BY_PART.values(), "", " ", "_"])
def test_comparison_form_as_before(text: str) -> None:
    assert remove_repeats.comparison_form(text, COMPILED) == oracles_repeats.comparison_form(
        text, COMPILED
    )


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Россия и Китай 中国", "ru"),
        ("中国和俄罗斯 Россия", "zh"),
        ("ひらがなと漢字漢字漢字", "zh"),
        ("ひらがなひらがな漢字", "ja"),
        ("وقال الوزير", "ar"),
        ("plain text", "en"),
        ("", "en"),
    ],
)
def test_script_guess_as_before(text: str, language: str) -> None:
    assert remove_repeats._guess_language_by_script(text, COMPILED) == language
    assert oracles_repeats.guess_language_by_script(text, RULES_FILE) == language


# Documents that repeat themselves in each script: whole paragraphs, sentences, and
# rewordings found clause by clause, among sentences that repeat nothing.
DOCUMENTS = {
    "latin": [
        "China and Russia have signed an agreement on cooperation in the field of digital "
        "media. The ministers said on Monday that trade had reached a record high.",
        "Officials said that in the first 11 months trade rose by a third, up 5 percent. "
        "China and Russia signed an agreement on cooperation in the field of digital media.",
        "The weather in Beijing was cold, and the delegates left early on Tuesday morning.",
        "The ministers said on Monday that trade had reached a record high.",
    ],
    "cyrillic": [
        "Он сказал, что в целях продвижения всеобъемлющего партнерства страны запустили "
        "стратегию. Министры встретились в Пекине, чтобы обсудить торговлю.",
        "В целях продвижения всеобъемлющего партнерства страны запустили собственную "
        "стратегию. Погода в Москве была холодной, и делегаты уехали рано утром.",
        "Министры встретились в Пекине, чтобы обсудить торговлю.",
    ],
    "cjk": [
        "数字经济已成为推动全球经济增长的重要引擎，双方同意扩大合作。两国领导人在北京举行会谈。",
        "数字经济已成为推动区域经济增长的重要引擎，双方同意扩大合作。天气很冷，代表们一早就离开了。",
        "两国领导人在北京举行会谈。",
    ],
    "arabic": [
        "وقال الوزير إن التجارة بين البلدين ارتفعت في الأشهر الأولى من العام الحالي بشكل كبير. "
        "واجتمع الوزراء في بكين لمناقشة التعاون الاقتصادي.",
        "وقال الوزير إن التجارة بين البلدين ارتفعت في الأشهر الأولى من العام الماضي بشكل كبير. "
        "وكان الطقس باردا وغادر المندوبون في الصباح الباكر.",
        "واجتمع الوزراء في بكين لمناقشة التعاون الاقتصادي.",
    ],
}


class _FoldedPartByPart(remove_repeats._Folded):
    """Every part folded alone, by the old comparison form."""

    def __init__(self, text: str, rules: remove_repeats.RepeatRules) -> None:
        super().__init__(text, rules)
        self.spaced = None
        self.dense = True


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_a_document_loses_what_it_lost_before(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = P.join(DOCUMENTS[name])
    language = remove_repeats._guess_language_by_script(text, COMPILED)
    found = remove_repeats.find_repeats(text, language, RULES_FILE)
    assert found  # each document repeats itself: the comparison is not of two empty lists
    monkeypatch.setattr(remove_repeats, "comparison_form", oracles_repeats.comparison_form)
    monkeypatch.setattr(remove_repeats, "_Folded", _FoldedPartByPart)
    assert remove_repeats.find_repeats(text, language, RULES_FILE) == found


@pytest.mark.parametrize(
    ("characters", "ranges"),
    [
        ("\u0400-\u04ff", [(0x400, 0x4FF)]),
        ("\u3400-\u4dbf\u4e00-\u9fff", [(0x3400, 0x4DBF), (0x4E00, 0x9FFF)]),
        ("abc", [(97, 97), (98, 98), (99, 99)]),
        ("a-c-e", [(97, 99), (45, 45), (101, 101)]),
        ("\\d", None),  # an escape: a category, not a character
        ("^a-z", None),  # negated
        ("a--z", None),  # what a future re may read as a set difference
        ("-a", None),
        ("a-", None),
        ("[a]", None),
        ("z-a", None),
        ("", None),
    ],
)
def test_a_class_is_read_as_ranges_only_when_it_is_characters_and_ranges(
    characters: str, ranges: list[tuple[int, int]] | None
) -> None:
    assert remove_repeats._class_ranges(characters) == ranges
    if ranges is not None:
        # As re reads the class: the ends of each range are in it, the code points
        # next to the class's outer ends are not.
        pattern = re.compile(f"[{characters}]")
        assert all(pattern.fullmatch(chr(a)) and pattern.fullmatch(chr(b)) for a, b in ranges)
        low, high = min(a for a, _ in ranges), max(b for _, b in ranges)
        assert not pattern.fullmatch(chr(low - 1)) and not pattern.fullmatch(chr(high + 1))


@pytest.mark.parametrize(
    "classes",
    [
        ("\u0400-\u04ff", "\u0450-\u0460"),  # overlapping: counted by the patterns
        ("\\w", "\u0400-\u04ff"),  # not characters and ranges: counted by the patterns
    ],
)
def test_scripts_that_cannot_be_placed_among_edges_are_counted_by_their_patterns(
    classes: tuple[str, ...],
) -> None:
    rules = dataclasses.replace(
        COMPILED,
        script_classes=classes,
        script_languages=tuple(
            (f"l{i}", re.compile(f"[{characters}]+")) for i, characters in enumerate(classes)
        ),
    )
    assert remove_repeats._script_ranges(classes) is None
    text = "Россия ѐѠ word 中国"
    assert remove_repeats._script_counts(text, rules) == [
        len(re.findall(f"[{characters}]", text)) for characters in classes
    ]


@pytest.mark.parametrize("text", [*ONE_BY_ONE.values(), *PART_BY_PART.values(), "", "2024年12月"])
def test_words_and_units_are_read_as_before(text: str) -> None:
    assert_read_as_before(text)


def assert_read_as_before(text: str) -> None:
    """The text's vocabulary and its reading (units, words, numbers, bigrams) are those
    of the code the fast paths replaced."""
    key = remove_repeats.comparison_form(text, COMPILED)
    assert remove_repeats.vocabulary(key, COMPILED) == oracles_repeats.vocabulary(key, COMPILED)
    new = remove_repeats._Reading(text, lambda: "en", COMPILED)
    old = oracles_repeats.ReadingEachToken(text, lambda: "en", COMPILED)
    assert (new.units, new.words, new.numbers, new.bigrams) == (
        old.units,
        old.words,
        old.numbers,
        old.bigrams,
    )


def _repeat_inputs() -> list[tuple[str, list[str] | None]]:
    """Texts with the languages they declare: the step's cases and handmade documents in
    three ways, real pages as they are and with their head printed twice."""
    texts = [str(case["input"]) for case in tomllib.loads(CASES_FILE.read_text("utf-8"))["case"]]
    texts += [P.join(paragraphs) for paragraphs in DOCUMENTS.values()]
    inputs = [(text, languages) for text in texts for languages in (None, ["en"], ["zh"])]
    for text in real_texts():
        head = text.split(P)[:12]
        inputs += [(text, None), (P.join(head * 2), None)]
    return inputs


def test_rounds_sharing_what_they_read_remove_what_they_removed_before() -> None:
    """The rounds of a run share paragraphs' folds and sentences' clauses (_Rounds): the
    records of 5d5e1a3's run, whose rounds read their text afresh (oracles_repeats.run)."""
    later_rounds = 0
    for text, languages in _repeat_inputs():
        record = Record("000_0000000000000000", 0, text, declared={"languages": languages})
        (new,) = remove_repeats.STEP.run(record, RULES)
        assert new == oracles_repeats.run(record, RULES)[0], text[:80]
        later_rounds += any("/round" in edit.step for edit in new.provenance)
    assert later_rounds >= 3  # the comparison covers runs of more than one round


def test_a_later_round_cuts_no_sentence_into_clauses_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = next(
        c
        for c in tomllib.loads(CASES_FILE.read_text("utf-8"))["case"]
        if c["label"] == "second_round_after_the_cut_changes"
    )
    made: list[str] = []
    original = remove_repeats._Clauses.of.__func__  # type: ignore[attr-defined]

    def counting(
        cls: type[remove_repeats._Clauses], sentence: str, *args: object
    ) -> remove_repeats._Clauses:
        made.append(sentence)
        return original(cls, sentence, *args)  # type: ignore[no-any-return]

    monkeypatch.setattr(remove_repeats._Clauses, "of", classmethod(counting))
    # A paragraph whose second sentence is compared with its first (and stays) in
    # every round: its clauses are cut in the first round only.
    compared = (
        "The delegation arrived in Moscow on Tuesday for two days of talks on trade and energy. "
        "The ministers then met the deputy minister of digital development for three hours."
    )
    text = f"{case['input']}{P}{compared}"
    record = Record("000_0000000000000000", 0, text, declared={"languages": ["zh"]})
    (out,) = remove_repeats.STEP.run(record, RULES)
    assert any("/round2" in edit.step for edit in out.provenance)
    assert compared in out.text
    assert made and len(made) == len(set(made))


# Clauses and the sentences they are looked for in: restatements, near misses, unrelated
# text, numbers, and forms no longer than a shingle, in several scripts.
CLAUSE_PAIRS = [
    (
        "China and Russia signed an agreement on digital media",
        "China and Russia have signed an agreement on cooperation in the field of digital media.",
    ),
    (
        "the ministers said that trade had fallen sharply",
        "The ministers said on Monday that trade between China and Russia had reached a record.",
    ),
    (
        "in the first 11 months, trade reached 97 billion",
        "In the first 10 months, trade reached 97 billion.",
    ),
    (
        "в целях продвижения партнерства страны запустили стратегию",
        "Он сказал, что в целях продвижения всеобъемлющего партнерства страны запустили стратегию.",
    ),
    ("数字经济已成为推动全球经济增长的重要引擎", "数字贸易已成为推动区域经济合作的重要平台。"),
    ("数字经济已成为推动全球经济增长", "数字经济已成为推动全球经济增长的重要引擎。"),
    (
        "وقال الوزير إن التجارة بين البلدين ارتفعت",
        "وقال الوزير إن التجارة بين البلدين ارتفعت في الأشهر.",
    ),
    ("यह एक वाक्य है और दूसरा वाक्य", "यह एक वाक्य है। दूसरा वाक्य।"),
    ("abcabcabcabcabd", "abcabc"),  # repeated shingles: distinct ones are counted
    ("abcdefgxyzxyzxyzxyz", "abcdefg"),  # a missing shingle repeated: missing once
    ("abcde", "abcd"),  # four of five... three shingles, two found
    ("ab", "ab"),
    ("ab", "xab"),  # a form shorter than a shingle is one shingle: not found inside another
    ("abc", "ab"),
    ("", "abc"),
    ("abc", ""),
    ("x", "x"),
]


@pytest.mark.parametrize("containment", [0.0, 0.5, 0.6, 0.8, 0.95, 1.0])
@pytest.mark.parametrize("size", [1, 2, 3, 4])
def test_a_clause_is_found_as_its_shingle_sets_say(containment: float, size: int) -> None:
    """_Clause.found_in, which looks for each shingle in the earlier form and stops once too
    many are missing, agrees with the definition on sets of shingles and numbers, for
    every containment and shingle size, both ways round (which puts every clause's
    share of found shingles on both sides of every threshold)."""
    rules = dataclasses.replace(COMPILED, clause_containment=containment)
    for first, second in CLAUSE_PAIRS:
        for text, earlier_text in ((first, second), (second, first)):
            key = remove_repeats.comparison_form(text, rules)
            earlier_key = remove_repeats.comparison_form(earlier_text, rules)
            clauses = remove_repeats._Clauses.of(key, key, rules)
            clauses.shingle_size = size
            earlier = remove_repeats._KeptSentence(earlier_key)
            for clause in clauses.clauses:
                shingles = remove_repeats.shingles(clause.key, size)
                expected = clause.numbers <= earlier.numbers and len(
                    shingles & remove_repeats.shingles(earlier_key, size)
                ) >= containment * len(shingles)
                assert clause.found_in(earlier) == expected, (clause.key, earlier_key, size)
                assert clause.shingles == shingles  # made only when needed, the same


# Teasers and the longer texts they are compared with: restatements, a changed first or
# last unit, names, numbers, dense scripts, and texts without any content unit.
TEASER_PAIRS = [
    (
        "Exports to Russia rose by a third in May, officials said.",
        "Officials said on Monday that exports to Russia rose by a third in May, the fastest rise.",
    ),
    # A common word first (last) that the longer text lacks: the first (last) content
    # unit is the next one, which it has.
    (
        "But exports to Russia rose by a third in May, officials said.",
        "Officials said on Monday that exports to Russia rose by a third in May, the fastest rise.",
    ),
    (
        "Exports to Russia rose by a third in May, officials said too.",
        "Officials said on Monday that exports to Russia rose by a third in May, the fastest rise.",
    ),
    (
        "Imports from Russia rose by a third in May, officials said.",
        "Officials said on Monday that exports to Russia rose by a third in May, the fastest rise.",
    ),
    (
        "The trade had reached a record, the ministers said.",
        "The ministers said on Monday that trade between China and Russia had fallen sharply.",
    ),
    (
        "President Barack Obama tells the BBC his failure to pass gun laws is his biggest regret.",
        "Barack Obama has admitted that his failure to pass gun laws is the greatest frustration.",
    ),
    ("the and of to in it was.", "It was the end of the day and to the north in the rain."),
    ("of the, and to.", "the of and to"),
    (
        "Россия и Китай подписали соглашение о цифровой экономике в Москве.",
        "В Москве Россия и Китай подписали новое соглашение о сотрудничестве в цифровой экономике.",
    ),
    (
        "签署数字经济合作协议，涵盖人工智能和大数据等领域。",
        "双方签署数字经济合作协议涵盖人工智能、大数据和云计算等多个领域。",
    ),
    ("合作不断深化。", "两国在各个领域的分歧不断扩大。"),
    (
        "Die Regierung hat einen Rekordwert erreicht, sagte Scholz am Montag.",
        "Scholz sagte am Montag, die Regierungen hätten einen Rekordwert beim Handel erreicht.",
    ),
    ("In 2024 trade grew by 11 percent.", "In 2023 trade grew by 11 percent, officials said."),
]


def _asked(asked: list[str | None], language: str | None) -> str | None:
    """A word list's language, noting that it was asked."""
    asked.append(language)
    return language


@pytest.mark.parametrize("language", [None, "en", "ru", "de", "fr"])
def test_a_teaser_refused_before_the_word_list_is_refused_by_its_facts(
    language: str | None,
) -> None:
    """_restates (which refuses before the word list is asked when no unit that may be
    the first or the last content unit is found) gives restates' verdict on the full
    facts; and a refusal made without the word list is one restates makes too."""
    rules = COMPILED.restatement
    asked = 0
    for first, second in TEASER_PAIRS:
        for shorter, longer in ((first, second), (second, first), (first, first)):
            lead = remove_repeats.vocabulary(
                remove_repeats.comparison_form(longer, COMPILED), COMPILED
            )
            full = remove_repeats.facts(shorter, language, COMPILED)
            word_lists: list[str | None] = []
            word_list = functools.partial(_asked, word_lists, language)
            reading = remove_repeats._Reading(shorter, word_list, COMPILED)
            verdict = remove_repeats._restates(reading, lead, rules)
            assert verdict == remove_repeats.restates(full, lead, rules), (shorter, longer)
            asked += bool(word_lists)
    assert 0 < asked < 3 * len(TEASER_PAIRS)  # some refused without the word list, not all


@pytest.mark.parametrize(
    "sentence",
    ["", ",", "1,000", "a,1", "1,a", ",1", "1,", "12:30; then, at 1,200：٣،٣ x؛y", "a,,b", "١,٢"],
)
def test_clause_cuts_found_among_the_separators_are_the_boundary_matches(sentence: str) -> None:
    """_clause_pieces finds clause_boundary's matches by trying it at each separator only
    (re.match at a position sees the digit before it, as finditer does)."""
    for text in (sentence, f"x{sentence}", f"1{sentence}1", f"{sentence} the talks, 2,3"):
        expected = [match.end() for match in COMPILED.clause_boundary.finditer(text)]
        found = remove_repeats._clause_pieces(text, COMPILED)
        cuts = [end for _, end, _ in found]
        pieces = oracles_repeats.clause_pieces(text, COMPILED)
        assert found == pieces, text
        assert set(cuts) <= {*expected, len(text)}


# Text in several scripts with what the fast paths below must tell apart: characters of
# the planes above the first (the Brahmi vowel sign and the musical stem are combining
# marks, part of their words; the emoji and the CJK Extension B ideograph are not),
# sentence ends among other non-word characters, underscores, a lone surrogate.
MIXED = [
    *ONE_BY_ONE.values(),
    *PART_BY_PART.values(),
    "",
    " ",
    "_",
    "...",
    "Trade grew. Then, it fell! Did it?Yes… 2024年12月。中俄合作！ok",
    "\U00011013\U00011038\U0001102c text\U0001d165, more. \U0001f600 word\U00020000字 next. "
    "a\U0001d165b_c.",
    "\ud800 lone surrogate. Ok_.._Then",
    "Ж\u0301 д\u0483ом. א\u05b0ב. हि\u0902दी। \u0650و.",
]


@pytest.mark.parametrize("sentence_end", [None, ".x_!"])
@pytest.mark.parametrize("text", MIXED)
def test_a_teasers_units_are_read_as_before(text: str, sentence_end: str | None) -> None:
    """_Reading cuts the text at its sentence ends, then each piece into tokens by one
    split with the pattern of the text's planes: the units (with the sentence starts),
    words, numbers and bigrams of the reading match by match (tests/oracles_repeats.py),
    also for sentence ends that are word characters ("x", never between tokens) or an
    underscore (a non-word run of its own)."""
    rules = COMPILED
    if sentence_end is not None:
        ends = frozenset(sentence_end)
        rules = dataclasses.replace(
            COMPILED, restatement=dataclasses.replace(COMPILED.restatement, sentence_end=ends)
        )
    for variant in (text, text.upper(), f"x{text}x", text.replace(" ", "x. ")):
        new = remove_repeats._Reading(variant, lambda: "en", rules)
        old = oracles_repeats.ReadingByMatches(variant, lambda: "en", rules)
        assert (new.units, new.words, new.numbers, new.bigrams, new.dense) == (
            old.units,
            old.words,
            old.numbers,
            old.bigrams,
            old.dense,
        ), variant


def test_the_first_planes_non_word_pattern_is_the_whole_one_there() -> None:
    """_non_word_run(_BMP_LAST) leaves out the marks past the first plane: on every
    character of that plane it says what the whole pattern says."""
    whole, first_plane = remove_repeats._non_word_run(), remove_repeats._non_word_run(0xFFFF)
    assert whole is not first_plane
    differ = [
        code
        for code in range(0x10000)
        if bool(whole.fullmatch(chr(code))) != bool(first_plane.fullmatch(chr(code)))
    ]
    assert differ == []
    # Past the first plane they differ (on marks): texts with such characters take the whole one.
    assert whole.fullmatch("\U0001d165") is None
    assert first_plane.fullmatch("\U0001d165") is not None
    assert [remove_repeats._in_bmp(t) for t in ("", "abc", "\ud800", "中\U0001d165")] == [
        True,
        True,
        True,
        False,
    ]


@pytest.mark.parametrize("text", MIXED)
def test_non_word_characters_are_spaced_as_before(text: str) -> None:
    """_spaced finds the characters to replace by one class, and the underscore by str:
    the text of the old alternation (tests/oracles_repeats.py)."""
    for variant in (text, text.casefold(), f"_{text}_\u0301_", text.replace(" ", "_ ")):
        assert remove_repeats._spaced(variant) == oracles_repeats.spaced(variant), variant


def test_script_counts_by_table_are_those_by_the_edges() -> None:
    """Each character's script looked up in a table (clipped past its end) counts as its
    place among the ranges' edges did, next to every edge and past the table."""
    ranges = remove_repeats._script_ranges(COMPILED.script_classes)
    assert ranges is not None and remove_repeats._script_table(COMPILED.script_classes) is not None
    edges = [int(edge) for edge in ranges[0]]
    around = "".join(chr(code) for edge in edges for code in (edge - 1, edge, edge + 1))
    texts = [*MIXED, around, around[::-1] + "\U0010ffff\U00020000\uffff", "Россия 中国 日本"]
    for text in texts:
        assert remove_repeats._script_counts(text, COMPILED) == (
            oracles_repeats.script_counts_by_edges(text, COMPILED)
        ), text
    assert any(remove_repeats._script_counts(around, COMPILED))


@pytest.mark.parametrize("min_clause_chars", [0, 1, 3])
def test_clause_cuts_are_where_they_were_when_every_piece_is_a_clause(
    min_clause_chars: int,
) -> None:
    """With clauses as short as one character, every cut shows: the sentence cut at each
    separator by one split, the separators between two digits (of any script) kept,
    gives the pieces of the scan with clause_boundary (tests/oracles_repeats.py)."""
    rules = dataclasses.replace(COMPILED, min_clause_chars=min_clause_chars)
    sentences = [
        "12:30; then, at 1,200：٣،٣ x؛y",
        "a,,b,1,2,,3:",
        ",start; end,",
        "١,٢ and ٣،x, ،٤",
        "",
        ",",
    ]
    for sentence in sentences:
        found = remove_repeats._clause_pieces(sentence, rules)
        assert found == oracles_repeats.clause_pieces(sentence, rules), sentence
    one = dataclasses.replace(COMPILED, min_clause_chars=1)
    assert len(remove_repeats._clause_pieces(sentences[0], one)) >= 4  # cuts, not one piece


def test_clauses_heaviest_first_keep_the_order_of_equal_weights() -> None:
    """by_weight (sorted by weight in C, reversed, and not sorted at all for one clause)
    is the old order: heaviest first, clauses of equal weight as they come."""
    rules = dataclasses.replace(COMPILED, min_clause_chars=1)
    sentences = [
        "ab, cd, efg, hi, jkl, mn",
        "one, two, six, ten",
        "深化，合作，交流，促进友谊",
        "один, два, три",
        "single clause here",
    ]
    for sentence in sentences:
        key = remove_repeats.comparison_form(sentence, rules)
        clauses = remove_repeats._Clauses.of(sentence, key, rules)
        old = tuple(sorted(clauses.clauses, key=lambda c: -c.weight))
        assert clauses.by_weight == old, sentence
        assert clauses.total_weight == sum(c.weight for c in clauses.clauses)
    many = remove_repeats._Clauses.of(sentences[0], sentences[0].replace(",", ""), rules)
    assert len(many.clauses) == 6 and [c.key for c in many.by_weight][:2] == ["efg", "jkl"]


def test_the_shipped_mark_runs_are_those_unicodedata_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """combining_marks.txt holds exactly the runs of marks of its Unicode version; under
    another version (another Python), or without the file, they are asked for."""
    found = remove_repeats.marks_of_every_code_point()
    heading = remove_repeats.MARK_RUNS_FILE.read_text(encoding="ascii").splitlines()[0]
    if heading == f"unicode {unicodedata.unidata_version}":
        remove_repeats._mark_runs.cache_clear()
        assert remove_repeats._mark_runs() == found, "run write_mark_runs() to make it again"
        written = tmp_path / "marks.txt"
        remove_repeats.write_mark_runs(written)
        assert written.read_bytes() == remove_repeats.MARK_RUNS_FILE.read_bytes()
    other = tmp_path / "other.txt"
    other.write_text("unicode 1.0.0\n300 301\n", encoding="ascii")
    for path in (other, tmp_path / "missing.txt"):
        monkeypatch.setattr(remove_repeats, "MARK_RUNS_FILE", path)
        remove_repeats._mark_runs.cache_clear()
        assert remove_repeats._mark_runs() == found
    remove_repeats._mark_runs.cache_clear()
