"""Drafts: annotations written by pointing at words, not by typing offsets.

A draft names each mention by its sentence and a piece of that sentence with the mention in square
brackets, e.g. ``{"s": 4, "m": "لعناصر \\"[داعش]\\" في ديالي", "label": "ORG"}``. The piece without
its brackets must occur exactly once in the sentence; the bracketed part is the mention. Offsets are
then computed, never typed, and checked like any annotation file. ``s`` may also be ``"4-5"`` for an
evidence span that runs over two sentences.

Draft shape::

    {"document": ID, "status": "pass" | "gold", "annotators": [{"id", "kind", "description"}],
     "method": "...",
     "entities":   [{"s", "m", "label", "key"?}],
     "quantities": [{"s", "m", "value", "low", "high", "unit", "approximate", "counted"?: "context [noun]"}],
     "stances":    [{"s", "m", "target", "label", "holder": entity key | null, "holder_kind"?}],
     "not_quantities": [{"s", "m", "rule"}]}   # numbers decided not to be quantities (for coverage)

``kind`` of a quantity is derived from its unit. ``furat draft export`` turns an annotation file back
into a draft, so an adjudicator can start from one pass.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from furat.core.annotation import AnnotationSet, Entity, NotQuantity, Quantity, Span, Stance, text_sha256
from furat.core.labels import load_labels
from furat.core.model import Document

__all__ = ["DraftError", "dumps_draft", "export_draft", "resolve_draft"]

_MARK = re.compile(r"^(.*?)\[(.+?)\](.*)$", re.DOTALL)


@dataclass(frozen=True)
class DraftError(Exception):
    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.pointer}: {self.message}"


def _sentence_range(doc: Document, s: object, pointer: str) -> tuple[int, int]:
    try:
        first, _, last = str(s).partition("-")
        a, b = int(first), int(last or first)
        return doc.sentences[a].start, doc.sentences[b].end
    except (ValueError, IndexError):
        raise DraftError(pointer, f"no sentence {s!r} (the document has {len(doc.sentences)})") from None


def _locate(doc: Document, s: object, marked: str, pointer: str) -> tuple[int, int]:
    """The offsets of the bracketed part of ``marked`` inside sentence(s) ``s``."""
    match = _MARK.match(marked)
    if not match:
        raise DraftError(pointer, f"{marked!r} has no [bracketed] mention")
    before, mention, after = match.groups()
    piece = before + mention + after
    start, end = _sentence_range(doc, s, pointer)
    found = [m.start() for m in re.finditer(re.escape(piece), doc.text[start:end])] if piece else []
    if not found:
        raise DraftError(pointer, f"{piece!r} is not in sentence {s}: {doc.text[start:end]!r}")
    if len(found) > 1:
        raise DraftError(pointer, f"{piece!r} occurs {len(found)} times in sentence {s}; add context around it")
    mention_start = start + found[0] + len(before)
    return mention_start, mention_start + len(mention)


def resolve_draft(doc: Document, draft: Mapping[str, Any]) -> AnnotationSet:
    """The annotation set a draft describes; raises :class:`DraftError` naming the offending item."""
    unit_kind = load_labels().unit_kind
    entities: list[Entity] = []
    keys: dict[str, int] = {}
    for i, item in enumerate(draft.get("entities", [])):
        start, end = _locate(doc, item["s"], item["m"], f"/entities/{i}")
        entities.append(Entity("", start, end, doc.text[start:end], item["label"]))
        if "key" in item:
            keys[item["key"]] = len(entities) - 1
    entities_sorted = sorted(range(len(entities)), key=lambda k: (entities[k].start, entities[k].end))
    ids = {k: f"{doc.id}-e{n:04d}" for n, k in enumerate(entities_sorted, start=1)}
    final_entities = tuple(
        Entity(ids[k], entities[k].start, entities[k].end, entities[k].text, entities[k].label) for k in entities_sorted
    )

    quantities: list[Quantity] = []
    for i, item in enumerate(draft.get("quantities", [])):
        pointer = f"/quantities/{i}"
        start, end = _locate(doc, item["s"], item["m"], pointer)
        counted = None
        if item.get("counted"):
            c_start, c_end = _locate(doc, item["s"], item["counted"], f"{pointer}/counted")
            counted = Span(c_start, c_end, doc.text[c_start:c_end])
        if item["unit"] not in unit_kind:
            raise DraftError(f"{pointer}/unit", f"unknown unit {item['unit']!r}")
        quantities.append(
            Quantity(
                "",
                start,
                end,
                doc.text[start:end],
                item.get("value"),
                item.get("low"),
                item.get("high"),
                item["unit"],
                unit_kind[item["unit"]],
                bool(item.get("approximate", False)),
                counted,
            )
        )
    quantities.sort(key=lambda q: (q.start, q.end))

    stances: list[Stance] = []
    for i, item in enumerate(draft.get("stances", [])):
        pointer = f"/stances/{i}"
        start, end = _locate(doc, item["s"], item["m"], pointer)
        holder_key = item.get("holder")
        if holder_key is not None and holder_key not in keys:
            raise DraftError(f"{pointer}/holder", f"no entity has key {holder_key!r}")
        holder = ids[keys[holder_key]] if holder_key is not None else None
        stances.append(
            Stance("", start, end, doc.text[start:end], item["target"], item["label"], holder, item.get("holder_kind"))
        )
    stances.sort(key=lambda t: (t.start, t.end))

    not_quantities = []
    for i, item in enumerate(draft.get("not_quantities", [])):
        start, end = _locate(doc, item["s"], item["m"], f"/not_quantities/{i}")
        not_quantities.append(NotQuantity(start, end, doc.text[start:end], item["rule"]))

    provenance = {
        k: draft[k] for k in ("status", "annotators", "method", "guidelines", "passes", "layers") if k in draft
    }
    return AnnotationSet(
        document=doc.id,
        text_sha256=text_sha256(doc.text),
        provenance=provenance,
        entities=final_entities,
        quantities=tuple(_renumber(doc.id, "q", quantities)),
        stances=tuple(_renumber(doc.id, "t", stances)),
        not_quantities=tuple(sorted(not_quantities, key=lambda n: n.start)),
    )


def _renumber(doc_id: str, letter: str, items: list[Any]) -> list[Any]:
    from dataclasses import replace

    return [replace(item, id=f"{doc_id}-{letter}{n:04d}") for n, item in enumerate(items, start=1)]


def _sentence_of(doc: Document, start: int, end: int) -> int | str:
    first = max(i for i, s in enumerate(doc.sentences) if s.start <= start)
    last = max(i for i, s in enumerate(doc.sentences) if s.start < end)
    return first if first == last else f"{first}-{last}"


def _marked(doc: Document, s: int | str, start: int, end: int) -> str:
    """The shortest piece of the sentence around ``[start, end)`` that occurs there once."""
    lo, hi = _sentence_range(doc, s, "")
    sentence = doc.text[lo:hi]
    for grow in range(0, hi - lo + 1):
        a, b = max(lo, start - grow), min(hi, end + grow)
        if sentence.count(doc.text[a:b]) == 1:
            return doc.text[a:start] + "[" + doc.text[start:end] + "]" + doc.text[end:b]
    return doc.text[lo:start] + "[" + doc.text[start:end] + "]" + doc.text[end:hi]


def export_draft(doc: Document, annotations: AnnotationSet) -> dict[str, Any]:
    """A draft that resolves back to ``annotations`` (ids renumbered by position)."""
    keys = {e.id: f"e{n}" for n, e in enumerate(annotations.entities, start=1)}
    held = {s.holder for s in annotations.stances if s.holder}
    draft: dict[str, Any] = {"document": doc.id, **annotations.provenance}
    draft["entities"] = [
        {"s": (s := _sentence_of(doc, e.start, e.end)), "m": _marked(doc, s, e.start, e.end), "label": e.label}
        | ({"key": keys[e.id]} if e.id in held else {})
        for e in annotations.entities
    ]
    draft["quantities"] = []
    for q in annotations.quantities:
        s = _sentence_of(doc, q.start, q.end)
        item: dict[str, Any] = {
            "s": s,
            "m": _marked(doc, s, q.start, q.end),
            "value": q.value,
            "low": q.low,
            "high": q.high,
            "unit": q.unit,
            "approximate": q.approximate,
        }
        if q.counted:
            item["counted"] = _marked(doc, s, q.counted.start, q.counted.end)
        draft["quantities"].append(item)
    draft["stances"] = [
        {
            "s": (s := _sentence_of(doc, t.start, t.end)),
            "m": _marked(doc, s, t.start, t.end),
            "target": t.target,
            "label": t.label,
            "holder": keys.get(t.holder) if t.holder else None,
        }
        | ({"holder_kind": t.holder_kind} if t.holder_kind else {})
        for t in annotations.stances
    ]
    if annotations.not_quantities:
        draft["not_quantities"] = [
            {"s": (s := _sentence_of(doc, n.start, n.end)), "m": _marked(doc, s, n.start, n.end), "rule": n.rule}
            for n in annotations.not_quantities
        ]
    return draft


def dumps_draft(draft: Mapping[str, Any]) -> str:
    """A draft as JSON with one mention per line, easy to read and to diff."""
    lines = ["{"]
    items = list(draft.items())
    for n, (key, value) in enumerate(items):
        comma = "," if n < len(items) - 1 else ""
        if key in ("entities", "quantities", "stances", "not_quantities"):
            rows = [json.dumps(item, ensure_ascii=False) for item in value]
            body = ",\n".join(f"    {row}" for row in rows)
            lines.append(f'  "{key}": [\n{body}\n  ]{comma}' if rows else f'  "{key}": []{comma}')
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    return "\n".join(lines) + "\n}\n"
