"""The record cache (curation/cache.py) saves cleaning and never changes a byte of the output.

Step calls are counted, never timed: a seed whose entry is used is not cleaned at all.
"""

from __future__ import annotations

import dataclasses
import datetime
import doctest
import gc
import hashlib
import json
import logging
import marshal
import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import curation.build
from curation import cache as cache_module
from curation import pipeline as pipeline_module
from curation import seeds as seeds_module
from curation.build import BuildOptions, build_into
from curation.cache import RecordCache, decode_entry, encode_entry, record_key
from curation.cli import main
from curation.contribute import cleaned_text, near_duplicates
from curation.contribute.add_seed import SeedMetadata, add_seed
from curation.corpus.dedup_exact import text_digest
from curation.corpus.dedup_near import NearDupRules, signature
from curation.errors import InvalidInput, Problem
from curation.packs import decode_index, encode_pack, pack_name
from curation.pipeline import EarlyCleaning, Pipeline, run_steps
from curation.publish.parquet import canonical_json, read_rows
from curation.record import Change, Record, StoredRecord
from curation.rules import RuleSet, RulesFile, load_rules
from curation.schema import record_row
from curation.seeds import Seed, load_seed, seed_record, sidecar_validator
from curation.steps import PIPELINE, identify_language
from curation.steps.base import Drop, Step, StepOutput, text_step
from tests.contribute.synthetic_text import GERMAN_NEWS, UKRAINIAN_NEWS
from tests.test_build import REPO, SEEDS, make_project, tree_digests
from tests.test_pipeline_parallel import NoPool

RULES = load_rules()

# Three seeds: an English one, the one that splits in two, a Chinese one.
SOME_SEEDS = [
    path
    for seed_id in ("001_5039b5492d75b5b7", "002_ddf420c53e7c56f6", "004_b57d5ccfbe06e458")
    for path in sorted(SEEDS.glob(f"{seed_id}.*"))
]


def counted(steps: tuple[Step, ...], calls: list[str]) -> tuple[Step, ...]:
    """The same steps (same ids), noting every call in ``calls``."""

    def wrap(step: Step) -> Step:
        def run(record: Record, rules: RuleSet) -> StepOutput:
            calls.append(step.id)
            return step.run(record, rules)

        return dataclasses.replace(step, run=run)

    return tuple(wrap(step) for step in steps)


def seed_records(seeds_dir: Path = SEEDS) -> list[Record]:
    validator = sidecar_validator()
    records = []
    for text_path in sorted(seeds_dir.glob("*.txt")):
        seed = Seed(text_path.stem, text_path, text_path.with_suffix(".json"))
        text, sidecar, _digest, problems = load_seed(seed, validator)
        assert not problems and text is not None and sidecar is not None
        records.append(seed_record(seed, text, sidecar))
    return records


def change_seed(seeds_dir: Path, seed_id: str) -> None:
    """Append a sentence to a seed and put its new sha256 in the sidecar."""
    text = seeds_dir / f"{seed_id}.txt"
    data = text.read_bytes() + b"\nOne more sentence, to change the seed.\n"
    text.write_bytes(data)
    sidecar_path = text.with_suffix(".json")
    sidecar = json.loads(sidecar_path.read_text(encoding="utf-8"))
    sidecar["sha256"] = hashlib.sha256(data).hexdigest()
    sidecar_path.write_text(json.dumps(sidecar, indent=2) + "\n", encoding="utf-8")


def test_doctests() -> None:
    result = doctest.testmod(cache_module)
    assert result.attempted and not result.failed


# ---------------------------------------------------------------------------
# Entries


def test_an_entry_gives_back_exactly_what_the_steps_made_of_every_seed() -> None:
    for record in seed_records():
        records, reports = run_steps(PIPELINE, [record], RULES)
        key = record_key(record)
        back_records, back_reports = decode_entry(
            key, encode_entry(key, (records, reports)), PIPELINE
        )
        assert back_records == records
        # Fields left out of ==: the sidecar, and the order of the counters (first seen first).
        assert [r.declared for r in back_records] == [r.declared for r in records]
        assert [type(r.declared) for r in back_records] == [dict] * len(records)
        assert back_reports == reports
        for back, report in zip(back_reports, reports, strict=True):
            for counter in ("rules", "drops", "rule_chars_removed"):
                assert list(getattr(back, counter).items()) == list(
                    getattr(report, counter).items()
                )


def test_an_entry_keeps_any_string_and_number() -> None:
    record = Record(
        "001_0123456789abcdef",
        0,
        "lone \ud800 surrogate, 中文, \N{RIGHT-TO-LEFT OVERRIDE}, \x00",
        declared={"b": [1, 2.5, None], "a": "é"},
        language_score=0.1 + 0.2,
    )
    key = record_key(record)
    ((back,), _) = decode_entry(key, encode_entry(key, ([record], [])), ())
    assert back == record and back.text == record.text
    assert back.language_score == 0.1 + 0.2
    assert list(back.declared) == ["b", "a"]
    # The writer encodes rows strictly: a row with a lone surrogate is not stored as one
    # (the record comes back whole, and the build fails where it would without the cache).
    ((raw,), *_) = cache_module._decode_raw(key, encode_entry(key, ([record], [])), ())
    assert type(raw) is Record and raw == record


def test_a_stored_row_is_the_row_the_writer_writes_and_gives_back_the_record() -> None:
    for record in seed_records():
        records, reports = run_steps(PIPELINE, [record], RULES)
        key = record_key(record)
        stored, *_ = cache_module._decode_raw(key, encode_entry(key, (records, reports)), PIPELINE)
        assert [type(s) for s in stored] == [StoredRecord] * len(records)
        for one, whole in zip(stored, records, strict=True):
            assert isinstance(one, StoredRecord)
            assert one.row == canonical_json(record_row(whole)).encode("utf-8")
            assert one.record() == whole and one.record().declared == whole.declared
            read = ("id", "seed_id", "text", "declared", "title", "language", "license")
            read += ("language_decided_by", "source", "date", "warnings")
            assert [getattr(one, name) for name in read] == [getattr(whole, name) for name in read]


# ---------------------------------------------------------------------------
# Builds: byte for byte the same, and unchanged seeds not cleaned again


def build(project: Path, name: str, cache: RecordCache | None, **options: int) -> Path:
    target = project / name
    target.mkdir()
    build_into(
        target,
        BuildOptions(
            seeds_dir=project / "seeds",
            dist_dir=target,
            pyproject=project / "pyproject.toml",
            description=project / "dataset.toml",
            cache=cache,
            **options,  # type: ignore[arg-type]
        ),
    )
    return target


def test_a_cached_build_is_byte_identical_and_cleans_only_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "project", SOME_SEEDS)
    calls: list[str] = []
    monkeypatch.setattr(curation.build, "PIPELINE", counted(PIPELINE, calls))
    first_step = PIPELINE[0].id
    cache = RecordCache(tmp_path / "cache")

    plain = tree_digests(build(project, "plain", None))
    assert calls.count(first_step) == 3
    # Cold, in two processes with batches of two: the entries come from the workers.
    assert tree_digests(build(project, "cold", cache, jobs=2, batch_size=2)) == plain
    assert cache.stats.misses == 3
    calls.clear()
    assert tree_digests(build(project, "warm", cache)) == plain
    assert calls == []  # nothing cleaned: every seed came from the cache
    assert cache.stats.hits == 3

    change_seed(project / "seeds", "002_ddf420c53e7c56f6")
    calls.clear()
    changed = tree_digests(build(project, "changed", cache))
    assert calls.count(first_step) == 1  # the changed seed only
    assert changed != plain
    assert changed == tree_digests(build(project, "changed-plain", None))


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the stored records made whole (StoredRecord.record) while a test runs."""
    made: list[str] = []
    real = StoredRecord.record

    def record(self: StoredRecord) -> Record:
        made.append(self.id)
        return real(self)

    monkeypatch.setattr(StoredRecord, "record", record)
    return made


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_hit_is_written_from_its_stored_row_without_being_decoded(
    jobs: int, tmp_path: Path, decoded: list[str]
) -> None:
    project = make_project(tmp_path / "project", SOME_SEEDS)
    cache = RecordCache(tmp_path / "cache")
    plain = tree_digests(build(project, "plain", None))
    assert tree_digests(build(project, "cold", cache, jobs=jobs)) == plain
    assert tree_digests(build(project, "warm", cache, jobs=jobs)) == plain
    assert cache.stats.hits == 3 and decoded == []  # no site: no pass rewrites them


def test_a_hit_that_loses_lines_recurring_across_its_site_is_stripped_as_without_the_cache(
    tmp_path: Path, decoded: list[str]
) -> None:
    from tests.corpus.test_recurring_lines import SITES, TAGLINES, write_site_seeds

    project = make_project(tmp_path / "project", SOME_SEEDS)
    texts = [f"{body[0]}\n\n{TAGLINES['latin']}\n\n{body[1]}" for body in SITES["latin"][1]]
    site_ids = write_site_seeds(project, texts, "www.example-daily.test", languages=["en"])
    cache = RecordCache(tmp_path / "cache")
    plain = tree_digests(build(project, "plain", None))
    assert tree_digests(build(project, "cold", cache)) == plain
    assert decoded == []
    assert tree_digests(build(project, "warm", cache)) == plain
    # The site's pages (their tagline goes) are made whole and stripped; the others not.
    assert sorted(decoded) == sorted(f"{seed_id}-0" for seed_id in site_ids)
    rows = read_rows((tmp_path / "project" / "warm" / "data").rglob("*.parquet"))
    assert all(TAGLINES["latin"] not in row["text"] for row in rows)

    change_seed(project / "seeds", SOME_SEEDS[0].stem)
    assert tree_digests(build(project, "changed", cache)) == tree_digests(
        build(project, "changed-plain", None)
    )


@pytest.fixture
def texts_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the seeds whose text is read after validation, while a test runs."""
    read: list[str] = []
    real = seeds_module.load_seed

    def load_seed(seed: Seed, validator: Any) -> Any:
        read.append(seed.id)
        return real(seed, validator)

    monkeypatch.setattr(seeds_module, "load_seed", load_seed)
    return read


def test_a_hit_does_not_read_its_seeds_text_again(tmp_path: Path, texts_read: list[str]) -> None:
    project = make_project(tmp_path / "project", SOME_SEEDS)
    cache = RecordCache(tmp_path / "cache")
    plain = tree_digests(build(project, "plain", None))
    assert len(texts_read) == 3  # without the cache: read again to be cleaned
    texts_read.clear()
    assert tree_digests(build(project, "cold", cache)) == plain
    assert len(texts_read) == 3  # every seed a miss
    texts_read.clear()
    assert tree_digests(build(project, "warm", cache)) == plain
    assert texts_read == []  # found by the sha256 validation computed
    change_seed(project / "seeds", "004_b57d5ccfbe06e458")
    assert tree_digests(build(project, "changed", cache)) == tree_digests(
        build(project, "changed-plain", None)
    )
    assert texts_read.count("004_b57d5ccfbe06e458") == 2  # the miss, and the uncached build


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_seed_changed_during_a_cached_build_stops_it(
    jobs: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Text and sidecar changed together after validation: refused, not half used
    (with --jobs 2, also after another seed was handed to a worker early)."""
    project = make_project(tmp_path / "project", SOME_SEEDS)
    cache = RecordCache(tmp_path / "cache")
    build(project, "cold", cache, jobs=jobs)
    change_seed(project / "seeds", "004_b57d5ccfbe06e458")  # found changed, cleaned early
    real = curation.build.validate_seeds

    def validate_then_change(*args: Any) -> list[Seed]:
        seeds = real(*args)
        change_seed(project / "seeds", "002_ddf420c53e7c56f6")
        return seeds

    monkeypatch.setattr(curation.build, "validate_seeds", validate_then_change)
    with pytest.raises(InvalidInput, match="the seed changed during the build") as raised:
        build(project, "warm", cache, jobs=jobs)
    # The early worker was stopped by the build, not by the collector once the
    # build's frames are gone: the error's traceback, kept here, keeps them.
    assert multiprocessing.active_children() == []
    assert raised.traceback


needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked"
)


@needs_fork
def test_early_workers_stop_on_an_error_between_validation_and_cleaning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A seed found changed is handed to an early worker during validation; an error
    before the cleaning starts (here while lines recurring across a site are counted)
    stops that worker with the build, whatever keeps the error's traceback."""
    project = make_project(tmp_path / "project", SOME_SEEDS)
    cache = RecordCache(tmp_path / "cache")
    build(project, "cold", cache, jobs=2)
    change_seed(project / "seeds", "004_b57d5ccfbe06e458")
    handed: list[str] = []
    real_submit = EarlyCleaning.submit

    def submit(self: EarlyCleaning, key: str, record: Record) -> bool:
        handed.append(record.seed_id)
        return real_submit(self, key, record)

    def fail(*args: Any) -> None:
        raise InvalidInput([Problem("seeds/002_ddf420c53e7c56f6.txt", "could not be read")])

    monkeypatch.setattr(EarlyCleaning, "submit", submit)
    monkeypatch.setattr(curation.build.StripRecurringLines, "count_corpus", fail)
    with pytest.raises(InvalidInput, match="could not be read") as raised:
        build(project, "warm", cache, jobs=2)
    assert handed == ["004_b57d5ccfbe06e458"]  # a worker was forked for it
    assert multiprocessing.active_children() == []
    assert raised.traceback


@pytest.fixture
def early_calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The seed ids handed to EarlyCleaning (and accepted), and the keys taken from it."""
    calls: dict[str, list[str]] = {"submitted": [], "taken": []}
    real_submit, real_take = EarlyCleaning.submit, EarlyCleaning.take

    def submit(self: EarlyCleaning, key: str, record: Record) -> bool:
        accepted = real_submit(self, key, record)
        if accepted:
            calls["submitted"].append(record.seed_id)
        return accepted

    def take(self: EarlyCleaning, key: str) -> Any:
        calls["taken"].append(key)
        return real_take(self, key)

    monkeypatch.setattr(EarlyCleaning, "submit", submit)
    monkeypatch.setattr(EarlyCleaning, "take", take)
    return calls


@needs_fork
def test_a_seed_found_changed_by_validation_is_cleaned_early_and_changes_no_byte(
    tmp_path: Path, early_calls: dict[str, list[str]]
) -> None:
    """With --jobs 2, the seed validation finds changed is handed to a worker at once
    and its result is taken where the build reaches it; a seed put back as it was has
    its entry again, and is not cleaned at all."""
    project = make_project(tmp_path / "project", SOME_SEEDS)
    cache = RecordCache(tmp_path / "cache")
    build(project, "cold", cache, jobs=2)
    # A first build hands its first seeds over before validation (test below).
    assert len(early_calls["submitted"]) == len(early_calls["taken"]) == 3
    original = {p.name: p.read_bytes() for p in (project / "seeds").glob("002_*")}
    change_seed(project / "seeds", "002_ddf420c53e7c56f6")
    early_calls["submitted"].clear()
    early_calls["taken"].clear()
    misses = cache.stats.misses
    changed = tree_digests(build(project, "changed", cache, jobs=2))
    assert early_calls["submitted"] == ["002_ddf420c53e7c56f6"]
    (record,) = [r for r in seed_records(project / "seeds") if r.seed_id.startswith("002_")]
    assert early_calls["taken"] == [record_key(record)]
    assert cache.stats.misses == misses + 1
    assert changed == tree_digests(build(project, "changed-plain", None))

    for name, data in original.items():
        (project / "seeds" / name).write_bytes(data)
    early_calls["submitted"].clear()
    misses = cache.stats.misses
    put_back = tree_digests(build(project, "put-back", cache, jobs=2))
    assert early_calls["submitted"] == [] and cache.stats.misses == misses
    assert put_back == tree_digests(build(project, "plain", None))


@needs_fork
def test_the_seeds_changed_last_are_cleaned_early_before_validation_starts(
    tmp_path: Path, early_calls: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild looks at the sidecars written last before it validates the folder: a
    changed seed goes to the early workers at once (not when validation reaches it);
    one only touched (its sidecar as the last build found it) is not cleaned."""
    project = make_project(tmp_path / "project", SOME_SEEDS)
    cache = RecordCache(tmp_path / "cache")
    build(project, "cold", cache, jobs=2)
    change_seed(project / "seeds", "002_ddf420c53e7c56f6")
    touched = project / "seeds" / "004_b57d5ccfbe06e458.json"
    touched.write_bytes(touched.read_bytes())  # written last, the same bytes
    submitted_when_validating: list[list[str]] = []
    real_validate = curation.build.validate_seeds

    def validate(*args: Any, **kwargs: Any) -> Any:
        submitted_when_validating.append(list(early_calls["submitted"]))
        return real_validate(*args, **kwargs)

    monkeypatch.setattr(curation.build, "validate_seeds", validate)
    early_calls["submitted"].clear()
    early_calls["taken"].clear()
    changed = tree_digests(build(project, "changed", cache, jobs=2))
    assert submitted_when_validating == [["002_ddf420c53e7c56f6"]]
    assert early_calls["submitted"] == ["002_ddf420c53e7c56f6"]  # once, not again
    assert len(early_calls["taken"]) == 1
    assert changed == tree_digests(build(project, "changed-plain", None))


@needs_fork
def test_a_first_build_cleans_its_first_seeds_early_while_it_validates(
    tmp_path: Path, early_calls: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With an empty cache, the first seeds in id order (up to the early bound) go to
    the workers before validation starts, each is taken once where the build reaches
    it, and what is written is what a build without the cache writes."""
    monkeypatch.setattr(pipeline_module, "EARLY_RECORDS", 2)
    project = make_project(tmp_path / "project", SOME_SEEDS)
    submitted_when_validating: list[list[str]] = []
    real_validate = curation.build.validate_seeds

    def validate(*args: Any, **kwargs: Any) -> Any:
        submitted_when_validating.append(list(early_calls["submitted"]))
        assert args[3] is None  # no seed is handed on as changed: all are new
        return real_validate(*args, **kwargs)

    monkeypatch.setattr(curation.build, "validate_seeds", validate)
    cache = RecordCache(tmp_path / "cache")
    cold = tree_digests(build(project, "cold", cache, jobs=2, batch_size=1))
    first_two = ["001_5039b5492d75b5b7", "002_ddf420c53e7c56f6"]
    assert submitted_when_validating == [first_two] and early_calls["submitted"] == first_two
    records = {r.seed_id: r for r in seed_records(project / "seeds")}
    assert early_calls["taken"] == [record_key(records[seed_id]) for seed_id in first_two]
    assert cache.stats.misses == 3 and multiprocessing.active_children() == []
    assert cold == tree_digests(build(project, "plain", None))


@needs_fork
def test_a_first_build_stops_its_early_workers_when_the_input_is_invalid(
    tmp_path: Path, early_calls: dict[str, list[str]]
) -> None:
    """The first seed is valid by itself and cleaned early; a later one is not: the
    build refuses the input as always and leaves no worker running."""
    project = make_project(tmp_path / "project", SOME_SEEDS)
    (project / "seeds" / "004_b57d5ccfbe06e458.json").write_text("{}\n", encoding="utf-8")
    with pytest.raises(InvalidInput):
        build(project, "cold", RecordCache(tmp_path / "cache"), jobs=2)
    assert early_calls["submitted"][:1] == ["001_5039b5492d75b5b7"]
    assert multiprocessing.active_children() == []


@needs_fork
def test_changed_seeds_beyond_the_early_bound_are_cleaned_as_before(
    tmp_path: Path, early_calls: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline_module, "EARLY_RECORDS", 1)
    project = make_project(tmp_path / "project", SOME_SEEDS)
    cache = RecordCache(tmp_path / "cache")
    build(project, "cold", cache, jobs=2)
    change_seed(project / "seeds", "002_ddf420c53e7c56f6")
    change_seed(project / "seeds", "004_b57d5ccfbe06e458")
    early_calls["submitted"].clear()
    early_calls["taken"].clear()
    misses = cache.stats.misses
    changed = tree_digests(build(project, "changed", cache, jobs=2, batch_size=1))
    # The one changed last, found before validation (curation.build.changed_lately).
    assert early_calls["submitted"] == ["004_b57d5ccfbe06e458"]
    assert len(early_calls["taken"]) == 1 and cache.stats.misses == misses + 2
    assert changed == tree_digests(build(project, "changed-plain", None))


@needs_fork
def test_the_settings_key_is_made_as_often_however_many_seeds_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Validation asks the cache about each seed it finds changed; the settings' key
    (which reads every pinned library's metadata: a 100,000-seed rebuild spent minutes
    on it) is made once a build, not once a changed seed."""
    project = make_project(tmp_path / "project", SOME_SEEDS)
    cache = RecordCache(tmp_path / "cache")
    build(project, "cold", cache, jobs=2)
    made: list[str] = []
    real = cache_module.settings_key

    def counted(steps: Any, rules: Any) -> str:
        made.append("key")
        return real(steps, rules)

    monkeypatch.setattr(cache_module, "settings_key", counted)
    change_seed(project / "seeds", "002_ddf420c53e7c56f6")
    build(project, "one-changed", cache, jobs=2)
    after_one, made[:] = len(made), []
    for seed_id in ("001_5039b5492d75b5b7", "002_ddf420c53e7c56f6", "004_b57d5ccfbe06e458"):
        change_seed(project / "seeds", seed_id)
    build(project, "three-changed", cache, jobs=2)
    assert len(made) == after_one


@needs_fork
def test_a_rebuild_whose_seeds_are_all_in_the_cache_forks_no_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "project", SOME_SEEDS)
    cache = RecordCache(tmp_path / "cache")
    plain = tree_digests(build(project, "cold", cache, jobs=2))

    monkeypatch.setattr(pipeline_module, "ProcessPoolExecutor", NoPool)
    assert tree_digests(build(project, "warm", cache, jobs=2, batch_size=1)) == plain
    assert cache.stats.hits == 3


# What the cleaning steps load on first use (curation.word_frequency, steps.headers).
LOADED_FOR_CLEANING = ("wordfreq", "langcodes", "dateparser")
# `curation build` in a fresh interpreter, then the top-level modules it imported.
BUILD_AND_LIST_MODULES = (
    "import json, sys\n"
    "from curation.cli import main\n"
    "code = main(['build', '-q', '--jobs', '1'])\n"
    "print(json.dumps([code, sorted({name.split('.')[0] for name in sys.modules})]))\n"
)


def modules_of_a_build(project: Path, cache: Path) -> list[str]:
    environment = {**os.environ, "CURATION_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", BUILD_AND_LIST_MODULES],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    code, modules = json.loads(result.stdout.splitlines()[-1])
    assert code == 0, result.stderr
    return list(modules)


def test_a_build_whose_seeds_are_all_in_the_cache_never_loads_what_the_steps_need(
    tmp_path: Path,
) -> None:
    # The steps' modules import these on first use, not with the modules: a process
    # that cleans nothing (here every seed is in the cache) never pays for them.
    project = make_project(tmp_path / "project", SOME_SEEDS)
    cold = modules_of_a_build(project, tmp_path / "cache")
    assert set(LOADED_FOR_CLEANING) <= set(cold)  # cleaning loads them
    warm = modules_of_a_build(project, tmp_path / "cache")
    assert not set(LOADED_FOR_CLEANING) & set(warm)


def test_a_build_with_the_cache_keeps_the_language_model_decoded_there(tmp_path: Path) -> None:
    """The build lends the cache's memo of the language model to the step
    (:class:`curation.cache.LanguageModelMemo`), in a fresh interpreter as a user runs it."""
    project = make_project(tmp_path / "project", SOME_SEEDS[:2])  # one seed's two files
    cache = RecordCache(tmp_path / "cache")
    model = identify_language.MODEL_DIR / identify_language.MODEL_FILE
    modules_of_a_build(project, cache.root)
    assert cache.language_model_memo().path(model).is_file()
    assert identify_language._model_loader is identify_language.load_model  # here, never lent
    # And the word tables of the languages it asked about (curation.cache.WordTableMemo).
    assert [path.parent.name for path in (cache.root / "words").glob("*/*")] != []


def test_unread_seeds_clean_as_the_seeds_read_without_a_cache(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", SOME_SEEDS)
    seeds = seeds_module.validate_seeds(project / "seeds")
    batches = list(seeds_module.iter_unread_seed_batches(seeds, 2))
    assert [len(b) for b in batches] == [2, 1]
    plain = Pipeline(PIPELINE, [], RULES)
    expected = [r for b in plain.run(seeds_module.iter_seed_batches(seeds, 2)) for r in b]
    unread = Pipeline(PIPELINE, [], RULES)
    assert [r for b in unread.run_stored(batches) for r in b] == expected
    assert unread.reports == plain.reports
    with pytest.raises(ValueError, match="needs seeds from validate_seeds"):
        next(seeds_module.iter_unread_seed_batches([dataclasses.replace(seeds[0], text_sha256="")]))


def test_seeds_validated_with_their_keys_are_handed_over_here_and_clean_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seeds whose record keys validation found are not read again: they are iterated in
    the caller's thread (seeds._ReadHere), and give what the reading thread gave."""
    project = make_project(tmp_path / "project", SOME_SEEDS)
    folder = project / "seeds"
    known = RecordCache(tmp_path / "cache").known_seeds(folder)
    keyed = seeds_module.validate_seeds(folder, known=known)
    assert all(keyed.record_key) and keyed.record_key.not_digests() == 0
    plain = seeds_module.validate_seeds(folder)  # without their keys
    made: list[str] = []
    for name in ("_ReadHere", "_ReadAhead"):
        real = getattr(seeds_module, name)
        monkeypatch.setattr(
            seeds_module, name, lambda *a, real=real, name=name: made.append(name) or real(*a)
        )
    here = [
        r
        for b in Pipeline(PIPELINE, [], RULES).run_stored(
            seeds_module.iter_unread_seed_batches(keyed, 2)
        )
        for r in b
    ]
    assert made == ["_ReadHere"]
    ahead = [
        r
        for b in Pipeline(PIPELINE, [], RULES).run_stored(
            seeds_module.iter_unread_seed_batches(plain, 2)
        )
        for r in b
    ]
    assert made == ["_ReadHere", "_ReadAhead"]
    assert here == ahead and len({r.seed_id for r in here}) == 3


def test_the_cli_uses_the_cache_unless_told_not_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path / "project", SOME_SEEDS[:2])
    monkeypatch.chdir(project)
    monkeypatch.setenv("CURATION_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["build", "--no-cache"]) == 0
    assert not (tmp_path / "cache").exists()
    assert main(["build"]) == 0
    assert "cache: 0 of 1 documents reused, 1 cleaned" in capsys.readouterr().out
    assert main(["build"]) == 0
    assert "cache: 1 of 1 documents reused, 0 cleaned" in capsys.readouterr().out
    monkeypatch.setenv("CURATION_CACHE_DIR", "")  # empty: turned off
    assert main(["build"]) == 0
    assert "cache:" not in capsys.readouterr().out


def poison(cache: RecordCache, steps: tuple[Step, ...], record: Record) -> None:
    """A well-formed entry for ``record`` that says something the steps never made of it."""
    folder = cache.folder(steps, RULES)
    records, reports = run_steps(steps, [record], RULES)
    forged = [r.replace(text=r.text + " FORGED") for r in records]
    cache.put(folder, record_key(record), (forged, reports))


def test_verify_never_reads_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "project", SOME_SEEDS[:2])
    monkeypatch.chdir(project)
    monkeypatch.setenv("CURATION_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["build", "--no-cache"]) == 0
    (record,) = seed_records(project / "seeds")
    poison(RecordCache(tmp_path / "cache"), PIPELINE, record)
    assert main(["verify"]) == 0  # a rebuild from nothing: the forged entry is not read
    # ... which a build with the cache would have used (so the test above can fail):
    assert main(["build"]) == 0
    assert main(["verify"]) == 3


# ---------------------------------------------------------------------------
# What decides an entry: change any of it and the entry is not used


def _shout(text: str, record: Record, rules: RuleSet) -> list[Change]:
    return [Change(0, 1, text[:1].upper(), "shout")] if text else []


def _split_on_rule(record: Record, rules: RuleSet) -> StepOutput:
    parts = record.text.split("\n----\n")
    return tuple(record.replace(part=i, text=t) for i, t in enumerate(parts))


def _drop_short(record: Record, rules: RuleSet) -> StepOutput:
    return Drop(record, "too_short") if len(record.text) < 5 else (record,)


STEPS: tuple[Step, ...] = (
    text_step("shout", 1, "upper-case the first letter", _shout),
    Step("split", 1, "split at ----", _split_on_rule),
    Step("drop_short", 1, "drop short records", _drop_short),
)


def small_records() -> list[Record]:
    return [
        Record("001_0123456789abcdef", 0, "first text\n----\nits second part", {"title": None}),
        Record("002_0123456789abcdef", 0, "abc", {"title": None}),
        Record("003_0123456789abcdef", 0, "third text", {"title": "T"}),
    ]


def clean(
    records: list[Record],
    cache: RecordCache,
    steps: tuple[Step, ...] = STEPS,
    rules: RuleSet = RULES,
) -> list[Record]:
    pipeline = Pipeline(steps, [], rules, cache=cache)
    return [record for batch in pipeline.run([records[:2], records[2:]]) for record in batch]


def with_rules_file_changed(rules: RuleSet) -> RuleSet:
    files = dict(rules.files)
    layout = files["layout"]
    files["layout"] = RulesFile(layout.name, hashlib.sha256(b"edited").hexdigest(), layout.data)
    return RuleSet(files)


CHANGES: dict[
    str, Callable[[pytest.MonkeyPatch], tuple[list[Record], tuple[Step, ...], RuleSet]]
] = {
    "a rules file": lambda patch: (small_records(), STEPS, with_rules_file_changed(RULES)),
    "a step's version": lambda patch: (
        small_records(),
        (dataclasses.replace(STEPS[0], version=2), *STEPS[1:]),
        RULES,
    ),
    "the order of the steps": lambda patch: (small_records(), STEPS[::-1], RULES),
    "the sidecar": lambda patch: (
        [r.replace(declared={**r.declared, "license": "CC0"}) for r in small_records()],
        STEPS,
        RULES,
    ),
    "the text": lambda patch: (
        [r.replace(text=r.text + ".") for r in small_records()],
        STEPS,
        RULES,
    ),
    "the seed id": lambda patch: (
        [r.replace(seed_id=r.seed_id.replace("_0", "_1")) for r in small_records()],
        STEPS,
        RULES,
    ),
    "a library version": lambda patch: (
        patch.setattr(
            "curation.publish.summary.library_versions",
            lambda: {"ftfy": "0.0.1", "numpy": "1.0"},
        ),
        small_records(),
        STEPS,
        RULES,
    )[1:],
    "the code": lambda patch: (
        patch.setattr(cache_module, "code_digest", lambda: "0" * 64),
        small_records(),
        STEPS,
        RULES,
    )[1:],
    "the Python version": lambda patch: (
        patch.setattr(cache_module, "python_version", lambda: "3.99"),
        small_records(),
        STEPS,
        RULES,
    )[1:],
}


@pytest.mark.parametrize("what", sorted(CHANGES))
def test_an_entry_is_not_used_once_what_decided_it_changed(
    what: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = RecordCache(tmp_path / "cache")
    clean(small_records(), cache)
    assert (cache.stats.hits, cache.stats.misses) == (0, 3)
    clean(small_records(), cache)
    assert (cache.stats.hits, cache.stats.misses) == (3, 3)  # unchanged: all reused

    records, steps, rules = CHANGES[what](monkeypatch)
    calls: list[str] = []
    got = clean(records, cache, counted(steps, calls), rules)
    assert (cache.stats.hits, cache.stats.misses) == (3, 6)
    assert calls.count(steps[0].id) == 3
    assert got == clean(records, RecordCache(tmp_path / "fresh"), steps, rules)


def test_the_same_entry_serves_any_batch_size_and_job_count(tmp_path: Path) -> None:
    cache = RecordCache(tmp_path / "cache")
    records = small_records()
    plain = Pipeline(STEPS, [], RULES)
    expected = [r for b in plain.run([records]) for r in b]
    for batches, jobs in (([records], 2), ([[r] for r in records], 1), ([records], 1)):
        pipeline = Pipeline(STEPS, [], RULES, cache=cache)
        assert [r for b in pipeline.run(batches, jobs=jobs) for r in b] == expected
        assert pipeline.reports == plain.reports
    assert (cache.stats.hits, cache.stats.misses) == (6, 3)


# ---------------------------------------------------------------------------
# Damaged entries, killed and concurrent writes


def only_entry(cache_root: Path) -> Path:
    """The one pack under ``cache_root`` (a test's cache that cleaned one record)."""
    (entry,) = [
        p
        for p in (cache_root / "records").rglob("*")
        if p.is_file() and p.parent.name == cache_module.PACKS
    ]
    return entry


def repacked(pack: bytes, entry: Callable[[bytes, bytes], bytes], other: bytes) -> bytes:
    """``pack`` (of one entry) with its entry replaced by ``entry(its entry, other's entry)``."""
    ((key, data),) = pack_entries(pack)
    ((_, other_data),) = pack_entries(other)
    return encode_pack([(key, entry(data, other_data))])


def pack_entries(pack: bytes) -> list[tuple[bytes, bytes]]:
    rows, start = decode_index(pack)
    return [
        (row["key"].tobytes(), pack[start + int(row["offset"]) :][: int(row["length"])])
        for row in rows
    ]


FORMAT = str(cache_module.CACHE_FORMAT).encode()
NOT_MARSHAL = b"curation-records %s %s\n{not marshal" % (
    FORMAT,
    hashlib.sha256(b"{not marshal").hexdigest().encode(),
)


def reencoded(entry: bytes, change: Callable[[list[Any]], list[Any]]) -> bytes:
    """An entry with a valid checksum over a body that ``change`` altered: the body is
    [key, step ids, counts, counters, records] (curation.cache.encode_entry)."""
    body = entry.partition(b"\n")[2]
    changed = change(list(marshal.loads(body)))
    return recounted(marshal.dumps(tuple(changed), cache_module.MARSHAL_VERSION))


def recounted(body: bytes) -> bytes:
    """``body`` as an entry, under a header with its checksum."""
    return b"curation-records %s %s\n" % (FORMAT, hashlib.sha256(body).hexdigest().encode()) + body


DAMAGE: dict[str, Callable[[bytes, bytes], bytes]] = {
    # The pack itself: its header or index.
    "cut short": lambda data, other: data[: len(data) // 2],
    "empty": lambda data, other: b"",
    "header only": lambda data, other: data.partition(b"\n")[0] + b"\n",
    "index changed": lambda data, other: data.replace(b"\n", b"\n\x01", 1)[: len(data)],
    "another pack format": lambda data, other: data.replace(
        b"curation-pack 1 ", b"curation-pack 7 "
    ),
    "not a pack": lambda data, other: other.partition(b"\n")[2],
    # An entry in a sound pack.
    "one byte changed": lambda data, other: data[:-20] + bytes([data[-20] ^ 1]) + data[-19:],
    "another key's entry": lambda data, other: repacked(data, lambda mine, theirs: theirs, other),
    "another format": lambda data, other: repacked(
        data,
        lambda mine, theirs: mine.replace(
            b"curation-records %s " % FORMAT, b"curation-records 9 ", 1
        ),
        other,
    ),
    "not marshal": lambda data, other: repacked(data, lambda mine, theirs: NOT_MARSHAL, other),
    "its body cut short, with its checksum": lambda data, other: repacked(
        data, lambda mine, theirs: recounted(mine.partition(b"\n")[2][:-3]), other
    ),
    "counts of other steps": lambda data, other: repacked(
        data,
        lambda mine, theirs: reencoded(
            mine, lambda body: [*body[:1], body[1][:-1], body[2][:-32], *body[3:]]
        ),
        other,
    ),
    "counts of fewer numbers": lambda data, other: repacked(
        data,
        lambda mine, theirs: reencoded(mine, lambda body: [*body[:2], body[2][:-8], *body[3:]]),
        other,
    ),
    "counts that are not counts": lambda data, other: repacked(
        data,
        lambda mine, theirs: reencoded(
            mine, lambda body: [*body[:3], ((0, (("rule", "1"),), (), ()),), body[4]]
        ),
        other,
    ),
    "counters of a step not there": lambda data, other: repacked(
        data,
        lambda mine, theirs: reencoded(
            mine, lambda body: [*body[:3], ((len(body[1]), (), (), ()),), body[4]]
        ),
        other,
    ),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_pack_or_entry_is_ignored_with_a_warning_and_removed(
    damage: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    records = small_records()
    expected = clean(records[1:2], RecordCache(tmp_path / "cache"))
    clean(records[2:3], RecordCache(tmp_path / "other"))
    entry = only_entry(tmp_path / "cache")
    sound = entry.read_bytes()
    entry.write_bytes(DAMAGE[damage](sound, only_entry(tmp_path / "other").read_bytes()))

    calls: list[str] = []
    cache = RecordCache(tmp_path / "cache")  # the next run
    with caplog.at_level(logging.WARNING, logger="curation.cache"):
        assert clean(records[1:2], cache, counted(STEPS, calls)) == expected
    assert calls.count(STEPS[0].id) == 1  # cleaned again, not trusted
    assert cache.stats.damaged == 1
    assert f"ignored damaged pack {entry}" in caplog.text
    # Removed, and the same entries written again: the same bytes, so the same name.
    assert only_entry(tmp_path / "cache") == entry and entry.read_bytes() == sound
    again = RecordCache(tmp_path / "cache")
    assert clean(records[1:2], again, counted(STEPS, calls)) == expected  # rewritten whole
    assert calls.count(STEPS[0].id) == 1 and again.stats.hits == 1 and again.stats.damaged == 0


def _changed(entry: bytes, change: Callable[[list[Any]], list[Any]]) -> bytes:
    """An entry (checksum valid) whose first record's fields ``change`` altered: the
    sidecar is the third, the text, row and whether the row is strict the last three."""
    return reencoded(
        entry, lambda body: [*body[:4], (tuple(change(list(body[4][0]))), *body[4][1:])]
    )


# Damage to an entry that holds a record (its fields, its text and row after the counts).
RECORD_DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "a field missing": lambda e: _changed(e, lambda r: r[1:]),
    "a field more": lambda e: _changed(e, lambda r: [*r, None]),
    "its text not bytes": lambda e: _changed(e, lambda r: [*r[:10], "text", *r[11:]]),
    "its text not UTF-8": lambda e: _changed(e, lambda r: [*r[:10], b"\xff", *r[11:]]),
    "its row not bytes": lambda e: _changed(e, lambda r: [*r[:11], r[11].decode(), r[12]]),
    "its sidecar not a mapping": lambda e: _changed(e, lambda r: [*r[:2], [], *r[3:]]),
    "its records not a list": lambda e: reencoded(e, lambda body: [*body[:4], None]),
    "cut short": lambda e: e[:-3],
}


@pytest.mark.parametrize("damage", sorted(RECORD_DAMAGE))
def test_a_damaged_record_of_an_entry_is_ignored_with_a_warning(
    damage: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    records = small_records()[2:]
    expected = clean(records, RecordCache(tmp_path / "cache"))
    assert expected  # an entry with a record, its text and its row
    pack = only_entry(tmp_path / "cache")
    ((key, entry),) = pack_entries(pack.read_bytes())
    pack.write_bytes(encode_pack([(key, RECORD_DAMAGE[damage](entry))]))
    calls: list[str] = []
    cache = RecordCache(tmp_path / "cache")
    with caplog.at_level(logging.WARNING, logger="curation.cache"):
        assert clean(records, cache, counted(STEPS, calls)) == expected
    assert calls.count(STEPS[0].id) == 1 and cache.stats.damaged == 1
    assert "ignored damaged pack" in caplog.text


def test_a_batch_s_entries_are_read_at_once_and_a_damaged_one_among_them_still_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A build reads the entries of a batch that lie together in a pack with one read
    (curation.cache._Packs.read_ahead), and checks each as it would have read alone."""
    records = [
        Record(f"00{n}_0123456789abcdef", 0, f"text {n}\n----\npart {n}", {"title": None})
        for n in range(6)
    ]
    first = Pipeline(STEPS, [], RULES, cache=RecordCache(tmp_path / "cache"))
    expected = [r for b in first.run([records]) for r in b]
    pack = only_entry(tmp_path / "cache")  # one batch, one pack of six entries
    reads: list[int] = []
    pread = cache_module._Packs._pread

    def counted_pread(packs: Any, pack: int, offset: int, length: int) -> bytes:
        reads.append(length)
        return pread(packs, pack, offset, length)

    monkeypatch.setattr(cache_module._Packs, "_pread", counted_pread)
    cache = RecordCache(tmp_path / "cache")
    again = Pipeline(STEPS, [], RULES, cache=cache)
    assert [r for b in again.run([records]) for r in b] == expected
    assert (cache.stats.hits, cache.stats.misses) == (6, 0)
    assert reads == [sum(len(entry) for _, entry in pack_entries(pack.read_bytes()))]
    assert again.reports == first.reports
    for back, report in zip(again.reports, first.reports, strict=True):
        for counter in ("rules", "drops", "rule_chars_removed"):
            assert list(getattr(back, counter).items()) == list(getattr(report, counter).items())

    # One byte of the fourth entry changed: the three before it are used, the pack is
    # removed, and the records of the fourth and of the two after it are cleaned again.
    entries = pack_entries(pack.read_bytes())
    key, entry = entries[3]
    entries[3] = (key, entry[:-20] + bytes([entry[-20] ^ 1]) + entry[-19:])
    pack.write_bytes(encode_pack(entries))
    calls: list[str] = []
    cache = RecordCache(tmp_path / "cache")
    damaged = Pipeline(counted(STEPS, calls), [], RULES, cache=cache)
    with caplog.at_level(logging.WARNING, logger="curation.cache"):
        assert [r for b in damaged.run([records]) for r in b] == expected
    assert (cache.stats.hits, cache.stats.misses, cache.stats.damaged) == (3, 3, 1)
    assert calls.count(STEPS[0].id) == 3 and f"ignored damaged pack {pack}" in caplog.text
    assert damaged.reports == first.reports


# A child that writes one entry and is killed (SIGKILL) at the instant the test names.
KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from curation import cache as cache_module
from curation import seeds as seeds_module
from curation.cache import RecordCache, record_key
from curation.record import Record
from curation.rules import load_rules
from curation.steps import PIPELINE

where = sys.argv[2]
real_fdopen = os.fdopen

class HalfWrite:
    def __init__(self, handle):
        self.handle = handle
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return False
    def write(self, data):
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        os.kill(os.getpid(), signal.SIGKILL)

if where == "while writing":
    cache_module.os.fdopen = lambda fd, mode: HalfWrite(real_fdopen(fd, mode))
else:  # written whole, not yet renamed into place
    Path.replace = lambda self, target: os.kill(os.getpid(), signal.SIGKILL)
record = Record("001_0123456789abcdef", 0, "text", {"title": None})
cache = RecordCache(Path(sys.argv[1]))
cache.put(cache.folder(PIPELINE, load_rules()), record_key(record), ([record], []))
"""


@pytest.mark.parametrize("where", ["while writing", "before the rename"])
def test_a_killed_write_leaves_nothing_a_reader_would_use(where: str, tmp_path: Path) -> None:
    root = tmp_path / "cache"
    result = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(root), where],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        check=False,
    )
    assert result.returncode == -9, result.stderr
    files = [p for p in root.rglob("*") if p.is_file() and p.name != cache_module.USED_MARK]
    assert [p.parent.name for p in files] == ["tmp"]  # only the temporary file
    record = Record("001_0123456789abcdef", 0, "text", {"title": None})
    cache = RecordCache(root)
    folder = cache.folder(PIPELINE, RULES)
    assert cache.get(folder, record_key(record), PIPELINE) is None
    assert files[0].exists()  # young: it could be a live write of another run

    hours_ago = time.time() - 2 * cache_module.STALE_TEMPORARY_SECONDS
    not_ours = files[0].parent / "notes.txt"
    not_ours.write_text("someone else's file", encoding="utf-8")
    for path in (files[0], not_ours):
        os.utime(path, (hours_ago, hours_ago))
    RecordCache(root).folder(PIPELINE, RULES)
    assert not files[0].exists()  # old: a killed write's, removed
    assert not_ours.exists()  # not a name this tool gives: left alone


def _write_repeatedly(root: str, count: int) -> None:
    cache = RecordCache(Path(root))
    records = small_records()
    folder = cache.folder(STEPS, RULES)
    cleaned = run_steps(STEPS, records[:1], RULES)
    for _ in range(count):
        cache.put(folder, record_key(records[0]), cleaned)


def test_concurrent_writers_never_show_a_reader_a_partial_entry(tmp_path: Path) -> None:
    records = small_records()
    expected = run_steps(STEPS, records[:1], RULES)
    context = multiprocessing.get_context("fork")
    writers = [
        context.Process(target=_write_repeatedly, args=(str(tmp_path), 200)) for _ in range(2)
    ]
    for writer in writers:
        writer.start()
    damaged = 0
    while any(writer.is_alive() for writer in writers):
        cache = RecordCache(tmp_path)  # a run that starts now: it reads the packs there are
        found = cache.get(cache.folder(STEPS, RULES), record_key(records[0]), STEPS)
        if found is not None:
            assert found == expected
        damaged += cache.stats.damaged
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
    assert damaged == 0
    cache = RecordCache(tmp_path)
    assert cache.get(cache.folder(STEPS, RULES), record_key(records[0]), STEPS) == expected


def test_an_unwritable_cache_only_warns(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "cache").write_text("a file, not a folder", encoding="utf-8")
    cache = RecordCache(tmp_path / "cache")
    with caplog.at_level(logging.WARNING, logger="curation.cache"):
        got = clean(small_records(), cache)
    assert got == clean(small_records(), RecordCache(tmp_path / "fresh"))
    assert cache.stats.write_errors == 1  # tried once, then not again
    assert "cannot write under" in caplog.text


# ---------------------------------------------------------------------------
# add-seed and review clean only what the cache lacks


@pytest.fixture
def counting_pipeline(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    calls: list[str] = []
    monkeypatch.setattr(cleaned_text, "PIPELINE", counted(PIPELINE, calls))
    yield calls


def test_add_seed_cleans_only_the_new_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, counting_pipeline: list[str]
) -> None:
    project = make_project(tmp_path / "project", SOME_SEEDS)
    (project / "seeds" / ".last-id").write_text("004\n", encoding="utf-8")
    monkeypatch.chdir(project)
    cache = RecordCache(tmp_path / "cache")
    metadata = SeedMetadata(license="CC0", provenance="written for a test")
    options = {
        "seeds_dir": Path("seeds"),
        "dist_dir": Path("dist"),  # none: the corpus is cleaned in memory
        "today": datetime.date(2026, 1, 2),
        "cache": cache,
    }
    first_step = PIPELINE[0].id
    Path("de.txt").write_text(GERMAN_NEWS, encoding="utf-8")
    add_seed(Path("de.txt"), metadata, **options)  # type: ignore[arg-type]
    assert counting_pipeline.count(first_step) == 4  # a cold cache: three seeds and the new one

    counting_pipeline.clear()
    signed: list[int] = []
    real_minhash = near_duplicates.minhash_values
    monkeypatch.setattr(
        near_duplicates,
        "minhash_values",
        lambda shingles: signed.append(1) or real_minhash(shingles),
    )
    Path("uk.txt").write_text(UKRAINIAN_NEWS, encoding="utf-8")
    added = add_seed(Path("uk.txt"), metadata, **options)  # type: ignore[arg-type]
    assert counting_pipeline.count(first_step) == 1  # the new seed only
    # Near-duplicate signatures of the new seed's raw text and records only, not the corpus's.
    assert len(signed) == 1 + added.records

    counting_pipeline.clear()
    monkeypatch.setattr("curation.review.seed_review.PIPELINE", cleaned_text.PIPELINE)
    from curation.review.seed_review import review_seeds

    (review,) = review_seeds(
        ["006_" + hashlib.sha256(UKRAINIAN_NEWS.encode()).hexdigest()[:16]],
        Path("seeds"),
        Path("dist"),
        cache=cache,
    )
    assert counting_pipeline == []  # every seed, the reviewed one too, from the cache
    assert review.records


# ---------------------------------------------------------------------------
# dedup_near's signatures, remembered from the last build


def test_the_signature_memo_gives_what_dedup_near_computes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    near = NearDupRules.from_rules(RULES["dedup"])
    texts = [GERMAN_NEWS, UKRAINIAN_NEWS, "...", "中文新闻，今天。"]
    cache = RecordCache(tmp_path)
    first = cache.signature_memo(STEPS, RULES)
    computed = [signature(text, near) for text in texts]
    assert all((first.signature(t, near) == c).all() for t, c in zip(texts, computed, strict=True))
    assert first.hits == 0
    first.save()

    second = cache.signature_memo(STEPS, RULES)
    assert all((second.signature(t, near) == c).all() for t, c in zip(texts, computed, strict=True))
    assert second.hits == len(texts)
    assert cache.signature_memo(STEPS[:1], RULES).hits == 0  # other settings: another memo

    data = second.path.read_bytes()
    second.path.write_bytes(data[:-7] + bytes([data[-7] ^ 1]) + data[-6:])
    with caplog.at_level(logging.WARNING, logger="curation.cache"):
        damaged = cache.signature_memo(STEPS, RULES)
    assert f"ignored damaged signatures {second.path}" in caplog.text
    assert all(
        (damaged.signature(t, near) == c).all() for t, c in zip(texts, computed, strict=True)
    )
    assert damaged.hits == 0


def test_the_two_memos_of_a_build_hash_each_text_once(tmp_path: Path) -> None:
    """dedup_exact's memo, then dedup_near's, asked about the same batch of texts: each
    text is hashed for its memo key once, and the key is the BLAKE2b of its UTF-8."""
    texts = [f"{GERMAN_NEWS} {number}" for number in range(300)]
    near = NearDupRules.from_rules(RULES["dedup"])
    expected = [(text_digest(text), signature(text, near)) for text in texts]
    cache = RecordCache(tmp_path)
    digests, memo = cache.exact_digest_memo(STEPS, RULES), cache.signature_memo(STEPS, RULES)
    cache_module._text_key.cache_clear()
    assert [digests.digest(text) for text in texts] == [digest for digest, _ in expected]
    assert cache_module._text_key.cache_info().misses == len(texts)
    for text, (_, values) in zip(texts, expected, strict=True):
        assert (memo.signature(text, near) == values).all()
    info = cache_module._text_key.cache_info()
    assert (info.hits, info.misses) == (len(texts), len(texts))
    key = hashlib.blake2b(texts[0].encode("utf-8"), digest_size=16).digest()
    assert cache_module._text_key(texts[0]) == key


def test_a_text_read_from_an_entry_comes_with_its_memo_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A build reads an entry's texts with their memo keys made from the bytes read
    (the passes' memos then need not encode the texts again): the same keys as
    made from the texts, for any string (a lone surrogate too), and at most
    TEXT_KEYS_PENDING of them wait to be asked for."""
    texts = ["Plain text.", "Текст 贸易 😀", "lone \ud800 surrogate", "Plain text."]
    records = [Record(f"00{n}_0123456789abcdef", 0, text) for n, text in enumerate(texts)]
    key = "ab" * 32
    entry = encode_entry(key, (records, run_steps((), records, RULES)[1]))
    expected = [
        hashlib.blake2b(t.encode("utf-8", "surrogatepass"), digest_size=16).digest() for t in texts
    ]
    cache_module._text_key.cache_clear()
    cache_module._pending_text_keys.clear()
    decoded, *_ = cache_module._decode_raw(key, entry, (), text_keys=False)
    assert not cache_module._pending_text_keys  # only a build's reading makes them
    decoded, *_ = cache_module._decode_raw(key, entry, (), text_keys=True)
    assert [r.text for r in decoded] == texts
    assert set(cache_module._pending_text_keys) == set(texts)
    assert [cache_module._text_key(r.text) for r in decoded] == expected
    assert not cache_module._pending_text_keys  # taken when asked for
    cache_module._text_key.cache_clear()
    monkeypatch.setattr(cache_module, "TEXT_KEYS_PENDING", 2)
    cache_module._decode_raw(key, entry, (), text_keys=True)
    assert list(cache_module._pending_text_keys) == texts[2:]  # the oldest forgotten
    assert [cache_module._text_key(t) for t in texts] == expected


def test_a_cached_build_takes_near_duplicate_signatures_from_the_memo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "project", SOME_SEEDS)
    cache = RecordCache(tmp_path / "cache")
    plain = tree_digests(build(project, "plain", None))
    assert tree_digests(build(project, "cold", cache)) == plain
    computed: list[str] = []
    monkeypatch.setattr(
        "curation.cache.signature",
        lambda text, rules: computed.append(text) or signature(text, rules),
    )
    assert tree_digests(build(project, "warm", cache)) == plain
    assert computed == []  # every signature came from the memo


def make_settings_folders(records: Path, ages: list[float]) -> list[Path]:
    folders = []
    for number, age in enumerate(ages):
        folder = records / f"{number:064x}"
        (folder / "ab").mkdir(parents=True)
        (folder / cache_module.USED_MARK).touch()
        used = time.time() - age
        os.utime(folder / cache_module.USED_MARK, (used, used))
        folders.append(folder)
    return folders


def test_settings_unused_for_a_while_are_removed_and_nothing_else(tmp_path: Path) -> None:
    hour = cache_module.STALE_TEMPORARY_SECONDS
    kept_count = cache_module.KEPT_SETTINGS
    # Ten folders last used hours ago, the last the most recently: the current one and
    # the KEPT_SETTINGS - 1 most recent of them stay.
    records = tmp_path / "a" / "records"
    old = make_settings_folders(records, [(12 - n) * hour for n in range(10)])
    (records / "notes").mkdir()  # not a settings folder: never removed
    current = RecordCache(tmp_path / "a").folder(STEPS, RULES)
    assert set(records.iterdir()) == {current, records / "notes", *old[-(kept_count - 1) :]}

    # Folders used in the last hour stay, however many: another run may be using them.
    records = tmp_path / "b" / "records"
    in_use = make_settings_folders(records, [60.0 + n for n in range(kept_count + 3)])
    current = RecordCache(tmp_path / "b").folder(STEPS, RULES)
    assert set(records.iterdir()) == {current, *in_use}


# ---------------------------------------------------------------------------
# The layout: packs of a batch, compacted by a build


def packs_of(cache_root: Path) -> dict[Path, int]:
    """Each pack under ``cache_root`` and how many entries it holds."""
    return {
        path: len(decode_index(path.read_bytes())[0])
        for path in sorted((cache_root / "records").glob(f"*/{cache_module.PACKS}/*.pack"))
    }


def test_a_build_keeps_its_entries_in_one_pack_per_batch_named_for_its_bytes(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path / "project", SOME_SEEDS)
    cache = RecordCache(tmp_path / "cache")
    plain = tree_digests(build(project, "plain", None))
    assert tree_digests(build(project, "cold", cache, batch_size=2)) == plain
    packs = packs_of(tmp_path / "cache")
    assert sorted(packs.values()) == [1, 2]  # three seeds in batches of two: two packs
    assert all(path.name == pack_name(path.read_bytes()) for path in packs)
    files = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    kept = [p for p in files if p.parent.name == cache_module.KEPT_PARQUET]
    # The Parquet files of the build, with their rows, and their list (KeptParquet).
    languages = {p.parent.name for p in (project / "cold" / "data").glob("*/*.parquet")}
    assert len(kept) == 2 * len(languages) + 1
    # Not a file per document: the packs, two memos and a mark.
    assert len(files) - len(kept) < 10

    change_seed(project / "seeds", "002_ddf420c53e7c56f6")
    again = RecordCache(tmp_path / "cache")
    changed = tree_digests(build(project, "changed", again, batch_size=2))
    assert changed == tree_digests(build(project, "changed-plain", None))
    assert (again.stats.hits, again.stats.misses) == (2, 1)
    new = {path: count for path, count in packs_of(tmp_path / "cache").items() if path not in packs}
    assert list(new.values()) == [1]  # the changed seed's entry, in a pack of its own


def test_a_build_compacts_many_packs_into_few_and_keeps_its_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "EXTRA_PACKS", 0)
    monkeypatch.setattr(cache_module, "ENTRIES_PER_PACK", 2)
    project = make_project(tmp_path / "project", SOME_SEEDS)
    plain = tree_digests(build(project, "plain", None))
    # One pack per seed, and two with entries that no seed of the corpus has any more.
    cache = RecordCache(tmp_path / "cache")
    assert tree_digests(build(project, "cold", cache, batch_size=1)) == plain
    stale, other_stale = small_records()[:2]
    for record in (stale, other_stale):
        cache.put(
            cache.folder(PIPELINE, RULES), record_key(record), run_steps(PIPELINE, [record], RULES)
        )
    # Five packs, more than twice the two that the three used entries need.
    assert len(packs_of(tmp_path / "cache")) == 5
    before = packs_of(tmp_path / "cache")

    calls: list[str] = []
    monkeypatch.setattr(curation.build, "PIPELINE", counted(PIPELINE, calls))
    warm = RecordCache(tmp_path / "cache")
    assert tree_digests(build(project, "warm", warm)) == plain
    assert calls == [] and warm.stats.hits == 3
    after = packs_of(tmp_path / "cache")
    assert sorted(after.values()) == [1, 2]  # the three used entries, two to a pack
    assert sum(before.values()) == 5 and sum(after.values()) == 3  # the stale entries gone
    again = RecordCache(tmp_path / "cache")
    assert tree_digests(build(project, "again", again)) == plain
    assert calls == [] and again.stats.hits == 3 and again.stats.damaged == 0
    for record in (stale, other_stale):
        assert again.get(again.folder(PIPELINE, RULES), record_key(record), PIPELINE) is None


def test_the_same_entries_twice_are_read_once_and_compacted_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a compaction killed after it wrote its packs and before it removed the old."""
    monkeypatch.setattr(cache_module, "EXTRA_PACKS", 0)
    project = make_project(tmp_path / "project", SOME_SEEDS)
    plain = tree_digests(build(project, "plain", None))
    build(project, "cold", RecordCache(tmp_path / "cache"))
    (pack,) = packs_of(tmp_path / "cache")
    # The same entries in two more packs (other names: header lines a byte or two longer),
    # more than twice the one pack they need.
    for count in (b"03", b"003"):
        data = pack.read_bytes().replace(b"curation-pack 1 3 ", b"curation-pack 1 %s " % count, 1)
        (pack.parent / pack_name(data)).write_bytes(data)
    cache = RecordCache(tmp_path / "cache")
    assert tree_digests(build(project, "warm", cache)) == plain
    assert (cache.stats.hits, cache.stats.misses, cache.stats.damaged) == (3, 0, 0)
    assert list(packs_of(tmp_path / "cache").values()) == [3]  # compacted: once each


# ---------------------------------------------------------------------------
# Sidecars found valid, and dedup_exact's digests, remembered from the last build


def test_a_sidecar_found_valid_is_not_checked_against_the_schema_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "project", SOME_SEEDS)
    checked: list[str] = []
    real = seeds_module._schema_problems

    def counting(sidecar: object, validator: Any, where: str) -> list[Problem]:
        checked.append(Path(where).stem)
        return real(sidecar, validator, where)

    monkeypatch.setattr(seeds_module, "_schema_problems", counting)
    cache = RecordCache(tmp_path / "cache")
    plain = tree_digests(build(project, "plain", None))
    assert tree_digests(build(project, "cold", cache)) == plain
    assert len(checked) == 6  # no cache and an empty one: every sidecar checked
    checked.clear()
    assert tree_digests(build(project, "warm", cache)) == plain
    assert checked == []

    # A changed sidecar is checked, and refused if it is invalid.
    sidecar = project / "seeds" / "004_b57d5ccfbe06e458.json"
    value = json.loads(sidecar.read_text(encoding="utf-8"))
    sidecar.write_text(json.dumps({**value, "license": 7}), encoding="utf-8")
    with pytest.raises(InvalidInput, match="license"):
        build(project, "invalid", cache)
    assert checked == ["004_b57d5ccfbe06e458"]
    # Valid bytes under another seed's name still fail the id check.
    sidecar.write_text(json.dumps(value), encoding="utf-8")
    build(project, "valid-again", cache)
    other = project / "seeds" / "001_5039b5492d75b5b7.json"
    other.write_bytes(sidecar.read_bytes())
    with pytest.raises(InvalidInput, match="does not match the file name"):
        build(project, "renamed", cache)


def test_a_damaged_file_of_valid_sidecars_is_ignored_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = make_project(tmp_path / "project", SOME_SEEDS[:2])
    cache = RecordCache(tmp_path / "cache")
    build(project, "cold", cache)
    memo = cache.valid_sidecars()
    assert len([d for d in _sidecar_digests(project) if d in memo]) == 1
    memo.path.write_bytes(memo.path.read_bytes()[:-1])
    with caplog.at_level(logging.WARNING, logger="curation.cache"):
        damaged = RecordCache(tmp_path / "cache").valid_sidecars()
    assert "ignored damaged sidecar digests" in caplog.text
    assert not [d for d in _sidecar_digests(project) if d in damaged]


def _sidecar_digests(project: Path) -> list[str]:
    return [
        hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((project / "seeds").glob("*.json"))
    ]


def test_a_cached_build_takes_exact_dedup_digests_from_the_memo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "project", SOME_SEEDS)
    cache = RecordCache(tmp_path / "cache")
    plain = tree_digests(build(project, "plain", None))
    assert tree_digests(build(project, "cold", cache)) == plain
    computed: list[str] = []
    monkeypatch.setattr(
        "curation.cache.text_digest", lambda text: computed.append(text) or text_digest(text)
    )
    assert tree_digests(build(project, "warm", cache)) == plain
    assert computed == []  # every digest came from the memo
    change_seed(project / "seeds", "001_5039b5492d75b5b7")
    assert tree_digests(build(project, "changed", cache)) == tree_digests(
        build(project, "changed-plain", None)
    )
    assert len(computed) == 1  # the changed seed's text only


def test_a_cached_build_copies_the_files_of_languages_whose_rows_did_not_change(
    tmp_path: Path, groups_written: list[str]
) -> None:
    """The Parquet files of the last build are kept with the record cache and copied
    where a language's rows are the same (curation.publish.parquet, KeptFiles): only
    the language of a changed seed is written, and dist/ is the same bytes."""
    written = groups_written
    project = make_project(tmp_path / "project", SOME_SEEDS)
    cache = RecordCache(tmp_path / "cache")
    build(project, "cold", cache)
    languages = sorted(set(written))
    assert "en" in languages and "zh" in languages
    written.clear()
    assert tree_digests(build(project, "warm", cache)) == tree_digests(project / "cold")
    assert written == []

    change_seed(project / "seeds", "001_5039b5492d75b5b7")  # English
    changed = tree_digests(build(project, "changed", cache))
    assert written == ["en"]
    written.clear()
    assert changed == tree_digests(build(project, "changed-plain", None))
    assert written == languages  # without the cache, every file is written
    written.clear()
    assert tree_digests(build(project, "changed-warm", cache)) == changed
    assert written == []


# ---------------------------------------------------------------------------
# Seeds whose files were not written to since the last validation (KnownSeedMemo)


def remembered(project: Path, cache: RecordCache) -> list[str]:
    """The seeds of ``project`` whose files' stats now are those the memo holds."""
    memo = cache.known_seeds(project / "seeds", curation.build.has_site.__qualname__)
    found = []
    for text in sorted((project / "seeds").glob("*.txt")):
        stats = seeds_module.file_stats(text.stat(), text.with_suffix(".json").stat())
        if memo.find(text.stem, stats) is not None:
            found.append(text.stem)
    return found


def built_with_known_seeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, RecordCache, dict[str, str]]:
    """A project of SOME_SEEDS, built once with a record cache (its tree's digests).
    Its files were written just now: remembered anyway (see the racy test below)."""
    project = make_project(tmp_path / "project", SOME_SEEDS)
    monkeypatch.setattr(cache_module, "RACY_NANOSECONDS", 0)
    cache = RecordCache(tmp_path / "cache")
    return project, cache, tree_digests(build(project, "cold", cache))


@pytest.fixture
def seeds_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the seeds whose files validation reads."""
    read: list[str] = []
    real = seeds_module._read_seed_bytes

    def reading(seed: Seed, with_stats: bool = False) -> Any:
        read.append(seed.id)
        return real(seed, with_stats)

    monkeypatch.setattr(seeds_module, "_read_seed_bytes", reading)
    return read


def test_a_seed_whose_files_did_not_change_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeds_read: list[str]
) -> None:
    project = make_project(tmp_path / "project", SOME_SEEDS)
    # The files were written just now: remembered anyway (see the racy test below).
    monkeypatch.setattr(cache_module, "RACY_NANOSECONDS", 0)
    cache = RecordCache(tmp_path / "cache")
    plain = tree_digests(build(project, "plain", None))
    assert tree_digests(build(project, "cold", cache)) == plain
    assert len(set(seeds_read)) == 3  # no cache, then an empty one: every seed read
    seeds_read.clear()
    assert tree_digests(build(project, "warm", cache)) == plain
    assert seeds_read == []
    assert cache.stats.hits == 3

    change_seed(project / "seeds", "002_ddf420c53e7c56f6")
    changed = tree_digests(build(project, "changed", cache))
    assert set(seeds_read) == {"002_ddf420c53e7c56f6"}  # by validation, then to clean it
    assert changed == tree_digests(build(project, "changed-plain", None)) != plain


@pytest.mark.parametrize("changed", [False, True])
def test_a_rebuild_looks_at_known_seeds_in_its_own_thread_and_finds_what_the_reader_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeds_read: list[str], changed: bool
) -> None:
    """Validation of a folder the memo knows (nearly) all of stats its seeds in the
    calling thread (seeds._ReadHere); below KNOWN_SHARE, the reading thread does it.
    Both find the same seeds, digests, keys and stats, a changed seed read by both."""
    project, cache, _cold = built_with_known_seeds(tmp_path, monkeypatch)
    if changed:
        change_seed(project / "seeds", "002_ddf420c53e7c56f6")
    folder = project / "seeds"
    seeds_read.clear()  # by the first build
    made: list[str] = []
    for name in ("_ReadHere", "_ReadAhead"):
        real = getattr(seeds_module, name)
        monkeypatch.setattr(
            seeds_module, name, lambda *a, real=real, name=name: made.append(name) or real(*a)
        )

    def validated(share: float) -> tuple[object, ...]:
        monkeypatch.setattr(seeds_module, "KNOWN_SHARE", share)
        known = cache.known_seeds(folder, curation.build.has_site.__qualname__)
        assert known.remembered() == 3
        found = seeds_module.validate_seeds(
            folder, cache.valid_sidecars(), curation.build.has_site, None, known
        )
        fields = ("ids", "sidecar_sha256", "text_sha256", "text_size", "selected", "record_key")
        stats = found.stats.read(0, len(found.stats))
        return (*(list(getattr(found, name)) for name in fields), stats)

    here = validated(0.9)
    assert made == ["_ReadHere"]
    assert seeds_read == (["002_ddf420c53e7c56f6"] if changed else [])
    ahead = validated(1.01)  # 3 known of 3 seeds is less than 101 %
    assert made == ["_ReadHere", "_ReadAhead"]
    assert seeds_read == (["002_ddf420c53e7c56f6"] * 2 if changed else [])
    assert here == ahead
    assert all(here[-2]) and len(here[-1]) == 3 * seeds_module._STATS.size


def test_a_seed_rewritten_with_its_size_and_times_kept_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeds_read: list[str]
) -> None:
    """A text changed in place, one letter for another, its sidecar's sha256 updated,
    both files' modification times set back: the status-change time tells."""
    project, cache, _cold = built_with_known_seeds(tmp_path, monkeypatch)
    assert len(remembered(project, cache)) == 3
    text = project / "seeds" / "001_5039b5492d75b5b7.txt"
    sidecar_path = text.with_suffix(".json")
    times = {path: path.stat() for path in (text, sidecar_path)}
    data = text.read_bytes()
    at = data.index(b"e")
    data = data[:at] + b"a" + data[at + 1 :]
    text.write_bytes(data)
    sidecar = json.loads(sidecar_path.read_text(encoding="utf-8"))
    sidecar["sha256"] = hashlib.sha256(data).hexdigest()
    sidecar_path.write_text(json.dumps(sidecar, indent=2) + "\n", encoding="utf-8")
    for path, before in times.items():
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert (path.stat().st_size, path.stat().st_mtime_ns) == (
            before.st_size,
            before.st_mtime_ns,
        )
    seeds_read.clear()
    rebuilt = tree_digests(build(project, "rewritten", cache))
    assert set(seeds_read) == {"001_5039b5492d75b5b7"}
    assert rebuilt == tree_digests(build(project, "rewritten-plain", None))


def test_a_seed_written_just_before_validation_is_not_remembered(tmp_path: Path) -> None:
    """Two writes in one tick of the file system's clock leave the same stats: what
    validation read of a file written in the last RACY_NANOSECONDS is not kept."""
    project = make_project(tmp_path / "project", SOME_SEEDS)
    cache = RecordCache(tmp_path / "cache")
    build(project, "cold", cache)  # the files were written a moment ago
    assert remembered(project, cache) == []


def test_a_damaged_file_of_known_seeds_is_ignored_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    project, cache, plain = built_with_known_seeds(tmp_path, monkeypatch)
    memo = cache.known_seeds(project / "seeds", curation.build.has_site.__qualname__)
    data = memo.path.read_bytes()
    # Cut short; an id changed; entries cut short under a checksum that holds.
    _count, body = cache_module._checked_body(cache_module.KNOWN_SEEDS_MAGIC, data)
    resummed = tmp_path / "resummed"
    with resummed.open("wb") as out:
        cache_module._checked_file(cache_module.KNOWN_SEEDS_MAGIC, 3, [body[:-5]])(out)
    for damaged in (data[:-1], data.replace(b"001_5039", b"009_5039"), resummed.read_bytes()):
        memo.path.write_bytes(damaged)
        with caplog.at_level(logging.WARNING, logger="curation.cache"):
            assert remembered(project, RecordCache(tmp_path / "cache")) == []
        assert "ignored damaged known seeds" in caplog.text
        caplog.clear()
        assert tree_digests(build(project, f"after-{len(damaged)}", cache)) == plain
        assert len(remembered(project, cache)) == 3  # written again


def test_a_seed_changed_after_validation_leaves_no_entry_under_its_validated_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A seed to be cleaned is read again after validation: if its bytes are no longer
    those validated, the build stops before anything is stored under the key made
    from the validated ones (which the same bytes, put back, would find)."""
    project = make_project(tmp_path / "project", SOME_SEEDS)
    seeds_dir = project / "seeds"
    cache = RecordCache(tmp_path / "cache")
    build(project, "cold", cache)
    change_seed(seeds_dir, "002_ddf420c53e7c56f6")  # bytes A, never built
    validated = {p.name: p.read_bytes() for p in seeds_dir.glob("002_*")}
    real = curation.build.validate_seeds

    def validate_then_change(*args: Any) -> Any:
        seeds = real(*args)
        change_seed(seeds_dir, "002_ddf420c53e7c56f6")  # bytes B
        return seeds

    monkeypatch.setattr(curation.build, "validate_seeds", validate_then_change)
    with pytest.raises(InvalidInput, match="the seed changed during the build"):
        build(project, "changed-during", cache)
    monkeypatch.setattr(curation.build, "validate_seeds", real)
    for name, data in validated.items():  # bytes A again
        (seeds_dir / name).write_bytes(data)
    assert tree_digests(build(project, "a-again", cache)) == tree_digests(
        build(project, "a-plain", None)
    )


def test_a_new_seed_with_the_bytes_of_a_known_one_is_refused_as_a_duplicate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeds_read: list[str]
) -> None:
    """The duplicate check holds for a seed validation takes from the memo (not read)."""
    project, cache, _cold = built_with_known_seeds(tmp_path, monkeypatch)
    seeds_dir = project / "seeds"
    known = seeds_dir / "004_b57d5ccfbe06e458.txt"
    copy_id = "000_" + known.stem.split("_")[1]  # sorts first: read before the known one
    (seeds_dir / f"{copy_id}.txt").write_bytes(known.read_bytes())
    sidecar = json.loads(known.with_suffix(".json").read_text(encoding="utf-8"))
    (seeds_dir / f"{copy_id}.json").write_text(
        json.dumps({**sidecar, "id": copy_id}), encoding="utf-8"
    )
    seeds_read.clear()
    with pytest.raises(InvalidInput, match="duplicate seed"):
        build(project, "duplicated", cache)
    assert "004_b57d5ccfbe06e458" not in seeds_read  # known: taken from the memo


@needs_fork
def test_a_rebuild_looks_for_garbage_less_often_and_puts_the_collector_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild from the record cache raises the collector's young-object threshold
    (curation.build.REBUILD_YOUNG_OBJECTS) while it runs; a first build keeps the
    default (its workers are forked with it); both leave it as they found it."""
    project = make_project(tmp_path / "project", SOME_SEEDS)
    cache = RecordCache(tmp_path / "cache")
    seen: list[int] = []
    real_write = curation.build.ParquetShards.write

    def write(self: Any, batch: Any) -> None:
        seen.append(gc.get_threshold()[0])
        real_write(self, batch)

    monkeypatch.setattr(curation.build.ParquetShards, "write", write)
    before = gc.get_threshold()
    build(project, "cold", cache, jobs=2)
    assert set(seen) == {before[0]} and gc.get_threshold() == before
    seen.clear()
    change_seed(project / "seeds", "002_ddf420c53e7c56f6")
    build(project, "warm", cache, jobs=2)
    assert set(seen) == {curation.build.REBUILD_YOUNG_OBJECTS}
    assert gc.get_threshold() == before
