"""`curation build` stopped at every step of its swap: the next command recovers, nothing lost.

A kill (a copy of the project taken at the step) is found by the next build,
verify or check, which undoes the swap (dist/ as it was) or, once the new dataset
was in place, finishes it, and says so. SIGINT and SIGTERM at the same steps undo
(or finish) at once and exit 130 / 143 with a message. Real signals, sent by the
process to itself through CURATION_FAULT_AT, are checked at one step each.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from curation.release.versioning import Version, set_pyproject_version
from tests.safety.conftest import folder_state, run_cli
from tests.safety.faults import SIGNALS, copy_of, raise_at, snapshot_every_step
from tests.test_build import make_project

# step -> what the next command must find: the dataset from "before" the build or
# the "new" one, and what it says about it (None: nothing to say).
STEPS: dict[str, tuple[str, str | None]] = {
    "build.started": ("before", None),
    "build.staged": ("before", "the staging folder of a build that was stopped"),
    "build.swap.journal_written": (
        "before",
        "undid an interrupted build's swap: dist/ is as it was before that build",
    ),
    "build.swap.old_moved_aside": (
        "before",
        "undid an interrupted build's swap: dist/ is as it was before that build",
    ),
    "build.swap.new_in_place": (
        "new",
        "an interrupted build had swapped its new dataset in: dist/ is the new build",
    ),
    "build.swap.old_removed": (
        "new",
        "an interrupted build had swapped its new dataset in: dist/ is the new build",
    ),
}
PROJECT_FILES = ["dataset.toml", "dist", "pyproject.toml", "seeds"]


@dataclass
class Story:
    project: Path  # dist/ built at 1.0.0, pyproject.toml now at 1.0.1: a build changes dist/
    dist: dict[str, dict[str, str]] = field(default_factory=dict)  # "before" / "new"
    seeds: dict[str, str] = field(default_factory=dict)
    snapshots: Path = Path()
    steps: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    base = tmp_path_factory.mktemp("build-faults")
    project = make_project(base / "base" / "project")
    assert run_cli(project, "build").code == 0
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        set_pyproject_version(pyproject.read_text(encoding="utf-8"), Version(1, 0, 1)),
        encoding="utf-8",
    )
    made = Story(project, snapshots=base / "snapshots")
    made.dist["before"] = folder_state(project / "dist")
    made.seeds = folder_state(project / "seeds")
    finished = copy_of(project, base / "finished")
    assert run_cli(finished, "build").code == 0
    made.dist["new"] = folder_state(finished / "dist")
    assert made.dist["new"] != made.dist["before"]
    running = copy_of(project, base / "running")
    with snapshot_every_step(running, made.snapshots) as steps:
        assert run_cli(running, "build").code == 0
    made.steps = steps
    return made


def test_every_step_is_tested(story: Story) -> None:
    assert story.steps == list(STEPS)


def _nothing_left_behind(project: Path, story: Story) -> None:
    assert sorted(p.name for p in project.iterdir()) == PROJECT_FILES
    assert folder_state(project / "seeds") == story.seeds


@pytest.mark.parametrize("command", ["build", "verify", "check"])
@pytest.mark.parametrize("step", list(STEPS))
def test_killed_at_a_step_the_next_command_recovers(
    step: str, command: str, story: Story, tmp_path: Path
) -> None:
    project = copy_of(story.snapshots / step / "project", tmp_path)
    outcome, words = STEPS[step]
    # -q: no progress lines, so that what is said on stderr is the recovery only.
    result = run_cli(project, command, "-q")
    if words:
        assert f"curation {command}: " in result.err
        assert words in result.err
    else:
        assert f"curation {command}:" not in result.err  # nothing to recover, nothing said
    if command == "build":
        assert result.code == 0, result.err
        assert folder_state(project / "dist") == story.dist["new"]
    else:
        assert folder_state(project / "dist") == story.dist[outcome]
        # verify compares with a build of the current pyproject.toml: only "new" matches.
        assert result.code == (3 if command == "verify" and outcome == "before" else 0)
    _nothing_left_behind(project, story)


@pytest.mark.parametrize("signal_name", sorted(SIGNALS))
@pytest.mark.parametrize("step", list(STEPS))
def test_a_signal_at_a_step_undoes_or_finishes_and_says_so(
    step: str, signal_name: str, story: Story, tmp_path: Path
) -> None:
    project = copy_of(story.project, tmp_path)
    error, code, headline = SIGNALS[signal_name]
    with raise_at(step, error):
        result = run_cli(project, "build")
    outcome, _ = STEPS[step]
    assert result.code == code
    assert f"curation build: {headline}\n" in result.err
    said = {
        "build.started": "stopped before it changed anything",
        "build.staged": "the unfinished build was discarded; dist/ is as it was",
        "build.swap.journal_written": "the new build was discarded; dist/ is as it was",
        "build.swap.old_moved_aside": "the new build was discarded; dist/ is as it was",
        "build.swap.new_in_place": "the new build was already in place: dist/ holds it",
        "build.swap.old_removed": "the new build was already in place: dist/ holds it",
    }[step]
    assert f"curation build: {said}\n" in result.err
    assert folder_state(project / "dist") == story.dist[outcome]
    _nothing_left_behind(project, story)


def _build_stopped_by(
    project: Path, step: str, signal_name: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "curation", "build"],
        cwd=project,
        env={**os.environ, "CURATION_FAULT_AT": step, "CURATION_FAULT_SIGNAL": signal_name},
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


@pytest.mark.slow
def test_a_real_sigkill_between_the_renames_leaves_a_recoverable_swap(
    story: Story, tmp_path: Path
) -> None:
    project = copy_of(story.project, tmp_path)
    killed = _build_stopped_by(project, "build.swap.old_moved_aside", "KILL")
    assert killed.returncode == -9
    assert not (project / "dist").exists()  # the instant the issue describes
    assert [p.name for p in project.glob(".dist.old-*")]
    result = run_cli(project, "check")
    assert result.code == 0
    assert "undid an interrupted build's swap: dist/ is as it was" in result.err
    assert folder_state(project / "dist") == story.dist["before"]
    _nothing_left_behind(project, story)


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", sorted(SIGNALS))
def test_a_real_signal_between_the_renames_undoes_the_swap(
    signal_name: str, story: Story, tmp_path: Path
) -> None:
    project = copy_of(story.project, tmp_path)
    _, code, headline = SIGNALS[signal_name]
    stopped = _build_stopped_by(project, "build.swap.old_moved_aside", signal_name[3:])
    assert stopped.returncode == code, stopped.stderr
    assert f"curation build: {headline}\n" in stopped.stderr
    assert "the new build was discarded; dist/ is as it was" in stopped.stderr
    assert folder_state(project / "dist") == story.dist["before"]
    _nothing_left_behind(project, story)


def test_leftovers_without_a_journal_are_put_back_or_removed(story: Story, tmp_path: Path) -> None:
    """What the tool made before it kept journals, or a copy a stopped command left."""
    project = copy_of(story.project, tmp_path)
    (project / "dist").rename(project / ".dist.old-4242")
    (project / ".dist.build-k2j4_x" / "dist").mkdir(parents=True)
    (project / ".add-seed-abc123").mkdir()
    foreign = [project / ".dist.old-mine", project / ".dist.backup", project / ".add-seed"]
    for folder in foreign:
        folder.mkdir()
    result = run_cli(project, "check")
    assert result.code == 0
    assert "dist/ was missing: put back .dist.old-4242" in result.err
    assert "the staging folder of a build that was stopped" in result.err
    assert "the staging folder of an add-seed that was stopped" in result.err
    assert folder_state(project / "dist") == story.dist["before"]
    for folder in foreign:  # not named as the tool names its folders: not the tool's
        assert folder.is_dir()
        shutil.rmtree(folder)
    _nothing_left_behind(project, story)


@pytest.mark.parametrize(
    "command",
    [
        ("diff", "dist"),
        ("publish", "--dry-run", "--repo-id", "org/name"),
        ("review", "--all", "--out", "{tmp}/review"),
    ],
    ids=lambda command: command[0],
)
@pytest.mark.parametrize("step", ["build.swap.old_moved_aside", "build.swap.new_in_place"])
def test_readers_of_dist_recover_a_stopped_build_first(
    step: str, command: tuple[str, ...], story: Story, tmp_path: Path
) -> None:
    """diff, publish and review never read a dist/ that a killed build left half swapped."""
    project = copy_of(story.snapshots / step / "project", tmp_path / "copy")
    outcome, words = STEPS[step]
    result = run_cli(project, *(part.format(tmp=tmp_path) for part in command))
    assert f"curation {command[0]}: " in result.err
    assert words is not None and words in result.err
    assert folder_state(project / "dist") == story.dist[outcome]
    _nothing_left_behind(project, story)
