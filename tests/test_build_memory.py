"""What a build holds in memory: the mechanisms, not a measurement (that is ``nox -s bench``).

Every process of a build counts what it holds, shared pages included: a module
imported before the workers fork is counted once per worker. These tests check
that a build never imports what only other commands need, and that the process
that forks the workers loads none of the steps' models.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.test_build import make_project

REPO = Path(__file__).resolve().parent.parent

# Heavy libraries that only other commands need: ``datasets`` (and pandas with it)
# for ``release`` and the tests that load the dataset, datasketch (and scipy with
# it) for the MinHash objects and LSH index of ``check`` and ``add-seed``.
NOT_FOR_BUILDING = ("datasets", "pandas", "scipy", "datasketch")


def run_python(code: str, cwd: Path) -> object:
    """Run ``code`` in a fresh interpreter in ``cwd``; the JSON it prints last."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        env={**__import__("os").environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_a_build_imports_no_library_it_does_not_need(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    code = f"""
import json, sys
from curation.cli import main
assert main(["build", "-q", "--no-cache"]) == 0
print(json.dumps([name for name in {NOT_FOR_BUILDING!r} if name in sys.modules]))
"""
    assert run_python(code, project) == []
    assert (project / "dist" / "README.md").is_file()


def test_the_workers_inherit_no_model() -> None:
    # With jobs > 1 this process cleans too, beside jobs - 1 workers; it must fork them
    # before it loads word lists or the language model, whose pages every worker would
    # otherwise count again. Each worker says what it had loaded before its first piece.
    code = """
import json, os
from pathlib import Path
from typing import Any

import pytest
from curation import pipeline
from curation.rules import load_rules
from curation.seeds import iter_seed_batches, validate_seeds
from curation.steps import PIPELINE
from curation.steps.identify_language import language_identifier
from curation.word_frequency import frequency_table

parent = os.getpid()
first_piece: dict[int, list[int]] = {}

def clean(batch):
    loaded = [frequency_table.cache_info().currsize, language_identifier.cache_info().currsize]
    records, _ = pipeline.run_steps(PIPELINE, batch, load_rules())
    return [(os.getpid(), loaded, len(records))]

seeds = validate_seeds(Path("seeds"))
said = [
    said
    for result in pipeline._parallel(
        PIPELINE, load_rules(), iter_seed_batches(seeds, 1), 2, clean, lambda parts: parts[0]
    )
    for said in result
]
workers = {}
for pid, loaded, _ in said:
    if pid != parent:
        workers.setdefault(pid, loaded)
print(json.dumps([sum(n for *_, n in said), len({pid for pid, *_ in said} - {parent}),
                  list(workers.values()), any(pid == parent for pid, *_ in said)]))
"""
    records, workers, first_loaded, parent_cleaned = run_python(code, REPO)  # type: ignore[misc]
    assert records > 0
    assert workers == 1
    assert first_loaded == [[0, 0]]
    assert parent_cleaned


def test_the_build_holds_its_own_cleaning_back_while_a_row_group_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build hands its pipeline the Parquet writer's row group in progress
    (``ParquetShards.writing``) as what holds the writing process's own cleaning back,
    and the pipeline asks it as it goes."""
    from curation import build as build_module
    from curation.build import BuildOptions, build_into
    from curation.publish.parquet import ParquetShards

    asked: list[object] = []
    real_writing = ParquetShards.writing

    def writing(self: ParquetShards) -> object:
        asked.append(self)
        return real_writing(self)

    monkeypatch.setattr(ParquetShards, "writing", writing)
    bound: list[object] = []
    real_run_stored = build_module.Pipeline.run_stored

    def run_stored(self: build_module.Pipeline, *args: Any, **kwargs: Any) -> Any:
        bound.append(self.busy)
        return real_run_stored(self, *args, **kwargs)

    monkeypatch.setattr(build_module.Pipeline, "run_stored", run_stored)
    project = make_project(tmp_path / "project")
    target = tmp_path / "dist"
    target.mkdir()
    options = BuildOptions(
        seeds_dir=project / "seeds",
        dist_dir=target,
        pyproject=project / "pyproject.toml",
        batch_size=1,  # several batches, so this process has pieces of its own to clean
        jobs=2,
    )
    build_into(target, options)
    assert len(bound) == 1 and getattr(bound[0], "__func__", None) is writing
    assert asked and all(isinstance(shards, ParquetShards) for shards in asked)


# A memo of a cleaning step holds an entry per text, paragraph or word it was asked
# about, in every process that cleans: an lru_cache entry of a short string is some
# 230 bytes. Up to this many entries, a memo is full (and so flat) well before a
# 10,000-document build ends; a larger one goes on growing past it (remove_repeats
# had one of 65,536 words: 14 MiB a process at 100,000 documents, 3 at 10,000).
MEMO_ENTRIES_AT_MOST = 16384
# Memos with one entry per language (a word list): a few, however large the corpus.
PER_LANGUAGE = {"curation.word_frequency.frequency_table"}


def test_every_memo_of_the_cleaning_steps_is_bounded() -> None:
    """Every function of the steps' modules (and the word lists') that remembers its
    answers by its arguments keeps at most MEMO_ENTRIES_AT_MOST of them; one without
    arguments (a table loaded once) may keep its one answer."""
    import importlib
    import inspect
    import pkgutil

    import curation.steps

    modules = [
        importlib.import_module(f"curation.steps.{info.name}")
        for info in pkgutil.iter_modules(curation.steps.__path__)
    ] + [importlib.import_module("curation.word_frequency")]
    memos = {}
    for module in modules:
        for name, value in vars(module).items():
            if callable(getattr(value, "cache_info", None)):
                memos[f"{module.__name__}.{name}"] = value
    assert "curation.word_frequency.zipf_frequency" in memos  # the search finds them
    unbounded = {}
    for name, memo in memos.items():
        takes_arguments = bool(inspect.signature(memo.__wrapped__).parameters)
        size = memo.cache_info().maxsize
        if name in PER_LANGUAGE:
            continue
        if takes_arguments and (size is None or size > MEMO_ENTRIES_AT_MOST):
            unbounded[name] = size
    assert unbounded == {}
