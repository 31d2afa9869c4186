"""The JSON Schemas in ``schema/``: loading, compiled validators, and enums derived from labels.json.

The schemas are the contract; the enums of the annotation schema are generated from the label
inventory (``furat schema`` writes them, ``furat validate`` reports drift).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from furat.core.jsonio import dumps, read_json_cached
from furat.core.labels import Labels, load_labels

__all__ = ["SCHEMAS", "Schema", "derived_annotation_schema", "load_schema", "schema_drift"]

SCHEMAS = {
    "annotation": "annotation.schema.json",
    "corpus": "corpus.schema.json",
    "manifest": "manifest.schema.json",
    "labels": "labels.schema.json",
}

try:  # a compiled validator for the happy path; jsonschema explains what failed
    import jsonschema_rs as _fast
except ImportError:  # pragma: no cover - the wheel exists for the platforms we run on
    _fast = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Schema:
    name: str
    path: Path
    document: dict[str, Any]

    @property
    def _explainer(self) -> jsonschema.Draft202012Validator:
        return _explainer(self.path)

    def is_valid(self, instance: Any) -> bool:
        fast = _compiled(self.path)
        if fast is not None:
            return bool(fast.is_valid(instance))
        return bool(self._explainer.is_valid(instance))

    def errors(self, instance: Any) -> Iterator[jsonschema.ValidationError]:
        return iter(sorted(self._explainer.iter_errors(instance), key=lambda e: list(e.absolute_path)))


def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = read_json_cached(path)
    return data


def _explainer(path: Path) -> jsonschema.Draft202012Validator:
    return _validators(path, path.stat().st_mtime_ns)[0]


def _compiled(path: Path) -> Any:
    return _validators(path, path.stat().st_mtime_ns)[1]


@cache
def _validators(path: Path, mtime_ns: int) -> tuple[jsonschema.Draft202012Validator, Any]:
    schema = _read(path)
    fast = _fast.Draft202012Validator(schema) if _fast is not None else None
    return jsonschema.Draft202012Validator(schema), fast


def load_schema(schema_dir: Path, name: str) -> Schema:
    path = (schema_dir / SCHEMAS[name]).resolve()
    return Schema(name, path, _read(path))


def _enums(labels: Labels) -> dict[str, list[str]]:
    return {
        "entity_label": list(labels.entity_codes),
        "unit": list(labels.unit_codes),
        "quantity_kind": list(labels.kind_codes),
        "stance_target": list(labels.target_codes),
        "stance_label": list(labels.stance_codes),
    }


def derived_annotation_schema(schema_dir: Path) -> str:
    """The annotation schema's text with its enums generated from ``labels.json``."""
    path = schema_dir / SCHEMAS["annotation"]
    document = json.loads(path.read_text(encoding="utf-8"))
    for name, codes in _enums(load_labels(schema_dir / "labels.json")).items():
        document["$defs"][name] = {"enum": codes}
    return dumps(document)


def schema_drift(schema_dir: Path) -> bool:
    """True when the annotation schema's enums differ from ``labels.json``."""
    path = schema_dir / SCHEMAS["annotation"]
    return path.read_text(encoding="utf-8") != derived_annotation_schema(schema_dir)
