"""What the dataset is made from: the manifest's splits, the documents in manifest order, and their summary.

The summary (counts per document, label inventory) is what the datasheet and the card report; the build
makes it in the same pass that writes the rows.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from furat.core.annotation import AnnotationSet
from furat.core.findings import Finding, FuratError
from furat.core.labels import Labels, load_labels
from furat.core.model import Document, Meta
from furat.corpus.segment import token_spans

CONFIGS = ("documents", "entities", "quantities", "stance", "ner")
SPLITS = ("train", "validation", "test")
DIST = Path("dist") / "dataset"
DATA_FILE = "data/{config}/{split}-00000-of-00001.parquet"
MANIFEST = "seeds/manifest.json"


@dataclass(frozen=True)
class DocumentSummary:
    """What the datasheet and the card need to know of one document, without its text."""

    id: str
    split: str
    meta: Meta
    sentences: int
    tokens: int  # as the ner config has them
    status: str | None  # provenance status of annotations/<doc_id>.json; None when there is none
    annotators: tuple[tuple[str, str], ...] = ()  # (kind, id) as the annotation file records them
    entities: Mapping[str, int] = field(default_factory=dict)  # label -> mentions
    quantities: Mapping[str, int] = field(default_factory=dict)  # kind -> mentions
    stances: Mapping[tuple[str, str], int] = field(default_factory=dict)  # (target, label) -> stances


@dataclass(frozen=True)
class Summary:
    """The repository's documents in manifest order, summarized, and the label inventory."""

    documents: tuple[DocumentSummary, ...]
    labels: Labels

    def in_split(self, split: str) -> list[DocumentSummary]:
        return [doc for doc in self.documents if doc.split == split]

    @property
    def annotated(self) -> list[DocumentSummary]:
        return [doc for doc in self.documents if doc.status is not None]


def _manifest_lines(raw: str) -> list[int]:
    """The line of each document entry of the manifest (where its ``"id"`` key stands)."""
    return [number for number, text in enumerate(raw.split("\n"), start=1) if '"id"' in text]


def read_splits(root: Path) -> list[tuple[str, str]]:
    """(document id, split) in manifest order, as ``seeds/manifest.json`` records them.

    Documents that share a ``story`` must share a split (finding ``story-split``).
    """
    try:
        raw = (root / MANIFEST).read_text(encoding="utf-8")
        manifest = json.loads(raw)
    except (OSError, ValueError) as exc:
        raise FuratError([Finding(MANIFEST, 0, "io-error", f"cannot read: {exc}")], 2) from None
    lines = _manifest_lines(raw)
    problems: list[Finding] = []
    splits: list[tuple[str, str]] = []
    stories: dict[str, tuple[str, str]] = {}  # story -> (split, first document)
    for index, entry in enumerate(manifest["documents"]):
        doc_id, split, story = entry["id"], entry.get("split"), entry.get("story")
        line = lines[index] if index < len(lines) else 0
        pointer = f"/documents/{index}/split"
        if split not in SPLITS:
            message = f"{doc_id}: split is {split!r}; record one of {', '.join(SPLITS)}"
            problems.append(Finding(MANIFEST, line, "split-missing", message, pointer=pointer))
            continue
        if story is not None:
            first = stories.setdefault(story, (split, doc_id))
            if first[0] != split:
                message = f"{doc_id} is in {split} but {first[1]}, of the same story {story!r}, is in {first[0]}"
                problems.append(Finding(MANIFEST, line, "story-split", message, pointer=pointer))
        splits.append((doc_id, split))
    if problems:
        raise FuratError(problems)
    return splits


def iter_documents(root: Path, splits: list[tuple[str, str]]) -> Iterator[tuple[str, Document, AnnotationSet | None]]:
    """(split, corpus document, its annotations or None), one document at a time, in manifest order.

    Run after ``furat validate``: files are trusted to be well formed.
    """
    for doc_id, split in splits:
        rel = f"corpus/{doc_id}.json"
        try:
            data = json.loads((root / rel).read_text(encoding="utf-8"))
        except OSError as exc:
            raise FuratError([Finding(rel, 0, "io-error", f"cannot read: {exc.strerror}")], 2) from None
        data.pop("source_map", None)  # the dataset needs neither; they are most of a document's objects
        data.pop("removed", None)
        path = root / "annotations" / f"{doc_id}.json"
        annotations = AnnotationSet.from_json(json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else None
        yield split, Document.from_json(data), annotations


def summarize_document(split: str, doc: Document, annotations: AnnotationSet | None, tokens: int) -> DocumentSummary:
    if annotations is None:
        return DocumentSummary(doc.id, split, doc.meta, len(doc.sentences), tokens, None)
    provenance = annotations.provenance
    return DocumentSummary(
        doc.id,
        split,
        doc.meta,
        len(doc.sentences),
        tokens,
        str(provenance.get("status")),
        tuple((str(a.get("kind")), str(a.get("id"))) for a in provenance.get("annotators", [])),
        Counter(e.label for e in annotations.entities),
        Counter(q.kind for q in annotations.quantities),
        Counter((t.target, t.label) for t in annotations.stances),
    )


def count_tokens(doc: Document) -> int:
    """Tokens of the document's sentences, as the ``ner`` config has them."""
    return sum(len(token_spans(doc.text, s.start, s.end)) for s in doc.sentences)


def summarize(root: Path) -> Summary:
    """The summary of every document of the repository (what ``furat datasheet`` reports)."""
    documents = [
        summarize_document(split, doc, annotations, count_tokens(doc))
        for split, doc, annotations in iter_documents(root, read_splits(root))
    ]
    return Summary(tuple(documents), load_labels(root / "schema" / "labels.json"))
