"""bench/run.py: what it needs from ../shared, and how it scores deduplication per language
(the timings themselves are measured by `nox -s bench`, never by a test)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_missing_shared_folder_is_named_with_what_is_missing(
    bench: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "make_corpus.py").write_text("", encoding="utf-8")
    with pytest.raises(bench.Missing) as raised:
        bench.shared_paths(tmp_path)
    message = str(raised.value)
    assert "make_corpus.py" not in message.split("missing:")[1]
    for name in ("run_candidate.py", "map_back.py", "datatrove_baseline.py", "sources.jsonl.gz"):
        assert name in message
    assert "--shared" in message
    monkeypatch.setattr(sys, "argv", ["run.py", "--shared", str(tmp_path / "nowhere")])
    assert bench.main() == 2
    assert "bench: the benchmark needs the shared benchmark" in capsys.readouterr().err


def doc(number: int, lang: str, group: str, role: str = "original") -> dict[str, str]:
    return {"id": f"doc-{number:07d}", "lang": lang, "group": group, "role": role}


def test_dedup_is_scored_per_language(bench: Any) -> None:
    manifest = {
        "docs": [
            # en: a group of three (one exact copy, one near copy) and a unique document
            doc(0, "en", "a"),
            doc(1, "en", "a", "exact_dup"),
            doc(2, "en", "a", "near_dup"),
            doc(3, "en", "b"),
            # zh: a near pair left whole, and a unique document removed by mistake
            doc(4, "zh", "c"),
            doc(5, "zh", "c", "near_dup"),
            doc(6, "zh", "d"),
        ]
    }
    kept = {"doc-0000000", "doc-0000003", "doc-0000004", "doc-0000005"}
    scores = bench.dedup_by_language(manifest, kept)
    assert scores["en"] == {
        "removed": 2,
        "true": 2,
        "ideal": 2,
        "precision": 1.0,
        "recall": 1.0,
        "near_dup_groups_collapsed": "1/1",
    }
    assert scores["zh"]["precision"] == 0.0 and scores["zh"]["recall"] == 0.0
    assert scores["zh"]["near_dup_groups_collapsed"] == "0/1"
    # A document that never reached dedup (datatrove's language filter dropped it) is
    # neither a removal nor a duplicate to remove.
    reached = {d["id"] for d in manifest["docs"]} - {"doc-0000006", "doc-0000005"}
    zh = bench.dedup_by_language(manifest, kept - {"doc-0000005"}, reached)["zh"]
    assert (zh["removed"], zh["ideal"]) == (0, 0)
    assert zh["near_dup_groups_collapsed"] == "0/0"


def test_the_table_has_every_measure_and_the_ratio(bench: Any) -> None:
    languages = {
        lang: {"precision": 1.0, "recall": 0.5, "near_dup_groups_collapsed": "1/2"}
        for lang in ("en", "ro", "ru", "zh")
    }
    row = {
        "MB_per_s": 1.5,
        "docs_per_s": 270.0,
        "peak_rss_MiB": 600.0,
        "dedup_precision": 0.99,
        "dedup_recall": 0.97,
        "per_language": languages,
        "docs_equal_to_ideal": "7/9",
    }
    report = {
        "n_docs": 10_000,
        "corpus_MB": 55.8,
        "machine": "2 cores",
        "load_before": "1.00",
        "load_after": "2.00",
        "runs": [{**row, "run": "datatrove"}, {**row, "run": "curation", "MB_per_s": 3.0}],
        "datatrove_ratio": {"MB_per_s": 2.0, "peak_rss": 1.0},
        "incremental": {
            "rebuilds": [{"seconds": 15.0}, {"seconds": 19.0}, {"seconds": 14.0}],
            "seconds": 15.0,
            "full_build_seconds": 200.0,
            "share_of_full_build": 0.075,
        },
        "adversarial": {
            "worst_cpu_seconds_per_MB": 9.0,
            "worst_vs_normal": 1.5,
            "normal_cpu_seconds_per_MB": 6.0,
            "worst_document": "nested ()",
            "worst_slowest_step": "repair_layout_v2",
        },
    }
    table = bench.markdown(report)
    assert "| curation | 3.000 | 270.0 | 600 MiB | 0.990 / 0.970 |" in table
    assert "1.000/0.500 · 1.000/0.500 · 1.000/0.500 · 1.000/0.500" in table
    assert "1/2 · 1/2 · 1/2 · 1/2 | 7/9 |" in table
    assert "curation / datatrove: 2.00x the MB/s, 1.00x the peak RSS." in table
    assert "Adversarial worst case: 9.00 CPU s/MB, 1.5x" in table
    assert (
        "rebuilt with the record cache (the median of 3 rebuilds: 15.0, 19.0, 14.0 s): "
        "15.0 s, 7.5% of the full build's 200.0 s"
    ) in table
    assert "load average before the runs: 1.00, after: 2.00" in table


def test_the_timed_command_is_the_build_alone(bench: Any, tmp_path: Path) -> None:
    """The timed command, run with a shell as the shared scripts run it (``{out}``
    replaced), with a stand-in for curation that notes its arguments and environment:
    it is the build, with the bench's cache and the seeds, and nothing after it (the
    scorer's map_back.py once ran inside it, and its time and memory were counted as
    the build's)."""
    import subprocess

    out = tmp_path / "work" / "out"
    out.mkdir(parents=True)
    stand_in = tmp_path / "stand in.py"  # a space: the paths are quoted
    stand_in.write_text(
        "import os, pathlib, sys\n"
        "pathlib.Path(sys.argv[-1]).write_text(' '.join(sys.argv[1:]) + '|'"
        " + os.environ['CURATION_CACHE_DIR'], encoding='utf-8')\n",
        encoding="utf-8",
    )
    seeds, cache = tmp_path / "my seeds", tmp_path / "my cache"
    command = bench.timed_build_command(f"{sys.executable} '{stand_in}'", seeds, cache, 2)
    assert "map_back" not in command and "&&" not in command
    subprocess.run(
        command.replace("{out}", str(out)) + f" '{tmp_path / 'noted'}'", shell=True, check=True
    )
    arguments, environment = (tmp_path / "noted").read_text(encoding="utf-8").split("|")
    assert arguments.startswith(f"build -q --seeds {seeds} --dist {out}/../dist --jobs 2")
    assert environment == str(cache)


def test_a_build_is_scored_after_its_timing(bench: Any, tmp_path: Path) -> None:
    """score_build maps dist/ by document with map_back.py and scores it with
    run_candidate.py --score-dir, outside the timed run; the report keeps the timed
    run's seconds, rates and memory and the scoring's figures."""
    import json

    map_back = tmp_path / "map_back.py"
    map_back.write_text(
        "import pathlib, sys\n"
        "out = pathlib.Path(sys.argv[2]); out.parent.mkdir(parents=True)\n"
        "out.write_text(sys.argv[1], encoding='utf-8')\n",
        encoding="utf-8",
    )
    scorer = tmp_path / "run_candidate.py"
    scorer.write_text(
        "import json, pathlib, sys\n"
        "args = dict(zip(sys.argv[1::2], sys.argv[2::2]))\n"
        "work = pathlib.Path(args['--work']); work.mkdir(parents=True)\n"
        "mapped = pathlib.Path(args['--score-dir']) / 'curation.parquet'\n"
        "read = mapped.read_text(encoding='utf-8')\n"
        "report = {'dedup': {'precision': 1.0}, 'read': read, 'seconds': float('nan')}\n"
        "(work / 'report.json').write_text(json.dumps(report), encoding='utf-8')\n",
        encoding="utf-8",
    )
    paths = {"map_back": map_back, "run_candidate": scorer}
    timed_work = tmp_path / "curation-10"
    timed = {"seconds": 12.0, "MB_per_s": 4.0, "docs_per_s": 1.0, "peak_rss_MiB_tree": 9.0}
    report = bench.score_build(paths, sys.executable, tmp_path, timed_work, timed)
    assert report["read"] == str(timed_work / "dist")
    assert report["dedup"] == {"precision": 1.0}
    assert {key: report[key] for key in timed} == timed
    assert json.loads((tmp_path / "curation-10-score" / "report.json").read_text(encoding="utf-8"))[
        "read"
    ]


def test_one_seed_is_edited_as_a_contributor_would_and_the_folder_stays_valid(
    bench: Any, tmp_path: Path
) -> None:
    """The incremental figure rebuilds after edit_one_seed: the folder must still be one
    the build accepts, with exactly one seed changed, always the same one."""
    import hashlib
    import json
    import shutil

    from curation.seeds import validate_seeds

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for number in range(3):
        data = f"Document {number} has a sentence of its own.\n".encode()
        sha = hashlib.sha256(data).hexdigest()
        seed_id = f"{number:07d}_{sha[:16]}"
        (seeds / f"{seed_id}.txt").write_bytes(data)
        sidecar = {"id": seed_id, "sha256": sha, "languages": None, "source": None,
                   "date": None, "url": None, "title": None, "license": None,
                   "provenance": "a test document", "contributor": None,
                   "date_added": "2026-12-01"}  # fmt: skip
        (seeds / f"{seed_id}.json").write_text(json.dumps(sidecar), encoding="utf-8")
    (seeds / ".last-id").write_text("0000002\n", encoding="utf-8")
    copy = tmp_path / "copy"
    shutil.copytree(seeds, copy)
    before = {p.name: p.read_bytes() for p in seeds.iterdir()}

    old, new = bench.edit_one_seed(seeds)

    assert old.startswith("0000001_") and new.startswith("0000001_") and old != new
    after = {p.name: p.read_bytes() for p in seeds.iterdir()}
    assert set(before) - set(after) == {f"{old}.txt", f"{old}.json"}
    assert set(after) - set(before) == {f"{new}.txt", f"{new}.json"}
    assert after[f"{new}.txt"].startswith(before[f"{old}.txt"].rstrip(b"\n"))
    assert [s.id for s in validate_seeds(seeds)] == sorted(p.stem for p in seeds.glob("*.txt"))
    assert bench.edit_one_seed(copy) == (old, new)  # the same seed, the same bytes


def test_the_seeds_folder_is_settled_before_the_timed_build(
    bench: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder copied a moment ago is waited for until the record cache trusts its files'
    stats (curation.cache.RACY_NANOSECONDS); one copied long ago is not waited for."""
    import time

    from curation.cache import RACY_NANOSECONDS

    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    bench.settle(time.time())
    bench.settle(time.time() - 3600)
    assert len(slept) == 1
    assert RACY_NANOSECONDS / 1e9 < slept[0] <= RACY_NANOSECONDS / 1e9 + 0.5


def test_the_package_bytecode_is_written_before_the_timed_builds(
    bench: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where PYTHONDONTWRITEBYTECODE is set, nothing else writes it for the editable
    # package; the timed builds would compile every module (pip wrote datatrove's).
    import curation

    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    source = Path(curation.__file__).parent / "cli.py"
    cached = Path(importlib.util.cache_from_source(str(source)))
    cached.unlink(missing_ok=True)
    bench.compile_bytecode()
    assert cached.is_file()
