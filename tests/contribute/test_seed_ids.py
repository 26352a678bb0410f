"""Seed ids: the next number, .last-id, and numbers used twice."""

from __future__ import annotations

from pathlib import Path

from curation.contribute.seed_ids import id_problems, new_seed_id, next_number, read_last_number
from curation.seeds import Seed


def seeds_named(folder: Path, *ids: str) -> list[Seed]:
    return [Seed(i, folder / f"{i}.txt", folder / f"{i}.json") for i in ids]


def test_next_number_never_reuses_a_retired_one(tmp_path: Path) -> None:
    seeds = seeds_named(tmp_path, "000_0000000000000000", "003_0000000000000003")
    assert next_number(seeds, last=None) == 4
    assert next_number(seeds, last=7) == 8  # 004-007 were used by seeds since removed
    assert next_number([], last=None) == 0
    assert new_seed_id(1000, "ab" * 32) == "1000_abababababababab"


def test_last_id_file(tmp_path: Path) -> None:
    assert read_last_number(tmp_path) == (None, [])
    (tmp_path / ".last-id").write_text("012\n", encoding="utf-8")
    assert read_last_number(tmp_path) == (12, [])
    for bad in ("12\n", "twelve\n", "012\n013\n", ""):
        (tmp_path / ".last-id").write_text(bad, encoding="utf-8")
        number, problems = read_last_number(tmp_path)
        assert number is None
        assert "one number of at least three digits" in problems[0].message


def test_collisions_and_a_last_id_behind(tmp_path: Path) -> None:
    seeds = seeds_named(
        tmp_path, "004_aaaaaaaaaaaaaaaa", "005_bbbbbbbbbbbbbbbb", "005_cccccccccccccccc"
    )
    (tmp_path / ".last-id").write_text("004\n", encoding="utf-8")
    problems = id_problems(seeds, tmp_path)
    messages = sorted((Path(p.where).name, p.message) for p in problems)
    assert [name for name, _ in messages] == [
        ".last-id",
        "005_bbbbbbbbbbbbbbbb.txt",
        "005_cccccccccccccccc.txt",
    ]
    assert "says 004 but seed number 005 exists" in messages[0][1]
    assert "also used by 005_cccccccccccccccc" in messages[1][1]


def test_missing_last_id_is_a_problem_once_there_are_seeds(tmp_path: Path) -> None:
    assert id_problems([], tmp_path) == []
    (problem,) = id_problems(seeds_named(tmp_path, "002_aaaaaaaaaaaaaaaa"), tmp_path)
    assert problem.where.endswith(".last-id")
    assert "missing" in problem.message
    assert "echo 002" in problem.hint
