"""`curation review`: the HTML page and the Markdown summary show what the build publishes."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from curation.cli import main
from curation.contribute.cleaned_text import clean_seed, readable_seed_records
from curation.review.edit_trace import raw_spans, trace_edits
from curation.review.markdown_summary import PREVIEW_CHARS, cell, fenced
from curation.rules import load_rules
from curation.seeds import discover_seeds
from tests.contribute.conftest import tree_state
from tests.contribute.synthetic_text import GERMAN_NEWS
from tests.review.page_text import ReviewPage

FIRST = "000_1d9f1a65aeae1940"
SPLIT = "002_ddf420c53e7c56f6"


def published(seed_id: str) -> tuple[str, list[str], list[int]]:
    """The raw text, the published texts and the changed-span count per record, computed here."""
    seeds, _ = discover_seeds(Path("seeds"))
    records, _, _ = readable_seed_records([s for s in seeds if s.id == seed_id])
    (seed,) = records
    cleaned = clean_seed(seed, load_rules()).records
    spans = [
        len([s for s in raw_spans(trace_edits(seed.text, r.provenance)) if s.edits])
        for r in cleaned
    ]
    return seed.text, [r.text for r in cleaned], spans


@pytest.mark.parametrize("seed_id", [FIRST, SPLIT])
def test_page_shows_raw_and_published_text_exactly(seed_id: str, project: Path) -> None:
    before = tree_state(project)
    assert main(["review", seed_id]) == 0
    page = ReviewPage(Path(f"review/{seed_id}.html").read_text(encoding="utf-8"))
    raw, texts, spans = published(seed_id)
    assert page.panes["raw"] == [raw] * len(texts)  # nothing cut, nothing added
    assert page.panes["published"] == texts
    assert len(page.marks) == sum(spans) > 0
    for mark in page.marks:
        assert mark["title"]  # every highlight names its edits
        assert mark["data-label"]  # and its rule(s), shown with CSS for spans with text
        assert re.fullmatch(r"c\d+", mark["class"].split()[1])
    changed = {k: v for k, v in tree_state(project).items() if not k.startswith("review/")}
    assert changed == before  # nothing in seeds/ (or anywhere else) was written


def test_page_is_self_contained_and_escapes_everything(project: Path) -> None:
    hostile = (
        '<script>alert("x")</script> & <img src=x onerror=alert(1)> "quoted" \'single\'\n\n'
        + GERMAN_NEWS
    )
    Path("evil.txt").write_text(hostile, encoding="utf-8")
    assert (
        main(
            [
                "add-seed",
                "evil.txt",
                "--license",
                "<b>CC0</b>",
                "--provenance",
                'Written for a test "<i>"',
                "--title",
                "</title><script>x</script>",
            ]
        )
        == 0
    )
    (seed,) = Path("seeds").glob("005_*.txt")
    assert main(["review", str(seed)]) == 0
    html = Path(f"review/{seed.stem}.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    page = ReviewPage(html)
    assert page.attributes <= {
        "class",
        "lang",
        "charset",
        "name",
        "content",
        "title",
        "style",
        "id",
        "data-edits",
        "data-label",
        "data-record",
        "colspan",
    }  # no src, href, on* handlers: nothing is loaded, nothing runs
    assert "url(" not in page.style and "@import" not in page.style
    assert page.panes["raw"][0] == hostile
    assert page.tags <= {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "header",
        "h1",
        "h2",
        "h3",
        "p",
        "span",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "pre",
        "mark",
        "ins",
        "ul",
        "li",
        "details",
        "summary",
        "section",
        "div",
        "footer",
        "colgroup",
        "col",
    }


def test_same_seed_same_bytes(project: Path) -> None:
    assert main(["review", FIRST, "--out", "one"]) == 0
    assert main(["review", FIRST, "--out", "two"]) == 0
    for name in (f"{FIRST}.html", "summary.md"):
        one = hashlib.sha256(Path("one", name).read_bytes()).hexdigest()
        assert one == hashlib.sha256(Path("two", name).read_bytes()).hexdigest()


def test_summary_for_a_pull_request(project: Path) -> None:
    assert main(["review", FIRST, SPLIT]) == 0
    summary = Path("review/summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## curation review: 2 seeds\n")
    assert f"### {FIRST}" in summary and f"### {SPLIT}" in summary
    assert f"Published text of {SPLIT}-1" in summary
    assert "Rules that fired:" in summary
    assert len(summary) < 65_536  # GitHub's limit for a comment


def test_markdown_is_safe_for_any_text() -> None:
    assert cell("a|b\nc") == "a\\|b c"
    assert cell("<details>") == "&lt;details&gt;"
    text = "code: ```python``` and ````"
    block = fenced(text)
    assert block.startswith("`````text\n") and block.endswith("\n`````")
    assert PREVIEW_CHARS >= 1000


def test_every_seed_with_all(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "--all"]) == 0
    out = capsys.readouterr().out
    assert out.count("wrote review/") == 7  # five pages, the summary and the index


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["999_0000000000000000"], "999_0000000000000000: no such seed"),
        ([], "name at least one seed, or pass --all"),
        ([FIRST, "--out", "seeds/review"], "is inside seeds/"),
        ([FIRST, "--out", "dist"], "is inside dist/"),
    ],
)
def test_refusals(
    arguments: list[str], words: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("dist").mkdir()
    before = tree_state(project)
    assert main(["review", *arguments]) == 2
    assert words in capsys.readouterr().err
    assert tree_state(project) == before


def test_a_seed_with_problems_is_not_reviewed(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sidecar = Path(f"seeds/{FIRST}.json")
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    data["sha256"] = "0" * 64
    sidecar.write_text(json.dumps(data), encoding="utf-8")
    assert main(["review", FIRST]) == 2
    assert "does not match the seed file" in capsys.readouterr().err
