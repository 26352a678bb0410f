"""curation.heap: free heap pages go back to the system after each batch a worker cleans."""

from __future__ import annotations

import sys

import pytest

from curation import pipeline
from curation.heap import give_back_free_memory
from curation.record import Record
from curation.rules import load_rules
from curation.steps import PIPELINE


def test_gives_back_where_glibc_is() -> None:
    assert give_back_free_memory() is sys.platform.startswith("linux")


@pytest.mark.parametrize(
    "worker", [pipeline._run_steps_in_worker, pipeline._run_steps_each_in_worker]
)
def test_a_worker_gives_back_after_each_batch(
    worker: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(pipeline, "give_back_free_memory", lambda: calls.append("trim"))
    monkeypatch.setattr(pipeline, "_WORKER_STEPS", PIPELINE)
    monkeypatch.setattr(pipeline, "_WORKER_RULES", load_rules())
    batch = [Record("001_0123456789abcdef", 0, "Trade grew by a third last year.")]
    assert worker(batch)  # type: ignore[operator]
    assert calls == ["trim"]
    # An empty batch (one the record cache had whole, run in the writing process)
    # made nothing to give back: the heap is not walked for it.
    worker([])  # type: ignore[operator]
    assert calls == ["trim"]
