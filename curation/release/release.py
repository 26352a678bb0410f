"""``curation release``: build, compare with the last release, check the bump, commit, tag.

One command, all or nothing:

1. refuse on a dirty work tree (a release is made of committed files only), and
   when nothing was committed since the last release;
2. build into a staging folder beside ``dist/``, with the new version;
3. compare with the last release's committed ``dist/`` (the highest ``vX.Y.Z`` tag
   in HEAD's history; with none, the base is empty and any bump is allowed);
4. refuse a bump smaller than the change needs (:mod:`curation.release.versioning`);
5. prepend a dated entry, generated from the diff, to CHANGELOG.md and write the
   card again so that its "Versions" section shows it;
6. verify: build a second time in a temporary folder and compare byte for byte;
7. write the new version into pyproject.toml and CHANGELOG.md, swap ``dist/`` in,
   commit those three as "Release vX.Y.Z" and tag ``vX.Y.Z``.

Steps 1–6 change nothing in the work tree. If step 7 fails part way (a hook
refuses the commit, the tag cannot be made, SIGINT or SIGTERM), HEAD, the index,
the files and ``dist/`` are put back as they were; if it is killed, the next
command does that from its journal (:mod:`curation.release.commit_phase`). The
command holds the repository's lock throughout (:mod:`curation.writer_lock`). The
clock is read once, for the entry's date (or ``--date``); builds read the date
back from CHANGELOG.md.
"""

from __future__ import annotations

import datetime
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from curation.build import BuildOptions, build_into, write_metadata
from curation.errors import CurationError, InvalidInput, Problem, VerificationFailed
from curation.fault_injection import fault_point
from curation.folder_swap import staging_folder
from curation.output_folders import check_dataset_output
from curation.publish.summary import BuildSummary, DatasetMeta
from curation.recovery import writing
from curation.release.changelog import prepend_entry, render_entry
from curation.release.commit_phase import commit_release
from curation.release.diff import BuiltDataset, DatasetDiff, count_of, diff_datasets
from curation.release.repository import Repository
from curation.release.versioning import Bump, Version, set_pyproject_version
from curation.verify import compare
from curation.writer_lock import LOCK_NAME

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# A dirty work tree is reported by name, up to this many paths.
SHOWN_PATHS = 10


class ReleaseRefused(CurationError):
    """The release cannot be made as asked; nothing was changed."""

    exit_code = 4


@dataclass(frozen=True)
class ReleaseOptions:
    build: BuildOptions = field(default_factory=BuildOptions)
    bump: Bump | None = None  # None: the smallest bump the change needs
    date: str | None = None  # YYYY-MM-DD; None: today, in UTC


@dataclass(frozen=True)
class Release:
    """What ``curation release`` did."""

    version: Version
    previous: str | None  # the previous release's tag
    bump: Bump | None  # None for a first release made without --bump
    required: Bump
    reasons: list[str]
    diff: DatasetDiff
    entry: str
    commit: str

    @property
    def tag(self) -> str:
        return self.version.tag


def _today() -> str:
    return datetime.datetime.now(datetime.UTC).date().isoformat()


def _check_clean(repository: Repository) -> None:
    # The lock file is this command's own, even where .gitignore does not list it.
    dirty = [p for p in repository.dirty_paths() if Path(p).name != LOCK_NAME]
    if dirty:
        shown = "\n".join(f"    {path}" for path in dirty[:SHOWN_PATHS])
        more = f"\n    … and {len(dirty) - SHOWN_PATHS} more" if len(dirty) > SHOWN_PATHS else ""
        raise ReleaseRefused(
            f"the work tree has uncommitted changes; a release is made of committed files "
            f"only:\n{shown}{more}\nhint: commit them (e.g. the new seeds) or remove them, "
            "then run `curation release` again"
        )


def _first_version(dataset: DatasetMeta, bump: Bump | None, where: Path) -> Version:
    try:
        written = Version.parse(dataset.version)
    except ValueError as error:
        raise InvalidInput([Problem(f"{where}#tool.curation.version", str(error))]) from None
    return written.bumped(bump) if bump else written


def _build(
    target: Path, options: BuildOptions, scratch: Path, pyproject: str, changelog: str | None
) -> BuildSummary:
    """Build into ``target`` with this pyproject and changelog text (written to ``scratch``)."""
    scratch.mkdir(parents=True, exist_ok=True)
    (scratch / "pyproject.toml").write_text(pyproject, encoding="utf-8", newline="")
    changelog_path = scratch / "CHANGELOG.md"
    changelog_path.unlink(missing_ok=True)
    if changelog is not None:
        changelog_path.write_text(changelog, encoding="utf-8", newline="\n")
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    return build_into(
        target,
        replace(options, pyproject=scratch / "pyproject.toml", changelog=changelog_path),
    )


def _with_version(pyproject: str, version: Version, where: Path) -> str:
    try:
        return set_pyproject_version(pyproject, version)
    except ValueError as error:
        raise InvalidInput([Problem(str(where), str(error))]) from None


def release(options: ReleaseOptions) -> Release:
    """Make a release of the committed seeds; see the module's docstring for the steps."""
    build = options.build
    repository = Repository.containing(build.pyproject.resolve().parent)
    if repository is None:
        raise ReleaseRefused(
            f"{build.pyproject.resolve().parent} is not in a git repository: a release is "
            "a commit and a tag\nhint: run it from a clone of the dataset's repository"
        )
    check_dataset_output(build.dist_dir, build.seeds_dir)
    with writing("release", build.seeds_dir, build.dist_dir):
        fault_point("release.started")
        return _release(options, repository)


def _release(options: ReleaseOptions, repository: Repository) -> Release:
    build = options.build
    _check_clean(repository)
    date = options.date or _today()  # the one reading of the clock
    if not _DATE.match(date):
        raise InvalidInput([Problem("--date", f"not a date YYYY-MM-DD: {date!r}")])

    dataset = DatasetMeta.from_pyproject(build.pyproject)
    # Bytes decoded as they are, so the edit keeps the file's line endings.
    pyproject_text = build.pyproject.read_bytes().decode("utf-8")
    changelog_text = (
        build.changelog.read_bytes().decode("utf-8") if build.changelog.is_file() else None
    )
    latest = repository.latest_release()
    previous = latest[1] if latest else None
    if latest and repository.head() == repository.commit_of(latest[1]):
        raise ReleaseRefused(
            f"nothing to release: HEAD is {latest[1]}\n"
            "hint: commit a change (e.g. add a seed) first"
        )
    # The version is known now unless --bump was left to the diff to decide; until
    # then the build is made as a patch, and made again if the diff asks for more.
    if latest is None:
        version = _first_version(dataset, options.bump, build.pyproject)
    else:
        version = latest[0].bumped(options.bump or Bump.PATCH)
    if repository.is_released(version.tag):
        raise ReleaseRefused(f"{version.tag} is already released\nhint: choose another --bump")

    with (
        tempfile.TemporaryDirectory(prefix="curation-release-") as scratch_name,
        staging_folder(build.dist_dir) as staging,
    ):
        scratch = Path(scratch_name)
        base = (
            repository.export(previous, repository.relative(build.dist_dir), scratch / "base")
            if previous
            else None
        )
        target = staging / "dist"
        probe = version
        summary = _build(
            target,
            build,
            scratch / "a",
            _with_version(pyproject_text, probe, build.pyproject),
            changelog_text,
        )
        diff = diff_datasets(
            BuiltDataset.open(base, previous or "no previous release"),
            BuiltDataset.open(target, f"the build of HEAD ({repository.head()[:12]})"),
        )
        required, reasons = diff.required_bump()
        bump = options.bump
        if latest is not None:
            if bump is not None and bump < required:
                raise ReleaseRefused(
                    f"--bump {bump} is too small: this change needs at least {required}:\n"
                    + "\n".join(f"  - {reason}" for reason in reasons)
                    + f"\nhint: run `curation release --bump {required}`"
                )
            bump = bump or required
            version = latest[0].bumped(bump)
            if repository.tag_exists(version.tag):
                raise ReleaseRefused(f"tag {version.tag} already exists")
        new_pyproject = _with_version(pyproject_text, version, build.pyproject)
        if version != probe:  # the Parquet metadata names the version: build again
            summary = _build(target, build, scratch / "a", new_pyproject, changelog_text)
        entry = render_entry(version, date, diff, bump, previous)
        new_changelog = prepend_entry(changelog_text, entry)
        # The card shows the changelog: write the metadata again, with the entry.
        final = scratch / "final"
        final.mkdir()
        (final / "CHANGELOG.md").write_text(new_changelog, encoding="utf-8", newline="\n")
        write_metadata(target, summary, final / "CHANGELOG.md")

        rebuilt = scratch / "verify" / "dist"
        _build(rebuilt, build, scratch / "verify", new_pyproject, new_changelog)
        differences = compare(target, rebuilt)
        if differences:
            raise VerificationFailed(
                "two builds of the same commit differ, so the release would not be "
                "reproducible:\n"
                + "\n".join(f"  {d}" for d in differences)
                + "\nhint: find what varies (clock, hash seed, dict order) before releasing"
            )
        message = (
            f"Release {version.tag}\n\n{count_of(diff.added, 'record')} added, "
            f"{len(diff.removed)} removed, {len(diff.changed)} changed"
            " (CHANGELOG.md has the list).\n"
        )
        commit = commit_release(
            repository,
            build,
            target,
            (new_pyproject, pyproject_text),
            (new_changelog, changelog_text),
            version,
            message,
        )
    return Release(version, previous, bump, required, reasons, diff, entry, commit)
