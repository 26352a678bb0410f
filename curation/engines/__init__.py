"""Engines: where a build's record steps and its corpus passes' per-record work run.

- ``local`` (the default): in this process, or in ``--jobs`` forked processes
  (:meth:`curation.pipeline.Pipeline.run`).
- ``ray``: on Ray Data (:mod:`curation.engines.ray_engine`), on this machine with
  ``--jobs`` CPUs or on the cluster that ``RAY_ADDRESS`` names.

Whatever the engine, the corpus passes' decisions (which record is a duplicate of
which) are taken in this process, over the batches in input order, and the same
writer writes ``dist/``: the engine changes where the work runs, never a byte.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI reads ENGINES; this module imports nothing heavy at run time
    from curation.pipeline import Pipeline
    from curation.record import Record

ENGINES = ("local", "ray")


def run_engine(
    engine: str, pipeline: Pipeline, batches: Iterable[Sequence[Record]], *, jobs: int = 1
) -> Iterator[list[Record]]:
    """The cleaned, deduplicated batches of ``batches``, in input order, cleaned by ``engine``."""
    if engine == "ray":
        from curation.engines.ray_engine import run_on_ray

        return run_on_ray(pipeline, batches, jobs=jobs)
    if engine != "local":  # the CLI offers only ENGINES; a library caller may pass anything
        raise ValueError(f"unknown engine {engine!r}: one of {', '.join(ENGINES)}")
    return pipeline.run(batches, jobs=jobs)
