"""The files recovery reads and leaves: git-ignored, and a damaged journal is a message."""

from __future__ import annotations

import json
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


@pytest.mark.parametrize(
    ("journal", "entry"),
    [
        (".dist.journal", {"operation": "swap", "new": ".dist.build-x/dist", "old": "../victim"}),
        (".dist.journal", {"operation": "swap", "new": "victim/dist", "old": ".dist.old-1"}),
        (".seeds.journal", {"operation": "add-seed", "files": {"../victim/a.txt": "0" * 64}}),
        (".dist.journal", {"operation": "rename-everything"}),
    ],
)
def test_a_journal_naming_what_the_tool_does_not_make_is_refused(
    journal: str, entry: dict[str, object], tmp_path: Path
) -> None:
    project = make_project(tmp_path / "project")
    victim = tmp_path / "project" / "victim"
    (victim / "dist").mkdir(parents=True)
    (victim / "a.txt").write_text("mine\n", encoding="utf-8")
    full = {"format": 1, "had_dest": True, "last_id_before": None, "last_id_after": "", **entry}
    (project / journal).write_text(json.dumps(full), encoding="utf-8")
    before = folder_state(tmp_path)
    result = run_cli(project, "build")
    assert result.code == 2
    assert f"{journal}: " in result.err
    assert "left as it is" in result.err
    assert folder_state(tmp_path) == before
