"""The published Parquet equals the golden files, record for record, field for field.

The golden files (tests/golden/) were written by reading each raw seed line by line;
tests/golden/README.md writes down every edit, and tests/test_golden_against_raw.py
checks them against the raw seeds without running the pipeline. dist/ is proven
equal to a fresh build by tests/test_build.py::test_committed_dist_is_not_stale.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from curation.publish.parquet import read_rows
from curation.record import Edit, replay

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden"
ROWS = {row["id"]: row for row in read_rows((REPO / "dist" / "data").rglob("*.parquet"))}
GOLDEN_IDS = sorted(p.stem for p in GOLDEN.glob("*.json"))


def test_same_records() -> None:
    assert sorted(ROWS) == GOLDEN_IDS


@pytest.mark.parametrize("record_id", GOLDEN_IDS)
def test_record_matches_golden(record_id: str) -> None:
    expected = json.loads((GOLDEN / f"{record_id}.json").read_text(encoding="utf-8"))
    text = (GOLDEN / f"{record_id}.txt").read_text(encoding="utf-8").removesuffix("\n")
    row = ROWS[record_id]
    assert row["text"] == text
    for field, value in expected.items():
        assert row[field] == value, field
    assert row["num_chars"] == len(text)


@pytest.mark.parametrize("record_id", GOLDEN_IDS)
def test_provenance_replays_from_the_raw_seed(record_id: str) -> None:
    row = ROWS[record_id]
    raw = (REPO / "seeds" / f"{row['seed_id']}.txt").read_text(encoding="utf-8")
    edits = [Edit(**edit) for edit in row["provenance"]]
    assert replay(raw, edits) == row["text"]
