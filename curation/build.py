"""``curation build``: seeds/ in, dist/ out, all or nothing.

The build writes into a fresh folder beside ``dist/`` and swaps it in only when
everything succeeded, so a failed build leaves ``dist/`` exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from curation.corpus import DedupExact
from curation.pipeline import CorpusPass, Pipeline
from curation.publish.card import render_card
from curation.publish.checksums import SUMS_NAME, published_files, write_sums
from curation.publish.croissant import write_croissant
from curation.publish.description import load_description
from curation.publish.manifest import MANIFEST_NAME, write_manifest
from curation.publish.parquet import ParquetShards, canonical_json
from curation.publish.report import REPORT_NAME, render_report
from curation.publish.summary import BuildSummary, ConfigSummary, DatasetMeta, library_versions
from curation.rules import RuleSet, load_rules
from curation.seeds import iter_seed_batches, validate_seeds
from curation.steps import PIPELINE

BATCH_SIZE = 256


@dataclass(frozen=True)
class BuildOptions:
    seeds_dir: Path = Path("seeds")
    dist_dir: Path = Path("dist")
    pyproject: Path = Path("pyproject.toml")
    description: Path = Path("dataset.toml")  # the maintainers' words for the card
    changelog: Path = Path("CHANGELOG.md")
    batch_size: int = BATCH_SIZE
    jobs: int = 1  # processes for the record steps; the output is the same for any value


def build_into(target: Path, options: BuildOptions, rules: RuleSet | None = None) -> BuildSummary:
    """Build the dataset into the empty folder ``target``; return what was built."""
    dataset = DatasetMeta.from_pyproject(options.pyproject)
    description = load_description(options.description)
    seeds = validate_seeds(options.seeds_dir)  # every problem reported before any work
    rules = rules or load_rules()
    corpus_passes: list[CorpusPass] = [DedupExact()]
    pipeline = Pipeline(PIPELINE, corpus_passes, rules)
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
    )
    for batch in pipeline.run(iter_seed_batches(seeds, options.batch_size), jobs=options.jobs):
        shards.write(batch)
        summary.add_records(batch)
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
    summary.content_sha256 = shards.content_sha256
    write_metadata(target, summary, options.changelog)
    return summary


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


@contextlib.contextmanager
def staging_folder(beside: Path) -> Iterator[Path]:
    """A new folder beside ``beside`` (same file system: the swap is a rename), removed on exit."""
    beside.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{beside.name}.build-", dir=beside.parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def swap_in(new: Path, dist: Path) -> None:
    """Replace ``dist`` by ``new`` with renames; the old one is kept until the new one is in."""
    old = None
    if dist.exists():
        old = dist.with_name(f".{dist.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        dist.rename(old)
    try:
        new.rename(dist)
    except OSError:
        if old is not None:
            old.rename(dist)
        raise
    if old is not None:
        shutil.rmtree(old)


def build(options: BuildOptions) -> BuildSummary:
    with staging_folder(options.dist_dir) as staging:
        target = staging / "dist"
        target.mkdir()
        summary = build_into(target, options)
        swap_in(target, options.dist_dir)
    return summary
