"""What the dataset is made from: the manifest's splits, the documents in manifest order, and their summary.

The summary (counts per document, label inventory) is what the datasheet and the card report; the build
makes it in the same pass that writes the rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from furat.core.annotation import AnnotationSet
from furat.core.labels import Labels, load_labels
from furat.core.model import Document, Meta
from furat.core.repo import SPLITS, Repo
from furat.corpus.segment import token_texts

__all__ = [
    "CONFIGS",
    "DATA_FILE",
    "DIST",
    "SPLITS",
    "DocumentSummary",
    "Summary",
    "count_tokens",
    "iter_documents",
    "read_splits",
    "sentence_tokens",
    "summarize",
    "summarize_document",
    "summarize_model",
]

CONFIGS = ("documents", "entities", "quantities", "stance", "ner")
DIST = Path("dist") / "dataset"
DATA_FILE = "data/{config}/{split}-00000-of-00001.parquet"


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


def read_splits(root: Path) -> list[tuple[str, str]]:
    """(document id, split) in manifest order (``Repo.splits``: ``split-missing``, ``story-split``)."""
    return Repo(root).splits


def iter_documents(root: Path, splits: list[tuple[str, str]]) -> Iterator[tuple[str, Document, AnnotationSet | None]]:
    """(split, corpus document, its annotations or None), one document at a time, in manifest order.

    Run after ``furat validate``: files are trusted to be well formed. Documents are read lean (no
    source map, no removed lines): the dataset needs neither, and they are most of a document's objects.
    """
    repo = Repo(root)
    for doc_id, split in splits:
        yield split, repo.document(doc_id, lean=True), repo.gold(doc_id)


def summarize_document(
    split: str, doc: Mapping[str, Any], annotations: Mapping[str, Any] | None, tokens: int
) -> DocumentSummary:
    """One document's summary, from its corpus file and its annotation file as JSON (the files as ``furat
    validate`` checked them, or the model's ``to_json()``)."""
    meta, sentences = Meta.from_json(doc["meta"]), len(doc["sentences"])
    if annotations is None:
        return DocumentSummary(doc["id"], split, meta, sentences, tokens, None)
    provenance = annotations["provenance"]
    return DocumentSummary(
        doc["id"],
        split,
        meta,
        sentences,
        tokens,
        str(provenance.get("status")),
        tuple((str(a.get("kind")), str(a.get("id"))) for a in provenance.get("annotators", [])),
        Counter(e["label"] for e in annotations["entities"]),
        Counter(q["kind"] for q in annotations["quantities"]),
        Counter((t["target"], t["label"]) for t in annotations["stances"]),
    )


def summarize_model(split: str, doc: Document, annotations: AnnotationSet | None) -> DocumentSummary:
    """``summarize_document`` of a document and its annotations as the model holds them."""
    return summarize_document(split, doc.to_json(), annotations.to_json() if annotations else None, count_tokens(doc))


def count_tokens(doc: Document) -> int:
    """Tokens of the document's sentences, as the ``ner`` config has them."""
    return sentence_tokens(doc.text, ((s.start, s.end) for s in doc.sentences))


def sentence_tokens(text: str, sentences: Iterable[tuple[int, int]]) -> int:
    """Tokens of the sentences at ``(start, end)`` of ``text``, as the ``ner`` config has them."""
    return sum(len(token_texts(text, start, end)) for start, end in sentences)


def summarize(root: Path) -> Summary:
    """The summary of every document of the repository (what ``furat datasheet`` reports)."""
    documents = [
        summarize_model(split, doc, annotations) for split, doc, annotations in iter_documents(root, read_splits(root))
    ]
    return Summary(tuple(documents), load_labels(root / "schema" / "labels.json"))
