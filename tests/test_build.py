"""``furat build``: the dataset training code loads, checked by loading it back with ``load_dataset`` offline.

Scratch repositories only (the real seeds, schema and corpus, plus the example annotations of
``tests/fixtures/valid/``, or the synthetic repository), so nothing here depends on gold annotations.
"""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from furat.bench.build import bench_build
from furat.check.validate import validate_repo
from furat.cli.main import main
from furat.core.annotation import AnnotationSet
from furat.core.findings import FuratError
from furat.core.model import Document, Segment
from furat.core.repo import Repo, manifest_known
from furat.corpus.segment import token_spans
from furat.dataset.build import build_dataset
from furat.dataset.card import LICENSE_NAME
from furat.dataset.features import config_features
from furat.dataset.loadback import summary_after_build
from furat.dataset.rows import document_rows, ner_tags
from furat.dataset.summary import CONFIGS, DIST, SPLITS, summarize

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "fixtures" / "valid" / "004_6a18982ae2c37ec8.json"
INVALID = ROOT / "tests" / "fixtures" / "invalid"
OFFLINE = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}


def make_scratch(dest: Path, annotations: bool = True) -> Path:
    """A scratch repository: seeds, schema, corpus and DATASHEET.md, with the example annotations."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in ("seeds", "schema", "corpus"):
        shutil.copytree(ROOT / part, dest / part)
    shutil.copyfile(ROOT / "DATASHEET.md", dest / "DATASHEET.md")
    (dest / "annotations").mkdir()
    if annotations:
        shutil.copyfile(EXAMPLE, dest / "annotations" / EXAMPLE.name)
    return dest


@pytest.fixture(scope="module")
def offline() -> Iterator[None]:
    """No network: the environment variables, and the flags ``datasets`` and ``huggingface_hub`` read at import."""
    import datasets.config
    import huggingface_hub.constants

    with pytest.MonkeyPatch.context() as mp:
        for key, value in OFFLINE.items():
            mp.setenv(key, value)
        mp.setattr(datasets.config, "HF_HUB_OFFLINE", True)
        mp.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
        yield


def load_all(dist: Path, cache: Path) -> dict[str, Any]:
    """Every config that was built, loaded back as training code would."""
    from datasets import load_dataset

    return {
        config: load_dataset(str(dist), config, cache_dir=str(cache))
        for config in CONFIGS
        if (dist / "data" / config).is_dir()
    }


@pytest.fixture(scope="module", params=["gold", "example", "synthetic"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, offline: None) -> dict[str, Any]:
    """A scratch repository built once: a copy of the real one with its gold, the seeds with the example
    annotations, or 10 synthetic documents."""
    tmp = tmp_path_factory.mktemp(request.param)
    if request.param == "gold":
        repo = make_scratch(tmp / "repo", annotations=False)
        shutil.copytree(ROOT / "annotations", repo / "annotations", dirs_exist_ok=True)
    elif request.param == "example":
        repo = make_scratch(tmp / "repo")
    else:
        from furat.bench.synthetic import make_repository

        repo = tmp / "repo"
        repo.mkdir()
        make_repository(ROOT, repo, 10)
        shutil.copyfile(ROOT / "DATASHEET.md", repo / "DATASHEET.md")
    result = build_dataset(repo)
    return {"repo": repo, "result": result, "loaded": load_all(repo / DIST, tmp / "cache")}


def rows(loaded: dict[str, Any], config: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for split, dataset in loaded[config].items():
        for row in dataset:
            yield split, row


def texts(loaded: dict[str, Any]) -> dict[str, str]:
    return {row["id"]: row["text"] for _, row in rows(loaded, "documents")}


# --------------------------------------------------------------------------------------------------
# Features


def test_class_label_names_are_those_of_labels_json(built: dict[str, Any]) -> None:
    labels = json.loads((built["repo"] / "schema" / "labels.json").read_text(encoding="utf-8"))
    codes = {layer: [item["code"] for item in labels[layer]] for layer in labels if isinstance(labels[layer], list)}
    loaded = built["loaded"]
    features = {config: next(iter(loaded[config].values())).features for config in loaded}
    assert features["entities"]["label"].names == codes["entity_types"]
    assert features["quantities"]["unit"].names == codes["units"]
    assert features["quantities"]["kind"].names == codes["quantity_kinds"]
    assert features["stance"]["target"].names == codes["stance_targets"]
    assert features["stance"]["label"].names == codes["stance_labels"]
    bio = features["ner"]["ner_tags"].feature.names
    assert bio[0] == "O"
    assert bio[1:] == [f"{p}-{code}" for code in codes["entity_types"] for p in ("B", "I")]


def test_features_are_the_annotation_schema_properties(built: dict[str, Any]) -> None:
    schema = json.loads((built["repo"] / "schema" / "annotation.schema.json").read_text(encoding="utf-8"))
    defs = schema["$defs"]
    loaded = built["loaded"]
    context = {"entities": {"doc_id", "sentence_id"}, "quantities": {"doc_id", "sentence_id"}, "stance": {"doc_id"}}
    for config, name in (("entities", "entity"), ("quantities", "quantity"), ("stance", "stance")):
        features = next(iter(loaded[config].values())).features
        assert set(features) == set(defs[name]["properties"]) | context[config], config
    counted = next(iter(loaded["quantities"].values())).features["counted"]
    assert set(counted) == set(defs["span"]["properties"])


def test_documents_features_come_from_the_corpus_schema(built: dict[str, Any]) -> None:
    schema = json.loads((built["repo"] / "schema" / "corpus.schema.json").read_text(encoding="utf-8"))
    known = set(schema["properties"]) | set(schema["properties"]["meta"]["properties"]) | {"annotation_status"}
    features = next(iter(built["loaded"]["documents"].values())).features
    assert set(features) <= known
    assert {"id", "title", "text", "outlet", "author", "published", "url", "sentences"} <= set(features)
    segment = set(schema["$defs"]["segment"]["properties"])
    assert set(features["sentences"].feature) == segment - {"kind"}
    assert set(features["paragraphs"].feature) == segment


def test_loaded_features_are_the_derived_features(built: dict[str, Any]) -> None:
    """What Parquet + the card give back is exactly what build derived: nothing lost on the way."""
    derived = config_features(built["repo"] / "schema")
    for config, dataset in built["loaded"].items():
        for split in dataset.values():
            assert split.features == derived[config], config


# --------------------------------------------------------------------------------------------------
# Splits and spans


def test_splits_are_by_document_as_the_manifest_records(built: dict[str, Any]) -> None:
    manifest = json.loads((built["repo"] / "seeds" / "manifest.json").read_text(encoding="utf-8"))
    recorded = {entry["id"]: entry["split"] for entry in manifest["documents"]}
    for config in built["loaded"]:
        seen: dict[str, str] = {}
        for split, row in rows(built["loaded"], config):
            doc_id = row["id"] if config == "documents" else row["doc_id"]
            assert seen.setdefault(doc_id, split) == split, f"{config}: {doc_id} is in two splits"
            assert recorded[doc_id] == split
    documents = built["loaded"]["documents"]
    assert sum(d.num_rows for d in documents.values()) == len(recorded)


def test_every_span_is_the_document_text_at_its_offsets(built: dict[str, Any]) -> None:
    text = texts(built["loaded"])
    sentences = {
        s["id"]: (s["start"], s["end"]) for _, row in rows(built["loaded"], "documents") for s in row["sentences"]
    }
    checked = 0
    for config in ("entities", "quantities", "stance"):
        for _, row in rows(built["loaded"], config):
            assert row["text"] == text[row["doc_id"]][row["start"] : row["end"]], row["id"]
            if "sentence_id" in row:
                start, end = sentences[row["sentence_id"]]
                assert start <= row["start"] < end, row["id"]
            counted = row.get("counted")
            if counted:
                assert counted["text"] == text[row["doc_id"]][counted["start"] : counted["end"]]
            checked += 1
    assert checked > 0


def test_only_annotated_documents_give_annotation_rows(built: dict[str, Any]) -> None:
    status = {row["id"]: row["annotation_status"] for _, row in rows(built["loaded"], "documents")}
    annotated = {doc_id for doc_id, value in status.items() if value is not None}
    assert annotated == {p.stem for p in (built["repo"] / "annotations").glob("*.json")}
    assert {row["doc_id"] for _, row in rows(built["loaded"], "ner")} == annotated


# --------------------------------------------------------------------------------------------------
# ner: BIO tags agree with the entities


def spans_from_bio(tags: list[str], spans: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Entity spans read back from BIO tags over token spans (what a tagger's output turns into)."""
    found: list[tuple[int, int, str]] = []
    for tag, (start, end) in zip(tags, spans, strict=True):
        if tag.startswith("B-") or (tag.startswith("I-") and (not found or found[-1][2] != tag[2:])):
            found.append((start, end, tag[2:]))
        elif tag.startswith("I-"):
            found[-1] = (found[-1][0], end, found[-1][2])
    return found


def test_ner_tags_agree_with_the_entities(built: dict[str, Any]) -> None:
    """Rebuild entity spans from the BIO tags over the token spans; they are the entities widened to tokens."""
    text = texts(built["loaded"])
    sentences = {s["id"]: s for _, row in rows(built["loaded"], "documents") for s in row["sentences"]}
    entities: dict[str, list[dict[str, Any]]] = {}
    names = next(iter(built["loaded"]["entities"].values())).features["label"].names
    for _, row in rows(built["loaded"], "entities"):
        entities.setdefault(row["sentence_id"], []).append(row)
    bio = next(iter(built["loaded"]["ner"].values())).features["ner_tags"].feature.names
    compared = 0
    for _, row in rows(built["loaded"], "ner"):
        doc_text, sentence = text[row["doc_id"]], sentences[row["id"]]
        spans = token_spans(doc_text, sentence["start"], sentence["end"])
        assert row["tokens"] == [doc_text[a:b] for a, b in spans]
        tags = [bio[t] for t in row["ner_tags"]]
        expected = []
        for entity in entities.get(row["id"], []):
            first = next(a for a, b in spans if b > entity["start"])
            last = max(b for a, b in spans if a < entity["end"])
            expected.append((first, last, names[entity["label"]]))
        assert spans_from_bio(tags, spans) == sorted(expected), row["id"]
        compared += len(expected)
    assert compared == sum(1 for _ in rows(built["loaded"], "entities"))


def test_a_token_with_a_proclitic_is_tagged_with_the_entity_inside_it(documents: dict[str, Document]) -> None:
    annotations = AnnotationSet.from_json(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    doc = documents["004"]
    entities = sorted(annotations.entities, key=lambda e: e.start)
    tokens, tags = ner_tags(doc.text, doc.sentences[0], entities)
    tagged = {token: tag for token, tag in zip(tokens, tags, strict=True) if tag != "O"}
    assert tagged == {"داعش": "B-ORG", "بسوريا": "B-GPE"}  # the entity is سوريا; the token keeps ب
    assert doc.text[entities[1].start : entities[1].end] == "سوريا"


def test_lداعش_is_one_token_tagged_b_org() -> None:
    from furat.core.annotation import Entity

    text = "تسلل لداعش إلى العراق"
    start = text.index("داعش")
    sentence = Segment("x-s001", 0, len(text))
    entities = [Entity("x-e0001", start, start + 4, "داعش", "ORG"), Entity("x-e0002", 15, 21, "العراق", "GPE")]
    assert ner_tags(text, sentence, entities) == (["تسلل", "لداعش", "إلى", "العراق"], ["O", "B-ORG", "O", "B-GPE"])


def test_two_entities_in_one_token_are_reported() -> None:
    from furat.core.annotation import Entity

    text = "سورياوالعراق"
    entities = [Entity("x-e0001", 0, 5, "سوريا", "GPE"), Entity("x-e0002", 6, 12, "العراق", "GPE")]
    notes: list[str] = []
    assert ner_tags(text, Segment("x-s001", 0, len(text)), entities, notes)[1] == ["B-GPE"]
    assert notes == ["x-e0002 shares the token 'سورياوالعراق' with x-e0001"]


def _reference_tags(text: str, sentence: Segment, entities: list[Any]) -> tuple[list[str], list[str]]:
    """BIO tags the plain way: every token span, and each entity's overlapping tokens."""
    spans = token_spans(text, sentence.start, sentence.end)
    tags, owner = ["O"] * len(spans), set()
    for entity in entities:
        prefix = "B-"
        for k, (start, end) in enumerate(spans):
            if end > entity.start and start < entity.end and k not in owner:
                owner.add(k)
                tags[k], prefix = prefix + entity.label, "I-"
    return [text[a:b] for a, b in spans], tags


def _row_tables(doc: dict[str, Any], annotations: dict[str, Any]) -> dict[str, Any]:
    import pyarrow as pa

    from furat.core.labels import load_labels
    from furat.dataset.features import bio_names

    features = config_features(ROOT / "schema")
    bio = {name: i for i, name in enumerate(bio_names(load_labels(ROOT / "schema" / "labels.json")))}
    rows, _ = document_rows(doc, annotations, features, bio)
    return {config: pa.Table.from_pylist(rows[config], schema=features[config].arrow_schema) for config in rows}


def test_rows_of_the_files_are_the_rows_of_the_model() -> None:
    """The build makes rows from the files as the checks parsed them, ``furat silver`` from the model's
    JSON: for every gold document the two give the same rows, and neither input is changed."""
    gold = Repo(ROOT).gold_sets()
    assert gold
    for doc_id in gold:
        doc = json.loads((ROOT / "corpus" / f"{doc_id}.json").read_text(encoding="utf-8"))
        annotations = json.loads((ROOT / "annotations" / f"{doc_id}.json").read_text(encoding="utf-8"))
        before = json.dumps([doc, annotations])
        from_files = _row_tables(doc, annotations)
        assert json.dumps([doc, annotations]) == before
        from_model = _row_tables(Document.from_json(doc).to_json(), AnnotationSet.from_json(annotations).to_json())
        assert from_files.keys() == from_model.keys() == set(CONFIGS)
        expected = {
            "documents": 1,
            "entities": len(annotations["entities"]),
            "quantities": len(annotations["quantities"]),
            "stance": len(annotations["stances"]),
            "ner": len(doc["sentences"]),
        }
        for config, table in from_files.items():
            assert table.equals(from_model[config]), (doc_id, config)
            assert table.num_rows == expected[config], (doc_id, config)
        # a file may leave out what has no value: a row without the field reads as null, as the model's None
        lean = {
            **annotations,
            "quantities": [{k: v for k, v in q.items() if k != "counted"} for q in annotations["quantities"]],
            "stances": [{k: v for k, v in t.items() if k != "holder_kind"} for t in annotations["stances"]],
        }
        nulls = _row_tables(doc, lean)
        assert nulls["quantities"].column("counted").null_count == len(annotations["quantities"])
        assert nulls["stance"].column("holder_kind").null_count == len(annotations["stances"])
        modelled = _row_tables(doc, AnnotationSet.from_json(lean).to_json())
        assert all(nulls[config].equals(modelled[config]) for config in CONFIGS), doc_id


def test_a_field_or_label_the_features_lack_is_a_bug_not_a_row() -> None:
    doc_id = next(iter(Repo(ROOT).gold_sets()))
    doc = json.loads((ROOT / "corpus" / f"{doc_id}.json").read_text(encoding="utf-8"))
    annotations = json.loads((ROOT / "annotations" / f"{doc_id}.json").read_text(encoding="utf-8"))
    entity = annotations["entities"][0]
    with pytest.raises(ValueError, match=f"{entity['id']}: fields \\['note'\\]"):
        _row_tables(doc, {**annotations, "entities": [{**entity, "note": "x"}]})
    with pytest.raises(ValueError, match="label 'PERSON' is not one of"):
        _row_tables(doc, {**annotations, "entities": [{**entity, "label": "PERSON"}]})


@given(
    st.lists(
        st.sampled_from(["داعش", "لداعش", "أ.ف.ب", "5,800", "(", "»", "و", "بسوريا", "x", "،", "ـ"]),
        min_size=1,
        max_size=12,
    ),
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8)), max_size=4),
    st.lists(st.sampled_from([" ", "  ", " \u00a0", "\n", ""]), min_size=1, max_size=3),
    st.tuples(st.integers(0, 70), st.integers(0, 70)),
)
def test_ner_tags_are_those_of_every_token_span(
    words: list[str], cuts: list[tuple[int, int]], spaces: list[str], bounds: tuple[int, int]
) -> None:
    """Any sentence of a text (also one that starts or ends inside a word) and entities anywhere in it,
    across its ends too."""
    from furat.core.annotation import Entity

    text = "".join(word + spaces[k % len(spaces)] for k, word in enumerate(words))
    entities, reach = [], 0
    for number, (start, length) in enumerate(sorted(cuts)):
        start, end = max(start, reach), min(max(start, reach) + length, len(text))
        if start < end and not text[start].isspace() and not text[end - 1].isspace():
            entities.append(Entity(f"x-e{number:04d}", start, end, text[start:end], "ORG"))
            reach = end
    low, high = sorted(min(b, len(text)) for b in bounds)
    if low == high:
        low, high = 0, len(text)
    sentence = Segment("x-s001", low, high)
    assert ner_tags(text, sentence, entities) == _reference_tags(text, sentence, entities)


# --------------------------------------------------------------------------------------------------
# The card


def test_the_card_yaml_parses_and_validates_with_huggingface_hub(built: dict[str, Any]) -> None:
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCard, DatasetCardData

    content = (built["repo"] / DIST / "README.md").read_text(encoding="utf-8")
    card = DatasetCard(content)
    data = card.data
    assert isinstance(data, DatasetCardData)
    assert data.language == ["ar"]
    assert data.license == "other"
    assert data["license_name"] == LICENSE_NAME  # extra fields of the card, read as items
    assert "CC BY 4.0" in data["license_details"] and "Apache-2.0" in data["license_details"]
    assert "no licence" in data["license_details"] and data["license_link"] == "DATASHEET.md"
    assert (built["repo"] / DIST / "DATASHEET.md").is_file()
    assert data.task_categories == ["token-classification", "text-classification"]
    assert data.task_ids == ["named-entity-recognition", "multi-class-classification"]
    assert data.pretty_name == "Furat"
    assert data.language_creators == ["found"] and data.multilinguality == ["monolingual"]
    assert data.source_datasets == ["original"] and data.size_categories == ["n<1K"]
    assert data.annotations_creators == ["machine-generated"]
    assert data["tags"]
    # configs and dataset_info, as datasets itself reads them
    configs = MetadataConfigs.from_dataset_card_data(data)
    infos = DatasetInfosDict.from_dataset_card_data(data)
    assert set(configs) == set(infos) == set(built["loaded"])
    for config, loaded in built["loaded"].items():
        files = {item["split"]: item["path"] for item in configs[config]["data_files"]}
        assert files == {split: f"data/{config}/{split}-*" for split in loaded}
        splits = infos[config].splits
        assert {name: info.num_examples for name, info in splits.items()} == {s: d.num_rows for s, d in loaded.items()}
        assert all(info.num_bytes > 0 for info in splits.values())
        assert infos[config].features == next(iter(loaded.values())).features
    # the datasheet is copied in, statistics included
    datasheet = (built["repo"] / "DATASHEET.md").read_text(encoding="utf-8")
    assert card.text.rstrip().endswith(datasheet.rstrip())


# --------------------------------------------------------------------------------------------------
# Refusals, atomic writes, empty configs


def test_build_refuses_unless_validate_is_clean(tmp_path: Path) -> None:
    repo = make_scratch(tmp_path / "repo")
    build_dataset(repo)
    before = {p: p.read_bytes() for p in (repo / DIST).rglob("*") if p.is_file()}
    shutil.copyfile(INVALID / "span-text-mismatch.json", repo / "annotations" / EXAMPLE.name)
    with pytest.raises(FuratError) as error:
        build_dataset(repo)
    assert error.value.exit_code == 1
    assert [f.code for f in error.value.findings] == ["span-text-mismatch", "build-refused"]
    assert {p: p.read_bytes() for p in (repo / DIST).rglob("*") if p.is_file()} == before  # untouched


def test_documents_of_one_story_must_share_a_split(tmp_path: Path) -> None:
    repo = make_scratch(tmp_path / "repo", annotations=False)
    path = repo / "seeds" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["documents"][0]["story"] = "baghuz"  # train
    manifest["documents"][1]["story"] = "baghuz"  # validation
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    with pytest.raises(FuratError) as error:
        build_dataset(repo)
    # furat validate reports it (the build refuses on exactly what validate reports)
    finding, refused = error.value.findings
    assert (finding.code, finding.path, finding.pointer) == ("story-split", "seeds/manifest.json", "/documents/1/split")
    lines = path.read_text(encoding="utf-8").split("\n")
    entry = lines.index('      "id": "001_dc33664b38d03477",')
    assert finding.line == next(i for i in range(entry, len(lines)) if '"split": "validation"' in lines[i]) + 1
    assert refused.code == "build-refused"
    assert not (repo / DIST).exists()


def test_a_failed_build_leaves_the_previous_one_and_no_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import furat.dataset.build

    repo = make_scratch(tmp_path / "repo")
    build_dataset(repo)
    card = (repo / DIST / "README.md").read_text(encoding="utf-8")

    def broken(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(furat.dataset.build, "_write_data", broken)
    with pytest.raises(OSError):
        build_dataset(repo)
    assert (repo / DIST / "README.md").read_text(encoding="utf-8") == card
    assert sorted(p.name for p in (repo / "dist").iterdir()) == ["dataset"]
    monkeypatch.undo()
    build_dataset(repo)  # and a rebuild replaces it whole, leaving nothing beside it
    assert sorted(p.name for p in (repo / "dist").iterdir()) == ["dataset"]


def test_without_annotation_files_only_documents_are_built(tmp_path: Path, offline: None) -> None:
    repo = make_scratch(tmp_path / "repo", annotations=False)
    thresholds = gc.get_threshold()
    result = build_dataset(repo)
    # the pass sets the garbage collector for itself (frozen heap, rarer young collections) and resets it
    assert gc.get_threshold() == thresholds and gc.get_freeze_count() == 0
    splits = Counter(entry.split for entry in Repo(repo).manifest)
    assert result.counts == {"documents": {split: splits[split] for split in SPLITS}}
    assert sorted(p.name for p in (repo / DIST / "data").iterdir()) == ["documents"]
    card = (repo / DIST / "README.md").read_text(encoding="utf-8")
    from huggingface_hub import DatasetCard

    assert DatasetCard(card).data["annotations_creators"] == ["no-annotation"]
    assert "`entities`, `quantities`, `stance`, `ner` have no rows yet" in card
    summary = summary_after_build(repo)
    [line] = [line for line in summary.splitlines() if line.startswith("documents ")]
    assert line.split()[1:4] == [str(splits[split]) for split in SPLITS]
    assert "not built (no rows yet: no annotation files): entities, quantities, stance, ner" in summary


def test_summary_after_build_loads_every_config_in_a_fresh_offline_process(built: dict[str, Any]) -> None:
    env = {**os.environ, **OFFLINE, "HF_HOME": str(built["repo"] / ".hf-home")}
    code = "import sys; from pathlib import Path; from furat.dataset.loadback import summary_after_build; "
    code += "print(summary_after_build(Path(sys.argv[1])))"
    done = subprocess.run(
        [sys.executable, "-c", code, str(built["repo"])], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "dist/dataset, loaded back with datasets.load_dataset:"
    counted = {line.split()[0]: line.split()[1:4] for line in lines[2:] if line.split()[0] in CONFIGS}
    for config, loaded in built["loaded"].items():
        assert counted[config] == [str(loaded[s].num_rows) if s in loaded else "-" for s in SPLITS]


def test_the_summary_reads_splits_and_annotations(tmp_path: Path) -> None:
    repo = make_scratch(tmp_path / "repo")
    summary = summarize(repo)
    manifest = Repo(repo).manifest
    assert [d.id for d in summary.documents] == [entry.id for entry in manifest]
    assert [d.split for d in summary.documents] == [entry.split for entry in manifest]
    assert [d.id for d in summary.annotated] == ["004_6a18982ae2c37ec8"]
    assert summary.annotated[0].annotators == (("ai-agent", "furat-developers"),)


def test_build_command_writes_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_scratch(tmp_path / "repo")
    assert main(["--root", str(repo), "build", "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    [line] = [line for line in out.splitlines() if line.startswith("ner ")]
    assert line.split() == ["ner", "-", "-", "14"]
    assert (tmp_path / "out" / "README.md").is_file() and not (repo / DIST).exists()


def test_bench_build_reports_figures_without_judging_them(tmp_path: Path) -> None:
    synthetic = 5  # documents the benchmark generates (not the corpus)
    start = time.perf_counter()
    figures = bench_build(ROOT, synthetic)
    waited = time.perf_counter() - start
    assert figures["documents"] == synthetic and figures["rows"]["documents"] == synthetic
    assert figures["seconds"] > 0 and figures["build_peak_rss_mb"] > 0
    assert set(figures["rows"]) == set(CONFIGS)
    # the CPU of the build's processes: no more than the cores can give in the time the build was waited for
    assert 0 < figures["cpu_seconds"] <= waited * (os.cpu_count() or 1)
    assert figures["cpu_over_floor_cpu"] > 1  # a build does more than parse its files


def test_the_readme_snippet_runs(built: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """The training-code example of README.md, run as written in a built repository."""
    if "train" not in built["loaded"]["ner"]:
        pytest.skip("the example annotations have no train split; the synthetic repository has")
    doc = (ROOT / "README.md").read_text(encoding="utf-8")
    [snippet] = re.findall(r"```python\n(.*?)```", doc, re.DOTALL)
    monkeypatch.chdir(built["repo"])
    exec(compile(snippet, "README.md", "exec"), {})


def test_build_checks_files_of_no_manifest_document_in_its_one_pass(tmp_path: Path) -> None:
    """Validation and rows are one pass over the manifest's documents; files outside it are still checked."""
    repo = make_scratch(tmp_path / "repo")
    stray = next((repo / "corpus").glob("*.json"))
    shutil.copyfile(stray, repo / "corpus" / "999_0000000000000000.json")
    with pytest.raises(FuratError) as error:
        build_dataset(repo)
    *found, refused = error.value.findings
    assert ("document-mismatch", "corpus/999_0000000000000000.json") in {(f.code, f.path) for f in found}
    assert found == [f for f in validate_repo(repo) if f.level == "error"]  # exactly what validate reports
    assert refused.code == "build-refused"
    assert not (repo / DIST).exists()


def test_rows_are_the_same_on_one_process_and_on_two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow.parquet as pq

    import furat.check.parallel
    from furat.bench.synthetic import make_repository

    repo = tmp_path / "repo"
    make_repository(ROOT, repo, 24)  # enough documents for several runs on two processes
    shutil.copyfile(ROOT / "DATASHEET.md", repo / "DATASHEET.md")
    tables = []
    for workers in (1, 2):
        monkeypatch.setattr(furat.check.parallel, "workers_available", lambda n=workers: n)
        result = build_dataset(repo, tmp_path / f"dist-{workers}")
        files = sorted(p.relative_to(result.out) for p in result.out.rglob("*.parquet"))
        assert files
        tables.append({f: pq.read_table(result.out / f) for f in files})
    assert tables[0].keys() == tables[1].keys()
    for name, table in tables[0].items():
        assert table.equals(tables[1][name]), name


def test_the_build_reads_the_manifest_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each part of the build (its splits, the datasheet's tables) makes a ``Repo`` of its own; the manifest
    they read is the one the build read and checked first, not a new reading of the file each."""
    from furat.bench.synthetic import make_repository
    from furat.core.jsonio import loads_strict

    repo = tmp_path / "repo"
    make_repository(ROOT, repo, 10)
    shutil.copyfile(ROOT / "DATASHEET.md", repo / "DATASHEET.md")
    readings: list[str] = []

    def counted(raw: str) -> Any:
        readings.append(raw)
        return loads_strict(raw)

    monkeypatch.setattr("furat.core.repo.loads_strict", counted)
    build_dataset(repo)
    manifest = (repo / "seeds" / "manifest.json").read_text(encoding="utf-8")
    assert readings.count(manifest) == 1


def test_manifest_known_gives_every_repo_of_the_folder_the_one_reading(tmp_path: Path) -> None:
    repo = make_scratch(tmp_path / "repo", annotations=False)
    other = make_scratch(tmp_path / "other", annotations=False)
    entries = Repo(repo).manifest
    with manifest_known(Repo(repo)):
        (repo / "seeds" / "manifest.json").write_text("{", encoding="utf-8")  # changed after it was read
        assert Repo(repo).manifest == entries
        assert Repo(other).manifest == Repo(other).manifest  # another folder reads its own
    with pytest.raises(FuratError):  # outside the block: the file as it is now
        _ = Repo(repo).manifest
    with pytest.raises(FuratError), manifest_known(Repo(repo)):
        pass  # an unusable manifest is refused when the block starts


@pytest.mark.parametrize("space", [" ", "\u00a0", "\t"])
def test_an_entity_across_a_sentence_end_tags_the_tokens_inside(space: str) -> None:
    """With spaces only (tokens found by counting characters) and with other white space (by offsets)."""
    from furat.core.annotation import Entity

    text = space.join(["قالت", "قوات", "سوريا", "الديمقراطية،", "إنها", "لداعش"])
    start, end = text.index("قوات"), text.index("الديمقراطية") + len("الديمقراطية")
    entities = [Entity("x-e0001", start, end, text[start:end], "ORG")]
    for sentence in (Segment("x-s002", text.index("سوريا"), len(text)), Segment("x-s001", 0, text.index("سوريا") - 1)):
        assert ner_tags(text, sentence, entities) == _reference_tags(text, sentence, entities)
    tokens, tags = ner_tags(text, Segment("x-s002", text.index("سوريا"), len(text)), entities)
    assert list(zip(tokens, tags, strict=True))[:3] == [("سوريا", "B-ORG"), ("الديمقراطية", "I-ORG"), ("،", "O")]


def test_parquet_columns_have_statistics_but_those_of_prose(built: dict[str, Any]) -> None:
    """A reader skips row groups by the smallest and largest ids, offsets and labels; never by an article's text."""
    import pyarrow.parquet as pq

    prose = {("documents", "text"), ("ner", "tokens.list.element")}
    seen = set()
    for path in sorted((built["repo"] / DIST / "data").glob("*/*.parquet")):
        config = path.parent.name
        metadata = pq.ParquetFile(path).metadata
        for group in range(metadata.num_row_groups):
            for k in range(metadata.num_columns):
                column = metadata.row_group(group).column(k)
                assert column.is_stats_set == ((config, column.path_in_schema) not in prose), (path.name, column)
                seen.add((config, column.path_in_schema))
    assert prose <= seen
