"""Give the heap's free pages back to the system between batches (glibc only).

A worker cleans a batch of pages through several steps, each making new texts and
dropping the old: the C heap then holds free gaps where those were, which glibc's
allocator keeps (it only returns the heap's top) and which count in the process's
resident memory until a later batch reuses them. ``malloc_trim`` returns every
free page of the heap to the system; it runs in milliseconds, once per batch of
seconds. Elsewhere than glibc (macOS, musl, Windows) it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None
    return trim


def give_back_free_memory() -> bool:
    """Return the heap's free pages to the system; False where there is no ``malloc_trim``."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
