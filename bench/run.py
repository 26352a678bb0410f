"""Benchmark: build a generated corpus and report throughput and peak memory.

    nox -s bench                      # 2,000 documents
    nox -s bench -- --docs 20000      # more
    nox -s bench -- --adversarial-mb 0   # without the adversarial corpus

Documents are made from the real multilingual paragraphs in
``../shared/benchdata/sources.jsonl.gz`` (see its PROVENANCE.md), with the defects
the pipeline repairs put back in (hard wraps with end-of-line hyphens, a repeated
sentence, boilerplate lines), deterministically from ``--seed``. Speed and memory are
measured here, never by timed tests.

Then the adversarial corpus (:func:`adversarial_documents`): text shaped to make a
backtracking regex or a nested loop blow up -- long runs of every character the
rules files mention (alone, after a letter, before a space), a line of a MiB
without a space, brackets and quotes nested deep. Each document goes through the
pipeline steps in this process, and the worst one is reported in seconds per MB
beside normal text (the goal: within 3x).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import curation.build
from curation.build import BuildOptions, build_into
from curation.contribute.check import check_seeds
from curation.record import Record
from curation.rules import RuleSet, load_rules
from curation.steps import PIPELINE
from curation.steps.base import Drop, Step

REPO = Path(__file__).resolve().parent.parent
DEFAULT_BENCHDATA = REPO.parent / "shared" / "benchdata" / "sources.jsonl.gz"


def load_sources(path: Path) -> dict[str, list[str]]:
    paragraphs: dict[str, list[str]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            source = json.loads(line)
            paragraphs.setdefault(source["lang"], []).extend(source["paragraphs"])
    return paragraphs


def hard_wrap(paragraph: str, width: int) -> str:
    """Wrap at ``width`` columns, breaking long words with a hyphen, as a PDF does."""
    lines, line = [], ""
    for word in paragraph.split(" "):
        if len(line) + 1 + len(word) <= width:
            line = f"{line} {word}" if line else word
            continue
        room = width - len(line) - 2
        if room > 3 and len(word) > 8:
            lines.append(f"{line} {word[:room]}-")
            line = word[room:]
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return "\n".join(lines)


def make_document(rng: random.Random, language: str, paragraphs: list[str]) -> str:
    chosen = rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(2, 8)))
    if rng.random() < 0.3:  # a restated sentence
        chosen.append(chosen[0])
    if rng.random() < 0.3 and language != "zh":
        body = "\n\n".join(hard_wrap(p, 78) for p in chosen)
    else:
        body = "\n\n".join(chosen)
    if rng.random() < 0.3:
        body += "\n\nRelated Stories"
    return body + "\n"


def make_corpus(seeds: Path, count: int, sources: dict[str, list[str]], seed: int) -> int:
    rng = random.Random(seed)
    languages = sorted(sources)
    seeds.mkdir(parents=True)
    total = 0
    for number in range(count):
        language = languages[number % len(languages)]
        data = make_document(rng, language, sources[language]).encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        seed_id = f"{number:07d}_{digest[:16]}"
        (seeds / f"{seed_id}.txt").write_bytes(data)
        sidecar = {
            "id": seed_id,
            "sha256": digest,
            "languages": [language],
            "source": None,
            "date": None,
            "url": None,
            "title": None,
            "license": None,
            "provenance": "benchmark document made by bench/run.py",
            "contributor": None,
            "date_added": "2026-01-01",
        }
        (seeds / f"{seed_id}.json").write_text(json.dumps(sidecar), encoding="utf-8")
        total += len(data)
    return total


def timed_pipeline(seconds: dict[str, float]) -> tuple[Step, ...]:
    """The pipeline with each step wrapped to add its run time to ``seconds`` (bench only)."""

    def wrap(step: Step) -> Step:
        def run(record, rules):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return step.run(record, rules)
            finally:
                seconds[step.id] = seconds.get(step.id, 0.0) + time.perf_counter() - start

        return Step(step.name, step.version, step.description, run, step.rules_files)

    return tuple(wrap(step) for step in curation.build.PIPELINE)


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


def adversarial_report(sources: dict[str, list[str]], args: argparse.Namespace) -> None:
    """Seconds per MB of the pipeline on normal text, and on the adversarial corpus."""
    rules = load_rules()
    rng = random.Random(args.seed)
    languages = sorted(sources)
    normal_bytes, normal_seconds = 0, 0.0
    pipeline_seconds("warm up. Every step loads its rules and models once.", ["en"], rules)
    for number in range(min(args.docs, 500)):
        language = languages[number % len(languages)]
        text = make_document(rng, language, sources[language])
        normal_bytes += len(text.encode("utf-8"))
        normal_seconds += sum(pipeline_seconds(text, [language], rules).values())
    normal = normal_seconds / (normal_bytes / 1e6)
    print(f"pipeline on normal text: {normal:.2f} CPU s/MB ({normal_bytes / 1e6:.1f} MB)")
    size = int(args.adversarial_mb * (1 << 20))
    results = []
    for label, text in adversarial_documents(rules, size, args.seed):
        megabytes = len(text.encode("utf-8")) / 1e6
        seconds = pipeline_seconds(text, ["en"], rules)
        slowest = max(seconds, key=lambda step: seconds[step])
        results.append((sum(seconds.values()) / megabytes, label, slowest, megabytes))
        if args.verbose:
            print(f"  {results[-1][0]:8.2f} s/MB  {slowest:<24} {label[:80]}", flush=True)
    results.sort(reverse=True)
    total = sum(r[3] for r in results)
    print(f"pipeline on the adversarial corpus: {len(results)} documents, {total:.1f} MB")
    worst, label, slowest, _ = results[0]
    print(
        f"adversarial worst case: {worst:.2f} CPU s/MB ({worst / normal:.1f}x normal text; "
        f"goal 3x): {label[:100]}; slowest step {slowest}"
    )
    for per_mb, label, slowest, _ in results[:8]:
        print(f"  {per_mb:8.2f} s/MB  {slowest:<24} {label[:80]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    # Per-step times are measured in this process only: with --jobs > 1 they read 0.
    parser.add_argument("--jobs", type=int, default=1, help="processes for the cleaning steps")
    parser.add_argument("--benchdata", type=Path, default=DEFAULT_BENCHDATA)
    parser.add_argument("--verbose", action="store_true", help="print each adversarial document")
    parser.add_argument(
        "--adversarial-mb",
        type=float,
        default=1.0,
        help="size of each adversarial document in MiB (0: skip the adversarial corpus)",
    )
    args = parser.parse_args()
    if not args.benchdata.is_file():
        print(f"bench: {args.benchdata}: not found (pass --benchdata)", file=sys.stderr)
        return 2
    sources = load_sources(args.benchdata)
    with tempfile.TemporaryDirectory(prefix="curation-bench-") as scratch:
        root = Path(scratch)
        size = make_corpus(root / "seeds", args.docs, sources, args.seed)
        (root / "seeds" / ".last-id").write_text(f"{args.docs - 1:07d}\n", encoding="utf-8")
        # `curation check` (the pre-commit hook): cold, then with its per-seed cache warm.
        os.environ["CURATION_CACHE_DIR"] = str(root / "cache")
        check_seconds = []
        for use_cache in (False, True, True):
            start = time.perf_counter()
            check_seeds(root / "seeds", use_cache=use_cache)
            check_seconds.append(time.perf_counter() - start)
        (root / "dist").mkdir()
        seconds: dict[str, float] = {}
        curation.build.PIPELINE = timed_pipeline(seconds)
        start = time.perf_counter()
        summary = build_into(
            root / "dist",
            BuildOptions(
                seeds_dir=root / "seeds",
                dist_dir=root / "dist",
                pyproject=REPO / "pyproject.toml",
                jobs=args.jobs,
            ),
        )
        elapsed = time.perf_counter() - start
    print(
        f"check: {check_seconds[0]:.1f} s without cache, {check_seconds[1]:.1f} s filling it, "
        f"{check_seconds[2]:.1f} s warm"
    )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents: {args.docs} ({size / 1e6:.1f} MB raw), records out: {summary.num_examples}")
    print(
        f"build: {elapsed:.1f} s, {args.docs / elapsed:.0f} docs/s, {size / 1e6 / elapsed:.2f} MB/s"
    )
    print(f"peak RSS: {peak_mib:.0f} MiB")
    for report in summary.reports:
        print(
            f"  {report.step:<26} in {report.records_in:>7} out {report.records_out:>7} "
            f"removed {report.chars_removed:>9} chars  {seconds.get(report.step, 0.0):6.2f} s"
        )
    if args.adversarial_mb > 0:
        adversarial_report(sources, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
