"""``curation review``: what the build publishes from given seeds, for contributors and reviewers.

:func:`write_reviews` writes ``<out>/<seed id>.html`` per seed
(:mod:`~curation.review.html_page`) and ``<out>/summary.md``
(:mod:`~curation.review.markdown_summary`) and ``<out>/index.html`` linking every
page (:mod:`~curation.review.index_page`), gathered by
:mod:`~curation.review.seed_review`; :mod:`~curation.review.edit_trace` locates
each edit of a record's provenance in the raw seed text. Nothing is written
outside the output folder, which must be new, empty or a review folder, and not
inside ``seeds/`` or ``dist/`` (:mod:`curation.output_folders`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from curation.output_folders import check_review_output

if TYPE_CHECKING:  # only for the annotation: `curation review --help` stays light
    from curation.cache import RecordCache

SUMMARY_NAME = "summary.md"


@dataclass(frozen=True)
class WrittenReviews:
    pages: list[Path]
    summary: Path
    index: Path


def write_reviews(
    requested: list[str] | None,
    seeds_dir: Path,
    dist_dir: Path,
    out_dir: Path,
    cache: RecordCache | None = None,
) -> WrittenReviews:
    """Review the requested seeds (all when None) into ``out_dir``.

    ``cache``: reuse what the steps made of unchanged seeds (:mod:`curation.cache`).
    """
    from curation.review.html_page import render_page
    from curation.review.index_page import INDEX_NAME, render_index
    from curation.review.markdown_summary import render_summary
    from curation.review.seed_review import review_seeds

    check_review_output(out_dir, seeds_dir, dist_dir)
    reviews = review_seeds(requested, seeds_dir, dist_dir, cache=cache)
    out_dir.mkdir(parents=True, exist_ok=True)
    pages = []
    for review in reviews:
        page = out_dir / f"{review.seed.id}.html"
        page.write_text(render_page(review), encoding="utf-8", newline="\n")
        pages.append(page)
    summary = out_dir / SUMMARY_NAME
    summary.write_text(render_summary(reviews), encoding="utf-8", newline="\n")
    index = out_dir / INDEX_NAME
    index.write_text(render_index(reviews), encoding="utf-8", newline="\n")
    return WrittenReviews(pages, summary, index)
