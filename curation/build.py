"""``curation build``: seeds/ in, dist/ out, all or nothing.

The build writes into a fresh folder beside ``dist/`` and swaps it in only when
everything succeeded, so a failed build leaves ``dist/`` exactly as it was; a
stopped one (SIGINT, SIGTERM, a kill) too, once the next command has read the
swap's journal (:mod:`curation.folder_swap`).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import heapq
import multiprocessing
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curation.bulk_input import InputColumns, iter_input_batches, validate_inputs
from curation.cache import RecordCache, load_checked_rules, record_key
from curation.corpus import DedupExact, DedupNear, StripRecurringLines
from curation.corpus.recurring_lines import site_of
from curation.engines import run_engine
from curation.errors import InvalidInput
from curation.fault_injection import fault_point
from curation.folder_swap import replace_folder, staging_folder
from curation.heap import give_back_free_memory
from curation.output_folders import check_dataset_output
from curation.pipeline import EARLY_RECORDS, CorpusPass, EarlyCleaning, Pipeline
from curation.progress import InputMeter, Progress
from curation.publish.card import render_card
from curation.publish.checksums import SUMS_NAME, published_files, write_sums
from curation.publish.croissant import write_croissant
from curation.publish.description import load_description
from curation.publish.manifest import MANIFEST_NAME, write_manifest
from curation.publish.parquet import ParquetShards, canonical_json
from curation.publish.report import REPORT_NAME, render_report
from curation.publish.summary import BuildSummary, ConfigSummary, DatasetMeta, library_versions
from curation.record import AnyRecord, Record
from curation.recovery import writing
from curation.rules import RuleSet
from curation.seeds import (
    Seed,
    SeedList,
    UnreadSeed,
    ValidSidecars,
    check_unchanged,
    iter_seed_batches,
    iter_unread_seed_batches,
    load_seed,
    seed_record,
    sidecar_validator,
    validate_seeds,
)
from curation.steps import PIPELINE
from curation.steps.identify_language import language_identifier, load_model_with
from curation.word_frequency import load_tables_with

BATCH_SIZE = 256
# Seeds whose sidecars were written last, looked at before validation for a change to
# clean early (changed_lately): a contributor's edit touches one or a few.
NEWEST_SEEDS = 8


@dataclass(frozen=True)
class BuildOptions:
    seeds_dir: Path = Path("seeds")
    dist_dir: Path = Path("dist")
    pyproject: Path = Path("pyproject.toml")
    description: Path = Path("dataset.toml")  # the maintainers' words for the card
    changelog: Path = Path("CHANGELOG.md")
    batch_size: int = BATCH_SIZE
    jobs: int = 1  # processes for the record steps; the output is the same for any value
    # Bulk input shards (curation.bulk_input); when given, they are read instead of seeds_dir.
    inputs: tuple[Path, ...] = ()
    input_columns: InputColumns = field(default_factory=InputColumns)
    # Where the record steps run (curation.engines): "local" or "ray"; same bytes either way.
    engine: str = "local"
    # What the steps made of unchanged seeds, reused (curation.cache). None, the
    # default, cleans everything: verify and release build that way. The local
    # engine's only: Ray workers clean every record.
    cache: RecordCache | None = None


def build_into(
    target: Path,
    options: BuildOptions,
    rules: RuleSet | None = None,
    progress: Progress | None = None,
) -> BuildSummary:
    """Build the dataset into the empty folder ``target``; return what was built.

    ``progress`` hears what is being done (it never changes what is written).
    """
    if options.cache is None or options.engine != "local":
        return _build_into(target, options, rules, progress)
    early, rebuild = (None, False) if options.inputs else early_cleaning(options, rules)
    # The language model and the word tables, kept ready in the cache, for this
    # process and the workers it forks (curation.cache.LanguageModelMemo, WordTableMemo).
    threshold = gc.get_threshold()
    try:
        with (
            load_model_with(options.cache.language_model_memo().load),
            load_tables_with(options.cache.word_table_memo().load),
        ):
            return _build_into(target, options, rules, progress, early, rebuild)
    finally:
        # The early workers stop once the cleaning is done; here on every other way
        # out (an input found changed while lines were counted, say), not left to the
        # collector, which stopped them at some later moment.
        if early:
            early.close(finished=False)
        gc.set_threshold(*threshold)  # as it was (see REBUILD_YOUNG_OBJECTS)


def _build_into(
    target: Path,
    options: BuildOptions,
    rules: RuleSet | None,
    progress: Progress | None,
    early: EarlyCleaning | None = None,
    rebuild: bool = False,
) -> BuildSummary:
    """:func:`build_into`, with the workers of ``early`` (:func:`early_cleaning`),
    which the caller stops, and ``rebuild`` its answer."""
    progress = progress or Progress()
    dataset = DatasetMeta.from_pyproject(options.pyproject)
    description = load_description(options.description)
    # Every problem of the input is reported before any work.
    progress.phase("validate input")
    total: int | None = None
    read: Callable[[], Iterator[list[Record]]]
    # What the cleaning reads: with the cache, seeds whose text it reads only for a miss.
    read_unread: Callable[[], Iterator[Sequence[Record | UnreadSeed]]] | None = None
    # What strip_recurring_lines counts: the seeds with a site (the others it skips,
    # so their texts are not read for it).
    read_sited: Callable[[], Iterator[list[Record]]]
    validated: SeedList | None = None  # the seeds validate_seeds found, if it was asked
    if options.inputs:
        input_shards = validate_inputs(list(options.inputs), options.input_columns)
        read = read_sited = functools.partial(
            iter_input_batches, input_shards, options.input_columns, options.batch_size
        )
    else:
        valid_sidecars = options.cache.valid_sidecars() if options.cache else None
        known_seeds = (
            options.cache.known_seeds(options.seeds_dir, has_site.__qualname__)
            if options.cache
            else None
        )
        if early is not None:
            rules = early.rules
        if rebuild:
            # A rebuild: every record comes from the cache but the changed ones
            # (build_into puts the threshold back).
            gc.set_threshold(REBUILD_YOUNG_OBJECTS, *gc.get_threshold()[1:])
        submit = early_submitter(early, options.cache) if early else None
        if early is not None and submit is not None and not rebuild:
            # A first build: every seed is cleaned, the first ones first; the
            # language model before them (see first_seeds).
            early.prepare(load_language_model)
            for record in first_seeds(options.seeds_dir, EARLY_RECORDS):
                if not submit(record):
                    break
            submit = None  # every seed is new to the cache: none is handed on as changed
        if submit is not None and valid_sidecars is not None:
            for record in changed_lately(options.seeds_dir, valid_sidecars):
                submit(record)
        seeds = validate_seeds(options.seeds_dir, valid_sidecars, has_site, submit, known_seeds)
        if valid_sidecars:
            valid_sidecars.save()
        if known_seeds:
            known_seeds.save()
            del known_seeds  # its old entries: only validation reads them
        total = len(seeds)
        validated = seeds
        read = functools.partial(iter_seed_batches, seeds, options.batch_size)
        read_unread = functools.partial(iter_unread_seed_batches, seeds, options.batch_size)
        read_sited = functools.partial(iter_seed_batches, seeds, options.batch_size, has_site)
    meter = InputMeter(progress)
    rules = rules or load_checked_rules(options.cache)
    # strip_recurring_lines needs its counts complete before it edits a record: the
    # input is read once for them, before the steps (see curation.corpus.recurring_lines).
    recurring = StripRecurringLines(rules["recurring_lines"], rules["boilerplate"])
    progress.phase("count lines recurring across a site", total)
    recurring.count_corpus(read_sited())
    cache = options.cache if options.engine == "local" else None
    memo = cache.signature_memo(PIPELINE, rules) if cache else None
    digests = cache.exact_digest_memo(PIPELINE, rules) if cache else None
    corpus_passes: list[CorpusPass] = [
        recurring,
        DedupExact(digests.digest if digests else None),
        DedupNear(rules["dedup"], memo.signature if memo else None),
    ]
    pipeline = Pipeline(PIPELINE, corpus_passes, rules, cache=cache, early=early)
    libraries = library_versions()
    summary = BuildSummary(
        dataset=dataset,
        reports=pipeline.reports,
        steps=[{"id": s.id, "name": s.name, "version": s.version} for s in PIPELINE]
        + [
            {"id": f"{p.name}_v{p.version}", "name": p.name, "version": p.version}
            for p in corpus_passes
        ],
        rules=rules.digests,
        libraries=libraries,
        description=description,
    )
    shards = ParquetShards(
        target / "data",
        {
            "curation": canonical_json(
                {"dataset_version": dataset.version, "tool_version": libraries["curation"]}
            )
        },
        # The last build's files, copied where a language's rows are the same.
        kept=cache.kept_parquet(PIPELINE, rules) if cache else None,
    )
    pipeline.busy = shards.writing
    progress.phase("clean, deduplicate, write Parquet", total)
    cleaned: Iterator[Sequence[AnyRecord]] = (
        # The cache's hits come as their stored rows, written as they are, and the
        # texts of their seeds are not read again.
        pipeline.run_stored(meter.metered((read_unread or read)()), jobs=options.jobs)
        if cache is not None
        else run_engine(options.engine, pipeline, meter.metered(read()), jobs=options.jobs)
    )
    finished = False
    cleaned_before = -1
    try:
        for batch in cleaned:
            shards.write(batch)
            summary.add_records(batch)
            meter.done(pipeline.reports[0].records_in)  # documents through the first step
            # The batch's texts, now written (curation.heap); not after a batch the cache
            # gave whole, which made no new text here (a twentieth of a rebuild's time).
            if cache is None or cache.stats.misses != cleaned_before:
                give_back_free_memory()
            cleaned_before = cache.stats.misses if cache else -1
        if validated is not None:
            check_unchanged(validated)  # of seeds whose sidecars were not read again
            summary.input_seeds = (validated.ids, validated.text_sha256)
        finished = True
    finally:
        if early:
            early.close(finished)
        if not finished:
            shards.abandon()  # nothing writes into the staging folder once it is removed
    meter.done(pipeline.reports[0].records_in)
    progress.phase("close Parquet, write card, report, manifest")
    for language, paths in shards.close().items():
        summary.configs.append(
            ConfigSummary(
                language=language,
                num_examples=shards.counts[language],
                num_bytes=shards.nbytes[language],
                files=[p.relative_to(target).as_posix() for p in paths],
                download_size=sum(p.stat().st_size for p in paths),
            )
        )
    for corpus_pass in corpus_passes:
        if isinstance(corpus_pass, DedupExact):
            summary.duplicates.extend((d.dropped_id, d.kept_id) for d in corpus_pass.duplicates())
        if isinstance(corpus_pass, DedupNear):
            summary.near_duplicates.extend(
                (d.dropped_id, d.kept_id, d.similarity) for d in corpus_pass.near_duplicates()
            )
    summary.content_sha256 = shards.content_sha256
    if memo and digests and cache:
        memo.save()
        digests.save()
        shards.keep()
        cache.compact(PIPELINE, rules)
    write_metadata(target, summary, options.changelog)
    return summary


# The objects made before the collector looks at the young ones, in a rebuild from
# the record cache (Python's default is 700). Each cached record comes as some fifty
# objects (its entry's head, its fields, its text and row), all given back by
# reference counting once its batch is written: the collector's passes over them,
# one every 700 objects, found nothing to collect and were 6 % of a one-seed rebuild
# at 10,000 seeds. A first build keeps the default: its workers, forked from this
# process, hold the pages being cleaned, and its peak memory is measured as it is.
REBUILD_YOUNG_OBJECTS = 50_000


def early_cleaning(
    options: BuildOptions, rules: RuleSet | None
) -> tuple[EarlyCleaning | None, bool]:
    """Workers that clean records ahead while the build goes on
    (:class:`~curation.pipeline.EarlyCleaning`), on the local engine in several
    processes with a record cache, and whether the build is a rebuild (the cache has
    entries of these settings). A rebuild hands them the seeds validation finds
    changed; a first build, its first seeds before validation (:func:`first_seeds`).
    None if the build cannot use them, or if the rules do not load (the build then
    says why after validating the input, as always)."""
    if (
        options.cache is None
        or options.engine != "local"
        or options.jobs < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return None, False
    try:
        rules = rules or load_checked_rules(options.cache)
    except InvalidInput:
        return None, False
    rebuild = options.cache.has_entries(PIPELINE, rules)
    return EarlyCleaning(PIPELINE, rules, options.jobs), rebuild


def early_submitter(early: EarlyCleaning, cache: RecordCache | None) -> Callable[[Record], object]:
    """What validation calls with each seed it finds changed: cleaned early unless the
    cache has its entry (a seed put back as it was, say)."""

    # The settings' folder once: its key reads every pinned library's metadata.
    folder = None if cache is None else cache.folder(early.steps, early.rules)

    def submit(record: Record) -> object:
        key = record_key(record)
        if key in early:
            return True  # found before validation (changed_lately)
        if cache is not None and folder is not None and cache.has_entry(folder, key):
            return False
        return early.submit(key, record)

    return submit


def changed_lately(seeds_dir: Path, known_valid: ValidSidecars) -> Iterator[Record]:
    """The records of the :data:`NEWEST_SEEDS` seeds whose sidecars changed last (by
    modification time) that an earlier build had not found valid and that are valid
    now: what validation will hand to early cleaning, found before it starts.

    Validation finds a changed seed only when it reaches it, half-way through the
    folder on average, and the workers that clean it load the steps' models first
    (seconds): a rebuild after one seed changed then waited for them. A guess by
    time only orders the work: whatever it finds, validation checks every seed after
    it, and a record cleaned early is used only where the record cache would use an
    entry of the same key (:class:`~curation.pipeline.EarlyCleaning`).
    """
    try:
        with os.scandir(seeds_dir) as entries:
            sidecars = [
                (entry.stat().st_mtime_ns, entry.name)
                for entry in entries
                if entry.name.endswith(".json") and entry.is_file()
            ]
    except OSError:
        return
    validator = sidecar_validator()
    for _mtime, name in heapq.nlargest(NEWEST_SEEDS, sidecars):
        seed_id = name.removesuffix(".json")
        seed = Seed(seed_id, seeds_dir / f"{seed_id}.txt", seeds_dir / name)
        try:
            if hashlib.sha256(seed.sidecar_path.read_bytes()).hexdigest() in known_valid:
                continue  # as the last build found it: not changed
            text, sidecar, _digest, problems = load_seed(seed, validator)
        except OSError:
            continue  # validation says what is wrong
        if text is not None and sidecar is not None and not problems:
            yield seed_record(seed, text, sidecar)


def first_seeds(seeds_dir: Path, count: int) -> Iterator[Record]:
    """The records of the first ``count`` seeds of ``seeds_dir`` in id order (the first
    a build cleans), those that are valid by themselves: what a first build hands to
    early cleaning before it validates the folder.

    Validation reads every seed before any is cleaned (seconds at 10,000 seeds), in
    this one process, while the other cores had nothing to do; and every cleaning
    process then spent its first seconds loading the steps' models. Handed these
    seeds, the workers fork at once, load the models (the language model they decode
    is then kept in the record cache, :class:`~curation.cache.LanguageModelMemo`,
    for this process to read when it starts cleaning) and clean the first seeds
    while the folder is validated. As with :func:`changed_lately`, this only orders
    the work: validation checks every seed as always, and a record cleaned early is
    used only where the record cache would use an entry of the same key
    (:class:`~curation.pipeline.EarlyCleaning`). The workers fork before the seed
    list is made, so they inherit less than when they forked after it.
    """
    try:
        with os.scandir(seeds_dir) as entries:
            names = heapq.nsmallest(
                count, (entry.name for entry in entries if entry.name.endswith(".json"))
            )
    except OSError:
        return
    validator = sidecar_validator()
    for name in names:
        seed_id = name.removesuffix(".json")
        seed = Seed(seed_id, seeds_dir / f"{seed_id}.txt", seeds_dir / name)
        try:
            text, sidecar, _digest, problems = load_seed(seed, validator)
        except OSError:
            continue  # validation says what is wrong
        if text is not None and sidecar is not None and not problems:
            yield seed_record(seed, text, sidecar)


def load_language_model() -> None:
    """What a first build's early worker does before its first seed: load the language
    model. With the record cache, the worker decodes it and keeps it there
    (:class:`~curation.cache.LanguageModelMemo`) within a second or two of the start,
    before this process, once it has validated the input, asks for it: it then reads
    the kept arrays instead of decoding the model itself. Every cleaning process loads
    the model for its first record anyway (``identify_language``)."""
    language_identifier()


def has_site(declared: Mapping[str, Any]) -> bool:
    """Whether ``strip_recurring_lines`` counts the lines of a seed with this sidecar."""
    return site_of(declared) is not None


def write_metadata(target: Path, summary: BuildSummary, changelog: Path | None) -> None:
    """Card, Croissant, build report, manifest and SHA256SUMS of the records in ``target``.

    Separate from the records so that ``curation release`` can write them again
    once it has added the release's entry to the changelog. The manifest and the
    sums come last: they list every other file (and not a previous manifest).
    """
    for stale in (MANIFEST_NAME, SUMS_NAME):
        (target / stale).unlink(missing_ok=True)
    card = target / "README.md"
    card.write_text(render_card(summary, changelog), encoding="utf-8", newline="\n")
    write_croissant(summary, target, changelog)
    report = target / REPORT_NAME
    report.write_text(render_report(summary), encoding="utf-8", newline="\n")
    write_manifest(summary, target, published_files(target))
    write_sums(target)


def build(options: BuildOptions, progress: Progress | None = None) -> BuildSummary:
    """Build into a staging folder and swap it in for ``dist/``.

    Refused (exit 2) when ``dist/`` is not a folder the tool may replace
    (:mod:`curation.output_folders`); holds the repository's lock while it runs
    (:mod:`curation.writer_lock`), and first finishes or undoes whatever a stopped
    command left (:mod:`curation.recovery`).
    """
    check_dataset_output(options.dist_dir, options.seeds_dir)
    with writing("build", options.seeds_dir, options.dist_dir):
        fault_point("build.started")
        with staging_folder(options.dist_dir) as staging:
            target = staging / "dist"
            target.mkdir()
            summary = build_into(target, options, progress=progress)
            fault_point("build.staged")
            replace_folder(target, options.dist_dir)
    return summary
