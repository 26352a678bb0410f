"""``<out>/index.html``: one row per reviewed seed, linking to its page.

A reviewer of ``curation review --all`` starts here: how much of each seed the
build publishes, how many records and edits it makes, its language, warnings,
drops, and its most similar other seed (near-duplicates flagged), with a chart of
the characters the steps removed from each seed. Like the seed pages it has no
script, loads nothing and carries no timestamp.
"""

from __future__ import annotations

import html
from urllib.parse import quote

from curation import __version__
from curation.publish.svg_chart import bar_chart
from curation.review.html_page import STYLE
from curation.review.seed_review import SeedReview

INDEX_NAME = "index.html"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _removed(review: SeedReview) -> int:
    return len(review.raw) - sum(len(r.record.text) for r in review.records)


def _row(review: SeedReview) -> str:
    seed = review.seed
    published = sum(len(r.record.text) for r in review.records)
    languages = ", ".join(sorted({str(r.record.language) for r in review.records})) or "–"
    warnings = sum(len(r.record.warnings) for r in review.records)
    edits = sum(review.rules_fired.values())
    nearest = review.raw_neighbours[0] if review.raw_neighbours else None
    neighbour = (
        "–"
        if nearest is None
        else f"{_e(nearest.key)} {nearest.similarity:.2f}"
        + (' <span class="bad">near-duplicate</span>' if nearest.is_near_duplicate else "")
    )
    drops = ", ".join(f"{step}: {reason}" for step, reason in review.drops)
    title = review.sidecar.get("title") or next(
        (r.record.title for r in review.records if r.record.title), ""
    )
    return (
        f'<tr><td><a href="{_e(quote(seed.id + ".html"))}">{_e(seed.id)}</a></td>'
        f"<td>{_e(title or '–')}</td>"
        f"<td>{len(review.raw):,}</td><td>{published:,}</td>"
        f"<td>{len(review.records)}</td><td>{edits}</td><td>{_e(languages)}</td>"
        f"<td{' class=warn' if warnings else ''}>{warnings}</td>"
        f"<td{' class=bad' if drops else ''}>{_e(drops or '–')}</td>"
        f"<td>{neighbour}</td></tr>"
    )


def render_index(reviews: list[SeedReview]) -> str:
    """The index of the reviewed seeds, in review order (seed id order for ``--all``)."""
    chart = bar_chart(
        "Characters removed per seed",
        [(review.seed.id, _removed(review)) for review in reviews],
        " chars",
    )
    rows = "".join(_row(review) for review in reviews)
    count = len(reviews)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>curation review: {count} seed{'s' if count != 1 else ''}</title>"
        f"<style>{STYLE}svg.chart{{font:12px system-ui,sans-serif;display:block}}"
        "svg.chart rect.bar{fill:#2563eb}svg.chart rect.negative{fill:#d97706}"
        ".figure{overflow-x:auto;max-width:100%}</style></head><body>"
        f"<header><h1>curation review: {count} seed{'s' if count != 1 else ''}</h1>"
        "<p>Each seed's page shows its raw text beside what the build publishes, every "
        "edit labelled with its rule. Characters removed: submitted minus published.</p>"
        "</header>"
        f'<div class="figure">{chart}</div>'
        "<table><thead><tr><th>seed</th><th>title</th><th>characters submitted</th>"
        "<th>characters published</th><th>records</th><th>edits</th><th>languages</th>"
        "<th>warnings</th><th>dropped</th><th>most similar other seed</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        f"<footer>curation {_e(__version__)} review.</footer></body></html>\n"
    )
