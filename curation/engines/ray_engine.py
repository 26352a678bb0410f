"""The ``ray`` engine: ``curation build --engine ray`` cleans on Ray Data.

What runs where:

- **This process** (the driver) reads the input as the local engine does (the
  seeds in id order, or the ``--input`` shards merged by id) and hands it to Ray
  a window of batches at a time (:data:`BATCHES_PER_CPU` per CPU of the cluster),
  each batch a pickle of its records. Reading needs no shared file system: the
  workers never open an input file.
- **Ray workers**, in a Ray Data ``map_batches`` of one batch per task and one
  task per CPU, run every record step on the batch
  (:func:`curation.pipeline.run_steps`) and each corpus pass's per-record work on
  the result (``record_key``: the exact-dedup digest, the MinHash signature).
  That is nearly all of a build's CPU time, and it scales with the CPUs of the
  cluster.
- **The driver** takes the results back in input order, takes the corpus passes'
  decisions (:meth:`curation.pipeline.Pipeline.pass_corpus`: is this digest
  already kept? which kept signature is the earliest near match?) and writes
  ``dist/`` with the local engine's writer. Those are a lookup and a few vector
  comparisons per record: they scale with the number of records, not with the
  cluster, and keep one digest and one signature per kept record in the driver's
  memory (about 1 KiB, see :mod:`curation.corpus.dedup_near`).

So the bytes are the local engine's: the steps are pure, so where they run does
not matter, and every decision that looks across records is taken here, in
record-id order, by the same code. Batches travel as pickles of the frozen record
dataclasses, a transport form only: what is published is written by
:mod:`curation.publish.parquet`, as for the local engine.

Where Ray runs: with ``RAY_ADDRESS`` set (``auto``, ``HOST:6379`` or
``ray://HOST:10001``) the build joins that cluster and uses all its CPUs; unset,
it starts a private local Ray with ``--jobs`` CPUs and shuts it down at the end.
A Ray that the calling process already started (a test, a notebook) is used as
it is and left running. Every node must run the same ``requirements.lock`` and
the same ``curation``: a worker whose pinned libraries differ from this
process's refuses to clean (:class:`~curation.errors.EngineUnavailable`), since
it would give other bytes.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import logging
import os
import pickle
import socket
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

from curation.errors import CurationError, EngineUnavailable, RaisedInWorker
from curation.pipeline import CorpusPass, Pipeline, run_steps
from curation.publish.summary import library_versions
from curation.record import Record, whole_records
from curation.rules import RuleSet
from curation.steps import STEPS
from curation.steps.base import Step

RAY_ADDRESS = "RAY_ADDRESS"

MISSING_RAY = (
    "--engine ray needs Ray, which is not installed here: "
    '`pip install "curation[publish,ray]"` (or `pip install -r requirements.lock`), '
    "or build with the local engine (no --engine)"
)

# Batches handed to Ray at a time, per CPU of the cluster: enough that no CPU waits
# while the driver writes what came back, few enough that only so many batches are
# held in memory at once (the local engine's window is also 4 per job).
BATCHES_PER_CPU = 4

# Pickle protocol of the batches in transit: 5 (Python 3.8+) keeps numpy buffers whole.
PICKLE_PROTOCOL = 5


def import_ray() -> ModuleType:
    """``ray`` with Ray Data, or :class:`EngineUnavailable` saying how to install it."""
    try:
        ray = importlib.import_module("ray")
        importlib.import_module("ray.data")  # the engine is built on Ray Data
    except ModuleNotFoundError as error:
        if error.name is not None and error.name.split(".")[0] != "ray":
            raise  # a dependency of ray's is missing: that is not this message
        raise EngineUnavailable(MISSING_RAY) from error
    return ray


@contextlib.contextmanager
def ray_session(jobs: int) -> Iterator[ModuleType]:
    """Ray, started for this build (and shut down after it) unless this process already has one."""
    ray = import_ray()
    if ray.is_initialized():
        yield ray
        return
    address = os.environ.get(RAY_ADDRESS) or None
    ray.init(
        address=address,
        # A cluster has the CPUs it has; a private local Ray gets --jobs of this machine's.
        num_cpus=None if address else max(1, jobs),
        include_dashboard=False,
        # Ray's start-up notices are not the build's output; its errors still are.
        logging_level=logging.ERROR,
        # Workers print nothing of ours; Ray's own worker chatter is not the build's output.
        log_to_driver=False,
    )
    try:
        yield ray
    finally:
        ray.shutdown()


@dataclass(frozen=True)
class WorkerContext:
    """What every Ray task needs besides its batch: shipped once, kept per worker process.

    The registry's steps travel by name (a worker imports the same ``curation``);
    any other step, by value. Rules and corpus passes travel by value.
    """

    steps: tuple[Step | str, ...]
    rules: RuleSet
    passes: tuple[CorpusPass, ...]
    libraries: dict[str, str]

    @classmethod
    def of(cls, pipeline: Pipeline) -> WorkerContext:
        steps = tuple(s.name if STEPS.get(s.name) is s else s for s in pipeline.steps)
        return cls(steps, pipeline.rules, tuple(pipeline.corpus_passes), library_versions())

    def resolved_steps(self) -> list[Step]:
        return [STEPS[step] if isinstance(step, str) else step for step in self.steps]


# The context a worker process last fetched and its steps, by the driver's key for
# it (a new one each build), so a worker that runs many tasks fetches it once.
_worker_context: tuple[str, WorkerContext, list[Step]] | None = None


def _context(key: str, shipped: Any) -> tuple[WorkerContext, list[Step]]:
    global _worker_context
    if _worker_context is None or _worker_context[0] != key:
        import ray

        # Ray Data may hand the reference over as it is or already resolved.
        context = ray.get(shipped) if isinstance(shipped, ray.ObjectRef) else shipped
        assert isinstance(context, WorkerContext)
        _check_libraries(context.libraries)
        _worker_context = (key, context, context.resolved_steps())
    return _worker_context[1], _worker_context[2]


def _check_libraries(driver: dict[str, str]) -> None:
    """Refuse to clean with other library versions than the driver's: other bytes would come out."""
    here = library_versions()
    differ = sorted(name for name in driver if here.get(name) != driver[name])
    if differ:
        versions = ", ".join(f"{n} {here.get(n)} (driver: {driver[n]})" for n in differ)
        raise EngineUnavailable(
            f"a Ray worker on {socket.gethostname()} runs {versions}: every node of the "
            "cluster must install the same requirements.lock and curation as the driver"
        )


def clean_unit(unit: bytes, context: WorkerContext, steps: Sequence[Step]) -> bytes:
    """One pickled batch of records cleaned, with each corpus pass's per-record keys, as a
    pickle for the driver."""
    records = pickle.loads(unit)
    cleaned, reports = run_steps(steps, records, context.rules)
    keys: list[dict[str, Any]] = []
    current = cleaned
    for corpus_pass in context.passes:
        keys.append({r.id: corpus_pass.record_key(r) for r in current})
        if corpus_pass.rewrites:  # the next passes see the rewritten records
            current = [keys[-1][r.id] for r in current]
    return pickle.dumps(("cleaned", (cleaned, reports, keys)), protocol=PICKLE_PROTOCOL)


def _clean_batch(columns: dict[str, np.ndarray], key: str, shipped: Any) -> dict[str, np.ndarray]:
    """The Ray Data map: each row's unit cleaned (rows keep their index, for the order check).

    An error of ours comes back as the row's result, not raised: Ray would wrap it
    and lose it, and the build must fail with its message and exit code.
    """
    results = []
    for unit in columns["unit"]:
        try:
            results.append(clean_unit(bytes(unit), *_context(key, shipped)))
        except CurationError as error:
            failed = RaisedInWorker(str(error), error.exit_code)
            results.append(pickle.dumps(("failed", failed), protocol=PICKLE_PROTOCOL))
    return {"index": columns["index"], "result": np.array(results, dtype=object)}


def run_on_ray(
    pipeline: Pipeline, batches: Iterable[Sequence[Record]], *, jobs: int = 1
) -> Iterator[list[Record]]:
    """Like :meth:`Pipeline.run`: cleaned, deduplicated batches in input order, cleaned on Ray.

    Raises :class:`EngineUnavailable` at once if Ray is not installed.
    """
    import_ray()
    units = (pickle.dumps(batch, protocol=PICKLE_PROTOCOL) for batch in batches)
    return _run(pipeline, units, jobs)


def _run(pipeline: Pipeline, units: Iterator[bytes], jobs: int) -> Iterator[list[Record]]:
    with ray_session(jobs) as ray, _quiet_ray_data(ray) as data:
        shipped = ray.put(WorkerContext.of(pipeline))
        key = shipped.hex()
        cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        index = 0
        while window := list(itertools.islice(units, BATCHES_PER_CPU * cpus)):
            items = [{"index": index + i, "unit": unit} for i, unit in enumerate(window)]
            dataset = data.from_items(items, override_num_blocks=len(items)).map_batches(
                _clean_batch,
                batch_size=1,
                batch_format="numpy",
                fn_kwargs={"key": key, "shipped": shipped},
                num_cpus=1,
            )
            for row in dataset.iter_rows():
                if row["index"] != index:  # preserve_order is set: this would be a Ray bug
                    raise RuntimeError(f"Ray returned batch {row['index']}, expected {index}")
                index += 1
                outcome, result = pickle.loads(row["result"])
                if outcome == "failed":
                    raise result
                records, reports, keys = result
                if kept := pipeline.pass_corpus(records, reports, keys):
                    yield whole_records(kept)  # Records only: Ray builds use no cache


@contextlib.contextmanager
def _quiet_ray_data(ray: ModuleType) -> Iterator[ModuleType]:
    """Ray Data, set to keep input order and print no progress bars; the settings restored after."""
    data = ray.data
    context = data.DataContext.get_current()
    saved = (context.execution_options.preserve_order, context.enable_progress_bars)
    # The corpus passes must see batches in input order: survivors are the smallest ids.
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    # Ray Data announces each dataset it runs (and that its progress bars are off).
    logger = logging.getLogger("ray.data")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield data
    finally:
        context.execution_options.preserve_order, context.enable_progress_bars = saved
        logger.setLevel(level)
