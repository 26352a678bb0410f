"""The last step of ``curation release``: write, swap, commit and tag, all or nothing.

Before its first change it journals (:mod:`curation.journal`, ``.dist.journal``)
HEAD, the tag, the old pyproject.toml and CHANGELOG.md, and where the new and the
old ``dist/`` are. Then, each a step the fault-injection suite stops at:

1. pyproject.toml and CHANGELOG.md get the new version and entry;
2. ``dist/`` is set aside as ``.dist.before-vX.Y.Z``; the new build becomes ``dist/``;
3. ``git add`` those three; ``git commit`` "Release vX.Y.Z";
4. ``git tag vX.Y.Z``: the release is made;
5. the old ``dist/`` and the journal are removed.

If anything fails before 4 (a hook refuses the commit, SIGINT, SIGTERM), it is
undone at once: HEAD moves back, those paths leave the index, the files and
``dist/`` are put back. If the process is killed, the next ``release`` (or
``build``, ``verify``, ``add-seed``) reads the journal and does the same; after 4
it only finishes 5, as SIGINT and SIGTERM do then. The tag is the one sign that
a release was made.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from curation.build import BuildOptions
from curation.errors import CurationError
from curation.fault_injection import fault_point
from curation.folder_swap import kept_name
from curation.interruption import signals_deferred
from curation.journal import journal_path, journaled_name, remove_journal, write_journal
from curation.release.repository import Repository
from curation.release.versioning import Version

RELEASE = "release"


class RecoveryRefused(CurationError):
    """A journaled release cannot be undone safely: the repository moved on since."""

    exit_code = 4


def _paths(dist: Path, entry: dict[str, Any]) -> tuple[Path, Path, Path, Path]:
    base, journal = dist.parent, journal_path(dist)
    return (
        base / entry["pyproject"],
        base / entry["changelog"],
        base / entry["new"],
        base / journaled_name(journal, entry["kept"], kept_name(dist)),
    )


def _roll_back(repository: Repository, dist: Path, entry: dict[str, Any]) -> None:
    """Undo a release that has no tag yet; each step may run again after a kill."""
    pyproject, changelog, new, kept = _paths(dist, entry)
    head, tag = entry["head"], entry["tag"]
    current = repository.head()
    if current != head:
        parent, subject = repository.parent_and_subject(current)
        if parent != head or subject != f"Release {tag}":
            raise RecoveryRefused(
                f"{journal_path(dist)}: a release of {tag} was stopped part way, but HEAD has "
                f"moved on since to {current[:12]} ({subject!r}), so it is not undone "
                f"automatically\nhint: the release started at {head[:12]}; put back "
                f"{pyproject.name}, {changelog.name} and {dist.name}/ from there (and "
                f"{kept.name}/ if it exists), then delete {journal_path(dist).name}"
            )
        if repository.tag_exists(tag):
            repository.delete_tag(tag)
    repository.reset_to(head, [pyproject, changelog, dist])
    pyproject.write_bytes(entry["pyproject_before"].encode("utf-8"))
    if entry["changelog_before"] is None:
        changelog.unlink(missing_ok=True)
    else:
        changelog.write_bytes(entry["changelog_before"].encode("utf-8"))
    if kept.is_dir():
        if dist.exists():
            shutil.rmtree(dist)  # the new build, renamed in
        kept.rename(dist)
    elif not entry["had_dist"] and dist.exists() and not new.exists():
        shutil.rmtree(dist)
    remove_journal(journal_path(dist))


def commit_release(
    repository: Repository,
    build: BuildOptions,
    target: Path,
    pyproject: tuple[str, str],
    changelog: tuple[str, str | None],
    version: Version,
    message: str,
) -> str:
    """Write the release into the work tree, commit and tag it; on any failure, undo it all.

    ``pyproject`` and ``changelog`` are (new text, old text); old None: there was no file.
    """
    dist = build.dist_dir
    base = dist.parent
    kept = dist.with_name(f".{dist.name}.before-{version.tag}")
    entry: dict[str, Any] = {
        "operation": RELEASE,
        "tag": version.tag,
        "head": repository.head(),
        "message": message,
        "new": os.path.relpath(target, base),
        "kept": kept.name,
        "had_dist": dist.exists(),
        "pyproject": os.path.relpath(build.pyproject, base),
        "pyproject_before": pyproject[1],
        "changelog": os.path.relpath(build.changelog, base),
        "changelog_before": changelog[1],
    }
    paths = [build.pyproject, build.changelog, dist]
    write_journal(journal_path(dist), entry)
    try:
        fault_point("release.journal_written")
        build.pyproject.write_bytes(pyproject[0].encode("utf-8"))
        fault_point("release.pyproject_written")
        build.changelog.write_bytes(changelog[0].encode("utf-8"))
        fault_point("release.changelog_written")
        if entry["had_dist"]:
            dist.rename(kept)
            fault_point("release.dist_moved_aside")
        target.rename(dist)
        fault_point("release.dist_in_place")
        repository.stage_paths(paths)
        fault_point("release.staged")
        commit = repository.commit_staged(paths, message)
        fault_point("release.committed")
        repository.create_tag(version.tag, message)  # the release is made
    except BaseException as error:
        with signals_deferred():
            _roll_back(repository, dist, entry)
        error.add_note(
            f"the release was undone: HEAD, the index, {build.pyproject.name}, "
            f"{build.changelog.name} and {dist}/ are as they were"
        )
        raise
    try:
        fault_point("release.tagged")
        shutil.rmtree(kept, ignore_errors=True)
        fault_point("release.old_dist_removed")
        remove_journal(journal_path(dist))
    except BaseException as error:
        with signals_deferred():  # the release is made: finish it
            shutil.rmtree(kept, ignore_errors=True)
            remove_journal(journal_path(dist))
        error.add_note(f"{version.tag} was already made (commit and tag): the release stands")
        raise
    return commit


def recover_release(dist: Path, entry: dict[str, Any]) -> str:
    """Finish or undo the release that ``entry`` journaled; say which."""
    pyproject, changelog, _new, kept = _paths(dist, entry)
    repository = Repository.containing(pyproject.parent)
    if repository is None:
        raise RecoveryRefused(
            f"{journal_path(dist)}: a stopped release of {entry['tag']} is journaled, but "
            f"{pyproject.parent} is not in a git repository any more"
        )
    tag = entry["tag"]
    if repository.tag_exists(tag):
        if dist.exists():
            shutil.rmtree(kept, ignore_errors=True)
        remove_journal(journal_path(dist))
        return (
            f"an interrupted release had made {tag} (commit and tag): finished it, removing "
            f"the previous dataset set aside ({kept.name})"
        )
    _roll_back(repository, dist, entry)
    return (
        f"undid an interrupted release of {tag}: HEAD, the index, {pyproject.name}, "
        f"{changelog.name} and {dist}/ are as they were before it"
    )
