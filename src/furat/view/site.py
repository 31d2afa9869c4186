"""``furat view``: the corpus as a static site, one page per document and an index with statistics.

Pages are rendered with Jinja2 (autoescaped) from ``templates/``; no server and no external script is
needed to read them. The site is written into a temporary folder beside the output and renamed into
place, so a failed run leaves the previous site as it was.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from furat.core.findings import Finding, FuratError
from furat.core.folders import swap_into_place
from furat.core.labels import Labels, load_labels
from furat.dataset.summary import SPLITS, DocumentSummary, Summary, read_splits, summarize_model
from furat.view.charts import Chart, bar_chart
from furat.view.document import STANCE_COLORS, document_page

__all__ = ["DIST", "ViewResult", "build_view", "page_name", "select_documents"]

DIST = Path("dist") / "view"
TEMPLATES = Path(__file__).parent / "templates"
QUANTITY_COLOR = "#0f7c80"


@dataclass(frozen=True)
class ViewResult:
    out: Path
    pages: tuple[str, ...]  # file names of the document pages, in manifest order


@dataclass(frozen=True)
class SplitRow:
    split: str
    documents: int
    annotated: int
    sentences: int
    tokens: int
    entities: int
    quantities: int
    stances: int


def page_name(doc_id: str) -> str:
    return f"{doc_id}.html"


def select_documents(splits: list[tuple[str, str]], wanted: list[str]) -> list[tuple[str, str]]:
    """The manifest entries named by ``wanted`` (a full id or its number, e.g. ``003``); all when empty."""
    if not wanted:
        return splits
    ids = [doc_id for doc_id, _ in splits]
    chosen: set[str] = set()
    for name in wanted:
        matches = [d for d in ids if d == name or d.startswith(name + "_")]
        if len(matches) != 1:
            raise FuratError([Finding(name, 0, "unknown-document", f"name one document of: {', '.join(ids)}")], 2)
        chosen.add(matches[0])
    return [(doc_id, split) for doc_id, split in splits if doc_id in chosen]


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["page_name"] = page_name
    return env


def _split_rows(summary: Summary) -> list[SplitRow]:
    def row(name: str, docs: list[DocumentSummary]) -> SplitRow:
        return SplitRow(
            name,
            len(docs),
            sum(d.status is not None for d in docs),
            sum(d.sentences for d in docs),
            sum(d.tokens for d in docs),
            sum(sum(d.entities.values()) for d in docs),
            sum(sum(d.quantities.values()) for d in docs),
            sum(sum(d.stances.values()) for d in docs),
        )

    rows = [row(split, summary.in_split(split)) for split in SPLITS if summary.in_split(split)]
    return [*rows, row("all", list(summary.documents))]


def _charts(summary: Summary, units: Counter[str], labels: Labels) -> list[Chart]:
    entities: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    stances: Counter[str] = Counter()
    for doc in summary.documents:
        entities.update(doc.entities)
        kinds.update(doc.quantities)
        for (_, label), count in doc.stances.items():
            stances[label] += count
    entity_rows = [(f"{t.ar} {t.code}", t.code, entities[t.code], t.color or "#888") for t in labels.entity_types]
    unit_rows = [(f"{u.ar} {u.code}", u.code, units[u.code], QUANTITY_COLOR) for u in labels.units if units[u.code]]
    kind_rows = [(f"{k.ar} {k.code}", k.code, kinds[k.code], QUANTITY_COLOR) for k in labels.quantity_kinds]
    stance_rows = [
        (f"{t.ar} {t.code}", t.code, stances[t.code], STANCE_COLORS[i % len(STANCE_COLORS)])
        for i, t in enumerate(labels.stance_labels)
    ]
    return [
        bar_chart("الكيانات حسب النوع · entities by label", entity_rows),
        bar_chart("الكميات حسب الوحدة · quantities by unit", unit_rows),
        bar_chart("الكميات حسب الصنف · quantities by kind", [r for r in kind_rows if r[2]]),
        bar_chart("المواقف حسب التصنيف · stances by label", stance_rows),
    ]


def build_view(root: Path, out: Path | None = None, documents: list[str] | None = None) -> ViewResult:
    """Write the site for ``documents`` (ids or numbers; all by default) to ``out`` (``dist/view``)."""
    from furat.dataset.summary import iter_documents

    root = root.resolve()
    out = (out or root / DIST).resolve()
    labels = load_labels(root / "schema" / "labels.json")
    chosen = select_documents(read_splits(root), documents or [])
    env = _environment()
    page = env.get_template("document.html.j2")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", suffix=".tmp", dir=out.parent))
    try:
        summaries: list[DocumentSummary] = []
        units: Counter[str] = Counter()
        names: list[str] = []
        for split, doc, annotations in iter_documents(root, chosen):
            summaries.append(summarize_model(split, doc, annotations))
            if annotations is not None:
                units.update(q.unit for q in annotations.quantities)
            html = page.render(page=document_page(split, doc, annotations, labels))
            (tmp / page_name(doc.id)).write_text(html, encoding="utf-8")
            names.append(page_name(doc.id))
        summary = Summary(tuple(summaries), labels)
        index = env.get_template("index.html.j2").render(
            summary=summary,
            splits=_split_rows(summary),
            charts=_charts(summary, units, labels),
            labels=labels,
        )
        (tmp / "index.html").write_text(index, encoding="utf-8")
        swap_into_place(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return ViewResult(out, tuple(names))
