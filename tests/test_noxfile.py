"""noxfile.py: the sessions share one locked environment, installed again only when
requirements.lock or pyproject.toml changed (nox itself is not in the lock: a stand-in
module lets the noxfile be imported here, and a stand-in session records what it runs)."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import shutil
import sys
import types
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent


def load_noxfile(monkeypatch: pytest.MonkeyPatch) -> Any:
    stand_in = types.ModuleType("nox")
    stand_in.options = types.SimpleNamespace()  # type: ignore[attr-defined]
    stand_in.session = lambda *a, **k: (lambda f: f) if not (a and callable(a[0])) else a[0]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "nox", stand_in)
    spec = importlib.util.spec_from_file_location("noxfile_under_test", REPO / "noxfile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Session:
    """Records commands; "creating" a venv makes its bin/python."""

    def __init__(self) -> None:
        self.commands: list[tuple[str, ...]] = []

    def run(self, *args: str, **_: object) -> None:
        self.commands.append(args)
        if args[1:3] == ("-m", "venv"):
            (Path(args[3]) / "bin").mkdir(parents=True)
            (Path(args[3]) / "bin" / "python").write_text("", encoding="utf-8")

    def log(self, _: str) -> None:
        pass

    def error(self, message: str) -> None:
        raise AssertionError(message)


def installs(session: Session) -> list[str]:
    return [" ".join(c[1:]) for c in session.commands if "pip" in c]


def test_the_shared_environment_is_installed_once_per_lock(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    noxfile = load_noxfile(monkeypatch)
    root = tmp_path / "checkout"
    root.mkdir()
    for name in ("requirements.lock", "pyproject.toml"):
        shutil.copyfile(REPO / name, root / name)
    env = tmp_path / "locked"

    first = Session()
    assert noxfile.locked(first, env, root) == env / "bin"
    assert first.commands[0][1:3] == ("-m", "venv")
    assert installs(first) == [
        "-m pip install --require-hashes --no-deps -r requirements.lock",
        "-m pip install --no-deps -e .",
    ]

    again = Session()
    noxfile.locked(again, env, root)
    assert again.commands == []  # nothing installed: `nox -s check` costs what check costs

    (root / "requirements.lock").write_text("changed\n", encoding="utf-8")
    changed = Session()
    noxfile.locked(changed, env, root)
    assert len(installs(changed)) == 2 and ("-m", "venv") not in [c[1:3] for c in changed.commands]


def test_an_interrupted_install_is_redone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    noxfile = load_noxfile(monkeypatch)
    env = tmp_path / "locked"

    class Interrupted(Session):
        def run(self, *args: str, **kwargs: object) -> None:
            super().run(*args, **kwargs)
            if "-e" in args:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        noxfile.locked(Interrupted(), env, REPO)
    retry = Session()
    noxfile.locked(retry, env, REPO)
    assert len(installs(retry)) == 2


def test_every_project_session_uses_the_shared_environment() -> None:
    text = (REPO / "noxfile.py").read_text(encoding="utf-8")
    sessions = re.findall(r"@nox\.session\(([^)]*)\)\ndef (\w+)\(.*?\n(?=@nox|\Z)", text, re.S)
    assert len(sessions) >= 10
    for arguments, name in sessions:
        body = text.split(f"def {name}(", 1)[1].split("@nox.session", 1)[0]
        if name == "lock":  # installs uv from the index into an environment of its own
            continue
        if name == "bench":  # also installs its tools (datatrove...) into a venv of its own
            assert 'venv_backend="none"' in arguments and "run_locked(" in body
            continue
        assert 'venv_backend="none"' in arguments, name
        assert "run_locked(" in body and "session.run(" not in body, name


@pytest.mark.parametrize("compare", [False, True])
def test_bench_keeps_datatrove_out_of_the_shared_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, compare: bool
) -> None:
    """The benchmark's tools go into a virtualenv of their own; the build it times runs
    from the shared, locked environment."""
    noxfile = load_noxfile(monkeypatch)
    locked_runs: list[tuple[str, ...]] = []
    monkeypatch.setattr(noxfile, "run_locked", lambda session, *args, env: locked_runs.append(args))

    class BenchSession(Session):
        posargs = ("--n-docs", "300", *(("--compare",) if compare else ()))

    session = BenchSession()
    tools_env = tmp_path / "bench-tools"
    monkeypatch.setattr(noxfile, "BENCH_TOOLS_ENV", tools_env)
    noxfile.bench(session)
    tools = str(tools_env / "bin" / "python")
    assert session.commands[0][1:] == ("-m", "venv", str(tools_env))
    (install,) = [c for c in session.commands if c[0] == tools]
    assert install[1:4] == ("-m", "pip", "install") and "psutil==7.2.2" in install
    assert any(p.startswith("datatrove") for p in install) is compare
    lock = (REPO / "requirements.lock").read_text(encoding="utf-8")
    assert "datatrove" not in lock and "psutil" not in lock
    assert locked_runs == [
        ("python", "bench/run.py", "--tools-python", tools, *BenchSession.posargs)
    ]


def test_the_lock_pins_lxml_with_the_extra_justext_asks_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # pip 23.2 (Python 3.11's own) refuses `pip install -r requirements.lock` when a
    # dependency asked for with an extra is pinned without it and the index has a
    # newer release (lxml 6.2.0 broke the install that way on 2026-12-03).
    noxfile = load_noxfile(monkeypatch)
    lock = (REPO / "requirements.lock").read_text(encoding="utf-8")
    assert "\nlxml[html_clean]==6.1.3 \\\n" in lock
    assert "\nlxml==" not in lock
    assert noxfile.pin_extras(lock) == lock
    assert "justext==" in lock


def test_pin_extras_touches_only_the_pins_it_names(monkeypatch: pytest.MonkeyPatch) -> None:
    noxfile = load_noxfile(monkeypatch)
    lock = (
        "lxml==6.1.3 \\\n    --hash=sha256:00\n    # via justext\n"
        "lxml-html-clean==0.4.6 \\\n    --hash=sha256:11\n    # via lxml\n"
    )
    assert noxfile.pin_extras(lock) == lock.replace("lxml==", "lxml[html_clean]==", 1)
    assert noxfile.pin_extras(lock).count("lxml-html-clean==0.4.6") == 1


# A pin of the lock: its name, the extras it is pinned with, its version.
LOCK_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.\-]*)(?:\[([^\]]*)\])?==([^\s;\\]+)", re.MULTILINE)


def extras_pip_asks_for(lock: str) -> dict[str, set[str]]:
    """What `pip install -r requirements.lock` asks of each locked package with an extra:
    the Requires-Dist with extras of the packages it installs (read from their
    installed metadata: the tests run in the locked environment), under the extras
    asked of each, until nothing new is asked. Canonical names."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pins = {canonicalize_name(m[1]) for m in LOCK_PIN.finditer(lock)}
    asked: dict[str, set[str]] = {
        canonicalize_name(m[1]): set(filter(None, (m[2] or "").split(",")))
        for m in LOCK_PIN.finditer(lock)
    }
    needed: dict[str, set[str]] = {}
    changed = True
    while changed:
        changed = False
        for name in sorted(pins):
            try:
                requirements = importlib.metadata.requires(name) or []
            except importlib.metadata.PackageNotFoundError:
                continue  # not for this platform (a marker in the lock)
            environments = [{"extra": extra} for extra in sorted(asked[name] | {""})]
            for text in requirements:
                requirement = Requirement(text)
                dependency = canonicalize_name(requirement.name)
                if not requirement.extras or dependency not in pins:
                    continue
                marker = requirement.marker
                if marker is not None and not any(marker.evaluate(e) for e in environments):
                    continue
                if not requirement.extras <= needed.setdefault(dependency, set()):
                    needed[dependency] |= requirement.extras
                    asked[dependency] |= requirement.extras
                    changed = True
    return needed


def test_every_extra_a_locked_package_asks_for_is_pinned_with_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The class of break lxml 6.2.0 made (see the test above): any locked package that a
    locked package requires with an extra must be pinned with that extra, or the next
    release of it breaks `pip install -r requirements.lock` under pip 23.2. So
    EXTRAS_IN_LOCK (what `nox -s lock` writes) is exactly what the installed metadata
    asks for, and the committed lock has it."""
    noxfile = load_noxfile(monkeypatch)
    lock = (REPO / "requirements.lock").read_text(encoding="utf-8")
    needed = extras_pip_asks_for(lock)
    assert needed, "no locked package asks for an extra: is the locked environment installed?"
    assert {name: ",".join(sorted(extras)) for name, extras in needed.items()} == {
        name: extras for name, extras in noxfile.EXTRAS_IN_LOCK.items()
    }
    pinned = {m[1]: set(filter(None, (m[2] or "").split(","))) for m in LOCK_PIN.finditer(lock)}
    for name, extras in needed.items():
        assert extras <= pinned[name], f"requirements.lock: pin {name} with [{','.join(extras)}]"


def test_extras_pip_asks_for_follows_extras_through_the_packages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On made-up metadata: an extra asked of a package turns on its requirements under
    that extra, which may ask extras of others; unlocked packages and other extras'
    requirements are left out."""
    metadata = {
        "a": ["b[x]>=1", "c; extra == 'unused'", "d[y]"],
        "b": ["c[z]; extra == 'x'", "e[w]; extra == 'other'"],
        "c": [],
        "e": [],
    }

    def requires(name: str) -> list[str]:
        if name not in metadata:
            raise importlib.metadata.PackageNotFoundError(name)
        return metadata[name]

    monkeypatch.setattr(importlib.metadata, "requires", requires)
    lock = "a==1 \\\nb==2 \\\nc[q]==3 \\\ne==4 \\\n"
    assert extras_pip_asks_for(lock) == {"b": {"x"}, "c": {"z"}}
