"""What a document's page shows: its paragraphs with every annotation layer marked, and the side lists."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup

from furat.core.annotation import AnnotationSet, Entity, Quantity, Stance
from furat.core.labels import Label, Labels
from furat.core.model import Document
from furat.view.markup import Mark, render

__all__ = [
    "STANCE_COLORS",
    "DocumentPage",
    "LegendItem",
    "Paragraph",
    "QuantityRow",
    "StanceGroup",
    "StanceRow",
    "document_page",
    "number",
]

# Colours of the stance labels, in the inventory's order (favor, against, none, ...).
STANCE_COLORS = ("#1b7f3b", "#c0262d", "#6b6b6b", "#8e44ad", "#b7791f")
RANK = {"sentence": 0, "stance": 1, "quantity": 2, "entity": 3, "counted": 4}


@dataclass(frozen=True)
class Paragraph:
    id: str
    kind: str
    html: Markup


@dataclass(frozen=True)
class LegendItem:
    code: str
    ar: str
    en: str
    color: str
    count: int


@dataclass(frozen=True)
class QuantityRow:
    id: str
    text: str
    value: str
    bounds: str
    unit: str
    unit_ar: str
    kind: str
    approximate: bool
    counted: str


@dataclass(frozen=True)
class StanceRow:
    id: str
    text: str
    label: str
    label_ar: str
    color: str
    holder: str


@dataclass(frozen=True)
class StanceGroup:
    code: str
    ar: str
    en: str
    rows: tuple[StanceRow, ...]


@dataclass(frozen=True)
class DocumentPage:
    doc: Document
    split: str
    status: str | None
    annotators: tuple[str, ...]
    paragraphs: tuple[Paragraph, ...]
    legend: tuple[LegendItem, ...]
    stance_legend: tuple[LegendItem, ...]
    quantities: tuple[QuantityRow, ...]
    stances: tuple[StanceGroup, ...]
    counts: dict[str, int]


def number(value: float | None) -> str:
    """A value as a reader writes it: ``200``, ``0.25``, ``1,500,000``; empty for None."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,}"


def bounds(quantity: Quantity) -> str:
    if quantity.low is None and quantity.high is None:
        return ""
    return f"{number(quantity.low) or '…'}–{number(quantity.high) or '…'}"


def _by_code(items: tuple[Label, ...]) -> dict[str, Label]:
    return {item.code: item for item in items}


def _holder(stance: Stance, entities: dict[str, Entity]) -> str:
    if stance.holder and stance.holder in entities:
        return entities[stance.holder].text
    return stance.holder_kind or stance.holder or "—"


def _entity_mark(entity: Entity, labels: dict[str, Label]) -> Mark:
    label = labels.get(entity.label)
    title = f"{entity.label} · {label.ar} · {label.en}" if label else entity.label
    style = f"--c: {label.color}" if label and label.color else "--c: #888"
    attrs = (("title", title), ("data-label", entity.label), ("style", style))
    return Mark("entity", entity.id, entity.start, entity.end, RANK["entity"], attrs=attrs)


def _quantity_title(quantity: Quantity, units: dict[str, str]) -> str:
    lines = [quantity.text]
    if quantity.value is not None:
        lines.append(f"value: {number(quantity.value)}")
    if bounds(quantity):
        lines.append(f"range: {bounds(quantity)}")
    unit = units.get(quantity.unit, "")
    lines.append(f"unit: {quantity.unit}" + (f" ({unit})" if unit else "") + f" · kind: {quantity.kind}")
    lines.append("approximate" if quantity.approximate else "exact")
    if quantity.counted:
        lines.append(f"counts: {quantity.counted.text}")
    return "\n".join(lines)


def _stance_title(stance: Stance, holder: str, targets: dict[str, Label], stance_labels: dict[str, Label]) -> str:
    target = targets.get(stance.target)
    label = stance_labels.get(stance.label)
    return "\n".join(
        [
            f"stance: {stance.label}" + (f" ({label.ar})" if label else ""),
            f"target: {target.ar if target else stance.target}",
            f"holder: {holder}",
        ]
    )


def _marks(doc: Document, annotations: AnnotationSet | None, labels: Labels) -> list[Mark]:
    marks = [
        Mark("sentence", s.id, s.start, s.end, RANK["sentence"], attrs=(("data-n", f"s{i:03d}"),), first_class="head")
        for i, s in enumerate(doc.sentences)
    ]
    if annotations is None:
        return marks
    entity_labels = _by_code(labels.entity_types)
    units = {unit.code: unit.ar for unit in labels.units}
    targets, stance_labels = _by_code(labels.stance_targets), _by_code(labels.stance_labels)
    colors = {code: STANCE_COLORS[i % len(STANCE_COLORS)] for i, code in enumerate(labels.stance_codes)}
    entities = {e.id: e for e in annotations.entities}
    marks += [_entity_mark(e, entity_labels) for e in annotations.entities]
    for q in annotations.quantities:
        classes = ("approx",) if q.approximate else ()
        attrs = (("title", _quantity_title(q, units)), ("data-unit", q.unit))
        marks.append(Mark("quantity", q.id, q.start, q.end, RANK["quantity"], classes, attrs))
        if q.counted:
            counted = (("title", f"counted by {q.text}"), ("data-quantity", q.id))
            span = q.counted
            marks.append(Mark("counted", f"{q.id}/counted", span.start, span.end, RANK["counted"], attrs=counted))
    for t in annotations.stances:
        title = _stance_title(t, _holder(t, entities), targets, stance_labels)
        look = (("title", title), ("data-label", t.label), ("style", f"--c: {colors.get(t.label, '#6b6b6b')}"))
        marks.append(Mark("stance", t.id, t.start, t.end, RANK["stance"], attrs=look))
    return marks


def _stance_groups(annotations: AnnotationSet, labels: Labels) -> tuple[StanceGroup, ...]:
    entities = {e.id: e for e in annotations.entities}
    stance_labels = _by_code(labels.stance_labels)
    colors = {code: STANCE_COLORS[i % len(STANCE_COLORS)] for i, code in enumerate(labels.stance_codes)}
    known = [(t.code, t.ar, t.en) for t in labels.stance_targets]
    known += [(code, code, code) for code in sorted({s.target for s in annotations.stances} - set(labels.target_codes))]
    groups = []
    for code, ar, en in known:
        rows = tuple(
            StanceRow(
                s.id,
                s.text,
                s.label,
                stance_labels[s.label].ar if s.label in stance_labels else s.label,
                colors.get(s.label, "#6b6b6b"),
                _holder(s, entities),
            )
            for s in sorted(annotations.stances, key=lambda s: (s.start, s.end, s.id))
            if s.target == code
        )
        if rows:
            groups.append(StanceGroup(code, ar, en, rows))
    return tuple(groups)


def document_page(split: str, doc: Document, annotations: AnnotationSet | None, labels: Labels) -> DocumentPage:
    """Everything the page template needs for one document."""
    marks = _marks(doc, annotations, labels)
    paragraphs = tuple(
        Paragraph(p.id, p.kind or "body", render(doc.text, marks, p.start, p.end)) for p in doc.paragraphs
    )
    used = Counter(e.label for e in annotations.entities) if annotations else Counter()
    legend = tuple(LegendItem(t.code, t.ar, t.en, t.color or "#888", used[t.code]) for t in labels.entity_types)
    stance_used = Counter(s.label for s in annotations.stances) if annotations else Counter()
    stance_legend = tuple(
        LegendItem(t.code, t.ar, t.en, STANCE_COLORS[i % len(STANCE_COLORS)], stance_used[t.code])
        for i, t in enumerate(labels.stance_labels)
    )
    if annotations is None:
        return DocumentPage(doc, split, None, (), paragraphs, legend, stance_legend, (), (), {})
    units = {unit.code: unit.ar for unit in labels.units}
    quantities = tuple(
        QuantityRow(
            q.id,
            q.text,
            number(q.value),
            bounds(q),
            q.unit,
            units.get(q.unit, ""),
            q.kind,
            q.approximate,
            q.counted.text if q.counted else "",
        )
        for q in sorted(annotations.quantities, key=lambda q: (q.start, q.end, q.id))
    )
    provenance = annotations.provenance
    annotators = tuple(str(a.get("id")) for a in provenance.get("annotators", []))
    counts = {
        "entities": len(annotations.entities),
        "quantities": len(annotations.quantities),
        "stances": len(annotations.stances),
    }
    return DocumentPage(
        doc,
        split,
        str(provenance.get("status")),
        annotators,
        paragraphs,
        legend,
        stance_legend,
        quantities,
        _stance_groups(annotations, labels),
        counts,
    )
