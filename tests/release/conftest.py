"""A dataset repository in a temporary folder, released as a maintainer would.

The session fixture ``history`` plays the issue's story once (builds are the slow
part) and records what each command said, so that the tests only read it:

1. a repository with the real seeds; ``curation release`` → v1.0.0;
2. a fresh clone; a seed is added but not committed: release refused (dirty);
3. the seed is committed; ``--bump patch``: refused, the change needs minor;
4. a failing pre-commit hook: the release is rolled back;
5. two builds that differ: the release is refused by its verify step;
6. ``--bump minor`` → v1.1.0;
7. in the first repository, the same seed and ``curation release`` with no
   ``--bump``: the smallest bump that fits, minor.

Nothing here touches the repository the tests run from.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from curation.cli import main
from curation.release.changelog import PREAMBLE, TITLE
from curation.release.versioning import Version, set_pyproject_version
from curation.verify import Difference

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"

# A short article in a language the real seeds do not have, so the new record also
# makes a new config: the test does not depend on what the language model says
# about the real seeds.
NEW_SEED_TEXT = """\
Berlin und Moskau: Gespräche über digitale Zusammenarbeit

Die Vertreter beider Länder trafen sich am Montag in Berlin, um über die \
Zusammenarbeit im Bereich der digitalen Infrastruktur zu sprechen. Nach Angaben der \
Teilnehmer ging es vor allem um Rechenzentren, Glasfaserverbindungen und gemeinsame \
Standards für den Datenaustausch.

Die Gespräche sollen im kommenden Jahr fortgesetzt werden. Beide Seiten betonten, \
dass die Zusammenarbeit den Handel zwischen den Regionen erleichtern könne.
"""
NEW_SEED_TITLE = "Berlin und Moskau: Gespräche über digitale Zusammenarbeit"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Release Test",
    "GIT_AUTHOR_EMAIL": "release@example.invalid",
    "GIT_COMMITTER_NAME": "Release Test",
    "GIT_COMMITTER_EMAIL": "release@example.invalid",
    # The tester's own git settings (signing, hooks path, default branch) stay out.
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
}


@dataclass
class Run:
    code: int
    out: str
    err: str


@dataclass
class State:
    """What a refused or failed release must leave exactly as it was."""

    head: str
    tags: str
    status: str
    files: dict[str, str]


@dataclass
class History:
    first: Path  # the repository that made v1.0.0
    clone: Path  # the fresh clone that made v1.1.0
    new_id: str  # the record the added seed makes
    runs: dict[str, Run] = field(default_factory=dict)
    states: dict[str, tuple[State, State]] = field(default_factory=dict)


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True, encoding="utf-8"
    ).stdout


def run_cli(root: Path, *args: str) -> Run:
    """``curation ARGS`` in ``root``, in this process (no interpreter start-up per call)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    return Run(code, out.getvalue(), err.getvalue())


def tree_digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def state(root: Path) -> State:
    return State(
        head=git(root, "rev-parse", "HEAD"),
        tags=git(root, "tag", "--list"),
        status=git(root, "status", "--porcelain", "--untracked-files=all"),
        files=tree_digests(root),
    )


def add_seed(seeds: Path, number: int, text: str, title: str) -> str:
    data = text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    seed_id = f"{number:03d}_{digest[:16]}"
    (seeds / f"{seed_id}.txt").write_bytes(data)
    sidecar = {
        "id": seed_id,
        "sha256": digest,
        "languages": ["de"],
        "source": "Beispiel-Zeitung",
        "date": "2026-01-05",
        "url": None,
        "title": title,
        "license": None,
        "provenance": "Written for the release tests.",
        "contributor": None,
        "date_added": "2026-11-22",
    }
    (seeds / f"{seed_id}.json").write_text(
        json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return seed_id


HUB_ID = "example-org/china-russia-digital-cooperation"


def make_repository(root: Path) -> Path:
    root.mkdir(parents=True)
    shutil.copytree(SEEDS, root / "seeds")
    for path in (root / "seeds").iterdir():
        path.chmod(0o644)  # the real seeds are read-only; the clone must be removable
    # Version and changelog as before any release, whatever this repository's are now.
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    # The Hub id the publish tests upload to: the card must name it.
    pyproject = re.sub(r'(?m)^hub_id = ".*"$', f'hub_id = "{HUB_ID}"', pyproject)
    (root / "pyproject.toml").write_text(
        set_pyproject_version(pyproject, Version(1, 0, 0)), encoding="utf-8"
    )
    (root / "CHANGELOG.md").write_text(f"{TITLE}\n\n{PREAMBLE}\n", encoding="utf-8")
    shutil.copyfile(REPO / "dataset.toml", root / "dataset.toml")
    git(root, "init", "--quiet", "--initial-branch", "main")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--message", "Seeds")
    return root


@pytest.fixture(scope="session")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[History]:
    base = tmp_path_factory.mktemp("release")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in GIT_ENV.items():
            patch.setenv(name, value)
        first = make_repository(base / "first")
        made = History(first=first, clone=base / "clone", new_id="")
        before = state(first)
        made.runs["first"] = run_cli(first, "release", "--date", "2026-11-20")
        made.states["first"] = (before, state(first))
        made.runs["again"] = run_cli(first, "release", "--bump", "patch")

        git(base, "clone", "--quiet", str(first), str(made.clone))
        clone = made.clone
        number = len(list((clone / "seeds").glob("*.txt")))
        seed_id = add_seed(clone / "seeds", number, NEW_SEED_TEXT, NEW_SEED_TITLE)
        made.new_id = f"{seed_id}-0"

        before = state(clone)
        made.runs["dirty"] = run_cli(clone, "release", "--bump", "minor")
        made.states["dirty"] = (before, state(clone))

        git(clone, "add", "--all")
        git(clone, "commit", "--quiet", "--message", f"Add seed {seed_id}")

        before = state(clone)
        made.runs["patch"] = run_cli(clone, "release", "--bump", "patch")
        made.states["patch"] = (before, state(clone))

        hook = clone / ".git" / "hooks" / "pre-commit"
        hook.write_text("#!/bin/sh\necho 'hook says no' >&2\nexit 1\n", encoding="utf-8")
        hook.chmod(0o755)
        before = state(clone)
        made.runs["hook"] = run_cli(clone, "release", "--bump", "minor")
        made.states["hook"] = (before, state(clone))
        hook.unlink()

        before = state(clone)
        with pytest.MonkeyPatch.context() as unstable:
            unstable.setattr(
                "curation.release.release.compare",
                lambda published, rebuilt: [Difference("README.md", "differs from the rebuild")],
            )
            made.runs["unstable"] = run_cli(clone, "release", "--bump", "minor")
        made.states["unstable"] = (before, state(clone))

        made.runs["minor"] = run_cli(clone, "release", "--bump", "minor", "--date", "2026-11-22")

        # The same change in the first repository, with no --bump: the diff decides.
        add_seed(first / "seeds", number, NEW_SEED_TEXT, NEW_SEED_TITLE)
        git(first, "add", "--all")
        git(first, "commit", "--quiet", "--message", "Add a seed")
        made.runs["auto"] = run_cli(first, "release", "--date", "2026-11-23")
        yield made
