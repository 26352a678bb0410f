"""dedup_exact: which records are dropped, which stays, what is counted and remembered."""

from __future__ import annotations

import pytest

from curation.corpus import DedupExact, Duplicate
from curation.corpus import dedup_exact as module
from curation.pipeline import CorpusPass, Pipeline, StepReport
from curation.record import Record
from curation.rules import RuleSet


def record(seed: int, text: str, part: int = 0) -> Record:
    return Record(f"{seed:03d}_{seed:016x}", part, text)


def report() -> StepReport:
    return StepReport("dedup_exact_v1", DedupExact.description)


def ids(records: list[Record]) -> list[str]:
    return [r.id for r in records]


def test_is_a_corpus_pass() -> None:
    dedup: CorpusPass = DedupExact()
    assert (dedup.name, dedup.version) == ("dedup_exact", 1)
    assert dedup.description


def test_a_later_copy_is_dropped_and_counted() -> None:
    dedup, counts = DedupExact(), report()
    batch = [record(1, "Trade grew."), record(2, "Talks resumed."), record(3, "Trade grew.")]
    assert ids(dedup.process(batch, counts)) == [batch[0].id, batch[1].id]
    assert counts.drops == {"duplicate_of_earlier_record": 1}
    assert counts.rules == {"duplicate_of_earlier_record": 1}
    assert dedup.duplicates() == [Duplicate(batch[2].id, batch[0].id)]


def test_the_first_in_the_stream_stays_across_batches() -> None:
    dedup, counts = DedupExact(), report()
    first = [record(1, "A text."), record(2, "Another text.")]
    second = [record(3, "another   TEXT."), record(4, "A text."), record(4, "A text.", part=1)]
    assert ids(dedup.process(first, counts)) == ids(first)
    assert dedup.process(second, counts) == []
    assert counts.drops["duplicate_of_earlier_record"] == 3
    assert dedup.duplicates() == [
        Duplicate("003_0000000000000003-0", "002_0000000000000002-0"),
        Duplicate("004_0000000000000004-0", "001_0000000000000001-0"),
        Duplicate("004_0000000000000004-1", "001_0000000000000001-0"),
    ]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Trade grew.", "TRADE GREW."),
        ("Trade grew.\n\nTalks resumed.", "Trade grew. Talks resumed."),
        ("Ｔｒａｄｅ grew.", "Trade grew."),  # full-width letters: NFKC
        ("Straße", "STRASSE"),  # casefold, not lower
    ],
)
def test_equal_in_normal_form_is_a_duplicate(first: str, second: str) -> None:
    dedup = DedupExact()
    assert len(dedup.process([record(1, first), record(2, second)], report())) == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Trade grew.", "Trade grew!"),  # punctuation is kept
        ("Trade grew by 5%.", "Trade grew by 6%."),
        ("数字经济", "数字 经济"),  # a space is a difference, not only a run of them
    ],
)
def test_different_texts_both_stay(first: str, second: str) -> None:
    dedup, counts = DedupExact(), report()
    assert len(dedup.process([record(1, first), record(2, second)], counts)) == 2
    assert counts.drops == {} and dedup.duplicates() == []


def test_remembers_a_fixed_size_digest_not_the_text() -> None:
    dedup = DedupExact()
    long_text = "Trade grew. " * 10_000
    dedup.process([record(1, long_text), record(2, "Short.")], report())
    # Per kept record: its digest (16 bytes), its id and 8 bytes of index.
    assert len(dedup._digests) == 2 * module.DIGEST_SIZE == 32
    assert list(dedup._ids) == [record(1, "").id, record(2, "").id]
    assert len(dedup._index) == 2
    assert module.text_digest(long_text) == module.text_digest(long_text.upper())


def test_total_on_lone_surrogates_and_empty_text() -> None:
    dedup = DedupExact()
    kept = dedup.process(
        [record(1, "a\ud800b"), record(2, ""), record(3, "A\ud800B"), record(4, "")], report()
    )
    assert ids(kept) == ["001_0000000000000001-0", "002_0000000000000002-0"]


def test_runs_inside_a_pipeline_over_several_batches() -> None:
    dedup = DedupExact()
    pipeline = Pipeline(steps=[], corpus_passes=[dedup], rules=RuleSet({}))
    batches = [[record(1, "One."), record(2, "Two.")], [record(3, "one.")], [record(4, "Four.")]]
    out = [ids(batch) for batch in pipeline.run(batches)]
    assert out == [["001_0000000000000001-0", "002_0000000000000002-0"], ["004_0000000000000004-0"]]
    (pass_report,) = pipeline.reports
    assert (pass_report.records_in, pass_report.records_out) == (4, 3)
    assert pass_report.drops == {"duplicate_of_earlier_record": 1}
    assert dedup.duplicates() == [Duplicate("003_0000000000000003-0", "001_0000000000000001-0")]


@pytest.mark.parametrize("batch_size", [1, 7, 256])
def test_a_batch_at_once_decides_as_one_record_at_a_time(batch_size: int) -> None:
    """The pass looks a batch up at once (oracle: the pass as it was, one record at a
    time), with copies before the batch and within it, and digests that share the index's
    32-bit fingerprint or its whole 8-byte key but differ after."""
    import random

    from tests.oracles_dedup import DedupExactOneByOne

    def digest_of(text: str) -> bytes:
        # Few distinct fingerprints and keys: the index's candidates are mostly not twins.
        number = int(text.split()[-1])
        return bytes([number % 3, 0, 0, 0, number % 5, 0, 0, 0]) + number.to_bytes(8, "little")

    shuffle = random.Random(9)
    texts = [f"text {shuffle.randrange(60)}" for _ in range(900)]
    records = [record(index, text) for index, text in enumerate(texts)]
    new, new_counts = DedupExact(digest_of), report()
    old, old_counts = DedupExactOneByOne(digest_of), report()
    for start in range(0, len(records), batch_size):
        batch = records[start : start + batch_size]
        assert new.process(batch, new_counts) == old.process(batch, old_counts)
    assert new.duplicates() == old.duplicates()
    assert (new_counts.drops, new_counts.rules) == (old_counts.drops, old_counts.rules)
    assert len(new.duplicates()) == len(records) - 60


def test_a_digest_function_with_many_is_asked_a_batch_at_once() -> None:
    asked: list[list[str]] = []

    class Digests:
        def __call__(self, text: str) -> bytes:
            raise AssertionError("asked one text at a time")

        def many(self, texts: list[str]) -> list[bytes]:
            asked.append(list(texts))
            return [module.text_digest(text) for text in texts]

    dedup = DedupExact(Digests())
    batch = [record(1, "Trade grew."), record(2, "TRADE  grew."), record(3, "Talks.")]
    assert ids(dedup.process(batch, report())) == [batch[0].id, batch[2].id]
    assert asked == [[r.text for r in batch]]
