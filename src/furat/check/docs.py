"""Generated sections of the project's documents: label tables and the table of finding codes.

The label tables of ``annotations/GUIDELINES.md`` come from ``schema/labels.json``; the code table of
``CONTRIBUTING.md`` comes from the registry (``furat.core.codes``). Both stand between marker comments
(``furat.core.markers``); ``furat docs`` rewrites them and ``furat docs --check`` reports stale ones.
"""

from __future__ import annotations

from pathlib import Path

from furat.core.codes import CODES, STAGES
from furat.core.labels import label_tables, load_labels
from furat.core.markers import fill_markers

__all__ = ["GENERATED", "codes_markdown", "fresh_documents"]

# document -> the marker name of its generated sections
GENERATED = {"annotations/GUIDELINES.md": "labels", "CONTRIBUTING.md": "codes"}

_STAGE_NAMES = {
    "repo": "the repository and its files",
    "corpus": "seeds, cleaning rules and the manifest (`furat ingest`)",
    "check": "the validator (`furat validate`)",
    "annotate": "annotation tools (drafts, agreement, coverage, evaluation)",
    "studio": "Label Studio (`furat studio`)",
    "dataset": "the dataset, its datasheet and publishing",
    "silver": "silver data at scale (`furat silver`)",
    "export": "exports and imports",
    "bench": "benchmarks",
    "cli": "the command line",
}


def codes_markdown() -> str:
    """Every registered code as one Markdown table, grouped by stage, with its tier and level."""
    lines = ["| stage | code | tier | level | meaning | what to do |", "| --- | --- | --- | --- | --- | --- |"]
    for stage in STAGES:
        for entry in (c for c in CODES.values() if c.stage == stage):
            tier = f"L{entry.tier}" if entry.tier else "-"
            cells = [_STAGE_NAMES[stage], f"`{entry.code}`", tier, entry.level, entry.meaning, entry.hint or "-"]
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def fresh_documents(root: Path) -> dict[str, tuple[str, str]]:
    """Each document with generated sections: (its text now, its text with fresh sections)."""
    sections = {
        "labels": label_tables(load_labels(root / "schema" / "labels.json")),
        "codes": {"table": codes_markdown()},
    }
    out: dict[str, tuple[str, str]] = {}
    for rel, marker in GENERATED.items():
        path = root / rel
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            out[rel] = (text, fill_markers(text, marker, sections[marker]))
    return out
