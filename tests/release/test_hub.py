"""``curation publish``: everything up to the network call, and the calls it makes.

The Hub cannot be reached from here, so ``huggingface_hub.HfApi`` is replaced by a
stand-in that records the calls, answers like the Hub, or fails with an error that
quotes the token.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest
from huggingface_hub import CommitOperationAdd, CommitOperationDelete
from huggingface_hub.hf_api import GitRefInfo, GitRefs, RepoFile

from curation.publish.checksums import file_sha256
from curation.release import hub
from tests.release.conftest import GIT_ENV, HUB_ID, History, git, run_cli, state

TOKEN = "hf_FakeTokenThatMustNeverBePrinted0123"
LOGIN_TOKEN = "login-token-from-the-cache-file-4567"
REPO_ID = HUB_ID  # the Hub id the test repositories name in [tool.curation]


@pytest.fixture
def released(history: History) -> Path:
    assert history.runs["minor"].code == 0, history.runs["minor"].err
    return history.clone


@pytest.fixture(autouse=True)
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_TOKEN", TOKEN)


class NoNetwork:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise AssertionError("a dry run or a refused publish must not create an HfApi")


class FakeHub:
    """Answers like the Hub for one repository; records every write."""

    # Class attributes: the code under test makes its own instance.
    tags: ClassVar[dict[str, str]] = {}
    tree: ClassVar[list[RepoFile]] = []
    files: ClassVar[list[str]] = []
    calls: ClassVar[list[tuple[str, dict[str, Any]]]] = []
    fail_with: ClassVar[str | None] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        assert "token" not in kwargs  # the token is huggingface_hub's business

    def create_repo(self, repo_id: str, **kwargs: Any) -> None:
        if FakeHub.fail_with:
            raise RuntimeError(FakeHub.fail_with)
        FakeHub.calls.append(("create_repo", {"repo_id": repo_id, **kwargs}))

    def list_repo_refs(self, repo_id: str, **kwargs: Any) -> GitRefs:
        tags = [
            GitRefInfo(name=n, ref=f"refs/tags/{n}", target_commit=c)
            for n, c in FakeHub.tags.items()
        ]
        return GitRefs(branches=[], converts=[], tags=tags)

    def list_repo_tree(self, repo_id: str, **kwargs: Any) -> list[RepoFile]:
        FakeHub.calls.append(("list_repo_tree", kwargs))
        return FakeHub.tree

    def list_repo_files(self, repo_id: str, **kwargs: Any) -> list[str]:
        return FakeHub.files

    def create_commit(self, repo_id: str, operations: list[Any], **kwargs: Any) -> Any:
        FakeHub.calls.append(("create_commit", {"operations": list(operations), **kwargs}))
        return SimpleNamespace(oid="c0ffee" * 6 + "c0ff")

    def create_tag(self, repo_id: str, **kwargs: Any) -> None:
        FakeHub.calls.append(("create_tag", kwargs))


@pytest.fixture
def fake_hub(monkeypatch: pytest.MonkeyPatch) -> type[FakeHub]:
    FakeHub.tags, FakeHub.tree, FakeHub.files, FakeHub.calls = {}, [], [], []
    FakeHub.fail_with = None
    monkeypatch.setattr(hub, "HfApi", FakeHub)
    return FakeHub


def remote_tree(dist: Path, change: str | None = None) -> list[RepoFile]:
    """The files of ``dist`` as the Hub lists them: Parquet in LFS, the rest as git blobs."""
    entries = [RepoFile(path=".gitattributes", size=10, oid="0" * 40)]
    for path in sorted(p for p in dist.rglob("*") if p.is_file()):
        name = path.relative_to(dist).as_posix()
        size = path.stat().st_size
        if name.endswith(".parquet"):
            digest = "f" * 64 if name == change else file_sha256(path)
            lfs = {"size": size, "oid": digest, "pointerSize": 130}
            entries.append(RepoFile(path=name, size=size, oid="1" * 40, lfs=lfs))
        else:
            blob = "e" * 40 if name == change else hub.git_blob_sha1(path)
            entries.append(RepoFile(path=name, size=size, oid=blob))
    return entries


def test_dry_run_lists_files_sizes_and_tag_and_never_the_token(
    released: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hub, "HfApi", NoNetwork)
    run = run_cli(released, "publish", "--repo-id", REPO_ID, "--dry-run")
    assert run.code == 0, run.err
    dist = released / "dist"
    files = sorted(p for p in dist.rglob("*") if p.is_file())
    for path in files:
        name = path.relative_to(dist).as_posix()
        line = next(line for line in run.out.splitlines() if line.strip().startswith(name + " "))
        assert f"{path.stat().st_size:,} bytes" in line
    assert f"{len(files)} files, {sum(p.stat().st_size for p in files):,} bytes" in run.out
    assert "tag: v1.1.0" in run.out
    assert f"https://huggingface.co/datasets/{REPO_ID}" in run.out
    assert "token: from the environment (HF_TOKEN)" in run.out
    assert TOKEN not in run.out + run.err


def test_publish_is_one_commit_then_the_tag(released: Path, fake_hub: type[FakeHub]) -> None:
    fake_hub.files = [".gitattributes", "README.md", "data/xx/train-00000-of-00001.parquet"]
    run = run_cli(released, "publish", "--repo-id", REPO_ID)
    assert run.code == 0, run.err
    names = [name for name, _ in fake_hub.calls]
    assert names == ["create_repo", "create_commit", "create_tag"]
    assert fake_hub.calls[0][1] == {"repo_id": REPO_ID, "repo_type": "dataset", "exist_ok": True}
    commit = fake_hub.calls[1][1]
    assert commit["commit_message"] == "Release v1.1.0"
    assert commit["repo_type"] == "dataset"
    dist = released / "dist"
    added = {op.path_in_repo for op in commit["operations"] if isinstance(op, CommitOperationAdd)}
    assert added == {p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file()}
    deleted = [
        op.path_in_repo for op in commit["operations"] if isinstance(op, CommitOperationDelete)
    ]
    assert deleted == ["data/xx/train-00000-of-00001.parquet"]  # not .gitattributes
    tag = fake_hub.calls[2][1]
    assert (tag["tag"], tag["revision"], tag["repo_type"]) == (
        "v1.1.0",
        "c0ffee" * 6 + "c0ff",
        "dataset",
    )
    assert "tagged v1.1.0" in run.out


def test_same_tag_same_bytes_uploads_nothing(released: Path, fake_hub: type[FakeHub]) -> None:
    fake_hub.tags = {"v1.1.0": "a" * 40}
    fake_hub.tree = remote_tree(released / "dist")
    run = run_cli(released, "publish", "--repo-id", REPO_ID)
    assert run.code == 0, run.err
    assert "already on the Hub" in run.out
    assert [name for name, _ in fake_hub.calls] == ["create_repo", "list_repo_tree"]
    assert fake_hub.calls[1][1]["revision"] == "v1.1.0"


@pytest.mark.parametrize("changed", ["README.md", "data/de/train-00000-of-00001.parquet"])
def test_same_tag_other_bytes_is_refused(
    released: Path, fake_hub: type[FakeHub], changed: str
) -> None:
    fake_hub.tags = {"v1.1.0": "a" * 40}
    fake_hub.tree = remote_tree(released / "dist", change=changed)
    run = run_cli(released, "publish", "--repo-id", REPO_ID)
    assert run.code == 4
    assert "tag v1.1.0 already exists on the Hub" in run.err
    assert f"{changed}: other bytes" in run.err
    assert "create_commit" not in [name for name, _ in fake_hub.calls]


def test_hub_errors_never_show_the_token(
    released: Path, fake_hub: type[FakeHub], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_hub.fail_with = (
        f"401 Client Error for url: https://huggingface.co (Authorization: Bearer {TOKEN})"
    )
    run = run_cli(released, "publish", "--repo-id", REPO_ID)
    assert run.code == 1
    assert "401 Client Error" in run.err and "***" in run.err
    assert TOKEN not in run.out + run.err
    # A token from the huggingface_hub login (not in the environment) is cut out too.
    monkeypatch.delenv("HF_TOKEN")
    monkeypatch.setattr("huggingface_hub.get_token", lambda: LOGIN_TOKEN)
    fake_hub.fail_with = f"403 Forbidden: token {LOGIN_TOKEN} cannot write"
    run = run_cli(released, "publish", "--repo-id", REPO_ID)
    assert run.code == 1
    assert LOGIN_TOKEN not in run.out + run.err and "403 Forbidden" in run.err
    dry = run_cli(released, "publish", "--repo-id", REPO_ID, "--dry-run")
    assert "token: from the huggingface_hub login" in dry.out
    assert LOGIN_TOKEN not in dry.out + dry.err


def test_a_changed_file_is_refused_before_any_network(
    released: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hub, "HfApi", NoNetwork)
    copy = tmp_path / "dist"
    shutil.copytree(released / "dist", copy)
    with (copy / "README.md").open("a", encoding="utf-8") as card:
        card.write("\nedited after the build\n")
    run = run_cli(tmp_path, "publish", "--repo-id", REPO_ID, "--dist", "dist", "--dry-run")
    assert run.code == 4
    assert "README.md: does not match SHA256SUMS" in run.err


def test_an_unreleased_dist_is_refused(
    released: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hub, "HfApi", NoNetwork)
    shutil.copytree(released / "dist", tmp_path / "dist")  # not in a git repository
    run = run_cli(tmp_path, "publish", "--repo-id", REPO_ID, "--dry-run")
    assert run.code == 4
    assert "not released: no git tag v1.1.0" in run.err


def test_a_dist_that_is_not_the_tagged_one_is_refused(
    released: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hub, "HfApi", NoNetwork)
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    copy = tmp_path / "copy"
    subprocess.run(["git", "clone", "--quiet", str(released), str(copy)], check=True)
    git(copy, "tag", "--force", "v1.1.0", "v1.0.0")  # the tag now names another dist/
    run = run_cli(copy, "publish", "--repo-id", REPO_ID, "--dry-run")
    assert run.code == 4
    assert "is not the dist/ committed at v1.1.0" in run.err


@pytest.mark.parametrize("repo_id", ["no-slash", "a/b/c", "org/", "/name", "org/na me"])
def test_repo_id_must_be_org_slash_name(released: Path, repo_id: str) -> None:
    run = run_cli(released, "publish", "--repo-id", repo_id, "--dry-run")
    assert run.code == 2
    assert "not ORG/NAME" in run.err


def test_publish_without_a_token_is_refused_before_any_network(
    released: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hub, "HfApi", NoNetwork)
    monkeypatch.delenv("HF_TOKEN")
    monkeypatch.delenv("HUGGING_FACE_HUB_TOKEN", raising=False)
    monkeypatch.setattr("huggingface_hub.get_token", lambda: None)
    before = state(released)
    run = run_cli(released, "publish", "--repo-id", REPO_ID)
    assert run.code == 4
    assert "curation publish: no Hugging Face token: nothing was sent" in run.err
    assert "set HF_TOKEN or run `hf auth login`" in run.err
    assert state(released) == before
    dry = run_cli(released, "publish", "--repo-id", REPO_ID, "--dry-run")
    assert dry.code == 0  # a dry run needs no token, and says so
    assert "token: none found" in dry.out


def test_a_token_in_the_repo_id_is_never_printed(
    released: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--repo-id org/hf_…` is a valid name, but not the card's: the refusal names it redacted."""
    monkeypatch.setattr(hub, "HfApi", NoNetwork)
    pasted = "hf_PastedByMistake0123456789abcdefgh"
    run = run_cli(released, "publish", "--repo-id", f"example-org/{pasted}", "--dry-run")
    assert run.code == 2, run.err
    assert "the card does not show how to load example-org/***" in run.err
    assert pasted not in run.out + run.err
