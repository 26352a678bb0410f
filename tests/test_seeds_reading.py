"""Reading seeds for a pass that needs only some of them (iter_seed_batches' ``wanted``)."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

from curation import seeds as seeds_module
from curation.corpus import StripRecurringLines
from curation.corpus.recurring_lines import site_of
from curation.errors import InvalidInput
from curation.rules import load_rules
from curation.seeds import iter_seed_batches, validate_seeds

ROOT = Path(__file__).resolve().parent.parent


def has_site(declared: object) -> bool:
    return isinstance(declared, dict) and site_of(declared) is not None


def test_wanted_yields_exactly_the_wanted_records_of_a_full_read() -> None:
    seeds = validate_seeds(ROOT / "seeds")
    full = [record for batch in iter_seed_batches(seeds, 3) for record in batch]
    sited = [record for batch in iter_seed_batches(seeds, 3, has_site) for record in batch]
    assert 0 < len(sited) < len(full)  # the repository's seeds have some of each
    assert sited == [record for record in full if site_of(record.declared) is not None]


def test_a_selection_made_at_validation_reads_no_sidecar_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seeds = validate_seeds(ROOT / "seeds", select=has_site)
    full = [record for batch in iter_seed_batches(seeds, 3) for record in batch]
    assert [seed.selected for seed in seeds] == [site_of(r.declared) is not None for r in full]

    def read_again(seed: object, wanted: object) -> bool:
        raise AssertionError("a sidecar read again to select its seed")

    monkeypatch.setattr(seeds_module, "_wanted", read_again)
    sited = [record for batch in iter_seed_batches(seeds, 3, has_site) for record in batch]
    assert sited == [record for record in full if site_of(record.declared) is not None]
    unasked = validate_seeds(ROOT / "seeds")  # not asked at validation: asked while reading
    assert {seed.selected for seed in unasked} == {None}
    with pytest.raises(AssertionError, match="read again"):
        list(iter_seed_batches(unasked, 3, has_site))


def test_recurring_lines_counted_on_the_seeds_with_a_site_are_the_full_counts() -> None:
    rules = load_rules()
    seeds = validate_seeds(ROOT / "seeds")
    every = StripRecurringLines(rules["recurring_lines"], rules["boilerplate"])
    every.count_corpus(iter_seed_batches(seeds, 4))
    sited = StripRecurringLines(rules["recurring_lines"], rules["boilerplate"])
    sited.count_corpus(iter_seed_batches(seeds, 4, has_site))
    records = [record for batch in iter_seed_batches(seeds, 4) for record in batch]
    assert [every.strip(r) for r in records] == [sited.strip(r) for r in records]
    for record in records:
        site = site_of(record.declared)
        if site is not None:
            assert every.site_seeds(site) == sited.site_seeds(site) > 0


def test_a_sidecar_broken_after_validation_is_still_reported(tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", folder)
    seeds = validate_seeds(folder)
    seeds[0].sidecar_path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInput):
        list(iter_seed_batches(seeds, 4, has_site))


class CountingValidator:
    """The sidecar schema's validator, counting the sidecars it checks."""

    def __init__(self) -> None:
        from curation.seeds import sidecar_validator

        self.inner = sidecar_validator()
        self.checked = 0
        # Not the schema the fast check knows (seeds._surely_valid): every sidecar
        # checked goes to iter_errors, which counts it.
        self.schema: object = None

    def iter_errors(self, instance: object) -> object:
        self.checked += 1
        return self.inner.iter_errors(instance)


def test_a_sidecar_validated_once_is_not_checked_against_the_schema_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """validate_seeds checks every sidecar; reading the seeds afterwards checks none of
    the same bytes again (the schema check was most of a cached rebuild's time)."""
    from curation import seeds as seeds_module

    counting = CountingValidator()
    monkeypatch.setattr(seeds_module, "_sidecar_validator", lambda: counting)
    seeds = validate_seeds(ROOT / "seeds")
    assert counting.checked == len(seeds) > 0
    records = [record for batch in iter_seed_batches(seeds, 2) for record in batch]
    assert len(records) == len(seeds)
    assert counting.checked == len(seeds)
    assert all(len(seed.sidecar_sha256) == 64 for seed in seeds)


@pytest.mark.parametrize(
    ("field", "value"),
    [("license", 7), ("title", "Nice\u202etxt.exe"), ("id", "999_0000000000000000")],
)
def test_a_sidecar_changed_after_validation_is_checked_again(
    tmp_path: Path, field: str, value: object
) -> None:
    """Valid JSON, but no longer a valid sidecar: the bytes differ from those validated,
    so the schema, the value and the id checks run again and the read refuses it."""
    import json

    folder = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", folder)
    seeds = validate_seeds(folder)
    sidecar = json.loads(seeds[0].sidecar_path.read_text(encoding="utf-8"))
    sidecar[field] = value
    seeds[0].sidecar_path.write_text(json.dumps(sidecar), encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        list(iter_seed_batches(seeds, 4))
    assert str(seeds[0].sidecar_path) in str(refused.value)


def test_files_are_read_ahead_in_another_thread_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each item comes with what was read of it, in order, across chunks; the reading
    is done by another thread (reading and hashing release the GIL)."""
    monkeypatch.setattr(seeds_module, "READ_AHEAD_SEEDS", 3)
    readers: set[int] = set()

    def read(item: int) -> int:
        readers.add(threading.get_ident())
        return item * item

    got = list(seeds_module._read_ahead(list(range(10)), read))
    assert got == [(item, item * item) for item in range(10)]
    assert readers and threading.get_ident() not in readers
    assert not [t for t in threading.enumerate() if t.name.startswith("curation-read-ahead")]


def test_an_error_reading_ahead_is_raised_at_its_item(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if each item were read at its turn: the items before it come first."""
    monkeypatch.setattr(seeds_module, "READ_AHEAD_SEEDS", 3)

    def read(item: int) -> int:
        if item == 7:
            raise FileNotFoundError(f"item {item}")
        return item

    got: list[int] = []
    with pytest.raises(FileNotFoundError, match="item 7"):
        for item, _ in seeds_module._read_ahead(list(range(10)), read):
            got.append(item)
    assert got == list(range(7))


def test_validation_reads_every_seed_ahead_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """validate_seeds takes each seed's bytes from the read-ahead (read once, not again
    by its checks), and finds the same seeds and digests as reading each in turn."""
    monkeypatch.setattr(seeds_module, "READ_AHEAD_SEEDS", 2)
    seeds_dir = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds_dir)
    read: list[str] = []
    real = seeds_module._read_seed_bytes

    def counted(seed: seeds_module.Seed) -> seeds_module._SeedBytes:
        read.append(seed.id)
        return real(seed)

    monkeypatch.setattr(seeds_module, "_read_seed_bytes", counted)
    found = validate_seeds(seeds_dir)
    assert read == list(found.ids)
    for seed in found:
        text, _sidecar, digest, problems = seeds_module.load_seed(
            seed, seeds_module.sidecar_validator()
        )
        assert not problems and text is not None
        assert (digest, seed.text_size) == (seed.text_sha256, len(text.encode("utf-8")))


def test_a_seed_read_ahead_is_the_one_given_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """A SeedList makes a new Seed each time it is indexed: the caller gets the very
    Seed the thread read (its paths' strings already made), not another one."""
    monkeypatch.setattr(seeds_module, "READ_AHEAD_SEEDS", 2)
    found = validate_seeds(ROOT / "seeds")
    read: list[seeds_module.Seed] = []

    def remember(seed: seeds_module.Seed) -> str:
        read.append(seed)
        return seed.id

    given = list(seeds_module._read_ahead(found, remember))
    assert [seed_id for _, seed_id in given] == list(found.ids)
    assert all(seed is taken for (seed, _), taken in zip(given, read, strict=True))


def test_the_read_ahead_is_idle_before_validation_hands_a_changed_seed_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``changed`` may fork the build's workers: the thread reads nothing meanwhile
    (everything handed to it is read before ``changed`` is called)."""
    monkeypatch.setattr(seeds_module, "READ_AHEAD_SEEDS", 2)
    events: list[str] = []
    real_wait = seeds_module._ReadAhead.wait

    def recorded_wait(self: seeds_module._ReadAhead[Any, Any]) -> None:
        real_wait(self)
        assert all(future.done() for future in self._pending)
        events.append("idle")

    monkeypatch.setattr(seeds_module._ReadAhead, "wait", recorded_wait)
    known: set[str] = set()

    class Known:
        def __contains__(self, digest: object) -> bool:
            return False  # every sidecar new: every seed handed on

        def add(self, digest: str) -> None:
            known.add(digest)

    found = validate_seeds(
        ROOT / "seeds", Known(), changed=lambda record: events.append(record.seed_id)
    )
    assert events == [item for seed_id in found.ids for item in ("idle", seed_id)]
    assert len(known) == len(found)


@pytest.mark.parametrize("size", [0, 1, 4095, 65536, 65537, 300_000, seeds_module.MAX_SEED_BYTES])
def test_a_seed_s_files_are_read_whole(size: int, tmp_path: Path) -> None:
    """_read_seed_bytes reads each file through one descriptor: every byte, and the
    text's sha256, whatever the size up to the limit."""
    text = tmp_path / "001_0123456789abcdef.txt"
    sidecar = text.with_suffix(".json")
    text.write_bytes(bytes(range(256)) * (size // 256) + b"x" * (size % 256))
    sidecar.write_bytes(b'{"id": "001_0123456789abcdef"}' * (size // 1000 + 1))
    seed = seeds_module.Seed(text.stem, text, sidecar)
    files = seeds_module._read_seed_bytes(seed)
    assert files.text == text.read_bytes() and files.text_size == size
    assert files.text_sha256 == hashlib.sha256(text.read_bytes()).hexdigest()
    assert files.sidecar == sidecar.read_bytes()


def test_a_seed_over_the_limit_is_not_read(tmp_path: Path) -> None:
    text = tmp_path / "001_0123456789abcdef.txt"
    text.write_bytes(b"a" * (seeds_module.MAX_SEED_BYTES + 1))
    text.with_suffix(".json").write_bytes(b"{}")
    seed = seeds_module.Seed(text.stem, text, text.with_suffix(".json"))
    files = seeds_module._read_seed_bytes(seed)
    assert (files.text, files.text_sha256, files.text_size) == (None, "", text.stat().st_size)
    assert files.sidecar == b"{}"


def test_a_seed_that_grew_since_its_size_was_taken_is_read_to_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size a file had when it was opened decides one read; a file that has more
    bytes by then is read on to its end, as Path.read_bytes reads it."""
    text = tmp_path / "001_0123456789abcdef.txt"
    text.write_bytes(b"t" * 200_000)
    text.with_suffix(".json").write_bytes(b"{" + b" " * 70_000 + b"}")
    real_fstat = os.fstat

    def smaller(fd: int) -> Any:
        found = real_fstat(fd)
        return type("Stat", (), {"st_size": found.st_size // 3})()

    monkeypatch.setattr(seeds_module.os, "fstat", smaller)
    seed = seeds_module.Seed(text.stem, text, text.with_suffix(".json"))
    files = seeds_module._read_seed_bytes(seed)
    assert files.text == text.read_bytes()
    assert files.sidecar == text.with_suffix(".json").read_bytes()


def test_the_second_read_of_a_sidecar_is_its_bytes(tmp_path: Path) -> None:
    """What iter_unread_seed_batches reads of a sidecar again: every byte of it."""
    text = tmp_path / "001_0123456789abcdef.txt"
    for size in (0, 2, 70_000):
        text.with_suffix(".json").write_bytes(b"{" + b" " * size + b"}")
        seed = seeds_module.Seed(text.stem, text, text.with_suffix(".json"))
        assert seeds_module._read_sidecar_bytes(seed) == text.with_suffix(".json").read_bytes()
