"""The review page of one seed: one self-contained HTML file, no script, no external resource.

For each record the build will publish, the raw seed text is shown beside the
published text. On the raw side every span a step removed or replaced is
highlighted in the colour of its step, carries a ``title`` naming each edit
(step, rule, text before and after) and, when the span holds more than
whitespace, a visible label with the rule; the legend lists every step and rule
with its count, and a table under each record lists every edit. On the published
side the text that steps wrote (replacements) is underlined in the same colours.

Every piece of text from the seed, the sidecar or the rules goes through
:func:`html.escape`; labels are shown with CSS ``attr()`` so that they are not part
of the text a reader copies. The page has no timestamp: the same seed and the
same pipeline give the same bytes.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from curation import __version__
from curation.contribute.near_duplicates import NEAR_DUPLICATE_THRESHOLD, Neighbour
from curation.review.edit_trace import RawSpan, raw_spans
from curation.review.seed_review import RecordReview, SeedReview, step_order

# Light fills, told apart also in print; one per pipeline position, reused in turn.
STEP_COLOURS = (
    "#fde68a",
    "#bfdbfe",
    "#fecaca",
    "#ddd6fe",
    "#bbf7d0",
    "#fbcfe8",
    "#fed7aa",
    "#a5f3fc",
)

STYLE = """
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;padding:1rem;
max-width:110rem;color:#111;background:#fff;overflow-wrap:anywhere}
h1{font-size:1.4rem;margin:.2rem 0;overflow-wrap:anywhere}
h2{font-size:1.15rem;margin:1.6rem 0 .5rem;border-bottom:1px solid #ddd}
h3{font-size:1rem;margin:.4rem 0}
table{border-collapse:collapse;width:100%;table-layout:fixed;margin:.4rem 0}
th,td{border:1px solid #ddd;padding:.2rem .4rem;text-align:left;vertical-align:top;
overflow-wrap:anywhere;word-break:break-word}
th{background:#f6f6f6;font-weight:600}
code,pre,.mono{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:13px}
pre.text{white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word;margin:0;padding:.6rem;
border:1px solid #ccc;border-radius:4px;background:#fcfcfc;line-height:1.6}
.columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,30rem),1fr));gap:1rem}
.columns>div{min-width:0}
mark.edit{color:inherit;border-radius:2px;padding:0 1px}
mark.removed{text-decoration:line-through;text-decoration-color:#b91c1c}
mark.replaced{text-decoration:underline dotted #1d4ed8}
mark.labelled::before{content:attr(data-label);font:11px/1.2 system-ui,sans-serif;
background:#333;color:#fff;border-radius:3px;padding:0 3px;margin-right:2px;
text-decoration:none;display:inline-block}
mark.newline::before{content:"\\21B5";color:#555}
mark.inserted::before{content:"\\2041" attr(data-label);font:11px/1.2 system-ui,sans-serif;
color:#333}
ins.written{text-decoration:underline 2px;text-underline-offset:2px}
.swatch{display:inline-block;width:1em;height:1em;border:1px solid #999;vertical-align:middle;
margin-right:.3em}
.warn{color:#92400e}
.bad{color:#b91c1c;font-weight:600}
.muted{color:#666}
footer{margin-top:2rem;color:#666;font-size:13px}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def visible_whitespace(text: str) -> str:
    """Text with its line ends, tabs and spaces made visible, for titles and tables.

    >>> visible_whitespace("a b\\n\\tc")
    'a·b↵\\n→c'
    """
    return text.replace(" ", "·").replace("\t", "→").replace("\r", "␍").replace("\n", "↵\n")


def _colour_class(step: str, order: list[str]) -> str:
    base = step.split("/", 1)[0]
    position = order.index(base) if base in order else len(order)
    return f"c{position % len(STEP_COLOURS)}"


def _colour_css() -> str:
    rules = []
    for i, colour in enumerate(STEP_COLOURS):
        rules.append(f"mark.c{i},.swatch.c{i}{{background:{colour}}}")
        rules.append(f"ins.c{i}{{text-decoration-color:{colour};background:{colour}55}}")
    return "\n".join(rules)


def _edit_title(review: RecordReview, indexes: Iterable[int]) -> str:
    lines = []
    for index in indexes:
        edit = review.record.provenance[index]
        before = visible_whitespace(edit.before) or "(nothing)"
        after = visible_whitespace(edit.after) or "(nothing)"
        lines.append(f"{edit.step} · {edit.rule}: {before} → {after}")
    return "\n".join(lines)


def _rule_label(review: RecordReview, indexes: tuple[int, ...]) -> str:
    rules: list[str] = []
    for index in indexes:
        rule = review.record.provenance[index].rule
        if rule not in rules:
            rules.append(rule)
    return " → ".join(rules)


def render_raw(review: RecordReview, order: list[str]) -> str:
    """The raw text with every changed span highlighted, as the inside of a ``<pre>``."""
    parts = []
    raw = review.trace.raw
    for span in raw_spans(review.trace):
        text = raw[span.start : span.end]
        if not span.edits:
            parts.append(_e(text))
            continue
        parts.append(_render_changed(review, span, text, order))
    return "".join(parts)


def _render_changed(review: RecordReview, span: RawSpan, text: str, order: list[str]) -> str:
    edits = [review.record.provenance[i] for i in span.edits]
    classes = ["edit", _colour_class(edits[-1].step, order)]
    label = _rule_label(review, span.edits)
    if span.start == span.end:
        classes.append("inserted")
    else:
        classes.append("removed" if all(not e.after for e in edits) else "replaced")
        if text.strip():
            classes.append("labelled")
        elif "\n" in text:
            classes.append("newline")
    return (
        f'<mark class="{" ".join(classes)}" data-edits="{" ".join(map(str, span.edits))}" '
        f'data-label="{_e(label)}" title="{_e(_edit_title(review, span.edits))}">{_e(text)}</mark>'
    )


def render_published(review: RecordReview, order: list[str]) -> str:
    """The published text; text that edits wrote is underlined in its step's colour."""
    parts = []
    for piece in review.trace.pieces:
        if piece.kept:
            parts.append(_e(piece.text))
            continue
        last = review.record.provenance[piece.edits[-1]]
        parts.append(
            f'<ins class="written {_colour_class(last.step, order)}" '
            f'title="{_e(_edit_title(review, piece.edits))}">{_e(piece.text)}</ins>'
        )
    return "".join(parts)


def _changes_table(review: RecordReview, order: list[str]) -> str:
    rows = []
    for traced in review.trace.edits:
        edit = traced.edit
        rows.append(
            "<tr>"
            f"<td>{traced.index}</td>"
            f'<td><span class="swatch {_colour_class(edit.step, order)}"></span>'
            f"{_e(edit.step)}</td>"
            f"<td>{_e(edit.rule)}</td>"
            f"<td>{traced.raw_start}–{traced.raw_end}</td>"
            f'<td class="mono">{_e(visible_whitespace(edit.before))}</td>'
            f'<td class="mono">{_e(visible_whitespace(edit.after))}</td>'
            "</tr>"
        )
    if not rows:
        return '<p class="muted">No step changed this text.</p>'
    return (
        f"<details><summary>Every change ({len(rows)}), in the order the steps made them"
        '</summary><table><colgroup><col style="width:3rem"><col style="width:22%">'
        '<col style="width:18%"><col style="width:8rem"><col><col></colgroup>'
        "<thead><tr><th>#</th><th>step</th><th>rule</th><th>raw offsets</th>"
        "<th>before</th><th>after</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></details>"
    )


def _neighbour_rows(neighbours: list[Neighbour]) -> str:
    if not neighbours:
        return (
            '<tr><td colspan="2" class="muted">no text in the corpus shares any shingle</td></tr>'
        )
    rows = []
    for neighbour in neighbours:
        verdict = ' <span class="bad">near-duplicate</span>' if neighbour.is_near_duplicate else ""
        rows.append(
            f"<tr><td>{_e(neighbour.key)}</td><td>{neighbour.similarity:.3f}{verdict}</td></tr>"
        )
    return "".join(rows)


def _metadata_table(review: SeedReview) -> str:
    sidecar = review.sidecar
    fields = ("title", "source", "date", "time", "url", "license")
    header = "".join(f"<th>published, record {r.record.part}</th>" for r in review.records)
    rows = []
    for name in fields:
        cells = "".join(f"<td>{_value(getattr(r.record, name))}</td>" for r in review.records)
        rows.append(f"<tr><th>{name}</th><td>{_value(sidecar.get(name, '—'))}</td>{cells}</tr>")
    language_cells = "".join(
        f"<td>{_value(r.record.language)} ({_value(r.record.language_score)})</td>"
        for r in review.records
    )
    rows.append(
        f"<tr><th>language</th><td>{_value(sidecar.get('languages'))}</td>{language_cells}</tr>"
    )
    blank = "<td></td>" * len(review.records)
    for name in ("provenance", "contributor", "date_added"):
        rows.append(f"<tr><th>{name}</th><td>{_value(sidecar.get(name))}</td>{blank}</tr>")
    return (
        '<table><thead><tr><th style="width:8rem">field</th><th>declared in the sidecar</th>'
        f"{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _value(value: Any) -> str:
    if value is None:
        return '<span class="muted">null</span>'
    if isinstance(value, list):
        return _e(", ".join(map(str, value)))
    return _e(value)


def _legend(review: SeedReview, order: list[str]) -> str:
    counts = review.rules_fired
    if not counts:
        return '<p class="muted">No step changed this seed.</p>'
    rows = []
    for step in order + sorted({s for s, _ in counts} - set(order)):
        for (edit_step, rule), count in sorted(counts.items()):
            if edit_step.split("/", 1)[0] == step:
                rows.append(
                    f'<tr><td><span class="swatch {_colour_class(edit_step, order)}"></span>'
                    f"{_e(edit_step)}</td><td>{_e(rule)}</td><td>{count}</td></tr>"
                )
    return (
        '<table class="legend"><thead><tr><th>step</th><th>rule</th><th>edits</th></tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
        '<p class="muted">Raw side: <mark class="edit c2 removed">struck through</mark> = '
        'removed, <mark class="edit c1 replaced">dotted</mark> = replaced, '
        '<mark class="edit c0 inserted" data-label="rule"></mark> = inserted, '
        "\N{DOWNWARDS ARROW WITH TIP LEFTWARDS} = a line end that was changed. Hover a "
        "highlight for each edit's before and after. Published side: underlined text was "
        "written by a step.</p>"
    )


def _paragraphs_table(review: RecordReview) -> str:
    """strip_boilerplate's decision on each paragraph, with the classifier's features."""
    if not review.paragraphs:
        return ""
    rows = "".join(
        f'<tr class="{"" if p.kept else "bad"}">'
        f"<td>{p.index}</td>"
        f"<td>{'kept' if p.kept else 'removed'}{' (part)' if p.kept and p.rule else ''}</td>"
        f"<td>{_e(p.rule or '')}</td>"
        f"<td>{_e(p.initial)} → {_e(p.label)}{'' if p.in_body else ', outside the body'}</td>"
        f"<td>{_e(p.reason)}</td>"
        f'<td class="mono">{_e(p.features)}</td>'
        f"<td>{_e(p.text[:160])}{'…' if len(p.text) > 160 else ''}</td></tr>"
        for p in review.paragraphs
    )
    return (
        "<h3>Paragraphs as strip_boilerplate saw them</h3>"
        "<p>The paragraph classifier labels each paragraph from its own features "
        "(class before →), then from its neighbours (after →); the article is the span "
        "with the most prose. The rule column names what removed a paragraph; thresholds "
        "are in curation/rules/boilerplate.toml, [classifier].</p>"
        "<table><thead><tr><th>#</th><th>decision</th><th>rule</th><th>classifier</th>"
        "<th>decided by</th><th>features</th><th>paragraph</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _record_section(review: RecordReview, order: list[str]) -> str:
    record = review.record
    warnings = "".join(
        f'<li class="warn">[{_e(w.step)}] {_e(w.code)}: {_e(w.message)}</li>'
        for w in record.warnings
    )
    same = (
        f'<p class="bad">Same text as record {_e(review.same_text_as)} after normalization: '
        "the corpus pass dedup_exact publishes only the one with the smaller id.</p>"
        if review.same_text_as
        else ""
    )
    return (
        f'<section class="record" id="record-{record.part}">'
        f"<h2>Record {_e(record.id)}</h2>{same}"
        f"<p>{len(record.text):,} characters published; language "
        f"{_value(record.language)} (score {_value(record.language_score)}); "
        f"{len(record.provenance)} edits.</p>"
        + (f"<ul>{warnings}</ul>" if warnings else "")
        + '<div class="columns">'
        f'<div><h3>Raw seed text</h3><pre class="text raw" data-record="{record.part}">'
        f"{render_raw(review, order)}</pre></div>"
        f'<div><h3>Published text</h3><pre class="text published" data-record="{record.part}">'
        f"{render_published(review, order)}</pre></div>"
        "</div>"
        f"{_changes_table(review, order)}"
        f"{_paragraphs_table(review)}"
        "<h3>Most similar published records of other seeds</h3>"
        "<table><thead><tr><th>record</th><th>similarity</th></tr></thead><tbody>"
        f"{_neighbour_rows(review.neighbours)}</tbody></table>"
        "</section>"
    )


def render_page(review: SeedReview) -> str:
    """The whole HTML page for one seed."""
    order = step_order()
    seed = review.seed
    published_chars = sum(len(r.record.text) for r in review.records)
    drops = "".join(
        f'<li class="bad">dropped by {_e(step)}: {_e(reason)}</li>' for step, reason in review.drops
    )
    guess = review.raw_language
    raw_language = (
        f"{_value(guess.language)} (probability {_value(guess.score)}, {guess.letters:,} letters)"
    )
    origin = (
        "dist/ (current)"
        if review.corpus_origin == "dist"
        else "a rebuild in memory (dist/ is missing or not built from these seeds and rules)"
    )
    records = "".join(_record_section(r, order) for r in review.records) or (
        '<p class="bad">The build publishes nothing from this seed.</p>'
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Review of seed {_e(seed.id)}</title>"
        f"<style>{STYLE}{_colour_css()}</style></head><body>"
        f"<header><h1>Seed {_e(seed.id)}</h1>"
        f"<p>{_e(seed.text_path.name)}: {len(review.raw):,} characters submitted, sha256 "
        f'<span class="mono">{_e(review.sha256)}</span>. The build publishes '
        f"{len(review.records)} record{'s' if len(review.records) != 1 else ''}, "
        f"{published_chars:,} characters.</p>"
        + (f"<ul>{drops}</ul>" if drops else "")
        + "</header>"
        "<h2>Metadata</h2>"
        f"{_metadata_table(review)}"
        "<h2>Language</h2>"
        f"<p>Declared: {_value(review.sidecar.get('languages'))}. Detected on the raw text: "
        f"{raw_language}. Per record, after cleaning: see the metadata table.</p>"
        "<h2>Near-duplicate neighbours</h2>"
        f"<p>Similarity is the Jaccard index of character 5-grams; "
        f"{NEAR_DUPLICATE_THRESHOLD} or more is a near-duplicate. Published records of "
        f"other seeds come from {origin}.</p>"
        "<h3>Most similar raw seeds</h3>"
        "<table><thead><tr><th>seed</th><th>similarity</th></tr></thead><tbody>"
        f"{_neighbour_rows(review.raw_neighbours)}</tbody></table>"
        "<h2>Rules that changed the text</h2>"
        f"{_legend(review, order)}"
        f"{records}"
        f"<footer>curation {_e(__version__)} review; pipeline: {_e(' → '.join(order))}."
        "</footer></body></html>\n"
    )
