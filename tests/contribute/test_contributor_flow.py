"""The issue's "done when", as a new contributor does it, on a copy of the repository.

A news text in a language the corpus does not have yet (Ukrainian; synthetic test
data written for this test, see synthetic_text.py) is added with `curation add-seed`,
`curation check` passes, `curation review` writes its page, `curation build` publishes
it, `curation verify` passes, and adding the same file again is refused with the reason.
Every command runs as a separate process, as typed in a terminal.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.contribute.conftest import tree_state
from tests.contribute.synthetic_text import UKRAINIAN_NEWS
from tests.review.page_text import ReviewPage
from tests.test_build import make_project

REPO = Path(__file__).resolve().parents[2]


def curation(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "curation", *args],
        cwd=project,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


@pytest.mark.slow
def test_a_new_contributor_adds_a_seed_in_a_new_language(tmp_path: Path) -> None:
    project = make_project(tmp_path / "clone")
    languages_before = {
        code
        for p in (project / "seeds").glob("*.json")
        for code in json.loads(p.read_text(encoding="utf-8"))["languages"] or []
    }
    assert "uk" not in languages_before
    (project / "incoming").mkdir()
    (project / "incoming" / "kyiv-warsaw.txt").write_text(UKRAINIAN_NEWS, encoding="utf-8")

    added = curation(
        project,
        "add-seed",
        "incoming/kyiv-warsaw.txt",
        "--url",
        "https://news.example.org/2026/kyiv-warsaw-data-centres",
        "--license",
        "CC BY 4.0 (stated at the foot of the page)",
        "--language",
        "uk",
        "--contributor",
        "new-contributor",
    )
    assert added.returncode == 0, added.stderr
    seed_id = f"005_{hashlib.sha256(UKRAINIAN_NEWS.encode()).hexdigest()[:16]}"
    assert f"added seed {seed_id}" in added.stdout
    assert "language detected: uk" in added.stdout

    checked = curation(project, "check")
    assert checked.returncode == 0, checked.stderr
    assert "6 seeds, no problems" in checked.stdout

    reviewed = curation(project, "review", seed_id)
    assert reviewed.returncode == 0, reviewed.stderr
    page = ReviewPage((project / "review" / f"{seed_id}.html").read_text(encoding="utf-8"))
    assert page.panes["raw"] == [UKRAINIAN_NEWS]
    assert page.marks  # the hard line wraps are joined, and shown
    assert f"### {seed_id}" in (project / "review" / "summary.md").read_text(encoding="utf-8")

    built = curation(project, "build")
    assert built.returncode == 0, built.stderr
    assert "uk 1" in built.stdout
    manifest = json.loads((project / "dist" / "manifest.json").read_text(encoding="utf-8"))
    assert seed_id in manifest["seeds"]
    assert manifest["records"]["by_language"]["uk"] == 1

    verified = curation(project, "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr

    before = tree_state(project)
    again = curation(
        project,
        "add-seed",
        "incoming/kyiv-warsaw.txt",
        "--url",
        "https://x.example",
        "--license",
        "x",
    )
    assert again.returncode == 2
    assert f"identical to seed {seed_id} (same sha256)" in again.stderr
    assert tree_state(project) == before
