"""`curation release` stopped at every step of its commit phase: all or nothing.

A kill at any step (a copy of the repository, .git included, taken at the step)
leaves a journal; the next `release` undoes the half-made release -- HEAD, tags,
index, work tree as before it -- or, once the tag was made, finishes it, and says
so; run again, it makes the same release commit (same hash: dates are pinned).
SIGINT and SIGTERM at the same steps undo it at once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from curation.writer_lock import LOCK_NAME
from tests.release.conftest import (
    GIT_ENV,
    NEW_SEED_TEXT,
    NEW_SEED_TITLE,
    State,
    add_seed,
    git,
    make_repository,
    state,
)
from tests.safety.conftest import run_cli
from tests.safety.faults import SIGNALS, copy_of, raise_at, snapshot_every_step

# Commits and tags made in different copies are the same objects: same dates.
PINNED_DATES = {
    "GIT_AUTHOR_DATE": "2026-11-22T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-11-22T12:00:00+00:00",
}
RELEASE = ["release", "--bump", "minor", "--date", "2026-11-22"]
UNDONE = "undid an interrupted release of v1.1.0: HEAD, the index, pyproject.toml, CHANGELOG.md"
FINISHED = "an interrupted release had made v1.1.0 (commit and tag): finished it"
# step -> the state the next command finds ("before" the release, or "after" it)
STEPS = {
    "release.started": "before",
    "release.journal_written": "before",
    "release.pyproject_written": "before",
    "release.changelog_written": "before",
    "release.dist_moved_aside": "before",
    "release.dist_in_place": "before",
    "release.staged": "before",
    "release.committed": "before",
    "release.tagged": "after",
    "release.old_dist_removed": "after",
}


@dataclass
class Story:
    repository: Path  # v1.0.0 released, then a seed committed: ready for v1.1.0
    states: dict[str, State] = field(default_factory=dict)
    snapshots: Path = Path()
    steps: list[str] = field(default_factory=list)


@pytest.fixture(autouse=True)
def pinned_git(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {**GIT_ENV, **PINNED_DATES}.items():
        monkeypatch.setenv(name, value)


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    base = tmp_path_factory.mktemp("release-faults")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {**GIT_ENV, **PINNED_DATES}.items():
            patch.setenv(name, value)
        repository = make_repository(base / "base" / "repository")
        assert run_cli(repository, "release", "--date", "2026-11-20").code == 0
        number = len(list((repository / "seeds").glob("*.txt")))
        add_seed(repository / "seeds", number, NEW_SEED_TEXT, NEW_SEED_TITLE)
        (repository / "seeds" / ".last-id").write_text(f"{number:03d}\n", encoding="utf-8")
        git(repository, "add", "--all")
        git(repository, "commit", "--quiet", "--message", "Add a seed")
        made = Story(repository, snapshots=base / "snapshots")
        made.states["before"] = state(repository)
        finished = copy_of(repository, base / "finished")
        assert run_cli(finished, *RELEASE).code == 0
        made.states["after"] = state(finished)
        running = copy_of(repository, base / "running")
        with snapshot_every_step(running, made.snapshots) as steps:
            assert run_cli(running, *RELEASE).code == 0
        assert state(running) == made.states["after"]
        made.steps = steps
    return made


def test_every_step_is_tested(story: Story) -> None:
    assert story.steps == list(STEPS)


@pytest.mark.parametrize("step", list(STEPS))
def test_killed_at_a_step_the_next_release_rolls_it_back_or_forward(
    step: str, story: Story, tmp_path: Path
) -> None:
    """The next release recovers first; stopped right after that, the state is exact."""
    repository = copy_of(story.snapshots / step / "repository", tmp_path)
    with raise_at("release.started", KeyboardInterrupt):
        result = run_cli(repository, *RELEASE)
    assert result.code == 130
    outcome = STEPS[step]
    if step != "release.started":
        assert (UNDONE if outcome == "before" else FINISHED) in result.err
    assert state(repository) == story.states[outcome]


@pytest.mark.parametrize("step", list(STEPS))
def test_killed_at_a_step_the_next_release_makes_the_same_release(
    step: str, story: Story, tmp_path: Path
) -> None:
    repository = copy_of(story.snapshots / step / "repository", tmp_path)
    result = run_cli(repository, *RELEASE)
    if STEPS[step] == "before":
        assert result.code == 0, result.err
        assert "released v1.1.0" in result.out
    else:
        assert result.code == 4
        assert "nothing to release: HEAD is v1.1.0" in result.err
    assert state(repository) == story.states["after"]


@pytest.mark.parametrize("step", list(STEPS))
def test_sigterm_at_a_step_undoes_the_release_or_lets_it_stand(
    step: str, story: Story, tmp_path: Path
) -> None:
    repository = copy_of(story.repository, tmp_path)
    error, code, headline = SIGNALS["SIGTERM"]
    with raise_at(step, error):
        result = run_cli(repository, *RELEASE)
    assert result.code == code
    assert f"curation release: {headline}\n" in result.err
    said = {
        "release.started": "stopped before it changed anything",
        "release.tagged": "v1.1.0 was already made (commit and tag): the release stands",
        "release.old_dist_removed": "v1.1.0 was already made (commit and tag): the release stands",
    }.get(step, "the release was undone: HEAD, the index, pyproject.toml, CHANGELOG.md and dist/")
    assert said in result.err
    assert state(repository) == story.states[STEPS[step]]


def test_sigint_while_committing_undoes_the_release(story: Story, tmp_path: Path) -> None:
    repository = copy_of(story.repository, tmp_path)
    with raise_at("release.staged", KeyboardInterrupt):
        result = run_cli(repository, *RELEASE)
    assert result.code == 130
    assert "the release was undone" in result.err
    assert state(repository) == story.states["before"]


def test_verify_also_undoes_an_interrupted_release_and_check_only_says_so(
    story: Story, tmp_path: Path
) -> None:
    repository = copy_of(story.snapshots / "release.committed" / "repository", tmp_path)
    checked = run_cli(repository, "check")
    assert checked.code == 0
    assert "a `curation release` of v1.1.0 was stopped part way; run `curation release`" in (
        checked.err
    )
    assert (repository / ".dist.journal").is_file()  # check leaves it: it may run in a hook
    verified = run_cli(repository, "verify")
    assert UNDONE in verified.err
    assert verified.code == 3  # dist/ is v1.0.0's again, and HEAD has a seed more
    assert state(repository) == story.states["before"]


def test_a_journal_is_not_undone_once_head_has_moved_on(story: Story, tmp_path: Path) -> None:
    repository = copy_of(story.snapshots / "release.committed" / "repository", tmp_path)
    git(repository, "commit", "--quiet", "--allow-empty", "--message", "Something else")
    (repository / LOCK_NAME).unlink()  # left by the kill; any run removes it
    before = state(repository)
    result = run_cli(repository, *RELEASE)
    assert result.code == 4
    assert "a release of v1.1.0 was stopped part way, but HEAD has moved on" in result.err
    assert "'Something else'" in result.err
    assert state(repository) == before


@pytest.mark.slow
def test_a_real_sigkill_after_the_commit_is_undone_by_the_next_release(
    story: Story, tmp_path: Path
) -> None:
    repository = copy_of(story.repository, tmp_path)
    killed = subprocess.run(
        [sys.executable, "-m", "curation", *RELEASE],
        cwd=repository,
        env={**os.environ, "CURATION_FAULT_AT": "release.committed"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert killed.returncode == -9
    assert git(repository, "log", "-1", "--format=%s") == "Release v1.1.0\n"
    assert git(repository, "tag", "--list") == "v1.0.0\n"  # the commit without its tag
    result = run_cli(repository, *RELEASE)
    assert result.code == 0, result.err
    assert UNDONE in result.err
    assert state(repository) == story.states["after"]


def test_release_finds_a_build_killed_mid_swap_and_undoes_it(story: Story, tmp_path: Path) -> None:
    repository = copy_of(story.repository, tmp_path / "running")
    with snapshot_every_step(repository, tmp_path / "snapshots"):
        assert run_cli(repository, "build").code == 0
    killed = copy_of(tmp_path / "snapshots" / "build.swap.old_moved_aside" / "repository", tmp_path)
    assert not (killed / "dist").exists()
    result = run_cli(killed, *RELEASE)
    assert result.code == 0, result.err
    assert "undid an interrupted build's swap: dist/ is as it was" in result.err
    assert state(killed) == story.states["after"]
