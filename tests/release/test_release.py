"""``curation release`` end to end, in a temporary repository (see conftest.History)."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import datasets
import pyarrow.parquet as pq
import pytest
import yaml

from curation.release.changelog import TITLE
from tests.release.conftest import GIT_ENV, NEW_SEED_TITLE, History, git, run_cli, state


def test_first_release_tags_the_version_written_in_pyproject(history: History) -> None:
    first = history.runs["first"]
    assert first.code == 0, first.err
    before, after = history.states["first"]
    assert (before.tags, after.tags) == ("", "v1.0.0\n")
    assert after.status == ""  # everything the release wrote is committed
    assert git(history.first, "rev-parse", "v1.0.0^{commit}").strip() == after.head.strip()
    assert git(history.first, "log", "-1", "--format=%s", "v1.0.0").strip() == "Release v1.0.0"
    pyproject = tomllib.loads(git(history.first, "show", "v1.0.0:pyproject.toml"))
    assert pyproject["tool"]["curation"]["version"] == "1.0.0"
    changelog = git(history.first, "show", "v1.0.0:CHANGELOG.md")
    assert changelog.startswith(TITLE)
    assert "## [1.0.0] - 2026-11-20" in changelog
    assert "First release" in changelog


def test_nothing_to_release_right_after_a_release(history: History) -> None:
    again = history.runs["again"]
    assert again.code == 4
    assert "nothing to release" in again.err


def test_a_dirty_tree_is_refused_and_named(history: History) -> None:
    run = history.runs["dirty"]
    assert run.code == 4
    assert "uncommitted" in run.err
    assert f"seeds/{history.new_id[:-2]}.txt" in run.err
    before, after = history.states["dirty"]
    assert before == after


def test_patch_for_an_added_record_is_refused_with_the_reason(history: History) -> None:
    run = history.runs["patch"]
    assert run.code == 4, run.err
    assert "--bump patch is too small" in run.err
    assert "at least minor" in run.err
    assert history.new_id in run.err  # the reason names the record
    assert "--bump minor" in run.err  # and the command that would work
    before, after = history.states["patch"]
    assert before == after  # nothing written, committed or tagged


def test_a_failed_commit_puts_everything_back(history: History) -> None:
    run = history.runs["hook"]
    assert run.code != 0
    assert "hook says no" in run.err
    before, after = history.states["hook"]
    assert before == after


def test_two_builds_that_differ_stop_the_release(history: History) -> None:
    run = history.runs["unstable"]
    assert run.code == 3
    assert "not be reproducible" in run.err and "README.md" in run.err
    before, after = history.states["unstable"]
    assert before == after


def test_minor_release_commits_and_tags_from_a_fresh_clone(history: History) -> None:
    run = history.runs["minor"]
    assert run.code == 0, run.err
    clone = history.clone
    assert git(clone, "tag", "--list").split() == ["v1.0.0", "v1.1.0"]
    assert git(clone, "rev-parse", "v1.1.0^{commit}") == git(clone, "rev-parse", "HEAD")
    assert git(clone, "status", "--porcelain", "--untracked-files=all") == ""
    committed = set(git(clone, "show", "--name-only", "--format=", "HEAD").split())
    assert {"pyproject.toml", "CHANGELOG.md"} <= committed
    assert {name for name in committed if name.startswith("dist/")} >= {
        "dist/README.md",
        "dist/manifest.json",
        "dist/croissant.json",
        "dist/SHA256SUMS",
    }


def test_only_the_version_line_of_pyproject_changes(history: History) -> None:
    before = git(history.clone, "show", "v1.0.0:pyproject.toml").splitlines()
    after = (history.clone / "pyproject.toml").read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [('version = "1.0.0"', 'version = "1.1.0"')]


def test_the_version_is_in_card_manifest_croissant_and_parquet(history: History) -> None:
    dist = history.clone / "dist"
    card = (dist / "README.md").read_text(encoding="utf-8")
    assert yaml.safe_load(card.split("---")[1])["version"] == "1.1.0"
    assert "Version **1.1.0**" in card
    assert json.loads((dist / "manifest.json").read_text(encoding="utf-8"))["dataset"] == {
        "name": "china-russia-digital-cooperation",
        "version": "1.1.0",
    }
    croissant = json.loads((dist / "croissant.json").read_text(encoding="utf-8"))
    assert croissant["version"] == "1.1.0"
    assert croissant["datePublished"] == "2026-11-22"
    for path in sorted(dist.rglob("*.parquet")):
        metadata = json.loads(pq.read_schema(path).metadata[b"curation"])
        assert metadata["dataset_version"] == "1.1.0", path


def test_changelog_and_card_name_the_added_record(history: History) -> None:
    changelog = (history.clone / "CHANGELOG.md").read_text(encoding="utf-8")
    entries = re.split(r"^## ", changelog, flags=re.M)[1:]
    assert entries[0].startswith("[1.1.0] - 2026-11-22")
    assert entries[1].startswith("[1.0.0] - 2026-11-20")
    newest = entries[0]
    assert "Minor release after v1.0.0: 1 added, 0 removed, 0 changed" in newest
    assert f"`{history.new_id}`" in newest
    assert "Berlin und Moskau" in newest  # its title, so a reader knows what it is
    assert newest.count("\n- `") == 1  # exactly that record is listed
    card = (history.clone / "dist" / "README.md").read_text(encoding="utf-8")
    versions = card[card.index("\n## Versions") :]
    assert "PATCH" in versions and "MINOR" in versions and "MAJOR" in versions
    assert "### [1.1.0] - 2026-11-22" in versions
    assert f"`{history.new_id}`" in versions
    assert versions.index("[1.1.0]") < versions.index("[1.0.0]")


def test_diff_between_the_two_tags_lists_exactly_the_added_record(history: History) -> None:
    run = run_cli(history.clone, "diff", "v1.0.0", "v1.1.0", "--format", "json")
    assert run.code == 0, run.err
    diff = json.loads(run.out)
    assert diff["records"] == {"added": 1, "removed": 0, "changed": 0}
    added = [i for config in diff["configs"].values() for i in config["added"]]
    assert added == [history.new_id]
    assert diff["required_bump"] == "minor"
    assert (diff["old"]["version"], diff["new"]["version"]) == ("1.0.0", "1.1.0")
    text = run_cli(history.clone, "diff", "v1.0.0", "v1.1.0")
    assert f"+ {history.new_id}" in text.out
    assert "smallest version bump this change needs: minor" in text.out


def test_diff_of_a_revision_against_the_work_tree(history: History) -> None:
    run = run_cli(history.clone, "diff", "v1.1.0")
    assert run.code == 0, run.err
    assert "(+0 added, -0 removed, ~0 changed)" in run.out
    assert "(work tree)" in run.out
    missing = run_cli(history.clone, "diff", "no-such-tag")
    assert missing.code == 2
    assert "neither a folder nor a git revision" in missing.err
    not_built = run_cli(history.clone, "diff", "seeds")
    assert not_built.code == 2
    assert "not a built dataset" in not_built.err


def test_released_dist_verifies_and_loads_with_the_new_record(history: History) -> None:
    verify = run_cli(history.clone, "verify")
    assert verify.code == 0, verify.err
    ds = datasets.load_dataset(str(history.clone / "dist"), split="train")
    rows = {row["id"]: row for row in ds}
    assert history.new_id in rows
    assert rows[history.new_id]["title"] == NEW_SEED_TITLE
    pinned = datasets.load_dataset(str(history.clone / "dist"), "de", split="train")
    assert [row["id"] for row in pinned] == [history.new_id]


def test_without_bump_the_smallest_that_fits_is_used(history: History) -> None:
    run = history.runs["auto"]
    assert run.code == 0, run.err
    assert git(history.first, "tag", "--list").split() == ["v1.0.0", "v1.1.0"]
    written = tomllib.loads((history.first / "pyproject.toml").read_text(encoding="utf-8"))
    assert written["tool"]["curation"]["version"] == "1.1.0"
    manifest = json.loads((history.first / "dist" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["dataset"]["version"] == "1.1.0"
    for path in sorted((history.first / "dist").rglob("*.parquet")):
        assert json.loads(pq.read_schema(path).metadata[b"curation"])["dataset_version"] == "1.1.0"
    assert run_cli(history.first, "verify").code == 0


def test_releases_are_found_without_tags(history: History, tmp_path: Path) -> None:
    """`git push` and many clones leave tags behind: release commits still name versions."""
    bare = tmp_path / "notags"
    git(tmp_path, "clone", "--quiet", "--no-tags", str(history.clone), str(bare))
    assert git(bare, "tag", "--list") == ""
    run = run_cli(bare, "diff", "v1.0.0", "v1.1.0", "--format", "json")
    assert run.code == 0, run.err
    added = [i for config in json.loads(run.out)["configs"].values() for i in config["added"]]
    assert added == [history.new_id]
    again = run_cli(bare, "release", "--bump", "patch")
    assert again.code == 4
    assert "nothing to release: HEAD is v1.1.0" in again.err


def test_a_release_without_tags_is_compared_with_the_last_release(
    history: History, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a `--no-tags` clone the base is v1.1.0's committed dist/, not an empty dataset.

    Removing a record needs a major release; against an empty base every record
    would look added and `--bump minor` would slip through.
    """
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    bare = tmp_path / "notags"
    git(tmp_path, "clone", "--quiet", "--no-tags", str(history.clone), str(bare))
    seed_id = history.new_id.rsplit("-", 1)[0]
    git(bare, "rm", "--quiet", f"seeds/{seed_id}.txt", f"seeds/{seed_id}.json")
    git(bare, "commit", "--quiet", "--message", f"Remove seed {seed_id}")
    before = state(bare)
    run = run_cli(bare, "release", "--bump", "minor")
    assert run.code == 4, run.err
    assert "--bump minor is too small" in run.err and "at least major" in run.err
    assert history.new_id in run.err
    assert "added" not in run.err  # the other records are v1.1.0's, not new
    assert state(bare) == before
