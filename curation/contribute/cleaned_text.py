"""What the build will publish from a seed, computed in memory; and what the corpus publishes.

:func:`clean_seed` runs the record steps exactly as ``curation build`` does (the
same :class:`~curation.pipeline.Pipeline`, the same rules) on one seed, without
writing anything, then the one corpus pass that rewrites text,
``strip_recurring_lines``, with the line counts of the whole corpus
(:func:`count_recurring_lines`). :func:`published_texts` gives the cleaned records of the seeds
already in the corpus: read from ``dist/`` when ``dist/manifest.json`` shows it
was built from exactly these seeds, steps and rules (fast), rebuilt in memory
otherwise (correct whatever state ``dist/`` is in).
"""

from __future__ import annotations

import json
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from curation.cache import RecordCache
from curation.contribute.near_duplicates import Fingerprint
from curation.corpus.dedup_exact import text_digest
from curation.corpus.recurring_lines import StripRecurringLines
from curation.errors import Problem
from curation.pipeline import Pipeline, StepReport
from curation.progress import InputMeter, Progress
from curation.record import Record, whole_records
from curation.rules import RuleSet
from curation.seeds import Seed, load_seed, seed_record, sidecar_validator
from curation.steps import PIPELINE

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class CleanedSeed:
    """The records the pipeline makes of one seed, and why any were dropped."""

    records: tuple[Record, ...]
    drops: tuple[tuple[str, str], ...]  # (step id, reason), one per dropped record


def count_recurring_lines(records: Iterable[Record], rules: RuleSet) -> StripRecurringLines:
    """The ``strip_recurring_lines`` pass with its counts taken over ``records``: every
    seed of the corpus as read, before any step, as the build counts them."""
    recurring = StripRecurringLines(rules["recurring_lines"], rules["boilerplate"])
    recurring.count_corpus([list(records)])
    return recurring


def clean_seed(
    record: Record,
    rules: RuleSet,
    cache: RecordCache | None = None,
    recurring: StripRecurringLines | None = None,
) -> CleanedSeed:
    """Run every record step on one seed's record, as the build does; then, given the
    corpus's counts (``recurring``), strip the lines that recur across its site. The
    dedup passes are not run: what they would do is reported by the callers.

    With a ``cache`` (:mod:`curation.cache`), what the steps make is kept for the build
    that follows, and taken from it if the seed was cleaned before.
    """
    pipeline = Pipeline(PIPELINE, [], rules, cache=cache)
    records = [r for batch in pipeline.run([[record]]) for r in batch]
    reports = list(pipeline.reports)
    if recurring is not None:
        reports.append(_recurring_report(recurring))
        records = whole_records(recurring.process(records, reports[-1]))
    drops = tuple(
        (report.step, reason)
        for report in reports
        for reason, count in sorted(report.drops.items())
        for _ in range(count)
    )
    return CleanedSeed(tuple(records), drops)


@dataclass
class CorpusMemos:
    """What the record cache remembers of the corpus's texts, for ``add-seed`` and
    ``review``: their MinHash signatures (:meth:`RecordCache.fingerprint_memo`, kept
    from the last of those commands, whatever the steps) and ``dedup_exact``'s
    digests (from the last build); without a cache, both are computed. :meth:`save`
    keeps the signatures this command asked for, for the next."""

    cache: RecordCache | None
    rules: RuleSet

    def __post_init__(self) -> None:
        cache = self.cache
        self._signatures = cache.fingerprint_memo() if cache else None
        self._digests = cache.exact_digest_memo(PIPELINE, self.rules) if cache else None

    def fingerprint(self, key: str, text: str) -> Fingerprint:
        if self._signatures is None:
            return Fingerprint.of(key, text)
        return Fingerprint(key, text, self._signatures.values(text))

    def digest(self, text: str) -> bytes:
        """:func:`curation.corpus.dedup_exact.text_digest` of ``text``."""
        return self._digests.digest(text) if self._digests else text_digest(text)

    def save(self) -> None:
        if self._signatures is not None:
            self._signatures.save()


def _recurring_report(recurring: StripRecurringLines) -> StepReport:
    return StepReport(f"{recurring.name}_v{recurring.version}", recurring.description)


@dataclass(frozen=True)
class PublishedText:
    record_id: str
    seed_id: str
    text: str


@dataclass(frozen=True)
class PublishedTexts:
    texts: tuple[PublishedText, ...]
    origin: str  # "dist" or "rebuilt", said to the user

    def by_seed(self) -> dict[str, list[PublishedText]]:
        grouped: dict[str, list[PublishedText]] = {}
        for text in self.texts:
            grouped.setdefault(text.seed_id, []).append(text)
        return grouped


def dist_is_current(dist_dir: Path, digests: dict[str, str], rules: RuleSet) -> bool:
    """Whether ``dist/`` was built from exactly these seeds, with these steps and rules."""
    try:
        manifest = json.loads((dist_dir / MANIFEST).read_text(encoding="utf-8"))
        steps = [step["id"] for step in manifest["steps"]][: len(PIPELINE)]
        files = [dist_dir / name for name in manifest["files"] if name.endswith(".parquet")]
        return (
            manifest["seeds"] == digests
            and steps == [step.id for step in PIPELINE]
            and manifest["rules"] == rules.digests
            and all(path.is_file() for path in files)
        )
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _read_dist(dist_dir: Path) -> Iterator[PublishedText]:
    import pyarrow.parquet as pq  # only when dist/ is used: `curation check` never needs it

    manifest = json.loads((dist_dir / MANIFEST).read_text(encoding="utf-8"))
    for name in sorted(n for n in manifest["files"] if n.endswith(".parquet")):
        table = pq.read_table(dist_dir / name, columns=["id", "seed_id", "text"])
        for row in table.to_pylist():
            yield PublishedText(row["id"], row["seed_id"], row["text"])


def readable_seed_records(
    seeds: Sequence[Seed], known_valid: Container[str] = ()
) -> tuple[list[Record], dict[str, str], list[Problem]]:
    """The first record of every seed that loads cleanly, every seed's sha256, the problems.

    Sidecars whose bytes are in ``known_valid`` (the record cache's
    :meth:`~curation.cache.RecordCache.valid_sidecars`) are not checked against the
    schema again.
    """
    validator = sidecar_validator()
    records, digests, problems = [], {}, []
    for seed in seeds:
        text, sidecar, digest, seed_problems = load_seed(seed, validator, known_valid)
        digests[seed.id] = digest
        problems += seed_problems
        if text is not None and sidecar is not None:
            records.append(seed_record(seed, text, sidecar))
    return records, digests, problems


def published_texts(
    records: Sequence[Record],
    digests: dict[str, str],
    dist_dir: Path,
    rules: RuleSet,
    cache: RecordCache | None = None,
    progress: Progress | None = None,
    recurring: StripRecurringLines | None = None,
) -> PublishedTexts:
    """The cleaned records of the corpus: from ``dist/`` if it is current, else rebuilt.

    A rebuild cleans only the seeds that the ``cache`` (:mod:`curation.cache`) has
    no entry for, when there is one, and strips the lines recurring across a site
    when given the corpus's counts (``recurring``), as ``dist/`` had them stripped.
    """
    if len(records) == len(digests) and dist_is_current(dist_dir, digests, rules):
        return PublishedTexts(tuple(_read_dist(dist_dir)), "dist")
    progress = progress or Progress()
    progress.phase("clean the corpus (dist/ is not current)", len(records))
    meter = InputMeter(progress)
    pipeline = Pipeline(PIPELINE, [], rules, cache=cache)
    batches = (records[i : i + 256] for i in range(0, len(records), 256))
    cleaned: list[PublishedText] = []
    for batch in pipeline.run(meter.metered(batches)):
        if recurring is not None:
            batch = whole_records(recurring.process(batch, _recurring_report(recurring)))
        cleaned.extend(PublishedText(r.id, r.seed_id, r.text) for r in batch)
        meter.done(pipeline.reports[0].records_in)
    meter.done(pipeline.reports[0].records_in)
    return PublishedTexts(tuple(cleaned), "rebuilt")
