"""remove_repeats: data-driven cases (tests/steps/cases/remove_repeats.toml), the
thresholds they justify, where near-duplicates are looked for, and the cleaned seeds."""

from __future__ import annotations

import dataclasses
import itertools
import json
import tomllib
from pathlib import Path

import jsonschema
import pytest

from curation.paths import REPO_DIR, RULES_DIR
from curation.record import Record, replay
from curation.rules import load_rules
from curation.steps import PIPELINE, STEPS, remove_repeats

CASES_FILE = Path(__file__).parent / "cases" / "remove_repeats.toml"
CASES = tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))
DOCUMENT_CASES = CASES["case"]
PAIRS = CASES["pair"]
RULES = load_rules()
REPEATS = RULES["repeats"]
COMPILED = remove_repeats.compile_rules(REPEATS)
GOLDEN_DIR = Path(__file__).resolve().parents[1] / "golden"
RULE_NAMES = {
    "repeated_paragraph",
    "repeated_sentence",
    "near_duplicate_sentence",
    "restated_headline",
    "restated_lead",
}


def run(text: str, language: str | None = "en", title: str | None = None) -> Record:
    declared = {"languages": [language] if language else None}
    record = Record("000_0000000000000000", 0, text, declared=declared, title=title)
    (out,) = remove_repeats.STEP.run(record, RULES)
    return out


def rule_names(record: Record) -> list[str]:
    return sorted(edit.rule for edit in record.provenance)


def check_contract(text: str, out: Record) -> None:
    assert replay(text, out.provenance) == out.text
    again = run(out.text, out.declared["languages"][0], out.title)
    assert again.text == out.text, "not idempotent"
    steps = [edit.step for edit in out.provenance]
    rounds = [remove_repeats.STEP_ID] + [f"{remove_repeats.STEP_ID}/round{n}" for n in range(2, 9)]
    assert steps == sorted(steps, key=rounds.index), "rounds in order, named by the step"
    assert all(edit.after == "" for edit in out.provenance), "the step only removes"


# --- document cases -----------------------------------------------------------------


@pytest.mark.parametrize("case", DOCUMENT_CASES, ids=[c["label"] for c in DOCUMENT_CASES])
def test_case(case: dict[str, object]) -> None:
    title = str(case["title"]) if "title" in case else None
    out = run(str(case["input"]), str(case["language"]), title)
    assert out.text == case["expected"], case["comment"]
    assert rule_names(out) == case["rules"], case["comment"]
    check_contract(str(case["input"]), out)
    if case["kind"] == "negative":
        assert out.provenance == ()


def test_a_second_round_is_recorded_as_a_pass() -> None:
    case = next(c for c in DOCUMENT_CASES if c["label"] == "second_round_after_the_cut_changes")
    out = run(str(case["input"]), "zh")
    assert [edit.step for edit in out.provenance] == [
        remove_repeats.STEP_ID,
        f"{remove_repeats.STEP_ID}/round2",
    ]


def test_case_kinds_labels_and_rules() -> None:
    assert {c["kind"] for c in DOCUMENT_CASES} == {"in-the-wild", "synthetic", "negative"}
    assert {p["kind"] for p in PAIRS} == {"positive", "negative", "known_miss"}
    labels = [c["label"] for c in DOCUMENT_CASES + PAIRS]
    assert len(labels) == len(set(labels))
    fired = {rule for case in DOCUMENT_CASES for rule in case["rules"]}
    assert fired == RULE_NAMES, "every rule has a case"


# --- sentence pairs: the thresholds -------------------------------------------------


def pair_text(pair: dict[str, object]) -> str:
    joiner = "" if pair["language"] in {"zh", "ja"} else " "
    return f"{pair['earlier']}{joiner}{pair['later']}"


def _pair_params() -> list[object]:
    params: list[object] = []
    for pair in PAIRS:
        marks = []
        if pair["kind"] == "known_miss":
            marks.append(pytest.mark.xfail(strict=True, reason=str(pair["comment"])))
        params.append(pytest.param(pair, id=str(pair["label"]), marks=marks))
    return params


@pytest.mark.parametrize("pair", _pair_params())
def test_pair(pair: dict[str, object]) -> None:
    text = pair_text(pair)
    out = run(text, str(pair["language"]))
    check_contract(text, out)
    if pair["kind"] == "negative":
        assert out.text == text, pair["comment"]
    else:
        assert out.text == pair["earlier"], pair["comment"]
        assert rule_names(out) == ["near_duplicate_sentence"]


@pytest.mark.parametrize("pair", PAIRS, ids=[p["label"] for p in PAIRS])
def test_pair_share_is_the_one_in_the_cases_file(pair: dict[str, object]) -> None:
    """The shares quoted in the cases file (and in repeats.toml) are what the step computes."""
    share = remove_repeats.restatement_share(str(pair["later"]), str(pair["earlier"]), REPEATS)
    assert share == pytest.approx(pair["share"], abs=0.005)


def test_redundant_share_separates_the_positive_and_negative_pairs() -> None:
    threshold = COMPILED.redundant_share
    judged = [
        p
        for p in PAIRS
        if remove_repeats.weighted_length(
            remove_repeats.comparison_form(str(p["later"]), COMPILED), COMPILED
        )
        >= COMPILED.min_near_duplicate_chars
    ]
    positives = [p["share"] for p in judged if p["kind"] == "positive"]
    negatives = [p["share"] for p in judged if p["kind"] in {"negative", "known_miss"}]
    assert min(positives) >= threshold > max(negatives)
    # The in-the-wild Russian restatement (0.77) must stay above it too.
    russian = next(c for c in DOCUMENT_CASES if c["label"] == "russian_restated_clause")
    paragraph = str(russian["input"]).split("\n\n")[0]
    spans = remove_repeats.sentence_spans(paragraph, "ru")
    second, third = (paragraph[a:b] for a, b in spans[1:])
    assert remove_repeats.restatement_share(third, second, REPEATS) == pytest.approx(
        0.77, abs=0.005
    )


@pytest.mark.parametrize(
    "pair", [p for p in PAIRS if p["kind"] == "negative"], ids=lambda p: str(p["label"])
)
def test_near_misses_stay_as_teaser_and_lead(pair: dict[str, object]) -> None:
    """Every near-miss pair, laid out as a teaser before a longer paragraph (either
    sentence first), is no restatement: the paragraph rules keep both."""
    earlier, later = str(pair["earlier"]), str(pair["later"])
    for first, second in ((earlier, later), (later, earlier)):
        text = f"{first}\n\n{second}"
        out = run(text, str(pair["language"]))
        assert not {e.rule for e in out.provenance} & {"restated_lead", "restated_headline"}


def test_restatement_units_by_script() -> None:
    # Numbers, names inside a sentence, rare words; bigrams in a dense script.
    latin = remove_repeats.facts("Guvernul a aprobat bugetul pe 2024.", "ro", COMPILED)
    assert latin.numbers == {"2024"} and "bugetul" in latin.content_words
    assert "pe" not in latin.content_words  # a common word
    cyrillic = remove_repeats.facts("Совет одобрил план Путина в 2024 году.", "ru", COMPILED)
    assert "путина" in cyrillic.content_words
    han = remove_repeats.facts("中俄签署协议。", None, COMPILED)
    assert han.bigrams == {"中俄", "俄签", "签署", "署协", "协议"} and han.dense
    # Without a word list, long words count as content words.
    unknown = remove_repeats.facts("the ministry approved it", None, COMPILED)
    assert unknown.content_words == {"ministry", "approved"}


def test_inflected_forms_share_a_stem_and_other_words_do_not() -> None:
    rules = COMPILED.restatement
    for a, b in [("россия", "россии"), ("signed", "signs"), ("regierung", "regierungen")]:
        assert remove_repeats._same_stem(a, b, rules), (a, b)
    for a, b in [("record", "recovery"), ("exports", "imports"), ("china", "chile")]:
        assert not remove_repeats._same_stem(a, b, rules), (a, b)


def test_restatements_cost_a_constant_number_of_comparisons() -> None:
    """Only the lead's first few paragraphs are judged, each against a few after it:
    a document of many teaser-like paragraphs costs no more comparisons."""
    calls = []
    original = remove_repeats.restates

    def counting(*args: object) -> bool:
        calls.append(1)
        return original(*args)  # type: ignore[arg-type]

    def comparisons(count: int) -> int:
        calls.clear()
        text = "\n\n".join(
            f"Station {i} in zone {i % 13} reported {i * 3} tonnes of grain and {i % 7} trucks."
            for i in range(count)
        )
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(remove_repeats, "restates", counting)
            run(text)
        return len(calls)

    assert comparisons(50) == comparisons(500)


def test_the_length_floor_is_what_keeps_the_short_variant() -> None:
    pair = next(p for p in PAIRS if p["label"] == "short_variant_below_the_length_floor")
    later = remove_repeats.comparison_form(str(pair["later"]), COMPILED)
    assert remove_repeats.weighted_length(later, COMPILED) < COMPILED.min_near_duplicate_chars
    assert pair["share"] >= COMPILED.redundant_share


# --- pieces -------------------------------------------------------------------------


def test_sentence_spans_are_exact_offsets() -> None:
    paragraph = "  First one here.   Second, with Mr. Smith.Third without a space.\nFourth"
    spans = remove_repeats.sentence_spans(paragraph, "en")
    pieces = [paragraph[a:b] for a, b in spans]
    assert all(piece == piece.strip() and piece for piece in pieces)
    assert "".join(pieces).replace(" ", "") == paragraph.replace(" ", "").replace("\n", "")
    assert all(b <= c for (_, b), (c, _) in itertools.pairwise(spans))


def test_sentence_spans_of_text_sentencex_cannot_take() -> None:
    assert remove_repeats.sentence_spans("a \ud800 b. c", "en") == [(0, 8)]
    assert remove_repeats.sentence_spans("", "en") == []
    assert remove_repeats.sentence_spans("   ", "en") == []


def test_clause_spans_join_short_pieces_and_skip_digit_separators() -> None:
    sentence = "At 12:30, officials said, exports reached 1,200 tonnes in the first quarter."
    spans = remove_repeats.clause_spans(sentence, COMPILED)
    assert [sentence[a:b] for a, b in spans] == [sentence]
    assert remove_repeats.clause_spans("", COMPILED) == []


def test_comparison_form_keeps_combining_marks() -> None:
    assert remove_repeats.comparison_form("हिन्दी, भाषा!", COMPILED) == "हिन्दी भाषा"
    assert remove_repeats.comparison_form("Ａｂｃ＿ＤＥＦ", COMPILED) == "abc def"


def test_weighted_length_counts_dense_characters_more() -> None:
    assert remove_repeats.weighted_length("会议举行", COMPILED) == 4 * COMPILED.dense_char_weight
    assert remove_repeats.weighted_length("ab cd", COMPILED) == 5


@pytest.mark.parametrize(
    ("text", "declared", "language"),
    [
        ("Hello there.", ["de"], "de"),
        ("Hello there.", ["zh", "en"], "en"),
        ("你好。", ["en", "zh"], "zh"),
        ("Hello there.", ["zh", "ja"], "zh"),
        ("Привет всем.", None, "ru"),
        ("こんにちは、世界。", None, "ja"),
        ("Hello there.", None, "en"),
        ("", [], "en"),
    ],
)
def test_segmentation_language(text: str, declared: list[str] | None, language: str) -> None:
    record = Record("000_0000000000000000", 0, text, declared={"languages": declared})
    assert remove_repeats.segmentation_language(text, record, COMPILED) == language
    detected = record.replace(language="uk")
    assert remove_repeats.segmentation_language(text, detected, COMPILED) == "uk"


# --- where near-duplicates are looked for, and the cost ------------------------------


def _filler(count: int) -> list[str]:
    """Distinct sentences that share nothing long with the restatement below."""
    return [
        f"Item number {i} of the appendix lists station {i * 7} in zone {i % 13}."
        for i in range(count)
    ]


ORIGINAL = "China and Russia have signed an agreement on cooperation in the field of digital media."
VARIANT = "China and Russia signed an agreement on cooperation in the field of digital media."


def test_near_duplicates_are_looked_for_only_just_before_in_the_paragraph() -> None:
    assert COMPILED.near_duplicate_lookback == 1
    assert rule_names(run(f"{ORIGINAL} {VARIANT}")) == ["near_duplicate_sentence"]
    assert rule_names(run(" ".join([ORIGINAL, *_filler(1), VARIANT]))) == []
    assert rule_names(run(f"{ORIGINAL}\n\n{VARIANT}")) == [], "another paragraph"
    # Exact repeats are found at any distance.
    exact = " ".join([ORIGINAL, *_filler(300), ORIGINAL])
    assert rule_names(run(exact)) == ["repeated_sentence"]
    assert rule_names(run(f"{ORIGINAL}\n\n{ORIGINAL} It was signed.")) == ["repeated_sentence"]


@pytest.mark.parametrize("lookback", [0, 2, 3])
def test_the_lookback_is_the_number_of_kept_sentences_before(lookback: int) -> None:
    rules = dataclasses.replace(COMPILED, near_duplicate_lookback=lookback)
    for between in range(4):
        judge = remove_repeats._Judge(rules)
        for sentence in [ORIGINAL, *_filler(between)]:
            key = remove_repeats.comparison_form(sentence, rules)
            assert judge.judge(sentence, key) is None
            judge.keep(key)
        key = remove_repeats.comparison_form(VARIANT, rules)
        found = judge.judge(VARIANT, key) == remove_repeats.NEAR_DUPLICATE_SENTENCE
        assert found == (between < lookback), between


def test_a_long_document_costs_linear_time() -> None:
    """Each sentence is compared with at most `near_duplicate_lookback` others (counted,
    not timed): n sentences cost O(n), however much they share."""
    calls = []
    original = remove_repeats._Clauses.repeats

    def counting(self: object, earlier: object, needed: float) -> bool:
        calls.append(1)
        return original(self, earlier, needed)  # type: ignore[arg-type]

    def comparisons(count: int) -> int:
        calls.clear()
        text = " ".join(
            f"Station {i} reported {i * 3} tonnes of grain, {i % 7} trucks and {i % 11} trains."
            for i in range(count)
        )
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(remove_repeats._Clauses, "repeats", counting)
            run(text)
        return len(calls)

    small, large = comparisons(400), comparisons(800)
    assert 0 < large - small <= (800 - 400) * COMPILED.near_duplicate_lookback


# --- registry and seeds -------------------------------------------------------------


def test_registered_after_extract_metadata_and_before_identify_language() -> None:
    assert STEPS["remove_repeats"] is remove_repeats.STEP
    assert remove_repeats.STEP.id == "remove_repeats_v5"
    names = [step.name for step in PIPELINE]
    assert names.index("remove_repeats") + 1 == names.index("identify_language")
    for earlier in (
        "normalize_unicode",
        "repair_layout",
        "strip_boilerplate",
        "split_articles",
        "extract_metadata",
    ):
        if earlier in names:
            assert names.index(earlier) < names.index("remove_repeats")


@pytest.mark.parametrize("path", sorted(GOLDEN_DIR.glob("*.txt")), ids=lambda p: p.stem)
def test_cleaned_seed_texts_have_no_repeats_left(path: Path) -> None:
    """The expected final texts (tests/golden) are real prose without repeats: unchanged."""
    text = path.read_text(encoding="utf-8").removesuffix("\n")
    assert run(text, None).text == text


# --- the rules file -------------------------------------------------------------------


def test_the_schema_refuses_thresholds_out_of_range() -> None:
    schema = json.loads(
        (REPO_DIR / "schema" / "rules" / "repeats.schema.json").read_text(encoding="utf-8")
    )
    validator = jsonschema.Draft202012Validator(schema)
    data = tomllib.loads((RULES_DIR / "repeats.toml").read_text(encoding="utf-8"))
    assert not list(validator.iter_errors(data))
    data["similarity"]["clause_containment"] = 1.5
    data["similarity"]["near_duplicate_lookback"] = -1
    del data["length"]["min_clause_chars"]
    assert len(list(validator.iter_errors(data))) == 3


def test_long_paragraphs_are_segmented_in_bounded_windows() -> None:
    """sentencex is super-linear on runs of quotes: windows keep the work linear."""
    from curation.steps.remove_repeats import SEGMENT_WINDOW_CHARS, _segment_windows

    paragraph = ("'" * 700 + " ") * 40
    windows = _segment_windows(paragraph)
    assert "".join(windows) == paragraph
    assert all(len(w) <= SEGMENT_WINDOW_CHARS for w in windows)
    assert all(w.endswith(" ") for w in windows[:-1])  # cut at a space when there is one
    sentences = "The station reported grain. " * 1000
    assert all(w.endswith(". ") for w in _segment_windows(sentences)[:-1])
    unspaced = "数" * (3 * SEGMENT_WINDOW_CHARS + 5)  # no space: cut anywhere
    assert [len(w) for w in _segment_windows(unspaced)] == [SEGMENT_WINDOW_CHARS] * 3 + [5]


def test_dense_quotes_and_brackets_are_segmented_in_smaller_windows() -> None:
    """sentencex is slower still where quotes and brackets are dense: such a window is
    cut again, and prose, however many quotes it holds, is cut as before."""
    from curation.steps.remove_repeats import (
        SEGMENT_DENSE_SHARE,
        SEGMENT_DENSE_WINDOW_CHARS,
        SEGMENT_WINDOW_CHARS,
        _segment_windows,
    )

    nested = "([{（【「『《〈«“‘\"'" * 400 + "x" + ")]}）】」』》〉»”’\"'" * 400
    windows = _segment_windows(nested)
    assert "".join(windows) == nested
    assert all(len(w) <= SEGMENT_DENSE_WINDOW_CHARS for w in windows)
    # Words with a quote or a bracket in every few: dense too, cut at spaces.
    marks = '"Yes," (he) said; ' * 400
    assert len(marks) < SEGMENT_WINDOW_CHARS
    windows = _segment_windows(marks)
    assert len(windows) > 1 and "".join(windows) == marks
    assert all(w.endswith(" ") for w in windows[:-1])
    # Prose quoting someone in every sentence stays one window below the share.
    prose = "“We will meet again in spring,” the minister said after the talks in Beijing. " * 60
    share = sum(c in "“”" for c in prose) / len(prose)
    assert SEGMENT_DENSE_WINDOW_CHARS < len(prose) < SEGMENT_WINDOW_CHARS
    assert share < SEGMENT_DENSE_SHARE
    assert _segment_windows(prose) == [prose]


def test_every_quote_and_bracket_is_in_the_basic_plane() -> None:
    """_quotes_and_brackets looks only through the Basic Multilingual Plane: true of this
    Python's Unicode database, and checked again when it changes."""
    import sys
    import unicodedata

    assert not [
        code
        for code in range(0x10000, sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in ("Ps", "Pe", "Pi", "Pf")
    ]
