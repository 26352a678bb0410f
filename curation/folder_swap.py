"""Replace a folder by a new one so that every instant leaves a usable one.

The build writes into a staging folder beside ``dist/`` (``.dist.build-*``, on the
same file system, so that the swap is two renames) and swaps it in only when it
is complete:

1. the journal (:mod:`curation.journal`) names the staging folder and where the
   old ``dist/`` goes (``.dist.old-<pid>``);
2. ``dist/`` is renamed to ``.dist.old-<pid>``;
3. the new folder is renamed to ``dist/``: from here on the swap is done;
4. the old folder and the journal are removed.

A kill between 1 and 3 leaves the journal; the next command
(:func:`recover_swap`) puts the old ``dist/`` back. A kill after 3 leaves the new
``dist/`` in place and the next command removes the old one. SIGINT and SIGTERM
before 3 undo the swap at once; after it, they finish it. Either way the command
says which.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from curation.fault_injection import fault_point
from curation.interruption import Terminated, signals_deferred
from curation.journal import journal_path, journaled_name, remove_journal, write_journal
from curation.output_folders import is_built_dataset

SWAP = "swap"


def staging_name(folder: Path) -> re.Pattern[str]:
    """Names of staging folders made beside ``folder`` (``tempfile.mkdtemp``'s suffixes)."""
    return re.compile(rf"^\.{re.escape(folder.name)}\.build-[A-Za-z0-9_]+$")


def kept_name(folder: Path) -> re.Pattern[str]:
    """Names of previous versions of ``folder`` set aside by a swap or a release."""
    return re.compile(rf"^\.{re.escape(folder.name)}\.(old-[0-9]+|before-v[0-9]+\.[0-9]+\.[0-9]+)$")


@contextlib.contextmanager
def staging_folder(beside: Path) -> Iterator[Path]:
    """A new folder beside ``beside`` (same file system: the swap is a rename), removed on exit."""
    beside.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{beside.name}.build-", dir=beside.parent))
    try:
        yield folder
    except (KeyboardInterrupt, Terminated) as error:
        if not getattr(error, "__notes__", None):
            error.add_note(f"the unfinished build was discarded; {beside}/ is as it was")
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _undo(dest: Path, entry: dict[str, Any]) -> None:
    old = dest.parent / entry["old"]
    if not dest.exists() and old.is_dir():
        old.rename(dest)


def replace_folder(new: Path, dest: Path) -> None:
    """Replace ``dest`` by ``new`` (a complete build) with renames, journaled."""
    journal = journal_path(dest)
    old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
    entry = {
        "operation": SWAP,
        "new": os.path.relpath(new, dest.parent),
        "old": old.name,
        "had_dest": dest.exists(),
    }
    write_journal(journal, entry)
    try:
        fault_point("build.swap.journal_written")
        if entry["had_dest"]:
            dest.rename(old)
            fault_point("build.swap.old_moved_aside")
        new.rename(dest)  # the swap is done
    except BaseException as error:
        with signals_deferred():
            _undo(dest, entry)
            remove_journal(journal)
        error.add_note(f"the new build was discarded; {dest}/ is as it was")
        raise
    try:
        fault_point("build.swap.new_in_place")
        shutil.rmtree(old, ignore_errors=True)
        fault_point("build.swap.old_removed")
        remove_journal(journal)
    except BaseException as error:
        with signals_deferred():  # the swap is done: finish it rather than leave the old one
            shutil.rmtree(old, ignore_errors=True)
            remove_journal(journal)
        error.add_note(f"the new build was already in place: {dest}/ holds it")
        raise


def recover_swap(dest: Path, entry: dict[str, Any]) -> str:
    """Finish or undo the swap of ``dest`` that ``entry`` journaled; say which."""
    journal = journal_path(dest)
    staging = journaled_name(journal, Path(entry["new"]).parent.as_posix(), staging_name(dest))
    new = dest.parent / staging / Path(entry["new"]).name
    old = dest.parent / journaled_name(journal, entry["old"], kept_name(dest))
    if dest.exists() and not new.exists():
        shutil.rmtree(old, ignore_errors=True)
        remove_journal(journal_path(dest))
        return (
            f"an interrupted build had swapped its new dataset in: {dest}/ is the new build; "
            f"removed the previous one ({old.name})"
        )
    _undo(dest, entry)
    remove_journal(journal_path(dest))
    state = "is as it was" if entry["had_dest"] else "is absent, as it was"
    return f"undid an interrupted build's swap: {dest}/ {state} before that build"


def remove_leftovers(dest: Path) -> list[str]:
    """Remove what stopped commands left beside ``dest`` (only names the tool makes).

    Call with no journal pending and the lock held: a staging folder then belongs to
    a command that no longer runs. A previous version set aside (``.dist.old-*``,
    ``.dist.before-*``) is put back when ``dest`` is missing, else removed.
    """
    notes: list[str] = []
    parent = dest.parent
    if not parent.is_dir():
        return notes
    staging, kept = staging_name(dest), kept_name(dest)
    for path in sorted(parent.iterdir()):
        if path.is_symlink() or not path.is_dir():
            continue
        if staging.match(path.name):
            shutil.rmtree(path)
            notes.append(f"removed {path}, the staging folder of a build that was stopped")
        elif kept.match(path.name):
            if not dest.exists() and is_built_dataset(path):
                path.rename(dest)
                notes.append(
                    f"{dest}/ was missing: put back {path.name}, the dataset a stopped "
                    "command had set aside"
                )
            elif dest.exists():
                shutil.rmtree(path)
                notes.append(f"removed {path}, a previous {dest.name}/ left by a stopped command")
    return notes
