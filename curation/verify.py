"""``curation verify``: rebuild in a temporary folder and compare with the published bytes.

It names every file that differs, and for Parquet files the records that differ, so
that "not reproducible" always comes with where.
"""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from curation.build import BuildOptions, build_into
from curation.errors import DamagedMetadata, InvalidInput, Problem
from curation.progress import Progress
from curation.publish.checksums import SUMS_NAME, file_sha256, published_files, read_sums
from curation.publish.parquet import read_rows


@dataclass
class Difference:
    path: str
    problem: str
    records: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"{self.path}: {self.problem}"
        if self.records:
            shown = ", ".join(self.records[:20])
            more = f" and {len(self.records) - 20} more" if len(self.records) > 20 else ""
            text += f"\n    records that differ: {shown}{more}"
        return text


def _record_differences(published: Path, rebuilt: Path) -> list[str]:
    """Ids of records that are added, removed or changed between two Parquet files."""
    try:
        old = {row["id"]: row for row in read_rows([published])}
    except Exception:  # a damaged file: every record of the rebuild differs
        old = {}
    new = {row["id"]: row for row in read_rows([rebuilt])}
    return sorted(i for i in old.keys() | new.keys() if old.get(i) != new.get(i))


def compare(published: Path, rebuilt: Path) -> list[Difference]:
    """Every way ``published`` (checked against its SHA256SUMS) differs from ``rebuilt``."""
    sums_path = published / SUMS_NAME
    if not sums_path.is_file():
        return [Difference(str(sums_path), "missing: the folder is not a built dataset")]
    differences: list[Difference] = []
    try:
        claimed = read_sums(sums_path)
    except DamagedMetadata as damaged:  # named line by line; the files are still compared
        differences += [Difference(p.where, p.message) for p in damaged.problems]
        claimed = {}
    expected = {rel.as_posix(): file_sha256(rebuilt / rel) for rel in published_files(rebuilt)}
    if (published / SUMS_NAME).read_bytes() != (rebuilt / SUMS_NAME).read_bytes():
        differences.append(Difference(SUMS_NAME, "differs from the rebuild's"))
    for name in sorted(
        claimed.keys() | expected.keys() | {p.as_posix() for p in published_files(published)}
    ):
        path = published / name
        if name not in expected:
            differences.append(
                Difference(name, "not produced by the rebuild (stale or extra file)")
            )
        elif not path.is_file():
            differences.append(Difference(name, "missing from the published folder"))
        else:
            actual = file_sha256(path)
            if claimed.get(name) not in (None, actual):
                differences.append(
                    Difference(name, "does not match SHA256SUMS (file changed after the build)")
                )
            if actual != expected[name]:
                records = (
                    _record_differences(path, rebuilt / name) if name.endswith(".parquet") else []
                )
                differences.append(Difference(name, "differs from the rebuild", records))
    return differences


def verify(
    options: BuildOptions, against: Path | None = None, progress: Progress | None = None
) -> list[Difference]:
    """Rebuild from ``options.seeds_dir`` and compare with ``against`` (default: dist/)."""
    published = against or options.dist_dir
    if not published.is_dir():
        raise InvalidInput(
            [Problem(str(published), "no such folder: build it first (`curation build`)")]
        )
    with tempfile.TemporaryDirectory(prefix="curation-verify-") as scratch:
        rebuilt = Path(scratch) / "dist"
        rebuilt.mkdir()
        # From nothing: a rebuild that read the record cache could not catch its faults.
        build_into(rebuilt, dataclasses.replace(options, cache=None), progress=progress)
        if progress is not None:
            progress.phase("compare with the rebuild")
        return compare(published, rebuilt)
