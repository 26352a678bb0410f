"""The card and Croissant fit any corpus: the maintainers' words plus computed facts.

A different corpus (German, CC BY 4.0, its own dataset.toml and Hub id) is built, and
a 20,000-record summary is rendered; neither card may say anything that holds only for
this repository's corpus, and every computed fact must be the corpus's own.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from huggingface_hub import DatasetCard

from curation.errors import InvalidInput
from curation.publish.card import render_card
from curation.publish.description import hub_license_id, load_description
from curation.publish.summary import BuildSummary, ConfigSummary, DatasetMeta
from curation.record import Record
from curation.release.hub import check_card_names
from tests.release.test_croissant import MLCROISSANT
from tests.test_build import build_in

REPO = Path(__file__).resolve().parent.parent
OUR_DESCRIPTION = tomllib.loads((REPO / "dataset.toml").read_text(encoding="utf-8"))
HUB_ID = "beispiel-org/wetter-nachrichten"

OTHER_DESCRIPTION = """
summary = "Wetterberichte eines Regionalsenders, als Rohtext eingereicht."
intended_uses = ["Training small German language models on weather reports."]
out_of_scope_uses = []
limitations = ["**Regional**: one broadcaster's reports from one region."]
task_categories = ["text-generation"]
tags = ["weather", "german"]
"""

GERMAN = (
    "Am Montag zieht ein kräftiges Tiefdruckgebiet über Norddeutschland hinweg und bringt "
    "Regen, Sturmböen und deutlich kühlere Luft. Im Süden bleibt es zunächst freundlich, "
    "doch auch dort ziehen am Abend Wolken auf.\n\nZum Wochenende beruhigt sich das Wetter "
    "wieder, und die Temperaturen steigen auf bis zu zwanzig Grad.\n"
)


def our_sentences() -> list[str]:
    """Every sentence this repository's dataset.toml says about its own corpus."""
    texts = [OUR_DESCRIPTION["summary"], OUR_DESCRIPTION.get("motivation", "")]
    texts += OUR_DESCRIPTION["intended_uses"] + OUR_DESCRIPTION["limitations"]
    texts += OUR_DESCRIPTION["out_of_scope_uses"] + [OUR_DESCRIPTION.get("license_note", "")]
    sentences = []
    for text in texts:
        sentences += [s.strip() for s in " ".join(text.split()).split(". ") if len(s) > 20]
    return sentences


def write_seed(seeds: Path, number: int, text: str, license_: str | None) -> None:
    data = text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    seed_id = f"{number:03d}_{digest[:16]}"
    (seeds / f"{seed_id}.txt").write_bytes(data)
    sidecar = {
        "id": seed_id,
        "sha256": digest,
        "languages": ["de"],
        "source": "Regionalsender",
        "date": "2026-03-02",
        "url": None,
        "title": "Tief bringt Regen und Sturm",
        "license": license_,
        "provenance": "Written for the card tests.",
        "contributor": None,
        "date_added": "2026-11-22",
    }
    (seeds / f"{seed_id}.json").write_text(
        json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


@pytest.fixture(scope="module")
def other_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("other-corpus")
    (root / "seeds").mkdir()
    write_seed(root / "seeds", 0, GERMAN, "CC BY 4.0")
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    table = pyproject.split("[tool.curation]", 1)[1].split("\n[", 1)[0]
    ours = tomllib.loads("[tool.curation]" + table)["tool"]["curation"]
    pyproject = pyproject.replace(f'name = "{ours["name"]}"', 'name = "wetter-nachrichten"')
    pyproject = pyproject.replace(ours["pretty_name"], "Wetter-Nachrichten")
    pyproject = pyproject.replace('hub_id = ""', f'hub_id = "{HUB_ID}"')
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (root / "dataset.toml").write_text(OTHER_DESCRIPTION, encoding="utf-8")
    assert build_in(root) == 0
    return root / "dist"


def test_another_corpus_gets_its_own_words_and_facts(other_corpus: Path) -> None:
    card = (other_corpus / "README.md").read_text(encoding="utf-8")
    header = yaml.safe_load(card.split("---")[1])
    flat = " ".join(card.split())
    for sentence in our_sentences():
        assert sentence not in flat, sentence
    assert "China" not in card and "Tiny" not in card and "ORG/" not in card
    assert "Wetterberichte eines Regionalsenders" in card
    assert header["license"] == "cc-by-4.0" and "license_name" not in header
    assert "same license: CC BY 4.0 (`cc-by-4.0`)" in flat
    assert header["language"] == ["de"] and header["multilinguality"] == "monolingual"
    assert header["task_categories"] == ["text-generation"]
    assert header["tags"] == ["weather", "german"]
    assert header["size_categories"] == ["n<1K"]
    assert f'load_dataset("{HUB_ID}", split="train")' in card
    assert f"url    = {{https://huggingface.co/datasets/{HUB_ID}}}" in card
    check_card_names(other_corpus / "README.md", HUB_ID)  # publish would accept it


def test_another_corpus_card_parses_and_croissant_validates(other_corpus: Path) -> None:
    card = DatasetCard.load(other_corpus / "README.md")
    assert card.data.to_dict()["license"] == "cc-by-4.0"
    result = subprocess.run(
        [str(MLCROISSANT), "validate", "--jsonld", str(other_corpus / "croissant.json")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_another_corpus_croissant_says_the_same(other_corpus: Path) -> None:
    document = json.loads((other_corpus / "croissant.json").read_text(encoding="utf-8"))
    assert document["description"].startswith("Wetterberichte eines Regionalsenders")
    assert "China" not in json.dumps(document, ensure_ascii=False)
    (license_,) = document["license"]
    assert (license_["name"], license_["identifier"]) == ("CC BY 4.0", "cc-by-4.0")
    assert document["keywords"] == ["weather", "german"]
    assert document["url"] == f"https://huggingface.co/datasets/{HUB_ID}"


def test_record_ids_render_in_the_schema_table(other_corpus: Path) -> None:
    card = (other_corpus / "README.md").read_text(encoding="utf-8")
    assert r"Stable record id: &lt;seed\_id&gt;-&lt;part&gt;." in card


def large_summary(records: int, licenses: list[str | None]) -> BuildSummary:
    summary = BuildSummary(
        dataset=DatasetMeta("big", "Big", "2.0.0", "", ("someone",)),
        reports=[],
        steps=[],
        rules={},
        libraries={},
        description=load_description(REPO / "dataset.toml"),
    )
    for number in range(records):
        license_ = licenses[number % len(licenses)]
        summary.add_records(
            [
                Record(
                    f"{number:05d}_{number:016x}",
                    0,
                    "text",
                    language="ru",
                    language_decided_by="detection",
                    license=license_,
                )
            ]
        )
    summary.configs.append(ConfigSummary("ru", records, 1, ["data/ru/x.parquet"], 1))
    return summary


def test_twenty_thousand_records_with_two_licenses() -> None:
    card = render_card(large_summary(20_000, ["CC BY-SA 4.0", None]))
    header = yaml.safe_load(card.split("---")[1])
    assert header["size_categories"] == ["10K<n<100K"]
    assert header["license"] == "other" and header["license_name"] == "per-record-licenses"
    flat = " ".join(card.split())
    assert "Tiny" not in card and "no license" not in flat.lower().split("## license")[1][:40]
    assert "**Size**: 20000 records (Hub size category `10K<n<100K`)" in flat
    assert "different licenses (10000 of 20000 records state one)" in flat
    assert "| CC BY-SA 4.0 | cc-by-sa-4.0 | 10000 |" in card
    assert "| none stated | — | 10000 |" in card
    assert "| `ru` | 20000 | 20000 | 0 | 0 |" in card


def test_no_license_stated_anywhere_says_so() -> None:
    card = render_card(large_summary(3, [None]))
    header = yaml.safe_load(card.split("---")[1])
    assert (header["license"], header["license_name"]) == ("other", "no-license-stated")
    assert "No source of the 3 records states a license" in card


@pytest.mark.parametrize(
    ("statement", "hub_id"),
    [("CC BY 4.0", "cc-by-4.0"), ("Apache License 2.0", "apache-2.0"), ("mine", None)],
)
def test_license_statements_map_to_hub_ids(statement: str, hub_id: str | None) -> None:
    assert hub_license_id(statement) == hub_id


def test_publish_refuses_a_card_with_a_placeholder(tmp_path: Path) -> None:
    card = tmp_path / "README.md"
    card.write_text('x\nds = load_dataset("ORG/news", split="train")\n', encoding="utf-8")
    with pytest.raises(InvalidInput) as error:
        check_card_names(card, "my-org/news")
    message = str(error.value)
    assert f"{card}:2: a placeholder is left: 'ORG/'" in message
    assert "does not show how to load my-org/news" in message


def test_a_bad_description_names_the_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "dataset.toml"
    path.write_text('summary = ""\ntags = ["Not A Tag"]\n', encoding="utf-8")
    with pytest.raises(InvalidInput) as error:
        load_description(path)
    message = str(error.value)
    assert f"{path}#summary" in message and f"{path}#tags.0" in message
    assert "'intended_uses' is a required property" in message
