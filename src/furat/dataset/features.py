"""The ``datasets.Features`` of every config, derived from the JSON Schemas and ``schema/labels.json``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from furat.core.labels import Labels, load_labels
from furat.core.schemas import load_schema

# $defs of the annotation schema whose enums come from labels.json -> their codes.
_LABEL_DEFS = {
    "entity_label": "entity_codes",
    "unit": "unit_codes",
    "quantity_kind": "kind_codes",
    "stance_target": "target_codes",
    "stance_label": "stance_codes",
}
_VALUE_TYPES = {"string": "string", "integer": "int32", "number": "float64", "boolean": "bool"}


def bio_names(labels: Labels) -> list[str]:
    """The ``ner_tags`` names: ``O``, then ``B-`` and ``I-`` of each entity type in labels.json order."""
    return ["O", *(f"{prefix}-{code}" for code in labels.entity_codes for prefix in ("B", "I"))]


def _feature(node: Mapping[str, Any], defs: Mapping[str, Any], labels: Labels) -> Any:
    """The ``datasets`` feature of one JSON Schema node."""
    from datasets import ClassLabel, List, Value

    ref = node.get("$ref")
    if ref is not None:
        name = str(ref).rsplit("/", 1)[-1]
        if name in _LABEL_DEFS:
            return ClassLabel(names=list(getattr(labels, _LABEL_DEFS[name])))
        return _feature(defs[name], defs, labels)
    if "oneOf" in node:
        options = [option for option in node["oneOf"] if option.get("type") != "null"]
        if len(options) == 1:
            return _feature(options[0], defs, labels)
    if "enum" in node or "const" in node:
        return Value("string")  # a vocabulary that is not in labels.json (e.g. holder_kind)
    types = node.get("type", [])
    types = [t for t in ([types] if isinstance(types, str) else types) if t != "null"]
    if types == ["object"]:
        return {key: _feature(value, defs, labels) for key, value in node["properties"].items()}
    if types == ["array"]:
        return List(_feature(node["items"], defs, labels))
    if len(types) == 1 and types[0] in _VALUE_TYPES:
        return Value(_VALUE_TYPES[types[0]])
    raise ValueError(f"no datasets feature for the schema node {dict(node)!r}")


def config_features(schema_dir: Path) -> dict[str, Any]:
    """The ``datasets.Features`` of each config, derived from ``schema/`` (annotation and corpus schemas)."""
    from datasets import ClassLabel, Features, List, Value

    labels = load_labels(schema_dir / "labels.json")
    annotation = load_schema(schema_dir, "annotation").document
    corpus = load_schema(schema_dir, "corpus").document
    defs, corpus_defs = annotation["$defs"], corpus["$defs"]
    string = Value("string")

    def layer(name: str, *context: str) -> Any:
        properties = defs[name]["properties"]
        fields = {"id": _feature(properties["id"], defs, labels)}
        fields.update({key: string for key in context})
        fields.update({k: _feature(v, defs, labels) for k, v in properties.items() if k != "id"})
        return Features(fields)

    meta = corpus["properties"]["meta"]["properties"]
    segment = corpus_defs["segment"]["properties"]
    paragraph = {k: _feature(v, corpus_defs, labels) for k, v in segment.items()}
    sentence = {k: v for k, v in paragraph.items() if k != "kind"}
    documents = Features(
        {
            "id": _feature(corpus["properties"]["id"], corpus_defs, labels),
            "title": _feature(meta["title"], corpus_defs, labels),
            "text": _feature(corpus["properties"]["text"], corpus_defs, labels),
            **{key: _feature(meta[key], corpus_defs, labels) for key in ("outlet", "author", "published", "url")},
            "section": _feature(meta["section"], corpus_defs, labels),
            "sentences": List(sentence),
            "paragraphs": List(paragraph),
            "annotation_status": string,  # provenance.status of annotations/<doc_id>.json, or null
        }
    )
    ner = Features(
        {
            "id": string,  # the sentence id, <doc_id>-s012
            "doc_id": string,
            "tokens": List(string),
            "ner_tags": List(ClassLabel(names=bio_names(labels))),
        }
    )
    return {
        "documents": documents,
        "entities": layer("entity", "doc_id", "sentence_id"),
        "quantities": layer("quantity", "doc_id", "sentence_id"),
        "stance": layer("stance", "doc_id"),
        "ner": ner,
    }
