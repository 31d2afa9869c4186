"""The JSON Schemas in ``schema/``: loading, compiled validators, and enums derived from labels.json.

The schemas are the contract; the enums of the annotation schema are generated from the label
inventory (``furat schema`` writes them, ``furat validate`` reports drift).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import jsonschema

from furat.core.findings import Finding, FuratError
from furat.core.jsonio import dumps, read_json_cached, read_json_strict
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

    @cached_property
    def _compiled_validator(self) -> Any:
        return _compiled(self.path)  # compiled when the schema was loaded; one stat, not one per file

    def is_valid(self, instance: Any) -> bool:
        fast = self._compiled_validator
        if fast is not None:
            return bool(fast.is_valid(instance))  # the caller checks integral floats (``16.0``) apart
        return bool(self._explainer.is_valid(instance))

    @cached_property
    def integral_floats_substitutable(self) -> bool:
        """Whether a non-integral number may stand for ``16.0`` here: the schema never looks at a number's value.

        True when no keyword that compares values (``minimum``, ``maximum``, ``exclusiveMinimum``,
        ``exclusiveMaximum``, ``multipleOf``, ``uniqueItems``) sits in a subschema that admits a
        non-integer number, and no ``enum`` or ``const`` holds a number. There, ``16.0`` (a number that
        Furat does not count as an integer) and ``16.5`` pass and fail alike.
        """
        return _value_blind(self.document)

    @cached_property
    def integer_members(self) -> frozenset[str] | None:
        """The names of the object members whose value the schema may check for the type ``integer``;
        None when that may be any member (an ``additionalProperties`` or the like that may check it)."""
        return _integer_members(self.document)

    def is_valid_as_fractions(self, instance: Any, places: list[tuple[dict[str, Any], str]]) -> bool:
        """The compiled check of ``instance`` with each number such as ``16.0`` (at ``places``) read as ``16.5``;
        ``instance`` itself passed the compiled check.

        Furat counts ``16.0`` as a number that is not an integer; so is ``16.5``, and where the schema
        never looks at a number's value (``integral_floats_substitutable``) the two pass and fail alike,
        so the compiled check decides without the (slow) explainer. False when it cannot decide. When no
        place is a member the schema may check for an integer, the check of ``instance`` itself decides.
        """
        if not self.integral_floats_substitutable:
            return False
        integer = self.integer_members
        if integer is not None and not any(key in integer for _obj, key in places):
            return True
        saved = [obj[key] for obj, key in places]
        try:
            for obj, key in places:
                obj[key] += 0.5
            return self.is_valid(instance)
        finally:
            for (obj, key), value in zip(places, saved, strict=True):
                obj[key] = value

    def errors(self, instance: Any) -> Iterator[jsonschema.ValidationError]:
        return iter(sorted(self._explainer.iter_errors(instance), key=lambda e: list(e.absolute_path)))

    def fast_errors(self, instance: Any) -> list[tuple[list[str | int], str, str]]:
        """The compiled validator's own errors (path, keyword, message): for when the explainer finds none."""
        fast = self._compiled_validator
        if fast is None:
            return []
        return [
            (list(e.instance_path), str(e.schema_path[-1]) if e.schema_path else "", e.message)
            for e in fast.iter_errors(instance)
        ]


_VALUE_KEYWORDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "uniqueItems")


def _objects(document: Any) -> Iterator[dict[str, Any]]:
    """Every object in a JSON document (a schema's subschemas, and the objects its keywords hold)."""
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            yield node
            stack.extend(node.values())


def _value_blind(document: dict[str, Any]) -> bool:
    for node in _objects(document):
        types = node.get("type", "number")
        admits_number = "number" in ([types] if isinstance(types, str) else types)
        if admits_number and any(key in node for key in _VALUE_KEYWORDS):
            return False
        enum = node.get("enum", [])
        values = [*(enum if isinstance(enum, list) else [enum]), node.get("const")]
        if any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            return False
    return True


_MEMBER_SCHEMAS = ("additionalProperties", "patternProperties", "unevaluatedProperties")
_UNFOLLOWED = ("$dynamicRef", "$recursiveRef")  # references resolved at validation time, not followed here


def _integer_members(document: dict[str, Any]) -> frozenset[str] | None:
    """``Schema.integer_members`` of a schema document: the names under every ``properties`` whose
    schema, with the local ``$ref`` it reaches, says ``integer`` anywhere; None when the document
    refers to anything but its own parts."""
    names: set[str] = set()
    for node in _objects(document):
        if any(key in node for key in _UNFOLLOWED) or (
            isinstance(node.get("$ref"), str) and _local(document, node["$ref"]) is None
        ):
            return None  # a schema elsewhere (another file, a dynamic reference) may say integer of any member
        properties = node.get("properties")
        if isinstance(properties, dict):
            names.update(name for name, sub in properties.items() if _says_integer(document, sub))
        for keyword in _MEMBER_SCHEMAS:
            if keyword in node and _says_integer(document, node[keyword]):
                return None
    return frozenset(names)


def _says_integer(document: dict[str, Any], schema: Any) -> bool:
    """Whether ``integer`` appears anywhere in ``schema`` or in what its local ``$ref`` point to."""
    stack, seen = [schema], set()
    while stack:
        node = stack.pop()
        if node == "integer":
            return True
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref not in seen:
                seen.add(ref)
                target = _local(document, ref)
                if target is None:
                    return True  # a schema elsewhere, or none: it may
                stack.append(target)
            stack.extend(node.values())
    return False


def _local(document: dict[str, Any], ref: str) -> Any:
    """What a local ``$ref`` (``#/$defs/offset``) points to; None for any other reference or none."""
    if ref != "#" and not ref.startswith("#/"):
        return None
    node: Any = document
    for part in ref[2:].split("/") if ref != "#" else []:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = read_json_cached(path)
    return data


def _explainer(path: Path) -> jsonschema.Draft202012Validator:
    return _validators(path, path.stat().st_mtime_ns)[0]


def _compiled(path: Path) -> Any:
    return _validators(path, path.stat().st_mtime_ns)[1]


def _is_integer(_checker: Any, instance: Any) -> bool:
    # JSON Schema counts 16.0 as an integer; an offset of 16.0 is a TypeError waiting to happen.
    return isinstance(instance, int) and not isinstance(instance, bool)


_Explainer = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


@cache
def _validators(path: Path, mtime_ns: int) -> tuple[jsonschema.Draft202012Validator, Any]:
    schema = _read(path)
    fast = _fast.Draft202012Validator(schema) if _fast is not None else None
    return _Explainer(schema), fast


def load_schema(schema_dir: Path, name: str) -> Schema:
    """A schema of ``schema/``; findings (``FuratError``) when it cannot be read or is not a JSON Schema."""
    path = (schema_dir / SCHEMAS[name]).resolve()
    schema = Schema(name, path, _read(path))
    try:
        _validators(path, path.stat().st_mtime_ns)
    except (jsonschema.SchemaError, ValueError, TypeError) as exc:
        rel = f"schema/{SCHEMAS[name]}"
        raise FuratError([Finding(rel, 0, "schema", f"not a usable JSON Schema: {exc}"[:300])]) from None
    return schema


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
    document = read_json_strict(path, f"schema/{SCHEMAS['annotation']}")
    for name, codes in _enums(load_labels(schema_dir / "labels.json")).items():
        document["$defs"][name] = {"enum": codes}
    return dumps(document)


def schema_drift(schema_dir: Path) -> bool:
    """True when the annotation schema's enums differ from ``labels.json``."""
    path = schema_dir / SCHEMAS["annotation"]
    derived = derived_annotation_schema(schema_dir)  # io-error (exit 2) when the schema cannot be read
    return path.read_text(encoding="utf-8") != derived
