"""Stand-off annotations: entity mentions, quantity mentions and stances, one typed layer each.

Small frozen value objects; references point at ids (a stance's ``holder`` is an entity id).
Offsets are half-open code point ranges into the corpus document's text (ARCHITECTURE.md, "Contracts").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

HolderKind = Literal["entity", "author", "unnamed", "report"]
Status = Literal["gold", "pass", "prediction", "example"]


HOLDER_KINDS: tuple[HolderKind, ...] = ("entity", "author", "unnamed", "report")


def holder_kind(value: object) -> HolderKind | None:
    """``value`` as a holder kind (or None); ``ValueError`` for anything else."""
    if value is None:
        return None
    for kind in HOLDER_KINDS:
        if value == kind:
            return kind
    raise ValueError(f"holder_kind {value!r} is not one of {', '.join(HOLDER_KINDS)}")


def check_span(kind: str, start: int, end: int, text: str) -> None:
    """The invariant of every span: ``0 <= start < end`` and ``text`` is ``end - start`` code points long."""
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
        raise ValueError(f"{kind} offsets must be integers: {start!r}, {end!r}")
    if not 0 <= start < end:
        raise ValueError(f"{kind} [{start}, {end}) is empty, reversed or negative")
    if len(text) != end - start:
        raise ValueError(f"{kind} [{start}, {end}) has text of {len(text)} code points: {text!r}")


__all__ = [
    "HOLDER_KINDS",
    "SCHEMA_VERSION",
    "AnnotationSet",
    "Entity",
    "HolderKind",
    "NotQuantity",
    "Quantity",
    "Span",
    "Stance",
    "Status",
    "check_span",
    "holder_kind",
    "text_sha256",
]

SCHEMA_VERSION = "1.0.0"


def text_sha256(text: str) -> str:
    """The fingerprint annotations carry of the text their offsets point into."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        check_span("span", self.start, self.end, self.text)

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Entity:
    id: str
    start: int
    end: int
    text: str
    label: str

    def __post_init__(self) -> None:
        check_span("entity", self.start, self.end, self.text)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "start": self.start, "end": self.end, "text": self.text, "label": self.label}


@dataclass(frozen=True)
class Quantity:
    id: str
    start: int
    end: int
    text: str
    value: float | None
    low: float | None
    high: float | None
    unit: str
    kind: str
    approximate: bool
    counted: Span | None = None

    def __post_init__(self) -> None:
        check_span("quantity", self.start, self.end, self.text)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "unit": self.unit,
            "kind": self.kind,
            "approximate": self.approximate,
            "counted": self.counted.to_json() if self.counted else None,
        }


@dataclass(frozen=True)
class Stance:
    id: str
    start: int
    end: int
    text: str
    target: str
    label: str
    holder: str | None
    holder_kind: HolderKind | None = None

    def __post_init__(self) -> None:
        check_span("stance", self.start, self.end, self.text)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "target": self.target,
            "label": self.label,
            "holder": self.holder,
        }
        if self.holder_kind:
            data["holder_kind"] = self.holder_kind
        return data


@dataclass(frozen=True)
class NotQuantity:
    """A number the annotators decided is not a quantity, with the guideline rule that says so."""

    start: int
    end: int
    text: str
    rule: str

    def __post_init__(self) -> None:
        check_span("notquantity", self.start, self.end, self.text)

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "rule": self.rule}


@dataclass(frozen=True)
class AnnotationSet:
    """The annotations of one document (the contents of ``annotations/<doc_id>.json``)."""

    document: str
    text_sha256: str
    provenance: dict[str, Any]
    entities: tuple[Entity, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    stances: tuple[Stance, ...] = field(default=())
    not_quantities: tuple[NotQuantity, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data = {
            "schema_version": SCHEMA_VERSION,
            "document": self.document,
            "text_sha256": self.text_sha256,
            "provenance": self.provenance,
            "entities": [e.to_json() for e in sorted(self.entities, key=_order)],
            "quantities": [q.to_json() for q in sorted(self.quantities, key=_order)],
            "stances": [s.to_json() for s in sorted(self.stances, key=_order)],
        }
        if self.not_quantities:
            data["not_quantities"] = [n.to_json() for n in sorted(self.not_quantities, key=lambda n: n.start)]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AnnotationSet:
        def quantity(q: dict[str, Any]) -> Quantity:
            counted = q.get("counted")
            fields = {k: v for k, v in q.items() if k != "counted"}
            return Quantity(**fields, counted=Span(**counted) if counted else None)

        return cls(
            document=data["document"],
            text_sha256=data["text_sha256"],
            provenance=data["provenance"],
            entities=tuple(Entity(**e) for e in data["entities"]),
            quantities=tuple(quantity(q) for q in data["quantities"]),
            stances=tuple(Stance(**s) for s in data["stances"]),
            not_quantities=tuple(NotQuantity(**n) for n in data.get("not_quantities", ())),
        )


def _order(item: Entity | Quantity | Stance) -> tuple[int, int, str]:
    return (item.start, item.end, item.id)
