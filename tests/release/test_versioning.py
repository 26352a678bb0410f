"""Versions, the pyproject edit, the changelog, and the doctests of curation.release."""

from __future__ import annotations

import doctest
import importlib
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from curation.release.changelog import PREAMBLE, TITLE, prepend_entry, release_date
from curation.release.versioning import Bump, Version, set_pyproject_version

CASES = json.loads((Path(__file__).parent / "cases" / "versions.json").read_text(encoding="utf-8"))
REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("case", CASES["bumps"], ids=lambda c: c["label"])
def test_bumps(case: dict[str, Any]) -> None:
    bumped = Version.parse(case["input"]).bumped(Bump.parse(case["bump"]))
    assert str(bumped) == case["expected"], case["comment"]
    assert bumped > Version.parse(case["input"])


@pytest.mark.parametrize("case", CASES["not_versions"], ids=lambda c: c["label"])
def test_not_versions_are_refused(case: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="not a version"):
        Version.parse(case["input"])


@pytest.mark.parametrize("case", CASES["not_release_tags"], ids=lambda c: c["label"])
def test_other_tags_are_not_releases(case: dict[str, Any]) -> None:
    assert Version.from_tag(case["input"]) is None


def test_versions_sort_by_number() -> None:
    tags = ["v1.10.0", "v1.9.0", "v2.0.0", "v1.9.10"]
    ordered = sorted(v for t in tags if (v := Version.from_tag(t)) is not None)
    assert [v.tag for v in ordered] == ["v1.9.0", "v1.9.10", "v1.10.0", "v2.0.0"]


def test_bump_names() -> None:
    assert [str(b) for b in Bump] == ["patch", "minor", "major"]
    assert Bump.PATCH < Bump.MINOR < Bump.MAJOR
    with pytest.raises(ValueError, match="patch, minor, major"):
        Bump.parse("huge")


def test_pyproject_edit_changes_only_the_dataset_version_line() -> None:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    edited = set_pyproject_version(text, Version(7, 8, 9))
    assert tomllib.loads(edited)["tool"]["curation"]["version"] == "7.8.9"
    before, after = text.splitlines(keepends=True), edited.splitlines(keepends=True)
    differing = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(differing) == 1
    # The package's own version in [project] is not the dataset's.
    assert tomllib.loads(edited)["project"]["version"] == tomllib.loads(text)["project"]["version"]


def test_pyproject_edit_keeps_line_endings_and_comments() -> None:
    text = "[tool.curation]\r\nname = \"x\"\r\nversion = '1.0.0'   # bumped by release\r\n"
    assert set_pyproject_version(text, Version(1, 0, 1)) == (
        "[tool.curation]\r\nname = \"x\"\r\nversion = '1.0.1'   # bumped by release\r\n"
    )


@pytest.mark.parametrize(
    "text",
    ['[project]\nversion = "1.0.0"\n', '[tool.curation]\nname = "x"\n[other]\nversion = "1"\n'],
    ids=["no table", "version in another table"],
)
def test_pyproject_edit_refuses_without_a_version_line(text: str) -> None:
    with pytest.raises(ValueError, match=r"\[tool.curation\]"):
        set_pyproject_version(text, Version(1, 0, 0))


def test_changelog_entries_go_first_and_keep_the_rest() -> None:
    first = prepend_entry(None, "## [1.0.0] - 2026-01-01\n\nFirst release: 2 records.")
    assert (
        first == f"{TITLE}\n\n{PREAMBLE}\n\n## [1.0.0] - 2026-01-01\n\nFirst release: 2 records.\n"
    )
    second = prepend_entry(first, "## [1.1.0] - 2026-02-01\n\nMinor.\n")
    assert second.index("[1.1.0]") < second.index("[1.0.0]")
    assert second.startswith(f"{TITLE}\n\n{PREAMBLE}\n\n## [1.1.0]")
    assert second.endswith("First release: 2 records.\n")
    assert release_date(second, "1.0.0") == "2026-01-01"
    assert release_date(second, "1.1.0") == "2026-02-01"
    assert release_date(second, "1.2.0") is None
    # A hand-written file without entries keeps its text; the entry goes after it.
    own = prepend_entry("# Changes\n\nOur notes.\n", "## [1.0.0] - 2026-01-01\n")
    assert own == "# Changes\n\nOur notes.\n\n## [1.0.0] - 2026-01-01\n"


def test_repository_changelog_is_well_formed() -> None:
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith(f"{TITLE}\n\n{PREAMBLE}\n")
    assert text.endswith("\n") and not text.endswith("\n\n")


@pytest.mark.parametrize(
    "module",
    [
        "curation.release.versioning",
        "curation.release.changelog",
        "curation.release.diff",
        "curation.redaction",  # hub's redact() lives there, for every message the CLI prints
    ],
)
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0
