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


def test_the_forking_process_loads_no_model(tmp_path: Path) -> None:
    # With jobs > 1 the steps run in the workers only: the parent, whose pages every
    # worker would count again, loads neither word lists nor the language model.
    code = """
import json
from pathlib import Path
from curation.pipeline import Pipeline
from curation.rules import load_rules
from curation.seeds import iter_seed_batches, validate_seeds
from curation.steps import PIPELINE
from curation.steps.identify_language import language_identifier
from curation.word_frequency import frequency_table

seeds = validate_seeds(Path("seeds"))
pipeline = Pipeline(PIPELINE, [], load_rules())
records = [r for batch in pipeline.run(iter_seed_batches(seeds, 2), jobs=2) for r in batch]
print(json.dumps([len(records), frequency_table.cache_info().currsize,
                  language_identifier.cache_info().currsize]))
"""
    records, tables, models = run_python(code, REPO)  # type: ignore[misc]
    assert records > 0
    assert (tables, models) == (0, 0)
