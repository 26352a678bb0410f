"""The Parquet writer: row groups cut by bytes, the same whatever the batching."""

from __future__ import annotations

import hashlib
import json
import random
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from curation import cache as cache_module
from curation.cache import KeptParquet, RecordCache
from curation.publish import parquet
from curation.publish.parquet import ParquetShards, canonical_json
from curation.record import Edit, Record, Warning_
from curation.rules import load_rules
from curation.schema import arrow_schema, record_row
from curation.steps import PIPELINE

RULES = load_rules()


def corpus(count: int) -> list[Record]:
    """Records of uneven length in two languages, in id order."""
    rng = random.Random(7)
    words = ["trade", "grew", "by", "a", "third", "торговля", "выросла", "贸易", "增长"]
    return [
        Record(
            f"{number:03d}_{number:016x}",
            0,
            " ".join(rng.choice(words) for _ in range(rng.randint(5, 400))),
            language=("en", "ru")[number % 3 == 0],
        )
        for number in range(count)
    ]


def write(root: Path, records: Sequence[Record], batch: int) -> dict[str, list[Path]]:
    shards = ParquetShards(root, {"curation": "{}"})
    for start in range(0, len(records), batch):
        shards.write(records[start : start + batch])
    return shards.close()


def file_digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.parquet"))
    }


def row_bytes(row: dict[str, object]) -> int:
    return len(canonical_json(row).encode("utf-8")) + 1


@pytest.fixture
def small_groups(monkeypatch: pytest.MonkeyPatch) -> int:
    """Row groups of 20 KB and chunks of 4 rows, so that 300 short records make many;
    compressed blocks of 3 KB, so that a row group's rows wait in several."""
    monkeypatch.setattr(parquet, "BYTES_PER_ROW_GROUP", 20_000)
    monkeypatch.setattr(parquet, "ROWS_PER_CHUNK", 4)
    monkeypatch.setattr(parquet, "BUFFER_BLOCK_BYTES", 3_000)
    return 20_000


def test_row_groups_are_cut_by_bytes(small_groups: int, tmp_path: Path) -> None:
    records = corpus(300)
    paths = write(tmp_path, records, batch=256)
    for language, files in paths.items():
        expected = [record_row(r) for r in records if r.language == language]
        file = pq.ParquetFile(files[0])
        assert len(files) == 1 and file.metadata.num_rows == len(expected)
        assert file.metadata.num_row_groups > 3
        first = 0
        for index in range(file.metadata.num_row_groups):
            group = file.read_row_group(index).to_pylist()
            assert group == expected[first : first + len(group)]
            first += len(group)
            sizes = [row_bytes(row) for row in group]
            # Cut at the first row that reaches the limit, not before (the last group
            # holds what is left), not after.
            assert small_groups > sum(sizes[:-1])
            if index < file.metadata.num_row_groups - 1:
                assert sum(sizes) >= small_groups


def test_row_groups_do_not_depend_on_the_batching(small_groups: int, tmp_path: Path) -> None:
    records = corpus(300)
    write(tmp_path / "one", records, batch=len(records))
    for batch in (1, 7, 256):
        write(tmp_path / f"by{batch}", records, batch=batch)
        assert file_digests(tmp_path / f"by{batch}") == file_digests(tmp_path / "one")


def test_a_row_group_never_crosses_a_shard(
    small_groups: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(parquet, "ROWS_PER_SHARD", 30)
    records = corpus(300)
    paths = write(tmp_path, records, batch=13)
    english = [record_row(r) for r in records if r.language == "en"]
    assert [p.name for p in paths["en"]] == [
        f"train-{i:05d}-of-{len(paths['en']):05d}.parquet" for i in range(len(paths["en"]))
    ]
    rows = [row for path in paths["en"] for row in pq.read_table(path).to_pylist()]
    assert rows == english
    assert [pq.ParquetFile(p).metadata.num_rows for p in paths["en"]][:-1] == [30] * (
        len(english) // 30
    )


def test_rows_wait_for_their_row_group_compressed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Held until their row group is written, rows take a fraction of their JSON: all
    but the last block's, which waits whole (BUFFER_BLOCK_BYTES) before it is compressed."""
    monkeypatch.setattr(parquet, "BUFFER_BLOCK_BYTES", 4_000)
    shards = ParquetShards(tmp_path, {"curation": json.dumps({})})
    records = corpus(300)
    shards.write(records)
    shards._wait_for_writer()  # the blocks are compressed in the writing thread
    buffers = shards._buffers.values()
    assert all(b.lines_bytes < 4_000 for b in buffers)
    held = sum(len(block) for b in buffers for block, _ in b.blocks)
    held += sum(b.lines_bytes for b in buffers)
    json_bytes = sum(b.json_bytes for b in buffers)
    assert json_bytes == sum(row_bytes(record_row(r)) for r in records)
    assert held < json_bytes / 3
    paths = shards.close()
    assert [row for path in paths["en"] for row in pq.read_table(path).to_pylist()] == [
        record_row(r) for r in records if r.language == "en"
    ]


def test_json_rows_become_the_arrays_from_pylist_makes() -> None:
    # Awkward values: empty and absent strings, escapes, controls, astral and CJK
    # characters, floats that print long, empty and nested lists.
    awkward = Record(
        "900_0000000000000900",
        3,
        'Quote " back\\slash \t tab \x00 nul \x1f \N{LINE SEPARATOR} 😀 贸易',
        title="",
        language="zh",
        language_score=0.1 + 0.2,
        date="2024-01-02",
        provenance=(
            Edit("normalize_unicode_v2", "rule", 0, 1, "\r\n", "\n"),
            Edit("repair_layout_v2", "unwrap_line", 5, 6, "\n", " "),
        ),
        warnings=(Warning_("identify_language_v2", "code", "a message"),),
    )
    rows = [record_row(record) for record in [*corpus(40), awkward]]
    schema = arrow_schema()
    expected = pa.Table.from_batches([pa.RecordBatch.from_pylist(rows, schema=schema)])
    made = parquet.rows_to_arrow([canonical_json(row).encode("utf-8") for row in rows], schema)
    assert made.combine_chunks().equals(expected.combine_chunks())
    assert made.schema.equals(schema, check_metadata=True)


def test_row_groups_are_written_in_a_thread_of_their_own(
    small_groups: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The caller goes on with its next batches while blocks are compressed and row
    groups made and written (compressing, reading into Arrow and compressing pages
    release the GIL), with at most WRITER_JOBS jobs waiting; the files are the same as
    written one after the other (test_row_groups_do_not_depend_on_the_batching)."""
    writers: set[int] = set()
    write_group = ParquetShards._write_group

    def recorded(self: ParquetShards, *args: Any) -> None:
        writers.add(threading.get_ident())
        write_group(self, *args)

    compressors: set[int] = set()
    add_block = parquet._Buffer.add_block

    def recorded_block(self: parquet._Buffer, lines: list[bytes]) -> None:
        compressors.add(threading.get_ident())
        add_block(self, lines)

    waiting: list[int] = []
    in_writer = ParquetShards._in_writer

    def counted(self: ParquetShards, *args: Any, **kwargs: Any) -> None:
        in_writer(self, *args, **kwargs)
        waiting.append(len(self._jobs))

    monkeypatch.setattr(ParquetShards, "_write_group", recorded)
    monkeypatch.setattr(parquet._Buffer, "add_block", recorded_block)
    monkeypatch.setattr(ParquetShards, "_in_writer", counted)
    records = corpus(300)
    paths = write(tmp_path, records, batch=20)
    assert writers and threading.get_ident() not in writers
    assert compressors and threading.get_ident() not in compressors
    assert len(waiting) > parquet.WRITER_JOBS and max(waiting) <= parquet.WRITER_JOBS
    assert [row for path in paths["en"] for row in pq.read_table(path).to_pylist()] == [
        record_row(r) for r in records if r.language == "en"
    ]
    assert not [t for t in threading.enumerate() if t.name.startswith("curation-parquet")]


def test_the_last_row_groups_of_the_languages_are_written_at_once(
    small_groups: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """At close, each language's last row group is written in a thread of its own,
    CLOSING_WRITERS at a time: both languages' are in progress together (the barrier
    lets neither finish alone), and the files are those written one after the other."""
    monkeypatch.setattr(parquet, "CLOSING_WRITERS", 1)
    records = corpus(299)  # rows of both languages wait for their last row group
    write(tmp_path / "one-at-a-time", records, batch=20)
    expected = file_digests(tmp_path / "one-at-a-time")

    monkeypatch.setattr(parquet, "CLOSING_WRITERS", 2)
    together = threading.Barrier(2, timeout=60)  # a bound against a hang, not a timing
    last: list[str] = []
    write_group = ParquetShards._write_group

    def meeting(self: ParquetShards, language: str, *args: Any) -> None:
        if threading.current_thread().name.startswith("curation-parquet-last"):
            last.append(language)
            together.wait()
        write_group(self, language, *args)

    monkeypatch.setattr(ParquetShards, "_write_group", meeting)
    write(tmp_path / "together", records, batch=20)
    assert sorted(last) == ["en", "ru"]
    assert file_digests(tmp_path / "together") == expected
    assert not [t for t in threading.enumerate() if t.name.startswith("curation-parquet")]


def test_an_error_writing_a_row_group_is_raised_to_the_caller(
    small_groups: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def fail(self: ParquetShards, *args: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(ParquetShards, "_write_group", fail)
    shards = ParquetShards(tmp_path, {"curation": "{}"})
    with pytest.raises(OSError, match="disk full"):
        for record in corpus(300):  # a row group every 20 KB: the second flush raises
            shards.write([record])
        shards.close()
    shards.abandon()  # as a failed build does
    assert not [t for t in threading.enumerate() if t.name.startswith("curation-parquet")]


def test_abandon_waits_for_the_row_group_being_written(
    small_groups: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A failed build abandons the writer before its staging folder is removed: once
    abandon returns, no row group is being written and every file is closed."""
    written: list[str] = []
    write_group = ParquetShards._write_group

    def recorded(self: ParquetShards, language: str, *args: Any) -> None:
        write_group(self, language, *args)
        written.append(language)

    monkeypatch.setattr(ParquetShards, "_write_group", recorded)
    shards = ParquetShards(tmp_path, {"curation": "{}"})
    shards.write(corpus(100))
    flushed = sum(1 for _ in written)  # may still be writing the last one
    shards.abandon()
    assert len(written) >= flushed and written
    assert not shards._open and shards._writer is None
    assert not [t for t in threading.enumerate() if t.name.startswith("curation-parquet")]


# ---------------------------------------------------------------------------
# Files kept from the last build (KeptFiles): copied where a language's rows are the
# same, written where they are not, and the same bytes either way.


def kept_store(tmp_path: Path) -> KeptParquet:
    return RecordCache(tmp_path / "cache").kept_parquet(PIPELINE, RULES)


def write_kept(
    root: Path, records: Sequence[Record], kept: KeptParquet | None, batch: int = 13
) -> dict[str, list[Path]]:
    """What a build with the record cache does: write with the kept files, keep the new."""
    shards = ParquetShards(root, {"curation": "{}"}, kept=kept)
    for start in range(0, len(records), batch):
        shards.write(records[start : start + batch])
    paths = shards.close()
    shards.keep()
    return paths


def edited(records: list[Record], edit: str, where: int) -> list[Record]:
    """``records`` with one English record changed (``retype``: to a text of the same
    length), added or removed at ``where``."""
    english = [i for i, r in enumerate(records) if r.language == "en"]
    at = english[where]
    records = list(records)
    if edit == "change":
        records[at] = records[at].replace(text=records[at].text + " changed")
    elif edit == "retype":  # the same length, the row's bytes as many
        text = records[at].text
        records[at] = records[at].replace(text=("b" if text[0] != "b" else "c") + text[1:])
    elif edit == "add":
        records.insert(at, records[at].replace(seed_id="999_" + records[at].seed_id[4:]))
    else:
        del records[at]
    return records


def test_a_language_whose_rows_are_the_same_is_copied_and_the_others_written(
    small_groups: int, tmp_path: Path, groups_written: list[str]
) -> None:
    records = corpus(300)
    kept = kept_store(tmp_path)
    write_kept(tmp_path / "first", records, kept)
    assert sorted(set(groups_written)) == ["en", "ru"]  # nothing kept yet: all written

    groups_written.clear()
    write_kept(tmp_path / "same", records, kept)
    assert groups_written == []  # every file copied
    assert file_digests(tmp_path / "same") == file_digests(tmp_path / "first")

    groups_written.clear()
    changed = edited(records, "change", 40)
    write_kept(tmp_path / "changed", changed, kept)
    assert set(groups_written) == {"en"}
    write(tmp_path / "plain", changed, batch=7)
    assert file_digests(tmp_path / "changed") == file_digests(tmp_path / "plain")


@pytest.mark.parametrize("edit", ["change", "retype", "add", "remove"])
@pytest.mark.parametrize("where", [0, 17, 45, -1])
def test_a_kept_file_is_never_stale(
    edit: str, where: int, small_groups: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Any row changed, added or removed, first, within or after a full file, or last:
    the files are those written without kept files, and the next build reuses them."""
    monkeypatch.setattr(parquet, "ROWS_PER_SHARD", 30)  # several files a language
    records = corpus(300)
    kept = kept_store(tmp_path)
    write_kept(tmp_path / "first", records, kept)
    changed = edited(records, edit, where)
    paths = write_kept(tmp_path / "changed", changed, kept)
    write(tmp_path / "plain", changed, batch=5)
    assert file_digests(tmp_path / "changed") == file_digests(tmp_path / "plain")
    assert len(paths["en"]) > 2
    assert [row for path in paths["en"] for row in pq.read_table(path).to_pylist()] == [
        record_row(r) for r in changed if r.language == "en"
    ]
    # What was kept is this build's: the same rows again copy every file.
    again = write_kept(tmp_path / "again", changed, kept)
    assert file_digests(tmp_path / "again") == file_digests(tmp_path / "plain")
    assert {language: len(files) for language, files in again.items()} == {
        language: len(files) for language, files in paths.items()
    }


def test_rows_added_after_a_language_whose_last_file_is_full_start_a_new_file(
    small_groups: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(parquet, "ROWS_PER_SHARD", 30)
    records = corpus(300)
    english = [r for r in records if r.language == "en"]
    kept = kept_store(tmp_path)
    write_kept(tmp_path / "first", english[:60], kept)  # two full files
    for count in (60, 61, 59, 90):
        write_kept(tmp_path / f"kept{count}", english[:count], kept)
        write(tmp_path / f"plain{count}", english[:count], batch=9)
        assert file_digests(tmp_path / f"kept{count}") == file_digests(tmp_path / f"plain{count}")


def test_a_damaged_kept_file_is_written_again(
    small_groups: int, tmp_path: Path, groups_written: list[str]
) -> None:
    records = corpus(300)
    kept = kept_store(tmp_path)
    write_kept(tmp_path / "first", records, kept)
    expected = file_digests(tmp_path / "first")
    stored = sorted(kept.folder.glob("*.parquet"))
    assert len(stored) == 2
    for path in stored:  # a byte changed in each file the cache kept
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 1
        path.write_bytes(bytes(data))
    groups_written.clear()
    write_kept(tmp_path / "second", records, kept)
    assert set(groups_written) == {"en", "ru"}
    assert file_digests(tmp_path / "second") == expected
    for path in sorted(kept.folder.glob("*.rows")):  # and now a byte of their rows
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 1
        path.write_bytes(bytes(data))
    groups_written.clear()
    write_kept(tmp_path / "third", records, kept)
    assert set(groups_written) == {"en", "ru"}
    assert file_digests(tmp_path / "third") == expected


def test_files_kept_by_other_writer_settings_are_not_used(
    small_groups: int, tmp_path: Path, groups_written: list[str]
) -> None:
    records = corpus(100)
    kept = kept_store(tmp_path)
    write_kept(tmp_path / "first", records, kept)
    groups_written.clear()
    shards = ParquetShards(tmp_path / "other", {"curation": '{"dataset_version":"9"}'}, kept=kept)
    shards.write(records)
    shards.close()
    assert set(groups_written) == {"en", "ru"}
    assert shards.key != ParquetShards(tmp_path / "x", {"curation": "{}"}).key


def test_kept_rows_read_back_otherwise_stop_the_writer(
    small_groups: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The rows of a kept file matched so far are read again when a later row differs:
    if they are not the rows that matched (the cache changed meanwhile), nothing is
    written from them."""
    records = corpus(300)
    kept = kept_store(tmp_path)
    write_kept(tmp_path / "first", records, kept)
    shards = ParquetShards(tmp_path / "second", {"curation": "{}"}, kept=kept)
    changed = edited(records, "change", -1)
    shards.write(changed[:100])  # rows that match, read once
    assert set(shards._following) == {"en", "ru"}
    file_type = type(shards._following["en"].file)
    monkeypatch.setattr(file_type, "lines", lambda file: iter([b'{"other":1}'] * file.rows))
    with pytest.raises(parquet.KeptFileChanged, match="could not be read again"):
        shards.write(changed[100:])
    shards.abandon()
    assert not list(kept.settings.glob("tmp/curation-rows-*"))  # the new rows files removed


def test_a_kept_file_whose_blocks_hold_other_than_its_listed_rows_is_not_copied(
    small_groups: int, tmp_path: Path, groups_written: list[str]
) -> None:
    """The kept list says how many rows each file has; a file is copied only if the
    rows matched in its blocks are that many (a list that says otherwise is not taken
    at its word: the file is written)."""
    records = corpus(300)
    kept = kept_store(tmp_path)
    write_kept(tmp_path / "first", records, kept)
    listed = kept.folder / cache_module.KEPT_LIST
    _count, body = cache_module._checked_body(cache_module.PARQUET_MAGIC, listed.read_bytes())
    value = json.loads(body)
    value["languages"]["ru"][0]["rows"] -= 1
    listed.unlink()
    with listed.open("wb") as out:
        cache_module._checked_file(
            cache_module.PARQUET_MAGIC, 1, [cache_module.canonical_bytes(value)]
        )(out)
    groups_written.clear()
    write_kept(tmp_path / "second", records, kept)
    assert set(groups_written) == {"ru"}
    assert file_digests(tmp_path / "second") == file_digests(tmp_path / "first")
