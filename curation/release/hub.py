"""``curation publish``: upload a released ``dist/`` to the Hugging Face Hub, tagged.

Everything up to the network call is checked here, offline:

- ``dist/`` is intact: every file matches SHA256SUMS and the manifest;
- its version is a release: the git tag ``vX.Y.Z`` exists and its committed
  ``dist/SHA256SUMS`` is the folder's;
- the repo id has the form ``ORG/NAME``.

Then, on the Hub: if the tag already exists there, the upload is skipped when the
tagged files are these bytes, and refused when they are not (a published version
never changes). Otherwise one commit makes the Hub's main branch hold exactly
``dist/`` (files not in ``dist/`` are deleted in the same commit), and the tag is
put on that commit.

The token comes only from the environment (``HF_TOKEN``) or the huggingface_hub
login; it is never an argument, and it is cut out of every message this module
emits, errors included (:mod:`curation.redaction`, which the CLI also applies to
everything it prints). Without a token, publishing is refused before any network
access.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi
from huggingface_hub.hf_api import RepoFile

from curation.errors import CurationError, InvalidInput, Problem
from curation.publish.checksums import SUMS_NAME, file_sha256, published_files, read_sums
from curation.publish.manifest import MANIFEST_NAME, read_manifest
from curation.redaction import TOKEN_VARIABLES, redact
from curation.release.repository import Repository
from curation.release.versioning import Version

REPO_TYPE = "dataset"
# The Hub's own rule for repository names: ORG/NAME, letters, digits, "-", "_", ".".
_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")
# The Hub keeps this file of its own in every repository.
HUB_FILES = frozenset({".gitattributes"})


class PublishRefused(CurationError):
    """The upload would break a promise (a changed file, a moved tag); nothing was sent."""

    exit_code = 4


class PublishFailed(CurationError):
    """The Hub could not be reached or answered with an error (token removed from the message)."""


NO_TOKEN = "none found: set HF_TOKEN or run `hf auth login` before publishing"


def token_source() -> str:
    """Where the token will come from, never the token."""
    for name in TOKEN_VARIABLES:
        if os.environ.get(name):
            return f"from the environment ({name})"
    try:
        from huggingface_hub import get_token

        if get_token():
            return "from the huggingface_hub login"
    except Exception:
        pass
    return NO_TOKEN


@dataclass(frozen=True)
class PublishedFile:
    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class PublishPlan:
    repo_id: str
    dist: Path
    version: Version
    files: list[PublishedFile]

    @property
    def tag(self) -> str:
        return self.version.tag

    @property
    def commit_message(self) -> str:
        return f"Release {self.tag}"

    def describe(self) -> str:
        """What publishing would do: the files, their sizes, the commit and the tag."""
        width = max(len(f.path) for f in self.files)
        lines = [
            f"repository: https://huggingface.co/datasets/{self.repo_id}",
            f'one commit: "{self.commit_message}", making main hold exactly these files:',
        ]
        lines += [f"  {f.path:<{width}}  {f.size:>12,} bytes" for f in self.files]
        total = sum(f.size for f in self.files)
        lines.append(f"  {len(self.files)} files, {total:,} bytes")
        lines.append(f"tag: {self.tag} on that commit")
        lines.append(f"token: {token_source()}")
        return "\n".join(lines)


def plan_publish(dist: Path, repo_id: str) -> PublishPlan:
    """Check ``dist`` offline and list what publishing it would upload."""
    if not _REPO_ID.match(repo_id):
        raise InvalidInput(
            [Problem("--repo-id", f"not ORG/NAME: {repo_id!r}", "e.g. --repo-id my-org/my-dataset")]
        )
    if not (dist / MANIFEST_NAME).is_file() or not (dist / SUMS_NAME).is_file():
        raise InvalidInput(
            [
                Problem(
                    str(dist),
                    "not a built dataset (no manifest.json or SHA256SUMS)",
                    "run `curation release` first",
                )
            ]
        )
    manifest = read_manifest(dist)
    sums = read_sums(dist / SUMS_NAME)
    listed = manifest.get("files", {})
    problems = []
    files = []
    for rel in published_files(dist):
        name = rel.as_posix()
        digest = file_sha256(dist / name)
        if sums.get(name) != digest:
            problems.append(Problem(str(dist / name), "does not match SHA256SUMS"))
        if name != MANIFEST_NAME and listed.get(name, {}).get("sha256") != digest:
            problems.append(Problem(str(dist / name), "does not match manifest.json"))
        files.append(PublishedFile(name, (dist / name).stat().st_size, digest))
    for name in sorted(sums.keys() - {f.path for f in files}):
        problems.append(Problem(str(dist / name), "listed in SHA256SUMS but missing"))
    if problems:
        raise PublishRefused(
            "dist/ changed since it was built:\n"
            + "\n".join(f"  {p}" for p in problems)
            + "\nhint: `curation verify` names what differs"
        )
    files.append(
        PublishedFile(SUMS_NAME, (dist / SUMS_NAME).stat().st_size, file_sha256(dist / SUMS_NAME))
    )
    files.sort(key=lambda f: f.path)
    try:
        version = Version.parse(str(manifest["dataset"]["version"]))
    except (KeyError, ValueError) as error:
        raise InvalidInput(
            [Problem(str(dist / MANIFEST_NAME), f"no dataset version: {error}")]
        ) from None
    check_card_names(dist / CARD_NAME, repo_id)
    return PublishPlan(repo_id, dist, version, files)


CARD_NAME = "README.md"
# What a card holds while it is not ready to publish: an unfilled Hub owner, or a
# template placeholder left unrendered.
_PLACEHOLDER = re.compile(r"\bORG/|\{\{|\}\}|<ORG>|YOUR[-_ ]ORG")


def find_placeholder(line: str) -> str | None:
    """The placeholder left in ``line``, if any.

    >>> find_placeholder('ds = load_dataset("ORG/news")'), find_placeholder("{{ summary }}")
    ('ORG/', '{{')
    >>> find_placeholder('ds = load_dataset("example-org/news")') is None
    True
    """
    found = _PLACEHOLDER.search(line)
    return found[0] if found else None


def check_card_names(card: Path, repo_id: str) -> None:
    """The card shows how to load *this* repository, and no placeholder is left in it."""
    text = card.read_text(encoding="utf-8") if card.is_file() else ""
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        found = find_placeholder(line)
        if found:
            problems.append(Problem(f"{card}:{number}", f"a placeholder is left: {found!r}"))
    if f'load_dataset("{repo_id}"' not in text:
        problems.append(
            Problem(
                str(card),
                f"the card does not show how to load {repo_id} (its Hub id is another or none)",
                f'set hub_id = "{repo_id}" in [tool.curation] of pyproject.toml, then '
                "`curation release` again so the card, citation and Croissant name it",
            )
        )
    if problems:
        raise InvalidInput(problems)


def check_released(plan: PublishPlan) -> None:
    """The version is a release and ``dist/`` is that release's, byte for byte."""
    repository = Repository.containing(plan.dist.resolve())
    hint = "run `curation release` (it builds, commits and tags), then publish"
    if repository is None or not repository.is_released(plan.tag):
        raise PublishRefused(
            f"version {plan.version} is not released: no git tag {plan.tag}\nhint: {hint}"
        )
    revision = repository.commit_of(plan.tag) or plan.tag
    tagged = repository.show(revision, f"{repository.relative(plan.dist)}/{SUMS_NAME}")
    if tagged != (plan.dist / SUMS_NAME).read_bytes():
        raise PublishRefused(
            f"{plan.dist} is not the dist/ committed at {plan.tag}\n"
            f"hint: `git checkout {plan.tag} -- {repository.relative(plan.dist)}` or {hint}"
        )


def git_blob_sha1(path: Path) -> str:
    """The git object id of a file's bytes: what the Hub reports for files not in LFS."""
    data = path.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _same_files(plan: PublishPlan, remote: dict[str, Any]) -> list[str]:
    """How the files at the Hub's tag differ from ``plan``'s (empty: the same bytes)."""
    local = {f.path: f for f in plan.files}
    remote_paths = set(remote) - HUB_FILES
    differences = [f"{p}: only on the Hub" for p in sorted(remote_paths - set(local))]
    differences += [f"{p}: not on the Hub" for p in sorted(set(local) - remote_paths)]
    for path in sorted(set(local) & remote_paths):
        entry = remote[path]
        lfs = getattr(entry, "lfs", None)
        same = (
            lfs.sha256 == local[path].sha256
            if lfs is not None
            else entry.blob_id == git_blob_sha1(plan.dist / path)
        )
        if not same:
            differences.append(f"{path}: other bytes")
    return differences


@dataclass(frozen=True)
class Published:
    commit: str
    already: bool  # the tag was there with these bytes: nothing was uploaded


def publish(plan: PublishPlan) -> Published:
    """Upload as one commit and tag it. The only function here that uses the network.

    Refused before any network access when there is no token: the Hub would answer
    401 only after the repository lookups.
    """
    if token_source() == NO_TOKEN:
        raise PublishRefused(
            "no Hugging Face token: nothing was sent\n"
            "hint: set HF_TOKEN or run `hf auth login`, then publish again "
            "(`--dry-run` works without one)"
        )
    try:
        return _publish(plan, HfApi())
    except CurationError:
        raise
    except Exception as error:
        # Errors from the Hub may quote request headers; the message is redacted and
        # the original exception is not chained, so no traceback can show the token.
        raise PublishFailed(redact(f"{type(error).__name__}: {error}")) from None


def _publish(plan: PublishPlan, api: HfApi) -> Published:
    api.create_repo(plan.repo_id, repo_type=REPO_TYPE, exist_ok=True)
    refs = api.list_repo_refs(plan.repo_id, repo_type=REPO_TYPE)
    tags = {ref.name: ref.target_commit for ref in refs.tags}
    if plan.tag in tags:
        remote = {
            entry.path: entry
            for entry in api.list_repo_tree(
                plan.repo_id, recursive=True, revision=plan.tag, repo_type=REPO_TYPE
            )
            if isinstance(entry, RepoFile)
        }
        differences = _same_files(plan, remote)
        if not differences:
            return Published(tags[plan.tag], already=True)
        raise PublishRefused(
            f"tag {plan.tag} already exists on the Hub ({plan.repo_id}, commit "
            f"{tags[plan.tag][:12]}) with other content:\n"
            + "\n".join(f"  {d}" for d in differences[:20])
            + "\nhint: a published version never changes; release a new version "
            "(`curation release`) and publish that"
        )
    local = {f.path for f in plan.files}
    stale = [
        path
        for path in api.list_repo_files(plan.repo_id, repo_type=REPO_TYPE)
        if path not in local and path not in HUB_FILES
    ]
    operations: list[CommitOperationAdd | CommitOperationDelete] = [
        CommitOperationAdd(path_in_repo=f.path, path_or_fileobj=str(plan.dist / f.path))
        for f in plan.files
    ]
    operations += [CommitOperationDelete(path_in_repo=path) for path in stale]
    info = api.create_commit(
        plan.repo_id, operations, commit_message=plan.commit_message, repo_type=REPO_TYPE
    )
    commit = str(info.oid)
    api.create_tag(
        plan.repo_id,
        tag=plan.tag,
        tag_message=plan.commit_message,
        revision=commit,
        repo_type=REPO_TYPE,
    )
    return Published(commit, already=False)
