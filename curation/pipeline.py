"""Run the steps over a stream of record batches, counting what each step did.

Nothing here holds more than one batch: the same code serves five documents and
five million. Corpus passes (:mod:`curation.corpus`) keep only what they need to
look across records (for exact dedup, one digest per kept record).
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from curation.record import Record
from curation.rules import RuleSet
from curation.steps.base import Drop, Step


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


class CorpusPass(Protocol):
    """A pass that looks across records. One instance serves one build."""

    name: str
    version: int
    description: str

    def process(self, batch: Sequence[Record], report: StepReport) -> list[Record]: ...


def _step_of(edit_step: str) -> str:
    return edit_step.split("/", 1)[0]


def run_step(
    step: Step, batch: Sequence[Record], rules: RuleSet, report: StepReport
) -> list[Record]:
    """Apply one step to a batch and add what it did to ``report``."""
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


# Records of the first batch the parent cleans before it forks the workers (see
# _parallel): a few, so that the word lists of the batch's first languages are loaded too.
WARM_UP_RECORDS = 8

# What a worker process runs: set in the parent just before the pool forks, so the
# steps (which may be closures) and the rules are inherited, never pickled.
_WORKER_STEPS: Sequence[Step] = ()
_WORKER_RULES: RuleSet | None = None


def _run_steps_in_worker(batch: Sequence[Record]) -> tuple[list[Record], list[StepReport]]:
    assert _WORKER_RULES is not None
    return run_steps(_WORKER_STEPS, batch, _WORKER_RULES)


def _parallel(
    steps: Sequence[Step], rules: RuleSet, batches: Iterable[Sequence[Record]], jobs: int
) -> Iterator[tuple[list[Record], list[StepReport]]]:
    """``run_steps`` on each batch in ``jobs`` processes, results in input order.

    Steps are pure, so where a batch is cleaned cannot change the result. Batches
    are handed out a window at a time, so no more than ``4 * jobs`` are in memory.
    """
    global _WORKER_STEPS, _WORKER_RULES
    _WORKER_STEPS, _WORKER_RULES = steps, rules
    context = multiprocessing.get_context("fork")
    iterator = iter(batches)
    first = next(iterator, None)
    if first is None:
        return
    # Steps load what they need on first use (compiled rules, the language model,
    # word lists): loaded here, before the fork, the workers share one copy instead
    # of each loading its own. The result is thrown away; the workers clean these
    # records again.
    run_steps(steps, first[:WARM_UP_RECORDS], rules)
    iterator = itertools.chain([first], iterator)
    with context.Pool(jobs) as pool:
        while window := list(itertools.islice(iterator, 4 * jobs)):
            yield from pool.imap(_run_steps_in_worker, window)


@dataclass
class Pipeline:
    """The record steps and corpus passes of one build, and their reports."""

    steps: Sequence[Step]
    corpus_passes: Sequence[CorpusPass]
    rules: RuleSet
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
        step_reports = self.reports[: len(self.steps)]
        pass_reports = self.reports[len(self.steps) :]
        if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
            cleaned = _parallel(self.steps, self.rules, batches, jobs)
        else:
            cleaned = (run_steps(self.steps, batch, self.rules) for batch in batches)
        for records, batch_reports in cleaned:
            for report, batch_report in zip(step_reports, batch_reports, strict=True):
                report.add(batch_report)
            for corpus_pass, report in zip(self.corpus_passes, pass_reports, strict=True):
                report.records_in += len(records)
                report.chars_in += sum(len(r.text) for r in records)
                records = corpus_pass.process(records, report)
                report.records_out += len(records)
                report.chars_out += sum(len(r.text) for r in records)
            if records:
                yield records
