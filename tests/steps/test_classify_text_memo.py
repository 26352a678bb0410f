"""strip_boilerplate.classify_text remembers its answers (extract_metadata and
strip_boilerplate ask it of the same text): a remembered answer is the one computed
afresh, whatever its caller did with the last copy, and a call that differs in any
argument is computed anew."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curation.paths import REPO_DIR
from curation.rules import load_rules
from curation.seeds import iter_seed_batches, validate_seeds
from curation.steps import strip_boilerplate
from curation.steps.strip_boilerplate import _classify_text, classify_text

RULES = load_rules()
BOILERPLATE = RULES["boilerplate"]
P = "\n\n"
PROSE = "The minister said on Monday that the talks had been useful and would go on in May."
PAGE = P.join(["Home | World | Sport", "Share", "Trade grows", PROSE, PROSE, "Related Stories"])


@pytest.fixture(autouse=True)
def empty_memo() -> Iterator[None]:
    strip_boilerplate._classified.clear()
    yield
    strip_boilerplate._classified.clear()


def fresh(text: str, languages: tuple[str, ...] = (), headline_at: int | None = None) -> object:
    return _classify_text(text, BOILERPLATE, languages, headline_at)


def remembered(
    text: str, languages: tuple[str, ...] = (), headline_at: int | None = None
) -> object:
    return classify_text(text, BOILERPLATE, languages, headline_at)


def test_the_second_call_is_remembered_and_equal() -> None:
    first = remembered(PAGE)
    assert len(strip_boilerplate._classified) == 1
    second = remembered(PAGE)
    assert len(strip_boilerplate._classified) == 1
    assert first == second == fresh(PAGE)


def test_a_caller_marking_its_copy_does_not_change_the_next_answer() -> None:
    paragraphs, _ = classify_text(PAGE, BOILERPLATE)
    for paragraph in paragraphs:
        paragraph.rule = "marked"
        paragraph.cuts.append((0, 1, "marked"))
    assert remembered(PAGE) == fresh(PAGE)


@pytest.mark.parametrize(
    ("languages", "headline_at"),
    [(("en",), None), (("de",), None), ((), PAGE.index("Trade")), ((), 0)],
)
def test_each_argument_is_part_of_the_key(
    languages: tuple[str, ...], headline_at: int | None
) -> None:
    """Near-misses of a remembered call (other languages, a headline) are computed anew."""
    remembered(PAGE)
    assert remembered(PAGE, languages, headline_at) == fresh(PAGE, languages, headline_at)
    assert remembered(PAGE) == fresh(PAGE)
    assert len(strip_boilerplate._classified) == 2


def test_other_rules_are_computed_anew() -> None:
    first = remembered(PAGE)
    data = dict(BOILERPLATE.data)
    # Every prose paragraph long: "good" by itself, not by the run it is in.
    data["classifier"] = {**data["classifier"], "length_high": 10}
    # A digest of its own: the rules' compilers remember rules files by name and digest.
    digest = hashlib.sha256(b"test_classify_text_memo: length_high 10").hexdigest()
    other = dataclasses.replace(BOILERPLATE, data=data, sha256=digest)
    assert classify_text(PAGE, other) == _classify_text(PAGE, other) != first
    assert len(strip_boilerplate._classified) == 2


def test_texts_that_differ_by_one_character_are_not_confused() -> None:
    near = PAGE.replace("Share", "Shore")
    first = remembered(PAGE)
    assert remembered(near) == fresh(near) != first


def test_the_memo_is_bounded() -> None:
    for n in range(strip_boilerplate.CLASSIFIED_TEXTS + 5):
        remembered(f"{n}{P}{PROSE}")
    assert len(strip_boilerplate._classified) == strip_boilerplate.CLASSIFIED_TEXTS
    # The oldest went first; the newest are still there, and still right.
    assert remembered(f"{n}{P}{PROSE}") == fresh(f"{n}{P}{PROSE}")
    assert len(strip_boilerplate._classified) == strip_boilerplate.CLASSIFIED_TEXTS


def test_the_seeds_classified_twice_equal_once() -> None:
    seeds = validate_seeds(REPO_DIR / "seeds")
    for batch in iter_seed_batches(seeds, 8):
        for record in batch:
            remembered(record.text)
            assert remembered(record.text) == fresh(record.text)


@pytest.mark.property
@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([PROSE, "Share", "Home | News", "Related Stories", "x"])))
def test_remembered_equals_fresh(paragraphs: list[str]) -> None:
    text = P.join(paragraphs)
    assert remembered(text) == fresh(text)
    assert remembered(text) == fresh(text)
