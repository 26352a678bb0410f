"""Maintainer sessions. `nox -l` lists them; `nox -s NAME -- ARGS` passes ARGS through.

Every session installs the exact versions in requirements.lock (with hashes), then
this project without dependencies, so a build on any machine uses the same bytes
of pyarrow, ftfy and the language model as the published one.
"""

from __future__ import annotations

import os

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "venv"
nox.options.sessions = ["lint", "tests"]
nox.options.error_on_external_run = True

PYTHON = "3.11"
LOCK = "requirements.lock"

# The Hub and the web are out of reach in tests and builds: fail fast, never download.
OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
}


def install_locked(session: nox.Session) -> None:
    session.install("--require-hashes", "--no-deps", "-r", LOCK)
    session.install("--no-deps", "-e", ".")


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (unit, property, end-to-end, golden files, verify of dist/)."""
    install_locked(session)
    env = {**OFFLINE, "PYTHONWARNDEFAULTENCODING": "1"}
    session.run("python", "-m", "pytest", *session.posargs, env=env)


@nox.session(python=PYTHON)
def property(session: nox.Session) -> None:
    """Run only the hypothesis property tests, with many more examples."""
    install_locked(session)
    env = {**OFFLINE, "PYTHONWARNDEFAULTENCODING": "1", "CURATION_HYPOTHESIS_PROFILE": "thorough"}
    session.run("python", "-m", "pytest", "-m", "property", *session.posargs, env=env)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Run pre-commit on every file (ruff, formatting, hygiene, the seeds check), then mypy."""
    install_locked(session)
    session.run("pre-commit", "run", "--all-files", "--show-diff-on-failure", *session.posargs)
    # mypy needs the locked libraries it checks against, so it runs here, not as a hook.
    session.run("mypy", "curation")


@nox.session(python=PYTHON)
def build(session: nox.Session) -> None:
    """Build the dataset from seeds/ into dist/."""
    install_locked(session)
    session.run("curation", "build", *session.posargs, env=OFFLINE)


@nox.session(python=PYTHON)
def verify(session: nox.Session) -> None:
    """Rebuild in a temporary folder and check dist/ byte for byte."""
    install_locked(session)
    session.run("curation", "verify", *session.posargs, env=OFFLINE)


@nox.session(python=PYTHON)
def check(session: nox.Session) -> None:
    """Validate seeds/: sidecars, sha256, ids, encoding, languages, near-duplicates."""
    install_locked(session)
    session.run("curation", "check", *session.posargs, env=OFFLINE)


@nox.session(python=PYTHON)
def review(session: nox.Session) -> None:
    """Write review/<id>.html and review/summary.md (`-- SEED_ID...`; every seed by default)."""
    install_locked(session)
    session.run("curation", "review", *(session.posargs or ["--all"]), env=OFFLINE)


@nox.session(python=PYTHON, default=False)
def bench(session: nox.Session) -> None:
    """Measure speed and memory of the build on a generated corpus (see bench/)."""
    install_locked(session)
    session.run("python", "bench/run.py", *session.posargs, env=OFFLINE)


@nox.session(python=PYTHON, default=False)
def release(session: nox.Session) -> None:
    """Build, diff against the last release, check the bump, commit and tag (`-- --bump minor`)."""
    install_locked(session)
    session.run("curation", "release", *session.posargs, env=OFFLINE)


@nox.session(python=PYTHON, default=False)
def publish(session: nox.Session) -> None:
    """Upload the released dist/ to the Hub, tagged (`-- --repo-id ORG/NAME [--dry-run]`)."""
    install_locked(session)
    # Online on purpose: the Hub is the point. The token comes from HF_TOKEN or the
    # huggingface_hub login, which nox passes through untouched.
    session.run("curation", "publish", *session.posargs)


@nox.session(python=PYTHON, default=False)
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
