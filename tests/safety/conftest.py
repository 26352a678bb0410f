"""Shared setup of the "nothing lost" tests: projects in temporary folders, their exact state.

Nothing here touches the repository the tests run from.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from curation.cli import main
from tests.contribute.conftest import private_check_cache  # noqa: F401 (fixture)


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(root: Path, *args: str) -> Run:
    """``curation ARGS`` in ``root``, in this process."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    return Run(code, out.getvalue(), err.getvalue())


def folder_state(root: Path) -> dict[str, str]:
    """Every entry under ``root`` (or ``root`` itself, a file): folders, links and file digests.

    Byte-identical folders have equal states; ``.git`` is left out (git state is
    compared with git's own commands).
    """
    if root.is_symlink():
        return {".": f"-> {root.readlink()}"}
    if root.is_file():
        return {".": hashlib.sha256(root.read_bytes()).hexdigest()}
    state = {}
    for dirpath, dirs, files in os.walk(root):
        base = Path(dirpath)
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in sorted(dirs + files):
            path = base / name
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                state[key] = f"-> {path.readlink()}"
            elif path.is_dir():
                state[key] = "folder"
            else:
                state[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return dict(sorted(state.items()))


@contextlib.contextmanager
def inside(folder: Path) -> Iterator[None]:
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(cwd)
