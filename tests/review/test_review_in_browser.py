"""The review page in a real browser (Debian's chromium, headless): it renders, nothing is cut off,
the highlights are there. The page has no script; a copy of it gets one that measures the layout
and writes the numbers into the DOM, which ``--dump-dom`` prints.
"""

from __future__ import annotations

import html as html_module
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from curation.cli import main
from tests.review.page_text import ReviewPage

pytestmark = pytest.mark.browser

SEEDS = ["000_1d9f1a65aeae1940", "002_ddf420c53e7c56f6"]  # hyphenation; CJK and a split

MEASURE = """
<script>
const root = document.documentElement;
const marks = [...document.querySelectorAll("pre.raw mark.edit")];
const clipped = [...document.querySelectorAll("body *")].filter((element) => {
  const style = getComputedStyle(element);
  const clips = ["hidden", "clip", "auto", "scroll"];
  return element.clientWidth > 0 && (
    (clips.includes(style.overflowX) && element.scrollWidth > element.clientWidth + 1) ||
    (clips.includes(style.overflowY) && element.scrollHeight > element.clientHeight + 1));
});
const report = {
  viewport: window.innerWidth,
  pageWidth: root.scrollWidth,
  clipped: clipped.map((e) => e.tagName + "." + e.className),
  panesWiderThanTheirBox: [...document.querySelectorAll("pre.text")]
    .filter((p) => p.scrollWidth > p.clientWidth + 1).length,
  marks: marks.length,
  marksNotRendered: marks.filter((m) => m.textContent && !m.getClientRects().length).length,
  marksOutsideThePage: marks.filter((m) => {
    const box = m.getBoundingClientRect();
    return box.left < -1 || box.right > root.clientWidth + 1;
  }).length,
  marksWithoutColour: marks.filter(
    (m) => getComputedStyle(m).backgroundColor === "rgba(0, 0, 0, 0)").length,
  labelled: marks.filter((m) => m.classList.contains("labelled")).length,
  labelsShown: marks.filter((m) => m.classList.contains("labelled")).filter((m) => {
    const label = getComputedStyle(m, "::before").content;
    return label && label !== "none" && label.length > 2;
  }).length,
  rawText: [...document.querySelectorAll("pre.raw")].map((p) => p.textContent),
};
const out = document.createElement("pre");
out.id = "layout-report";
out.textContent = JSON.stringify(report);
document.body.appendChild(out);
</script>
"""


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail("chromium is not installed: .ci/run installs it (apt-get install chromium)")
    pytest.skip("chromium is not installed (apt-get install chromium); CI runs this test")


def run_chromium(profile: Path, *arguments: str) -> str:
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",  # tests run as root in containers
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *arguments,
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from tests.test_build import make_project

    project = make_project(tmp_path_factory.mktemp("browser") / "project")
    out = project / "review"
    cwd = Path.cwd()
    os.chdir(project)
    try:
        assert main(["review", *SEEDS, "--out", str(out)]) == 0
    finally:
        os.chdir(cwd)
    return {seed: out / f"{seed}.html" for seed in SEEDS}


@pytest.mark.parametrize("width", [1280, 500])  # a desktop window; headless Chromium's narrowest
@pytest.mark.parametrize("seed_id", SEEDS)
def test_renders_with_nothing_cut_off_and_every_highlight(
    seed_id: str, width: int, pages: dict[str, Path], tmp_path: Path
) -> None:
    page = pages[seed_id]
    html = page.read_text(encoding="utf-8")
    measured = tmp_path / "measured.html"
    measured.write_text(html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = run_chromium(
        tmp_path / "profile", f"--window-size={width},2000", "--dump-dom", measured.as_uri()
    )
    found = re.search(r'<pre id="layout-report">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    report = json.loads(html_module.unescape(found.group(1)))
    expected = ReviewPage(html)
    assert report["viewport"] == width
    assert report["pageWidth"] <= width, "the page scrolls sideways: something is too wide"
    assert report["clipped"] == []
    assert report["panesWiderThanTheirBox"] == 0
    assert report["marks"] == len(expected.marks) > 0
    assert report["marksNotRendered"] == 0
    assert report["marksOutsideThePage"] == 0
    assert report["marksWithoutColour"] == 0
    assert report["labelsShown"] == report["labelled"] > 0
    assert report["rawText"] == expected.panes["raw"]  # every character is in the page


def test_screenshot(pages: dict[str, Path], tmp_path: Path) -> None:
    """A picture is taken (look at it when changing the page: review/*.png in a CI artifact)."""
    shot = tmp_path / "page.png"
    run_chromium(
        tmp_path / "profile",
        f"--screenshot={shot}",
        "--window-size=1280,2000",
        "--hide-scrollbars",
        pages[SEEDS[0]].as_uri(),
    )
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2000)
    assert len(data) > 50_000  # text and colour, not a blank page
    keep = os.environ.get("CURATION_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, Path(keep) / f"{SEEDS[0]}.png")
