"""``dist/report.html``: what the build did, as one page to look at.

Per step and per rule the characters removed, the language configs and how they
were decided, text-length histograms, exact-duplicate clusters and warnings, with
bar charts drawn as inline SVG (:mod:`curation.publish.svg_chart`). The page has
no script and loads nothing: it opens from a downloaded copy as from the Hub.

It lives in ``dist/`` and is published: everything on it is a count of the
published build, so it is as reproducible as the card (no clock, no host, no
path; every list in a fixed order), and it is listed in ``SHA256SUMS`` and the
manifest like every other file. ``curation verify`` therefore checks it too.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict

from curation.publish.summary import DETAIL_LIMIT, BuildSummary
from curation.publish.svg_chart import bar_chart, column_chart, power_of_two_label

REPORT_NAME = "report.html"

WARNING_PREFIX = "warning:"

STYLE = """
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;padding:1rem;
max-width:75rem;color:#111;background:#fff;overflow-wrap:anywhere}
h1{font-size:1.4rem;margin:.2rem 0}
h2{font-size:1.15rem;margin:1.6rem 0 .5rem;border-bottom:1px solid #ddd}
h3{font-size:1rem;margin:.8rem 0 .3rem}
table{border-collapse:collapse;margin:.4rem 0}
th,td{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
th{background:#f6f6f6;font-weight:600}
code,.mono{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:13px}
.figure{overflow-x:auto;max-width:100%}
.configs{display:flex;flex-wrap:wrap;gap:0 2rem}
.configs>div{min-width:0;max-width:100%}
svg.chart{font:12px system-ui,sans-serif;display:block}
svg.chart rect.bar{fill:#2563eb}
svg.chart rect.negative{fill:#d97706}
svg.chart line.axis{stroke:#999}
.muted{color:#666}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _table(headers: list[str], rows: list[list[object]], numeric: set[int]) -> str:
    head = "".join(
        f'<th class="n">{_e(h)}</th>' if i in numeric else f"<th>{_e(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{v:,}</td>'
            if i in numeric and isinstance(v, int)
            else f"<td>{_e(v)}</td>"
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figure(svg: str) -> str:
    return f'<div class="figure">{svg}</div>'


def _steps(summary: BuildSummary) -> str:
    rows: list[list[object]] = []
    for report in summary.reports:
        drops = ", ".join(f"{reason} ×{n}" for reason, n in sorted(report.drops.items()))
        rows.append(
            [
                report.step,
                report.records_in,
                report.records_out,
                report.chars_in,
                report.chars_removed,
                drops or "—",
            ]
        )
    chart = bar_chart(
        "Characters removed per step",
        [(r.step, r.chars_removed) for r in summary.reports],
        " chars",
    )
    return (
        "<h2>Steps</h2>"
        "<p>In pipeline order. Characters removed is the characters a step received minus "
        "those it passed on (dropped records included); a negative number means the step "
        "added characters.</p>"
        + _figure(chart)
        + _table(
            ["step", "records in", "records out", "characters in", "characters removed", "dropped"],
            rows,
            {1, 2, 3, 4},
        )
    )


def _rules(summary: BuildSummary) -> str:
    rows: list[list[object]] = []
    bars: list[tuple[str, int]] = []
    for report in summary.reports:
        for rule, fired in sorted(report.rules.items()):
            if rule.startswith(WARNING_PREFIX):
                continue
            removed = report.rule_chars_removed[rule]
            rows.append([report.step, rule, fired, removed])
            bars.append((f"{report.step} / {rule}", removed))
    return (
        "<h2>Rules</h2>"
        "<p>Every rule that edited a text: how many edits it made and the characters it "
        "removed (the length of the text it replaced minus the length of its replacement, "
        "summed over its edits). A rule that splits a record counts, for each part, the text "
        "cut away from it, so its total can exceed its step's.</p>"
        + _figure(bar_chart("Characters removed per rule", bars, " chars"))
        + _table(["step", "rule", "edits", "characters removed"], rows, {2, 3})
    )


def _languages(summary: BuildSummary) -> str:
    configs = sorted(summary.configs, key=lambda c: (-c.num_examples, c.language))
    chart = bar_chart(
        "Records per language config", [(c.language, c.num_examples) for c in configs]
    )
    decided = [
        [language, how, count]
        for (language, how), count in sorted(summary.language_decisions.items())
    ]
    return (
        "<h2>Languages</h2>"
        + _figure(chart)
        + "<h3>How each config's records were decided</h3>"
        + _table(["config", "decided by", "records"], decided, {2})
    )


def _length_columns(bins: Counter[int], axis: range) -> list[tuple[str, int]]:
    """One column per bin of ``axis``, empty ones included: every chart has the same axis."""
    return [(power_of_two_label(k), bins[k]) for k in axis]


def _lengths(summary: BuildSummary) -> str:
    overall: Counter[int] = Counter()
    per_config: dict[str, Counter[int]] = defaultdict(Counter)
    for (language, exponent), count in summary.length_bins.items():
        overall[exponent] += count
        per_config[language][exponent] += count
    axis = range(min(overall), max(overall) + 1) if overall else range(0)
    parts = [
        "<h2>Text lengths</h2>",
        "<p>Records by the number of characters of their published text, in bins that double: "
        "a column labelled <i>n</i> counts the texts of <i>n</i> to 2<i>n</i>−1 characters.</p>",
        "<h3>All records</h3>",
        _figure(column_chart("Text length, all records", _length_columns(overall, axis))),
        '<div class="configs">',
    ]
    for language in sorted(per_config):
        columns = _length_columns(per_config[language], axis)
        parts.append(
            f"<div><h3>Config <code>{_e(language)}</code></h3>"
            + _figure(column_chart(f"Text length, config {language}", columns))
            + "</div>"
        )
    return "".join([*parts, "</div>"])


def _duplicates(summary: BuildSummary) -> str:
    clusters: dict[str, list[str]] = defaultdict(list)
    for dropped, kept in summary.duplicates:
        clusters[kept].append(dropped)
    sizes = Counter(len(dropped) + 1 for dropped in clusters.values())
    ordered = sorted(clusters.items(), key=lambda item: (-len(item[1]), item[0]))
    rows: list[list[object]] = [
        [kept, len(dropped) + 1, ", ".join(sorted(dropped))]
        for kept, dropped in ordered[:DETAIL_LIMIT]
    ]
    more = len(ordered) - len(rows)
    return (
        "<h2>Exact duplicates</h2>"
        f"<p>{len(summary.duplicates):,} records dropped as the same text as an earlier record, "
        f"in {len(clusters):,} clusters (the record kept and the records dropped).</p>"
        + _figure(
            bar_chart(
                "Duplicate clusters by size",
                [(f"{size} records", n) for size, n in sorted(sizes.items())],
                " clusters",
            )
        )
        + (_table(["kept", "records", "dropped"], rows, {1}) if rows else "")
        + (f'<p class="muted">… and {more:,} more clusters.</p>' if more > 0 else "")
    )


def _warnings(summary: BuildSummary) -> str:
    counts = [
        (f"{report.step} / {rule.removeprefix(WARNING_PREFIX)}", n)
        for report in summary.reports
        for rule, n in sorted(report.rules.items())
        if rule.startswith(WARNING_PREFIX)
    ]
    rows: list[list[object]] = [
        [w["id"], w["step"], w["code"], w["message"]]
        for w in sorted(summary.warnings, key=lambda w: (w["id"], w["step"], w["code"]))
    ]
    shown = (
        f"the first {len(rows):,} of {summary.warnings_seen:,}"
        if summary.warnings_seen > len(rows)
        else f"all {len(rows):,}"
    )
    return (
        "<h2>Warnings</h2>"
        "<p>What a step noticed and did not resolve; every record's warnings are in the "
        f"Parquet column <code>warnings</code>. Listed here: {shown}.</p>"
        + _figure(bar_chart("Warnings per step and code", counts))
        + (_table(["record", "step", "code", "message"], rows, set()) if rows else "")
    )


def render_report(summary: BuildSummary) -> str:
    """The whole page: the same summary gives the same bytes."""
    dataset = summary.dataset
    configs = ", ".join(
        f"{c.language} {c.num_examples:,}"
        for c in sorted(summary.configs, key=lambda c: c.language)
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Build report: {_e(dataset.pretty_name)} {_e(dataset.version)}</title>"
        f"<style>{STYLE}</style></head><body>"
        f"<header><h1>Build report: {_e(dataset.pretty_name)}</h1>"
        f"<p>Version {_e(dataset.version)}: {summary.num_examples:,} records "
        f"({_e(configs or 'none')}) published from {len(summary.seed_ids):,} seeds. Content sha256 "
        f'<span class="mono">{_e(summary.content_sha256)}</span>. Written by '
        f"<code>curation build</code> with the data card (README.md) and counted in "
        "SHA256SUMS and manifest.json.</p></header>"
        + _steps(summary)
        + _rules(summary)
        + _languages(summary)
        + _lengths(summary)
        + _duplicates(summary)
        + _warnings(summary)
        + "</body></html>\n"
    )
