"""The pre-commit hooks: the seeds check's pinned environment matches requirements.lock and
holds everything `curation check` imports; the hook other repositories use is declared."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def hook(path: Path, hook_id: str) -> dict[str, object]:
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    hooks = config if isinstance(config, list) else [h for r in config["repos"] for h in r["hooks"]]
    (found,) = [h for h in hooks if h["id"] == hook_id]
    return found  # type: ignore[no-any-return]


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_versions() -> dict[str, str]:
    text = (REPO / "requirements.lock").read_text(encoding="utf-8")
    return {normalized(n): v for n, v in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.M)}


def pins() -> dict[str, str]:
    config = hook(REPO / ".pre-commit-config.yaml", "curation-check")
    dependencies = config["additional_dependencies"]
    assert isinstance(dependencies, list)
    pairs = [str(p).split("==") for p in dependencies]
    return {normalized(name): version for name, version in pairs}


def test_the_seeds_hook_runs_the_working_tree_on_seeds() -> None:
    config = hook(REPO / ".pre-commit-config.yaml", "curation-check")
    assert config["entry"] == "python -m curation check"
    assert config["language"] == "python"
    assert config["pass_filenames"] is False
    assert re.match(str(config["files"]), "seeds/005_0123456789abcdef.json")


def test_its_pins_are_the_locked_versions() -> None:
    locked = locked_versions()
    for name, version in sorted(pins().items()):
        assert locked.get(name) == version, (
            f"{name}: hook pins {version}, lock has {locked.get(name)}"
        )


# Loaded when installed, not needed: a .pth hook of setuptools runs at every start;
# numpy.f2py and jsonschema's format checkers import these if they can.
OPTIONAL = {
    "setuptools",
    "charset-normalizer",
    "idna",
    "fqdn",
    "rfc3987",
    "rfc3339-validator",
    "webcolors",
    "jsonpointer",
    "uri-template",
    "isoduration",
    "rfc3986-validator",
    "arrow",
    "types-python-dateutil",
}


def test_its_pins_cover_everything_check_imports() -> None:
    """Run `curation check` and list the distributions of every module it loaded."""
    probe = (
        "import json, sys, importlib.metadata as m\n"
        "from curation.cli import main\n"
        "code = main(['check', '--no-cache', '--seeds', sys.argv[1]])\n"
        "owners = m.packages_distributions()\n"
        "top = {name.split('.')[0] for name in list(sys.modules)}\n"
        "print(json.dumps([code, sorted({d for t in top for d in owners.get(t, [])})]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(REPO / "seeds")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        cwd=REPO,
    )
    code, distributions = json.loads(result.stdout.strip().splitlines()[-1])
    assert code == 0, result.stderr
    needed = {normalized(d) for d in distributions} - {"curation"}
    assert "pyarrow" not in needed and "datasets" not in needed  # the hook stays light
    missing = needed - set(pins()) - OPTIONAL
    assert not missing, f"add to the curation-check hook's additional_dependencies: {missing}"


def test_the_hook_offered_to_other_repositories() -> None:
    offered = hook(REPO / ".pre-commit-hooks.yaml", "curation-check")
    assert offered["entry"] == "curation check"
    assert offered["language"] == "python"
    assert offered["pass_filenames"] is False
