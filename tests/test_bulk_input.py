"""Bulk input: JSONL (plain, gzip, zstd) and Parquet shards read, merged by id and
checked; bad input named by file and line or row; identical documents dropped by dedup."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from curation.bulk_input import (
    InputColumns,
    input_record,
    iter_input_batches,
    validate_inputs,
)
from curation.cli import main
from curation.errors import InvalidInput
from curation.schema import record_json_schema
from curation.seeds import discover_seeds
from tests.test_build import build_in, make_project

REPO = Path(__file__).resolve().parent.parent


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    data = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")
    if path.name.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    if path.name.endswith(".zst"):
        with pa.output_stream(str(path), compression="zstd") as stream:
            stream.write(data)
        return path
    path.write_bytes(data)
    return path


def write_parquet(path: Path, rows: list[dict[str, object]]) -> Path:
    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def read_all(paths: list[Path], columns: InputColumns | None = None) -> list[tuple[str, str]]:
    columns = columns or InputColumns()
    shards = validate_inputs(paths, columns)
    return [
        (r.seed_id, r.text)
        for batch in iter_input_batches(shards, columns, batch_size=2)
        for r in batch
    ]


def problems_of(paths: list[Path], columns: InputColumns | None = None) -> str:
    with pytest.raises(InvalidInput) as caught:
        validate_inputs(paths, columns or InputColumns())
    return str(caught.value)


ROWS = [
    {"id": "a1", "text": "First text."},
    {"id": "a2", "text": "Second text."},
    {"id": "b1", "text": "Third text."},
]


@pytest.mark.parametrize("name", ["docs.jsonl", "docs.jsonl.gz", "docs.jsonl.zst"])
def test_jsonl_shards_are_read_in_every_compression(tmp_path: Path, name: str) -> None:
    shard = write_jsonl(tmp_path / name, ROWS)
    assert read_all([shard]) == [(r["id"], r["text"]) for r in ROWS]


def test_parquet_shards_are_read_with_named_columns(tmp_path: Path) -> None:
    rows = [{"doc": r["id"], "body": r["text"], "headline": "T", "extra": 1} for r in ROWS]
    shard = write_parquet(tmp_path / "docs.parquet", rows)
    columns = InputColumns.from_options("doc", "body", ["title=headline"])
    assert read_all([shard], columns) == [(r["id"], r["text"]) for r in ROWS]
    [first, *_] = next(iter_input_batches([shard], columns))
    assert first.title == "T" and first.source is None


def test_metadata_columns_fill_the_record_and_its_declared_fields(tmp_path: Path) -> None:
    row = {
        "id": "x",
        "text": "Text.",
        "title": "A title",
        "source": "Outlet",
        "date": "2024-05-01",
        "url": "https://example.org/x",
        "license": "CC BY 4.0",
        "languages": ["en"],
    }
    shard = write_jsonl(tmp_path / "one.jsonl", [row])
    [[record]] = list(iter_input_batches(validate_inputs([shard], InputColumns()), InputColumns()))
    assert (record.id, record.title, record.source, record.date) == (
        "x-0",
        "A title",
        "Outlet",
        "2024-05-01",
    )
    assert (record.url, record.license, record.declared["languages"]) == (
        "https://example.org/x",
        "CC BY 4.0",
        ["en"],
    )
    assert record.declared["provenance"] == "bulk input one.jsonl"  # no folder: same anywhere
    assert record.declared["sha256"] == hashlib.sha256(b"Text.").hexdigest()


def test_shards_are_merged_by_id_whatever_their_order_or_split(tmp_path: Path) -> None:
    first = write_jsonl(tmp_path / "1.jsonl", [ROWS[0], ROWS[2]])
    second = write_parquet(tmp_path / "2.parquet", [ROWS[1]])
    expected = [(r["id"], r["text"]) for r in ROWS]
    assert read_all([second, first]) == expected
    assert read_all([first, second]) == expected
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copy(first, folder)
    shutil.copy(second, folder)
    (folder / "notes.txt").write_text("not a shard", encoding="utf-8")
    assert read_all([folder]) == expected


def test_an_unsorted_shard_is_refused_naming_the_line(tmp_path: Path) -> None:
    shard = write_jsonl(tmp_path / "docs.jsonl", [ROWS[1], ROWS[0], ROWS[2]])
    message = problems_of([shard])
    assert f"{shard}:2: id 'a1' is not after the previous id 'a2' ({shard}:1)" in message
    assert "sort the shard by id" in message


def test_a_repeated_id_is_refused_naming_both_places(tmp_path: Path) -> None:
    first = write_jsonl(tmp_path / "1.jsonl", [ROWS[0]])
    second = write_parquet(tmp_path / "2.parquet", [ROWS[0] | {"text": "Other."}])
    message = problems_of([first, second])
    assert f"{second}#row 0: id 'a1' is used again (first at {first}:1)" in message


def test_every_bad_line_is_reported_at_once_with_file_and_line(tmp_path: Path) -> None:
    shard = tmp_path / "bad.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "fine"}).encode(),
        b'{"id": "b", "text": ',  # broken JSON
        json.dumps({"id": "c d", "text": "x"}).encode(),  # space in id
        json.dumps({"id": "e", "text": None}).encode(),
        json.dumps({"id": "f", "text": "x", "date": "May 2024"}).encode(),
        b'{"id": "g", "text": "\xff"}',  # not UTF-8
        b"[1, 2]",
        b"",
        json.dumps({"id": "h", "text": "fine"}).encode(),
    ]
    shard.write_bytes(b"\n".join(lines) + b"\n")
    message = problems_of([shard])
    assert "6 problems found" in message
    assert f"{shard}:2:" in message and "not valid JSON" in message
    assert f"{shard}:3#id: the id must be a string" in message
    assert f"{shard}:4#text: the text must be a string; got NoneType" in message
    assert f"{shard}:5#date: date: 'May 2024' does not match" in message
    assert f"{shard}:6: not valid UTF-8" in message
    assert f"{shard}:7: not a JSON object" in message


def test_a_parquet_shard_without_the_columns_names_them(tmp_path: Path) -> None:
    shard = write_parquet(tmp_path / "docs.parquet", [{"key": "a", "body": "x"}])
    message = problems_of([shard])
    assert f"{shard}: no column 'id', 'text' (columns: body, key)" in message
    assert "--id-column and --text-column" in message


def test_a_bad_parquet_value_names_the_row(tmp_path: Path) -> None:
    shard = write_parquet(
        tmp_path / "docs.parquet",
        [{"id": "a", "text": "x", "url": None}, {"id": "b", "text": "y", "url": "ftp://x"}],
    )
    assert f"{shard}#row 1#url: url: 'ftp://x' does not match" in problems_of([shard])


def test_missing_unknown_and_corrupt_files_are_named(tmp_path: Path) -> None:
    unknown = tmp_path / "docs.csv"
    unknown.write_text("id,text\n", encoding="utf-8")
    message = problems_of([tmp_path / "nowhere.jsonl", unknown])
    assert f"{tmp_path / 'nowhere.jsonl'}: input not found" in message
    assert f"{unknown}: unknown input format" in message
    corrupt = tmp_path / "docs.jsonl.gz"
    corrupt.write_bytes(b"not gzip at all")
    assert f"{corrupt}: cannot be read" in problems_of([corrupt])
    broken = tmp_path / "docs.parquet"
    broken.write_bytes(b"PAR1 but not really")
    assert f"{broken}: not a readable Parquet file" in problems_of([broken])


def test_a_bad_column_mapping_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"--column author=by: expected FIELD=COLUMN"):
        InputColumns.from_options("id", "text", ["author=by"])


def test_byte_identical_documents_are_accepted(tmp_path: Path) -> None:
    """Unlike seeds/, bulk input may repeat a text: dedup drops the copies, not the reader."""
    shard = write_jsonl(tmp_path / "docs.jsonl", [ROWS[0], ROWS[1] | {"text": ROWS[0]["text"]}])
    assert read_all([shard]) == [("a1", "First text."), ("a2", "First text.")]


def test_input_record_starts_at_part_zero() -> None:
    from curation.bulk_input import InputDocument

    record = input_record(InputDocument("doc-7", "x", {}, "f.jsonl:1", Path("f.jsonl")))
    assert (record.id, record.seed_id, record.part) == ("doc-7-0", "doc-7", 0)
    id_pattern = record_json_schema()["properties"]["id"]["pattern"]
    assert re.match(id_pattern, record.id) and re.match(id_pattern, "004_b57d5ccfbe06e458-1")


# --- end to end: the CLI builds from shards as from seeds -------------------------------


def _seed_rows() -> list[dict[str, object]]:
    """The shipped seeds as input rows, with their sidecars' metadata."""
    seeds, problems = discover_seeds(REPO / "seeds")
    assert not problems
    rows = []
    for seed in seeds:
        sidecar = json.loads(seed.sidecar_path.read_text(encoding="utf-8"))
        rows.append(
            {"id": seed.id, "text": seed.text_path.read_bytes().decode("utf-8")}
            | {k: sidecar[k] for k in ("title", "source", "date", "url", "license", "languages")}
        )
    return rows


@pytest.fixture(scope="module")
def seeds_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("seeds-build") / "project")
    assert build_in(project) == 0
    return project / "dist"


def test_build_from_shards_gives_the_records_of_the_seeds_and_drops_copies(
    seeds_build: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _seed_rows()
    # A byte-identical copy and a near-duplicate of the longest seed, under later ids.
    longest = max(rows, key=lambda r: len(str(r["text"])))
    text = str(longest["text"])
    copy = longest | {"id": "zz-identical"}
    # One word inserted every 300 characters: not the same text, nearly the same article.
    cuts = [text.index(" ", start) for start in range(300, len(text) - 300, 300)]
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    near = longest | {"id": "zz-near", "text": " indeed".join(pieces)}
    shutil.copyfile(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copyfile(REPO / "dataset.toml", tmp_path / "dataset.toml")
    write_jsonl(tmp_path / "part-1.jsonl.gz", rows[::2])
    write_parquet(tmp_path / "part-2.parquet", [*rows[1::2], copy, near])
    assert build_in(tmp_path, "--input", "part-1.jsonl.gz", "part-2.parquet") == 0
    printed = capsys.readouterr().out

    dist = tmp_path / "dist"
    built = sorted(p.relative_to(dist) for p in dist.glob("data/*/*.parquet"))
    assert built == sorted(p.relative_to(seeds_build) for p in seeds_build.glob("data/*/*.parquet"))
    for path in built:  # the same rows, byte for byte: the copies are gone
        assert (dist / path).read_bytes() == (seeds_build / path).read_bytes()

    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    kept = f"{longest['id']}-0"
    assert {"dropped": "zz-identical-0", "kept": kept} in manifest["duplicates_dropped"]
    [near_pair] = manifest["near_duplicates_dropped"]
    assert (near_pair["dropped"], near_pair["kept"]) == ("zz-near-0", kept)
    assert 0.8 <= near_pair["similarity"] < 1
    card = (dist / "README.md").read_text(encoding="utf-8")
    assert f"| `zz-identical-0` | `{kept}` | exact (`dedup_exact`) |" in card
    assert (
        f"| `zz-near-0` | `{kept}` | near (`dedup_near`) | {near_pair['similarity']:.4f} |" in card
    )
    assert f"dropped zz-identical-0: same text as {kept}" in printed
    assert f"dropped zz-near-0: near-duplicate of {kept}" in printed


def test_bad_input_exits_2_and_leaves_dist_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copyfile(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copyfile(REPO / "dataset.toml", tmp_path / "dataset.toml")
    shutil.copytree(REPO / "dist", tmp_path / "dist")  # a dataset the build may replace
    before = {p: p.read_bytes() for p in sorted((tmp_path / "dist").rglob("*")) if p.is_file()}
    write_jsonl(tmp_path / "docs.jsonl", [ROWS[1], ROWS[0]])
    assert build_in(tmp_path, "--input", "docs.jsonl") == 2
    assert "docs.jsonl:2: id 'a1' is not after the previous id 'a2'" in capsys.readouterr().err
    after = {p: p.read_bytes() for p in sorted((tmp_path / "dist").rglob("*")) if p.is_file()}
    assert after == before


def test_how_documents_are_spread_over_shards_changes_no_byte(tmp_path: Path) -> None:
    rows = _seed_rows()
    split, whole = tmp_path / "split", tmp_path / "whole"
    for project in (split, whole):
        project.mkdir()
        shutil.copyfile(REPO / "pyproject.toml", project / "pyproject.toml")
        shutil.copyfile(REPO / "dataset.toml", project / "dataset.toml")
    write_parquet(split / "b.parquet", rows[1::2])
    write_jsonl(split / "a.jsonl", rows[::2])
    write_jsonl(whole / "all.jsonl.zst", rows)
    assert build_in(split, "--input", "b.parquet", "a.jsonl") == 0
    assert build_in(whole, "--input", "all.jsonl.zst") == 0

    def digests(dist: Path) -> dict[str, bytes]:
        return {
            p.relative_to(dist).as_posix(): p.read_bytes() for p in dist.rglob("*") if p.is_file()
        }

    assert digests(split / "dist") == digests(whole / "dist")
    cwd = Path.cwd()
    os.chdir(whole)
    try:
        assert main(["verify", "--input", "all.jsonl.zst"]) == 0
    finally:
        os.chdir(cwd)
