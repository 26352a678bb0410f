"""A small on-disk journal: what an operation is doing and how to undo it.

An operation that changes several things (``build``'s swap of ``dist/``,
``release``'s commit phase, ``add-seed``'s moves into ``seeds/``) writes its
journal *before* its first change and removes it *after* its last. A journal
found on disk therefore means the operation was stopped part way (a kill, a power
cut); the next command reads it and rolls the operation back or forward
(:mod:`curation.recovery`).

The journal of an operation on ``<folder>`` is ``.<folder>.journal`` beside it
(``.dist.journal``, ``.seeds.journal``; git-ignored). It is JSON, written to a
temporary name, flushed to the disk and renamed over the old one, so it is always
either the old journal or the new one, never half of one. Paths in it are relative
to its folder: a copied or moved checkout recovers in place.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from curation.errors import InvalidInput, Problem

FORMAT = 1


def journal_path(target: Path) -> Path:
    """Where the journal of an operation on the folder ``target`` lives."""
    return target.with_name(f".{target.name}.journal")


def _sync_folder(folder: Path) -> None:
    """Make a rename or removal in ``folder`` durable."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_journal(path: Path, entry: dict[str, Any]) -> None:
    """Write (or replace) the journal at ``path`` atomically and durably."""
    temporary = path.with_name(f"{path.name}.tmp")
    data = json.dumps({"format": FORMAT, **entry}, ensure_ascii=False, indent=2, sort_keys=True)
    with temporary.open("w", encoding="utf-8", newline="\n") as stream:
        stream.write(data + "\n")
        stream.flush()
        os.fsync(stream.fileno())
    temporary.replace(path)
    _sync_folder(path.parent)


def read_journal(path: Path) -> dict[str, Any] | None:
    """The journal at ``path``, or None when there is none."""
    path.with_name(f"{path.name}.tmp").unlink(missing_ok=True)  # never renamed: not begun
    if not path.is_file():
        return None
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        entry = None
        reason = str(error)
    else:
        reason = "not a journal of this version of curation"
    if not isinstance(entry, dict) or entry.get("format") != FORMAT or "operation" not in entry:
        raise InvalidInput(
            [
                Problem(
                    str(path),
                    f"an interrupted operation's journal that cannot be read: {reason}",
                    "look at the folders beside it (.dist.old-*, .dist.before-*, dist/) and "
                    "the git log, put back what is missing, then delete the journal",
                )
            ]
        )
    return entry


def journaled_name(path: Path, name: object, pattern: re.Pattern[str]) -> str:
    """``name`` from the journal at ``path``, if it is one the tool gives (else InvalidInput).

    Recovery deletes or overwrites what a journal names: only names the tool makes.
    """
    if not isinstance(name, str) or not pattern.match(name):
        raise InvalidInput(
            [
                Problem(
                    str(path),
                    f"names {name!r}, which is not a name curation gives: left as it is",
                    "check the folders beside it by hand, then delete the journal",
                )
            ]
        )
    return name


def remove_journal(path: Path) -> None:
    """The operation is over (done or undone): remove its journal, durably."""
    path.unlink(missing_ok=True)
    _sync_folder(path.parent)
