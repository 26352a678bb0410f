"""`curation review` writes index.html: one row and link per reviewed seed, with a chart."""

from __future__ import annotations

import html as html_module
import re
from pathlib import Path

import pytest

from curation.cli import main
from tests.review.test_review import FIRST, SPLIT, published
from tests.test_build_report import measure_in_chromium, run_console


def rows(page: str) -> dict[str, list[str]]:
    """Seed id -> the text of its cells, from the index's table."""
    found = {}
    for row in re.findall(r"<tr><td><a .*?</tr>", page):
        cells = [
            html_module.unescape(re.sub(r"<[^>]+>", "", c))
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row)
        ]
        found[cells[0]] = cells
    return found


def test_index_links_every_seed_with_its_counts(project: Path) -> None:
    assert main(["review", "--all"]) == 0
    page = Path("review/index.html").read_text(encoding="utf-8")
    seeds = sorted(p.stem for p in Path("seeds").glob("*.txt"))
    table = rows(page)
    assert sorted(table) == seeds
    links = re.findall(r'<a href="([^"]+)">', page)
    assert links == [f"{seed}.html" for seed in seeds]
    assert all(Path("review", link).is_file() for link in links)
    for seed_id in (FIRST, SPLIT):
        raw, texts, _ = published(seed_id)
        cells = table[seed_id]
        assert cells[2] == f"{len(raw):,}" and cells[3] == f"{sum(map(len, texts)):,}"
        assert cells[4] == str(len(texts))
        assert f"{len(raw) - sum(map(len, texts)):,} chars" in page  # its bar's label
    assert page.count('<rect class="bar') == len(seeds)


def test_index_of_some_seeds_lists_only_those(project: Path) -> None:
    assert main(["review", SPLIT, FIRST, "--out", "some"]) == 0
    page = Path("some/index.html").read_text(encoding="utf-8")
    assert list(rows(page)) == [SPLIT, FIRST]  # in the order asked
    assert "curation review: 2 seeds" in page


@pytest.mark.browser
def test_index_renders_in_chromium(project: Path, tmp_path: Path) -> None:
    assert main(["review", "--all"]) == 0
    index = Path("review/index.html").resolve()
    measured, _ = measure_in_chromium(index, tmp_path)
    assert measured["charts"] == measured["chartsDrawn"] == 1
    assert measured["barsDrawn"] == measured["barsDrawnAndFilled"] > 0
    assert measured["labelsCutOff"] == 0
    assert measured["resources"] == 0
    assert run_console(index, tmp_path) == []


def test_the_index_name_is_one_the_output_check_accepts() -> None:
    from curation.output_folders import REVIEW_INDEX
    from curation.review.index_page import INDEX_NAME

    assert INDEX_NAME == REVIEW_INDEX
