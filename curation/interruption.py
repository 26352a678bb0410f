"""Ctrl-C (SIGINT) and SIGTERM (a CI cancel, `kill`): stop, undo, and say what happened.

SIGINT raises :class:`KeyboardInterrupt`; while a command runs, SIGTERM raises
:class:`Terminated`. Neither is an :class:`Exception`, so no ``except Exception``
swallows them: they unwind through the operation, whose undo code puts back what
it changed and adds a note saying so (``BaseException.add_note``); the CLI prints
the notes and exits 130 or 143 (128 + the signal's number, as a shell reports it).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType

INTERRUPTING = (signal.SIGINT, signal.SIGTERM)


class Terminated(BaseException):
    """The process received SIGTERM."""

    exit_code = 128 + signal.SIGTERM

    def __init__(self) -> None:
        super().__init__("terminated (SIGTERM)")


_installed_by: int | None = None  # the process whose SIGTERM raises Terminated


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    if os.getpid() != _installed_by:
        # A worker forked by the pipeline (--jobs) inherits the handler; its pool ends
        # it with SIGTERM, which must end it as by default, quietly.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return
    raise Terminated


def _in_main_thread() -> bool:
    # Signal handlers and masks can only be set from the main thread.
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def sigterm_raises() -> Iterator[None]:
    """While the block runs, SIGTERM raises :class:`Terminated` instead of ending the process."""
    if not _in_main_thread():
        yield
        return
    global _installed_by
    previous, previous_pid = signal.signal(signal.SIGTERM, _raise_terminated), _installed_by
    _installed_by = os.getpid()
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        _installed_by = previous_pid


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block ends, so that an undo is never cut in half.

    A signal that arrives meanwhile is noted and raised again when the block ends.
    (Python-level handlers rather than a signal mask: the kernel would deliver a
    masked signal to another thread, and Python runs handlers in the main thread.)
    A SIGKILL is not deferred; the operation's journal lets the next run finish.
    """
    if not _in_main_thread():
        yield
        return
    pending: list[int] = []

    def note(signum: int, frame: FrameType | None) -> None:
        pending.append(signum)

    previous = {number: signal.signal(number, note) for number in INTERRUPTING}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        for signum in pending:
            signal.raise_signal(signum)


def notes_of(error: BaseException) -> list[str]:
    """The notes of ``error`` and of the errors it interrupted, oldest first."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__context__
    return [note for e in reversed(chain) for note in getattr(e, "__notes__", [])]
