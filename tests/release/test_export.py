"""`curation export vX.Y.Z DIR`: a release's committed dist/, whether its tag was fetched or not.

`datasets` ignores `revision=` for a local folder, so a pinned local load is an export
of that release followed by a load of the folder.
"""

from __future__ import annotations

from pathlib import Path

import datasets
import pytest

from tests.release.conftest import History, git, run_cli, tree_digests


def committed_dist(repository: Path, revision: str) -> dict[str, str]:
    """The files of dist/ at ``revision``, by path relative to dist/, read with git itself."""
    names = git(repository, "ls-tree", "-r", "--name-only", revision, "--", "dist").split()
    return {
        name.removeprefix("dist/"): git(repository, "rev-parse", f"{revision}:{name}")
        for name in names
    }


def blob_ids(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): git(folder, "hash-object", str(path)).strip()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_export_writes_the_release_and_loads_as_that_version(
    history: History, tmp_path: Path
) -> None:
    run = run_cli(history.clone, "export", "v1.0.0", str(tmp_path / "v1.0.0"))
    assert run.code == 0, run.err
    assert "SHA256SUMS checked" in run.out and "revision=" in run.out
    exported = tmp_path / "v1.0.0"
    expected = {
        name: blob.strip() for name, blob in committed_dist(history.clone, "v1.0.0").items()
    }
    assert blob_ids(exported) == expected
    # v1.0.0 is before the added seed; the work tree's dist/ (v1.1.0) has it.
    ids = {row["id"] for row in datasets.load_dataset(str(exported), split="train")}
    assert history.new_id not in ids and ids
    later = {row["id"] for row in datasets.load_dataset(str(history.clone / "dist"), split="train")}
    assert later == ids | {history.new_id}


def test_export_without_tags_finds_the_release_commit(history: History, tmp_path: Path) -> None:
    bare = tmp_path / "notags"
    git(tmp_path, "clone", "--quiet", "--no-tags", str(history.clone), str(bare))
    assert git(bare, "tag", "--list") == ""
    run = run_cli(bare, "export", "v1.0.0", str(tmp_path / "out"))
    assert run.code == 0, run.err
    tagged = tmp_path / "tagged"
    assert run_cli(history.clone, "export", "v1.0.0", str(tagged)).code == 0
    assert tree_digests(tmp_path / "out") == tree_digests(tagged)


def test_export_refuses_an_unknown_release_and_a_folder_in_use(
    history: History, tmp_path: Path
) -> None:
    unknown = run_cli(history.clone, "export", "v9.9.9", str(tmp_path / "x"))
    assert unknown.code == 2
    assert "v9.9.9: names no release or commit" in unknown.err
    assert not (tmp_path / "x").exists()
    used = tmp_path / "used"
    used.mkdir()
    (used / "keep.txt").write_text("mine", encoding="utf-8")
    refused = run_cli(history.clone, "export", "v1.0.0", str(used))
    assert refused.code == 2 and "not an empty folder" in refused.err
    assert [p.name for p in used.iterdir()] == ["keep.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli(history.clone, "export", "v1.0.0", str(empty)).code == 0
    assert (empty / "SHA256SUMS").is_file()


def test_export_refuses_a_release_whose_files_do_not_match_its_sums(
    history: History, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from curation.release import repository

    real = repository.Repository.export

    def damaged(self: repository.Repository, revision: str, path: str, target: Path) -> Path | None:
        folder = real(self, revision, path, target)
        assert folder is not None
        (folder / "README.md").write_text("changed", encoding="utf-8")
        return folder

    monkeypatch.setattr(repository.Repository, "export", damaged)
    run = run_cli(history.clone, "export", "v1.0.0", str(tmp_path / "bad"))
    assert run.code == 3
    assert "README.md: sha256 differs from SHA256SUMS" in run.err
    assert not (tmp_path / "bad").exists()
    assert [p.name for p in tmp_path.iterdir()] == []
