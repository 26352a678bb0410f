"""One writer at a time: a lock file beside ``seeds/`` and ``dist/``.

``build``, ``release`` and ``add-seed`` hold an exclusive ``fcntl.flock`` on
``.curation.lock`` in the folder that holds ``seeds/`` and in the one that holds
``dist/`` (the same folder in a checkout) for as long as they run. A second one
started meanwhile does not wait: it refuses at once (exit 75, "try again later",
``EX_TEMPFAIL`` in ``sysexits.h``), naming the command and process that hold the
lock. The kernel releases a flock when its process ends, however it ends, so a
killed command never leaves a stale lock; the file itself is removed when the lock
is released (and is git-ignored, should a kill leave it).

``verify`` and ``check`` only read; they take the lock briefly, without waiting,
to finish an interrupted operation (:mod:`curation.recovery`), and skip that when
a writer holds it: then nothing was interrupted, a command is still at work.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from curation.errors import CurationError

LOCK_NAME = ".curation.lock"
# A holder removes the file as it releases it; a process that opened the old file
# retries with the new one. More retries than that mean something else is wrong.
ATTEMPTS = 20


class RepositoryBusy(CurationError):
    """Another curation command is writing the same folders."""

    exit_code = 75  # EX_TEMPFAIL: try again later


def lock_files(folders: Iterable[Path]) -> list[Path]:
    """The lock files that guard ``folders`` (each folder's parent), in a fixed order."""
    return sorted({folder.absolute().parent.resolve() / LOCK_NAME for folder in folders})


def _holder(descriptor: int) -> str:
    os.lseek(descriptor, 0, os.SEEK_SET)
    text = os.read(descriptor, 200).decode("utf-8", errors="replace").strip()
    pid, _, command = text.partition(" ")
    return f"`{command}` (process {pid})" if pid.isdigit() and command else "another command"


def _acquire(path: Path, command: str) -> int:
    """An open descriptor of ``path`` holding its exclusive lock; RepositoryBusy if held."""
    for _ in range(ATTEMPTS):
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            holder = _holder(descriptor) if error.errno in (errno.EWOULDBLOCK, errno.EACCES) else ""
            os.close(descriptor)
            if not holder:
                raise
            raise RepositoryBusy(
                f"{holder} is writing here and holds {path}: one command writes a "
                f"repository at a time\nhint: wait until it has finished, then run "
                f"`curation {command}` again"
            ) from None
        try:
            same = os.path.samestat(os.fstat(descriptor), path.stat())
        except FileNotFoundError:
            same = False
        if same:
            os.ftruncate(descriptor, 0)
            os.write(descriptor, f"{os.getpid()} curation {command}\n".encode())
            return descriptor
        os.close(descriptor)  # its holder removed it as it finished: lock the new one
    raise RepositoryBusy(f"could not lock {path}: it keeps being replaced")


def _release(path: Path, descriptor: int) -> None:
    with contextlib.suppress(FileNotFoundError):
        if os.path.samestat(os.fstat(descriptor), path.stat()):
            path.unlink()
    os.close(descriptor)  # closing the descriptor releases the lock


@contextlib.contextmanager
def repository_lock(folders: Iterable[Path], command: str) -> Iterator[None]:
    """Hold the locks beside ``folders`` while the block runs, or raise RepositoryBusy.

    ``command`` (``build``, ``release`` …) is written into the lock file, so that a
    refused command can say which one holds it.
    """
    held: list[tuple[Path, int]] = []
    try:
        for path in lock_files(folders):
            held.append((path, _acquire(path, command)))
        yield
    finally:
        for path, descriptor in reversed(held):
            _release(path, descriptor)


@contextlib.contextmanager
def lock_if_free(folders: Iterable[Path], command: str) -> Iterator[bool]:
    """Like :func:`repository_lock`, but yield False (holding nothing) when it is taken."""
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(repository_lock(folders, command))
            free = True
        except RepositoryBusy:
            free = False
        yield free
