"""remove_repeats honours the step contract, keeps the paragraph format, and only removes
text that occurred before."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curation.record import Edit, Record, replay
from curation.rules import load_rules
from curation.steps import remove_repeats
from tests import oracles_repeats
from tests.steps.test_remove_repeats_fast_paths import assert_read_as_before

RULES = load_rules()
RULE_NAMES = {
    "repeated_paragraph",
    "repeated_sentence",
    "near_duplicate_sentence",
    "restated_lead",
    "restated_headline",
}
P = "\n\n"

# A small pool of sentences in several scripts, some near-duplicates of each other,
# so that paragraphs drawn from it repeat whole, in part and in other words.
SENTENCES = [
    "China and Russia have signed an agreement on cooperation in the field of digital media.",
    "China and Russia signed an agreement on cooperation in the field of digital media.",
    "The ministers said on Monday that trade between China and Russia had reached a record high.",
    "The ministers said on Monday that trade between China and Russia had fallen sharply.",
    "In the first 11 months, trade reached $97.39 billion, up 5 percent.",
    "In the first 10 months, trade reached $88.1 billion, up 3 percent.",
    "Yes.",
    "No comment.",
    "Он сказал, что в целях продвижения всеобъемлющего партнерства страны запустили стратегию.",
    "В целях продвижения всеобъемлющего партнерства страны запустили собственную стратегию.",
    "数字经济已成为推动全球经济增长的重要引擎。",
    "数字贸易已成为推动区域经济合作的重要平台。",
    "Mr. Smith arrived at 12:30, with 1,200 delegates.",
    "„Sper ca Conferința să contribuie cu înțelepciune și putere la dezvoltare.”",
    "x",
    "...",
]
sentence = st.sampled_from(SENTENCES)
joiner = st.sampled_from([" ", " ", "", "  ", "\n"])


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.tuples(sentence, joiner), min_size=1, max_size=5))
    return "".join(s + j for s, j in pieces).strip()


@st.composite
def document(draw: st.DrawFn) -> str:
    """Text in the format between steps: one paragraph per line, one blank line between."""
    paragraphs = draw(st.lists(paragraph(), min_size=1, max_size=6))
    return P.join(p.replace("\n", " ") for p in paragraphs)


# Pieces of arbitrary text, for totality: CJK runs, newlines, punctuation, digits.
pieces = st.sampled_from(
    [
        "word",
        "Слово",
        "数字",
        "。",
        ". ",
        ", ",
        "\n",
        "\n\n",
        "\n\n\n",
        " ",
        "1,200",
        "12:30",
        "-",
        "_",
        "...",
    ]
)
messy = st.lists(st.one_of(pieces, st.text(max_size=5)), max_size=30).map("".join)


def run(text: str, languages: list[str] | None = None) -> Record:
    record = Record("000_0000000000000000", 0, text, declared={"languages": languages})
    (out,) = remove_repeats.STEP.run(record, RULES)
    return out


def edits_with_their_input(text: str, out: Record) -> list[tuple[str, Edit]]:
    """Each edit with the text its round received (rounds after the first are passes)."""
    pairs = []
    done: list[Edit] = []
    for edit in out.provenance:
        if done and done[-1].step != edit.step:
            text, done = replay(text, done), []
        pairs.append((text, edit))
        done.append(edit)
    return pairs


def is_paragraph_format(text: str) -> bool:
    paragraphs = text.split(P)
    return text == text.strip() and all(p and "\n" not in p and p == p.strip() for p in paragraphs)


@pytest.mark.property
@settings(max_examples=150, deadline=None)
@given(text=st.one_of(st.text(), messy, document()))
def test_total_replayable_and_idempotent(text: str) -> None:
    out = run(text)
    assert replay(text, out.provenance) == out.text
    assert {edit.rule for edit in out.provenance} <= RULE_NAMES
    assert run(out.text).text == out.text


@pytest.mark.property
@settings(max_examples=150, deadline=None)
@given(text=document(), languages=st.sampled_from([None, ["en"], ["ru"], ["zh", "en"]]))
def test_keeps_the_paragraph_format_and_removes_only_later_repeats(
    text: str, languages: list[str] | None
) -> None:
    out = run(text, languages)
    if is_paragraph_format(text):
        assert is_paragraph_format(out.text)
    compiled = remove_repeats.compile_rules(RULES["repeats"])
    for round_input, edit in edits_with_their_input(text, out):
        assert edit.after == ""
        if edit.rule == "restated_lead":
            # A teaser goes for the longer paragraph after it, which has all its numbers
            # (no title is given here, so restated_headline cannot fire).
            teaser = remove_repeats.facts(edit.before, None, compiled)
            after = remove_repeats.facts(round_input[edit.end :], None, compiled)
            assert teaser.numbers <= after.numbers
            continue
        assert edit.rule != "restated_headline"
        assert edit.start > 0, "the first sentence has nothing before it to repeat"
        if edit.rule == "repeated_sentence":
            # What goes was said before, word for word (in the comparison form).
            removed = remove_repeats.comparison_form(edit.before, compiled)
            assert removed in remove_repeats.comparison_form(round_input[: edit.start], compiled)
    assert run(out.text, languages).text == out.text


@pytest.mark.property
@settings(max_examples=150, deadline=None)
@given(text=document())
def test_deterministic(text: str) -> None:
    assert run(text).provenance == run(text).provenance


COMPILED = remove_repeats.compile_rules(RULES["repeats"])


@pytest.mark.property
@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(), messy, paragraph()))
def test_comparison_form_replaces_each_non_word_run_by_one_space(text: str) -> None:
    """The translate table gives what the pattern's substitution gives."""
    import unicodedata

    folded = unicodedata.normalize("NFKC", text).casefold()
    spaced = " ".join(remove_repeats._non_word_run().sub(" ", folded).split())
    expected = COMPILED.space_between_dense.sub("", spaced)
    assert remove_repeats.comparison_form(text, COMPILED) == expected


@pytest.mark.property
@settings(max_examples=300, deadline=None)
@given(
    sentence=paragraph(),
    earlier=paragraph(),
    share=st.sampled_from([0.0, 0.3, COMPILED.redundant_share, 1.0]),
)
def test_repeats_decides_as_the_repeated_weight_does(
    sentence: str, earlier: str, share: float
) -> None:
    """The early-stopping comparison agrees with the full sum of the repeated clauses."""
    key = remove_repeats.comparison_form(sentence, COMPILED)
    earlier_key = remove_repeats.comparison_form(earlier, COMPILED)
    clauses = remove_repeats._Clauses.of(sentence, key, COMPILED)
    kept = remove_repeats._KeptSentence(
        earlier_key, frozenset(remove_repeats._DIGITS.findall(earlier_key))
    )
    needed = share * clauses.total_weight
    full = clauses.repeated_weight(kept, COMPILED) >= needed
    assert clauses.repeats(kept, needed) == full
    # Each clause's form is the comparison form of its span, however it was found.
    for (start, end), clause in zip(
        remove_repeats.clause_spans(sentence, COMPILED), clauses.clauses, strict=True
    ):
        clause_key = remove_repeats.comparison_form(sentence[start:end], COMPILED)
        assert clause.shingles == remove_repeats.shingles(clause_key, clauses.shingle_size)


clause_texts = st.one_of(
    st.text(max_size=200),
    st.lists(
        st.sampled_from(["trade", "Россия", "经济合作", "2024", ",", ";", " — ", ". ", " ", "a"]),
        max_size=40,
    ).map("".join),
)


@pytest.mark.property
@settings(max_examples=300, deadline=None)
@given(sentence=clause_texts)
def test_clause_pieces_with_the_known_form_are_the_pieces_without_it(sentence: str) -> None:
    """Handing _clause_pieces the sentence's comparison form (the fast path for a sentence
    of one piece) gives the same pieces and forms as making them again."""
    compiled = remove_repeats.compile_rules(RULES["repeats"])
    key = remove_repeats.comparison_form(sentence, compiled)
    assert remove_repeats._clause_pieces(sentence, compiled, key) == (
        remove_repeats._clause_pieces(sentence, compiled)
    )


@pytest.mark.property
@settings(max_examples=300, deadline=None)
@given(sentence=clause_texts)
def test_a_kept_sentence_reuses_exactly_what_judging_it_made(sentence: str) -> None:
    """The shingles and numbers a kept sentence takes over from its judging (one clause)
    are those it would make itself."""
    compiled = remove_repeats.compile_rules(RULES["repeats"])
    key = remove_repeats.comparison_form(sentence, compiled)
    judge = remove_repeats._Judge(compiled)
    judge.judge(sentence, key)
    kept = judge.keep(key)
    assert kept.key == key
    assert kept.numbers == frozenset(remove_repeats._DIGITS.findall(key))
    for size, grams in kept.grams.items():
        assert grams == [key[i : i + size] for i in range(len(key) - size + 1)] or (
            len(key) <= size and grams == ([key] if key else [])
        )
    for size in (1, 2, 3, 4):
        assert kept.shingles(size) == remove_repeats.shingles(key, size)


# --- the judge against its definition ------------------------------------------------


# Sentences that share frames, clauses and numbers, in four scripts, so that the index
# finds candidates that the comparison then refuses as often as ones it accepts.
FRAMES = [
    "The ministers said on Monday that trade between China and Russia {}.",
    "Officials said that in the first {} months trade {}, up {} percent.",
    "Он сказал, что в целях продвижения партнерства страны {}.",
    "数字经济已成为推动{}经济增长的重要引擎，双方同意{}。",
    "وقال الوزير إن التجارة بين البلدين {} في الأشهر الأولى.",
]
FILLERS = [
    "had reached a record high",
    "had fallen sharply",
    "11",
    "rose by a third",
    "запустили стратегию",
    "запустили собственную стратегию",
    "全球",
    "区域",
    "扩大合作",
    "ارتفعت",
    "2024",
]


@st.composite
def judged_sentence(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        frame = draw(st.sampled_from(FRAMES))
        return frame.format(*(draw(st.sampled_from(FILLERS)) for _ in range(frame.count("{}"))))
    return draw(st.one_of(sentence, st.text(max_size=120)))


class ReferenceJudge:
    """The judge's definition, written plainly: an exact repeat of a kept sentence of
    this paragraph goes, and of a kept paragraph's when no sentence of this one is kept
    yet; a sentence of ``min_near_duplicate_chars`` or
    more goes when its restatement_share of the kept sentence just before it in its
    paragraph reaches ``redundant_share`` and that sentence is at most
    ``max_restated_length_ratio`` times its length."""

    def __init__(self, rules: remove_repeats.RepeatRules) -> None:
        self.rules = rules
        self.committed: set[str] = set()
        self.pending: list[tuple[str, str]] = []  # (sentence, form)

    def judge(self, text: str, key: str) -> str | None:
        rules = self.rules
        weight = remove_repeats.weighted_length(key, rules)
        if weight >= rules.min_exact_repeat_chars and (
            key in {form for _, form in self.pending}
            or (key in self.committed and not self.pending)
        ):
            return remove_repeats.REPEATED_SENTENCE
        if weight < rules.min_near_duplicate_chars or not self.pending:
            return None
        earlier, earlier_key = self.pending[-1]
        if remove_repeats.weighted_length(earlier_key, rules) > (
            rules.max_restated_length_ratio * weight
        ):
            return None
        share = remove_repeats.restatement_share(text, earlier, RULES["repeats"])
        return remove_repeats.NEAR_DUPLICATE_SENTENCE if share >= rules.redundant_share else None

    def keep(self, text: str, key: str) -> None:
        self.pending.append((text, key))

    def end_paragraph(self, stays: bool) -> None:
        if stays:
            self.committed.update(form for _, form in self.pending)
        self.pending = []


@pytest.mark.property
@settings(max_examples=300, deadline=None)
@given(
    paragraphs=st.lists(
        st.tuples(st.lists(judged_sentence(), min_size=1, max_size=8), st.booleans()),
        max_size=12,
    ),
)
def test_the_judge_decides_as_its_definition(paragraphs: list[tuple[list[str], bool]]) -> None:
    """Sentence by sentence, paragraphs kept or dropped: the judge (which stops comparing
    clauses as soon as it knows, and reuses what it cut) gives the verdicts of its
    definition."""
    judge, reference = remove_repeats._Judge(COMPILED), ReferenceJudge(COMPILED)
    for sentences, stays in paragraphs:
        for text in sentences:
            key = remove_repeats.comparison_form(text, COMPILED)
            verdict = judge.judge(text, key)
            assert verdict == reference.judge(text, key), text
            if verdict is None:
                judge.keep(key)
                reference.keep(text, key)
        judge.commit() if stays else judge.discard()
        reference.end_paragraph(stays)


@pytest.mark.property
@settings(max_examples=300, deadline=None)
@given(
    shorter=st.one_of(paragraph(), messy),
    longer=st.one_of(paragraph(), messy),
    language=st.sampled_from([None, "en", "ru"]),
)
def test_a_teaser_read_lazily_is_judged_as_its_facts_are(
    shorter: str, longer: str, language: str | None
) -> None:
    """_restates refuses early on numbers and first and last units, and looks words up
    only as far as it must: the verdict is restates' on the full facts."""
    reading = remove_repeats._Reading(shorter, lambda: language, COMPILED)
    full = remove_repeats.facts(shorter, language, COMPILED)
    assert (reading.first(), reading.last()) == (full.first, full.last)
    lead = remove_repeats.vocabulary(remove_repeats.comparison_form(longer, COMPILED), COMPILED)
    rules = COMPILED.restatement
    assert remove_repeats._restates(reading, lead, rules) == remove_repeats.restates(
        full, lead, rules
    )


# --- the fast paths against the code they replaced (tests/oracles_repeats.py) ---------

# Text in the scripts the step meets and the characters that make folding part by part
# differ from folding the whole: decomposed accents, Hangul jamo, ligatures, "ß", "İ",
# full-width forms, no-break spaces, marks, underscores, lone surrogates.
folding_pieces = st.sampled_from(
    ["Trade", "grows", " ", "  ", ", ", ". ", "; ", "\n", "\N{NO-BREAK SPACE}", "_", "__",
     "Россия", "сказал", "«", "»", "—", "经济合作", "，", "。", "数 字", "２０２４", "Ａｂｃ",
     "وقال", "الوزيرُ", "हिन्दी", "\u0301", "e\u0301", "\u1100\u1161", "\u11a8", "가",
     "ß", "İ", "ﬁ", "…", "½", "ǅ", "Σ", "\ud800", "2024", "12:30", "1,200", "x"]
)  # fmt: skip
folding_texts = st.one_of(
    st.lists(folding_pieces, max_size=30).map("".join),
    st.text(max_size=80),
)


@pytest.mark.property
@settings(max_examples=400, deadline=None)
@given(text=folding_texts)
def test_comparison_form_as_before(text: str) -> None:
    """Non-word characters replaced by the few distinct ones found: the forms as before."""
    assert remove_repeats.comparison_form(text, COMPILED) == oracles_repeats.comparison_form(
        text, COMPILED
    )


@pytest.mark.property
@settings(max_examples=300, deadline=None)
@given(text=folding_texts, data=st.data())
def test_each_part_of_a_folded_text_has_the_form_of_the_part(
    text: str, data: st.DataObject
) -> None:
    """Folded once, any part's form is the part's own, and so is its weight."""
    folded = remove_repeats._Folded(text, COMPILED)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    expected = oracles_repeats.comparison_form(text[start:end], COMPILED)
    assert folded.form(start, end) == expected
    assert folded.weight(expected) == remove_repeats.weighted_length(expected, COMPILED)
    part = folded.part(start, end)
    inner = data.draw(st.integers(0, end - start))
    assert part.form(inner, end - start) == oracles_repeats.comparison_form(
        text[start + inner : end], COMPILED
    )


@pytest.mark.property
@settings(max_examples=300, deadline=None)
@given(text=folding_texts)
def test_script_guess_as_before(text: str) -> None:
    assert remove_repeats._guess_language_by_script(
        text, COMPILED
    ) == oracles_repeats.guess_language_by_script(text, RULES["repeats"])


@pytest.mark.property
@settings(max_examples=300, deadline=None)
@given(text=st.one_of(folding_texts, paragraph(), messy))
def test_words_and_units_are_read_as_before(text: str) -> None:
    """A text asked once whether it has a dense character reads as each token asked."""
    assert_read_as_before(text)


@pytest.mark.property
@settings(max_examples=150, deadline=None)
@given(
    text=st.one_of(messy, document()),
    languages=st.sampled_from([None, ["en"], ["ru"], ["zh", "en"]]),
)
def test_rounds_sharing_what_they_read_give_the_record_of_rounds_reading_afresh(
    text: str, languages: list[str] | None
) -> None:
    """The rounds of a run share paragraphs' folds and sentences' clauses: the record of
    5d5e1a3's run (oracles_repeats.run), whose rounds read their text afresh."""
    record = Record("000_0000000000000000", 0, text, declared={"languages": languages})
    (new,) = remove_repeats.STEP.run(record, RULES)
    assert new == oracles_repeats.run(record, RULES)[0]


@pytest.mark.property
@settings(max_examples=300, deadline=None)
@given(
    clause=st.one_of(clause_texts, sentence),
    earlier=st.one_of(clause_texts, sentence, paragraph()),
    containment=st.sampled_from([0.0, 0.3, COMPILED.clause_containment, 0.9, 1.0]),
    size=st.sampled_from([1, 2, 3, 4]),
)
def test_a_clause_is_found_as_its_shingle_sets_say(
    clause: str, earlier: str, containment: float, size: int
) -> None:
    """_Clause.found_in (shingles looked for in the earlier form, stopping once too many
    are missing) agrees with the definition on sets of shingles and numbers."""
    import dataclasses

    rules = dataclasses.replace(COMPILED, clause_containment=containment)
    key = remove_repeats.comparison_form(clause, rules)
    earlier_key = remove_repeats.comparison_form(earlier, rules)
    clauses = remove_repeats._Clauses.of(clause, key, rules)
    clauses.shingle_size = size
    kept = remove_repeats._KeptSentence(earlier_key)
    for c in clauses.clauses:
        shingles = remove_repeats.shingles(c.key, size)
        expected = c.numbers <= kept.numbers and len(
            shingles & remove_repeats.shingles(earlier_key, size)
        ) >= containment * len(shingles)
        assert c.found_in(kept) == expected


@pytest.mark.property
@settings(max_examples=300, deadline=None)
@given(sentence=st.one_of(clause_texts, st.text(alphabet="1a ,;:，；：،؛٣", max_size=30)))
def test_clause_pieces_are_cut_where_they_were(sentence: str) -> None:
    """The cuts found by trying clause_boundary at each separator only are those of the
    scan of the whole sentence (tests/oracles_repeats.py)."""
    assert remove_repeats._clause_pieces(sentence, COMPILED) == oracles_repeats.clause_pieces(
        sentence, COMPILED
    )
