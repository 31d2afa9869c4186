"""What every format shares: the documents to export, span checks, and the report of what a format loses."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from furat.core.annotation import AnnotationSet
from furat.core.findings import Finding, FuratError
from furat.core.model import Document
from furat.core.schemas import load_schema
from furat.dataset.summary import iter_documents, read_splits

__all__ = [
    "Exported",
    "Loss",
    "LossReport",
    "check_spans",
    "holder_kinds",
    "select_documents",
]


@dataclass(frozen=True)
class Exported:
    """One annotated document of the repository, with its split."""

    split: str
    doc: Document
    annotations: AnnotationSet


@dataclass(frozen=True)
class Loss:
    """Something a format cannot hold: its kind (what is lost), where, and what exactly."""

    kind: str
    doc_id: str
    item: str
    detail: str


@dataclass
class LossReport:
    """Every loss of one export, and the documents left out (no annotation file)."""

    fmt: str
    documents: list[str] = field(default_factory=list)
    losses: list[Loss] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def add(self, kind: str, doc_id: str, item: str, detail: str = "") -> None:
        self.losses.append(Loss(kind, doc_id, item, detail))

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(loss.kind for loss in self.losses).items()))

    def summary(self) -> str:
        """A few lines for stdout: what was written and the count of each kind of loss."""
        lines = [f"{self.fmt}: {len(self.documents)} documents, {len(self.files)} files"]
        if self.skipped:
            lines.append(f"left out (no annotation file): {', '.join(self.skipped)}")
        counts = self.counts()
        if not counts:
            lines.append("nothing lost: the format holds every annotation")
        for kind, count in counts.items():
            lines.append(f"lost: {count} × {kind}")
        return "\n".join(lines)

    def markdown(self) -> str:
        """``REPORT.md``: counts per kind of loss, then every loss."""
        lines = [f"# Furat export: {self.fmt}", "", f"Documents: {', '.join(self.documents) or 'none'}", ""]
        if self.skipped:
            lines += [f"Left out (no annotation file): {', '.join(self.skipped)}", ""]
        counts = self.counts()
        if not counts:
            lines += ["Nothing is lost: the format holds every annotation.", ""]
            return "\n".join(lines)
        lines += ["## What the format cannot hold", "", "| kind of loss | count |", "| --- | --- |"]
        lines += [f"| {kind} | {count} |" for kind, count in counts.items()]
        lines += ["", "## Every loss", "", "| kind | document | item | detail |", "| --- | --- | --- | --- |"]
        for loss in self.losses:
            detail = loss.detail.replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {loss.kind} | {loss.doc_id} | {loss.item} | {detail} |")
        return "\n".join(lines) + "\n"

    def finding(self) -> Finding | None:
        """One ``export-lossy`` warning when anything was lost."""
        total = len(self.losses)
        if not total:
            return None
        kinds = ", ".join(f"{count} {kind}" for kind, count in self.counts().items())
        return Finding("REPORT.md", 0, "export-lossy", f"{self.fmt} cannot hold {total} item(s): {kinds}", "warning")


def select_documents(root: Path, names: list[str], report: LossReport) -> list[Exported]:
    """The annotated documents in manifest order; ``names`` (ids or their prefixes like ``003``) picks some."""
    everything = list(iter_documents(root, read_splits(root)))
    ids = [doc.id for _, doc, _ in everything]
    wanted: set[str] = set()
    for name in names:
        matches = [i for i in ids if i == name or i.startswith(name + "_")]
        if len(matches) != 1:
            message = f"{name!r} names no single document; name one of: {', '.join(ids)}"
            raise FuratError([Finding(name, 0, "export-unknown-document", message)], 2)
        wanted.add(matches[0])
    selected: list[Exported] = []
    for split, doc, annotation_set in everything:
        if wanted and doc.id not in wanted:
            continue
        if annotation_set is None:
            if doc.id in wanted:
                message = f"{doc.id} has no annotation file to export"
                raise FuratError([Finding(doc.id, 0, "export-unknown-document", message)], 2)
            report.skipped.append(doc.id)
            continue
        selected.append(Exported(split, doc, annotation_set))
        report.documents.append(doc.id)
    return selected


def check_spans(doc: Document, annotations: AnnotationSet) -> list[Finding]:
    """Every span of ``annotations`` that does not select its text in ``doc.text`` (code points)."""
    rel = f"annotations/{doc.id}.json"
    problems: list[Finding] = []

    def check(item: str, start: int, end: int, text: str) -> None:
        if not (0 <= start <= end <= len(doc.text)) or doc.text[start:end] != text:
            found = doc.text[start:end] if 0 <= start <= end <= len(doc.text) else "(out of range)"
            message = f"{item} [{start}:{end}] is {text!r} but the text there is {found!r}"
            problems.append(Finding(rel, 0, "export-span-mismatch", message))

    for entity in annotations.entities:
        check(entity.id, entity.start, entity.end, entity.text)
    for quantity in annotations.quantities:
        check(quantity.id, quantity.start, quantity.end, quantity.text)
        if quantity.counted is not None:
            counted = quantity.counted
            check(f"{quantity.id}/counted", counted.start, counted.end, counted.text)
    entity_ids = {e.id for e in annotations.entities}
    for stance in annotations.stances:
        check(stance.id, stance.start, stance.end, stance.text)
        if stance.holder is not None and stance.holder not in entity_ids:
            message = f"{stance.id}: holder {stance.holder} is not an entity of the file"
            problems.append(Finding(rel, 0, "export-bad-reference", message))
    for index, number in enumerate(annotations.not_quantities):
        check(f"not_quantities/{index}", number.start, number.end, number.text)
    return problems


def holder_kinds(root: Path) -> tuple[str, ...]:
    """The values of a stance's ``holder_kind``, as the annotation schema declares them."""
    schema: dict[str, Any] = load_schema(root / "schema", "annotation").document
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            kind = node.get("holder_kind")
            if isinstance(kind, dict) and isinstance(kind.get("enum"), list):
                found.extend(str(v) for v in kind["enum"] if str(v) not in found)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return tuple(found)
