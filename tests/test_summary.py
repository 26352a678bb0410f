"""The build summary keeps details of a bounded number of records: the card does not grow."""

from __future__ import annotations

from pathlib import Path

from curation.publish.card import render_card
from curation.publish.description import load_description
from curation.publish.summary import DETAIL_LIMIT, BuildSummary, ConfigSummary, DatasetMeta
from curation.record import Record

REPO = Path(__file__).resolve().parent.parent


def test_details_are_bounded_and_the_rest_counted() -> None:
    summary = BuildSummary(
        dataset=DatasetMeta("name", "Pretty", "1.0.0", "", ("someone",)),
        reports=[],
        steps=[],
        rules={},
        libraries={},
        description=load_description(REPO / "dataset.toml"),
    )
    total = DETAIL_LIMIT + 50
    for number in range(total):
        record = Record(f"{number:03d}_{number:016x}", 0, "text", declared={"sha256": "0" * 64})
        summary.add_records([record.warn("s_v1", "code", "message")])
    summary.configs.append(ConfigSummary("en", total, 1, ["data/en/x.parquet"], 1))
    assert summary.records_seen == total == len(summary.seed_ids) == len(summary.seed_sha256)
    # Details only of the first DETAIL_LIMIT records' seeds: one record each here.
    assert len(summary.seeds) == DETAIL_LIMIT
    assert sum(len(seed.records) for seed in summary.seeds) == DETAIL_LIMIT
    assert len(summary.warnings) == DETAIL_LIMIT
    assert summary.warnings_seen == total
    card = render_card(summary)
    assert card.count("… and 50 more") == 2  # sources table and warnings table
