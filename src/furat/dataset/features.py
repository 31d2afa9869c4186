"""The ``datasets.Features`` of every config, derived from the JSON Schemas and ``schema/labels.json``.

The same walk over the schemas gives each config's ``Layout``: its fields as Arrow types, without importing
``datasets`` (about a second), which is what the build's workers need to make rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from furat.core.labels import Labels, load_labels
from furat.core.schemas import load_schema

__all__ = ["Layout", "bio_names", "config_features", "config_layouts"]

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


class _Types(Protocol):
    """How a schema node becomes a feature: as ``datasets`` features, or as Arrow types."""

    def class_label(self, names: list[str]) -> Any: ...
    def value(self, dtype: str) -> Any: ...
    def list(self, inner: Any) -> Any: ...
    def struct(self, fields: dict[str, Any]) -> Any: ...
    def config(self, fields: dict[str, Any]) -> Any: ...


class _Datasets:
    def __init__(self) -> None:
        from datasets import ClassLabel, Features, List, Value

        self.class_label = lambda names: ClassLabel(names=names)
        self.value, self.list, self.config = Value, List, Features

    def struct(self, fields: dict[str, Any]) -> Any:
        return fields


class _Label:
    """A ClassLabel among Arrow types: its names, until the config is made (an integer id in Arrow)."""

    def __init__(self, names: list[str]) -> None:
        self.names = names


class Layout(dict[str, Any]):
    """A config's fields as Arrow types (field -> type), with its ClassLabel fields' names (``labels``) and
    its ``arrow_schema``: ``Features.arrow_schema`` without the metadata that carries the features."""

    def __init__(self, fields: dict[str, Any]) -> None:
        import pyarrow as pa

        self.labels = {name: kind.names for name, kind in fields.items() if isinstance(kind, _Label)}
        super().__init__({name: _Arrow.type(kind) for name, kind in fields.items()})
        self.arrow_schema = pa.schema(list(self.items()))


class _Arrow:
    @staticmethod
    def type(kind: Any) -> Any:
        import pyarrow as pa

        return pa.int64() if isinstance(kind, _Label) else kind

    def class_label(self, names: list[str]) -> Any:
        return _Label(names)

    def value(self, dtype: str) -> Any:
        import pyarrow as pa

        return pa.type_for_alias(dtype)

    def list(self, inner: Any) -> Any:
        import pyarrow as pa

        return pa.list_(self.type(inner))

    def struct(self, fields: dict[str, Any]) -> Any:
        import pyarrow as pa

        return pa.struct([(name, self.type(kind)) for name, kind in fields.items()])

    def config(self, fields: dict[str, Any]) -> Any:
        return Layout(fields)


def _feature(node: Mapping[str, Any], defs: Mapping[str, Any], labels: Labels, make: _Types) -> Any:
    """The feature of one JSON Schema node."""
    ref = node.get("$ref")
    if ref is not None:
        name = str(ref).rsplit("/", 1)[-1]
        if name in _LABEL_DEFS:
            return make.class_label(list(getattr(labels, _LABEL_DEFS[name])))
        return _feature(defs[name], defs, labels, make)
    if "oneOf" in node:
        options = [option for option in node["oneOf"] if option.get("type") != "null"]
        if len(options) == 1:
            return _feature(options[0], defs, labels, make)
    if "enum" in node or "const" in node:
        return make.value("string")  # a vocabulary that is not in labels.json (e.g. holder_kind)
    types = node.get("type", [])
    types = [t for t in ([types] if isinstance(types, str) else types) if t != "null"]
    if types == ["object"]:
        return make.struct({key: _feature(value, defs, labels, make) for key, value in node["properties"].items()})
    if types == ["array"]:
        return make.list(_feature(node["items"], defs, labels, make))
    if len(types) == 1 and types[0] in _VALUE_TYPES:
        return make.value(_VALUE_TYPES[types[0]])
    raise ValueError(f"no datasets feature for the schema node {dict(node)!r}")


def _configs(schema_dir: Path, make: _Types) -> dict[str, Any]:
    """Each config's fields, made by ``make`` from ``schema/`` (annotation and corpus schemas)."""
    labels = load_labels(schema_dir / "labels.json")
    annotation = load_schema(schema_dir, "annotation").document
    corpus = load_schema(schema_dir, "corpus").document
    defs, corpus_defs = annotation["$defs"], corpus["$defs"]
    string = make.value("string")

    def feature(node: Mapping[str, Any], defs: Mapping[str, Any]) -> Any:
        return _feature(node, defs, labels, make)

    def layer(name: str, *context: str) -> Any:
        properties = defs[name]["properties"]
        fields = {"id": feature(properties["id"], defs)}
        fields.update({key: string for key in context})
        fields.update({k: feature(v, defs) for k, v in properties.items() if k != "id"})
        return make.config(fields)

    meta = corpus["properties"]["meta"]["properties"]
    segment = corpus_defs["segment"]["properties"]
    paragraph = {k: feature(v, corpus_defs) for k, v in segment.items()}
    sentence = {k: v for k, v in paragraph.items() if k != "kind"}
    documents = make.config(
        {
            "id": feature(corpus["properties"]["id"], corpus_defs),
            "title": feature(meta["title"], corpus_defs),
            "text": feature(corpus["properties"]["text"], corpus_defs),
            **{key: feature(meta[key], corpus_defs) for key in ("outlet", "author", "published", "url")},
            "section": feature(meta["section"], corpus_defs),
            "sentences": make.list(make.struct(sentence)),
            "paragraphs": make.list(make.struct(paragraph)),
            "annotation_status": string,  # provenance.status of annotations/<doc_id>.json, or null
        }
    )
    ner = make.config(
        {
            "id": string,  # the sentence id, <doc_id>-s012
            "doc_id": string,
            "tokens": make.list(string),
            "ner_tags": make.list(make.class_label(bio_names(labels))),
        }
    )
    return {
        "documents": documents,
        "entities": layer("entity", "doc_id", "sentence_id"),
        "quantities": layer("quantity", "doc_id", "sentence_id"),
        "stance": layer("stance", "doc_id"),
        "ner": ner,
    }


def config_features(schema_dir: Path) -> dict[str, Any]:
    """The ``datasets.Features`` of each config, derived from ``schema/`` (annotation and corpus schemas)."""
    return _configs(schema_dir, _Datasets())


def config_layouts(schema_dir: Path) -> dict[str, Layout]:
    """The ``Layout`` of each config: what ``config_features`` gives, as Arrow types, without ``datasets``."""
    return _configs(schema_dir, _Arrow())
