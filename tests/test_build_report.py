"""dist/report.html: the build report. Its charts, its numbers against the build's own
counts, its place among the published files, and the page in headless Chromium."""

from __future__ import annotations

import html as html_module
import json
import re
import subprocess
from pathlib import Path

import pytest

from curation.build import BuildOptions, build_into
from curation.pipeline import StepReport
from curation.publish.checksums import read_sums
from curation.publish.report import REPORT_NAME, render_report
from curation.publish.summary import BuildSummary, ConfigSummary, DatasetMeta
from curation.publish.svg_chart import bar_chart, column_chart, power_of_two_label
from curation.record import Record, Warning_
from tests.review.test_review_in_browser import chromium, run_chromium

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildSummary]:
    target = tmp_path_factory.mktemp("report") / "dist"
    target.mkdir()
    options = BuildOptions(
        seeds_dir=REPO / "seeds",
        pyproject=REPO / "pyproject.toml",
        description=REPO / "dataset.toml",
        changelog=REPO / "CHANGELOG.md",
    )
    return target, build_into(target, options)


def bar_widths(svg: str) -> list[int]:
    return [int(w) for w in re.findall(r'<rect class="bar[^"]*" [^>]*width="(\d+)"', svg)]


def test_bars_are_proportional_and_labels_escaped() -> None:
    svg = bar_chart("t", [("<seed_id>", 200), ("b", 100), ("c", 0), ("d", -50)], " chars")
    assert bar_widths(svg) == [400, 200, 0, 100]
    assert "&lt;seed_id&gt;" in svg and "<seed_id>" not in svg
    assert svg.count('class="bar negative"') == 1 and "-50 chars" in svg
    assert bar_chart("t", []).count("<rect") == 0 and ">none<" in bar_chart("t", [])


def test_a_tiny_value_stays_visible_and_columns_scale() -> None:
    assert bar_widths(bar_chart("t", [("a", 1_000_000), ("b", 1)])) == [400, 1]
    svg = column_chart("h", [("1", 4), ("2", 0), ("4", 2)])
    heights = [int(h) for h in re.findall(r'<rect class="bar" [^>]*height="(\d+)"', svg)]
    assert heights == [160, 0, 80]
    assert [power_of_two_label(k) for k in (0, 1, 2, 10, 11, 21)] == [
        "0",
        "1",
        "2",
        "512",
        "1k",
        "1M",
    ]


def test_the_report_is_published_and_counted(built: tuple[Path, BuildSummary]) -> None:
    dist, _ = built
    assert REPORT_NAME in read_sums(dist / "SHA256SUMS")
    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    assert REPORT_NAME in json.dumps(manifest)
    page = (dist / REPORT_NAME).read_text(encoding="utf-8")
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page and "<script" not in page and "<img" not in page
    card = (dist / "README.md").read_text(encoding="utf-8")
    assert "`report.html` (open it in a browser)" in card


def test_per_rule_characters_add_up_to_their_step(built: tuple[Path, BuildSummary]) -> None:
    """For a step that neither splits nor drops, its rules' removals are the step's removal."""
    _, summary = built
    checked = 0
    for report in summary.reports:
        if report.records_in == report.records_out and report.rules:
            assert sum(report.rule_chars_removed.values()) == report.chars_removed, report.step
            checked += 1
    assert checked >= 4


def test_the_report_shows_every_step_rule_and_config(built: tuple[Path, BuildSummary]) -> None:
    dist, summary = built
    page = (dist / REPORT_NAME).read_text(encoding="utf-8")
    for report in summary.reports:
        assert f"<td>{report.step}</td>" in page
        assert f'<td class="n">{report.chars_removed:,}</td>' in page
        for rule in report.rules:
            if not rule.startswith("warning:"):
                assert f"<td>{rule}</td>" in page
    for config in summary.configs:
        assert f"Text length, config {config.language}" in page
    assert f"Version {summary.dataset.version}: {summary.num_examples:,} records" in page
    total = sum(summary.length_bins.values())
    assert total == summary.num_examples


def synthetic_summary(order: int) -> BuildSummary:
    """Duplicates, warnings and two configs, inserted in an order given by ``order``."""
    step = StepReport("identify_language_v2", "guess")
    step.records_in, step.records_out = 7, 7
    step.rules.update({"warning:language_mismatch": 2, "unwrap": 3})
    step.rule_chars_removed.update({"unwrap": -3})
    summary = BuildSummary(
        dataset=DatasetMeta("x", "X <corpus>", "3.1.0", "", ()),
        reports=[step],
        steps=[],
        rules={},
        libraries={},
    )
    records = [
        Record(
            f"{n:03d}_{n:016x}",
            0,
            "w" * (10**n),
            language=("de", "ja")[n % 2],
            warnings=(Warning_("identify_language_v2", "language_mismatch", "<b>declared</b>"),),
        )
        for n in range(5)
    ]
    for record in records[::order]:
        summary.add_records([record])
    duplicates = [("d1", "k1"), ("d2", "k1"), ("d3", "k2")]
    summary.duplicates.extend(duplicates[::order])
    summary.configs.extend(
        [ConfigSummary("de", 3, 1, [], 1), ConfigSummary("ja", 2, 1, [], 1)][::order]
    )
    return summary


def test_duplicates_warnings_and_lengths_of_another_corpus() -> None:
    page = render_report(synthetic_summary(1))
    assert "X &lt;corpus&gt;" in page and "&lt;b&gt;declared&lt;/b&gt;" in page
    assert "3 records dropped as the same text as an earlier record, in 2 clusters" in page
    assert '<td>k1</td><td class="n">3</td><td>d1, d2</td>' in page
    assert "identify_language_v2 / language_mismatch" in page and "all 5" in page
    assert "Text length, config de" in page and "Text length, config ja" in page
    # 10**4 characters is in the bin that starts at 8k; 1 character in the bin "1".
    assert ">8k<" in page and ">1<" in page
    # Every length chart has the same axis (bins 1, 2, 4, ... 8k: 14): configs compare at a glance.
    charts = [svg for svg in page.split("<svg")[1:] if "<title>Text length" in svg]
    assert len(charts) == 3
    assert [svg.count('<rect class="bar"') for svg in charts] == [14, 14, 14]


def test_the_same_counts_in_another_order_give_the_same_bytes() -> None:
    assert render_report(synthetic_summary(1)) == render_report(synthetic_summary(-1))


MEASURE = """
<script>
const charts = [...document.querySelectorAll("svg.chart")];
const report = {
  charts: charts.length,
  chartsDrawn: charts.filter((svg) => {
    const box = svg.getBoundingClientRect();  // laid out at the size it declares
    return box.width > 0 && Math.abs(box.width - svg.width.baseVal.value) < 1 &&
      Math.abs(box.height - svg.height.baseVal.value) < 1;
  }).length,
  barsDrawn: [...document.querySelectorAll("svg.chart rect.bar")]
    .filter((bar) => bar.getBBox().width > 0 && bar.getBBox().height > 0).length,
  barsDrawnAndFilled: [...document.querySelectorAll("svg.chart rect.bar")]
    .filter((bar) => bar.getBBox().width > 0 && bar.getBBox().height > 0)
    .filter((bar) => !["none", "rgb(0, 0, 0)"].includes(getComputedStyle(bar).fill)).length,
  labelsCutOff: [...document.querySelectorAll("svg.chart text")].filter((t) => {
    const text = t.getBBox();
    const svg = t.ownerSVGElement.viewBox.baseVal;
    return text.x < -1 || text.x + text.width > svg.width + 1;
  }).length,
  resources: performance.getEntriesByType("resource").length,
  headings: [...document.querySelectorAll("h2")].map((h) => h.textContent),
};
const out = document.createElement("pre");
out.id = "report-measure";
out.textContent = JSON.stringify(report);
document.body.appendChild(out);
</script>
"""


def measure_in_chromium(page: Path, tmp_path: Path) -> tuple[dict[str, object], str]:
    """The page's measurements, and what Chromium logged from its console."""
    measured = tmp_path / page.name
    measured.write_text(
        page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8"
    )
    out = run_chromium(
        tmp_path / "profile",
        "--window-size=1280,2000",
        "--enable-logging=stderr",
        "--v=0",
        "--dump-dom",
        measured.as_uri(),
    )
    found = re.search(r'<pre id="report-measure">(.*?)</pre>', out, re.S)
    assert found, out[-2000:]
    return json.loads(html_module.unescape(found.group(1))), out


@pytest.mark.browser
def test_the_report_renders_its_charts_without_console_errors(
    built: tuple[Path, BuildSummary], tmp_path: Path
) -> None:
    dist, summary = built
    page = dist / REPORT_NAME
    measured, _ = measure_in_chromium(page, tmp_path)
    svg_count = page.read_text(encoding="utf-8").count('<svg class="chart"')
    # steps, rules, languages, all lengths, one per config, duplicates, warnings
    assert svg_count == 6 + len(summary.configs)
    assert measured["charts"] == measured["chartsDrawn"] == svg_count
    assert measured["barsDrawn"] == measured["barsDrawnAndFilled"]
    assert isinstance(measured["barsDrawn"], int) and measured["barsDrawn"] > 20
    assert measured["labelsCutOff"] == 0
    assert measured["resources"] == 0  # nothing fetched: the page works offline
    assert measured["headings"] == [
        "Steps",
        "Rules",
        "Languages",
        "Text lengths",
        "Exact duplicates",
        "Warnings",
    ]
    console = run_console(page, tmp_path)
    assert console == [], console


@pytest.mark.browser
def test_the_console_check_sees_an_error(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text("<p>x</p><script>console.error('seen'); undefinedName();</script>", "utf-8")
    console = run_console(page, tmp_path)
    assert len(console) == 2 and "seen" in console[0] and "undefinedName" in console[1]


def run_console(page: Path, tmp_path: Path) -> list[str]:
    """Console messages of the page as published (no measuring script), from Chromium's log."""
    result = subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            f"--user-data-dir={tmp_path / 'console-profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
