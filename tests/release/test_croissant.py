"""``dist/croissant.json``: mlcroissant validates it and reads the records; we check the words."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
import yaml

from curation.publish.checksums import file_sha256
from curation.schema import record_json_schema
from tests.release.conftest import History

# mlcroissant is in the `croissant` dependency group, installed by every nox session.
MLCROISSANT = Path(sys.executable).with_name("mlcroissant")

READ_RECORDS = """
import json, sys
import mlcroissant as mlc
records = mlc.Dataset(sys.argv[1]).records("default")
print(json.dumps([
    {"id": r["default/id"].decode(), "text": r["default/text"].decode(),
     "steps": [p["default/provenance/step"].decode() for p in r["default/provenance"]]}
    for r in records
]))
"""


@pytest.fixture(scope="module")
def dist(history: History) -> Path:
    assert history.runs["minor"].code == 0, history.runs["minor"].err
    return history.clone / "dist"


@pytest.fixture(scope="module")
def document(dist: Path) -> dict[str, Any]:
    return json.loads((dist / "croissant.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_every_parquet_file_is_described_with_its_sha256_and_size(
    dist: Path, document: dict[str, Any]
) -> None:
    objects = {d["@id"]: d for d in document["distribution"] if d["@type"] == "cr:FileObject"}
    on_disk = sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*.parquet"))
    assert sorted(objects) == on_disk
    for name, entry in objects.items():
        assert entry["contentUrl"] == name
        assert entry["sha256"] == file_sha256(dist / name)
        assert entry["contentSize"] == f"{(dist / name).stat().st_size} B"
        assert entry["encodingFormat"] == "application/x-parquet"


def test_fields_are_the_record_schema(document: dict[str, Any]) -> None:
    schema = record_json_schema()
    (record_set,) = document["recordSet"]
    fields = {f["name"]: f for f in record_set["field"]}
    assert list(fields) == schema["x-order"]
    for name, field in fields.items():
        spec = schema["properties"][name]
        if spec.get("type") == "array":
            assert field["isArray"] is True
            assert [s["name"] for s in field["subField"]] == spec["items"]["x-order"]
        else:
            assert field["source"]["extract"] == {"column": name}
    assert record_set["key"] == {"@id": "default/id"}


def test_name_version_license_and_citation_are_the_cards(
    history: History, dist: Path, document: dict[str, Any]
) -> None:
    dataset = tomllib.loads((history.clone / "pyproject.toml").read_text(encoding="utf-8"))
    table = dataset["tool"]["curation"]
    card = (dist / "README.md").read_text(encoding="utf-8")
    header = yaml.safe_load(card.split("---")[1])
    assert document["name"] == table["name"]
    assert document["alternateName"] == table["pretty_name"] == header["pretty_name"]
    assert document["version"] == table["version"] == header["version"]
    bibtex = re.search(r"```bibtex\n(.*?)\n```", card, re.S)
    assert bibtex is not None
    assert document["citeAs"] == bibtex.group(1)
    assert f"Version {table['version']}" in document["citeAs"]
    # The seeds state no license: the card says "other" and Croissant lists that, with
    # the maintainers' note from dataset.toml after it.
    assert header["license"] == "other"
    stated, note = document["license"]
    assert stated["name"] == "No license stated" and "identifier" not in stated
    assert note["name"] == "Maintainers' note"
    description = tomllib.loads((history.clone / "dataset.toml").read_text(encoding="utf-8"))
    assert note["description"] == " ".join(description["license_note"].split())
    assert document["description"].startswith(" ".join(description["summary"].split()))


def _mlcroissant(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*args], capture_output=True, text=True, encoding="utf-8", check=False, timeout=120
    )


def test_mlcroissant_validates_offline_without_warnings(dist: Path) -> None:
    result = _mlcroissant(str(MLCROISSANT), "validate", "--jsonld", str(dist / "croissant.json"))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warning" not in output.lower(), output


def test_mlcroissant_reads_every_record(history: History, dist: Path) -> None:
    result = _mlcroissant(sys.executable, "-c", READ_RECORDS, str(dist / "croissant.json"))
    assert result.returncode == 0, result.stderr
    records = {r["id"]: r for r in json.loads(result.stdout)}
    rows = {
        r["id"]: r
        for r in (row for p in dist.rglob("*.parquet") for row in pq.read_table(p).to_pylist())
    }
    assert sorted(records) == sorted(rows)
    assert history.new_id in records
    for record_id, row in rows.items():
        assert records[record_id]["text"] == row["text"]
        assert records[record_id]["steps"] == [p["step"] for p in row["provenance"]]
