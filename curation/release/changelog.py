"""CHANGELOG.md: one dated entry per release, newest first, written by ``curation release``.

An entry is generated from the diff between the new build and the previous release:
counts per config, the records added, removed and changed (by id, with their
titles), and the steps, rules and libraries that changed. The date is the release
command's, read once and written here; builds read it back from this file (the
card's "Versions" section, Croissant's ``datePublished``) and never read the clock.

>>> text = prepend_entry(None, "## [1.0.0] - 2026-01-02\\n\\nFirst release.\\n")
>>> release_date(text, "1.0.0"), release_date(text, "2.0.0")
('2026-01-02', None)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from curation.release.diff import DatasetDiff
    from curation.release.versioning import Bump, Version

TITLE = "# Changelog"
PREAMBLE = """\
Every release of the dataset, newest first. `curation release` writes each entry from
the difference between the new build and the previous release (`curation diff OLD NEW`
shows it in full); the data card's "Versions" section shows this file. Version numbers
follow the rule in README.md, "Releases and versions"."""

# How many record ids an entry names per section before "and N more".
LISTED_RECORDS = 50

_ENTRY = re.compile(r"^## \[(?P<version>[^\]]+)\] - (?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})\s*$", re.M)


def release_date(changelog: str | None, version: str) -> str | None:
    """The date of ``version``'s entry, or None when it has none (not released yet)."""
    for match in _ENTRY.finditer(changelog or ""):
        if match["version"] == version:
            return match["date"]
    return None


def prepend_entry(changelog: str | None, entry: str) -> str:
    """``changelog`` with ``entry`` before its newest entry (a new file when there is none)."""
    entry = entry.strip("\n") + "\n"
    if not changelog or not changelog.strip():
        return f"{TITLE}\n\n{PREAMBLE}\n\n{entry}"
    first = _ENTRY.search(changelog)
    if first is None:
        return changelog.rstrip("\n") + "\n\n" + entry
    return changelog[: first.start()] + entry + "\n" + changelog[first.start() :]


def _cell(value: object) -> str:
    return str(value or "—").replace("|", "\\|").replace("\n", " ")


def _listed(ids: list[str], describe: dict[str, str]) -> list[str]:
    lines = [f"- `{i}`{describe.get(i, '')}" for i in ids[:LISTED_RECORDS]]
    if len(ids) > LISTED_RECORDS:
        lines.append(f"- … and {len(ids) - LISTED_RECORDS} more (`curation diff` lists them all)")
    return lines


def _about(rows: dict[str, dict[str, object]], config_of: dict[str, str]) -> dict[str, str]:
    """`` (en): "Title" — Source, 2024-01-02`` for each id with a row."""
    about = {}
    for record_id, row in rows.items():
        # One line per record, whatever the title holds.
        title = f' "{" ".join(str(row["title"]).split())}"' if row.get("title") else ""
        credit = ", ".join(str(row[k]) for k in ("source", "date") if row.get(k))
        about[record_id] = f" ({config_of[record_id]}){title}" + (f" — {credit}" if credit else "")
    return about


def render_entry(
    version: Version, date: str, diff: DatasetDiff, bump: Bump | None, previous: str | None
) -> str:
    """The CHANGELOG.md entry of a release, in Markdown."""
    added, removed, changed = diff.added, diff.removed, diff.changed
    if previous is None:
        headline = f"First release: {len(added)} records."
    else:
        headline = (
            f"{str(bump).capitalize()} release after {previous}: {len(added)} added, "
            f"{len(removed)} removed, {len(changed)} changed records."
        )
    lines = [f"## [{version}] - {date}", "", headline, ""]
    lines += ["| config | records | added | removed | changed |", "|---|---|---|---|---|"]
    for name, config in diff.configs.items():
        lines.append(
            f"| {name} | {config.new_count} | {len(config.added)} | {len(config.removed)} "
            f"| {len(config.changed)} |"
        )
    new_config = {i: c.name for c in diff.configs.values() for i in c.added}
    old_config = {i: c.name for c in diff.configs.values() for i in c.removed}
    described = ["id", "title", "source", "date"]
    if added:
        columns = [c for c in described if c in diff.new.columns]
        rows = diff.new.rows(set(added[:LISTED_RECORDS]), columns)
        lines += ["", "### Added", "", *_listed(added, _about(rows, new_config))]
    if removed:
        columns = [c for c in described if c in diff.old.columns]
        rows = diff.old.rows(set(removed[:LISTED_RECORDS]), columns)
        lines += ["", "### Removed", "", *_listed(removed, _about(rows, old_config))]
    if changed:
        what = {
            r.id: f" ({r.config}): {', '.join(r.changed_names)}" for r in changed[:LISTED_RECORDS]
        }
        lines += ["", "### Changed", "", *_listed([r.id for r in changed], what)]
    pipeline = (
        diff.columns.describe("column")
        + diff.steps.describe("step")
        + diff.rules.describe("rules", short=True)
        + diff.libraries.describe("library")
    )
    if pipeline and previous is not None:
        lines += ["", "### Pipeline", "", *(f"- {_cell(item)}" for item in pipeline)]
    return "\n".join(lines) + "\n"
