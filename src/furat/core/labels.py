"""The label inventory, loaded from ``schema/labels.json``: the one place labels are declared.

Everything else (JSON Schema enums, the Label Studio config, ClassLabel names, guideline and
datasheet tables) is derived from what this module returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from furat.core.findings import Finding, FuratError
from furat.core.jsonio import read_json_cached
from furat.core.paths import schema_dir

__all__ = ["Label", "Labels", "Unit", "label_tables", "load_labels"]


@dataclass(frozen=True)
class Label:
    code: str
    ar: str
    en: str
    definition_ar: str = ""
    definition_en: str = ""
    color: str = ""
    hotkey: str = ""


@dataclass(frozen=True)
class Unit:
    code: str
    kind: str
    ar: str
    en: str


@dataclass(frozen=True)
class Labels:
    schema_version: str
    entity_types: tuple[Label, ...]
    quantity_kinds: tuple[Label, ...]
    units: tuple[Unit, ...]
    stance_targets: tuple[Label, ...]
    stance_labels: tuple[Label, ...]

    @property
    def entity_codes(self) -> tuple[str, ...]:
        return tuple(label.code for label in self.entity_types)

    @property
    def kind_codes(self) -> tuple[str, ...]:
        return tuple(label.code for label in self.quantity_kinds)

    @property
    def unit_codes(self) -> tuple[str, ...]:
        return tuple(unit.code for unit in self.units)

    @property
    def unit_kind(self) -> dict[str, str]:
        """Unit code -> quantity kind code."""
        return {unit.code: unit.kind for unit in self.units}

    @property
    def target_codes(self) -> tuple[str, ...]:
        return tuple(label.code for label in self.stance_targets)

    @property
    def stance_codes(self) -> tuple[str, ...]:
        return tuple(label.code for label in self.stance_labels)


def _labels(items: list[dict[str, Any]]) -> tuple[Label, ...]:
    fields = Label.__dataclass_fields__
    return tuple(Label(**{k: v for k, v in item.items() if k in fields}) for item in items)


def load_labels(path: Path | None = None) -> Labels:
    """Read the inventory (default: the repository's ``schema/labels.json``)."""
    path = path or schema_dir() / "labels.json"
    data = read_json_cached(path)
    _check_shape(path, data)
    try:
        return Labels(
            schema_version=data["schema_version"],
            entity_types=_labels(data["entity_types"]),
            quantity_kinds=_labels(data["quantity_kinds"]),
            units=tuple(Unit(**unit) for unit in data["units"]),
            stance_targets=_labels(data["stance_targets"]),
            stance_labels=_labels(data["stance_labels"]),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:  # not the inventory's shape
        message = f"not a label inventory ({type(exc).__name__}: {exc}); run `furat validate`"
        raise FuratError([Finding("schema/labels.json", 0, "schema", message)]) from None


def _check_shape(path: Path, data: Any) -> None:
    """The inventory is used only once it has the shape of ``labels.schema.json`` beside it (when there)."""
    import jsonschema

    schema_path = path.parent / "labels.schema.json"
    if not schema_path.is_file():
        return  # an inventory without its schema: constructing the labels checks what it can
    errors = sorted(jsonschema.Draft202012Validator(read_json_cached(schema_path)).iter_errors(data), key=str)
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path)
        message = f"/{where}: {errors[0].message}; run `furat validate`"
        raise FuratError([Finding("schema/labels.json", 0, "schema", message)])


def _escape(cell: str) -> str:
    return cell.replace("|", "\\|").replace("\n", " ")


def label_tables(labels: Labels) -> dict[str, str]:
    """Markdown tables of the inventory, for the guidelines and the datasheet (never typed by hand)."""

    def table(header: list[str], rows: list[list[str]]) -> str:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(_escape(c) for c in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"

    def described(items: tuple[Label, ...], extra: bool = False) -> str:
        header = ["code", "Arabic", "English", "definition (ar)", "definition (en)"]
        if extra:
            header += ["hotkey"]
        rows = [
            [f"`{x.code}`", x.ar, x.en, x.definition_ar, x.definition_en] + ([f"`{x.hotkey}`"] if extra else [])
            for x in items
        ]
        return table(header, rows)

    units = [[f"`{u.code}`", f"`{u.kind}`", u.ar, u.en] for u in labels.units]
    return {
        "entity_types": described(labels.entity_types, extra=True),
        "quantity_kinds": described(labels.quantity_kinds),
        "units": table(["unit", "kind", "Arabic", "English"], units),
        "stance_targets": described(labels.stance_targets),
        "stance_labels": described(labels.stance_labels),
    }
