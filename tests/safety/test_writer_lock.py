"""One writer at a time: a second build, release or add-seed refuses while one runs.

The other writer is a real second process: one that holds the lock file as
`curation` does, or a `curation build` stopped (SIGSTOP, by the fault-injection
hook) in the middle of its work. No test waits for a time to pass.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from curation.writer_lock import LOCK_NAME
from tests.contribute.synthetic_text import GERMAN_NEWS
from tests.release.conftest import GIT_ENV, git, make_repository
from tests.safety.conftest import folder_state, run_cli
from tests.test_build import build_in, make_project

HOLD_LOCK = """
import fcntl, os, sys
descriptor = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(descriptor, fcntl.LOCK_EX)
os.write(descriptor, f"{os.getpid()} curation build\\n".encode())
print("locked", flush=True)
sys.stdin.read()  # hold it until the test closes our input
"""


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("pristine") / "project")
    assert build_in(project) == 0
    return project


@pytest.fixture
def project(pristine: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(pristine, copy)
    (copy / "incoming").mkdir()
    (copy / "incoming" / "de.txt").write_text(GERMAN_NEWS, encoding="utf-8")
    return copy


@pytest.fixture
def holder(project: Path) -> Iterator[subprocess.Popen[str]]:
    """A second process holding the project's lock, as a running `curation build` does."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(project / LOCK_NAME)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    ) as process:
        assert process.stdout is not None and process.stdout.readline() == "locked\n"
        yield process
        assert process.stdin is not None
        process.stdin.close()
        process.wait()


COMMANDS = {
    "build": ["build"],
    "add-seed": ["add-seed", "incoming/de.txt", "--license", "CC0", "--provenance", "test"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_second_writer_is_refused_and_changes_nothing(
    command: str, project: Path, holder: subprocess.Popen[str]
) -> None:
    before = folder_state(project)
    result = run_cli(project, *COMMANDS[command])
    assert result.code == 75, result.err
    assert f"`curation build` (process {holder.pid}) is writing here" in result.err
    assert str(project / LOCK_NAME) in result.err
    assert f"run `curation {command}` again" in result.err
    assert folder_state(project) == before


def test_a_second_release_is_refused_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    repository = make_repository(tmp_path / "repository")
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(repository / LOCK_NAME)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    ) as process:
        assert process.stdout is not None and process.stdout.readline() == "locked\n"
        before = folder_state(repository)
        result = run_cli(repository, "release")
        assert process.stdin is not None
        process.stdin.close()
    assert result.code == 75, result.err
    assert f"(process {process.pid}) is writing here" in result.err
    assert folder_state(repository) == before
    assert git(repository, "tag", "--list") == ""


def test_the_lock_is_free_again_once_its_holder_ends(
    project: Path, holder: subprocess.Popen[str]
) -> None:
    assert run_cli(project, "build").code == 75
    assert holder.stdin is not None
    holder.stdin.close()
    holder.wait()  # the kernel releases a flock when its process ends, however it ends
    assert run_cli(project, "build").code == 0
    assert not (project / LOCK_NAME).exists()  # removed as it was released


def test_a_lock_file_left_behind_does_not_block(project: Path) -> None:
    (project / LOCK_NAME).write_text("999999 curation build\n", encoding="utf-8")
    assert run_cli(project, "build").code == 0
    assert not (project / LOCK_NAME).exists()


def test_readers_leave_a_writers_work_alone(project: Path, holder: subprocess.Popen[str]) -> None:
    """`check` and `verify` still run while a writer holds the lock, and recover nothing."""
    staging = project / ".dist.build-abc123"
    (staging / "dist").mkdir(parents=True)  # as if the holder were building into it
    assert run_cli(project, "check").code == 0
    assert run_cli(project, "verify").code == 0
    assert staging.is_dir()


@pytest.mark.slow
def test_a_build_that_runs_while_another_is_half_way(project: Path) -> None:
    """The first build is stopped (SIGSTOP) after its staging build, holding the lock."""
    env = {**os.environ, "CURATION_FAULT_AT": "build.staged", "CURATION_FAULT_SIGNAL": "STOP"}
    with subprocess.Popen(
        [sys.executable, "-m", "curation", "build"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    ) as first:
        _, status = os.waitpid(first.pid, os.WUNTRACED)  # returns once it has stopped
        assert os.WIFSTOPPED(status)
        before = folder_state(project)
        second = run_cli(project, "build")
        assert folder_state(project) == before
        os.kill(first.pid, signal.SIGCONT)
        out, err = first.communicate()
    assert second.code == 75
    assert f"`curation build` (process {first.pid}) is writing here" in second.err
    assert first.returncode == 0, err
    assert "wrote dist/" in out
    assert sorted(p.name for p in project.iterdir()) == [
        "dataset.toml",
        "dist",
        "incoming",
        "pyproject.toml",
        "seeds",
    ]
