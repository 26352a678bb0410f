"""Run the steps over a stream of record batches, counting what each step did.

Nothing here holds more than one batch: the same code serves five documents and
five million. Corpus passes (:mod:`curation.corpus`) keep only what they need to
look across records (for exact dedup, one digest per kept record).
"""

from __future__ import annotations

import gc
import multiprocessing
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from curation.errors import WorkerDied
from curation.heap import give_back_free_memory
from curation.record import AnyRecord, Record, whole_records
from curation.rules import RuleSet
from curation.seeds import UnreadSeed
from curation.steps.base import Drop, Step

if TYPE_CHECKING:  # curation.cache imports this module for StepReport
    from curation.cache import RecordCache


@dataclass
class StepReport:
    """What one step did to the corpus: the build prints it and the card shows it."""

    step: str
    description: str
    records_in: int = 0
    records_out: int = 0
    chars_in: int = 0
    chars_out: int = 0
    rules: Counter[str] = field(default_factory=Counter)
    drops: Counter[str] = field(default_factory=Counter)
    # Characters each rule removed: len(before) - len(after) over its edits (the
    # build report's per-rule chart); negative for a rule that adds characters.
    rule_chars_removed: Counter[str] = field(default_factory=Counter)
    # Seconds spent in the step, summed over processes: printed by the build, never
    # published (dist/ stays the same bytes however fast the machine is).
    seconds: float = field(default=0.0, compare=False)

    @property
    def chars_removed(self) -> int:
        return self.chars_in - self.chars_out

    def add(self, other: StepReport) -> None:
        """Add the counts of ``other`` (the same step, on other records) to these."""
        self.records_in += other.records_in
        self.records_out += other.records_out
        self.chars_in += other.chars_in
        self.chars_out += other.chars_out
        self.rules.update(other.rules)
        self.drops.update(other.drops)
        self.rule_chars_removed.update(other.rule_chars_removed)
        self.seconds += other.seconds


class CorpusPass(Protocol):
    """A pass that looks across records. One instance serves one build."""

    name: str
    version: int
    description: str
    # True for a pass whose ``record_key`` is the record rewritten (emptied or not), which
    # the passes after it see instead (strip_recurring_lines); False for one that only
    # keeps or drops (the dedup passes).
    rewrites: bool

    def record_key(self, record: AnyRecord) -> Any:
        """The pass's work on one record alone (a digest, a signature): pure, so it can
        run in any process or on any machine (:mod:`curation.engines`)."""
        ...

    def process(
        self, batch: Sequence[AnyRecord], report: StepReport, keys: Sequence[Any] | None = None
    ) -> list[AnyRecord]:
        """Keep or drop each record of ``batch``; ``keys``, if given, are its ``record_key``s.

        A :class:`~curation.record.StoredRecord` (a build's cache hit) is kept as it
        is, or made a :class:`Record` by a pass that rewrites it."""
        ...


def _step_of(edit_step: str) -> str:
    return edit_step.split("/", 1)[0]


def run_step(
    step: Step, batch: Sequence[Record], rules: RuleSet, report: StepReport
) -> list[Record]:
    """Apply one step to a batch and add what it did (and how long it took) to ``report``."""
    started = time.perf_counter()
    out: list[Record] = []
    for record in batch:
        report.records_in += 1
        report.chars_in += len(record.text)
        before = len(record.provenance)
        result = step.run(record, rules)
        if isinstance(result, Drop):
            report.drops[result.reason] += 1
            continue
        for new in result:
            report.records_out += 1
            report.chars_out += len(new.text)
            # A split child inherits its parent's edits; count only this step's.
            edits = [e for e in new.provenance[before:] if _step_of(e.step) == step.id]
            report.rules.update(e.rule for e in edits)
            for e in edits:
                report.rule_chars_removed[e.rule] += len(e.before) - len(e.after)
            for warning in new.warnings:
                if warning.step == step.id and warning not in record.warnings:
                    report.rules[f"warning:{warning.code}"] += 1
            out.append(new)
    report.seconds += time.perf_counter() - started
    return out


def run_steps(
    steps: Sequence[Step], batch: Sequence[Record], rules: RuleSet
) -> tuple[list[Record], list[StepReport]]:
    """Every record step on one batch, with this batch's counts."""
    reports = [StepReport(step.id, step.description) for step in steps]
    records = list(batch)
    for step, report in zip(steps, reports, strict=True):
        records = run_step(step, records, rules, report)
    return records, reports


def run_steps_each(
    steps: Sequence[Step], batch: Sequence[Record], rules: RuleSet
) -> list[tuple[list[Record], list[StepReport]]]:
    """``run_steps`` on each record alone: what :mod:`curation.cache` keeps per input record.

    A step sees one record at a time, so the records of a batch are the records
    of its records, in order, and its counts their sums.
    """
    return [run_steps(steps, [record], rules) for record in batch]


def _read(item: Record | UnreadSeed) -> Record:
    return item.read() if isinstance(item, UnreadSeed) else item


_T = TypeVar("_T")

# What a worker process runs: set in the parent just before the pool forks, so the
# steps (which may be closures) and the rules are inherited, never pickled.
_WORKER_STEPS: Sequence[Step] = ()
_WORKER_RULES: RuleSet | None = None

# A batch is cleaned in pieces of at most this many records, or of about
# PIECE_CHARS characters of text, whichever comes first: small enough that this
# process, which cleans pieces too, is soon back to feed the workers and take their
# results, and that at the end of the input no process waits long for another; large
# enough that handing a piece to a worker (pickling it there and back) costs little
# beside cleaning it.
RECORDS_PER_PIECE = 32
PIECE_CHARS = 1 << 18
# Pieces handed to each worker and not yet cleaned: the one it cleans and the next,
# so that it never waits while this process cleans a piece of its own or writes.
PIECES_PER_WORKER = 2
# Characters of input text in pieces handed out (to a worker or to this process) and
# not yet taken back: what bounds the records in flight, whose cleaned copies carry
# their provenance (every edit's before and after). A bound in characters, not in
# batches, holds as little with long documents as with short ones; 4 Mi characters
# are a few batches of the benchmark's pages, room for this process to clean
# several pieces while a worker finishes the oldest one.
IN_FLIGHT_CHARS = 4 << 20
# Batches taken from the input and not yet given back, at most: what bounds the
# input taken ahead when its pieces are empty (a rebuild's batches the record cache
# has whole, which count no characters). Without it a rebuild read and decoded every
# cache entry of the corpus before it gave back the first batch (the whole corpus in
# memory, and the garbage collector going over it again and again). Four batches of
# 256 records are more than the pieces that keep two workers busy; with the
# benchmark's pages the characters' bound above is reached first.
BATCHES_AHEAD = 4


def _run_steps_in_worker(batch: Sequence[Record]) -> tuple[list[Record], list[StepReport]]:
    assert _WORKER_RULES is not None
    try:
        return run_steps(_WORKER_STEPS, batch, _WORKER_RULES)
    finally:
        _gave_back(batch)


def _gave_back(batch: Sequence[Record]) -> None:
    """What a cleaned batch's texts took, given back to the system (curation.heap). Not
    after an empty batch, which made nothing: one the record cache had whole, run in
    the writing process (:func:`_parallel`), where a heap walk each took 1-2 ms of a
    rebuild's 40 batches."""
    if batch:
        give_back_free_memory()


def _join_cleaned(
    parts: Sequence[tuple[list[Record], list[StepReport]]],
) -> tuple[list[Record], list[StepReport]]:
    """One batch's ``run_steps`` result from its pieces' (steps see one record at a time)."""
    records, reports = parts[0]
    for more, more_reports in parts[1:]:
        records.extend(more)
        for report, more_report in zip(reports, more_reports, strict=True):
            report.add(more_report)
    return records, reports


def _run_steps_each_in_worker(
    batch: Sequence[Record],
) -> list[tuple[list[Record], list[StepReport]]]:
    assert _WORKER_RULES is not None
    try:
        return run_steps_each(_WORKER_STEPS, batch, _WORKER_RULES)
    finally:
        _gave_back(batch)


def _join_each(
    parts: Sequence[list[tuple[list[Record], list[StepReport]]]],
) -> list[tuple[list[Record], list[StepReport]]]:
    """One batch's ``run_steps_each`` result from its pieces'."""
    return [each for part in parts for each in part]


@dataclass
class _Piece:
    """Consecutive records of one batch; ``last``: the batch's last piece."""

    records: list[Record]
    chars: int
    last: bool


def _pieces(batches: Iterable[Sequence[Record]]) -> Iterator[_Piece]:
    """Each batch cut into pieces (an empty batch is one empty piece)."""
    for batch in batches:
        piece: list[Record] = []
        chars = 0
        for index, record in enumerate(batch):
            piece.append(record)
            chars += len(record.text)
            if len(piece) == RECORDS_PER_PIECE or chars >= PIECE_CHARS:
                yield _Piece(piece, chars, index == len(batch) - 1)
                piece, chars = [], 0
        if piece or not batch:
            yield _Piece(piece, chars, True)


@dataclass
class _Slot:
    """A piece handed out: a worker's future, or what this process made of it."""

    chars: int
    last: bool
    future: Future[Any] | None = None
    result: Any = None

    def done(self) -> bool:
        return self.future is None or self.future.done()

    def take(self) -> Any:
        return self.result if self.future is None else self.future.result()


def _parallel(
    steps: Sequence[Step],
    rules: RuleSet,
    batches: Iterable[Sequence[Record]],
    jobs: int,
    worker: Callable[[Sequence[Record]], _T],
    join: Callable[[Sequence[_T]], _T],
    executor: ProcessPoolExecutor | None = None,
    held_back_by: Callable[[], Future[Any] | None] | None = None,
) -> Iterator[_T]:
    """``worker`` on each batch in ``jobs`` processes, this one included; results in
    input order.

    ``jobs - 1`` workers are forked; this process, which runs the corpus passes and
    writes, cleans too whenever the workers have their pieces (``PIECES_PER_WORKER``
    each): every process counts its own copy of the interpreter, the libraries and
    the steps' models, so two processes that both clean hold less than a writer and
    two workers. Batches are cleaned in pieces (``_pieces``) whose results ``join``
    puts together again; steps are pure and see one record at a time, so where and
    in what pieces a batch is cleaned cannot change the result. No more than
    ``IN_FLIGHT_CHARS`` characters of input are handed out and not yet taken back
    (beyond one piece, however long), nor more than ``BATCHES_AHEAD`` batches, empty
    pieces included.

    An empty piece (a batch the record cache had whole) is never handed to a
    worker: a rebuild whose batches are all hits forks none. ``executor``, if given,
    is a pool already forked for these steps and rules (:class:`EarlyCleaning`): its
    workers are used, and left running for their owner to stop.

    ``held_back_by``, if given, says what else this process is doing that it must let
    finish before it cleans a piece itself (the Parquet writer's row group being made,
    in a thread: :attr:`Pipeline.busy`); meanwhile it waits for that or for the oldest
    piece out, whichever ends first.
    """
    global _WORKER_STEPS, _WORKER_RULES
    owned = executor is None
    if owned:
        _WORKER_STEPS, _WORKER_RULES = steps, rules
    pieces = _pieces(batches)
    first = next(pieces, None)
    if first is None:
        return
    # Steps load what they need on first use (compiled rules, the language model,
    # word lists): not before the fork. Pages a worker inherits are shared, but
    # each process's resident memory counts them again. The workers fork at the
    # first piece handed to them (an executor forks all its processes at once), and
    # this process cleans nothing before that (README, "Performance").
    waiting: deque[_Piece] = deque([first])
    pool = executor
    finished = False

    def next_piece() -> _Piece | None:
        return waiting.popleft() if waiting else next(pieces, None)

    def workers() -> ProcessPoolExecutor:
        nonlocal pool
        if pool is None:
            pool = forked_pool(jobs - 1)
        return pool

    try:
        handed_out: deque[_Slot] = deque()
        in_flight = 0
        batches_out = 0  # batches whose last piece is handed out, not yet given back
        parts: list[_T] = []
        exhausted = False
        while True:
            # Keep every worker fed.
            busy = sum(1 for slot in handed_out if not slot.done())
            while not exhausted and busy < PIECES_PER_WORKER * (jobs - 1):
                if handed_out and (in_flight >= IN_FLIGHT_CHARS or batches_out >= BATCHES_AHEAD):
                    break
                piece = next_piece()
                if piece is None:
                    exhausted = True
                    break
                batches_out += piece.last
                if not piece.records:  # nothing to clean: no worker needed (or forked)
                    handed_out.append(_Slot(0, piece.last, result=worker(piece.records)))
                    continue
                handed_out.append(
                    _Slot(piece.chars, piece.last, workers().submit(worker, piece.records))
                )
                in_flight += piece.chars
                busy += 1
            # Take back what is done, in input order; a batch is whole at its last piece.
            while handed_out and handed_out[0].done():
                slot = handed_out.popleft()
                in_flight -= slot.chars
                batches_out -= slot.last
                parts.append(slot.take())
                if slot.last:
                    whole, parts = join(parts), []
                    yield whole
            if exhausted and not handed_out:
                break
            blocker = held_back_by() if held_back_by is not None and handed_out else None
            if (
                not exhausted
                and blocker is None
                and (
                    not handed_out or (in_flight < IN_FLIGHT_CHARS and batches_out < BATCHES_AHEAD)
                )
            ):
                # The workers have enough to do: clean the next piece here.
                piece = next_piece()
                if piece is None:
                    exhausted = True
                    continue
                batches_out += piece.last
                handed_out.append(_Slot(piece.chars, piece.last, result=worker(piece.records)))
                in_flight += piece.chars
                continue
            # Nothing to do here until the oldest piece out comes back (or what holds
            # this process's own cleaning back is done).
            oldest = handed_out[0].future
            assert oldest is not None  # what this process cleaned is done
            wait([oldest] if blocker is None else [oldest, blocker], return_when=FIRST_COMPLETED)
        finished = True
    except BrokenProcessPool as error:
        raise WorkerDied(
            "a worker process stopped before it finished its batch (killed by the system "
            "when memory ran out, or by a signal); nothing was written",
        ) from error
    finally:
        if owned and pool is not None:
            _stop(pool, finished)


def forked_pool(processes: int) -> ProcessPoolExecutor:
    """A pool of ``processes`` workers forked from this process, now.

    An executor, not a multiprocessing.Pool: a Pool replaces a worker that died
    (killed when memory ran out) and waits for ever for the batch it held; the
    executor says the pool is broken, and the build stops with that.

    The collector's objects are frozen across the fork (``gc.freeze``, as Python's
    documentation advises before a fork): a worker never collects what it inherits.
    Left to it, a worker that collected the garbage it inherited ran the finalizers
    of this process's objects: it closed their temporary files, moving the offset it
    shares with this process, and this process's own close of them then failed
    (EINVAL); and its full collections wrote to the header of every object it
    inherited, copying pages the two processes otherwise share.
    """
    pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"))
    gc.freeze()
    try:
        # An executor forks all its processes at its first task (with "fork").
        pool.submit(int)
    finally:
        gc.unfreeze()
    return pool


def _stop(executor: ProcessPoolExecutor, finished: bool) -> None:
    """Shut ``executor`` down: after the last batch, once its workers are done; else
    (an error, an interrupt, the build abandoned) at once, its workers terminated,
    as a Pool's exit did, instead of waiting for the batches still out."""
    if finished:
        executor.shutdown(wait=True)
        return
    # Its processes and its thread, private attributes read with care (Python 3.14's
    # ProcessPoolExecutor.terminate_workers reads the first).
    workers = list((getattr(executor, "_processes", None) or {}).values())
    manager = getattr(executor, "_executor_manager_thread", None)
    executor.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        process.terminate()
    for process in workers:
        process.join()
    # The executor's thread, told to shut down, joins the workers too. Of two joins,
    # the one whose waitpid reaps a worker records its end; the other returns at once
    # (ECHILD), before the worker is known to have ended. Until that thread is done, a
    # worker could still count as running (multiprocessing.active_children).
    if manager is not None:
        manager.join()


# What EarlyCleaning takes at most: one piece's worth. More changed records than this
# is a build that cleans much anyway, and the usual path hands them out as it goes.
EARLY_RECORDS = RECORDS_PER_PIECE
EARLY_CHARS = PIECE_CHARS


class EarlyCleaning:
    """Records known to need cleaning before the build reaches them, cleaned at once
    in forked workers while this process goes on (validating the input, reading the
    record cache, writing).

    A rebuild after one seed changed spent seconds waiting for that seed: the worker
    that cleaned it was forked when the build reached it, and loaded the steps'
    models first, while the rest of the build waited. Validation finds the changed
    seeds (:func:`curation.seeds.validate_seeds`, ``changed``) long before; handed
    here, their cleaning (and the models' loading) overlaps everything before the
    build needs them. A result is taken by the key of its record
    (:func:`curation.cache.record_key`), the key the record cache files it under: it
    is what the steps make of that very record, wherever they ran, so it is used
    exactly where an entry of the cache would be. A record not taken is never used.

    At most :data:`EARLY_RECORDS` records or :data:`EARLY_CHARS` characters are
    taken; the workers fork at the first (none if there is none) and serve the rest
    of the build (:func:`_parallel`'s ``executor``); :meth:`close` stops them.
    """

    def __init__(self, steps: Sequence[Step], rules: RuleSet, jobs: int) -> None:
        self.steps = steps
        self.rules = rules
        self.jobs = jobs
        self.executor: ProcessPoolExecutor | None = None
        self._futures: dict[str, Future[list[tuple[list[Record], list[StepReport]]]]] = {}
        self._records = 0
        self._chars = 0

    def submit(self, key: str, record: Record) -> bool:
        """Start cleaning ``record`` (whose cache key is ``key``); False if over the bound."""
        if key in self._futures:
            return True
        if self._records >= EARLY_RECORDS or self._chars + len(record.text) > EARLY_CHARS:
            return False
        self._futures[key] = self._forked().submit(_run_steps_each_in_worker, [record])
        self._records += 1
        self._chars += len(record.text)
        return True

    def prepare(self, task: Callable[[], object]) -> None:
        """Have a worker run ``task`` (forked now if need be) before the records
        submitted after: something the steps load on first use, that a worker had
        better load first. Its result is not used."""
        self._forked().submit(task)

    def _forked(self) -> ProcessPoolExecutor:
        if self.executor is None:
            global _WORKER_STEPS, _WORKER_RULES
            _WORKER_STEPS, _WORKER_RULES = self.steps, self.rules
            self.executor = forked_pool(self.jobs - 1)
        return self.executor

    def __contains__(self, key: object) -> bool:
        return key in self._futures

    def take(self, key: str) -> tuple[list[Record], list[StepReport]]:
        """What the steps made of the record of ``key`` (waiting for it if need be)."""
        try:
            return self._futures.pop(key).result()[0]
        except BrokenProcessPool as error:
            raise WorkerDied(
                "a worker process stopped before it finished its batch (killed by the "
                "system when memory ran out, or by a signal); nothing was written",
            ) from error

    def close(self, finished: bool = True) -> None:
        """Stop the workers: once they are done if ``finished``, else at once."""
        if self.executor is not None:
            _stop(self.executor, finished and not self._futures)
            self.executor = None
        self._futures.clear()


@dataclass
class Pipeline:
    """The record steps and corpus passes of one build, and their reports."""

    steps: Sequence[Step]
    corpus_passes: Sequence[CorpusPass]
    rules: RuleSet
    # Reuse what the steps made of unchanged input records (curation.cache); None: clean all.
    cache: RecordCache | None = None
    # Records cleaned ahead, in workers forked early (EarlyCleaning); the cache takes
    # them by key, and the workers clean whatever else it lacks.
    early: EarlyCleaning | None = None
    # What this process is doing besides, that it lets finish before it cleans a piece
    # itself beside its workers (None: nothing): the build's Parquet writer making a
    # row group in its thread (ParquetShards.writing). The two at once were the writing
    # process's highest memory: a 16 MiB row group as Arrow arrays and pages, and a
    # piece's texts through the steps.
    busy: Callable[[], Future[Any] | None] | None = None
    reports: list[StepReport] = field(init=False)

    def __post_init__(self) -> None:
        self.reports = [StepReport(s.id, s.description) for s in self.steps] + [
            StepReport(f"{p.name}_v{p.version}", p.description) for p in self.corpus_passes
        ]

    def run(self, batches: Iterable[Sequence[Record]], jobs: int = 1) -> Iterator[list[Record]]:
        """Yield cleaned batches, in input order.

        With ``jobs > 1`` the record steps run in that many processes (where the
        platform can fork); the corpus passes always run here, in order, so the
        output is the same whatever ``jobs`` is.
        """
        for records in self.run_stored(batches, jobs):
            yield whole_records(records)

    def run_stored(
        self, inputs: Iterable[Sequence[Record | UnreadSeed]], jobs: int = 1
    ) -> Iterator[list[AnyRecord]]:
        """:meth:`run`, the records that came from the cache and that no corpus pass
        rewrote left as :class:`~curation.record.StoredRecord`: the build writes their
        rows as they are (:mod:`curation.cache`). The input may hold seeds not read
        yet (:class:`~curation.seeds.UnreadSeed`): the cache reads only those it lacks.
        """
        parallel = jobs > 1 and "fork" in multiprocessing.get_all_start_methods()
        cleaned: Iterable[tuple[Sequence[AnyRecord], list[StepReport]]]
        if self.cache is not None:
            cleaned = self.cache.clean_stored(
                self.steps, self.rules, inputs, self._clean_each(parallel, jobs), self.early
            )
            return self._passed(cleaned)
        batches = ([_read(item) for item in batch] for batch in inputs)
        fresh: Iterable[tuple[list[Record], list[StepReport]]]
        if parallel:
            fresh = _parallel(
                self.steps,
                self.rules,
                batches,
                jobs,
                _run_steps_in_worker,
                _join_cleaned,
                held_back_by=self.busy,
            )
        else:
            fresh = (run_steps(self.steps, batch, self.rules) for batch in batches)
        return self._passed(fresh)

    def _passed(
        self, cleaned: Iterable[tuple[Sequence[AnyRecord], list[StepReport]]]
    ) -> Iterator[list[AnyRecord]]:
        for records, batch_reports in cleaned:
            if kept := self.pass_corpus(records, batch_reports):
                yield kept

    def pass_corpus(
        self,
        records: Sequence[AnyRecord],
        step_reports: Sequence[StepReport],
        keys: Sequence[Mapping[str, Any]] | None = None,
    ) -> list[AnyRecord]:
        """Count one cleaned batch's step reports and run the corpus passes over it, here.

        Batches must come in input order. ``keys`` (one mapping from record id to
        ``record_key`` per corpus pass) are the passes' per-record work done
        elsewhere, e.g. on Ray workers; without them each pass computes its own.
        """
        for report, batch_report in zip(self.reports[: len(self.steps)], step_reports, strict=True):
            report.add(batch_report)
        pass_reports = self.reports[len(self.steps) :]
        records = list(records)
        for index, (corpus_pass, report) in enumerate(
            zip(self.corpus_passes, pass_reports, strict=True)
        ):
            report.records_in += len(records)
            report.chars_in += sum(len(r.text) for r in records)
            known = None if keys is None else [keys[index][r.id] for r in records]
            started = time.perf_counter()
            records = corpus_pass.process(records, report, known)
            report.seconds += time.perf_counter() - started
            report.records_out += len(records)
            report.chars_out += sum(len(r.text) for r in records)
        return records

    def _clean_each(
        self, parallel: bool, jobs: int
    ) -> Callable[
        [Iterable[Sequence[Record]]], Iterator[list[tuple[list[Record], list[StepReport]]]]
    ]:
        """How the cache has the records it lacks cleaned: here or in ``jobs`` processes."""

        def clean_each(
            batches: Iterable[Sequence[Record]],
        ) -> Iterator[list[tuple[list[Record], list[StepReport]]]]:
            if parallel:
                return _parallel(
                    self.steps,
                    self.rules,
                    batches,
                    jobs,
                    _run_steps_each_in_worker,
                    _join_each,
                    self.early.executor if self.early else None,
                    held_back_by=self.busy,
                )
            return (run_steps_each(self.steps, batch, self.rules) for batch in batches)

        return clean_each
