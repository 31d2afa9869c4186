"""Label Studio results <-> Furat annotation layers, with offsets converted at this boundary only.

Label Studio stores a text region as ``value.start``/``value.end`` counted by the browser. The 1.23
frontend counts code points (its ``charsToCodePoints``), like Furat; an older frontend, or a script
that used JavaScript string lengths, counts UTF-16 code units, which differ after an astral character
(an emoji, say). :func:`region_span` therefore decides per region: code points by default; UTF-16 when
only that reading lands on the text the region says it covers. The span text written to Furat files
is always the corpus text at the converted offsets — the exported ``text`` is a witness, never the
source — and a region that lands on neither reading is an error, not a guess.

Region ids: push gives each region the id of the Furat item it carries (``<doc_id>-e0001``), so
imported gold keeps its ids. A region drawn in the browser has a random id; :func:`assign_ids` maps
it to the next free number of its layer, remembering the mapping (``.studio/state.json``) so the
same region keeps its id on every pull, and reusing the id of an item of the previous file with the
same offsets and label when no mapping is known (a fresh clone).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from furat.core.annotation import AnnotationSet, Entity, NotQuantity, Quantity, Span, Stance, holder_kind
from furat.corpus.textspan import code_points_to_utf16, utf16_to_code_points
from furat.studio.config import (
    APPROXIMATE_CHOICE,
    CONTROLS,
    COUNTED_LABEL,
    NOT_QUANTITY_LABEL,
    QUANTITY_LABEL,
    STANCE_LABEL,
    TEXT_NAME,
)

__all__ = [
    "LAYER_CHARS",
    "Layers",
    "Problem",
    "Region",
    "annotation_results",
    "assign_ids",
    "build_layers",
    "layers_digest",
    "parse_regions",
    "region_span",
]

LAYER_CHARS = {"entities": "e", "quantities": "q", "stances": "t"}
_LABEL_CONTROLS = {
    CONTROLS["entity"],
    CONTROLS["quantity"],
    CONTROLS["counted"],
    CONTROLS["stance"],
    CONTROLS["not_quantity"],
}


@dataclass(frozen=True)
class Problem:
    """Something wrong with one region or annotation; the caller turns it into a finding."""

    code: str
    message: str


@dataclass
class Region:
    """One text region of a Label Studio annotation, in document code points."""

    id: str
    control: str  # entity, quantity, counted, stance or not_quantity
    label: str
    start: int
    end: int
    attrs: dict[str, Any] = field(default_factory=dict)  # per-region values by control name


# --- offsets -------------------------------------------------------------------------------------


def region_span(task_text: str, value: Mapping[str, Any], offset: int = 0) -> tuple[int, int] | Problem:
    """The code point span ``[start, end)`` in the document of a region ``value`` on ``task_text``.

    ``offset`` is where the task's text starts in the document. White space at the edges of a
    selection is left out (browsers select a trailing space with a double click).
    """
    start, end = value.get("start"), value.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return Problem("studio-span-mismatch", f"region has no integer start/end: {start!r}, {end!r}")
    said = value.get("text")
    readings: list[tuple[int, int]] = []
    if 0 <= start < end <= len(task_text):
        readings.append((start, end))  # code points (Label Studio >= 1.x)
    try:
        utf16 = (utf16_to_code_points(task_text, start), utf16_to_code_points(task_text, end))
    except ValueError:
        utf16 = None
    if utf16 is not None and utf16[0] < utf16[1] and utf16 not in readings:
        readings.append(utf16)
    if not readings:
        return Problem("studio-span-mismatch", f"[{start}, {end}) is empty or outside the task text ({len(task_text)})")
    chosen = readings[0]
    if isinstance(said, str):
        matching = [r for r in readings if task_text[r[0] : r[1]] == said]
        if not matching:
            actual = task_text[chosen[0] : chosen[1]]
            return Problem(
                "studio-span-mismatch",
                f"[{start}, {end}) covers {actual!r} in the task text, but the region says {said!r}",
            )
        chosen = matching[0]
    s, e = chosen
    while s < e and task_text[s].isspace():
        s += 1
    while e > s and task_text[e - 1].isspace():
        e -= 1
    if s == e:
        return Problem("studio-span-mismatch", f"[{start}, {end}) holds only white space")
    return s + offset, e + offset


def _to_task(text: str, start: int, end: int, offset: int) -> dict[str, Any]:
    """A Label Studio ``value`` for the document span ``[start, end)`` (code points, as 1.23 counts)."""
    return {"start": start - offset, "end": end - offset, "text": text[start:end]}


def utf16_value(task_text: str, start: int, end: int) -> dict[str, Any]:
    """The same value in UTF-16 code units, as a JavaScript client would count (tests use it)."""
    return {
        "start": code_points_to_utf16(task_text, start),
        "end": code_points_to_utf16(task_text, end),
        "text": task_text[start:end],
    }


# --- Furat -> Label Studio -----------------------------------------------------------------------


def annotation_results(
    annotations: AnnotationSet, doc_text: str, offset: int = 0, length: int | None = None
) -> list[dict[str, Any]]:
    """Label Studio results for the items of ``annotations`` inside the task ``doc_text[offset:offset+length]``."""
    end_of_task = len(doc_text) if length is None else offset + length
    inside: Callable[[int, int], bool] = lambda s, e: offset <= s and e <= end_of_task  # noqa: E731
    results: list[dict[str, Any]] = []

    def region(rid: str, control: str, rtype: str, start: int, end: int, extra: dict[str, Any]) -> None:
        value = _to_task(doc_text, start, end, offset) | extra
        results.append({"id": rid, "from_name": control, "to_name": TEXT_NAME, "type": rtype, "value": value})

    def relation(from_id: str, to_id: str) -> None:
        results.append({"from_id": from_id, "to_id": to_id, "type": "relation", "direction": "right", "labels": []})

    entity_ids = set()
    for e in annotations.entities:
        if inside(e.start, e.end):
            region(e.id, CONTROLS["entity"], "labels", e.start, e.end, {"labels": [e.label]})
            entity_ids.add(e.id)
    for q in annotations.quantities:
        if not inside(q.start, q.end):
            continue
        region(q.id, CONTROLS["quantity"], "labels", q.start, q.end, {"labels": [QUANTITY_LABEL]})
        for name in ("value", "low", "high"):
            number = getattr(q, name)
            if number is not None:
                region(q.id, CONTROLS[name], "number", q.start, q.end, {"number": number})
        region(q.id, CONTROLS["unit"], "choices", q.start, q.end, {"choices": [q.unit]})
        if q.approximate:
            region(q.id, CONTROLS["approximate"], "choices", q.start, q.end, {"choices": [APPROXIMATE_CHOICE]})
        if q.counted is not None and inside(q.counted.start, q.counted.end):
            counted_id = f"{q.id}-counted"
            region(
                counted_id, CONTROLS["counted"], "labels", q.counted.start, q.counted.end, {"labels": [COUNTED_LABEL]}
            )
            relation(q.id, counted_id)
    for t in annotations.stances:
        if not inside(t.start, t.end):
            continue
        region(t.id, CONTROLS["stance"], "labels", t.start, t.end, {"labels": [STANCE_LABEL]})
        region(t.id, CONTROLS["target"], "choices", t.start, t.end, {"choices": [t.target]})
        region(t.id, CONTROLS["stance_label"], "choices", t.start, t.end, {"choices": [t.label]})
        if t.holder_kind:
            region(t.id, CONTROLS["holder_kind"], "choices", t.start, t.end, {"choices": [t.holder_kind]})
        if t.holder is not None and t.holder in entity_ids:
            relation(t.holder, t.id)
    for n in annotations.not_quantities:
        if inside(n.start, n.end):
            rid = f"{annotations.document}-not-{n.start}-{n.end}"
            region(rid, CONTROLS["not_quantity"], "labels", n.start, n.end, {"labels": [NOT_QUANTITY_LABEL]})
            results.append(
                {
                    "id": rid,
                    "from_name": CONTROLS["rule"],
                    "to_name": TEXT_NAME,
                    "type": "textarea",
                    "value": {"start": n.start - offset, "end": n.end - offset, "text": [n.rule]},
                }
            )
    return results


def layers_digest(annotations: AnnotationSet) -> str:
    """A fingerprint of the three layers (not the provenance): tells imported gold that nobody changed."""
    data = annotations.to_json()
    layers = _integral({k: v for k, v in data.items() if k not in ("schema_version", "provenance")})
    return hashlib.sha256(json.dumps(layers, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _integral(value: Any) -> Any:
    """``200.0`` as ``200``: JSON numbers come back from Label Studio without a decimal point."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _integral(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_integral(v) for v in value]
    return value


# --- Label Studio -> Furat -----------------------------------------------------------------------


def parse_regions(
    results: Iterable[Mapping[str, Any]], task_text: str, offset: int = 0
) -> tuple[list[Region], list[tuple[str, str]], list[Problem]]:
    """The regions (with their per-region values) and relations of one annotation's ``results``."""
    regions: dict[str, Region] = {}
    extras: list[Mapping[str, Any]] = []
    relations: list[tuple[str, str]] = []
    problems: list[Problem] = []
    for item in results:
        rtype = item.get("type")
        if rtype == "relation":
            relations.append((str(item.get("from_id")), str(item.get("to_id"))))
            continue
        if item.get("to_name") != TEXT_NAME:
            continue
        if item.get("from_name") in _LABEL_CONTROLS and str(rtype).endswith("labels"):
            value = item.get("value") or {}
            labels = value.get("labels") or []
            rid = str(item.get("id"))
            if len(labels) != 1:
                problems.append(Problem("studio-incomplete", f"region {rid} has labels {labels!r}; give it one"))
                continue
            span = region_span(task_text, value, offset)
            if isinstance(span, Problem):
                problems.append(Problem(span.code, f"region {rid} ({labels[0]}): {span.message}"))
                continue
            regions[rid] = Region(rid, str(item["from_name"]), str(labels[0]), span[0], span[1])
        else:
            extras.append(item)
    for item in extras:
        target = regions.get(str(item.get("id")))
        if target is None:
            continue  # a per-region value whose region was dropped (or a whole-task control)
        value = item.get("value") or {}
        name = str(item.get("from_name"))
        if item.get("type") == "number":
            target.attrs[name] = value.get("number")
        elif item.get("type") == "choices":
            target.attrs[name] = list(value.get("choices") or [])
        elif item.get("type") == "textarea":
            texts = value.get("text")
            target.attrs[name] = list(texts) if isinstance(texts, list) else [texts]
    return list(regions.values()), relations, problems


def _number(value: Any) -> float | int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (int, float)):
        return value
    return None


def _one(values: Any) -> str | None:
    if isinstance(values, list) and len(values) == 1:
        return str(values[0])
    return None


def assign_ids(
    doc_id: str,
    layer: str,
    regions: list[tuple[str, tuple[Any, ...], int, int]],
    remembered: Mapping[str, str],
    previous: Mapping[tuple[Any, ...], str],
) -> dict[str, str]:
    """Furat ids for the regions ``(region_id, key, start, end)`` of one layer of one file.

    In order of preference: the id remembered for the region, the region's own id when it is a Furat
    id of this layer (imported gold), the id of a previous item with the same key; otherwise the next
    number after every id seen, in document order. Never two regions with one id.
    """
    char = LAYER_CHARS[layer]
    pattern = re.compile(rf"^{re.escape(doc_id)}-{char}(\d{{4,}})$")
    taken: dict[str, str] = {}
    used: set[str] = set()
    ordered = sorted(regions, key=lambda r: (r[2], r[3], r[0]))
    for rid, key, _, _ in ordered:
        for candidate in (remembered.get(rid), rid, previous.get(key)):
            if candidate and pattern.match(candidate) and candidate not in used:
                taken[rid] = candidate
                used.add(candidate)
                break
    seen = [*used, *(v for v in remembered.values()), *previous.values()]
    numbers = [int(m.group(1)) for v in seen if (m := pattern.match(v))]
    following = max(numbers, default=0) + 1
    for rid, _, _, _ in ordered:
        if rid not in taken:
            taken[rid] = f"{doc_id}-{char}{following:04d}"
            following += 1
    return taken


def _item_key(region: Region) -> tuple[Any, ...]:
    return (region.start, region.end, region.label if region.control == CONTROLS["entity"] else region.control)


def previous_keys(annotations: AnnotationSet | None) -> dict[str, dict[tuple[Any, ...], str]]:
    """Keys of the items of a previous file, by layer, to reuse their ids."""
    keys: dict[str, dict[tuple[Any, ...], str]] = {layer: {} for layer in LAYER_CHARS}
    if annotations is None:
        return keys
    for e in annotations.entities:
        keys["entities"].setdefault((e.start, e.end, e.label), e.id)
    for q in annotations.quantities:
        keys["quantities"].setdefault((q.start, q.end, CONTROLS["quantity"]), q.id)
    for t in annotations.stances:
        keys["stances"].setdefault((t.start, t.end, CONTROLS["stance"]), t.id)
    return keys


@dataclass(frozen=True)
class Layers:
    """What one annotation holds, in Furat's terms, and the region id -> Furat id map it used."""

    entities: tuple[Entity, ...]
    quantities: tuple[Quantity, ...]
    stances: tuple[Stance, ...]
    not_quantities: tuple[NotQuantity, ...]
    ids: dict[str, str]
    problems: list[Problem]

    def annotation_set(self, doc_id: str, text_sha256: str, provenance: dict[str, Any]) -> AnnotationSet:
        return AnnotationSet(
            doc_id, text_sha256, provenance, self.entities, self.quantities, self.stances, self.not_quantities
        )


def build_layers(
    doc_id: str,
    doc_text: str,
    regions: list[Region],
    relations: list[tuple[str, str]],
    unit_kind: Mapping[str, str],
    remembered: Mapping[str, str],
    previous: AnnotationSet | None,
) -> Layers:
    """Entities, quantities, stances and not-quantities from parsed regions, with their ids."""
    problems: list[Problem] = []
    by_layer: dict[str, list[Region]] = {"entities": [], "quantities": [], "stances": []}
    counted: dict[str, Region] = {}
    excluded: list[NotQuantity] = []
    for region in regions:
        if region.control == CONTROLS["not_quantity"]:
            surface = doc_text[region.start : region.end]
            rule = _one(region.attrs.get(CONTROLS["rule"]))
            if not rule or not rule.strip():
                problems.append(Problem("studio-incomplete", f"not-a-quantity {surface!r} needs its rule (D29, §3.1)"))
            else:
                excluded.append(NotQuantity(region.start, region.end, surface, rule.strip()))
            continue
        if region.control == CONTROLS["entity"]:
            by_layer["entities"].append(region)
        elif region.control == CONTROLS["quantity"]:
            by_layer["quantities"].append(region)
        elif region.control == CONTROLS["stance"]:
            by_layer["stances"].append(region)
        else:
            counted[region.id] = region
    keys = previous_keys(previous)
    ids: dict[str, str] = {}
    for layer, items in by_layer.items():
        ids |= assign_ids(doc_id, layer, [(r.id, _item_key(r), r.start, r.end) for r in items], remembered, keys[layer])
    region_of = {r.id: r for r in regions}
    holders: dict[str, list[str]] = {}
    counts: dict[str, list[str]] = {}
    for a, b in relations:
        ra, rb = region_of.get(a), region_of.get(b)
        if ra is None or rb is None:
            continue
        pair = {ra.control: ra, rb.control: rb}
        if CONTROLS["entity"] in pair and CONTROLS["stance"] in pair:
            holders.setdefault(pair[CONTROLS["stance"]].id, []).append(pair[CONTROLS["entity"]].id)
        elif CONTROLS["quantity"] in pair and CONTROLS["counted"] in pair:
            counts.setdefault(pair[CONTROLS["quantity"]].id, []).append(pair[CONTROLS["counted"]].id)
    linked = {c for cs in counts.values() for c in cs}
    for rid, region in counted.items():
        if rid not in linked:
            surface = doc_text[region.start : region.end]
            problems.append(Problem("studio-incomplete", f"counted span {surface!r} is linked to no quantity"))

    entities = tuple(
        Entity(ids[r.id], r.start, r.end, doc_text[r.start : r.end], r.label) for r in by_layer["entities"]
    )
    quantities: list[Quantity] = []
    for r in by_layer["quantities"]:
        surface = doc_text[r.start : r.end]
        unit = _one(r.attrs.get(CONTROLS["unit"]))
        if unit is None or unit not in unit_kind:
            problems.append(Problem("studio-incomplete", f"quantity {surface!r} has no unit"))
            continue
        linked_counted = counts.get(r.id, [])
        if len(linked_counted) > 1:
            message = f"quantity {surface!r} is linked to {len(linked_counted)} counted spans"
            problems.append(Problem("studio-incomplete", message))
            continue
        span = None
        if linked_counted:
            c = region_of[linked_counted[0]]
            span = Span(c.start, c.end, doc_text[c.start : c.end])
        quantities.append(
            Quantity(
                id=ids[r.id],
                start=r.start,
                end=r.end,
                text=surface,
                value=_number(r.attrs.get(CONTROLS["value"])),
                low=_number(r.attrs.get(CONTROLS["low"])),
                high=_number(r.attrs.get(CONTROLS["high"])),
                unit=unit,
                kind=unit_kind[unit],
                approximate=APPROXIMATE_CHOICE in (r.attrs.get(CONTROLS["approximate"]) or []),
                counted=span,
            )
        )
    stances: list[Stance] = []
    for r in by_layer["stances"]:
        surface = doc_text[r.start : r.end]
        target = _one(r.attrs.get(CONTROLS["target"]))
        label = _one(r.attrs.get(CONTROLS["stance_label"]))
        if target is None or label is None:
            problems.append(Problem("studio-incomplete", f"stance {surface!r} needs a target and a stance label"))
            continue
        holder_regions = holders.get(r.id, [])
        if len(holder_regions) > 1:
            message = f"stance {surface!r} is linked to {len(holder_regions)} holders"
            problems.append(Problem("studio-incomplete", message))
            continue
        try:
            kind = holder_kind(_one(r.attrs.get(CONTROLS["holder_kind"])))
        except ValueError as exc:
            problems.append(Problem("studio-incomplete", f"stance {surface!r}: {exc}"))
            continue
        stances.append(
            Stance(
                id=ids[r.id],
                start=r.start,
                end=r.end,
                text=surface,
                target=target,
                label=label,
                holder=ids[holder_regions[0]] if holder_regions else None,
                holder_kind=kind,
            )
        )
    return Layers(entities, tuple(quantities), tuple(stances), tuple(excluded), ids, problems)
