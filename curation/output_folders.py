"""The tool only ever replaces what it made.

``build`` and ``release`` replace the ``--dist`` folder as a whole, and ``review``
writes its pages into ``--out``. Before either, the folder is checked: it must be
absent, empty, or one the tool wrote. Anything else -- ``seeds/``, the repository
or any folder that holds ``seeds/`` (``.``), a folder inside ``seeds/`` or inside a
built dataset, a folder with other files, a file, a symbolic link -- is refused
with exit 2 and the reason, and nothing is touched.

A built dataset is recognised by what the build writes: a ``manifest.json`` that
names curation among the libraries and lists every published file, and a
``SHA256SUMS``. The folder may hold those files and nothing else (a file the
manifest does not list was put there by someone: replacing the folder would lose
it). The manifest is the mark, rather than a separate marker file, so that the
published dataset carries no file that exists only for the tool. A review folder
holds ``summary.md``, ``index.html`` and ``<seed id>.html`` pages and nothing else.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from curation.errors import InvalidInput, Problem
from curation.publish.checksums import SUMS_NAME
from curation.publish.manifest import MANIFEST_NAME
from curation.seeds import SEED_ID

# Foreign entries named in a refusal, at most; the rest are counted.
SHOWN_ENTRIES = 5
REVIEW_SUMMARY = "summary.md"
REVIEW_INDEX = "index.html"  # curation.review.index_page.INDEX_NAME


def _entries(folder: Path) -> list[tuple[str, Path]]:
    """Every file, link and special file under ``folder`` (links not followed), sorted."""
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        base = Path(root)
        for name in files + [d for d in dirs if (base / d).is_symlink()]:
            path = base / name
            found.append((path.relative_to(folder).as_posix(), path))
    return sorted(found)


def _listed_files(folder: Path) -> set[str] | None:
    """The files the dataset's manifest lists, or None when it is not a curation manifest."""
    manifest = folder / MANIFEST_NAME
    if manifest.is_symlink() or not manifest.is_file() or not (folder / SUMS_NAME).is_file():
        return None
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    files, libraries = data.get("files"), data.get("libraries")
    if not isinstance(files, dict) or not isinstance(libraries, dict):
        return None
    if "curation" not in libraries or "format" not in data:
        return None
    return {str(name) for name in files} | {MANIFEST_NAME, SUMS_NAME}


def foreign_dataset_entries(folder: Path) -> list[str] | None:
    """What in ``folder`` the build did not write; None when it is not a built dataset."""
    listed = _listed_files(folder)
    if listed is None:
        return None
    return [
        name
        for name, path in _entries(folder)
        if name not in listed or path.is_symlink() or not path.is_file()
    ]


def is_built_dataset(folder: Path) -> bool:
    """A folder the build wrote, holding nothing else (see the module's docstring)."""
    return folder.is_dir() and not folder.is_symlink() and foreign_dataset_entries(folder) == []


def _shown(names: list[str]) -> str:
    shown = ", ".join(names[:SHOWN_ENTRIES])
    more = len(names) - SHOWN_ENTRIES
    return f"{shown} and {more} more" if more > 0 else shown


def _placement_problem(folder: Path, seeds_dir: Path, what: str) -> str | None:
    """Why ``folder`` may not be written at all, whatever it holds; None when it may."""
    if folder.is_symlink():
        return (
            f"is a symbolic link (to {folder.readlink()}): {what} would replace the link, "
            "not the folder it points to"
        )
    if folder.exists() and not folder.is_dir():
        return "is a file, not a folder"
    target, seeds = folder.resolve(), seeds_dir.resolve()
    if target == seeds:
        return "is the seeds folder"
    if seeds.is_relative_to(target):
        return f"holds the seeds folder {seeds_dir}/: it is the repository or a folder above it"
    if target.is_relative_to(seeds):
        return f"is inside {seeds_dir}/, the seeds folder"
    for parent in target.parents:
        if is_built_dataset(parent):
            return f"is inside {parent}/, a built dataset"
    return None


def check_dataset_output(dist: Path, seeds_dir: Path) -> None:
    """Refuse (InvalidInput, exit 2) a ``--dist`` that is not absent, empty or a built dataset."""
    why = _placement_problem(dist, seeds_dir, "the build")
    if why is None and dist.is_dir():
        foreign = foreign_dataset_entries(dist)
        entries = [name for name, _ in _entries(dist)]
        if foreign is None and entries:
            why = (
                f"is not a dataset written by curation (no curation manifest.json) and "
                f"holds {len(entries)} file{'s' if len(entries) != 1 else ''}: {_shown(entries)}"
            )
        elif foreign:
            why = f"holds files the build did not write: {_shown(foreign)}"
    if why is not None:
        raise InvalidInput(
            [
                Problem(
                    str(dist),
                    f"will not be replaced by the build: it {why}",
                    "give --dist a new or empty folder, or a dataset folder written by "
                    "`curation build` (move any file of yours out of it first)",
                )
            ]
        )


def check_review_output(out: Path, seeds_dir: Path, dist_dir: Path) -> None:
    """Refuse an ``--out`` that is not absent, empty or a review folder (exit 2)."""
    why = _placement_problem(out, seeds_dir, "review")
    if why is None and out.resolve().is_relative_to(dist_dir.resolve()):
        why = f"is inside {dist_dir}/, the dataset folder"
    if why is None and out.is_dir():
        foreign = [
            name
            for name, path in _entries(out)
            if path.is_symlink()
            or not path.is_file()
            or not (
                name in (REVIEW_SUMMARY, REVIEW_INDEX)
                or (name.endswith(".html") and SEED_ID.match(name.removesuffix(".html")))
            )
        ]
        if foreign:
            why = f"holds files that are not review pages: {_shown(foreign)}"
    if why is not None:
        raise InvalidInput(
            [
                Problem(
                    str(out),
                    f"review will not write here: it {why}",
                    "choose a new or empty folder, e.g. --out review",
                )
            ]
        )
