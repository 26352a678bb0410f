"""The git commands a release needs, and nothing else.

Every command runs ``git`` in a subprocess with the caller's environment, so the
maintainer's identity, hooks and signing settings apply to the release commit and
tag as to any other.
"""

from __future__ import annotations

import contextlib
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from curation.errors import CurationError, InvalidInput, Problem
from curation.release.versioning import Version


class GitFailed(CurationError):
    """A git command failed; the message carries git's own words."""


@dataclass(frozen=True)
class Repository:
    root: Path

    @classmethod
    def containing(cls, path: Path) -> Repository | None:
        """The work tree that holds ``path``, or None when it is not in one."""
        folder = path if path.is_dir() else path.parent
        result = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=folder,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
        if result.returncode != 0:
            return None
        return cls(Path(result.stdout.strip()).resolve())

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            ["git", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
        if check and result.returncode != 0:
            words = (result.stderr or result.stdout).strip()
            raise GitFailed(f"`git {' '.join(args)}` failed: {words}")
        return result

    def relative(self, path: Path) -> str:
        """``path`` as git names it: relative to the work tree, with forward slashes."""
        return path.resolve().relative_to(self.root).as_posix()

    def dirty_paths(self) -> list[str]:
        """Modified, staged and untracked (not ignored) paths: what a release must not skip."""
        out = self.git("status", "--porcelain=v1", "-z", "--untracked-files=all").stdout
        entries = [entry for entry in out.split("\0") if entry]
        # -z keeps names verbatim; a rename entry is followed by its old name, skip it.
        paths: list[str] = []
        skip = False
        for entry in entries:
            if skip:
                skip = False
                continue
            paths.append(entry[3:])
            skip = entry[0] in "RC"
        return paths

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").stdout.strip()

    def commit_of(self, revision: str) -> str | None:
        """The commit ``revision`` names, or None when it names none.

        A release name (``v1.0.0``) whose tag is missing -- ``git push`` and many
        clones leave tags behind -- names its "Release v1.0.0" commit.
        """
        result = self.git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", check=False)
        if result.returncode == 0 and result.stdout.strip():
            return result.stdout.strip()
        return self.release_commits().get(revision)

    def tag_exists(self, tag: str) -> bool:
        return (
            self.git("rev-parse", "--verify", "--quiet", f"refs/tags/{tag}", check=False).returncode
            == 0
        )

    def is_released(self, tag: str) -> bool:
        """A ``vX.Y.Z`` tag exists, or a "Release vX.Y.Z" commit is in HEAD's history."""
        return self.tag_exists(tag) or tag in self.release_commits()

    def release_commits(self) -> dict[str, str]:
        """Release name -> commit, for the "Release vX.Y.Z" commits in HEAD's history.

        The commit subject is written by `curation release` and travels with the
        history, where a tag may not: the fallback when tags were not fetched.
        """
        log = self.git("log", "--format=%H %s", "--grep=^Release v[0-9]", "HEAD", check=False)
        commits: dict[str, str] = {}
        for line in log.stdout.splitlines():
            commit, _, subject = line.partition(" ")
            name = subject.removeprefix("Release ").strip()
            if subject.startswith("Release ") and Version.from_tag(name) is not None:
                commits.setdefault(name, commit)  # newest first: the first one wins
        return commits

    def latest_release(self) -> tuple[Version, str] | None:
        """The highest release in HEAD's history, as (version, tag): tags and release commits."""
        out = self.git("tag", "--list", "v*", "--merged", "HEAD").stdout
        names = set(out.split()) | set(self.release_commits())
        releases = [(v, tag) for tag in names if (v := Version.from_tag(tag)) is not None]
        return max(releases) if releases else None

    def has_path(self, revision: str, path: str) -> bool:
        return bool(self.git("ls-tree", "--name-only", revision, "--", path, check=False).stdout)

    def show(self, revision: str, path: str) -> bytes | None:
        """The bytes of ``path`` at ``revision``, or None when it has no such file."""
        result = subprocess.run(
            ["git", "show", f"{revision}:{path}"], cwd=self.root, capture_output=True, check=False
        )
        return result.stdout if result.returncode == 0 else None

    def export(self, revision: str, path: str, target: Path) -> Path | None:
        """Write the folder ``path`` as it is at ``revision`` under ``target``; None if absent.

        ``git archive`` streams a tar of the committed bytes; nothing in the work
        tree, the index or HEAD is touched. A release name whose tag was not fetched
        (``git clone --no-tags``) is read from its "Release vX.Y.Z" commit, as in
        ``commit_of``: an unknown revision is an error, never an empty dataset.
        """
        commit = self.commit_of(revision)
        if commit is None:
            raise GitFailed(f"{revision!r} names no commit in {self.root}")
        revision = commit
        if not self.has_path(revision, path):
            return None
        target.mkdir(parents=True, exist_ok=True)
        with subprocess.Popen(
            ["git", "archive", "--format=tar", revision, "--", path],
            cwd=self.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ) as process:
            assert process.stdout is not None
            with tarfile.open(fileobj=process.stdout, mode="r|") as archive:
                archive.extractall(target, filter="data")
            error = process.stderr.read() if process.stderr else b""
        if process.returncode != 0:
            raise GitFailed(f"`git archive {revision}` failed: {error.decode(errors='replace')}")
        return target / path

    # The release transaction: add, commit, tag, and the way back.

    def stage_paths(self, paths: list[Path]) -> None:
        self.git("add", "--all", "--", *[self.relative(p) for p in paths])

    def commit_staged(self, paths: list[Path], message: str) -> str:
        """Commit what is staged of ``paths`` (only those); the new HEAD."""
        names = [self.relative(p) for p in paths]
        self.git("commit", "--quiet", "--message", message, "--", *names)
        return self.head()

    def parent_and_subject(self, commit: str) -> tuple[str, str]:
        """The first parent of ``commit`` (empty for a root commit) and its subject line."""
        out = self.git("log", "-1", "--format=%P%n%s", commit).stdout
        parents, _, subject = out.partition("\n")
        return (parents.split() or [""])[0], subject.strip()

    def create_tag(self, tag: str, message: str) -> None:
        self.git("tag", "--annotate", tag, "--message", message)

    def delete_tag(self, tag: str) -> None:
        self.git("tag", "--delete", tag, check=False)

    def reset_to(self, commit: str, paths: list[Path]) -> None:
        """Move HEAD back to ``commit`` and unstage ``paths``; the work tree is left alone.

        Only ``paths`` leave the index: anything else staged meanwhile stays staged.
        """
        self.git("reset", "--quiet", "--soft", commit)
        self.git("reset", "--quiet", commit, "--", *[self.relative(p) for p in paths])


@contextlib.contextmanager
def dataset_at(reference: str, dist_dir: Path) -> Iterator[tuple[Path | None, str]]:
    """A built dataset folder for ``reference``, with a label for reports.

    ``reference`` is a folder (used as it is) or a git revision: a tag, a branch or
    a commit, whose committed ``dist/`` is exported into a temporary folder. A
    revision without ``dist/`` gives None: an empty dataset.
    """
    folder = Path(reference)
    if folder.is_dir():
        if not (folder / "manifest.json").is_file():
            raise InvalidInput(
                [
                    Problem(
                        reference,
                        "not a built dataset: no manifest.json",
                        "give a folder written by `curation build`, or a git revision",
                    )
                ]
            )
        yield folder, str(reference)
        return
    repository = Repository.containing(dist_dir.resolve().parent)
    commit = repository.commit_of(reference) if repository else None
    if repository is None or commit is None:
        raise InvalidInput(
            [
                Problem(
                    reference,
                    "neither a folder nor a git revision (tag, branch or commit)",
                    "give a built dataset folder such as dist/, or a tag such as v1.0.0 "
                    "(`git tag --list 'v*'` lists the releases)",
                )
            ]
        )
    label = reference if commit.startswith(reference) else f"{reference} ({commit[:12]})"
    with tempfile.TemporaryDirectory(prefix="curation-diff-") as scratch:
        yield repository.export(commit, repository.relative(dist_dir), Path(scratch)), label
