"""Stopping a command at a step, in-process, through :data:`curation.fault_injection.hook`.

``snapshot_every_step`` copies the project at each step while the command runs on:
each copy is what a kill (SIGKILL, a power cut) at that instant would leave, since
no clean-up code had run yet. ``raise_at`` raises at one step what SIGINT or
SIGTERM raises, so that the command's own undo runs, as it would for a signal.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from curation import fault_injection
from curation.interruption import Terminated

SIGNALS: dict[str, tuple[type[BaseException], int, str]] = {
    "SIGINT": (KeyboardInterrupt, 130, "interrupted (SIGINT)"),
    "SIGTERM": (Terminated, 143, "terminated (SIGTERM)"),
}


@contextlib.contextmanager
def snapshot_every_step(root: Path, into: Path) -> Iterator[list[str]]:
    """Copy ``root`` to ``into/<step>/<root name>`` at every step reached; yield the steps."""
    steps: list[str] = []

    def snapshot(step: str) -> None:
        steps.append(step)
        shutil.copytree(root, into / step / root.name, symlinks=True)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fault_injection, "hook", snapshot)
        yield steps


@contextlib.contextmanager
def raise_at(step: str, error: type[BaseException]) -> Iterator[None]:
    def stop(reached: str) -> None:
        if reached == step:
            raise error

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fault_injection, "hook", stop)
        yield


def copy_of(snapshot: Path, tmp_path: Path) -> Path:
    target = tmp_path / snapshot.name
    shutil.copytree(snapshot, target, symlinks=True)
    return target
