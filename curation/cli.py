"""The ``curation`` command: parse arguments, call the library, map errors to exit codes.

Exit codes: 0 success, 1 a system error (disk full, permission denied: one line
naming the file) or a bug (its traceback, redacted), 2 invalid input (seeds,
sidecars, rules, arguments, an output folder the tool did not make), 3 verification
failed (the rebuild differs from dist/), 4 release or publish refused (dirty tree,
bump too small, tag already used), 75 another command is writing the same
repository (try again), 130 / 143 stopped by SIGINT / SIGTERM (what was undone is
said).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from curation import __version__
from curation.engines import ENGINES
from curation.errors import CurationError
from curation.redaction import RedactingStream

Handler = Callable[[argparse.Namespace], int]

# `pip install curation` (and the pre-commit hook) brings what `curation check` needs;
# the commands that read or write the Parquet dataset need the `publish` extra.
PUBLISH_EXTRA = frozenset({"pyarrow", "datasets", "huggingface_hub", "yaml"})
MISSING_PUBLISH_EXTRA = (
    "curation {command}: needs {module}, which is not installed. Building, verifying and "
    'publishing the dataset need the publish extra: `pip install "curation[publish]"` '
    "(or `pip install -r requirements.lock`, or run it in a nox session)."
)


def _build_options(args: argparse.Namespace) -> object:
    from curation.build import BuildOptions
    from curation.bulk_input import InputColumns

    inputs = tuple(getattr(args, "input", None) or ())
    columns = (
        InputColumns.from_options(args.id_column, args.text_column, args.column or [])
        if inputs
        else InputColumns()
    )
    return BuildOptions(
        seeds_dir=args.seeds,
        dist_dir=args.dist,
        pyproject=args.pyproject,
        description=args.description,
        changelog=args.changelog,
        jobs=args.jobs,
        engine=getattr(args, "engine", "local"),
        inputs=inputs,
        input_columns=columns,
    )


def _add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """Bulk input (``build`` and ``verify``): JSONL and Parquet shards instead of seeds/."""
    parser.add_argument(
        "--input",
        type=Path,
        nargs="+",
        metavar="PATH",
        help="read documents from these shards (.jsonl, .jsonl.gz, .jsonl.zst, .parquet, "
        "or folders of them) instead of the seeds folder; each shard in increasing id order",
    )
    parser.add_argument(
        "--id-column", default="id", help="with --input: the column of the ids (default: id)"
    )
    parser.add_argument(
        "--text-column",
        default="text",
        help="with --input: the column of the texts (default: text)",
    )
    parser.add_argument(
        "--column",
        action="append",
        metavar="FIELD=COLUMN",
        help="with --input: read metadata FIELD (title, source, date, url, license, "
        "languages) from COLUMN (default: the column named FIELD, if any); repeatable",
    )


def _add_build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--seeds", type=Path, default=Path("seeds"), help="seeds folder (default: seeds)"
    )
    parser.add_argument(
        "--dist", type=Path, default=Path("dist"), help="output folder (default: dist)"
    )
    parser.add_argument(
        "--pyproject",
        type=Path,
        default=Path("pyproject.toml"),
        help="file with the [tool.curation] dataset table (default: pyproject.toml)",
    )
    parser.add_argument(
        "--description",
        type=Path,
        default=Path("dataset.toml"),
        help="the maintainers' description of the corpus for the data card (default: dataset.toml)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="processes for the cleaning steps (default: 1); the output is the same for any value",
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default="local",
        help="where the cleaning runs: local (this machine, --jobs processes; default) or ray "
        "(Ray Data: a local Ray with --jobs CPUs, or the cluster RAY_ADDRESS names; needs the "
        "ray extra); the output is the same",
    )
    parser.add_argument(
        "--changelog",
        type=Path,
        default=Path("CHANGELOG.md"),
        help="changelog shown in the card (default: CHANGELOG.md)",
    )


def _add_quiet_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress (by default a bar on a terminal, else a line on stderr every "
        "few seconds)",
    )


def _progress(args: argparse.Namespace) -> Any:
    """The command's progress display, on stderr (stdout stays the command's result)."""
    from curation.progress import progress_for

    return progress_for(args.command, sys.stderr, args.quiet)


def format_report(reports: Sequence[object]) -> str:
    """The per-step table ``curation build`` prints, with the seconds each step took.

    A record step's seconds are summed over the ``--jobs`` processes, so with several
    jobs they add up to more than the build's wall time.
    """
    from curation.pipeline import StepReport

    lines = [f"{'step':<26} {'in':>7} {'out':>7} {'chars removed':>14} {'seconds':>8}  rules fired"]
    for report in reports:
        assert isinstance(report, StepReport)
        fired = ", ".join(f"{rule}×{n}" for rule, n in sorted(report.rules.items()))
        dropped = ", ".join(f"dropped {reason}×{n}" for reason, n in sorted(report.drops.items()))
        detail = "; ".join(part for part in (fired, dropped) if part) or "-"
        lines.append(
            f"{report.step:<26} {report.records_in:>7} {report.records_out:>7} "
            f"{report.chars_removed:>14} {report.seconds:>8.2f}  {detail}"
        )
    return "\n".join(lines)


def cmd_build(args: argparse.Namespace) -> int:
    import dataclasses
    import gc
    import time

    from curation.build import build
    from curation.cache import RecordCache

    started = time.perf_counter()
    # The record cache serves the local engine; Ray workers clean every record.
    cache = RecordCache.from_environment(use_cache=not args.no_cache and args.engine == "local")
    options = dataclasses.replace(_build_options(args), cache=cache)  # type: ignore[type-var]
    progress = _progress(args)
    # What the imports made (modules, compiled patterns, tables) lives as long as the
    # process: kept out of the garbage collector's full passes, which went over it
    # again and again (a second of a rebuild from the record cache at 10k seeds).
    # Given back at the end, for a caller that goes on in this process.
    gc.freeze()
    try:
        summary = build(options, progress)  # type: ignore[arg-type]
    finally:
        gc.unfreeze()
        progress.close()
    print(format_report(summary.reports))
    for warning in summary.warnings:
        print(
            f"warning: {warning['id']}: [{warning['step']}] {warning['code']}: {warning['message']}"
        )
    if summary.warnings_seen > len(summary.warnings):
        hidden = summary.warnings_seen - len(summary.warnings)
        print(f"... and {hidden} more warnings (the Parquet column `warnings` has them all)")
    for dropped, kept in summary.duplicates:
        print(f"dropped {dropped}: same text as {kept}")
    for dropped, kept, similarity in summary.near_duplicates:
        print(f"dropped {dropped}: near-duplicate of {kept} (similarity {similarity:.4f})")
    if cache is not None:
        print(cache.describe())
    languages = ", ".join(f"{c.language} {c.num_examples}" for c in summary.configs)
    print(
        f"wrote {args.dist}/: {summary.num_examples} records ({languages}), "
        f"version {summary.dataset.version}, content sha256 {summary.content_sha256[:16]}… "
        f"({time.perf_counter() - started:.1f} s)"
    )
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from curation.recovery import recover_if_idle
    from curation.verify import verify

    recover_if_idle("verify", args.seeds, args.dist, with_git=True)
    progress = _progress(args)
    try:
        differences = verify(_build_options(args), args.against, progress)  # type: ignore[arg-type]
    finally:
        progress.close()
    target = args.against or args.dist
    if differences:
        source = " ".join(map(str, args.input)) if args.input else f"{args.seeds}/"
        print(f"{target}/ does not match a fresh build from {source}:", file=sys.stderr)
        for difference in differences:
            print(f"  {difference}", file=sys.stderr)
        print("hint: run `curation build` and commit dist/, or find what varies", file=sys.stderr)
        return 3
    print(f"{target}/ matches a fresh build byte for byte.")
    return 0


def _terminal_question(question: str) -> str:
    return input(question)


def cmd_add_seed(args: argparse.Namespace) -> int:
    import datetime

    from curation.cache import RecordCache
    from curation.contribute.add_seed import SeedMetadata, add_seed

    languages = [code for value in args.language or [] for code in value.split(",")]
    metadata = SeedMetadata(
        languages=tuple(languages) or None,
        source=args.source,
        date=args.date,
        url=args.url,
        title=args.title,
        provenance=args.provenance,
        license=args.license,
        contributor=args.contributor,
    )
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    progress = _progress(args)
    try:
        added = add_seed(
            args.path,
            metadata,
            seeds_dir=args.seeds,
            dist_dir=args.dist,
            today=datetime.date.today(),
            ask=_terminal_question if interactive else None,
            cache=RecordCache.from_environment(use_cache=not args.no_cache),
            progress=progress,
        )
    finally:
        progress.close()
    print(f"added seed {added.seed_id}:")
    print(f"  {added.text_path}  (sha256 {added.sidecar['sha256']})")
    print(f"  {added.sidecar_path}")
    print(f"  {args.seeds / '.last-id'} now says {added.seed_id.split('_')[0]}")
    for conversion in added.conversions:
        print(f"  add-seed {conversion} (noted in the sidecar's provenance)")
    guess = added.language
    print(
        f"language detected: {guess.language} (probability {guess.score}); the build makes "
        f"{added.records} record{'s' if added.records != 1 else ''} of it. Compared with "
        + (
            "the published texts in dist/."
            if added.compared_with == "dist"
            else "the corpus cleaned in memory (dist/ is not current)."
        )
    )
    print(
        f"next: `pre-commit run --all-files`, `curation review {added.seed_id}`, "
        f"`curation build` and `curation verify`; then commit {added.text_path}, "
        f"{added.sidecar_path}, {args.seeds / '.last-id'} and {args.dist}/ (CONTRIBUTING.md)"
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    import time

    from curation.contribute.check import check
    from curation.recovery import recover_if_idle

    # dist/ beside seeds/: an interrupted build's swap there is finished or undone too.
    recover_if_idle("check", args.seeds, args.seeds.parent / "dist", with_git=False)
    started = time.perf_counter()
    progress = _progress(args)
    try:
        result = check(args.seeds, use_cache=not args.no_cache, progress=progress)
    finally:
        progress.close()
    seconds = time.perf_counter() - started
    print(f"{args.seeds}/: {result.seeds} seeds, no problems ({seconds:.1f} s)")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from curation.cache import RecordCache
    from curation.errors import InvalidInput, Problem
    from curation.review import write_reviews

    if not args.seed_ids and not args.all:
        raise InvalidInput([Problem("SEED_ID", "name at least one seed, or pass --all")])
    from curation.recovery import recover_if_idle

    # Review reads seeds/ and compares with dist/: a stopped add-seed or build is
    # finished or undone first (a stopped release is left to git-aware commands).
    recover_if_idle("review", args.seeds, args.dist, with_git=False)
    cache = RecordCache.from_environment(use_cache=not args.no_cache)
    written = write_reviews(args.seed_ids or None, args.seeds, args.dist, args.out, cache)
    for page in written.pages:
        print(f"wrote {page}")
    print(f"wrote {written.summary} (Markdown, for a pull-request comment)")
    print(f"wrote {written.index} (index of the pages)")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    import json

    from curation.recovery import recover_if_idle
    from curation.release.diff import BuiltDataset, diff_datasets, render_text
    from curation.release.repository import dataset_at

    # The work tree's dist/ is compared: a stopped build or release is finished or undone first.
    recover_if_idle("diff", args.dist.parent / "seeds", args.dist, with_git=True)
    new_reference = args.new or str(args.dist)
    with (
        dataset_at(args.old, args.dist) as (old, old_label),
        dataset_at(new_reference, args.dist) as (new, new_label),
    ):
        if args.new is None:
            new_label = f"{new_label} (work tree)"
        diff = diff_datasets(BuiltDataset.open(old, old_label), BuiltDataset.open(new, new_label))
        # The records' text is data, not a message: printed as it is, never redacted.
        out = getattr(sys.stdout, "unredacted", sys.stdout)
        if args.format == "json":
            print(json.dumps(diff.to_json(), ensure_ascii=False, indent=2), file=out)
        else:
            print(render_text(diff, max_text_diffs=args.max_text_diffs), file=out)
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    from curation.release.release import ReleaseOptions, release
    from curation.release.versioning import Bump

    options = ReleaseOptions(
        build=_build_options(args),  # type: ignore[arg-type]
        bump=Bump.parse(args.bump) if args.bump else None,
        date=args.date,
    )
    made = release(options)
    if made.previous is None:
        print(f"first release ({made.tag}): no earlier release to compare with")
    else:
        print(f"against {made.previous}, this change needs at least {made.required}:")
        print("\n".join(f"  - {reason}" for reason in made.reasons))
    print(f"\nCHANGELOG.md and the card's Versions section now begin with:\n\n{made.entry}")
    print(
        f"released {made.tag}: commit {made.commit[:12]} (pyproject.toml, CHANGELOG.md, "
        f"{args.dist}/), tag {made.tag}.\n"
        f"next: `git push --follow-tags`, then `curation publish --repo-id ORG/NAME`"
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from curation.release.export import export_release

    exported = export_release(args.revision, args.target, args.dist)
    print(
        f"wrote {exported.folder}/: {args.dist}/ of {exported.revision} (commit "
        f"{exported.commit[:12]}), {exported.files} files, SHA256SUMS checked.\n"
        f'load it with load_dataset("{exported.folder}") (a local folder: `revision=` '
        "would be ignored)"
    )
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from curation.recovery import recover_if_idle
    from curation.release.hub import check_released, plan_publish, publish

    # Never upload a dist/ that a stopped build or release left half swapped.
    recover_if_idle("publish", args.dist.parent / "seeds", args.dist, with_git=True)
    plan = plan_publish(args.dist, args.repo_id)
    check_released(plan)
    if args.dry_run:
        print("dry run, nothing sent. `curation publish` would upload:")
        print(plan.describe())
        return 0
    published = publish(plan)
    if published.already:
        print(f"{plan.tag} is already on the Hub with these bytes (commit {published.commit[:12]})")
    else:
        print(
            f"published {args.dist}/ to https://huggingface.co/datasets/{plan.repo_id} "
            f"(commit {published.commit[:12]}), tagged {plan.tag}"
        )
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="curation",
        description="Reproducible corpus curation: seeds in, a versioned Hugging Face dataset out.",
    )
    parser.add_argument("--version", action="version", version=f"curation {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser(
        "build",
        help="clean the seeds and write the dataset to dist/",
        description="Run the cleaning pipeline over seeds/ (or the JSONL/Parquet shards of "
        "--input), drop exact and near duplicates, and write dist/ (Parquet, card, "
        "manifest, SHA256SUMS). dist/ is replaced only if the whole build succeeds.",
    )
    _add_build_arguments(build)
    _add_input_arguments(build)
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="clean every document instead of reusing what the steps made of unchanged ones "
        "(cache: $CURATION_CACHE_DIR or ~/.cache/curation; verify never uses it)",
    )
    _add_quiet_argument(build)
    build.set_defaults(handler=cmd_build)

    verify = commands.add_parser(
        "verify",
        help="rebuild in a temporary folder and compare with dist/ byte for byte",
        description="Rebuild from seeds/ into a temporary folder and compare every file with "
        "dist/ (or --against DIR). Exit 3 naming each file, and each record, that differs.",
    )
    _add_build_arguments(verify)
    _add_input_arguments(verify)
    _add_quiet_argument(verify)
    verify.add_argument(
        "--against",
        type=Path,
        default=None,
        help="check this folder (e.g. a downloaded copy) instead of --dist",
    )
    verify.set_defaults(handler=cmd_verify)

    add_seed = commands.add_parser(
        "add-seed",
        help="copy a new text file into seeds/ with its sidecar, or refuse it with the reason",
        description="Copy PATH into seeds/ under the next id (<number>_<sha256 prefix>) and "
        "write its sidecar. Refuses a file that is not UTF-8 text (UTF-16 with a byte-order "
        "mark is converted), empty, over 1 MiB, outside the repository, a link, or a "
        "duplicate or near-duplicate of a seed (also after cleaning). --url or --provenance, "
        "and --license, are required; an interactive terminal asks for them. See "
        "CONTRIBUTING.md.",
    )
    add_seed.add_argument("path", type=Path, help="the text file to add (inside the repository)")
    add_seed.add_argument(
        "--language",
        action="append",
        metavar="CODE",
        help="ISO 639-1 code of a language the text is in; repeat or separate with commas "
        "(optional: detected by the pipeline)",
    )
    add_seed.add_argument("--source", help="publisher or outlet (optional: extracted)")
    add_seed.add_argument("--date", help="publication date, YYYY-MM-DD (optional: extracted)")
    add_seed.add_argument("--title", help="headline (optional: extracted)")
    add_seed.add_argument("--url", help="address the text was published at")
    add_seed.add_argument(
        "--provenance", help="where the text came from, when there is no URL (e.g. a PDF)"
    )
    add_seed.add_argument(
        "--license", help="the license statement of the source, copied (required)"
    )
    add_seed.add_argument("--contributor", help="your name or handle (optional)")
    add_seed.add_argument(
        "--seeds", type=Path, default=Path("seeds"), help="seeds folder (default: seeds)"
    )
    add_seed.add_argument(
        "--dist",
        type=Path,
        default=Path("dist"),
        help="built dataset whose published texts are compared with the new seed, when it "
        "is current (default: dist)",
    )
    add_seed.add_argument(
        "--no-cache",
        action="store_true",
        help="clean every seed instead of reusing what the steps made of unchanged ones "
        "(cache: $CURATION_CACHE_DIR or ~/.cache/curation)",
    )
    _add_quiet_argument(add_seed)
    add_seed.set_defaults(handler=cmd_add_seed)

    check = commands.add_parser(
        "check",
        help="validate every seed and sidecar in seeds/ (the pre-commit hook)",
        description="Validate seeds/: file names and ids, encoding, size, sidecars against "
        "the schema, sha256, where each text came from, declared vs detected language, "
        "duplicates and near-duplicates. Prints every problem with its file and field; "
        "exit 2 if there is any.",
    )
    check.add_argument(
        "--seeds", type=Path, default=Path("seeds"), help="seeds folder (default: seeds)"
    )
    check.add_argument(
        "--no-cache",
        action="store_true",
        help="recompute every language guess and MinHash signature instead of reusing "
        "those of unchanged texts (cache: $CURATION_CACHE_DIR or ~/.cache/curation)",
    )
    _add_quiet_argument(check)
    check.set_defaults(handler=cmd_check)

    review = commands.add_parser(
        "review",
        help="write an HTML page per seed, and a Markdown summary, showing what the build "
        "publishes from it",
        description="For each SEED_ID write OUT/<id>.html (raw text beside the published "
        "records, every removed or replaced span labelled with its rule, metadata, "
        "language, near-duplicate neighbours), OUT/summary.md for a pull-request comment, "
        "and OUT/index.html linking every page with its counts.",
    )
    review.add_argument(
        "seed_ids",
        nargs="*",
        metavar="SEED_ID",
        help="seed ids (or paths of seed files) to review",
    )
    review.add_argument("--all", action="store_true", help="review every seed")
    review.add_argument(
        "--out", type=Path, default=Path("review"), help="output folder (default: review)"
    )
    review.add_argument(
        "--seeds", type=Path, default=Path("seeds"), help="seeds folder (default: seeds)"
    )
    review.add_argument(
        "--dist",
        type=Path,
        default=Path("dist"),
        help="built dataset used for the other seeds' published texts when current (default: dist)",
    )
    review.add_argument(
        "--no-cache",
        action="store_true",
        help="clean every seed instead of reusing what the steps made of unchanged ones "
        "(cache: $CURATION_CACHE_DIR or ~/.cache/curation)",
    )
    review.set_defaults(handler=cmd_review)

    diff = commands.add_parser(
        "diff",
        help="what changed between two builds: records by id, text word by word, steps, rules",
        description="Compare two built datasets: records added, removed and changed (keyed "
        "by id, per config; a word-level diff of a changed text and the metadata fields "
        "that changed), columns, and the steps, rules and libraries that changed (from the "
        "manifests). OLD and NEW are folders or git revisions (a revision's committed "
        "dist/ is read); NEW defaults to dist/ in the work tree. Also prints the smallest "
        "version bump the change needs.",
    )
    diff.add_argument(
        "old", metavar="OLD", help="a built dataset folder, or a git revision (v1.0.0)"
    )
    diff.add_argument(
        "new",
        metavar="NEW",
        nargs="?",
        default=None,
        help="a folder or a git revision (default: --dist in the work tree)",
    )
    diff.add_argument(
        "--dist",
        type=Path,
        default=Path("dist"),
        help="the dataset folder in the work tree, and where a revision keeps it (default: dist)",
    )
    diff.add_argument(
        "--format", choices=["text", "json"], default="text", help="output format (default: text)"
    )
    diff.add_argument(
        "--max-text-diffs",
        type=int,
        default=20,
        metavar="N",
        help="text output: word diffs for at most N changed records (default: 20)",
    )
    diff.set_defaults(handler=cmd_diff)

    release = commands.add_parser(
        "release",
        help="build, diff against the last release, check the bump, commit and tag vX.Y.Z",
        description="Make a release from a clean work tree: build, compare with the last "
        "vX.Y.Z tag, refuse a bump smaller than the change needs (PATCH: same records; "
        "MINOR: records, columns or configs added; MAJOR: a record changed or removed), "
        "write the version into pyproject.toml, the card, the manifest and the Parquet "
        "metadata, prepend a dated entry to CHANGELOG.md and the card, verify that a second "
        'build is identical, then commit "Release vX.Y.Z" and tag it. Exit 4 when refused; '
        "nothing is changed then.",
    )
    _add_build_arguments(release)
    release.add_argument(
        "--bump",
        choices=["patch", "minor", "major"],
        default=None,
        help="how far to move the version (default: the smallest the change needs); the "
        "first release, with no vX.Y.Z tag yet, takes pyproject.toml's version as it is",
    )
    release.add_argument(
        "--date",
        default=None,
        metavar="YYYY-MM-DD",
        help="date of the changelog entry (default: today, UTC)",
    )
    release.set_defaults(handler=cmd_release)

    export = commands.add_parser(
        "export",
        help="write a release's dist/ (from its commit, tags fetched or not) to a new folder",
        description="Write the dist/ committed at REVISION (a release such as v1.0.0, found "
        'by its tag or, in a clone without tags, by its "Release v1.0.0" commit; or any '
        "commit) into DIR, a new or empty folder, and check it against its SHA256SUMS. "
        "Load a pinned version from a checkout this way: the datasets library ignores "
        "`revision=` for a local folder.",
    )
    export.add_argument("revision", metavar="REVISION", help="a release (v1.0.0) or a commit")
    export.add_argument("target", metavar="DIR", type=Path, help="new or empty folder to write")
    export.add_argument(
        "--dist",
        type=Path,
        default=Path("dist"),
        help="where the repository keeps the dataset (default: dist)",
    )
    export.set_defaults(handler=cmd_export)

    publish = commands.add_parser(
        "publish",
        help="upload a released dist/ to the Hugging Face Hub as one commit, tagged vX.Y.Z",
        description="Check dist/ (SHA256SUMS, manifest, and that it is the dist/ committed at "
        "its version's git tag), then upload it to the Hub as one commit and tag it vX.Y.Z. "
        "Refuses when that tag is on the Hub with other content. The token comes only from "
        "HF_TOKEN or `hf auth login` and is never printed. --dry-run lists the files, their "
        "sizes and the tag without any network access.",
    )
    publish.add_argument(
        "--repo-id", required=True, metavar="ORG/NAME", help="the dataset repository on the Hub"
    )
    publish.add_argument(
        "--dist", type=Path, default=Path("dist"), help="the folder to upload (default: dist)"
    )
    publish.add_argument(
        "--dry-run",
        action="store_true",
        help="print the files, sizes, commit and tag it would create; send nothing",
    )
    publish.set_defaults(handler=cmd_publish)
    return parser


def _say_notes(command: str, error: BaseException) -> None:
    from curation.interruption import notes_of

    for note in notes_of(error):
        print(f"curation {command}: {note}", file=sys.stderr)


def _unexpected(command: str) -> int:
    """A bug: its traceback, printed here through the redacting stream, and exit 1.

    Left to the interpreter, the traceback would be printed after :func:`main` has
    put the streams back, and the values it quotes (a path, an argument, a token
    read from the environment) would not be redacted.
    """
    import traceback

    traceback.print_exc(file=sys.stderr)
    print(
        f"curation {command}: unexpected error, a bug in curation: please report it with the "
        "traceback above",
        file=sys.stderr,
    )
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Everything it prints, argparse's errors included, passes
    through :mod:`curation.redaction`: a token pasted into an option is never echoed."""
    with (
        contextlib.redirect_stderr(RedactingStream(sys.stderr)),
        contextlib.redirect_stdout(RedactingStream(sys.stdout)),
    ):
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    import logging

    from curation.interruption import Terminated, sigterm_raises

    args = make_parser().parse_args(argv)
    handler: Handler = args.handler
    # What the library says as it recovers from a stopped command (curation.recovery).
    said = logging.StreamHandler(sys.stderr)
    said.setFormatter(logging.Formatter(f"curation {args.command}: %(message)s"))
    logger = logging.getLogger("curation")
    logger.addHandler(said)
    try:
        with sigterm_raises():
            return handler(args)
    except CurationError as error:
        print(f"curation {args.command}: {error}", file=sys.stderr)
        _say_notes(args.command, error)
        return error.exit_code
    except ModuleNotFoundError as error:
        if error.name not in PUBLISH_EXTRA:
            return _unexpected(args.command)
        print(
            MISSING_PUBLISH_EXTRA.format(command=args.command, module=error.name), file=sys.stderr
        )
        return 1
    except KeyboardInterrupt as error:
        print(f"curation {args.command}: interrupted (SIGINT)", file=sys.stderr)
        _say_notes(args.command, error)
        return 130
    except Terminated as error:
        print(f"curation {args.command}: terminated (SIGTERM)", file=sys.stderr)
        _say_notes(args.command, error)
        return Terminated.exit_code
    except OSError as error:
        # The system refused (disk full, permission denied): its message names the file.
        print(f"curation {args.command}: {error}", file=sys.stderr)
        _say_notes(args.command, error)
        return 1
    except Exception:
        return _unexpected(args.command)
    finally:
        logger.removeHandler(said)
