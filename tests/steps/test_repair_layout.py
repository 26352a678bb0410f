"""repair_layout: golden cases (tests/steps/cases/repair_layout.toml) and the pieces.

The cases are data: label, kind, comment, input, expected output and, where it
matters, the exact count of each rule. Negative cases must come out unchanged.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import wordfreq

from curation.record import Record, replay
from curation.rules import RuleSet, load_rules
from curation.steps import PIPELINE, STEPS, repair_layout
from curation.steps.repair_layout import (
    compile_layout_rules,
    declared_languages,
    detect_word_list_language,
    display_width,
    estimate_wrap_width,
    find_cjk_wrap_spaces,
    frequency_languages,
    is_hyphenation_break,
)

CASES_FILE = Path(__file__).parent / "cases" / "repair_layout.toml"
CASES: list[dict[str, Any]] = tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))["case"]
KINDS = {"in_the_wild", "synthetic", "negative"}

RULES: RuleSet = load_rules()
LAYOUT = compile_layout_rules(RULES["layout"])


def _run(text: str, languages: list[str] | None = None) -> Record:
    record = Record(
        seed_id="000_0000000000000000", part=0, text=text, declared={"languages": languages}
    )
    (out,) = repair_layout.STEP.run(record, RULES)
    return out


def test_cases_are_well_formed() -> None:
    labels = [case["label"] for case in CASES]
    assert len(labels) == len(set(labels)), "duplicate labels"
    for case in CASES:
        assert case["kind"] in KINDS, case["label"]
        assert case["comment"].strip(), case["label"]
        assert ("expected" in case) == (case["kind"] != "negative"), case["label"]
        known = {rule for names in repair_layout.RULE_NAMES.values() for rule in names}
        assert set(case.get("rules", {})) <= known, case["label"]
    assert {case["kind"] for case in CASES} == KINDS


def _param(case: dict[str, Any]) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if "xfail" in case else []
    return pytest.param(case, id=case["label"], marks=marks)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_case(case: dict[str, Any]) -> None:
    out = _run(case["input"], case.get("languages"))
    assert out.text == case.get("expected", case["input"])
    counts = Counter(edit.rule for edit in out.provenance)
    if "rules" in case:
        assert counts == Counter(case["rules"])
    if case["kind"] == "negative":
        assert out.provenance == ()
    assert replay(case["input"], out.provenance) == out.text
    again = _run(out.text, case.get("languages"))
    assert again.text == out.text, "not idempotent"


def test_registered_after_normalize_unicode() -> None:
    names = [step.name for step in PIPELINE]
    assert names.index("repair_layout") == names.index("normalize_unicode") + 1
    assert STEPS["repair_layout"] is repair_layout.STEP
    assert repair_layout.STEP.id == "repair_layout_v2"
    assert repair_layout.STEP.rules_files == ("layout", "language")


def test_edits_are_recorded_under_named_passes() -> None:
    out = _run("  Ки-\nтай и Россия.Переговоры  ", ["ru"])
    steps = [edit.step for edit in out.provenance]
    assert steps == [
        "repair_layout_v2/lines",
        "repair_layout_v2/lines",
        "repair_layout_v2/unwrap",
        "repair_layout_v2/spacing",
    ]
    assert out.text == "Китай и Россия. Переговоры"


def test_declared_languages_tolerates_missing_and_junk() -> None:
    assert declared_languages({}) == ()
    assert declared_languages({"languages": None}) == ()
    assert declared_languages({"languages": "ru"}) == ()
    assert declared_languages({"languages": ["ru", 7, None, "en"]}) == ("ru", "en")


def test_frequency_languages_falls_back_on_the_script() -> None:
    rules = LAYOUT.hyphenation
    assert frequency_languages(["ro"], "word", rules) == ("ro",)
    assert frequency_languages(["no"], "ord", rules) == ("nb",)  # an alias
    # Declared, but without a word list: the script decides.
    assert frequency_languages(["kk"], "сөз", rules) == ("ru", "uk", "bg")
    assert frequency_languages([], "word", rules) == rules.script_languages["latin"]
    # A script without fallback languages: no lookup, the default decides.
    assert frequency_languages([], "ქართული", rules) == ()


@pytest.mark.parametrize(
    ("left", "right", "language", "joined"),
    [
        ("раз", "личных", "ru", True),
        ("Ки", "тай", "ru", True),
        ("сотрудниче", "ства", "ru", True),
        ("eco", "nomic", "en", True),
        ("Digi", "talisierung", "de", True),
        ("coopéra", "tion", "fr", True),
        ("well", "known", "en", False),
        ("long", "term", "en", False),
        ("по", "русски", "ru", False),
        ("co", "guvernarea", "ro", False),
        ("planifica", "rea", "ro", True),
        ("ne", "am", "ro", False),  # a clitic: "ne-am" 6.2, "neam" 3.9
        ("s", "a", "ro", False),  # one letter: never a hyphenation point
        ("из", "за", "ru", False),  # "из-за" 6.4, "изза" 3.2
        ("Daar", "naast", "nl", True),  # a closed compound of common parts
        ("can", "not", "en", True),
        ("peut", "être", "fr", False),
    ],
)
def test_hyphenation_break_by_word_frequency(
    left: str, right: str, language: str, joined: bool
) -> None:
    assert is_hyphenation_break(left, right, [language], LAYOUT.hyphenation) is joined


def test_hyphenation_default_without_word_list() -> None:
    rules = LAYOUT.hyphenation
    assert is_hyphenation_break("plugh", "xyzzy", [], rules) is rules.join_when_unknown
    assert is_hyphenation_break("plugh", "xyzzy", ["en"], rules) is rules.join_when_unknown


def test_frequency_languages_all_work_offline_without_extra_tokenizers() -> None:
    # zh, ja and ko need jieba or MeCab, which are not installed: listing one of them
    # would make the step raise on the first hyphen in that language.
    rules = LAYOUT.hyphenation
    available = set(wordfreq.available_languages())
    for language in sorted(rules.frequency_languages):
        assert language in available, language
        wordfreq.zipf_frequency("word-word", language)
    for languages in rules.script_languages.values():
        assert set(languages) <= rules.frequency_languages
    assert set(rules.language_aliases.values()) <= rules.frequency_languages


def test_frequency_languages_cover_every_wordfreq_language_that_needs_no_tokenizer() -> None:
    # "For every language wordfreq covers": the list follows the locked wordfreq.
    needs_tokenizer = {"zh", "ja", "ko"}
    available = set(wordfreq.available_languages())
    assert LAYOUT.hyphenation.frequency_languages == available - needs_tokenizer


def test_a_detected_language_beats_the_script_fallback() -> None:
    rules = LAYOUT.hyphenation
    assert frequency_languages([], "planifica", rules, detected="ro") == ("ro",)
    # The declared language wins over the detected one.
    assert frequency_languages(["it"], "planifica", rules, detected="ro") == ("it",)
    # A detected language without a word list is no help: the script decides.
    assert frequency_languages([], "word", rules, detected="sw") == rules.script_languages["latin"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Guvernul a aprobat ieri planificarea investițiilor pentru anul viitor.", "ro"),
        ("Уряд затвердив програму розвитку цифрової інфраструктури країни.", "uk"),
        ("Die Bundesregierung hat am Montag die Förderung beschlossen.", "de"),
        ("أعلنت وزارة الاقتصاد أن حجم التبادل التجاري ارتفع خلال العام.", "ar"),
        ("Vlada je v ponedeljek sprejela nov načrt za digitalizacijo šol.", "sl"),
        ("Hallo", None),  # too short to be sure
        ("中俄两国在数字经济领域的合作不断深化。", None),  # no word list for Chinese
    ],
)
def test_detect_word_list_language(text: str, language: str | None) -> None:
    found = detect_word_list_language(text, RULES["language"], LAYOUT.hyphenation)
    assert found == language


def test_a_hyphen_is_judged_in_its_own_block_of_a_mixed_page() -> None:
    # A Romanian block and a Spanish block on one page: each hyphen in its block's
    # language ("planifica-rea" is joined in Romanian, and a Spanish compound keeps
    # its hyphen).
    romanian = (
        "Guvernul a aprobat ieri în ședința de la București planifica-\n"
        "rea investițiilor pentru anul viitor și bugetul ministerelor."
    )
    spanish = (
        "El gobierno aprobó ayer en Madrid el acuerdo hispano-\n"
        "francés sobre la cooperación en materia de investigación."
    )
    out = _run(f"{romanian}\n\n{spanish}")
    assert "planificarea investițiilor" in out.text
    assert "hispano-francés" in out.text


def test_cjk_quotation_breaks_cost_is_bounded() -> None:
    # Unclosed marks pile up; the stack keeps the newest max_open_quotations, so a
    # closing mark looks back a bounded way, and a quotation closing too far away
    # holds nothing.
    rules = LAYOUT.unwrap
    lines = ["“数字" * 50] * 200 + ["合作。”"]
    # The closing mark pairs with the newest open one, on the line before it.
    assert repair_layout.cjk_quotation_breaks(lines, rules) == {199}
    far = ["他说：“我们"] + ["继续合作"] * rules.max_quotation_lines + ["。”"]
    assert repair_layout.cjk_quotation_breaks(far, rules) == set()
    near = ["他说：“我们"] + ["继续合作"] * (rules.max_quotation_lines - 1) + ["。”"]
    assert repair_layout.cjk_quotation_breaks(near, rules) == set(range(len(near) - 1))


def test_display_width_counts_cjk_double() -> None:
    assert display_width("") == 0
    assert display_width("abc") == 3
    assert display_width("数字合作") == 8
    assert display_width("カナ，한국") == 10  # Hangul is wide too


def test_wrap_width_needs_enough_similar_lines() -> None:
    rules = LAYOUT.unwrap
    assert estimate_wrap_width([75, 78, 82, 83, 82, 84, 83, 81], rules) == 83
    # Two similar lines are a coincidence, not a width.
    assert estimate_wrap_width([70, 71], rules) is None
    # Unrelated widths: a web page.
    assert estimate_wrap_width([8, 16, 66, 32, 900, 28, 32], rules) is None
    # Similar but short lines: a menu or a list.
    assert estimate_wrap_width([12, 12, 13, 12, 11], rules) is None


def test_cjk_wrap_spaces_survive_a_separator_between_wraps() -> None:
    # A real separator between two wraps does not break the chain.
    box = "中俄两国合作不断深化，双方成果丰硕" * 2  # 68 columns
    paragraph = f"{box} {box[:10]} {box[10:]} {box} {box}"
    spaces = [i for i, c in enumerate(paragraph) if c == " "]
    assert find_cjk_wrap_spaces(paragraph, LAYOUT.cjk_wrap_spaces) == [
        spaces[0],
        spaces[2],
        spaces[3],
    ]


def test_cjk_wrap_spaces_from_an_uneven_layout() -> None:
    # Wrap spaces off the interval by up to the jitter (two columns: one character
    # moved by line-breaking rules) are still found.
    rules = LAYOUT.cjk_wrap_spaces
    lines = ["数" * 30, "数" * 31 + "，", "数" * 29, "数" * 30, "数" * 30 + "。"]
    paragraph = " ".join(lines)
    found = find_cjk_wrap_spaces(paragraph, rules)
    assert found == [i for i, c in enumerate(paragraph) if c == " "]


def test_all_expected_outputs_together_are_a_fixed_point() -> None:
    # Feeding the output back changes nothing, for every kind of case at once.
    text = "\n\n".join(case.get("expected", case["input"]) for case in CASES)
    text = "\n\n".join(p for p in text.split("\n\n") if p)
    out = _run(text, ["en", "ru", "zh"])
    assert out.text == text
