"""SIGTERM raises while a command runs; an undo is never cut in half by a signal."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from curation.interruption import Terminated, notes_of, signals_deferred, sigterm_raises


def test_sigterm_raises_while_a_command_runs_and_not_after() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Terminated), sigterm_raises():
        os.kill(os.getpid(), signal.SIGTERM)
    assert signal.getsignal(signal.SIGTERM) == before


def test_a_forked_worker_still_dies_of_sigterm_quietly() -> None:
    """The pipeline's --jobs workers inherit the handler; their pool ends them with SIGTERM."""
    with sigterm_raises():
        pid = os.fork()
        if pid == 0:  # the child: must die of the signal, not raise in a copy of pytest
            os.kill(os.getpid(), signal.SIGTERM)
            os._exit(0)
        _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status)
    assert os.WTERMSIG(status) == signal.SIGTERM


def test_a_signal_during_an_undo_waits_for_its_end() -> None:
    """Also with another thread running, to which the kernel may deliver the signal."""
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    finished = False
    try:
        with pytest.raises(KeyboardInterrupt), signals_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            finished = True  # reached: the signal waits
    finally:
        release.set()
        other.join()
    assert finished


def test_notes_of_an_interrupted_undo_are_all_said() -> None:
    first = OSError("disk full")
    first.add_note("dist/ is as it was")
    try:
        try:
            raise first
        except OSError:
            raise KeyboardInterrupt from None
    except KeyboardInterrupt as second:
        assert notes_of(second) == ["dist/ is as it was"]
