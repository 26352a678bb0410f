"""``curation export vX.Y.Z DIR``: a release's ``dist/`` as a folder, for local loading.

``datasets.load_dataset(folder, revision=...)`` ignores ``revision`` for a local
folder: it reads whatever bytes are there. To load a pinned version from a
checkout, write that release's committed ``dist/`` to a folder of its own and load
the folder. The release is found by its tag or, when the tags were not fetched
(``git clone --no-tags``), by its "Release vX.Y.Z" commit
(:meth:`~curation.release.repository.Repository.commit_of`); the exported files
are checked against the release's own ``SHA256SUMS`` before they are handed over.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from curation.errors import InvalidInput, Problem, VerificationFailed
from curation.publish.checksums import SUMS_NAME, file_sha256, published_files, read_sums
from curation.release.repository import Repository


@dataclass(frozen=True)
class Exported:
    revision: str
    commit: str
    folder: Path
    files: int


def export_release(revision: str, target: Path, dist_dir: Path = Path("dist")) -> Exported:
    """Write ``dist_dir`` as committed at ``revision`` into the new or empty folder ``target``.

    Refuses (:class:`~curation.errors.InvalidInput`) a revision that names no
    commit, a commit without ``dist_dir``, and a ``target`` that holds anything:
    an export never mixes two versions' files. The files are written to a
    temporary folder beside ``target`` and renamed into place once they match
    the release's ``SHA256SUMS``.
    """
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InvalidInput(
            [
                Problem(
                    str(target),
                    "exists and is not an empty folder",
                    "name a new folder: an export never mixes two versions' files",
                )
            ]
        )
    repository = Repository.containing(dist_dir.resolve().parent)
    commit = repository.commit_of(revision) if repository else None
    if repository is None or commit is None:
        raise InvalidInput(
            [
                Problem(
                    revision,
                    "names no release or commit in this repository",
                    "`git tag --list 'v*'` and `git log --grep '^Release v'` list the releases",
                )
            ]
        )
    path = repository.relative(dist_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{target.name}.export-", dir=target.parent) as tmp:
        folder = repository.export(commit, path, Path(tmp))
        if folder is None:
            raise InvalidInput([Problem(revision, f"commit {commit[:12]} has no {path}/ folder")])
        check_sums(folder)
        if target.exists():
            target.rmdir()  # empty, checked above
        folder.rename(target)
    return Exported(revision, commit, target, len(published_files(target)) + 1)


def check_sums(folder: Path) -> None:
    """Every file of ``folder`` is listed in its SHA256SUMS with that digest, and no other."""
    sums_path = folder / SUMS_NAME
    if not sums_path.is_file():
        raise VerificationFailed(f"{folder}: no {SUMS_NAME}: not a dataset built by curation")
    sums = read_sums(sums_path)
    present = {p.as_posix() for p in published_files(folder)}
    problems = [f"{name}: listed in {SUMS_NAME}, missing" for name in sorted(set(sums) - present)]
    problems += [f"{name}: not in {SUMS_NAME}" for name in sorted(present - set(sums))]
    problems += [
        f"{name}: sha256 differs from {SUMS_NAME}"
        for name in sorted(present & set(sums))
        if file_sha256(folder / name) != sums[name]
    ]
    if problems:
        raise VerificationFailed(f"{folder}: " + "; ".join(problems))
