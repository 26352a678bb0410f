"""The files recovery reads and leaves: git-ignored, and a damaged journal is a message."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.safety.conftest import folder_state, run_cli
from tests.test_build import build_in, make_project

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "name",
    [
        ".curation.lock",
        ".dist.journal",
        ".dist.journal.tmp",
        ".seeds.journal",
        ".dist.build-k2j4_x",
        ".dist.old-4242",
        ".dist.before-v1.2.3",
        ".add-seed-abc123",
    ],
)
def test_what_commands_leave_while_they_run_is_git_ignored(name: str) -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", "--quiet", "--no-index", name], cwd=REPO, check=False
    )
    assert ignored.returncode == 0, f"{name} is not in .gitignore"


def test_a_damaged_journal_is_named_and_nothing_is_touched(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    assert build_in(project) == 0
    (project / ".dist.journal").write_text('{"operation": "swap", "new":', encoding="utf-8")
    (project / ".dist.old-77").mkdir()
    shutil.copytree(project / "dist", project / ".dist.old-77" / "copy")
    before = folder_state(project)
    result = run_cli(project, "build")
    assert result.code == 2
    assert ".dist.journal: an interrupted operation's journal that cannot be read" in result.err
    assert "then delete the journal" in result.err
    assert folder_state(project) == before
