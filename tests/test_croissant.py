"""``croissant.json``: valid for mlcroissant, every record set readable, equal to the Parquet rows, label names kept.

A scratch repository with the example annotations (no gold needed), built once; everything is local files.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from furat.dataset.build import build_dataset
from furat.dataset.card import LICENSE_NAME
from furat.dataset.croissant import CROISSANT, ENUMERATIONS
from furat.dataset.summary import CONFIGS, DIST
from tests.test_build import OFFLINE, ROOT, make_scratch

mlc = pytest.importorskip("mlcroissant")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        for key, value in OFFLINE.items():
            mp.setenv(key, value)
        repo = make_scratch(tmp_path_factory.mktemp("croissant") / "repo")
        build_dataset(repo)
    return repo / DIST


@pytest.fixture(scope="module")
def metadata(dist: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((dist / CROISSANT).read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def dataset(dist: Path) -> Any:
    return mlc.Dataset(jsonld=str(dist / CROISSANT))


def _plain(value: Any) -> Any:
    """A record value of mlcroissant as pyarrow gives it: text decoded, subfield keys without their prefix.

    mlcroissant gives a null struct (a quantity without ``counted``) as subfields that are all null.
    """
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, dict):
        plain = {key.rsplit("/", 1)[-1]: _plain(item) for key, item in value.items()}
        return None if all(item is None for item in plain.values()) else plain
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def test_conforms_and_validates_without_errors(dataset: Any, metadata: dict[str, Any]) -> None:
    assert "http://mlcommons.org/croissant/1.0" in metadata["conformsTo"]
    assert "http://mlcommons.org/croissant/RAI/1.0" in metadata["conformsTo"]
    assert not dataset.metadata.ctx.issues.errors
    assert metadata["inLanguage"] == "ar"
    assert metadata["license"]["name"] == LICENSE_NAME
    assert all(metadata[key] for key in ("rai:dataCollection", "rai:annotatorDemographics", "rai:dataLimitations"))


def test_file_objects_are_the_parquet_files_with_their_sha256(dist: Path, metadata: dict[str, Any]) -> None:
    objects = {item["contentUrl"]: item for item in metadata["distribution"] if item["@type"] == "cr:FileObject"}
    on_disk = {path.relative_to(dist).as_posix() for path in dist.glob("data/*/*.parquet")}
    assert set(objects) == on_disk
    for rel, item in objects.items():
        assert item["encodingFormat"] == "application/x-parquet"
        assert item["sha256"] == hashlib.sha256((dist / rel).read_bytes()).hexdigest()


def test_every_record_set_reads_back_as_the_parquet_rows(dist: Path, dataset: Any, metadata: dict[str, Any]) -> None:
    import pyarrow.parquet as pq

    configs = [config for config in CONFIGS if (dist / "data" / config).is_dir()]
    record_sets = [item["@id"] for item in metadata["recordSet"]]
    assert record_sets[: len(configs)] == configs  # then the label record sets
    for config in configs:
        expected = {}
        for path in sorted((dist / "data" / config).glob("*.parquet")):
            split = path.name.split("-", 1)[0]
            for row in pq.read_table(path).to_pylist():
                expected[split, row["id"]] = row
        got = {}
        for record in dataset.records(record_set=config):
            row = {key.split("/", 1)[1]: _plain(value) for key, value in record.items()}
            split = row.pop("split")
            got[split, row["id"]] = row
        assert got == expected, config
    for name in record_sets[len(configs) :]:
        assert list(dataset.records(record_set=name)), name


def test_class_label_names_are_enumerations_as_in_labels_json(dataset: Any, metadata: dict[str, Any]) -> None:
    labels = json.loads((ROOT / "schema" / "labels.json").read_text(encoding="utf-8"))
    codes = {layer: [item["code"] for item in labels[layer]] for layer in labels if isinstance(labels[layer], list)}
    codes["ner_tags"] = ["O", *(f"{p}-{code}" for code in codes["entity_types"] for p in ("B", "I"))]
    sets = {item["@id"]: item for item in metadata["recordSet"]}
    for (config, column), name in ENUMERATIONS.items():
        assert sets[name]["dataType"] == "sc:Enumeration"
        records = [_plain(r) for r in dataset.records(record_set=name)]
        assert [r["id"] for r in records] == list(range(len(codes[name])))
        assert [r["name"] for r in records] == codes[name], name
        if config not in sets:
            continue
        field = next(f for f in sets[config]["field"] if f["@id"] == f"{config}/{column}")
        assert field["dataType"] == "sc:Integer"
        if not field.get("repeated"):
            assert field["references"] == {"field": {"@id": f"{name}/id"}}
        assert name in field["description"]
