"""Listing the seeds folder (``discover_seeds``): what it finds, and what it keeps.

The definition is the listing as it was written first, one ``Seed`` with its paths
a pair (``listed_as_defined`` below): ``discover_seeds`` keeps only the ids and must
give the same seeds and the same problems, in the same order, whatever order the
file system lists the files in.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import pytest

from curation import seeds as seeds_module
from curation.errors import Problem
from curation.seeds import (
    ALLOWED_EXTRA_FILES,
    SEED_ID,
    Seed,
    SeedList,
    discover_seeds,
    file_kind,
)


def listed_as_defined(seeds_dir: Path) -> tuple[list[Seed], list[Problem]]:
    """The listing's definition: every file's path, paired by stem."""
    problems: list[Problem] = []
    texts: dict[str, Path] = {}
    sidecars: dict[str, Path] = {}
    with os.scandir(seeds_dir) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        if entry.name in ALLOWED_EXTRA_FILES:
            continue
        path = seeds_dir / entry.name
        kind = {".txt": texts, ".json": sidecars}.get(path.suffix)
        if entry.is_symlink():
            problems.append(Problem(str(path), "is a symbolic link; seeds must be regular files"))
        elif not entry.is_file():
            problems.append(
                Problem(
                    str(path),
                    f"is {file_kind(path)}: the seeds folder holds only regular files",
                    "move it out of the seeds folder",
                )
            )
        elif kind is None or not SEED_ID.match(path.stem):
            problems.append(
                Problem(
                    str(path),
                    "unknown file: the seeds folder holds only <id>.txt and <id>.json, "
                    "with ids like 005_0123456789abcdef",
                    "add seeds with `curation add-seed PATH`",
                )
            )
        else:
            kind[path.stem] = path
    for seed_id in sorted(texts.keys() - sidecars.keys()):
        problems.append(
            Problem(
                str(texts[seed_id]),
                f"no sidecar: expected {seed_id}.json beside it",
                "`curation add-seed` writes the sidecar",
            )
        )
    for seed_id in sorted(sidecars.keys() - texts.keys()):
        problems.append(
            Problem(str(sidecars[seed_id]), f"sidecar without a seed: no {seed_id}.txt")
        )
    seeds = [Seed(i, texts[i], sidecars[i]) for i in sorted(texts.keys() & sidecars.keys())]
    return seeds, problems


def messy_folder(root: Path) -> Path:
    """A seeds folder with pairs, strays and everything the listing refuses."""
    seeds_dir = root / "seeds"
    seeds_dir.mkdir()
    for number in (7, 3, 12, 1000):
        stem = f"{number:03d}_{number:016x}"
        (seeds_dir / f"{stem}.txt").write_text("text", encoding="utf-8")
        (seeds_dir / f"{stem}.json").write_text("{}", encoding="utf-8")
    (seeds_dir / "020_00000000000000aa.txt").write_text("no sidecar", encoding="utf-8")
    (seeds_dir / "021_00000000000000bb.json").write_text("{}", encoding="utf-8")
    (seeds_dir / "notes.txt").write_text("not an id", encoding="utf-8")
    (seeds_dir / "022_00000000000000cc.md").write_text("other suffix", encoding="utf-8")
    (seeds_dir / "023_00000000000000dd.txt.json").write_text("{}", encoding="utf-8")
    (seeds_dir / ".txt").write_text("a hidden file", encoding="utf-8")
    (seeds_dir / "subfolder.txt").mkdir()
    (seeds_dir / "024_00000000000000ee.txt").symlink_to(seeds_dir / "notes.txt")
    (seeds_dir / "README.md").write_text("allowed", encoding="utf-8")
    (seeds_dir / ".last-id").write_text("1000", encoding="utf-8")
    return seeds_dir


class _Listing:
    """``os.scandir``'s entries in another order (reversed), as a context manager."""

    def __init__(self, entries: list[os.DirEntry[str]]) -> None:
        self._entries = entries

    def __enter__(self) -> Iterator[os.DirEntry[str]]:
        return iter(self._entries)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


@pytest.mark.parametrize("order", ["as listed", "reversed", "sorted"])
def test_discovery_finds_what_the_definition_finds_in_any_listing_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, order: str
) -> None:
    seeds_dir = messy_folder(tmp_path)
    expected_seeds, expected_problems = listed_as_defined(seeds_dir)
    real_scandir = os.scandir

    def scandir(path: Path) -> _Listing:
        with real_scandir(path) as listing:
            entries = list(listing)
        if order == "reversed":
            entries.sort(key=lambda entry: entry.name, reverse=True)
        elif order == "sorted":
            entries.sort(key=lambda entry: entry.name)
        return _Listing(entries)

    monkeypatch.setattr(seeds_module.os, "scandir", scandir)
    seeds, problems = discover_seeds(seeds_dir)
    assert list(seeds) == expected_seeds
    assert problems == expected_problems
    assert len(expected_seeds) == 4 and len(expected_problems) == 8  # the folder is as meant


def test_discovery_keeps_the_ids_only(tmp_path: Path) -> None:
    """The seeds listed are a SeedList of ids, no digests: every seed made when asked for,
    with its paths and a Seed's defaults (not validated)."""
    seeds_dir = messy_folder(tmp_path)
    seeds, _ = discover_seeds(seeds_dir)
    assert isinstance(seeds, SeedList)
    assert list(seeds.ids) == [
        "003_0000000000000003",
        "007_0000000000000007",
        "012_000000000000000c",
        "1000_00000000000003e8",
    ]
    assert len(seeds.sidecar_sha256) == len(seeds.text_sha256) == len(seeds.text_size) == 0
    last = seeds[-1]
    assert last == Seed(
        "1000_00000000000003e8",
        seeds_dir / "1000_00000000000003e8.txt",
        seeds_dir / "1000_00000000000003e8.json",
    )
    assert (last.sidecar_sha256, last.text_sha256, last.text_size, last.selected) == (
        "",
        "",
        0,
        None,
    )
    assert list(seeds[1:3]) == [seeds[1], seeds[2]]
    with pytest.raises(IndexError):
        seeds[4]


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    from curation.errors import InvalidInput

    with pytest.raises(InvalidInput, match="the seeds folder does not exist"):
        discover_seeds(tmp_path / "absent")
