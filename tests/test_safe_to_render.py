"""What the build publishes is safe to render: sidecar values escaped, bidi controls gone.

A contributor's sidecar values (title, source, license, url) reach the card's
Markdown, the review summary's Markdown and the Parquet columns; a seed's text may
hold bidi override and isolate controls. The card must show the values as text
(no HTML, no link, no table break), its YAML header must still parse, and the
published text must hold no bidi control, each removal recorded in provenance.
"""

from __future__ import annotations

import doctest
import importlib
import json
import re
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from curation.cli import main
from curation.publish.card import escape_markdown
from curation.steps import normalize_unicode
from tests.test_bad_input import FIRST, _rewrite_sidecar, _set_text
from tests.test_build import make_project

HOSTILE = {
    "source": "<script>alert(1)</script>",
    "title": "[click me](javascript:alert(1)) ![x](https://evil.example/x.png)",
    "license": "**CC0** | <img src=x onerror=alert(1)> `code` &amp;",
    "url": "https://example.org/a?<script>alert(2)</script>",
}
BIDI = "\N{RIGHT-TO-LEFT OVERRIDE}\N{LEFT-TO-RIGHT ISOLATE}\N{POP DIRECTIONAL ISOLATE}"


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("hostile"))
    seeds = project / "seeds"
    text = (seeds / f"{FIRST}.txt").read_text(encoding="utf-8")
    first_line, rest = text.split("\n", 1)
    _set_text(seeds, (first_line + "\n" + rest.replace(" ", f" {BIDI}", 3)).encode())
    _rewrite_sidecar(seeds, FIRST, **HOSTILE)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        patch.setenv("CURATION_CACHE_DIR", str(project / ".cache"))
        assert main(["build"]) == 0
        assert main(["review", FIRST, "--out", "review"]) == 0
    shutil.rmtree(project / ".cache", ignore_errors=True)
    return project


def _front_matter_and_body(card: str) -> tuple[str, str]:
    assert card.startswith("---\n")
    front, body = card[4:].split("\n---\n", 1)
    return front, body


def _no_live_markup(markdown: str) -> None:
    """None of the hostile values can open a tag, a link, an image or a code span."""
    assert "<script" not in markdown and "<img" not in markdown
    assert not re.search(r"(?<!\\)\]\(", markdown)  # "](" opens a link unless escaped
    assert "![x](" not in markdown
    assert "**CC0**" not in markdown and "`code`" not in markdown


def test_card_shows_sidecar_values_as_text(hostile_build: Path) -> None:
    card = (hostile_build / "dist" / "README.md").read_text(encoding="utf-8")
    front, body = _front_matter_and_body(card)
    header = yaml.safe_load(front)
    assert isinstance(header, dict) and header["configs"][0]["config_name"] == "default"
    _no_live_markup(card)
    assert escape_markdown(HOSTILE["source"]) in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert escape_markdown(HOSTILE["license"]) in body
    assert escape_markdown(HOSTILE["url"]) in body
    # The row of the seed still has its six cells: the "|" in the license did not split it.
    row = next(line for line in body.splitlines() if f"`{FIRST}-0`" in line)
    assert len(re.findall(r"(?<!\\)\|", row)) == 7


def test_review_summary_shows_sidecar_values_as_text(hostile_build: Path) -> None:
    summary = (hostile_build / "review" / "summary.md").read_text(encoding="utf-8")
    table = summary.split("<details>", 1)[0]  # the published text is in a fenced block
    _no_live_markup(table)
    assert escape_markdown(HOSTILE["title"]) in table
    html = (hostile_build / "review" / f"{FIRST}.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_croissant_is_json_without_markup(hostile_build: Path) -> None:
    raw = (hostile_build / "dist" / "croissant.json").read_text(encoding="utf-8")
    document = json.loads(raw)
    assert document["@type"] == "sc:Dataset"
    assert "<script" not in raw and "<img" not in raw and "javascript:" not in raw


def test_bidi_controls_are_removed_and_each_removal_recorded(hostile_build: Path) -> None:
    table = pq.read_table(hostile_build / "dist" / "data").to_pylist()
    published = json.dumps([{**r, "provenance": None} for r in table], ensure_ascii=False)
    assert not any(c in published for c in BIDI)  # provenance keeps what was removed
    (record,) = [r for r in table if r["id"] == f"{FIRST}-0"]
    removed = [
        e
        for e in record["provenance"]
        if e["rule"] == "bidi_control" and e["step"] == f"{normalize_unicode.STEP_ID}/characters"
    ]
    assert len(removed) == 3 * len(BIDI) and normalize_unicode.VERSION == 2
    assert sorted(e["before"] for e in removed) == sorted(BIDI * 3)
    assert {e["after"] for e in removed} == {""}


def test_bidi_controls_in_a_sidecar_never_reach_the_card(tmp_path: Path) -> None:
    """They are refused at the door (check, add-seed and build share the validator)."""
    project = make_project(tmp_path / "project")
    _rewrite_sidecar(project / "seeds", FIRST, source=f"Xinhua{BIDI}")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        assert main(["build"]) == 2
    assert not (project / "dist").exists()


@pytest.mark.parametrize(
    "module",
    [
        "curation.publish.card",
        "curation.review.markdown_summary",
        "curation.steps.normalize_unicode",
    ],
)
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0
