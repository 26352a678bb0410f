"""Shared setup of the contributor-workflow tests: a corpus checkout in a temporary folder.

The repository's own seeds/ and dist/ are never touched: every test works on a copy.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_build import make_project


@pytest.fixture(autouse=True)
def private_check_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """`curation check` caches outside the repository; tests keep theirs in a temporary folder."""
    before = os.environ.get("CURATION_CACHE_DIR")
    os.environ["CURATION_CACHE_DIR"] = str(tmp_path_factory.mktemp("check-cache"))
    yield
    if before is None:
        del os.environ["CURATION_CACHE_DIR"]
    else:
        os.environ["CURATION_CACHE_DIR"] = before


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A copy of the repository's seeds and pyproject.toml, the current folder during the test."""
    root = make_project(tmp_path / "project")
    cwd = Path.cwd()
    os.chdir(root)
    try:
        yield root
    finally:
        os.chdir(cwd)


def tree_state(root: Path) -> dict[str, str]:
    """Every file under ``root`` (links included, not followed) with its content digest."""
    state = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_symlink():
            state[name] = f"-> {path.readlink()}"
        elif path.is_file():
            state[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state
