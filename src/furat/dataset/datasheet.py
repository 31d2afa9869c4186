"""``furat datasheet``: the statistics tables of ``DATASHEET.md``, generated from the data.

Every table stands between a pair of marker comments, and only what is between them is rewritten::

    <!-- stats:documents -->
    | split | documents | ... |
    <!-- /stats:documents -->

A table is made by a function of the repository root, named in ``TABLES``: the corpus tables are made
here from the dataset summary; the agreement and pre-annotator tables by the annotation stage's own
functions (``furat.annotate.agreement.agreement_table``, ``furat.annotate.evaluation.preannotator_table``).

``furat datasheet`` rewrites the tables; ``furat datasheet --check`` writes nothing and exits 1 when one
is stale (CI); ``furat build`` refreshes them before it copies the datasheet into the dataset card.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Literal

from furat.annotate.agreement import agreement_table, stance_dev_table
from furat.annotate.evaluation import preannotator_table
from furat.core.findings import Finding, FuratError
from furat.core.jsonio import write_files_atomically
from furat.core.repo import gold_known
from furat.dataset.prose import annotators_note, language_note, sample_note, sources_note, timeframe_note
from furat.dataset.summary import SPLITS, Summary, summarize

__all__ = [
    "DATASHEET",
    "TABLES",
    "TableFn",
    "check_datasheet",
    "check_markers",
    "refresh_datasheet",
    "render_tables",
    "replace_tables",
]

DATASHEET = "DATASHEET.md"
TableFn = Callable[[Path], str]

_MARKERS = re.compile(r"<!-- stats:(?P<name>[\w-]+) -->\n?(?P<body>.*?)<!-- /stats:(?P=name) -->", re.DOTALL)
_OPEN = re.compile(r"<!-- /?stats:([\w-]+) -->")
_SUMMARY: ContextVar[tuple[Path, Summary] | None] = ContextVar("furat_datasheet_summary", default=None)


@contextmanager
def _using(root: Path, summary: Summary | None) -> Iterator[None]:
    token = _SUMMARY.set((root, summary) if summary is not None else None)
    try:
        yield
    finally:
        _SUMMARY.reset(token)


def _summary(root: Path) -> Summary:
    """The summary being rendered (made once per run, or handed over by the build), or a fresh one."""
    current = _SUMMARY.get()
    if current is not None and current[0] == root:
        return current[1]
    summary = summarize(root)
    _SUMMARY.set((root, summary))
    return summary


def _table(header: list[str], rows: list[list[object]], right_from: int = 1, right_to: int = 99) -> str:
    """A Markdown table; columns ``right_from`` to ``right_to`` (numbers) are right-aligned."""
    lines = ["| " + " | ".join(header) + " |"]
    align = ["---:" if right_from <= i <= right_to else "---" for i in range(len(header))]
    lines.append("| " + " | ".join(align) + " |")
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _per_split(counter: Counter[tuple[str, str]], keys: list[str], names: dict[str, str]) -> list[list[object]]:
    rows: list[list[object]] = []
    for key in keys:
        counts = [counter[(key, split)] for split in SPLITS]
        rows.append([names[key], *counts, sum(counts)])
    totals = [sum(counter[(key, split)] for key in keys) for split in SPLITS]
    rows.append(["**total**", *totals, sum(totals)])
    return rows


# --------------------------------------------------------------------------------------------------
# Furat's own tables


def sources_table(root: Path) -> str:
    """Each document: its split, and the outlet, author, date and title its text states."""

    def cell(value: str | None) -> str:
        return value.replace("|", "\\|") if value else "not stated"

    rows: list[list[object]] = [
        [f"`{d.id}`", d.split, cell(d.meta.outlet), cell(d.meta.author), cell(d.meta.published), cell(d.meta.title)]
        for d in _summary(root).documents
    ]
    return _table(["document", "split", "outlet", "author", "published", "title"], rows, right_from=99)


def documents_table(root: Path) -> str:
    """Documents, annotated documents, sentences and tokens per split."""
    summary = _summary(root)
    rows: list[list[object]] = []
    totals = [0, 0, 0, 0]
    for split in SPLITS:
        docs = summary.in_split(split)
        counts = [
            len(docs),
            sum(1 for d in docs if d.status is not None),
            sum(d.sentences for d in docs),
            sum(d.tokens for d in docs),
        ]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        rows.append([split, *counts])
    rows.append(["**total**", *totals])
    return _table(["split", "documents", "with annotations", "sentences", "tokens"], rows)


def _layer_counter(summary: Summary, layer: Literal["entities", "quantities", "stances"]) -> Counter[tuple[str, str]]:
    """How many items of ``layer`` each (label, split) has; a stance's label is ``target/label``."""
    counter: Counter[tuple[str, str]] = Counter()
    for doc in summary.documents:
        if doc.status is None:
            continue
        split = doc.split
        if layer == "stances":
            for (target, label), n in doc.stances.items():
                counter[f"{target}/{label}", split] += n
        else:
            for label, n in (doc.entities if layer == "entities" else doc.quantities).items():
                counter[label, split] += n
    return counter


def entities_table(root: Path) -> str:
    """Entity mentions per label and split (every label of schema/labels.json, zeros included)."""
    summary = _summary(root)
    names = {label.code: f"`{label.code}` ({label.en})" for label in summary.labels.entity_types}
    rows = _per_split(_layer_counter(summary, "entities"), list(names), names)
    return _table(["label", *SPLITS, "total"], rows)


def quantities_table(root: Path) -> str:
    """Quantity mentions per kind and split."""
    summary = _summary(root)
    names = {kind.code: f"`{kind.code}` ({kind.en})" for kind in summary.labels.quantity_kinds}
    rows = _per_split(_layer_counter(summary, "quantities"), list(names), names)
    return _table(["kind", *SPLITS, "total"], rows)


def stances_table(root: Path) -> str:
    """Stances per target, label and split."""
    summary = _summary(root)
    names = {
        f"{target.code}/{label.code}": f"`{target.code}` ({target.en}) | `{label.code}`"
        for target in summary.labels.stance_targets
        for label in summary.labels.stance_labels
    }
    rows = _per_split(_layer_counter(summary, "stances"), list(names), names)
    rows[-1][0] = "**total** |"
    return _table(["target", "label", *SPLITS, "total"], rows, right_from=2)


def provenance_table(root: Path) -> str:
    """Who made the annotation files: their provenance status and annotators, as the files record them."""
    annotated = _summary(root).annotated
    if not annotated:
        return "No annotation files yet (`annotations/<doc_id>.json`): this version holds no annotations."
    files: Counter[str] = Counter()
    annotators: dict[str, set[str]] = {}
    for doc in annotated:
        status = str(doc.status)
        files[status] += 1
        annotators.setdefault(status, set()).update(f"{kind}: `{name}`" for kind, name in doc.annotators)
    rows: list[list[object]] = [
        [f"`{status}`", files[status], ", ".join(sorted(annotators.get(status, ())))] for status in sorted(files)
    ]
    return _table(["status", "annotation files", "annotators (kind: id)"], rows, right_from=1, right_to=1)


def conventions_table(root: Path) -> str:
    """The table of GUIDELINES §2.10 (Furat beside OntoNotes, ACE and Wojood), as the guidelines state it."""
    path = root / "annotations" / "GUIDELINES.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return "_The annotation guidelines are not in this repository._"
    section = re.search(r"^### 2\.10 .*?$(.*?)(?=^#{2,3} )", text, re.MULTILINE | re.DOTALL)
    rows = [line for line in (section.group(1) if section else "").splitlines() if line.startswith("|")]
    return "\n".join(rows) if rows else "_GUIDELINES §2.10 has no conventions table._"


TABLES: dict[str, TableFn] = {
    "sources": sources_table,
    "documents": documents_table,
    "entities": entities_table,
    "quantities": quantities_table,
    "stances": stances_table,
    "provenance": provenance_table,
    "conventions": conventions_table,
    "agreement": agreement_table,
    "stance_dev": stance_dev_table,
    "preannotator": preannotator_table,
    "sources_note": lambda root: sources_note(root, _summary(root)),
    "sample_note": lambda root: sample_note(root, _summary(root)),
    "language_note": lambda root: language_note(root, _summary(root)),
    "timeframe_note": lambda root: timeframe_note(root, _summary(root)),
    "annotators_note": annotators_note,
}


# --------------------------------------------------------------------------------------------------
# Rendering and checking


def render_tables(root: Path, summary: Summary | None = None) -> dict[str, str]:
    """Every registered table, made from the repository (or from ``summary`` when the caller has it)."""
    if summary is None:
        with _using(root, summary):
            return {name: table(root).strip() for name, table in TABLES.items()}
    gold = [doc.id for doc in summary.documents if doc.status == "gold"]  # the build has just read them all
    with _using(root, summary), gold_known(root, gold):
        return {name: table(root).strip() for name, table in TABLES.items()}


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def replace_tables(text: str, tables: dict[str, str]) -> tuple[str, list[Finding]]:
    """``text`` with the body of each marker pair replaced; findings for markers that do not pair up."""
    problems: list[Finding] = []
    found = {m.group("name"): m for m in _MARKERS.finditer(text)}
    for name in tables:
        if name not in found:
            message = f"no <!-- stats:{name} --> ... <!-- /stats:{name} --> pair for the {name!r} table"
            problems.append(Finding(DATASHEET, 0, "datasheet-marker", message))
    for marker in _OPEN.finditer(text):
        name = marker.group(1)
        if name not in found or name not in tables:
            why = "has no generator" if name in found else "has no matching marker"
            message = f"{marker.group()} {why}"
            problems.append(Finding(DATASHEET, _line(text, marker.start()), "datasheet-marker", message))

    def body(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in tables:
            return match.group()
        return f"<!-- stats:{name} -->\n{tables[name]}\n<!-- /stats:{name} -->"

    return _MARKERS.sub(body, text), problems


def _read(root: Path) -> str:
    try:
        return (root / DATASHEET).read_text(encoding="utf-8")
    except OSError as exc:
        raise FuratError([Finding(DATASHEET, 0, "io-error", f"cannot read: {exc.strerror}")], 2) from None


def check_markers(root: Path) -> None:
    """Raise unless DATASHEET.md has a marker pair for every registered table, and no stray marker."""
    _, problems = replace_tables(_read(root), {name: "" for name in TABLES})
    if problems:
        raise FuratError(problems, 1)


def check_datasheet(root: Path, summary: Summary | None = None) -> list[Finding]:
    """Findings for every table of DATASHEET.md that differs from what the data gives now."""
    text = _read(root)
    tables = render_tables(root, summary)
    new, problems = replace_tables(text, tables)
    if problems or new == text:
        return problems
    stale = []
    for match in _MARKERS.finditer(text):
        name = match.group("name")
        if name in tables and match.group("body").strip() != tables[name]:
            message = f"the {name!r} table differs from the data; run `furat datasheet`"
            stale.append(Finding(DATASHEET, _line(text, match.start()), "datasheet-stale", message))
    return stale


def refresh_datasheet(root: Path, summary: Summary | None = None) -> tuple[str, bool]:
    """Rewrite the tables of DATASHEET.md (atomically, only when they changed); its text, and whether it did."""
    text = _read(root)
    new, problems = replace_tables(text, render_tables(root, summary))
    if problems:
        raise FuratError(problems, 1)
    if new != text:
        write_files_atomically({root / DATASHEET: new})
    return new, new != text


# --------------------------------------------------------------------------------------------------
# Command line
