"""Progress: lines on stderr when it is not a terminal, a bar when it is, nothing with -q,
and never a byte of difference in what a command writes."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from curation import progress as progress_module
from curation.build import BuildOptions, build_into
from curation.cli import main
from curation.progress import BarProgress, InputMeter, LineProgress, Progress, progress_for
from curation.record import Record
from curation.steps import PIPELINE
from tests.test_build import build_in, make_project, tree_digests

# "curation build: clean, ...: 3/5 documents (60%), 0.0 MB, 0.01 MB/s, 0.6 docs/s, ETA 3 s"
PROGRESS_LINE = re.compile(
    r"^curation (build|check|verify|add-seed): [a-z][^:]*: \d+(/\d+)? documents"
    r"( \(\d+%\))?, \d+\.\d MB, \d+\.\d\d MB/s, \d+\.\d docs/s(, ETA [0-9hmins ]+)?$"
)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_lines_come_no_more_often_than_the_interval() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = LineProgress("build", stream, interval=5.0, clock=clock)
    progress.phase("clean", total=100)
    for _ in range(30):  # 30 documents, one a second: a line at 5, 10, ... 30 s
        clock.now += 1.0
        progress.advance(1, 1_000_000)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "curation build: clean"
    assert len(lines) == 1 + 6
    assert all(PROGRESS_LINE.match(line) for line in lines[1:]), lines
    assert lines[-1] == (
        "curation build: clean: 30/100 documents (30%), 30.0 MB, 1.00 MB/s, 1.0 docs/s, "
        "ETA 1 min 10 s"
    )


def test_a_phase_without_a_total_has_no_eta() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = LineProgress("build", stream, interval=0.0, clock=clock)
    progress.phase("read shards")
    clock.now = 2.0
    progress.advance(4, 2_000_000)
    assert stream.getvalue().splitlines()[-1] == (
        "curation build: read shards: 4 documents, 2.0 MB, 1.00 MB/s, 2.0 docs/s"
    )


def test_the_display_follows_the_stream_and_quiet() -> None:
    assert isinstance(progress_for("build", Terminal(), quiet=False), BarProgress)
    assert isinstance(progress_for("build", io.StringIO(), quiet=False), LineProgress)
    quiet = progress_for("build", Terminal(), quiet=True)
    assert type(quiet) is Progress


def test_the_bar_shows_documents_megabytes_and_the_step() -> None:
    terminal = Terminal()
    bar = BarProgress("check", terminal, refresh_seconds=0.0)
    bar.phase("check seeds", total=10)
    bar.advance(4, 3_000_000)
    bar.close()
    shown = terminal.getvalue()
    assert "check: check seeds" in shown
    assert "4/10" in shown and " docs" in shown
    assert "3.0 MB" in shown and "MB/s" in shown


def test_the_meter_counts_bytes_of_documents_done_not_read() -> None:
    class Recorder(Progress):
        def __init__(self) -> None:
            self.advanced: list[tuple[int, int]] = []

        def advance(self, documents: int, nbytes: int) -> None:
            self.advanced.append((documents, nbytes))

    recorder = Recorder()
    meter = InputMeter(recorder)
    batches = [[Record(f"{i:03d}_{i:016x}", 0, "ab數") for i in range(n)] for n in (2, 3, 1)]
    reading = meter.metered(batches)
    next(reading), next(reading)  # read ahead, as a pool of jobs does
    assert recorder.advanced == []
    meter.done(2)
    meter.done(4)  # the second batch is not through as a whole
    assert recorder.advanced == [(2, 2 * 5)]
    next(reading)
    meter.done(6)
    assert recorder.advanced == [(2, 10), (4, 4 * 5)]


def test_build_prints_progress_lines_to_stderr_and_seconds_per_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(progress_module, "LINE_INTERVAL_SECONDS", 0.0)
    project = make_project(tmp_path / "project")
    assert build_in(project) == 0
    out, err = capsys.readouterr()
    said = [line for line in err.splitlines() if line.startswith("curation build: ")]
    assert said[0] == "curation build: validate input"
    assert "curation build: clean, deduplicate, write Parquet: 5/5 documents (100%)" in "\n".join(
        said
    )
    assert [line for line in said if ": " in line[len("curation build: ") :]]
    assert all(PROGRESS_LINE.match(line) for line in said if "documents" in line), said
    assert "curation build" not in out  # stdout is the result, not the progress
    header, *rows = out.split("wrote")[0].strip().splitlines()
    rows = [row for row in rows if not row.startswith("cache: ")]  # the record cache's line
    assert header.split()[:6] == ["step", "in", "out", "chars", "removed", "seconds"]
    # One row per record step and per corpus pass (strip_recurring_lines, the two dedups).
    assert len(rows) == len(PIPELINE) + 3
    for row in rows:
        assert re.match(r"^\S+ +\d+ +\d+ +-?\d+ +\d+\.\d\d  ", row), row


def test_quiet_says_nothing_on_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(progress_module, "LINE_INTERVAL_SECONDS", 0.0)
    project = make_project(tmp_path / "project")
    monkeypatch.chdir(project)
    assert main(["check", "-q", "--no-cache"]) == 0
    assert main(["build", "-q"]) == 0
    err = capsys.readouterr().err
    assert "curation" not in err and "documents" not in err


def test_check_prints_progress_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(progress_module, "LINE_INTERVAL_SECONDS", 0.0)
    project = make_project(tmp_path / "project")
    monkeypatch.chdir(project)
    assert main(["check", "--no-cache"]) == 0
    said = [line for line in capsys.readouterr().err.splitlines() if line.startswith("curation")]
    assert "curation check: check seeds" in said
    assert "curation check: check seeds: 5/5 documents (100%)" in "\n".join(said)


def test_progress_changes_no_byte_of_the_dataset(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")

    def built(name: str, progress: Progress | None) -> dict[str, str]:
        target = tmp_path / name
        target.mkdir()
        options = BuildOptions(
            seeds_dir=project / "seeds",
            dist_dir=target,
            pyproject=project / "pyproject.toml",
            description=project / "dataset.toml",
            changelog=project / "CHANGELOG.md",
            batch_size=2,
        )
        build_into(target, options, progress=progress)
        return tree_digests(target)

    silent = built("silent", None)
    lines = io.StringIO()
    assert built("lines", LineProgress("build", lines, interval=0.0)) == silent
    assert built("bar", BarProgress("build", Terminal())) == silent
    said = lines.getvalue()
    for done in ("2/5", "4/5", "5/5"):  # batches of 2: progress after each
        assert f"{done} documents" in said
