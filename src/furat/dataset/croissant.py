"""``croissant.json``: Croissant 1.0 metadata (with the RAI vocabulary) of the built dataset.

The Hub derives Croissant metadata from the Parquet files, but exports a ``ClassLabel`` as a bare
integer. This file keeps the label names: every label inventory is a ``cr:RecordSet`` with
``dataType: sc:Enumeration`` and inline ``data`` rows (``id``, ``name``), and each ClassLabel field
``references`` that record set's ``id``. A list of ClassLabel ids (``ner_tags``) names its record set in
its description only: mlcroissant turns ``references`` into a join on the column, which fails for a
list column. Record sets read the Parquet files of their config through a
``cr:FileSet``; every Parquet file is also listed as a ``cr:FileObject`` with its sha256.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from furat.dataset.card import CONFIG_ROWS, LICENSE_DETAILS, LICENSE_NAME, TAGS
from furat.dataset.summary import CONFIGS, DATA_FILE, SPLITS, Summary

__all__ = ["CROISSANT", "DataFile", "croissant_metadata", "data_files"]

CROISSANT = "croissant.json"
CONFORMS_TO = ["http://mlcommons.org/croissant/1.0", "http://mlcommons.org/croissant/RAI/1.0"]
PARQUET = "application/x-parquet"

# The @context of the Croissant 1.0 specification (and of mlcroissant's examples).
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "sc": "https://schema.org/",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "dct": "http://purl.org/dc/terms/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

# ClassLabel field -> the name of its label record set (the key of the inventory in labels.json).
ENUMERATIONS = {
    ("entities", "label"): "entity_types",
    ("quantities", "unit"): "units",
    ("quantities", "kind"): "quantity_kinds",
    ("stance", "target"): "stance_targets",
    ("stance", "label"): "stance_labels",
    ("ner", "ner_tags"): "ner_tags",
}
_DATA_TYPES = {"string": "sc:Text", "int32": "sc:Integer", "int64": "sc:Integer", "float64": "sc:Float"}
_DATA_TYPES |= {"bool": "sc:Boolean"}

DESCRIPTION = (
    "Arabic news articles (Modern Standard Arabic) on ISIS after its loss of territory, its fighters crossing "
    "the Iraq–Syria border and the battle for Baghuz, with stand-off annotations of named entities, quantities "
    "and stance. Offsets are half-open ranges of Unicode code points into a document's text. Splits are by "
    "document. Read DATASHEET.md before using the data."
)


@dataclass(frozen=True)
class DataFile:
    """One written Parquet file: its config, split, path relative to the dataset folder, sha256 and size."""

    config: str
    split: str
    path: str
    sha256: str
    size: int


def data_files(folder: Path, counts: Mapping[str, Mapping[str, int]]) -> list[DataFile]:
    """The Parquet files written into ``folder`` (configs and splits with rows), hashed."""
    files = []
    for config in CONFIGS:
        for split in SPLITS:
            if not counts.get(config, {}).get(split):
                continue
            rel = DATA_FILE.format(config=config, split=split)
            digest = hashlib.sha256()
            with (folder / rel).open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            files.append(DataFile(config, split, rel, digest.hexdigest(), (folder / rel).stat().st_size))
    return files


def _file_set(config: str) -> str:
    return f"parquet-files-{config}"


def _source(config: str, column: str, json_path: str | None = None) -> dict[str, Any]:
    source: dict[str, Any] = {"fileSet": {"@id": _file_set(config)}, "extract": {"column": column}}
    if json_path is not None:
        source["transform"] = {"jsonPath": json_path}
    return source


def _field(
    uid: str, feature: Any, config: str, column: str, json_path: str | None = None, repeated: bool = False
) -> tuple[dict[str, Any], list[str] | None]:
    """The ``cr:Field`` of a ``datasets`` feature, and its label names when it is a ClassLabel.

    A list becomes ``repeated: true``; a struct (a span) becomes ``subField``s read from the same column
    with a ``jsonPath`` transform.
    """
    from datasets import ClassLabel, List, Value

    if isinstance(feature, List):
        return _field(uid, feature.feature, config, column, json_path, repeated=True)
    field: dict[str, Any] = {"@type": "cr:Field", "@id": uid, "name": uid}
    if repeated:
        field["repeated"] = True
    if isinstance(feature, dict):
        field["subField"] = [
            _field(f"{uid}/{key}", value, config, column, key, repeated)[0] for key, value in feature.items()
        ]
        return field, None
    names: list[str] | None = None
    if isinstance(feature, ClassLabel):
        field["dataType"] = "sc:Integer"
        names = list(feature.names)
    elif isinstance(feature, Value) and feature.dtype in _DATA_TYPES:
        field["dataType"] = _DATA_TYPES[feature.dtype]
    else:
        raise ValueError(f"no Croissant data type for the feature {feature!r} of {uid}")
    field["source"] = _source(config, column, json_path)
    return field, names


def _enumeration(name: str, names: list[str], used_by: str) -> dict[str, Any]:
    """A label inventory as a ``sc:Enumeration`` record set with inline rows (id, name)."""
    return {
        "@type": "cr:RecordSet",
        "@id": name,
        "name": name,
        "description": f"The label names of {used_by}: the ClassLabel id and its name.",
        "dataType": "sc:Enumeration",
        "key": {"@id": f"{name}/id"},
        "field": [
            {"@type": "cr:Field", "@id": f"{name}/id", "name": f"{name}/id", "dataType": "sc:Integer"},
            {"@type": "cr:Field", "@id": f"{name}/name", "name": f"{name}/name", "dataType": "sc:Text"},
        ],
        "data": [{f"{name}/id": index, f"{name}/name": label} for index, label in enumerate(names)],
    }


def _record_sets(features: Mapping[str, Any], configs: Iterable[str]) -> list[dict[str, Any]]:
    """One record set per config (its split taken from the file name), then one per label inventory."""
    record_sets: list[dict[str, Any]] = []
    enumerations: dict[str, dict[str, Any]] = {}
    splits = "|".join(SPLITS)
    for config in configs:
        fields: list[dict[str, Any]] = [
            {
                "@type": "cr:Field",
                "@id": f"{config}/split",
                "name": f"{config}/split",
                "description": "The split of the row: train, validation or test (documents never span splits).",
                "dataType": "sc:Text",
                "source": {
                    "fileSet": {"@id": _file_set(config)},
                    "extract": {"fileProperty": "filename"},
                    "transform": {"regex": rf"^({splits})-\d+-of-\d+\.parquet$"},
                },
            }
        ]
        for column, feature in features[config].items():
            field, names = _field(f"{config}/{column}", feature, config, column)
            if names is not None:
                enum = ENUMERATIONS.get((config, column), f"{config}_{column}_names")
                enumerations[enum] = _enumeration(enum, names, f"{config}/{column}")
                field["description"] = f"A ClassLabel id: the {enum}/id whose {enum}/name is the label."
                if not field.get("repeated"):
                    field["references"] = {"field": {"@id": f"{enum}/id"}}
            fields.append(field)
        record_sets.append(
            {
                "@type": "cr:RecordSet",
                "@id": config,
                "name": config,
                "description": f"The {config} configuration: one row per {CONFIG_ROWS[config]}.",
                "field": fields,
            }
        )
    return record_sets + list(enumerations.values())


def _distribution(files: Iterable[DataFile]) -> list[dict[str, Any]]:
    files = list(files)
    objects = [
        {
            "@type": "cr:FileObject",
            "@id": file.path,
            "name": file.path,
            "description": f"The {file.split} split of the {file.config} configuration.",
            "contentUrl": file.path,
            "contentSize": f"{file.size} B",
            "encodingFormat": PARQUET,
            "sha256": file.sha256,
        }
        for file in files
    ]
    configs = list(dict.fromkeys(file.config for file in files))
    sets = [
        {
            "@type": "cr:FileSet",
            "@id": _file_set(config),
            "name": _file_set(config),
            "description": f"The Parquet files of the {config} configuration, one per split.",
            "encodingFormat": PARQUET,
            "includes": f"data/{config}/*.parquet",
        }
        for config in configs
    ]
    return objects + sets


def _annotators(summary: Summary) -> list[str]:
    """What the annotation files record about who made the annotations (rai:annotatorDemographics)."""
    recorded = sorted({pair for doc in summary.annotated for pair in doc.annotators})
    if not recorded:
        return ["No document of this build has an annotation file; no annotator is recorded."]
    listed = ", ".join(f"{kind}: {name}" for kind, name in recorded)
    lines = [f"The annotators, as the annotation files record them (kind: id): {listed}."]
    if all(kind == "ai-agent" for kind, _ in recorded):
        lines.append(
            "All of them are runs of a large language model, not people: no human annotated any document. "
            "Descriptions of annotators' age, gender, native language or training do not apply to them and are "
            "not given."
        )
    else:
        lines.append("No demographics of the annotators are recorded.")
    return lines


def _rai(summary: Summary) -> dict[str, Any]:
    """The RAI fields that DATASHEET.md answers, condensed from it; counts come from the summary."""
    per_split = ", ".join(f"{len(summary.in_split(s))} in {s}" for s in SPLITS)
    statuses = sorted({str(doc.status) for doc in summary.annotated})
    return {
        "rai:dataCollection": (
            "Plain-text copies of published Arabic news articles, kept byte for byte as received, each with its "
            "sha256 recorded in the repository's seeds/manifest.json; the manifest records the metadata each text "
            "states. Who copied the articles, from where and when, and how they were chosen, is not recorded."
        ),
        "rai:dataCollectionMissingData": (
            "Outlet, author, date and section are null where an article does not state them; no source URL is "
            "recorded for any article."
        ),
        "rai:dataCollectionRawData": "The raw texts are kept in the Furat repository (seeds/); the dataset holds "
        "the cleaned texts only.",
        "rai:dataPreprocessingProtocol": [
            "Cleaning by rules (seeds/cleaning.json): page furniture, captions and pull quotes are removed; "
            "dates, bylines and datelines become metadata; spaces are normalized and the text is in Unicode NFC. "
            "Typing errors of the sources are kept, never corrected.",
            "Paragraphs, sentences and tokens are made by rules, not by hand; tokens keep attached clitics.",
        ],
        "rai:dataAnnotationProtocol": [
            "Stand-off annotations over the document text: flat named entities (outermost mention, attached "
            "proclitics outside the span), quantities with a normalized value or bounds, unit, kind and an "
            "approximate flag, and stances (favor, against, none) of a holder toward listed target claims, with "
            "the evidence span. Labels and definitions: schema/labels.json; rules: annotations/GUIDELINES.md.",
            "Provenance status of the annotation files in this build: " + (", ".join(statuses) or "none") + ".",
            "Only documents with an annotation file give rows to the entities, quantities, stance and ner configs.",
        ],
        "rai:dataAnnotationAnalysis": [
            "Agreement between independent annotation passes, where they exist, is computed by furat agreement "
            "and reported in DATASHEET.md with its limits."
        ],
        "rai:annotatorDemographics": _annotators(summary),
        "rai:dataBiases": [
            "The articles all report one topic (ISIS after its loss of territory, the Iraq–Syria border, the "
            "battle for Baghuz); they are not a representative sample of anything.",
            "The annotations are made by a large language model, with the errors and biases such systems have.",
        ],
        "rai:dataLimitations": [
            f"{len(summary.documents)} documents ({per_split}): scores on small splits say little.",
            "Modern Standard Arabic news prose only; dialectal Arabic is not represented.",
            "Not suited to training a production system from this data alone, to claims about Arabic news in "
            "general or about how outlets cover the conflict, or to treating stance labels as facts.",
        ],
        "rai:dataUseCases": [
            "Research on Arabic named-entity recognition, quantity extraction and normalization, and stance "
            "detection; evaluating tools on Modern Standard Arabic news; teaching how an annotated corpus is "
            "built and documented.",
            "Not for profiling, surveillance or any decision about the people named in it, and not for any "
            "commercial use of the article texts.",
        ],
        "rai:dataSocialImpact": (
            "The subject is violent extremism: the texts quote officials and reports about ISIS, some passages "
            "describe violence, and some quoted sources accuse ethnic and religious groups. A model trained on "
            "this data can learn to associate names, nationalities and groups with violence."
        ),
        "rai:personalSensitiveInformation": [
            "The articles name real people (politicians, government, military and security officials, "
            "spokespeople, experts, the leader of ISIS) as the published articles name them; the author field "
            "names the journalist of a byline. Being named in an article about terrorism says nothing about a "
            "person. The people named were not asked."
        ],
        "rai:dataReleaseMaintenancePlan": (
            "Maintained by the Furat project. Articles are added with a recorded split that never moves; an "
            "article is removed from the next version when its publisher, or a person named in it, asks."
        ),
    }


def croissant_metadata(
    features: Mapping[str, Any],
    files: Iterable[DataFile],
    summary: Summary,
    version: str,
    repo_id: str | None = None,
) -> dict[str, Any]:
    """The Croissant JSON-LD of a built dataset: its features, its written Parquet files and its summary."""
    files = list(files)
    configs = [config for config in CONFIGS if any(file.config == config for file in files)]
    url = f"https://huggingface.co/datasets/{repo_id}" if repo_id else None
    cite = (
        "@misc{furat,\n  title = {Furat (الفرات): Arabic news annotated for named entities, quantities and "
        f"stance}},\n  author = {{{{The Furat project}}}},\n  note = {{Version {version}}}"
        + (f",\n  url = {{{url}}}" if url else "")
        + "\n}"
    )
    metadata: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": "Furat",
        "alternateName": "الفرات",
        "description": DESCRIPTION,
        "conformsTo": CONFORMS_TO,
        "citeAs": cite,
        "creator": {"@type": "sc:Organization", "name": "The Furat project"},
        "license": {
            "@type": "sc:CreativeWork",
            "name": LICENSE_NAME,
            "description": LICENSE_DETAILS,
            "url": "DATASHEET.md",
        },
        "version": version,
        "inLanguage": "ar",
        "keywords": list(TAGS),
    }
    if url:
        metadata["url"] = url
    metadata |= _rai(summary)
    metadata["distribution"] = _distribution(files)
    metadata["recordSet"] = _record_sets(features, configs)
    return metadata
