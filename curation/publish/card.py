"""The data card, ``dist/README.md``: YAML the Hub reads, then a datasheet for people.

The body follows "Datasheets for Datasets": what is in it, where it came from, what
was done to it, what it is not good for, and what one may do with it. Everything in
it is computed from the build (counts, sources, rule firings), never typed by hand,
so it cannot go stale; the prose parts say only what holds for any build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from curation.publish.summary import DETAIL_LIMIT, BuildSummary, DatasetMeta
from curation.release.versioning import VERSIONING_RULE
from curation.schema import features, record_json_schema

# A card with a million-row table helps nobody; the Parquet columns have every row.
MAX_TABLE_ROWS = DETAIL_LIMIT


def size_category(count: int) -> str:
    """The Hub's size_categories bucket for ``count`` records."""
    bounds = [
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
        (10_000_000, "1M<n<10M"),
        (100_000_000, "10M<n<100M"),
    ]
    return next((label for bound, label in bounds if count < bound), "100M<n<1B")


def _configs_yaml(summary: BuildSummary) -> list[dict[str, Any]]:
    configs: list[dict[str, Any]] = [
        {
            "config_name": "default",
            "data_files": [{"split": "train", "path": "data/*/*.parquet"}],
            "default": True,
        }
    ]
    configs += [
        {
            "config_name": c.language,
            "data_files": [{"split": "train", "path": f"data/{c.language}/*.parquet"}],
        }
        for c in summary.configs
    ]
    return configs


def _dataset_info_yaml(summary: BuildSummary) -> list[dict[str, Any]]:
    feature_list = features()._to_yaml_list()
    infos = []
    per_config = [
        (
            "default",
            summary.num_examples,
            sum(c.num_bytes for c in summary.configs),
            sum(c.download_size for c in summary.configs),
        )
    ]
    per_config += [
        (c.language, c.num_examples, c.num_bytes, c.download_size) for c in summary.configs
    ]
    for name, examples, num_bytes, size in per_config:
        infos.append(
            {
                "config_name": name,
                "features": feature_list,
                "splits": [{"name": "train", "num_bytes": num_bytes, "num_examples": examples}],
                "download_size": size,
                "dataset_size": num_bytes,
            }
        )
    return infos


def card_header(summary: BuildSummary) -> dict[str, Any]:
    return {
        "pretty_name": summary.dataset.pretty_name,
        "version": summary.dataset.version,
        "license": "other",
        "license_name": "news-articles-no-license-granted",
        "language": [c.language for c in summary.configs if c.language != "und"],
        "multilinguality": "multilingual" if len(summary.configs) > 1 else "monolingual",
        "task_categories": ["text-generation"],
        "task_ids": ["language-modeling"],
        "size_categories": [size_category(summary.num_examples)],
        "source_datasets": ["original"],
        "tags": ["news", "curation", "provenance"],
        "configs": _configs_yaml(summary),
        "dataset_info": _dataset_info_yaml(summary),
    }


def _cell(value: object) -> str:
    if value is None or value == "":
        return "—"
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[object]], total: int | None = None) -> str:
    """A Markdown table of at most MAX_TABLE_ROWS rows; ``total`` counts the rows not kept."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows[:MAX_TABLE_ROWS]]
    total = max(total or 0, len(rows))
    if total > MAX_TABLE_ROWS:
        lines.append(f"\n_… and {total - MAX_TABLE_ROWS} more (see the Parquet columns)._")
    return "\n".join(lines)


def _sources_section(summary: BuildSummary) -> str:
    rows: list[list[object]] = []
    for seed in summary.seeds:
        for record in seed.records:
            rows.append(
                [
                    f"`{record['id']}`",
                    record["source"],
                    record["date"],
                    record["language"],
                    seed.declared.get("license") or "none stated",
                    seed.declared.get("url"),
                ]
            )
    return _table(
        ["record", "publisher", "date", "language", "license statement", "URL"],
        rows,
        summary.records_seen,
    )


def _steps_section(summary: BuildSummary) -> str:
    rows: list[list[object]] = []
    for report in summary.reports:
        fired = ", ".join(f"{rule} ×{n}" for rule, n in sorted(report.rules.items())) or "none"
        drops = ", ".join(f"{reason} ×{n}" for reason, n in sorted(report.drops.items())) or "—"
        rows.append(
            [
                f"`{report.step}`",
                report.description,
                report.records_in,
                report.records_out,
                report.chars_removed,
                fired,
                drops,
            ]
        )
    return _table(
        [
            "step",
            "what it does",
            "records in",
            "records out",
            "chars removed",
            "rules fired",
            "dropped",
        ],
        rows,
    )


def _duplicates_section(summary: BuildSummary) -> str:
    """Every record a dedup pass dropped, with the record kept in its place."""
    if not summary.duplicates and not summary.near_duplicates:
        return "No record was dropped as a duplicate in this build."
    rows: list[list[object]] = [
        [f"`{dropped}`", f"`{kept}`", "exact (`dedup_exact`)", "1.0"]
        for dropped, kept in summary.duplicates
    ]
    rows += [
        [f"`{dropped}`", f"`{kept}`", "near (`dedup_near`)", f"{similarity:.4f}"]
        for dropped, kept, similarity in summary.near_duplicates
    ]
    return (
        "The record kept is always the first in record-id order; the similarity of a "
        "near-duplicate is the MinHash estimate of the Jaccard index of their character "
        "shingles (`curation/rules/dedup.toml`). `manifest.json` lists every pair.\n\n"
        + _table(["dropped", "kept instead", "kind", "similarity"], rows)
    )


def _warnings_section(summary: BuildSummary) -> str:
    if not summary.warnings:
        return "No step reported a disagreement in this build."
    rows: list[list[object]] = [
        [f"`{w['id']}`", f"`{w['step']}`", w["code"], w["message"]] for w in summary.warnings
    ]
    return (
        "Steps report what they notice and do not resolve; nothing here was silently "
        "decided. Sidecar values win over extracted ones.\n\n"
        + _table(["record", "step", "code", "message"], rows, summary.warnings_seen)
    )


def _schema_section() -> str:
    schema = record_json_schema()
    rows: list[list[object]] = []
    for name in schema["x-order"]:
        spec = schema["properties"][name]
        kind = spec.get("x-dtype") or (
            "list of struct" if spec.get("type") == "array" else "struct"
        )
        nullable = "yes" if isinstance(spec.get("type"), list) and "null" in spec["type"] else "no"
        rows.append([f"`{name}`", kind, nullable, spec.get("description", "")])
    return _table(["field", "type", "nullable", "description"], rows)


def _changelog_section(changelog: Path | None) -> str:
    """The versioning rule, then CHANGELOG.md's entries one heading level down."""
    entries = "No releases yet."
    if changelog is not None and changelog.is_file():
        lines: list[str] = []
        for line in changelog.read_text(encoding="utf-8").splitlines():
            if not lines and not line.startswith("## "):
                continue  # the file's title and preamble, written for the repository
            lines.append("#" + line if line.startswith("#") else line)
        entries = "\n".join(lines).strip() or entries
    return f"{VERSIONING_RULE}\n\n{entries}"


def citation_bibtex(dataset: DatasetMeta) -> str:
    """The BibTeX entry the card shows and Croissant's ``citeAs`` carries."""
    key = dataset.name.replace("-", "_")
    return (
        f"@misc{{{key},\n"
        f"  title  = {{{dataset.pretty_name}}},\n"
        f"  author = {{{' and '.join(dataset.citation_authors)}}},\n"
        f"  note   = {{Version {dataset.version}}},\n"
        "}"
    )


class _NoAliasDumper(yaml.SafeDumper):  # type: ignore[misc]  # yaml ships no type hints
    """Repeated feature lists are written out, not as YAML anchors the Hub may not expect."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def render_card(summary: BuildSummary, changelog: Path | None = None) -> str:
    header = yaml.dump(
        card_header(summary), Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True, width=1000
    )
    dataset = summary.dataset
    languages = ", ".join(f"`{c.language}` ({c.num_examples})" for c in summary.configs)
    libraries = ", ".join(f"{name} {v}" for name, v in sorted(summary.libraries.items()))
    rules = "\n".join(f"- `{name}`: `{digest}`" for name, digest in sorted(summary.rules.items()))
    # Never a made-up address: link the tool only when [tool.curation] names a homepage.
    tool_link = f"[`curation`]({dataset.homepage})" if dataset.homepage else "`curation`"
    body = f"""
# {dataset.pretty_name}

Version **{dataset.version}** · {summary.num_examples} records · languages: {languages}

## Dataset summary

News texts on China–Russia digital cooperation, in several languages, cleaned by a
deterministic pipeline ({tool_link}) from raw
"seed" texts. Every record keeps a `provenance` list with each change each cleaning
step made, so the published text can be replayed from the raw seed and every removed
character traced to the rule that removed it. The build is reproducible: the same
seeds and locked dependencies give the same bytes (`curation verify` checks it).

Records content hash (SHA-256 over the canonical JSON of all rows, independent of the
Parquet encoding): `{summary.content_sha256}`

## Sources

One row per record. "License statement" is what accompanies the source text; where
none was found the cell says so, and no license is implied.

{_sources_section(summary)}

## How the data was cleaned

Steps run in this order, per record, streaming over batches; `dedup_exact` and
`dedup_near` look across records. Counts are for this build.

{_steps_section(summary)}

### Duplicates removed

{_duplicates_section(summary)}

Rules files (sha256):

{rules}

Libraries: {libraries}.

### Reported by the steps

{_warnings_section(summary)}

## Schema

{_schema_section()}

## How to load

```python
from datasets import load_dataset

ds = load_dataset("ORG/{dataset.name}", split="train")          # every record
ru = load_dataset("ORG/{dataset.name}", "ru", split="train")    # one language
pinned = load_dataset("ORG/{dataset.name}", revision="v{dataset.version}")  # this version
```

A version tag names one commit, so `revision="v{dataset.version}"` always loads these
bytes. From a local copy of this folder: `load_dataset("path/to/dist")`.

To prove a download is the release: inside the folder, `sha256sum -c SHA256SUMS`
checks every file (`manifest.json` lists the same sha256 and sizes, and a content
hash of the records that does not depend on the Parquet encoding); from a checkout
of the source repository at tag `v{dataset.version}`, `curation verify --against
path/to/download` rebuilds from the seeds and compares byte for byte.
`croissant.json` describes the files (with their sha256) and the fields in
MLCommons Croissant.

## Known limitations and biases

- **Tiny**: {summary.num_examples} records. Useful to test pipelines and for qualitative
  study, not to train or evaluate a model.
- **One-sided sources**: the texts come from state-affiliated media of China and from
  outlets that republish them; they present China–Russia cooperation favourably and
  carry no opposing view. Do not use them as a balanced account of events.
- **Translation and extraction artefacts**: several texts are machine or editorial
  translations, and some were extracted from PDF or web pages; the cleaning repairs
  known layout defects but cannot restore lost words.
- **Automatic metadata**: titles, dates, publishers and languages not stated by the
  contributor were extracted by rules or detected by a model; see the provenance and
  warnings columns.

## License

The texts are news articles whose copyright belongs to their publishers. **No open
license is granted by the sources**, and this dataset does not grant one: the
"license statement" column records what, if anything, accompanied each source. The
packaging (cleaning code, metadata, card) is Apache-2.0. Use of the texts may be
allowed where you are (e.g. research exceptions to copyright); check before you use
or redistribute them.

## Citation

```bibtex
{citation_bibtex(dataset)}
```

## Versions

{_changelog_section(changelog)}
"""
    return f"---\n{header}---\n{body.rstrip()}\n"
