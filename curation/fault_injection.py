"""Fault injection: stop a command at a named step, to prove that the next run recovers.

For the tests only; nothing happens unless a test asks. Every step of ``build``'s
swap, ``release``'s commit phase and ``add-seed``'s moves calls :func:`fault_point`
with the step's name (``build.swap.old_moved_aside``, ``release.committed``, …;
``tests/test_fault_injection.py`` lists them all and fails when one is added
without a test). Two ways to stop there:

- ``CURATION_FAULT_AT=<step>`` in the environment: at that step the process sends
  itself ``CURATION_FAULT_SIGNAL`` (``KILL`` by default, or ``TERM`` or ``INT``).
  A real signal, so a KILL runs no clean-up code at all, as a kill would.
- :data:`hook`, set in-process by a test: called with every step's name; it may
  copy the folders as they are at that instant (what a kill would leave) and
  raise (what a signal handler would do).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

ENV_STEP = "CURATION_FAULT_AT"
ENV_SIGNAL = "CURATION_FAULT_SIGNAL"

# Set by tests only (monkeypatch); None in every real run.
hook: Callable[[str], None] | None = None


def fault_point(step: str) -> None:
    """Give the tests a chance to stop the command here; a no-op in a real run."""
    if hook is not None:
        hook(step)
    if os.environ.get(ENV_STEP) == step:
        name = os.environ.get(ENV_SIGNAL, "KILL").upper().removeprefix("SIG")
        os.kill(os.getpid(), signal.Signals[f"SIG{name}"])
