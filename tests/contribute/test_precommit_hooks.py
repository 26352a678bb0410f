"""The pre-commit hooks: the seeds check's pinned environment matches requirements.lock and
holds everything `curation check` imports; the hook other repositories use installs the same
pins and nothing else (the project's dependencies are the check's; Parquet and the Hub are
the `publish` extra)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from importlib.metadata import distribution
from pathlib import Path

import yaml
from packaging.requirements import Requirement

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
    # A pin may name extras: lxml[html_clean]==6.1.3 (noxfile.EXTRAS_IN_LOCK).
    pins = re.findall(r"^([A-Za-z0-9_.-]+)(?:\[[^]]*\])?==(\S+)", text, re.M)
    return {normalized(n): v for n, v in pins}


def pins(path: Path = REPO / ".pre-commit-config.yaml") -> dict[str, str]:
    config = hook(path, "curation-check")
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
    # datasketch's package imports scipy (some 1.4 s, every commit): check uses its
    # own LSH buckets (curation.contribute.near_duplicates.NearDuplicateIndex).
    assert "scipy" not in needed and "datasketch" not in needed
    missing = needed - set(pins()) - OPTIONAL
    assert not missing, f"add to the curation-check hook's additional_dependencies: {missing}"


def test_the_hook_offered_to_other_repositories() -> None:
    offered = hook(REPO / ".pre-commit-hooks.yaml", "curation-check")
    assert offered["entry"] == "curation check"
    assert offered["files"] == "^seeds/"
    assert offered["language"] == "python"
    assert offered["pass_filenames"] is False


def project_table() -> dict[str, object]:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]  # type: ignore[no-any-return]


def closure(requirements: list[str]) -> set[str]:
    """Every distribution pip installs for ``requirements`` (extras such as lxml[html_clean]
    followed), read from the metadata of the packages installed here (requirements.lock's)."""
    found: set[str] = set()
    seen: set[tuple[str, str]] = set()
    todo = [(Requirement(text), "") for text in requirements]
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = normalized(requirement.name)
        found.add(name)
        for wanted in ("", *sorted(requirement.extras)):
            if (name, wanted) not in seen:
                seen.add((name, wanted))
                requires = distribution(requirement.name).requires or []
                todo += [(Requirement(text), wanted) for text in requires]
    return found


def test_the_projects_dependencies_are_the_checks() -> None:
    """`pip install curation` (what a hook installs) brings no Parquet or Hub library."""
    needed = closure(project_table()["dependencies"])  # type: ignore[arg-type]
    assert not needed & {"pyarrow", "datasets", "huggingface-hub", "pandas", "fsspec"}
    extra = closure(project_table()["optional-dependencies"]["publish"])  # type: ignore[index]
    assert {"pyarrow", "datasets", "huggingface-hub", "pyyaml"} <= extra
    assert "pyyaml" not in needed  # only the card (publish) reads and writes YAML


def test_the_offered_hook_pins_exactly_the_checks_closure_at_the_lock() -> None:
    """pip resolves nothing unpinned: every package the project's dependencies pull in is
    pinned in the hook at its locked version, and nothing else is (the local hook: the same)."""
    locked = locked_versions()
    offered = pins(REPO / ".pre-commit-hooks.yaml")
    needed = closure(project_table()["dependencies"])  # type: ignore[arg-type]
    assert set(offered) == needed, (
        f"unpinned: {sorted(needed - set(offered))}; not needed: {sorted(set(offered) - needed)}"
    )
    for name, version in sorted(offered.items()):
        assert locked.get(name) == version, f"{name}: hook pins {version}, lock {locked.get(name)}"
    assert offered == pins()


def test_without_the_publish_extra_check_runs_and_build_says_what_to_install(
    tmp_path: Path,
) -> None:
    """As in the hook's environment: no pyarrow, datasets or huggingface_hub."""
    probe = (
        "import sys\n"
        "for name in ('pyarrow', 'datasets', 'huggingface_hub', 'yaml'):\n"
        "    sys.modules[name] = None  # importing it now fails as if not installed\n"
        "from curation.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", probe, *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
            cwd=REPO,
        )

    check = run("check", "--no-cache", "--seeds", str(REPO / "seeds"))
    assert check.returncode == 0, check.stderr
    build = run("build", "--dist", str(tmp_path / "dist"))
    assert build.returncode == 1
    assert 'pip install "curation[publish]"' in build.stderr
    assert "Traceback" not in build.stderr
    assert not (tmp_path / "dist").exists()
    review = run("review", "--all", "--out", str(tmp_path / "review"))
    assert review.returncode == 1 and "needs yaml" in review.stderr, review.stderr
