"""Move a new seed into ``seeds/``, all or nothing, whatever stops it.

``add-seed`` writes the text, the sidecar and the new ``.last-id`` into a staging
folder (``.add-seed-*``), then journals the move (:mod:`curation.journal`: the
files with their sha256, and ``.last-id`` before and after) and moves them in, in
that order. ``.last-id`` moves last: once it says the new number, the seed is in.

If a move fails, or SIGINT or SIGTERM arrives, the files already moved are taken
out again and ``.last-id`` is put back. If the process is killed, the next
command that reads ``seeds/`` (:mod:`curation.recovery`) does the same from the
journal, or, when ``.last-id`` had already moved, keeps the seed and removes the
journal. Either way no seed is left without its sidecar, and no number is taken
by a seed that is not there.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from curation.contribute.seed_ids import LAST_ID_FILE
from curation.errors import InvalidInput, Problem
from curation.fault_injection import fault_point
from curation.interruption import signals_deferred
from curation.journal import journal_path, journaled_name, remove_journal, write_journal

ADD_SEED = "add-seed"
# The only files a journaled add-seed may take out of seeds/ again.
SEED_FILE = re.compile(r"^[0-9]{3,}_[0-9a-f]{16}\.(txt|json)$")
# Fault-injection step after each move, by what the file is.
MOVED_STEP = {".txt": "add_seed.text_moved", ".json": "add_seed.sidecar_moved"}


def _sha256(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f"{path.name}.restore")
    temporary.write_bytes(data)
    temporary.replace(path)


def _done(seeds_dir: Path, entry: dict[str, Any]) -> bool:
    last_id = seeds_dir / LAST_ID_FILE
    return last_id.is_file() and last_id.read_text(encoding="utf-8") == entry["last_id_after"]


def _undo(seeds_dir: Path, entry: dict[str, Any]) -> list[str]:
    """Take the journaled files out of ``seeds/`` (only if they are ours) and restore .last-id."""
    removed = []
    for name, digest in entry["files"].items():
        path = seeds_dir / journaled_name(journal_path(seeds_dir), name, SEED_FILE)
        if not path.is_symlink() and _sha256(path) == digest:
            path.unlink()
            removed.append(name)
    last_id = seeds_dir / LAST_ID_FILE
    before = entry["last_id_before"]
    if before is None:
        if _done(seeds_dir, entry):
            last_id.unlink()
    elif not last_id.is_file() or last_id.read_text(encoding="utf-8") != before:
        _write_atomically(last_id, before.encode("utf-8"))
    return removed


def move_into_seeds(staging: Path, seeds_dir: Path, names: list[str]) -> None:
    """Move the staged ``names`` (text, sidecar, then .last-id) into ``seeds/``, journaled."""
    last_id = seeds_dir / LAST_ID_FILE
    journal = journal_path(seeds_dir)
    entry = {
        "operation": ADD_SEED,
        "staging": os.path.relpath(staging, seeds_dir.parent),
        "files": {n: _sha256(staging / n) for n in names if n != LAST_ID_FILE},
        "last_id_before": last_id.read_text(encoding="utf-8") if last_id.is_file() else None,
        "last_id_after": (staging / LAST_ID_FILE).read_text(encoding="utf-8"),
    }
    write_journal(journal, entry)
    try:
        fault_point("add_seed.journal_written")
        for name in names:
            target = seeds_dir / name
            if name != LAST_ID_FILE and target.exists():
                raise InvalidInput([Problem(str(target), "already exists: seed ids collide")])
            (staging / name).replace(target)  # .last-id, the last one: the seed is in
            if name != LAST_ID_FILE:
                fault_point(MOVED_STEP[Path(name).suffix])
    except BaseException as error:
        with signals_deferred():
            _undo(seeds_dir, entry)
            remove_journal(journal)
        error.add_note(f"{seeds_dir}/ is as it was: nothing was added")
        raise
    try:
        fault_point("add_seed.last_id_moved")
        remove_journal(journal)
        fault_point("add_seed.journal_removed")
    except BaseException as error:
        with signals_deferred():  # every file is in: finish rather than undo
            remove_journal(journal)
        error.add_note(f"the seed was already in {seeds_dir}/: it stays")
        raise


def recover_add_seed(seeds_dir: Path, entry: dict[str, Any]) -> str:
    """Finish or undo the add-seed that ``entry`` journaled; say which."""
    seed = next(iter(entry["files"]), "the seed").removesuffix(".txt").removesuffix(".json")
    if _done(seeds_dir, entry) and all(
        _sha256(seeds_dir / n) == d for n, d in entry["files"].items()
    ):
        remove_journal(journal_path(seeds_dir))
        return f"an interrupted add-seed had finished: seed {seed} is in {seeds_dir}/"
    removed = _undo(seeds_dir, entry)
    remove_journal(journal_path(seeds_dir))
    taken = f" (took out {', '.join(removed)})" if removed else ""
    return (
        f"undid an interrupted add-seed of {seed}: {seeds_dir}/ is as it was before it{taken}; "
        "run `curation add-seed` again to add it"
    )
