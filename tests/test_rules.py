"""Rules files: validated against their schemas, every problem reported, digests stable."""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import pytest
import regex

from curation.cache import RecordCache, load_checked_rules
from curation.errors import InvalidInput
from curation.paths import RULES_DIR, SCHEMA_DIR
from curation.rules import RuleSet, checked_digest, load_rules


def test_every_shipped_rules_file_loads_and_has_a_schema() -> None:
    rules = load_rules()
    names = {path.stem for path in RULES_DIR.glob("*.toml")}
    assert set(rules.files) == names
    for name in names:
        assert (SCHEMA_DIR / "rules" / f"{name}.schema.json").is_file()
    assert rules.digests == load_rules().digests


def _write(
    tmp_path: Path, name: str, toml: str, schema: dict[str, object] | None
) -> tuple[Path, Path]:
    rules_dir, schema_dir = tmp_path / "rules", tmp_path / "schema"
    rules_dir.mkdir(exist_ok=True)
    schema_dir.mkdir(exist_ok=True)
    (rules_dir / f"{name}.toml").write_text(toml, encoding="utf-8")
    if schema is not None:
        (schema_dir / f"{name}.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    return rules_dir, schema_dir


def test_all_problems_are_reported_with_file_and_field(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {"threshold": {"type": "number", "maximum": 1}},
        "required": ["threshold"],
    }
    _write(tmp_path, "good", "threshold = 0.5\n", schema)
    _write(tmp_path, "too_big", "threshold = 7\n", schema)
    _write(tmp_path, "broken", "threshold = = 1\n", schema)
    rules_dir, schema_dir = _write(tmp_path, "orphan", "x = 1\n", None)
    with pytest.raises(InvalidInput) as caught:
        load_rules(rules_dir, schema_dir)
    message = str(caught.value)
    assert "3 problems found" in message
    assert "too_big.toml#threshold: 7 is greater than the maximum of 1" in message
    assert "broken.toml: not valid TOML" in message
    assert "orphan.toml: no schema for this rules file" in message


def test_rules_data_is_frozen(tmp_path: Path) -> None:
    rules_dir, schema_dir = _write(
        tmp_path, "words", 'list = ["a"]\n[table]\nk = 1\n', {"type": "object"}
    )
    words = load_rules(rules_dir, schema_dir)["words"]
    assert words["list"] == ("a",)
    with pytest.raises(TypeError):
        words["table"]["k"] = 2  # type: ignore[index]


def test_a_regex_that_cannot_run_in_linear_time_is_refused_at_load(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {
            "rules": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "pattern": {"type": "string", "linearTime": True},
                        "fragment": {"type": "string", "linearTime": "window"},
                    },
                },
            }
        },
    }
    toml = (
        '[[rules]]\nid = "fine"\npattern = "(?<=\\\\S)[.!?]+(?=\\\\w)"\n'
        'fragment = "\\\\s*(?:x(?!\\\\s))+"\n'
        # A lookahead between two unbounded repeats: quadratic in re, beyond RE2.
        '[[rules]]\nid = "slow"\npattern = "\\\\s*(?=x)\\\\S+y"\n'
        # Nested repeats: exponential even in a short window.
        '[[rules]]\nid = "nested"\nfragment = "(?:a+(?=b))+c"\n'
    )
    rules_dir, schema_dir = _write(tmp_path, "linear", toml, schema)
    with pytest.raises(InvalidInput) as caught:
        load_rules(rules_dir, schema_dir)
    message = str(caught.value)
    assert "2 problems found" in message
    assert "linear.toml#rules/1/pattern: this regex cannot run in time linear" in message
    assert "a lookaround in the middle of the pattern" in message
    assert "linear.toml#rules/2/fragment: this regex cannot run in time linear" in message


def test_shipped_rules_mark_their_seed_text_regexes() -> None:
    """The schemas say which strings are regexes run on seed text, so load_rules checks them."""
    marked = {
        path.name.split(".")[0]
        for path in SCHEMA_DIR.glob("rules/*.schema.json")
        if '"linearTime"' in path.read_text(encoding="utf-8")
    }
    assert {"boilerplate", "layout"} <= marked


def test_rules_found_valid_before_are_not_checked_again_and_changed_ones_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from curation import rules as rules_module

    schema = {"type": "object", "properties": {"threshold": {"type": "number", "maximum": 1}}}
    rules_dir, schema_dir = _write(tmp_path, "dedup", "threshold = 0.5\n", schema)
    _write(tmp_path, "layout", "threshold = 0.25\n", schema)
    cache = RecordCache(tmp_path / "cache")
    valid = cache.valid_rules()
    first = load_rules(rules_dir, schema_dir, valid)
    valid.save()

    checked: list[object] = []
    validator = rules_module._Validator

    def counting(schema: object) -> object:
        checked.append(schema)
        return validator(schema)

    monkeypatch.setattr(rules_module, "_Validator", counting)
    again = load_rules(rules_dir, schema_dir, cache.valid_rules())
    assert checked == []  # both files as the last build found them valid
    assert again.digests == first.digests
    assert again["dedup"]["threshold"] == 0.5
    # A file changed since is checked again, and its problem reported as without a memo.
    _write(tmp_path, "dedup", "threshold = 2\n", schema)
    with pytest.raises(InvalidInput) as raised:
        load_rules(rules_dir, schema_dir, cache.valid_rules())
    assert len(checked) == 1
    assert "dedup.toml#threshold" in str(raised.value)
    # So is one whose schema changed (stricter now): the schema's bytes are in the digest.
    _write(tmp_path, "dedup", "threshold = 0.5\n", schema)
    stricter = {"type": "object", "properties": {"threshold": {"type": "number", "maximum": 0.3}}}
    _write(tmp_path, "layout", "threshold = 0.25\n", stricter)
    (schema_dir / "dedup.schema.json").write_text(json.dumps(stricter), encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"dedup.toml#threshold"):
        load_rules(rules_dir, schema_dir, cache.valid_rules())


def kept_as_valid(cache: RecordCache, rules: RuleSet) -> list[bool]:
    """Whether the cache's memo holds each rules file as found valid."""
    kept = cache.valid_rules()
    return [
        checked_digest(
            name, rules_file.sha256, (SCHEMA_DIR / "rules" / f"{name}.schema.json").read_bytes()
        )
        in kept
        for name, rules_file in rules.files.items()
    ]


def test_a_build_with_the_cache_keeps_the_rules_it_found_valid(tmp_path: Path) -> None:
    cache = RecordCache(tmp_path / "cache")
    assert not any(kept_as_valid(cache, load_rules()))
    rules = load_checked_rules(cache)
    assert all(kept_as_valid(cache, rules))
    assert load_checked_rules(None).digests == rules.digests


def test_check_keeps_and_reads_the_rules_found_valid_as_the_build_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from curation.contribute.check import check_seeds

    monkeypatch.setenv("CURATION_CACHE_DIR", str(tmp_path / "cache"))
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    check_seeds(seeds)  # an empty folder is a problem, but the rules load first
    assert all(kept_as_valid(RecordCache(tmp_path / "cache"), load_rules()))


# Where the rules list the marks that end a sentence: file, table, and the keys whose
# marks count together.
SENTENCE_END_LISTS = [
    ("boilerplate", "punctuation", ("sentence_end", "sentence_end_before_space")),
    ("repeats", "restatement", ("sentence_end",)),
    ("layout", "unwrap", ("sentence_end",)),
]


@pytest.mark.parametrize(("name", "table", "keys"), SENTENCE_END_LISTS)
def test_every_sentence_terminal_of_unicode_ends_a_sentence(
    name: str, table: str, keys: tuple[str, ...]
) -> None:
    """The rules' sentence ends hold Unicode's Sentence_Terminal characters (the `regex`
    module's ``\\p{Sentence_Terminal}``) that Python's database assigns: a paragraph of
    Urdu, Amharic, Burmese or Khmer ends like a sentence as English does."""
    data = load_rules()[name].data[table]
    ends = {mark for key in keys for mark in data[key]}
    terminal = regex.compile(r"\p{Sentence_Terminal}")
    expected = {
        chr(code)
        for code in range(sys.maxunicode + 1)
        if terminal.match(chr(code)) and unicodedata.category(chr(code)) != "Cn"
    }
    assert expected - ends == set()
    assert {"۔", "።", "။", "។", "։", "｡"} <= ends
