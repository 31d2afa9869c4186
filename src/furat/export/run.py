"""``furat export`` and ``furat import`` as library functions: whole folders in, whole folders out."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from furat.core.annotation import AnnotationSet
from furat.core.findings import Finding, FuratError
from furat.core.jsonio import dumps, write_files_atomically
from furat.core.labels import load_labels
from furat.export import EXPORT_FORMATS, IMPORT_FORMATS
from furat.export.common import Exported, LossReport, check_spans, holder_kinds, select_documents

__all__ = ["ImportResult", "default_out", "export_repository", "import_directory"]

TYPE_SYSTEM = "TypeSystem.xml"
REPORT = "REPORT.md"


def default_out(root: Path, fmt: str) -> Path:
    return root / "dist" / "export" / fmt


def _text_files(fmt: str, items: list[Exported], report: LossReport, root: Path) -> dict[str, str]:
    """Every text file of the export, by name in the output folder."""
    files: dict[str, str] = {}
    if fmt == "brat":
        from furat.export.brat import annotation_conf, to_brat

        files["annotation.conf"] = annotation_conf(load_labels(root / "schema" / "labels.json"), holder_kinds(root))
        for item in items:
            for suffix, content in to_brat(item.doc, item.annotations).items():
                files[item.doc.id + suffix] = content
    elif fmt == "cas":
        from furat.export.cas import to_xmi, type_system

        ts = type_system()
        files[TYPE_SYSTEM] = ts.to_xml()
        for item in items:
            files[f"{item.doc.id}.xmi"] = to_xmi(item.doc, item.annotations, ts)
    elif fmt == "conll":
        from furat.export.tokens import conll_document

        for split in dict.fromkeys(item.split for item in items):
            chunks = [conll_document(item, report) for item in items if item.split == split]
            files[f"{split}.conll"] = "\n".join(chunks)
    elif fmt == "prodigy":
        from furat.export.tokens import jsonl, prodigy_records

        for split in dict.fromkeys(item.split for item in items):
            files[f"{split}.jsonl"] = jsonl(
                r for item in items if item.split == split for r in prodigy_records(item, report)
            )
    return files


def export_repository(root: Path, fmt: str, out: Path | None = None, names: list[str] | None = None) -> LossReport:
    """Export the annotated documents (all, or those ``names`` picks) to ``out`` in ``fmt``; write ``REPORT.md``."""
    if fmt not in EXPORT_FORMATS:
        raise FuratError([Finding(fmt, 0, "usage", f"format is one of {', '.join(EXPORT_FORMATS)}")], 2)
    out = out or default_out(root, fmt)
    report = LossReport(fmt)
    items = select_documents(root, names or [], report)
    problems = [finding for item in items for finding in check_spans(item.doc, item.annotations)]
    if problems:
        raise FuratError(problems)
    binary: dict[str, bytes] = {}
    if fmt == "spacy":
        try:
            from furat.export.tokens import spacy_docbin

            for split in dict.fromkeys(item.split for item in items):
                binary[f"{split}.spacy"] = spacy_docbin([i for i in items if i.split == split], report)
        except ImportError:
            message = "spaCy is not installed: pip install 'furat[spacy]' (or 'spacy>=3.7')"
            raise FuratError([Finding("spacy", 0, "export-missing-dependency", message)], 2) from None
    files = _text_files(fmt, items, report, root)
    report.files = sorted([*files, *binary])
    files[REPORT] = report.markdown()
    try:
        write_files_atomically({out / name: content for name, content in files.items()})
        for name, data in binary.items():
            (out / name).write_bytes(data)
    except OSError as exc:
        raise FuratError([Finding(str(out), 0, "io-error", f"cannot write: {exc}")], 2) from None
    return report


@dataclass
class ImportResult:
    written: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # what furat validate says of the written files


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FuratError([Finding(str(path), 0, "io-error", f"cannot read: {exc.strerror}")], 2) from None


def read_folder(root: Path, fmt: str, folder: Path) -> list[AnnotationSet]:
    """The annotation sets of an export folder; raises with every problem of every file."""
    if fmt not in IMPORT_FORMATS:
        raise FuratError([Finding(fmt, 0, "usage", f"import reads {', '.join(IMPORT_FORMATS)}")], 2)
    if not folder.is_dir():
        raise FuratError([Finding(str(folder), 0, "io-error", "no such folder")], 2)
    sets: list[AnnotationSet] = []
    problems: list[Finding] = []

    def shown(path: Path) -> str:  # findings name files as the user sees them from the repository
        return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)

    if fmt == "brat":
        from furat.export.brat import from_brat

        labels = load_labels(root / "schema" / "labels.json")
        for ann in sorted(folder.glob("*.ann")):
            stem = ann.name[: -len(".ann")]
            sidecar_path, txt = folder / f"{stem}.furat.json", folder / f"{stem}.txt"
            if not sidecar_path.is_file():
                problems.append(Finding(shown(ann), 0, "import-sidecar-missing", f"no {sidecar_path.name} beside it"))
                continue
            try:
                sidecar = json.loads(_read(sidecar_path))
                text = txt.read_bytes().decode("utf-8")  # exactly, line ends included
                sets.append(from_brat(shown(ann), text, _read(ann), sidecar, labels))
            except FuratError as exc:
                problems += exc.findings
            except (OSError, ValueError) as exc:
                problems.append(Finding(shown(ann), 0, "import-syntax", f"cannot read the document: {exc}"))
    else:
        from furat.export.cas import from_cas, load_type_system

        xmis = sorted(folder.glob("*.xmi"))
        ts: Any = None
        if xmis:
            xml = _read(folder / TYPE_SYSTEM)
            try:
                ts = load_type_system(xml)
            except Exception as exc:  # cassis: XML or type system errors
                raise FuratError([Finding(shown(folder / TYPE_SYSTEM), 0, "import-syntax", str(exc))]) from None
        for xmi in xmis:
            try:
                sets.append(from_cas(shown(xmi), _read(xmi), ts))
            except FuratError as exc:
                problems += exc.findings
    if problems:
        raise FuratError(problems)
    if not sets:
        what = "<doc>.ann" if fmt == "brat" else "<doc>.xmi"
        raise FuratError([Finding(shown(folder), 0, "import-empty", f"no {what} in the folder")], 2)
    return sets


def import_directory(root: Path, fmt: str, folder: Path, out: Path | None = None, force: bool = False) -> ImportResult:
    """Annotation files from an export folder, written all or none, then validated."""
    from furat.check.validate import validate_paths

    sets = read_folder(root, fmt, folder)
    out = out or root / "annotations"
    files = {out / f"{s.document}.json": dumps(s.to_json()) for s in sets}
    existing = [path for path in files if path.exists()]
    if existing and not force:
        message = "exists; give --force to overwrite it (nothing was written)"
        shown = [str(p.relative_to(root)) if p.is_relative_to(root) else str(p) for p in existing]
        raise FuratError([Finding(path, 0, "import-exists", message) for path in shown], 2)
    try:
        write_files_atomically(files)
    except OSError as exc:
        raise FuratError([Finding(str(out), 0, "io-error", f"cannot write: {exc}")], 2) from None
    written = sorted(files)
    return ImportResult(written, validate_paths(root, written))
