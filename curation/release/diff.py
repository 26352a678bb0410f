"""What changed between two built datasets: records, columns, configs, steps and rules.

Records are keyed by ``id`` and grouped by config (``data/<config>/``). A first pass
keeps only a digest per record (the canonical JSON of the columns both sides
share), so a corpus of millions of records is compared without holding it in
memory; only the records that differ are read again in full, for a word-level diff
of their text and the list of metadata fields that changed.

Steps, rules, libraries, seeds and files come from the two ``manifest.json``.

>>> [edit.op for edit in word_edits("Talks in Moscow on Monday.", "Talks in Beijing on Monday.")]
['replace']
>>> word_edits("中俄合作", "中俄数字合作")[0].new
'数字'
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from curation.publish.manifest import MANIFEST_NAME, read_manifest
from curation.publish.parquet import canonical_json
from curation.release.versioning import Bump

ID = "id"
TEXT = "text"
# Enough words around an edit to find it in the text, few enough to keep a line short.
CONTEXT_TOKENS = 6
# How many of a list's ids a one-line reason names before "and N more".
NAMED_IDS = 5

# One token per ideograph or kana (Chinese and Japanese put no spaces between
# words, and a whole sentence as one "word" would make every change a rewrite),
# runs of other word characters, runs of whitespace, and each other character.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+|\s+|[^\w\s]")


@dataclass(frozen=True)
class WordEdit:
    """One edit of a word diff: ``old``, at character ``start`` of the old text, became ``new``."""

    op: str  # "replace", "delete" or "insert"
    start: int
    old: str
    new: str
    before: str  # context, unchanged text just before the edit
    after: str  # context just after

    def to_json(self) -> dict[str, Any]:
        return {
            "op": self.op,
            "start": self.start,
            "old": self.old,
            "new": self.new,
            "before": self.before,
            "after": self.after,
        }

    def __str__(self) -> str:
        shown = f"{self.before}[-{self.old}-]{{+{self.new}+}}{self.after}"
        if self.op == "delete":
            shown = f"{self.before}[-{self.old}-]{self.after}"
        elif self.op == "insert":
            shown = f"{self.before}{{+{self.new}+}}{self.after}"
        return "…" + shown.replace("\n", "⏎") + "…"


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_edits(old: str, new: str) -> list[WordEdit]:
    """The word-level edits that turn ``old`` into ``new``, with a little context each."""
    a, b = tokens(old), tokens(new)
    # autojunk off: in a long text, frequent tokens (spaces, "the") are not noise.
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    offsets = [0]
    for token in a:
        offsets.append(offsets[-1] + len(token))
    edits = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        edits.append(
            WordEdit(
                op=op,
                start=offsets[i1],
                old="".join(a[i1:i2]),
                new="".join(b[j1:j2]),
                before="".join(a[max(0, i1 - CONTEXT_TOKENS) : i1]),
                after="".join(a[i2 : i2 + CONTEXT_TOKENS]),
            )
        )
    return edits


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: Any
    new: Any

    def __str__(self) -> str:
        return f"{self.name}: {_short(self.old)} → {_short(self.new)}"


def _short(value: Any, limit: int = 60) -> str:
    if isinstance(value, list):
        return f"{len(value)} entr{'y' if len(value) == 1 else 'ies'}"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class RecordChange:
    """An id present on both sides whose row differs."""

    id: str
    old_config: str
    config: str
    fields: list[FieldChange]
    text: list[WordEdit]

    @property
    def changed_names(self) -> list[str]:
        return ([TEXT] if self.text else []) + [f.name for f in self.fields]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "old_config": self.old_config,
            "config": self.config,
            "changed": self.changed_names,
            "fields": {f.name: {"old": f.old, "new": f.new} for f in self.fields},
            "text": [edit.to_json() for edit in self.text],
        }


@dataclass
class ConfigDiff:
    """One config's records: counts on each side, and what was added, removed or changed."""

    name: str
    old_count: int = 0
    new_count: int = 0
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[RecordChange] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "records": {"old": self.old_count, "new": self.new_count},
            "added": self.added,
            "removed": self.removed,
            "changed": [change.to_json() for change in self.changed],
        }


@dataclass(frozen=True)
class MappingDiff:
    """Keys added, removed, and whose value changed, between two flat mappings."""

    added: dict[str, Any]
    removed: dict[str, Any]
    changed: dict[str, tuple[Any, Any]]

    @classmethod
    def between(cls, old: dict[str, Any], new: dict[str, Any]) -> MappingDiff:
        return cls(
            added={k: new[k] for k in sorted(new.keys() - old.keys())},
            removed={k: old[k] for k in sorted(old.keys() - new.keys())},
            changed={
                k: (old[k], new[k]) for k in sorted(old.keys() & new.keys()) if old[k] != new[k]
            },
        )

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "removed": self.removed,
            "changed": {k: {"old": o, "new": n} for k, (o, n) in self.changed.items()},
        }

    def describe(self, noun: str, short: bool = False) -> list[str]:
        """One phrase per change, e.g. ``step repair_layout added (v1)``."""

        def value(v: Any) -> str:
            text = str(v)
            return text[:12] + "…" if short and len(text) > 12 else text

        return (
            [f"{noun} {k} added ({value(v)})" for k, v in self.added.items()]
            + [f"{noun} {k} removed (was {value(v)})" for k, v in self.removed.items()]
            + [f"{noun} {k}: {value(o)} → {value(n)}" for k, (o, n) in self.changed.items()]
        )


@dataclass(frozen=True)
class BuiltDataset:
    """A built dataset folder, opened for comparison (or nothing: the empty dataset)."""

    label: str
    root: Path | None
    manifest: dict[str, Any]
    files: dict[str, list[Path]]  # config → its Parquet files, sorted
    columns: dict[str, str]  # column → Arrow type

    @classmethod
    def open(cls, root: Path | None, label: str) -> BuiltDataset:
        if root is None or not root.is_dir():
            return cls(label, None, {}, {}, {})
        manifest = read_manifest(root) if (root / MANIFEST_NAME).is_file() else {}
        data = root / "data"
        files = {
            folder.name: sorted(folder.glob("*.parquet"))
            for folder in (sorted(data.iterdir()) if data.is_dir() else [])
            if folder.is_dir()
        }
        files = {config: paths for config, paths in files.items() if paths}
        columns: dict[str, str] = {}
        for paths in files.values():
            schema = pq.read_schema(paths[0])
            columns = {f.name: str(f.type) for f in schema}
            break
        return cls(label, root, manifest, files, columns)

    @property
    def version(self) -> str | None:
        version = self.manifest.get("dataset", {}).get("version")
        return str(version) if version is not None else None

    @property
    def is_empty(self) -> bool:
        return not self.files

    def batches(self, columns: list[str]) -> Iterator[tuple[str, pa.RecordBatch]]:
        for config, paths in self.files.items():
            for path in paths:
                with pq.ParquetFile(path) as parquet:
                    for batch in parquet.iter_batches(batch_size=1024, columns=columns):
                        yield config, batch

    def digests(self, columns: list[str]) -> dict[str, tuple[str, bytes]]:
        """id → (config, digest of the row restricted to ``columns``)."""
        index: dict[str, tuple[str, bytes]] = {}
        for config, batch in self.batches(columns):
            for row in batch.to_pylist():
                digest = hashlib.sha256(canonical_json(row).encode("utf-8")).digest()
                index[row[ID]] = (config, digest)
        return index

    def rows(self, ids: set[str], columns: list[str]) -> dict[str, dict[str, Any]]:
        """The full rows of ``ids`` (only those): a second pass, for the records that differ."""
        found: dict[str, dict[str, Any]] = {}
        if not ids:
            return found
        for _config, batch in self.batches(columns):
            batch_ids = batch.column(ID).to_pylist()
            for position, record_id in enumerate(batch_ids):
                if record_id in ids:
                    found[record_id] = batch.slice(position, 1).to_pylist()[0]
        return found

    def summary_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "version": self.version,
            "records": self.manifest.get("records", {}).get("count"),
        }


def _steps(manifest: dict[str, Any]) -> dict[str, Any]:
    return {step["name"]: f"v{step['version']}" for step in manifest.get("steps", [])}


def _files(manifest: dict[str, Any]) -> dict[str, Any]:
    return {name: entry["sha256"] for name, entry in manifest.get("files", {}).items()}


@dataclass
class DatasetDiff:
    old: BuiltDataset
    new: BuiltDataset
    configs: dict[str, ConfigDiff]
    columns: MappingDiff
    steps: MappingDiff
    rules: MappingDiff
    libraries: MappingDiff
    seeds: MappingDiff
    files: MappingDiff

    @property
    def added(self) -> list[str]:
        return sorted(i for c in self.configs.values() for i in c.added)

    @property
    def removed(self) -> list[str]:
        return sorted(i for c in self.configs.values() for i in c.removed)

    @property
    def changed(self) -> list[RecordChange]:
        return sorted((r for c in self.configs.values() for r in c.changed), key=lambda r: r.id)

    @property
    def configs_added(self) -> list[str]:
        return [n for n, c in self.configs.items() if c.old_count == 0 and c.new_count > 0]

    @property
    def configs_removed(self) -> list[str]:
        return [n for n, c in self.configs.items() if c.old_count > 0 and c.new_count == 0]

    def required_bump(self) -> tuple[Bump, list[str]]:
        """The smallest bump this change needs under the versioning rule, and why."""
        major: list[str] = []
        if self.removed:
            major.append(f"{count_of(self.removed, 'record')} removed: {_names(self.removed)}")
        if self.changed:
            shown = ", ".join(
                f"{r.id} ({', '.join(r.changed_names)})" for r in self.changed[:NAMED_IDS]
            )
            more = len(self.changed) - NAMED_IDS
            shown += f" and {more} more" if more > 0 else ""
            major.append(f"{count_of(self.changed, 'existing record')} changed: {shown}")
        if self.columns.removed:
            major.append(f"columns removed: {', '.join(self.columns.removed)}")
        if self.columns.changed:
            major.append(f"columns changed type: {', '.join(self.columns.changed)}")
        if self.configs_removed:
            major.append(f"configs removed: {', '.join(self.configs_removed)}")
        if major:
            return Bump.MAJOR, major
        minor: list[str] = []
        if self.added:
            minor.append(f"{count_of(self.added, 'record')} added: {_names(self.added)}")
        if self.columns.added:
            minor.append(f"columns added: {', '.join(self.columns.added)}")
        if self.configs_added:
            minor.append(f"configs added: {', '.join(self.configs_added)}")
        if minor:
            return Bump.MINOR, minor
        patch = ["no record added, removed or changed"]
        patch += self.steps.describe("step") + self.rules.describe("rules", short=True)
        patch += self.libraries.describe("library")
        return Bump.PATCH, patch

    def to_json(self) -> dict[str, Any]:
        bump, reasons = self.required_bump()
        return {
            "format": 1,
            "old": self.old.summary_json(),
            "new": self.new.summary_json(),
            "required_bump": str(bump),
            "reasons": reasons,
            "records": {
                "added": len(self.added),
                "removed": len(self.removed),
                "changed": len(self.changed),
            },
            "configs": {name: c.to_json() for name, c in self.configs.items()},
            "columns": self.columns.to_json(),
            "steps": self.steps.to_json(),
            "rules": self.rules.to_json(),
            "libraries": self.libraries.to_json(),
            "seeds": self.seeds.to_json(),
            "files": self.files.to_json(),
        }


def count_of(items: list[Any], noun: str) -> str:
    """``3 records``, ``1 record``."""
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def _names(ids: list[str]) -> str:
    shown = ", ".join(ids[:NAMED_IDS])
    return shown + (f" and {len(ids) - NAMED_IDS} more" if len(ids) > NAMED_IDS else "")


def diff_datasets(old: BuiltDataset, new: BuiltDataset) -> DatasetDiff:
    """Compare two built datasets, record by record and manifest by manifest."""
    both_have_rows = not old.is_empty and not new.is_empty
    # Rows are compared on the columns both sides have: an added column is a
    # MINOR change by itself and must not make every record look changed.
    shared = [c for c in new.columns if c in old.columns] if both_have_rows else []
    old_index = old.digests(shared or list(old.columns)) if not old.is_empty else {}
    new_index = new.digests(shared or list(new.columns)) if not new.is_empty else {}

    names = sorted(set(old.files) | set(new.files))
    configs = {name: ConfigDiff(name) for name in names}
    for _id, (config, _digest) in old_index.items():
        configs[config].old_count += 1
    for _id, (config, _digest) in new_index.items():
        configs[config].new_count += 1
    for record_id in sorted(new_index.keys() - old_index.keys()):
        configs[new_index[record_id][0]].added.append(record_id)
    for record_id in sorted(old_index.keys() - new_index.keys()):
        configs[old_index[record_id][0]].removed.append(record_id)

    differing = {i for i in old_index.keys() & new_index.keys() if old_index[i] != new_index[i]}
    old_rows = old.rows(differing, shared)
    new_rows = new.rows(differing, shared)
    for record_id in sorted(differing):
        before, after = old_rows[record_id], new_rows[record_id]
        fields = [
            FieldChange(name, before[name], after[name])
            for name in shared
            if name not in (ID, TEXT) and before[name] != after[name]
        ]
        text = word_edits(before[TEXT], after[TEXT]) if before.get(TEXT) != after.get(TEXT) else []
        config = new_index[record_id][0]
        configs[config].changed.append(
            RecordChange(record_id, old_index[record_id][0], config, fields, text)
        )

    return DatasetDiff(
        old=old,
        new=new,
        configs=configs,
        columns=MappingDiff.between(old.columns, new.columns)
        if both_have_rows
        else MappingDiff({}, {}, {}),
        steps=MappingDiff.between(_steps(old.manifest), _steps(new.manifest)),
        rules=MappingDiff.between(old.manifest.get("rules", {}), new.manifest.get("rules", {})),
        libraries=MappingDiff.between(
            old.manifest.get("libraries", {}), new.manifest.get("libraries", {})
        ),
        seeds=MappingDiff.between(old.manifest.get("seeds", {}), new.manifest.get("seeds", {})),
        files=MappingDiff.between(_files(old.manifest), _files(new.manifest)),
    )


def render_text(diff: DatasetDiff, max_text_diffs: int = 20) -> str:
    """The diff for a terminal: per config, then the pipeline, then the bump it needs."""
    old, new = diff.old, diff.new
    lines = [
        f"old: {old.label} (version {old.version or '—'})",
        f"new: {new.label} (version {new.version or '—'})",
        f"records: {sum(c.old_count for c in diff.configs.values())} → "
        f"{sum(c.new_count for c in diff.configs.values())} "
        f"(+{len(diff.added)} added, -{len(diff.removed)} removed, "
        f"~{len(diff.changed)} changed)",
    ]
    shown = 0
    for name, config in diff.configs.items():
        if not (config.added or config.removed or config.changed):
            plural = "" if config.old_count == 1 else "s"
            lines.append(f"\nconfig {name}: {config.old_count} record{plural}, unchanged")
            continue
        lines.append(f"\nconfig {name}: {config.old_count} → {config.new_count} records")
        lines += [f"  + {record_id}" for record_id in config.added]
        lines += [f"  - {record_id}" for record_id in config.removed]
        for change in config.changed:
            moved = f" (was in config {change.old_config})" if change.old_config != name else ""
            lines.append(f"  ~ {change.id}{moved}: {', '.join(change.changed_names)}")
            if shown >= max_text_diffs:
                continue
            shown += 1
            lines += [f"      text: {edit}" for edit in change.text]
            lines += [f"      {field_change}" for field_change in change.fields]
    if len(diff.changed) > shown:
        lines.append(
            f"\n({len(diff.changed) - shown} changed records shown without details; "
            "--format json has them all)"
        )
    if diff.columns:
        lines.append("\ncolumns: " + "; ".join(diff.columns.describe("column")))
    pipeline = (
        diff.steps.describe("step")
        + diff.rules.describe("rules", short=True)
        + diff.libraries.describe("library")
    )
    changed = "; ".join(pipeline) if pipeline else "no step, rules or library changed"
    lines.append(f"\npipeline: {changed}")
    for noun, changes in (("seeds", diff.seeds), ("files", diff.files)):
        lines.append(
            f"{noun}: {len(changes.added)} added, {len(changes.removed)} removed, "
            f"{len(changes.changed)} changed"
        )
    bump, reasons = diff.required_bump()
    lines.append(f"\nsmallest version bump this change needs: {bump}")
    lines += [f"  - {reason}" for reason in reasons]
    return "\n".join(lines)
