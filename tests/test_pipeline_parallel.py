"""How the record steps are handed to worker processes (curation.pipeline._parallel)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence

import pytest

from curation import pipeline
from curation.record import Record
from curation.rules import load_rules

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked"
)


def _ids(batch: Sequence[Record]) -> list[str]:
    return [record.seed_id for record in batch]


def _batches(count: int, taken: list[int]) -> Iterator[list[Record]]:
    for number in range(count):
        taken.append(number)
        yield [Record(f"{number:03d}_0000000000000000", 0, f"text {number}")]


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_results_come_in_input_order_with_a_sliding_bound_on_batches_out(jobs: int) -> None:
    """Each result is taken back in input order; when the k-th is, exactly k + 4 * jobs
    batches have been handed out (fewer only at the end): never more in memory, and
    the next batch goes out before this process waits for a result."""
    taken: list[int] = []
    handed_out_at_result: list[int] = []
    results = []
    for result in pipeline._parallel((), load_rules(), _batches(30, taken), jobs, _ids):
        handed_out_at_result.append(len(taken))
        results.append(result)
    assert results == [[f"{n:03d}_0000000000000000"] for n in range(30)]
    assert handed_out_at_result == [min(30, k + 4 * jobs) for k in range(30)]
