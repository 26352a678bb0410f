"""`curation add-seed` stopped at every step: never a seed without its sidecar.

A kill at any step (a copy of the project taken at the step) is found by the next
add-seed, which undoes the half-made addition and adds the seed again under the
same number, or, once ``.last-id`` had moved, keeps it; `check` recovers too.
SIGINT and SIGTERM at the same steps undo it at once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.contribute.synthetic_text import GERMAN_NEWS
from tests.safety.conftest import folder_state, run_cli
from tests.safety.faults import SIGNALS, copy_of, raise_at, snapshot_every_step
from tests.test_build import make_project

ADD = ["add-seed", "incoming/de.txt", "--license", "CC0", "--provenance", "Written for a test"]
UNDONE = "undid an interrupted add-seed of 005_"
FINISHED = "an interrupted add-seed had finished: seed 005_"
STAGING = "the staging folder of an add-seed that was stopped"
# step -> the state the next command finds ("before" the add-seed, or "after"), and what it says
STEPS: dict[str, tuple[str, str | None]] = {
    "add_seed.started": ("before", None),
    "add_seed.staged": ("before", STAGING),
    "add_seed.journal_written": ("before", UNDONE),
    "add_seed.text_moved": ("before", UNDONE),
    "add_seed.sidecar_moved": ("before", UNDONE),
    "add_seed.last_id_moved": ("after", FINISHED),
    "add_seed.journal_removed": ("after", STAGING),
}


@dataclass
class Story:
    project: Path
    states: dict[str, dict[str, str]] = field(default_factory=dict)
    snapshots: Path = Path()
    steps: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    base = tmp_path_factory.mktemp("add-seed-faults")
    project = make_project(base / "base" / "project")
    (project / "incoming").mkdir()
    (project / "incoming" / "de.txt").write_text(GERMAN_NEWS, encoding="utf-8")
    made = Story(project, snapshots=base / "snapshots")
    made.states["before"] = folder_state(project)
    finished = copy_of(project, base / "finished")
    assert run_cli(finished, *ADD).code == 0
    made.states["after"] = folder_state(finished)
    running = copy_of(project, base / "running")
    with snapshot_every_step(running, made.snapshots) as steps:
        assert run_cli(running, *ADD).code == 0
    made.steps = steps
    return made


def test_every_step_is_tested(story: Story) -> None:
    assert story.steps == list(STEPS)


@pytest.mark.parametrize("step", list(STEPS))
def test_killed_at_a_step_the_next_add_seed_recovers_and_adds_it(
    step: str, story: Story, tmp_path: Path
) -> None:
    project = copy_of(story.snapshots / step / "project", tmp_path)
    outcome, words = STEPS[step]
    result = run_cli(project, *ADD)
    if words:
        assert words in result.err
    if outcome == "before":
        assert result.code == 0, result.err
        assert "added seed 005_" in result.out
    else:
        assert result.code == 2
        assert "identical to seed 005_" in result.err  # it is in already
    assert folder_state(project) == story.states["after"]


@pytest.mark.parametrize("step", list(STEPS))
def test_killed_at_a_step_check_recovers(step: str, story: Story, tmp_path: Path) -> None:
    project = copy_of(story.snapshots / step / "project", tmp_path)
    outcome, words = STEPS[step]
    result = run_cli(project, "check")
    assert result.code == 0, result.err
    if words:
        assert words in result.err
    assert folder_state(project) == story.states[outcome]


@pytest.mark.parametrize("signal_name", sorted(SIGNALS))
@pytest.mark.parametrize("step", list(STEPS))
def test_a_signal_at_a_step_undoes_the_addition_or_keeps_it(
    step: str, signal_name: str, story: Story, tmp_path: Path
) -> None:
    project = copy_of(story.project, tmp_path)
    error, code, headline = SIGNALS[signal_name]
    with raise_at(step, error):
        result = run_cli(project, *ADD)
    outcome, _ = STEPS[step]
    assert result.code == code
    assert f"curation add-seed: {headline}\n" in result.err
    said = {
        "add_seed.started": "stopped before it changed anything",
        "add_seed.staged": "stopped before it changed anything",
        "add_seed.last_id_moved": "the seed was already in seeds/: it stays",
        "add_seed.journal_removed": "the seed was already in seeds/: it stays",
    }.get(step, "seeds/ is as it was: nothing was added")
    assert f"curation add-seed: {said}\n" in result.err
    assert folder_state(project) == story.states[outcome]


@pytest.mark.slow
def test_a_real_sigkill_between_text_and_sidecar(story: Story, tmp_path: Path) -> None:
    project = copy_of(story.project, tmp_path)
    killed = subprocess.run(
        [sys.executable, "-m", "curation", *ADD],
        cwd=project,
        env={**os.environ, "CURATION_FAULT_AT": "add_seed.text_moved"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert killed.returncode == -9
    texts = {p.stem for p in (project / "seeds").glob("005_*.txt")}
    sidecars = {p.stem for p in (project / "seeds").glob("005_*.json")}
    assert texts and not sidecars  # the seed without its sidecar the issue describes
    result = run_cli(project, *ADD)
    assert result.code == 0, result.err
    assert UNDONE in result.err
    assert folder_state(project) == story.states["after"]
