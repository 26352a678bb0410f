"""``curation.release.diff`` on small hand-made datasets: each kind of change, and its bump."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curation.release.diff import BuiltDataset, DatasetDiff, diff_datasets, render_text, word_edits
from curation.release.versioning import Bump
from curation.schema import arrow_schema

TEXT = "China and Russia signed a digital cooperation agreement in Moscow on Monday."


def row(record_id: str, text: str = TEXT, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": record_id,
        "seed_id": record_id.rsplit("-", 1)[0],
        "part": int(record_id.rsplit("-", 1)[1]),
        "text": text,
        "title": None,
        "language": "en",
        "language_score": 0.99,
        "source": "Example News",
        "date": "2024-01-02",
        "time": None,
        "url": None,
        "license": None,
        "num_chars": len(text),
        "provenance": [],
        "warnings": [],
    }
    base.update(fields)
    return base


def write_dataset(
    root: Path,
    rows: list[dict[str, Any]],
    manifest: dict[str, Any] | None = None,
    schema: pa.Schema | None = None,
) -> Path:
    schema = schema or arrow_schema()
    configs: dict[str, list[dict[str, Any]]] = {}
    for r in sorted(rows, key=lambda r: r["id"]):
        configs.setdefault(r.get("language") or "und", []).append(
            {name: r.get(name) for name in schema.names}
        )
    for config, config_rows in configs.items():
        folder = root / "data" / config
        folder.mkdir(parents=True)
        table = pa.Table.from_pylist(config_rows, schema=schema)
        pq.write_table(table, folder / "train-00000-of-00001.parquet")
    (root / "manifest.json").write_text(
        json.dumps({"dataset": {"version": "1.0.0"}, **(manifest or {})}), encoding="utf-8"
    )
    return root


def compare(
    tmp_path: Path, old: list[dict[str, Any]], new: list[dict[str, Any]], **kw: Any
) -> DatasetDiff:
    return diff_datasets(
        BuiltDataset.open(write_dataset(tmp_path / "old", old, kw.get("old_manifest")), "old"),
        BuiltDataset.open(
            write_dataset(tmp_path / "new", new, kw.get("new_manifest"), kw.get("new_schema")),
            "new",
        ),
    )


A, B, C = "000_aaaaaaaaaaaaaaaa-0", "001_bbbbbbbbbbbbbbbb-0", "002_cccccccccccccccc-0"


def test_added_removed_and_changed_are_keyed_by_id_per_config(tmp_path: Path) -> None:
    diff = compare(
        tmp_path,
        [row(A), row(B), row(C, language="ru")],
        [
            row(A),
            row(B, text=TEXT.replace("Moscow", "Beijing"), title="Talks"),
            row("003_dddddddddddddddd-0", language="ru"),
        ],
    )
    assert diff.added == ["003_dddddddddddddddd-0"]
    assert diff.removed == [C]
    assert [c.id for c in diff.changed] == [B]
    assert diff.configs["ru"].added == ["003_dddddddddddddddd-0"]
    assert diff.configs["ru"].removed == [C]
    assert (diff.configs["en"].old_count, diff.configs["en"].new_count) == (2, 2)
    change = diff.changed[0]
    assert change.changed_names == ["text", "title", "num_chars"]
    assert [(e.op, e.old, e.new) for e in change.text] == [("replace", "Moscow", "Beijing")]
    assert change.text[0].start == TEXT.index("Moscow")
    assert {f.name: (f.old, f.new) for f in change.fields} == {
        "title": (None, "Talks"),
        "num_chars": (len(TEXT), len(TEXT) + 1),
    }
    assert diff.required_bump()[0] is Bump.MAJOR


def test_a_record_that_changes_language_moves_config_and_is_a_change(tmp_path: Path) -> None:
    diff = compare(tmp_path, [row(A)], [row(A, language="de")])
    assert not diff.added and not diff.removed
    (change,) = diff.changed
    assert (change.old_config, change.config) == ("en", "de")
    assert [f.name for f in change.fields] == ["language"]
    assert diff.configs_added == ["de"] and diff.configs_removed == ["en"]
    assert diff.required_bump()[0] is Bump.MAJOR


@pytest.mark.parametrize(
    ("label", "old", "new", "bump", "reason"),
    [
        ("record added", [row(A)], [row(A), row(B)], Bump.MINOR, "1 record added"),
        (
            "config added",
            [row(A)],
            [row(A), row(B, language="zh")],
            Bump.MINOR,
            "configs added: zh",
        ),
        ("record removed", [row(A), row(B)], [row(A)], Bump.MAJOR, "1 record removed"),
        ("text changed", [row(A)], [row(A, text=TEXT + " More.")], Bump.MAJOR, "changed"),
        ("metadata changed", [row(A)], [row(A, date="2024-01-03")], Bump.MAJOR, "(date)"),
        (
            "provenance changed",
            [row(A)],
            [
                row(
                    A,
                    provenance=[
                        {
                            "step": "s_v1",
                            "rule": "r",
                            "start": 0,
                            "end": 1,
                            "before": "x",
                            "after": "",
                        }
                    ],
                )
            ],
            Bump.MAJOR,
            "(provenance)",
        ),
        ("nothing", [row(A)], [row(A)], Bump.PATCH, "no record added, removed or changed"),
    ],
)
def test_required_bump(
    tmp_path: Path, label: str, old: list[Any], new: list[Any], bump: Bump, reason: str
) -> None:
    required, reasons = compare(tmp_path, old, new).required_bump()
    assert required is bump, label
    assert any(reason in r for r in reasons), reasons


def test_an_added_column_is_minor_and_changes_no_record(tmp_path: Path) -> None:
    wider = arrow_schema().append(pa.field("topic", pa.string()))
    new = [row(A, topic="telecom"), row(B, topic=None)]
    diff = compare(tmp_path, [row(A), row(B)], new, new_schema=wider)
    assert diff.changed == []
    assert list(diff.columns.added) == ["topic"]
    assert diff.required_bump() == (Bump.MINOR, ["columns added: topic"])


def test_a_removed_column_is_major(tmp_path: Path) -> None:
    schema = arrow_schema()
    narrower = schema.remove(schema.get_field_index("url"))
    diff = compare(tmp_path, [row(A)], [row(A)], new_schema=narrower)
    assert diff.required_bump() == (Bump.MAJOR, ["columns removed: url"])


def test_steps_rules_and_libraries_come_from_the_manifests(tmp_path: Path) -> None:
    old_manifest = {
        "steps": [{"name": "repair_layout", "version": 1}, {"name": "old_step", "version": 1}],
        "rules": {"layout.toml": "a" * 64},
        "libraries": {"pyarrow": "26.0.1"},
    }
    new_manifest = {
        "steps": [{"name": "repair_layout", "version": 2}, {"name": "new_step", "version": 1}],
        "rules": {"layout.toml": "b" * 64},
        "libraries": {"pyarrow": "27.0.0"},
    }
    diff = compare(
        tmp_path, [row(A)], [row(A)], old_manifest=old_manifest, new_manifest=new_manifest
    )
    assert diff.steps.changed == {"repair_layout": ("v1", "v2")}
    assert list(diff.steps.added) == ["new_step"] and list(diff.steps.removed) == ["old_step"]
    assert list(diff.rules.changed) == ["layout.toml"]
    bump, reasons = diff.required_bump()
    assert bump is Bump.PATCH  # a new step that changes no record is a patch
    assert "step repair_layout: v1 → v2" in reasons
    assert "library pyarrow: 26.0.1 → 27.0.0" in reasons
    text = render_text(diff)
    assert "step repair_layout: v1 → v2" in text and "rules layout.toml" in text


def test_first_release_against_nothing(tmp_path: Path) -> None:
    new = BuiltDataset.open(write_dataset(tmp_path / "new", [row(A), row(B, language="ru")]), "new")
    diff = diff_datasets(BuiltDataset.open(None, "nothing"), new)
    assert diff.added == [A, B] and not diff.removed and not diff.changed
    assert diff.configs_added == ["en", "ru"]
    assert diff.required_bump()[0] is Bump.MINOR


def test_text_and_json_output(tmp_path: Path) -> None:
    diff = compare(
        tmp_path,
        [row(A), row(B)],
        [row(A, text=TEXT.replace(" on Monday", "")), row(C)],
    )
    text = render_text(diff)
    assert f"+ {C}" in text and f"- {B}" in text and f"~ {A}: text, num_chars" in text
    assert "[- on Monday-]" in text
    data = json.loads(json.dumps(diff.to_json()))
    assert data["records"] == {"added": 1, "removed": 1, "changed": 1}
    assert data["configs"]["en"]["changed"][0]["text"][0]["op"] == "delete"
    assert data["required_bump"] == "major"


def test_word_diff_of_unspaced_text_works_per_character() -> None:
    (edit,) = word_edits("中俄数字合作取得进展", "中俄数字经济合作取得进展")
    assert (edit.op, edit.old, edit.new) == ("insert", "", "经济")


def test_equal_texts_have_no_edits() -> None:
    assert word_edits(TEXT, TEXT) == []


def _apply(old: str, edits: list[Any]) -> str:
    out, position = [], 0
    for edit in edits:
        out.append(old[position : edit.start])
        out.append(edit.new)
        position = edit.start + len(edit.old)
    return "".join(out) + old[position:]


words = st.sampled_from(
    ["digital", "Moscow", " ", "\n\n", ",", "合作", "中", "Zusammenarbeit", "."]
)


@pytest.mark.property
@settings(max_examples=150, deadline=None)
@given(
    st.one_of(st.text(), st.lists(words).map("".join)),
    st.one_of(st.text(), st.lists(words).map("".join)),
)
def test_word_edits_turn_old_into_new(old: str, new: str) -> None:
    edits = word_edits(old, new)
    assert _apply(old, edits) == new
    assert all(old[e.start : e.start + len(e.old)] == e.old for e in edits)
