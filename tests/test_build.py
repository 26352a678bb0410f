"""End to end: the CLI builds dist/ from the real seeds, as a maintainer runs it."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import datasets
import pyarrow.parquet as pq
import pytest
import yaml
from huggingface_hub import DatasetCard

from curation.cli import main
from curation.schema import features, row_validator

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


def make_project(root: Path, seed_order: list[Path] | None = None) -> Path:
    """A corpus checkout in ``root``: seeds (copied in ``seed_order``) and pyproject."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir()
    for path in seed_order or sorted(SEEDS.iterdir()):
        shutil.copyfile(path, root / "seeds" / path.name)
    shutil.copyfile(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copyfile(REPO / "dataset.toml", root / "dataset.toml")
    return root


def tree_digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def build_in(project: Path, *args: str) -> int:
    """``curation build ARGS`` run in ``project``, in this process."""
    cwd = Path.cwd()
    os.chdir(project)
    try:
        return main(["build", *args])
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("built"))
    assert build_in(project) == 0
    return project / "dist"


def test_sha256sums_cover_every_file_and_pass(built: Path) -> None:
    listed = {}
    for line in (built / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    on_disk = {k: v for k, v in tree_digests(built).items() if k != "SHA256SUMS"}
    assert listed == on_disk
    if shutil.which("sha256sum"):
        subprocess.run(
            ["sha256sum", "--quiet", "--strict", "-c", "SHA256SUMS"], cwd=built, check=True
        )


def test_load_dataset_default_and_per_language(built: Path) -> None:
    everything = datasets.load_dataset(str(built), split="train")
    assert everything.features == features()
    rows = everything.to_list()
    assert len(rows) == len({r["id"] for r in rows}) > 0
    for row in rows:
        assert not list(row_validator().iter_errors(row)), row["id"]
    languages = sorted({r["language"] or "und" for r in rows})
    total = 0
    for language in languages:
        subset = datasets.load_dataset(str(built), language, split="train")
        assert subset.features == features()
        assert {r["language"] or "und" for r in subset.to_list()} == {language}
        total += subset.num_rows
    assert total == len(rows)


def readme_python_blocks() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return [
        block.split("\n", 1)[1] for block in text.split("```")[1::2] if block.startswith("python")
    ]


def test_readme_replay_example_runs_on_a_loaded_split(built: Path) -> None:
    """The README's replay example, run as written on every row ``datasets`` loads."""
    (example,) = [block for block in readme_python_blocks() if "replay(" in block]
    ds = datasets.load_dataset(str(built), split="train")
    cwd = Path.cwd()
    os.chdir(built.parent)  # the example opens seeds/<seed_id>.txt
    try:
        for index in range(ds.num_rows):
            exec(example.replace("ds[0]", f"ds[{index}]"), {"ds": ds})  # the README's own example
    finally:
        os.chdir(cwd)


def test_card_lists_how_each_language_was_decided(built: Path) -> None:
    card = (built / "README.md").read_text(encoding="utf-8")
    rows = datasets.load_dataset(str(built), split="train").to_list()
    section = card.split("## Languages", 1)[1].split("\n## ", 1)[0]
    for language in sorted({r["language"] or "und" for r in rows}):
        records = [r for r in rows if (r["language"] or "und") == language]
        decided = [
            sum(r["language_decided_by"] == kind for r in records)
            for kind in ("detection", "declaration", None)
        ]
        line = f"| `{language}` | {len(records)} | " + " | ".join(map(str, decided)) + " |"
        assert line in section


def test_card_parses_and_declares_every_config(built: Path) -> None:
    card = DatasetCard.load(built / "README.md")
    data = card.data.to_dict()
    names = [c["config_name"] for c in data["configs"]]
    folders = sorted(p.name for p in (built / "data").iterdir())
    assert names == ["default", *folders]
    assert data["license"] == "other"  # never an open license the sources do not give
    header = yaml.safe_load((built / "README.md").read_text(encoding="utf-8").split("---")[1])
    assert header["size_categories"] == ["n<1K"]
    assert "Known limitations and biases" in card.text
    assert "## Sources" in card.text


def test_parquet_carries_version_and_features(built: Path) -> None:
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "curation"
    ]["version"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    for path in sorted((built / "data").rglob("*.parquet")):
        metadata = pq.read_schema(path).metadata
        assert json.loads(metadata[b"curation"])["dataset_version"] == version
        assert json.loads(metadata[b"huggingface"])["info"]["features"]


def test_rebuild_changes_no_byte(built: Path, tmp_path: Path) -> None:
    project = built.parent
    before = tree_digests(built)
    cwd = Path.cwd()
    os.chdir(project)
    try:
        assert main(["build"]) == 0
    finally:
        os.chdir(cwd)
    assert tree_digests(built) == before


def test_build_keeps_what_the_imports_made_out_of_the_collector(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The objects alive when the build starts are frozen (gc.freeze) for the build,
    and given back to the collector after it, even when it fails."""
    import gc

    import curation.build

    events: list[str] = []
    build = curation.build.build

    def recorded_build(*args: Any, **kwargs: Any) -> Any:
        events.append("build")
        if len(events) > 2:
            raise OSError("the second build fails")
        return build(*args, **kwargs)

    monkeypatch.setattr(gc, "freeze", lambda: events.append("freeze"))
    monkeypatch.setattr(gc, "unfreeze", lambda: events.append("unfreeze"))
    monkeypatch.setattr(curation.build, "build", recorded_build)
    assert build_in(built.parent, "--no-cache") == 0
    assert events == ["freeze", "build", "unfreeze"]
    with contextlib.suppress(OSError):  # raised, or mapped to an exit code
        assert build_in(built.parent, "--no-cache") != 0
    assert events[3:] == ["freeze", "build", "unfreeze"]


def _cli(
    project: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "curation", *args],
        cwd=project,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


@pytest.mark.slow
def test_same_bytes_whatever_hash_seed_time_zone_locale_and_listing_order(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.iterdir())
    shuffled = seeds[:]
    random.Random(7).shuffle(shuffled)
    first = make_project(tmp_path / "a", seeds)
    second = make_project(tmp_path / "b", list(reversed(shuffled)))
    one = _cli(first, "build", env={"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C"})
    two = _cli(
        second,
        "build",
        env={
            "PYTHONHASHSEED": "4242",
            "TZ": "Asia/Shanghai",
            "LC_ALL": "C.UTF-8",
            "LANG": "ru_RU.UTF-8",
        },
    )
    assert one.returncode == 0, one.stderr
    assert two.returncode == 0, two.stderr
    assert tree_digests(first / "dist") == tree_digests(second / "dist")


def test_verify_passes_on_a_fresh_build_and_names_what_differs(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    project = built.parent
    assert _cli(project, "verify", "--against", str(copy)).returncode == 0
    # Tamper with one record's text: verify must name the file and the record.
    parquet = sorted(copy.rglob("*.parquet"))[0]
    table = pq.read_table(parquet)
    rows = table.to_pylist()
    rows[0]["text"] += " tampered"
    pq.write_table(type(table).from_pylist(rows, schema=table.schema), parquet)
    result = _cli(project, "verify", "--against", str(copy))
    assert result.returncode == 3
    relative = parquet.relative_to(copy).as_posix()
    assert relative in result.stderr
    assert rows[0]["id"] in result.stderr
    assert "SHA256SUMS" in result.stderr  # the file no longer matches its checksum either


def test_committed_dist_is_not_stale() -> None:
    """The repository is the published dataset: dist/ must be what the seeds build to."""
    result = _cli(REPO, "verify")
    assert result.returncode == 0, result.stdout + result.stderr


def test_parallel_steps_give_the_same_bytes(built: Path, tmp_path: Path) -> None:
    from curation.build import BuildOptions, build_into

    project = built.parent
    target = tmp_path / "dist"
    target.mkdir()
    options = BuildOptions(
        seeds_dir=project / "seeds",
        dist_dir=target,
        pyproject=project / "pyproject.toml",
        changelog=project / "CHANGELOG.md",
        batch_size=2,  # several batches, so the two processes both get work
        jobs=2,
    )
    build_into(target, options)
    assert tree_digests(target) == tree_digests(built)
