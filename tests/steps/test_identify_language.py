"""identify_language: data-driven cases (tests/steps/cases/identify_language.toml), the
code mapping, rounding, warnings, and the cleaned seeds."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import jsonschema
import pytest

from curation.paths import RULES_DIR
from curation.record import Record
from curation.rules import load_rules
from curation.steps import PIPELINE, STEPS, identify_language

CASES = tomllib.loads(
    (Path(__file__).parent / "cases" / "identify_language.toml").read_text(encoding="utf-8")
)["case"]
RULES = load_rules()
LANGUAGE = RULES["language"]
COMPILED = identify_language.compile_rules(LANGUAGE)
ROOT = Path(__file__).resolve().parents[2]
GOLDEN_DIR = ROOT / "tests" / "golden"


def run(text: str, declared: list[str] | None = None, title: str | None = None) -> Record:
    record = Record("000_0000000000000000", 0, text, declared={"languages": declared}, title=title)
    (out,) = identify_language.STEP.run(record, RULES)
    return out


def codes(record: Record) -> list[str]:
    return sorted(w.code for w in record.warnings)


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_case(case: dict[str, object]) -> None:
    out = run(str(case["text"]), case.get("declared"), case.get("title"))  # type: ignore[arg-type]
    assert out.language == (case["language"] or None), case["comment"]
    assert codes(out) == case["warnings"], case["comment"]
    assert out.text == case["text"] and out.provenance == ()
    assert all(w.step == identify_language.STEP_ID for w in out.warnings)


def test_labels_are_unique() -> None:
    labels = [c["label"] for c in CASES]
    assert len(labels) == len(set(labels))


def test_score_is_a_rounded_probability() -> None:
    out = run("The ministers said on Monday that trade had reached a record high.")
    assert out.language_score is not None
    assert 0 <= out.language_score <= 1
    assert out.language_score == round(out.language_score, COMPILED.score_decimals)
    empty = run("")
    assert (empty.language, empty.language_score) == (None, None)


def test_varieties_add_up_to_their_macrolanguage() -> None:
    text = "中俄两国在数字经济领域的合作不断深化。"
    raw = dict(identify_language.language_identifier().rank(text))
    guess = identify_language.identify(text, LANGUAGE)
    assert guess.language == "zh"
    assert raw["wuu"] > 0.1, "the model splits this text between zh and wuu"
    assert guess.score == round(raw["zh"] + raw["wuu"] + raw["yue"], COMPILED.score_decimals)


def test_labels_without_an_iso_639_1_code_are_never_published() -> None:
    labels = identify_language.language_identifier().labels
    published = {identify_language.iso_639_1(label, COMPILED) for label in labels} - {None}
    assert all(re.fullmatch(r"[a-z]{2}", code) for code in published)
    for label in labels:
        if len(label) != 2:
            assert label in COMPILED.model_codes, f"{label} is not in language.toml [model_codes]"
    assert identify_language.iso_639_1("pcm", COMPILED) is None
    assert identify_language.iso_639_1("xyz", COMPILED) is None


def test_warning_messages_say_what_was_declared_and_detected() -> None:
    out = run(
        "Министры заявили в понедельник, что торговля между Китаем и Россией достигла рекорда.",
        ["ro", "en"],
    )
    (warning,) = out.warnings
    assert warning.code == "language_mismatch"
    assert warning.message.startswith('declared ["ro", "en"], detected ru (p=0.9')


def test_running_twice_adds_no_second_warning() -> None:
    once = run("Le commerce a augmenté.", ["de"])
    (twice,) = identify_language.STEP.run(once, RULES)
    assert twice == once and twice.warnings == once.warnings


def test_only_the_first_max_chars_are_classified() -> None:
    english = "The ministers said on Monday that trade had reached a record high. " * 40
    russian = "Министры заявили, что торговля между странами достигла рекорда. " * 4000
    assert len(english) < COMPILED.max_chars < len(english + russian)
    # The guess, not the published language: a text in two languages is not confident,
    # and py3langid's probability flattens on one sentence repeated thousands of times.
    assert identify_language.identify(english + russian, LANGUAGE).language == "ru"
    head = english * (COMPILED.max_chars // len(english) + 1)
    assert identify_language.identify(head + russian, LANGUAGE).language == "en"


def test_registered_after_remove_repeats() -> None:
    assert STEPS["identify_language"] is identify_language.STEP
    names = [step.name for step in PIPELINE]
    # Only the empty-record drop may follow: language must see the final text.
    assert names[names.index("identify_language") + 1 :] == ["drop_empty"]
    assert names.index("remove_repeats") < names.index("identify_language")


@pytest.mark.parametrize("path", sorted(GOLDEN_DIR.glob("*.txt")), ids=lambda p: p.stem)
def test_cleaned_seed_texts(path: Path) -> None:
    """Each expected final text is identified as its expected language, confidently."""
    text = path.read_text(encoding="utf-8").removesuffix("\n")
    meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    sidecar = json.loads((ROOT / "seeds" / f"{meta['seed_id']}.json").read_text(encoding="utf-8"))
    out = run(text, sidecar["languages"], meta["title"])
    assert out.language == meta["language"]
    assert out.language_score is not None and out.language_score >= COMPILED.min_confidence
    assert out.warnings == ()


def test_the_schema_refuses_bad_codes_and_thresholds() -> None:
    schema = json.loads(
        (ROOT / "schema" / "rules" / "language.schema.json").read_text(encoding="utf-8")
    )
    validator = jsonschema.Draft202012Validator(schema)
    data = tomllib.loads((RULES_DIR / "language.toml").read_text(encoding="utf-8"))
    assert not list(validator.iter_errors(data))
    data["model_codes"]["wuu"] = "zho"  # not ISO 639-1
    data["detection"]["min_confidence"] = 2
    assert len(list(validator.iter_errors(data))) == 2


@pytest.mark.parametrize(
    ("text", "declared", "decided_by"),
    [
        ("The ministers said on Monday that trade had reached a record high.", ["ru"], "detection"),
        ("China and Russia", ["en"], "declaration"),
        ("China and Russia", [], None),
    ],
)
def test_records_say_how_their_language_was_decided(
    text: str, declared: list[str], decided_by: str | None
) -> None:
    out = run(text, declared)
    assert out.language_decided_by == decided_by
    assert (out.language is None) == (decided_by is None)


def _seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]


def test_array_walk_scores_exactly_as_py3langid() -> None:
    """The numpy walk of the byte automaton gives py3langid's counts, in its order, and so
    its scores bit for bit: on the seeds, their prefixes, and random bytes."""
    import random

    from py3langid.langid import MODEL_FILE, LanguageIdentifier, visit_counts

    fast = identify_language.language_identifier()
    assert isinstance(fast, identify_language.ArrayLanguageIdentifier)
    plain = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    rng = random.Random(9)
    samples: list[str | bytes] = ["", "a", "ab", "Related Stories", "中俄", "ÄÖÜ" * 5]
    for text in _seed_texts():
        samples += [text, text[:7], text[:200], text[-999:]]
    samples += [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000))) for _ in range(40)]
    for sample in samples:
        data = plain._encode(sample)
        counts = visit_counts(plain.tk_nextmove, plain._rowbase, plain.tk_output, data) or {}
        features, numbers = fast.visits(data)
        assert list(zip(features.tolist(), numbers.tolist(), strict=True)) == list(counts.items())
        # py3langid sums with BLAS (``@``), whose last bits depend on its thread count;
        # ours sums in numpy's own order: the same ranking, probabilities equal to 1e-4.
        fast_rank, plain_rank = fast.rank(sample), plain.rank(sample)
        assert [label for label, _ in fast_rank[:3]] == [label for label, _ in plain_rank[:3]]
        for (_, ours), (_, theirs) in zip(fast_rank, plain_rank, strict=True):
            assert abs(ours - theirs) <= 1e-4
        assert fast.classify(sample)[0] == plain.classify(sample)[0]


_SCORE_DIGEST = """
import hashlib, sys
from curation.steps.identify_language import language_identifier
digest = hashlib.sha256()
for text in sys.stdin.read().split("\\x00"):
    digest.update(language_identifier()._raw_score(text.encode("utf-8")).tobytes())
print(digest.hexdigest())
"""


def test_scores_do_not_depend_on_the_blas_thread_count() -> None:
    """The same bits with one BLAS thread or two (a machine's cores decide the default)."""
    import os
    import subprocess
    import sys

    seeds = _seed_texts()
    # Long texts too: BLAS splits a product among threads only past some size.
    texts = "\x00".join([*seeds, "\n".join(seeds), "\n".join(seeds) * 3])
    digests = set()
    for threads in ("1", "2"):
        env = {**os.environ, "OPENBLAS_NUM_THREADS": threads, "OMP_NUM_THREADS": threads}
        done = subprocess.run(
            [sys.executable, "-c", _SCORE_DIGEST],
            input=texts,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            check=True,
        )
        digests.add(done.stdout.strip())
    assert len(digests) == 1
