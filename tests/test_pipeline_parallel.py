"""How the record steps are handed to worker processes (curation.pipeline._parallel)."""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
import time
import weakref
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from pathlib import Path

import pytest

from curation import pipeline
from curation.record import Record
from curation.rules import load_rules

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked"
)


def _ids(batch: Sequence[Record]) -> list[str]:
    return [record.seed_id for record in batch]


def _batches(count: int, taken: list[int], size: int = 1) -> Iterator[list[Record]]:
    for number in range(count):
        taken.append(number)
        yield [
            Record(f"{number:03d}_{part:016x}", 0, f"text {number} {part}") for part in range(size)
        ]


def _join(parts: Sequence[list[str]]) -> list[str]:
    return [seed_id for part in parts for seed_id in part]


@pytest.mark.parametrize("jobs", [2, 3])
@pytest.mark.parametrize("size", [0, 1, 5, 70])
def test_results_come_in_input_order_one_per_batch(jobs: int, size: int) -> None:
    """Batches longer than a piece (70 > RECORDS_PER_PIECE) are cut and put together
    again; an empty batch still has its (empty) result, as the record cache expects."""
    taken: list[int] = []
    batches = _batches(30, taken, size)
    results = list(pipeline._parallel((), load_rules(), batches, jobs, _ids, _join))
    assert results == [[f"{n:03d}_{p:016x}" for p in range(size)] for n in range(30)]


# The process that runs the tests, which _parallel's callers are here.
_PARENT = os.getpid()


def _slow_in_workers(batch: Sequence[Record]) -> list[tuple[str, int]]:
    if os.getpid() != _PARENT:
        time.sleep(0.02)  # a worker slower than this process: never a timing assertion
    return [(record.id, os.getpid()) for record in batch]


@pytest.mark.parametrize("jobs", [2, 3])
def test_this_process_cleans_too_beside_jobs_minus_one_workers(jobs: int) -> None:
    taken: list[int] = []
    results = list(
        pipeline._parallel((), load_rules(), _batches(20, taken, 40), jobs, _slow_in_workers, _join)
    )
    ids = [record_id for result in results for record_id, _ in result]
    assert ids == [f"{n:03d}_{p:016x}-0" for n in range(20) for p in range(40)]
    cleaners = {pid for result in results for _, pid in result}
    assert _PARENT in cleaners
    assert len(cleaners - {_PARENT}) <= jobs - 1


# What holds this process's own cleaning back in the test below (a row group being
# written, in a build), and what it cleaned while that was not done.
_HOLD: Future[None] = Future()
_CLEANED_WHILE_HELD: list[str] = []


def _noting_a_hold(batch: Sequence[Record]) -> list[tuple[str, int]]:
    if os.getpid() == _PARENT and not _HOLD.done():
        _CLEANED_WHILE_HELD.extend(record.id for record in batch)
    return _slow_in_workers(batch)


def test_this_process_cleans_nothing_while_it_is_held_back() -> None:
    """While ``held_back_by`` gives a future not done, this process hands pieces to
    its worker and waits; once it is done, it cleans beside the worker again. The
    results are the same, in order."""
    global _HOLD
    _HOLD = Future()
    _CLEANED_WHILE_HELD.clear()
    asked: list[bool] = []

    def held_back_by() -> Future[None] | None:
        asked.append(_HOLD.done())
        return None if _HOLD.done() else _HOLD

    taken: list[int] = []
    results = []
    for result in pipeline._parallel(
        (), load_rules(), _batches(20, taken, 40), 2, _noting_a_hold, _join, None, held_back_by
    ):
        results.append(result)
        if len(results) == 10:
            _HOLD.set_result(None)  # the row group is written: this process may clean again
    ids = [record_id for result in results for record_id, _ in result]
    assert ids == [f"{n:03d}_{p:016x}-0" for n in range(20) for p in range(40)]
    assert _CLEANED_WHILE_HELD == []
    assert False in asked and True in asked  # it was asked while held, and after
    cleaned_here = {pid for result in results[10:] for _, pid in result}
    assert _PARENT in cleaned_here  # released, it cleans beside its worker again
    assert not any(pid == _PARENT for result in results[:9] for _, pid in result)


def test_characters_in_flight_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """However fast this process cleans, it takes no more input than IN_FLIGHT_CHARS
    (plus the piece that crosses it and the rest of the batch being cut) ahead of the
    oldest result it has not yet given back."""
    monkeypatch.setattr(pipeline, "IN_FLIGHT_CHARS", 600)  # texts here are 8-9 characters
    taken: list[int] = []
    ahead: list[int] = []
    for given, _ in enumerate(
        pipeline._parallel((), load_rules(), _batches(60, taken, 8), 2, _slow_in_workers, _join)
    ):
        ahead.append(len(taken) - given)
    # Below 600 characters out: at most 9 batches of 8 records (a batch is one piece
    # here); then the one taken just below the bound, and the one being given back.
    # Unbounded, this process would clean all 60 while the worker sleeps.
    assert max(ahead) <= 9 + 1 + 1
    assert len(ahead) == 60


def test_empty_pieces_taken_ahead_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches the record cache had whole are empty pieces (no characters): no more
    than BATCHES_AHEAD of them are taken from the input before the oldest is given
    back. Unbounded, the first result came only once the whole input was read (a
    rebuild held every cache entry of the corpus at once)."""
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", NoPool)
    taken: list[int] = []
    ahead: list[int] = []
    for given, _ in enumerate(
        pipeline._parallel((), load_rules(), _batches(60, taken, 0), 2, _ids, _join)
    ):
        ahead.append(len(taken) - given)
    assert len(ahead) == 60
    assert max(ahead) <= pipeline.BATCHES_AHEAD


def test_batches_taken_ahead_are_bounded_with_workers_slower() -> None:
    """Short texts (far below IN_FLIGHT_CHARS) and a worker slower than this process:
    the batches taken ahead of the oldest result stay within BATCHES_AHEAD (plus the
    one being given back)."""
    taken: list[int] = []
    ahead: list[int] = []
    for given, _ in enumerate(
        pipeline._parallel((), load_rules(), _batches(40, taken, 3), 2, _slow_in_workers, _join)
    ):
        ahead.append(len(taken) - given)
    assert len(ahead) == 40
    assert max(ahead) <= pipeline.BATCHES_AHEAD + 1


_KILLED_WORKER = """
import os, signal, sys
from curation import pipeline
from curation.errors import WorkerDied
from curation.record import Record
from curation.rules import load_rules

def join(parts):
    return [seed_id for part in parts for seed_id in part]

def die_on_the_third(batch):
    if batch[0].seed_id.startswith("002_"):
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer would
    return [record.seed_id for record in batch]

batches = ([Record(f"{n:03d}_0000000000000000", 0, "text")] for n in range(12))
got = []
# jobs=3: two workers, handed the first four batches before this process cleans any.
try:
    for result in pipeline._parallel((), load_rules(), batches, 3, die_on_the_third, join):
        got.append(result)
except WorkerDied as error:
    expected = [[f"{n:03d}_0000000000000000"] for n in range(len(got))]
    print(f"WorkerDied after {len(got) if got == expected else got}: {error}")
    sys.exit(0)
print("no error")
sys.exit(1)
"""


def test_a_worker_killed_mid_batch_stops_the_run_instead_of_hanging_it() -> None:
    """A multiprocessing.Pool waits for ever for the batch a killed worker held: the
    build hung. Now the run stops with WorkerDied, in input order up to the lost batch.
    In a subprocess with a time limit, so that a hang fails this test."""
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _KILLED_WORKER],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
        env={**os.environ},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # Batches 0 and 1 may have come back before the worker died, or been lost with it
    # (the executor fails every batch still out); never one after the lost one.
    assert re.match(r"WorkerDied after [012]: a worker process stopped", done.stdout)
    assert "nothing was written" in done.stdout


class NoPool:
    """A stand-in for the pool: made (forking nothing) but never handed a piece, hence
    never forked. A test that patches it in fails where a piece goes to a worker."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def submit(self, *args: object) -> None:
        raise AssertionError("a piece was handed to a worker")

    def shutdown(self, *args: object, **kwargs: object) -> None:
        pass


def test_empty_pieces_fork_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch the record cache had whole is an empty piece: cleaned here, no pool made."""

    taken: list[int] = []
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", NoPool)
    results = list(pipeline._parallel((), load_rules(), _batches(5, taken, 0), 2, _ids, _join))
    assert results == [[]] * 5


# What _note_prepared writes to: set by the test before the worker forks.
_PREPARED_NOTE = ""


def _note_prepared() -> None:
    with Path(_PREPARED_NOTE).open("a", encoding="utf-8") as note:
        note.write(f"prepared {os.getpid()}\n")


def test_an_early_worker_forks_at_once_and_runs_what_it_is_prepared_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """EarlyCleaning.prepare forks the worker and has it run the task (a first build
    has it load the language model first: curation.build.load_language_model); the
    records submitted after are cleaned as always."""
    monkeypatch.setattr(pipeline, "_WORKER_STEPS", ())
    monkeypatch.setattr(pipeline, "_WORKER_RULES", None)
    monkeypatch.setitem(globals(), "_PREPARED_NOTE", str(tmp_path / "note.txt"))
    early = pipeline.EarlyCleaning((), load_rules(), jobs=2)
    try:
        early.prepare(_note_prepared)
        assert early.executor is not None  # forked at once
        record = Record("001_0123456789abcdef", 0, "text")
        assert early.submit("key", record)
        cleaned, _reports = early.take("key")
        assert [r.seed_id for r in cleaned] == [record.seed_id]
        (line,) = (tmp_path / "note.txt").read_text(encoding="utf-8").splitlines()
        assert line.startswith("prepared ") and int(line.split()[1]) != os.getpid()
    finally:
        early.close()


class _Cycle:
    """Garbage only the collector frees: it refers to itself."""

    def __init__(self) -> None:
        self.itself = self


def _note_finalized(path: str) -> None:
    with Path(path).open("a", encoding="utf-8") as note:
        note.write(f"{os.getpid()}\n")


def _collect() -> int:
    gc.collect()
    return os.getpid()


def test_a_worker_never_collects_what_it_inherits(tmp_path: Path) -> None:
    """Garbage this process holds when its workers fork (here a cycle with a finalizer,
    as a temporary file's) is collected here, once, and never in a worker, where its
    finalizer would act on this process's files (forked_pool freezes the collector's
    objects across the fork)."""
    note = tmp_path / "finalized.txt"
    enabled = gc.isenabled()
    gc.disable()  # the cycle stays uncollected until the fork
    try:
        garbage = _Cycle()
        weakref.finalize(garbage, _note_finalized, str(note))
        del garbage
        pool = pipeline.forked_pool(1)
        try:
            worker = pool.submit(_collect).result()
        finally:
            pool.shutdown()
    finally:
        if enabled:
            gc.enable()
    assert worker != os.getpid()
    assert not note.exists()  # the worker's collection did not finalize it
    gc.collect()
    assert note.read_text(encoding="utf-8").split() == [str(os.getpid())]
