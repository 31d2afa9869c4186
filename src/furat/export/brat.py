"""brat standoff: ``<doc>.txt`` (the text exactly), ``<doc>.ann``, ``<doc>.furat.json`` and ``annotation.conf``.

In the ``.ann``: entities are ``T`` lines with their label; quantities ``T … Quantity`` with the
attributes ``Unit``, ``Kind`` and ``Approximate`` and an ``AnnotatorNotes`` line
``id=… value=… low=… high=…`` (numbers as JSON, ``null`` when absent); a counted span is a
``T … Counted`` joined to its quantity by ``R… Counts Arg1:Tq Arg2:Tc``; a stance is a
``T … Stance`` (its evidence span) with the attributes ``Target``, ``Label``, ``HolderKind`` and a
``R… Holder Arg1:Tstance Arg2:Tentity``; a number that is not a quantity is ``T … NotQuantity``
with a note ``rule=…``. Every entity, quantity and stance keeps its Furat id in its note
(``id=…``); the sidecar ``<doc>.furat.json`` keeps the provenance, the document id and the text
fingerprint. brat offsets are character offsets into the ``.txt``, which are Python's code points.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from furat.core.annotation import AnnotationSet, Entity, NotQuantity, Quantity, Span, Stance, holder_kind, text_sha256
from furat.core.findings import Finding, FuratError
from furat.core.labels import Labels
from furat.core.model import Document

__all__ = ["annotation_conf", "from_brat", "to_brat"]

QUANTITY, COUNTED, STANCE, NOT_QUANTITY = "Quantity", "Counted", "Stance", "NotQuantity"
_NUMBERS = ("value", "low", "high")


def annotation_conf(labels: Labels, holder_kinds: Iterable[str]) -> str:
    """brat's ``annotation.conf`` for Furat, from ``schema/labels.json``."""
    entities = "|".join(labels.entity_codes)
    lines = ["[entities]", *labels.entity_codes, QUANTITY, COUNTED, STANCE, NOT_QUANTITY, ""]
    lines += [
        "[relations]",
        f"Counts\tArg1:{QUANTITY}, Arg2:{COUNTED}",
        f"Holder\tArg1:{STANCE}, Arg2:{entities}",
        "<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>",
        "",
        "[events]",
        "",
        "[attributes]",
        f"Unit\tArg:{QUANTITY}, Value:{'|'.join(labels.unit_codes)}",
        f"Kind\tArg:{QUANTITY}, Value:{'|'.join(labels.kind_codes)}",
        f"Approximate\tArg:{QUANTITY}",
        f"Target\tArg:{STANCE}, Value:{'|'.join(labels.target_codes)}",
        f"Label\tArg:{STANCE}, Value:{'|'.join(labels.stance_codes)}",
        f"HolderKind\tArg:{STANCE}, Value:{'|'.join(holder_kinds)}",
    ]
    return "\n".join(lines) + "\n"


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span as brat fragments: brat lines cannot hold a line break, so a span is cut at each one."""
    pieces, position = [], start
    for piece in text[start:end].split("\n"):
        if piece:
            pieces.append((position, position + len(piece)))
        position += len(piece) + 1
    return pieces or [(start, end)]


class _Writer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[str] = []
        self.counts = {"T": 0, "A": 0, "R": 0, "#": 0}

    def next(self, prefix: str) -> str:
        self.counts[prefix] += 1
        return f"{prefix}{self.counts[prefix]}"

    def span(self, kind: str, start: int, end: int, surface: str) -> str:
        if self.text[start:end] != surface:  # check_spans has run; this guards the writer itself
            raise ValueError(f"{kind} [{start}:{end}] does not select {surface!r}")
        tid = self.next("T")
        parts = _fragments(self.text, start, end)
        where = ";".join(f"{a} {b}" for a, b in parts)
        shown = " ".join(self.text[a:b] for a, b in parts)
        self.lines.append(f"{tid}\t{kind} {where}\t{shown}")
        return tid

    def attribute(self, name: str, tid: str, value: str | None = None) -> None:
        self.lines.append(f"{self.next('A')}\t{name} {tid}" + (f" {value}" if value is not None else ""))

    def relation(self, name: str, arg1: str, arg2: str) -> None:
        self.lines.append(f"{self.next('R')}\t{name} Arg1:{arg1} Arg2:{arg2}")

    def note(self, tid: str, fields: dict[str, Any]) -> None:
        text = " ".join(f"{k}={v if isinstance(v, str) else json.dumps(v)}" for k, v in fields.items())
        self.lines.append(f"{self.next('#')}\tAnnotatorNotes {tid}\t{text}")


def to_brat(doc: Document, annotations: AnnotationSet) -> dict[str, str]:
    """The files of one document: suffix (``.txt``, ``.ann``, ``.furat.json``) -> content."""
    data = annotations.to_json()  # sorted, as the annotation file has them
    out = _Writer(doc.text)
    entity_tids: dict[str, str] = {}
    for e in data["entities"]:
        tid = entity_tids[e["id"]] = out.span(e["label"], e["start"], e["end"], e["text"])
        out.note(tid, {"id": e["id"]})
    for q in data["quantities"]:
        tid = out.span(QUANTITY, q["start"], q["end"], q["text"])
        out.attribute("Unit", tid, q["unit"])
        out.attribute("Kind", tid, q["kind"])
        if q["approximate"]:
            out.attribute("Approximate", tid)
        out.note(tid, {"id": q["id"], **{k: q[k] for k in _NUMBERS}})
        if q["counted"] is not None:
            counted = q["counted"]
            out.relation("Counts", tid, out.span(COUNTED, counted["start"], counted["end"], counted["text"]))
    for s in data["stances"]:
        tid = out.span(STANCE, s["start"], s["end"], s["text"])
        out.attribute("Target", tid, s["target"])
        out.attribute("Label", tid, s["label"])
        if s.get("holder_kind"):
            out.attribute("HolderKind", tid, s["holder_kind"])
        out.note(tid, {"id": s["id"]})
        if s["holder"] is not None:
            out.relation("Holder", tid, entity_tids[s["holder"]])
    for n in data.get("not_quantities", []):
        tid = out.span(NOT_QUANTITY, n["start"], n["end"], n["text"])
        out.note(tid, {"rule": n["rule"]})
    sidecar = {key: data[key] for key in ("schema_version", "document", "text_sha256", "provenance")}
    return {
        ".txt": doc.text,
        ".ann": "\n".join(out.lines) + ("\n" if out.lines else ""),
        ".furat.json": json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n",
    }


_T = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")
_A = re.compile(r"^(A\d+)\t(\S+) (T\d+)(?: (\S+))?$")
_R = re.compile(r"^(R\d+)\t(\S+) Arg1:(T\d+) Arg2:(T\d+)$")
_NOTE = re.compile(r"^(#\d+)\tAnnotatorNotes (T\d+)\t(.*)$")


@dataclass
class _Text:
    line: int
    kind: str
    start: int
    end: int
    text: str
    attributes: dict[str, str | None] = field(default_factory=dict)
    note: dict[str, Any] = field(default_factory=dict)
    relations: dict[str, str] = field(default_factory=dict)  # relation -> the other T id


class _Reader:
    def __init__(self, path: str, text: str, labels: Labels) -> None:
        self.path, self.text, self.labels = path, text, labels
        self.problems: list[Finding] = []
        self.spans: dict[str, _Text] = {}

    def fail(self, line: int, code: str, message: str) -> None:
        self.problems.append(Finding(self.path, line, code, message))

    def read(self, content: str) -> None:
        for number, raw in enumerate(content.split("\n"), start=1):
            line = raw.rstrip("\r")
            if not line.strip():
                continue
            if m := _T.match(line):
                self._span(number, m.group(1), m.group(2), m.group(3), m.group(4))
            elif m := _A.match(line):
                self._attribute(number, m.group(2), m.group(3), m.group(4))
            elif m := _R.match(line):
                self._relation(number, m.group(2), m.group(3), m.group(4))
            elif m := _NOTE.match(line):
                self._note(number, m.group(2), m.group(3))
            else:
                self.fail(number, "import-syntax", f"not a brat line Furat reads: {line[:60]!r}")

    def _span(self, number: int, tid: str, kind: str, where: str, shown: str) -> None:
        known = (*self.labels.entity_codes, QUANTITY, COUNTED, STANCE, NOT_QUANTITY)
        if kind not in known:
            self.fail(number, "import-unknown-type", f"{tid}: type {kind!r} is none of {', '.join(known)}")
            return
        parts = [(int(a), int(b)) for a, b in (p.split(" ") for p in where.split(";"))]
        start, end = parts[0][0], parts[-1][1]
        in_range = 0 <= start <= end <= len(self.text) and all(a <= b for a, b in parts)
        expected = " ".join(self.text[a:b] for a, b in parts) if in_range else None
        gaps_ok = in_range and all(not self.text[b:a].strip(" \t\r\n") for (_, b), (a, _) in itertools.pairwise(parts))
        if expected != shown or not gaps_ok:
            found = repr(expected) if in_range else "out of the text"
            message = f"{tid} [{where}] says {shown!r} but the text there is {found}"
            self.fail(number, "import-span-mismatch", message)
            return
        self.spans[tid] = _Text(number, kind, start, end, self.text[start:end])

    def _target(self, number: int, tid: str, what: str) -> _Text | None:
        span = self.spans.get(tid)
        if span is None:
            self.fail(number, "import-bad-reference", f"{what} of {tid}, which is no span of the file (before it)")
        return span

    def _attribute(self, number: int, name: str, tid: str, value: str | None) -> None:
        allowed = {
            "Unit": (QUANTITY, self.labels.unit_codes),
            "Kind": (QUANTITY, self.labels.kind_codes),
            "Approximate": (QUANTITY, None),
            "Target": (STANCE, self.labels.target_codes),
            "Label": (STANCE, self.labels.stance_codes),
            "HolderKind": (STANCE, None),
        }
        if name not in allowed:
            self.fail(number, "import-unknown-type", f"attribute {name!r} is none of {', '.join(allowed)}")
            return
        span = self._target(number, tid, f"attribute {name}")
        if span is None:
            return
        kind, values = allowed[name]
        if span.kind != kind:
            self.fail(number, "import-unknown-type", f"attribute {name} belongs to a {kind}, not a {span.kind}")
        elif values is not None and value not in values:
            self.fail(number, "import-bad-value", f"{name} {value!r} is none of {', '.join(values)}")
        else:
            span.attributes[name] = value

    def _relation(self, number: int, name: str, arg1: str, arg2: str) -> None:
        first, second = self._target(number, arg1, name), self._target(number, arg2, name)
        if first is None or second is None:
            return
        expected = {"Counts": (QUANTITY, (COUNTED,)), "Holder": (STANCE, self.labels.entity_codes)}
        if name not in expected:
            self.fail(number, "import-unknown-type", f"relation {name!r} is none of {', '.join(expected)}")
        elif first.kind != expected[name][0] or second.kind not in expected[name][1]:
            self.fail(number, "import-unknown-type", f"{name} cannot join a {first.kind} to a {second.kind}")
        else:
            first.relations[name] = arg2

    def _note(self, number: int, tid: str, note: str) -> None:
        span = self._target(number, tid, "a note")
        if span is None:
            return
        for item in note.split():
            key, sep, value = item.partition("=")
            if not sep:
                self.fail(number, "import-bad-value", f"note item {item!r} is not key=value")
            elif key in _NUMBERS:
                try:
                    number_value = json.loads(value)
                except ValueError:
                    number_value = "?"
                if isinstance(number_value, bool) or not isinstance(number_value, int | float | None):
                    self.fail(number, "import-bad-value", f"{key}={value!r} is not a number or null")
                else:
                    span.note[key] = number_value
            elif key in ("id", "rule"):
                span.note[key] = value
            else:
                self.fail(number, "import-bad-value", f"note key {key!r} is none of id, rule, value, low, high")


def _fresh_id(doc_id: str, letter: str, taken: set[str]) -> str:
    """The next free id of a layer for a span drawn in brat without one."""
    number = 1
    while f"{doc_id}-{letter}{number:04d}" in taken:
        number += 1
    taken.add(f"{doc_id}-{letter}{number:04d}")
    return f"{doc_id}-{letter}{number:04d}"


def from_brat(path: str, text: str, ann: str, sidecar: dict[str, Any], labels: Labels) -> AnnotationSet:
    """The annotation set of one ``.ann``; raises ``FuratError`` with every problem (file and line)."""
    doc_id = str(sidecar.get("document", ""))
    if sidecar.get("text_sha256") != text_sha256(text):
        fail = Finding(path, 0, "import-text-changed", f"the .txt is not the text {doc_id} was annotated on")
        raise FuratError([fail])
    reader = _Reader(path, text, labels)
    reader.read(ann)
    taken = {str(s.note["id"]) for s in reader.spans.values() if "id" in s.note}
    tid_to_id: dict[str, str] = {}
    for tid, span in reader.spans.items():
        if span.kind in labels.entity_codes:
            tid_to_id[tid] = str(span.note.get("id") or _fresh_id(doc_id, "e", taken))
    entities = [Entity(tid_to_id[t], s.start, s.end, s.text, s.kind) for t, s in reader.spans.items() if t in tid_to_id]
    quantities, stances, not_quantities = [], [], []
    for span in reader.spans.values():
        if span.kind == QUANTITY:
            counted = reader.spans.get(span.relations.get("Counts", ""))
            if "Unit" not in span.attributes or "Kind" not in span.attributes:
                reader.fail(span.line, "import-bad-value", "a Quantity needs the attributes Unit and Kind")
                continue
            quantities.append(
                Quantity(
                    str(span.note.get("id") or _fresh_id(doc_id, "q", taken)),
                    span.start,
                    span.end,
                    span.text,
                    span.note.get("value"),
                    span.note.get("low"),
                    span.note.get("high"),
                    str(span.attributes["Unit"]),
                    str(span.attributes["Kind"]),
                    "Approximate" in span.attributes,
                    Span(counted.start, counted.end, counted.text) if counted else None,
                )
            )
        elif span.kind == STANCE:
            if "Target" not in span.attributes or "Label" not in span.attributes:
                reader.fail(span.line, "import-bad-value", "a Stance needs the attributes Target and Label")
                continue
            holder = span.relations.get("Holder")
            try:
                kind = holder_kind(span.attributes.get("HolderKind"))
            except ValueError as exc:
                reader.fail(span.line, "import-bad-value", str(exc))
                continue
            stances.append(
                Stance(
                    str(span.note.get("id") or _fresh_id(doc_id, "t", taken)),
                    span.start,
                    span.end,
                    span.text,
                    str(span.attributes["Target"]),
                    str(span.attributes["Label"]),
                    tid_to_id[holder] if holder else None,
                    kind,
                )
            )
        elif span.kind == NOT_QUANTITY:
            if "rule" not in span.note:
                reader.fail(span.line, "import-bad-value", "a NotQuantity needs a note rule=…")
                continue
            not_quantities.append(NotQuantity(span.start, span.end, span.text, str(span.note["rule"])))
    if reader.problems:
        raise FuratError(reader.problems)
    return AnnotationSet(
        document=doc_id,
        text_sha256=str(sidecar["text_sha256"]),
        provenance=dict(sidecar.get("provenance") or {}),
        entities=tuple(entities),
        quantities=tuple(quantities),
        stances=tuple(stances),
        not_quantities=tuple(not_quantities),
    )
