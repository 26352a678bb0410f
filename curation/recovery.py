"""Finish or undo what a stopped command left, before the next one starts.

Every command that writes (``build``, ``release``, ``add-seed``) holds the
repository's lock (:mod:`curation.writer_lock`) and first reads the journals
beside ``dist/`` and ``seeds/`` (:mod:`curation.journal`): an interrupted swap of
``dist/``, release or add-seed is rolled back, or forward when it had already
done its last change, and what it did is said on standard error. Then the
staging and set-aside folders that stopped commands left beside them, named as
only the tool names them (``.dist.build-*``, ``.dist.old-*``, ``.dist.before-*``,
``.add-seed-*``), are removed. ``verify`` and ``check`` do the same when no
command holds the lock; ``check`` (the pre-commit hook, which may run inside a
``git commit``) leaves an interrupted release to the next ``release``, ``build``
or ``verify``, which undo it with git, and says so.
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from curation.errors import InvalidInput, Problem
from curation.folder_swap import SWAP, recover_swap, remove_leftovers
from curation.interruption import Terminated, signals_deferred
from curation.journal import journal_path, read_journal
from curation.writer_lock import lock_if_free, repository_lock

log = logging.getLogger("curation")

RELEASE = "release"
ADD_SEED = "add-seed"
# tempfile.mkdtemp(prefix=".add-seed-")
ADD_SEED_STAGING = re.compile(r"^\.add-seed-[A-Za-z0-9_]+$")


def _unknown(journal: Path, entry: dict[str, Any]) -> InvalidInput:
    return InvalidInput(
        [
            Problem(
                str(journal),
                f"the journal of an operation this version of curation does not know "
                f"({entry['operation']!r}): left as it is",
                "finish or undo it with the curation that wrote it, or by hand, then delete it",
            )
        ]
    )


def _recover_dist(dist_dir: Path, *, with_git: bool) -> list[str]:
    entry = read_journal(journal_path(dist_dir))
    if entry is None:
        return remove_leftovers(dist_dir)
    if entry["operation"] == SWAP:
        return [recover_swap(dist_dir, entry), *remove_leftovers(dist_dir)]
    if entry["operation"] == RELEASE:
        if not with_git:
            return [
                f"{journal_path(dist_dir)}: a `curation release` of {entry.get('tag')} was "
                "stopped part way; run `curation release` (or `curation build`) to finish or "
                "undo it"
            ]
        from curation.release.commit_phase import recover_release

        return [recover_release(dist_dir, entry), *remove_leftovers(dist_dir)]
    raise _unknown(journal_path(dist_dir), entry)


def _recover_seeds(seeds_dir: Path) -> list[str]:
    notes = []
    entry = read_journal(journal_path(seeds_dir))
    if entry is not None:
        if entry["operation"] != ADD_SEED:
            raise _unknown(journal_path(seeds_dir), entry)
        from curation.contribute.seed_moves import recover_add_seed

        notes.append(recover_add_seed(seeds_dir, entry))
    parent = seeds_dir.absolute().parent
    for path in sorted(parent.iterdir()) if parent.is_dir() else []:
        if ADD_SEED_STAGING.match(path.name) and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
            notes.append(f"removed {path}, the staging folder of an add-seed that was stopped")
    return notes


def recover(seeds_dir: Path, dist_dir: Path, *, with_git: bool = True) -> list[str]:
    """Roll back or forward every interrupted operation on these folders; say what was done.

    The caller holds the lock. ``with_git`` False leaves an interrupted release
    alone (it is undone with git commands).
    """
    with signals_deferred():  # a recovery cut in half would only be started again
        notes = _recover_seeds(seeds_dir) + _recover_dist(dist_dir, with_git=with_git)
    for note in notes:
        log.warning("%s", note)
    return notes


@contextlib.contextmanager
def writing(command: str, seeds_dir: Path, dist_dir: Path) -> Iterator[None]:
    """Hold the lock for ``command`` and recover what stopped commands left, then run the block."""
    dist_dir.absolute().parent.mkdir(parents=True, exist_ok=True)
    with repository_lock([seeds_dir, dist_dir], command):
        recover(seeds_dir, dist_dir)
        try:
            yield
        except (KeyboardInterrupt, Terminated) as error:
            # The operations note what they undid; without a note, none had begun.
            if not getattr(error, "__notes__", None):
                error.add_note("stopped before it changed anything")
            raise


def recover_if_idle(command: str, seeds_dir: Path, dist_dir: Path, *, with_git: bool) -> None:
    """For commands that only read: recover, unless a writer is at work (then there is nothing)."""
    # A folder whose parent does not exist has nothing beside it to recover.
    folders = [f for f in (seeds_dir, dist_dir) if f.absolute().parent.is_dir()]
    with lock_if_free(folders, command) as free:
        if free:
            recover(seeds_dir, dist_dir, with_git=with_git)
