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
