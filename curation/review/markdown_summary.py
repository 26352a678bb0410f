"""A Markdown summary of reviewed seeds, short enough for a pull-request comment.

Per seed: what was submitted and what gets published, the metadata declared and
extracted, the language, every rule that fired with its count, warnings, the
nearest neighbours, and each published text in a collapsed block (cut after
:data:`PREVIEW_CHARS` characters: the HTML page has all of it). GitHub refuses
comments over 65,536 characters; a summary of a few seeds stays far below.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from curation.contribute.near_duplicates import NEAR_DUPLICATE_THRESHOLD, Neighbour
from curation.publish.card import escape_markdown
from curation.review.paragraph_verdicts import ParagraphVerdict
from curation.review.seed_review import SeedReview

# About a screen of text per record: enough to judge the cleaning at a glance.
PREVIEW_CHARS = 1500
# Paragraphs listed per record in the summary's table of strip_boilerplate decisions
# (the removed ones first); the HTML page lists them all.
PARAGRAPHS_SHOWN = 40


def cell(value: object) -> str:
    """A value safe inside a Markdown table cell: no pipes, no line breaks, no HTML, no links.

    >>> cell("a | b\\n<script>")
    'a \\\\| b &lt;script&gt;'
    """
    if value is None:
        return "–"
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    return escape_markdown(str(value))


def fenced(text: str) -> str:
    """A fenced code block that the text cannot close early, whatever backticks it holds."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _neighbours(neighbours: Sequence[Neighbour]) -> str:
    if not neighbours:
        return "none"
    return ", ".join(
        f"{n.key} {n.similarity:.2f}{' **near-duplicate**' if n.is_near_duplicate else ''}"
        for n in neighbours[:3]
    )


def seed_section(review: SeedReview) -> str:
    sidecar = review.sidecar
    published = sum(len(r.record.text) for r in review.records)
    languages = ", ".join(
        f"{r.record.language} ({r.record.language_score})" for r in review.records
    )
    lines = [
        f"### {review.seed.id}",
        "",
        "| | |",
        "|---|---|",
        f"| submitted | {len(review.raw):,} characters, sha256 `{review.sha256[:16]}…` |",
        f"| published | {len(review.records)} record(s), {published:,} characters |",
        f"| language | declared {cell(sidecar.get('languages'))}; detected {cell(languages)} |",
    ]
    for name in ("title", "source", "date", "url", "license"):
        published_values = sorted({cell(getattr(r.record, name)) for r in review.records})
        lines.append(
            f"| {name} | declared {cell(sidecar.get(name))}; "
            f"published {', '.join(published_values) or '–'} |"
        )
    for name in ("provenance", "contributor"):
        lines.append(f"| {name} | {cell(sidecar.get(name))} |")
    lines.append(f"| nearest seeds (raw) | {cell(_neighbours(review.raw_neighbours))} |")
    lines.append("")
    for step, reason in review.drops:
        lines.append(f"- **dropped** by `{step}`: {cell(reason)}")
    counts = review.rules_fired
    if counts:
        fired = ", ".join(f"`{step}` {rule} ×{n}" for (step, rule), n in sorted(counts.items()))
        lines.append(f"Rules that fired: {fired}")
        lines.append("")
    for record_review in review.records:
        record = record_review.record
        for warning in record.warnings:
            lines.append(f"- ⚠ `{record.id}` {warning.code}: {cell(warning.message)}")
        if record_review.same_text_as:
            lines.append(
                f"- **`{record.id}` has the same text as `{record_review.same_text_as}`** "
                "(dedup_exact keeps the smaller id)"
            )
        near = [n for n in record_review.neighbours if n.is_near_duplicate]
        if near:
            lines.append(f"- **`{record.id}` near-duplicates**: {cell(_neighbours(near))}")
    lines.append("")
    for record_review in review.records:
        lines += _paragraph_lines(record_review.record.id, record_review.paragraphs)
    for record_review in review.records:
        record = record_review.record
        preview = record.text[:PREVIEW_CHARS]
        cut = len(record.text) - len(preview)
        note = f"\n\n…{cut:,} more characters in the HTML review." if cut else ""
        lines += [
            "<details>",
            f"<summary>Published text of {record.id} ({len(record.text):,} characters, "
            f"{len(record.provenance)} edits)</summary>",
            "",
            fenced(preview) + note,
            "",
            "</details>",
            "",
        ]
    return "\n".join(lines)


def _paragraph_lines(record_id: str, paragraphs: Sequence[ParagraphVerdict]) -> list[str]:
    """A collapsed table of strip_boilerplate's decisions: why each paragraph went."""
    removed = [p for p in paragraphs if not p.kept]
    if not removed:
        return []
    shown = removed[:PARAGRAPHS_SHOWN]
    lines = [
        "<details>",
        f"<summary>{record_id}: {len(removed)} paragraph(s) removed by strip_boilerplate, "
        "and why</summary>",
        "",
        "| # | rule | classifier | features | paragraph |",
        "|---|---|---|---|---|",
    ]
    for p in shown:
        lines.append(
            f"| {p.index} | {cell(p.rule)} | {cell(p.initial)} → {cell(p.label)} "
            f"({cell(p.reason)}) | {cell(p.features)} | {cell(p.text[:80])} |"
        )
    if len(removed) > len(shown):
        lines.append(f"\n…{len(removed) - len(shown)} more in the HTML review.")
    lines += ["", "</details>", ""]
    return lines


def render_summary(reviews: Sequence[SeedReview]) -> str:
    """The whole summary: a header, then one section per seed."""
    head = [
        f"## curation review: {len(reviews)} seed{'s' if len(reviews) != 1 else ''}",
        "",
        "Each seed's HTML page (in the review artifact) shows the raw text beside the "
        "published records, every removed or replaced span labelled with its rule. "
        f"Near-duplicate: Jaccard similarity of character 5-grams ≥ {NEAR_DUPLICATE_THRESHOLD}.",
        "",
    ]
    return "\n".join(head + [seed_section(r) for r in reviews]).rstrip() + "\n"
