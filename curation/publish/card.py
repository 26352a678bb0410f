"""The data card, ``dist/README.md``: YAML the Hub reads, then a datasheet for people.

The body follows "Datasheets for Datasets": what is in it, where it came from, what
was done to it, what it is not good for, and what one may do with it. Two kinds of
text make it: the maintainers' words about the corpus (summary, motivation, uses,
limitations, a license note), read from ``dataset.toml`` by
:mod:`curation.publish.description`; and facts computed from the build (sizes,
languages, sources, licenses from the sidecars, rule firings, schema, checksums),
never typed by hand, so they cannot go stale. The code's own prose says only what
holds for any build.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from curation.publish.description import hub_license_id
from curation.publish.summary import DETAIL_LIMIT, BuildSummary, DatasetMeta
from curation.release.changelog import release_date
from curation.release.versioning import VERSIONING_RULE
from curation.schema import features_yaml_list, record_json_schema

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
    feature_list = features_yaml_list()
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
    license_id, license_name = license_summary(summary)
    description = summary.description
    languages = [c.language for c in summary.configs if c.language != "und"]
    header: dict[str, Any] = {
        "pretty_name": summary.dataset.pretty_name,
        "version": summary.dataset.version,
        "license": license_id,
    }
    if license_name:
        header["license_name"] = license_name
    header |= {
        "language": languages,
        "multilinguality": "multilingual" if len(languages) > 1 else "monolingual",
        # The maintainers' choice, to agree with the intended uses they state.
        "task_categories": list(description.task_categories) if description else [],
        "size_categories": [size_category(summary.num_examples)],
        "source_datasets": ["original"],
        "tags": list(description.tags) if description else [],
        "configs": _configs_yaml(summary),
        "dataset_info": _dataset_info_yaml(summary),
    }
    return header


# Characters that start Markdown syntax inside a line: code spans, emphasis, links
# and images, table cells, strikethrough, and the escape character itself.
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]|~])")


class Markdown(str):
    """Text written as Markdown by this module (a code span around an id): kept as it is.

    Every other value put in the card is escaped: sidecar values, extracted metadata
    and warnings come from contributors and seed text.
    """


def escape_markdown(value: str) -> str:
    r"""``value`` as literal text in one line of Markdown: no HTML, links, code or breaks.

    Line breaks of every kind become spaces; ``& < >`` become character references, so
    no tag or autolink can open; the characters that start Markdown syntax are
    backslash-escaped.

    >>> escape_markdown("<script>alert(1)</script> [x](javascript:y) a|b\N{LINE SEPARATOR}c")
    '&lt;script&gt;alert(1)&lt;/script&gt; \\[x\\](javascript:y) a\\|b c'
    """
    text = " ".join(value.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SYNTAX.sub(r"\\\1", text)


def _cell(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Markdown):
        return value
    return escape_markdown(str(value))


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
                    Markdown(f"`{record['id']}`"),
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
                Markdown(f"`{report.step}`"),
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


def _code(value: str) -> object:
    """``value`` as a code span, or escaped text when it could close the span itself."""
    if "`" in value or any(ch in value for ch in "\r\n|"):
        return value  # _cell escapes it
    return Markdown(f"`{value}`")


def _duplicates_section(summary: BuildSummary) -> str:
    """Every record a dedup pass dropped, with the record kept in its place."""
    if not summary.duplicates and not summary.near_duplicates:
        return "No record was dropped as a duplicate in this build."
    rows: list[list[object]] = [
        [_code(dropped), _code(kept), Markdown("exact (`dedup_exact`)"), "1.0"]
        for dropped, kept in summary.duplicates
    ]
    rows += [
        [_code(dropped), _code(kept), Markdown("near (`dedup_near`)"), f"{similarity:.4f}"]
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
        [Markdown(f"`{w['id']}`"), Markdown(f"`{w['step']}`"), w["code"], w["message"]]
        for w in summary.warnings
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
        rows.append([Markdown(f"`{name}`"), kind, nullable, spec.get("description", "")])
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


def changelog_text(changelog: Path | None) -> str | None:
    return changelog.read_text(encoding="utf-8") if changelog and changelog.is_file() else None


def citation_bibtex(dataset: DatasetMeta, changelog: str | None = None) -> str:
    """The BibTeX entry the card shows and Croissant's ``citeAs`` carries.

    The year is the release date's (from the changelog: the build never reads the
    clock); the URL is the Hub page, or the homepage. Neither is made up when unknown.
    """
    key = dataset.name.replace("-", "_")
    fields = [
        ("title", dataset.pretty_name),
        ("author", " and ".join(dataset.citation_authors)),
    ]
    released = release_date(changelog, dataset.version)
    if released:
        fields.append(("year", released[:4]))
    url = dataset_url(dataset)
    if url:
        fields.append(("url", url))
    fields.append(("note", f"Version {dataset.version}"))
    width = max(len(name) for name, _ in fields)
    lines = [f"  {name.ljust(width)} = {{{value}}}," for name, value in fields]
    return f"@misc{{{key},\n" + "\n".join(lines) + "\n}"


class _NoAliasDumper(yaml.SafeDumper):  # type: ignore[misc]  # yaml ships no type hints
    """Repeated feature lists are written out, not as YAML anchors the Hub may not expect."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _languages_section(summary: BuildSummary) -> str:
    kinds = ("detection", "declaration", "undetermined")
    rows: list[list[object]] = [
        [
            Markdown(f"`{config.language}`"),
            config.num_examples,
            *(summary.language_decisions[(config.language, kind)] for kind in kinds),
        ]
        for config in summary.configs
    ]
    return _table(["config", "records", "by detection", "by declaration", "undetermined"], rows)


def _bullets(items: tuple[str, ...], empty: str) -> str:
    return "\n".join(f"- {item}" for item in items) if items else empty


def license_summary(summary: BuildSummary) -> tuple[str, str | None]:
    """The card's ``license`` (a Hub id, or ``other``) and, for ``other``, a ``license_name``.

    One Hub license for every record gives its id; anything else (no statement, a
    statement the Hub has no id for, or several licenses) is ``other``: the card's
    License section then says record by record count what the sidecars state.
    """
    statements = set(summary.licenses)
    if len(statements) == 1:
        hub_id = hub_license_id(next(iter(statements)))
        if hub_id is not None:
            return hub_id, None
    if statements == {""}:
        return "other", "no-license-stated"
    return "other", "per-record-licenses"


def _license_section(summary: BuildSummary) -> str:
    statements = summary.licenses
    total = sum(statements.values())
    stated = total - statements.get("", 0)
    if stated == 0:
        lines = [
            f"No source of the {total} records states a license for its text, and this "
            "dataset grants none. Each record's `license` column is empty."
        ]
    elif len(statements) == 1:
        (statement,) = statements
        hub_id = hub_license_id(statement)
        named = f" (`{hub_id}`)" if hub_id else ""
        lines = [
            f"Every record's source states the same license: {escape_markdown(statement)}"
            f"{named}. The `license` column repeats it per record."
        ]
    else:
        rows: list[list[object]] = [
            [statement or "none stated", hub_license_id(statement), count]
            for statement, count in sorted(statements.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        lines = [
            f"The records' sources state different licenses ({stated} of {total} records state "
            "one); the `license` column gives each record's. Use each text under its own "
            "license; a record with none stated grants nothing.",
            "",
            _table(["license statement (sidecar)", "Hub id", "records"], rows),
        ]
    description = summary.description
    if description is not None and description.license_note:
        lines += ["", description.license_note]
    return "\n".join(lines)


def dataset_url(dataset: DatasetMeta) -> str | None:
    """Where the dataset lives: its Hub page once it has a Hub id, else its homepage."""
    if dataset.hub_id:
        return f"https://huggingface.co/datasets/{dataset.hub_id}"
    return dataset.homepage or None


def _load_section(dataset: DatasetMeta) -> str:
    version = dataset.version
    if not dataset.hub_id:
        return """Not on the Hugging Face Hub yet (`hub_id` in `[tool.curation]` is empty). From a
local copy of this folder:

```python
from datasets import load_dataset

ds = load_dataset("path/to/dist", split="train")  # every record
```"""
    hub_id = dataset.hub_id
    return f"""```python
from datasets import load_dataset

ds = load_dataset("{hub_id}", split="train")  # every record
one = load_dataset("{hub_id}", "<language>", split="train")  # one language config
pinned = load_dataset("{hub_id}", revision="v{version}")  # this version
```

A version tag names one commit, so `revision="v{version}"` always loads these
bytes. From a local copy of this folder: `load_dataset("path/to/dist")`."""


def render_card(summary: BuildSummary, changelog: Path | None = None) -> str:
    header = yaml.dump(
        card_header(summary), Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True, width=1000
    )
    dataset = summary.dataset
    description = summary.description
    if description is None:
        raise ValueError("a card needs the dataset's description (dataset.toml)")
    languages = ", ".join(f"`{c.language}` ({c.num_examples})" for c in summary.configs)
    libraries = ", ".join(f"{name} {v}" for name, v in sorted(summary.libraries.items()))
    rules = "\n".join(f"- `{name}`: `{digest}`" for name, digest in sorted(summary.rules.items()))
    # Never a made-up address: link the tool only when [tool.curation] names a homepage.
    tool_link = f"[`curation`]({dataset.homepage})" if dataset.homepage else "`curation`"
    motivation = f"\n### Motivation\n\n{description.motivation}\n" if description.motivation else ""
    body = f"""
# {escape_markdown(dataset.pretty_name)}

Version **{dataset.version}** · {summary.num_examples} records · languages: {languages}

## Dataset summary

{description.summary}

Cleaned by a deterministic pipeline ({tool_link}) from raw "seed" texts. Every record
keeps a `provenance` list with each change each cleaning step made, so the published
text can be replayed from the raw seed and every removed character traced to the rule
that removed it. The build is reproducible: the same seeds and locked dependencies
give the same bytes (`curation verify` checks it).

Records content hash (SHA-256 over the canonical JSON of all rows, independent of the
Parquet encoding): `{summary.content_sha256}`
{motivation}
## Uses

Intended uses:

{_bullets(description.intended_uses, "- (none stated)")}

Out of scope:

{_bullets(description.out_of_scope_uses, "- (none stated)")}

## Languages

One config per language (`data/<language>/`), plus `default` with every record. How
each record's language was decided: *detection*, a confident identification by the
language model; *declaration*, the contributor's declared language, where the model
was not confident; *undetermined*, neither (config `und`). The confidence threshold
and its reason are in the rules file `language.toml`.

{_languages_section(summary)}

## Sources

One row per record. "License statement" is what accompanies the source text; where
none was found the cell says so, and no license is implied.

{_sources_section(summary)}

## How the data was cleaned

Steps run in this order, per record, streaming over batches; `strip_recurring_lines`,
`dedup_exact` and `dedup_near` look across records. Counts are for this build.

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

{_load_section(dataset)}

To prove a download is the release: inside the folder, `sha256sum --strict -c
SHA256SUMS` checks every file (`--strict` makes a damaged line an error, not a
warning; `manifest.json` lists the same sha256 and sizes, and a content hash of the
records that does not depend on the Parquet encoding); from a checkout
of the source repository at tag `v{dataset.version}`, `curation verify --against
path/to/download` rebuilds from the seeds and compares byte for byte.
`croissant.json` describes the files (with their sha256) and the fields in
MLCommons Croissant. `report.html` (open it in a browser) charts what the build did:
per step and rule the characters removed, the languages, text lengths, duplicates and
warnings.

## Known limitations and biases

- **Size**: {summary.num_examples} records (Hub size category
  `{size_category(summary.num_examples)}`).
{_bullets(description.limitations, "")}
- **Automatic metadata**: titles, dates, publishers and languages not stated by the
  contributor were extracted by rules or detected by a model; see the provenance and
  warnings columns.

## License

{_license_section(summary)}

## Citation

```bibtex
{citation_bibtex(dataset, changelog_text(changelog))}
```

## Versions

{_changelog_section(changelog)}
"""
    return f"---\n{header}---\n{body.rstrip()}\n"
