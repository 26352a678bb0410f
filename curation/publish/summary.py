"""What a build produced, gathered while it streams: the card and the manifest are written from it.

Per record it keeps only a few short fields of the seed it came from, so that the
card can show a sources table; the text itself is never kept.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from curation.errors import InvalidInput, Problem
from curation.packed import HexDigests, PackedStrings
from curation.pipeline import StepReport
from curation.publish.description import DatasetDescription
from curation.publish.language_config import language_folder
from curation.record import AnyRecord

# Records (and warnings) whose details the card lists; the rest are counted.
DETAIL_LIMIT = 200

# The libraries whose versions decide the output bytes or the cleaning.
PINNED_LIBRARIES = (
    "curation",
    "datasets",
    # dedup_near's signatures: datasketch draws the permutations with numpy's RandomState.
    "datasketch",
    "dateparser",
    "ftfy",
    "numpy",
    "py3langid",
    "pyarrow",
    "sentencex",
    "wordfreq",
)


def library_versions() -> dict[str, str]:
    versions = {}
    for name in PINNED_LIBRARIES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return versions


@dataclass(frozen=True)
class DatasetMeta:
    """The dataset's own identity, from ``[tool.curation]`` in pyproject.toml."""

    name: str
    pretty_name: str
    version: str
    homepage: str
    citation_authors: tuple[str, ...]
    # ORG/NAME on the Hugging Face Hub; "" until the maintainers choose one (the card
    # then shows local loading only, and `curation publish` refuses).
    hub_id: str = ""

    @classmethod
    def from_pyproject(cls, path: Path) -> DatasetMeta:
        where = f"{path}#tool.curation"
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))["tool"]["curation"]
            return cls(
                name=table["name"],
                pretty_name=table["pretty_name"],
                version=table["version"],
                homepage=table.get("homepage", ""),
                citation_authors=tuple(table.get("citation_authors", ())),
                hub_id=table.get("hub_id", ""),
            )
        except FileNotFoundError:
            raise InvalidInput(
                [Problem(str(path), "not found: run from the repository root")]
            ) from None
        except (KeyError, tomllib.TOMLDecodeError) as error:
            raise InvalidInput([Problem(where, f"missing or invalid: {error}")]) from None


@dataclass
class SeedSummary:
    id: str
    sha256: str
    declared: dict[str, Any]
    records: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ConfigSummary:
    language: str
    num_examples: int
    num_bytes: int
    files: list[str]
    download_size: int


@dataclass
class BuildSummary:
    dataset: DatasetMeta
    reports: list[StepReport]
    steps: list[dict[str, Any]]
    rules: dict[str, str]
    libraries: dict[str, str]
    # The seeds of the first DETAIL_LIMIT records, with their records, for the card.
    seeds: list[SeedSummary] = field(default_factory=list)
    # Every seed's id and declared sha256, in order, for the manifest: not a SeedSummary
    # (some 450 bytes with its empty dict and list) nor two strings (some 200), but the
    # id's bytes and the digest's 32 (curation.packed: about 60 bytes a seed).
    seed_ids: PackedStrings = field(default_factory=PackedStrings)
    seed_sha256: HexDigests = field(default_factory=HexDigests)
    # Every seed the build read, published or not: validation's ids and text sha256s,
    # in id order, for the manifest. A seed whose records were all dropped (a
    # duplicate, an empty page) is still an input of the dataset, and `add-seed` and
    # `review` can tell that ``dist/`` is current only if the manifest names it. None
    # for ``--input`` shards: the manifest then names the seeds of the published records.
    input_seeds: tuple[Sequence[str], Sequence[str]] | None = None
    configs: list[ConfigSummary] = field(default_factory=list)
    content_sha256: str = ""
    warnings: list[dict[str, str]] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    # (dropped id, kept id, estimated similarity) of every record dedup_near dropped.
    near_duplicates: list[tuple[str, str, float]] = field(default_factory=list)
    # Totals; the lists above keep details of the first DETAIL_LIMIT only, so a build of
    # millions of records does not hold a row per record in memory for the card.
    records_seen: int = 0
    warnings_seen: int = 0
    # (language config, what decided it) -> records: every record, not only the first few.
    language_decisions: Counter[tuple[str, str]] = field(default_factory=Counter)
    # License statement as the sidecars give it ("" for none) -> records.
    licenses: Counter[str] = field(default_factory=Counter)
    # (language config, bit length of the text's character count) -> records: the build
    # report's length histograms, bins 1, 2-3, 4-7, ... over every record in O(bins) memory.
    length_bins: Counter[tuple[str, int]] = field(default_factory=Counter)
    # The maintainers' words about the corpus (dataset.toml); None only in unit tests
    # of parts of the card that do not need it.
    description: DatasetDescription | None = None

    def add_records(self, records: Sequence[AnyRecord]) -> None:
        # The last seed's id, read once a batch: reading it back from seed_ids for each
        # record (from its packed buffer) was half of what this method cost.
        last = self.seed_ids[-1] if self.seed_ids else None
        for record in records:
            if last != record.seed_id:
                declared = record.declared
                last = record.seed_id
                self.seed_ids.append(record.seed_id)
                self.seed_sha256.append(str(declared.get("sha256", "")))
                if self.records_seen < DETAIL_LIMIT:
                    self.seeds.append(
                        SeedSummary(record.seed_id, self.seed_sha256[-1], dict(declared))
                    )
            self.records_seen += 1
            self.warnings_seen += len(record.warnings)
            self.language_decisions[
                (language_folder(record), record.language_decided_by or "undetermined")
            ] += 1
            self.licenses[record.license or ""] += 1
            self.length_bins[(language_folder(record), len(record.text).bit_length())] += 1
            if self.records_seen > DETAIL_LIMIT:
                continue
            self.seeds[-1].records.append(
                {
                    "id": record.id,
                    "language": record.language,
                    "title": record.title,
                    "source": record.source,
                    "date": record.date,
                    "num_chars": len(record.text),
                }
            )
            self.warnings.extend(
                {"id": record.id, "step": w.step, "code": w.code, "message": w.message}
                for w in record.warnings[: max(0, DETAIL_LIMIT - len(self.warnings))]
            )

    @property
    def num_examples(self) -> int:
        return sum(c.num_examples for c in self.configs)
