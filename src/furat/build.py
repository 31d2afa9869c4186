"""``furat build``: the Hugging Face dataset (Parquet + dataset card) from corpus + annotations.

What training code loads with ``datasets.load_dataset("dist/dataset", "<config>")``::

    dist/dataset/
      README.md                                  the dataset card: YAML (configs, dataset_info, licence,
                                                 tasks) + a short guide + DATASHEET.md copied in
      DATASHEET.md                               the datasheet (the card's licence_link points at it)
      data/<config>/<split>-00000-of-00001.parquet

Configs (DESIGN.md §4): ``documents``, ``entities``, ``quantities``, ``stance`` and ``ner``, each split
into ``train``/``validation``/``test`` by document, as ``seeds/manifest.json`` records it. Their
``datasets.Features`` are derived from the JSON Schemas in ``schema/`` (the contract) and every
``ClassLabel`` from ``schema/labels.json``; the Parquet files are written through ``datasets`` so the
label names and span structs survive. Only documents with an annotation file
(``annotations/<doc_id>.json``) give rows to the annotation configs: a document nobody has annotated
is not a document without entities. ``datasets`` cannot load a split without rows, so such splits
(and configs without any row) are left out of the card and the files, and the card says so.

The build refuses to run unless ``furat validate`` reports no error, refreshes the statistics of
``DATASHEET.md``, writes into a temporary folder next to ``dist/dataset`` and renames it into place.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from furat.annotation import AnnotationSet, Entity
from furat.findings import Finding, FuratError, format_findings
from furat.labels import Labels, load_labels
from furat.model import Document, Meta, Segment
from furat.schemas import load_schema
from furat.segment import token_spans

__all__ = [
    "CONFIGS",
    "DIST",
    "SPLITS",
    "BuildResult",
    "DocumentSummary",
    "Summary",
    "add_commands",
    "bench_build",
    "bio_names",
    "build_dataset",
    "check_validate",
    "config_features",
    "count_tokens",
    "dataset_card",
    "document_rows",
    "iter_documents",
    "ner_tags",
    "quiet_datasets",
    "read_splits",
    "size_category",
    "summarize",
    "summarize_document",
    "summary_after_build",
]

CONFIGS = ("documents", "entities", "quantities", "stance", "ner")
SPLITS = ("train", "validation", "test")
DIST = Path("dist") / "dataset"
DATA_FILE = "data/{config}/{split}-00000-of-00001.parquet"
MANIFEST = "seeds/manifest.json"

# One row per ...: what each config holds, for the card and the summaries.
CONFIG_ROWS = {
    "documents": "document (text, metadata, sentence and paragraph spans)",
    "entities": "entity mention",
    "quantities": "quantity mention, with its normalized value",
    "stance": "stance (holder, target, label, evidence span)",
    "ner": "sentence (tokens and BIO tags)",
}

# $defs of the annotation schema whose enums come from labels.json -> their codes.
_LABEL_DEFS = {
    "entity_label": "entity_codes",
    "unit": "unit_codes",
    "quantity_kind": "kind_codes",
    "stance_target": "target_codes",
    "stance_label": "stance_codes",
}
_VALUE_TYPES = {"string": "string", "integer": "int32", "number": "float64", "boolean": "bool"}


# --------------------------------------------------------------------------------------------------
# What the dataset is made from


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


# --------------------------------------------------------------------------------------------------
# Features, derived from the JSON Schemas and labels.json


def bio_names(labels: Labels) -> list[str]:
    """The ``ner_tags`` names: ``O``, then ``B-`` and ``I-`` of each entity type in labels.json order."""
    return ["O", *(f"{prefix}-{code}" for code in labels.entity_codes for prefix in ("B", "I"))]


def _feature(node: Mapping[str, Any], defs: Mapping[str, Any], labels: Labels) -> Any:
    """The ``datasets`` feature of one JSON Schema node."""
    from datasets import ClassLabel, List, Value

    ref = node.get("$ref")
    if ref is not None:
        name = str(ref).rsplit("/", 1)[-1]
        if name in _LABEL_DEFS:
            return ClassLabel(names=list(getattr(labels, _LABEL_DEFS[name])))
        return _feature(defs[name], defs, labels)
    if "oneOf" in node:
        options = [option for option in node["oneOf"] if option.get("type") != "null"]
        if len(options) == 1:
            return _feature(options[0], defs, labels)
    if "enum" in node or "const" in node:
        return Value("string")  # a vocabulary that is not in labels.json (e.g. holder_kind)
    types = node.get("type", [])
    types = [t for t in ([types] if isinstance(types, str) else types) if t != "null"]
    if types == ["object"]:
        return {key: _feature(value, defs, labels) for key, value in node["properties"].items()}
    if types == ["array"]:
        return List(_feature(node["items"], defs, labels))
    if len(types) == 1 and types[0] in _VALUE_TYPES:
        return Value(_VALUE_TYPES[types[0]])
    raise ValueError(f"no datasets feature for the schema node {dict(node)!r}")


def config_features(schema_dir: Path) -> dict[str, Any]:
    """The ``datasets.Features`` of each config, derived from ``schema/`` (annotation and corpus schemas)."""
    from datasets import ClassLabel, Features, List, Value

    labels = load_labels(schema_dir / "labels.json")
    annotation = load_schema(schema_dir, "annotation").document
    corpus = load_schema(schema_dir, "corpus").document
    defs, corpus_defs = annotation["$defs"], corpus["$defs"]
    string = Value("string")

    def layer(name: str, *context: str) -> Any:
        properties = defs[name]["properties"]
        fields = {"id": _feature(properties["id"], defs, labels)}
        fields.update({key: string for key in context})
        fields.update({k: _feature(v, defs, labels) for k, v in properties.items() if k != "id"})
        return Features(fields)

    meta = corpus["properties"]["meta"]["properties"]
    segment = corpus_defs["segment"]["properties"]
    paragraph = {k: _feature(v, corpus_defs, labels) for k, v in segment.items()}
    sentence = {k: v for k, v in paragraph.items() if k != "kind"}
    documents = Features(
        {
            "id": _feature(corpus["properties"]["id"], corpus_defs, labels),
            "title": _feature(meta["title"], corpus_defs, labels),
            "text": _feature(corpus["properties"]["text"], corpus_defs, labels),
            **{key: _feature(meta[key], corpus_defs, labels) for key in ("outlet", "author", "published", "url")},
            "section": _feature(meta["section"], corpus_defs, labels),
            "sentences": List(sentence),
            "paragraphs": List(paragraph),
            "annotation_status": string,  # provenance.status of annotations/<doc_id>.json, or null
        }
    )
    ner = Features(
        {
            "id": string,  # the sentence id, <doc_id>-s012
            "doc_id": string,
            "tokens": List(string),
            "ner_tags": List(ClassLabel(names=bio_names(labels))),
        }
    )
    return {
        "documents": documents,
        "entities": layer("entity", "doc_id", "sentence_id"),
        "quantities": layer("quantity", "doc_id", "sentence_id"),
        "stance": layer("stance", "doc_id"),
        "ner": ner,
    }


# --------------------------------------------------------------------------------------------------
# Rows


def ner_tags(
    text: str, sentence: Segment, entities: Sequence[Entity], notes: list[str] | None = None
) -> tuple[list[str], list[str]]:
    """Tokens of one sentence and their BIO tags.

    A token is tagged when it overlaps an entity: entity spans leave attached proclitics outside
    (``داعش`` in ``لداعش``) while tokens keep them, so ``لداعش`` is one token tagged ``B-ORG``. The
    first token of an entity in the sentence gets ``B-``, the others ``I-``. ``entities`` must be
    sorted by start and must not overlap (the scheme is flat). Anything the tags cannot express (two
    entities in one token, an entity across a sentence end) is described in ``notes``.
    """
    first = bisect.bisect_right([e.end for e in entities], sentence.start)
    return _sentence_tags(text, sentence, entities, first, notes)


def _sentence_tags(
    text: str, sentence: Segment, entities: Sequence[Entity], first: int, notes: list[str] | None
) -> tuple[list[str], list[str]]:
    """``ner_tags`` given ``first``, the index of the first entity that ends after the sentence starts."""
    spans = token_spans(text, sentence.start, sentence.end)
    inside = []
    for entity in entities[first:]:
        if entity.start >= sentence.end:
            break
        inside.append(entity)
    tokens, tags = [], []
    j, previous = 0, None
    for start, end in spans:
        tokens.append(text[start:end])
        while j < len(inside) and inside[j].end <= start:
            j += 1
        if j < len(inside) and inside[j].start < end:
            entity = inside[j]
            tags.append(("I-" if entity is previous else "B-") + entity.label)
            previous = entity
            if notes is not None and j + 1 < len(inside) and inside[j + 1].start < end:
                notes.append(f"{inside[j + 1].id} shares the token {text[start:end]!r} with {entity.id}")
        else:
            tags.append("O")
            previous = None
    if notes is not None:
        notes.extend(
            f"{e.id} runs across the end of sentence {sentence.id}"
            for e in inside
            if e.start < sentence.start or e.end > sentence.end
        )
    return tokens, tags


def _sentence_of(doc: Document, starts: list[int], offset: int) -> str:
    return doc.sentences[max(bisect.bisect_right(starts, offset) - 1, 0)].id


def _row(features: Mapping[str, Any], item: Mapping[str, Any], where: str) -> dict[str, Any]:
    """``item`` with exactly the fields of ``features``, its ClassLabel values as their integer ids."""
    from datasets import ClassLabel

    extra = item.keys() - features.keys()
    if extra:  # the features come from the schema, so this is a bug, not bad data
        raise ValueError(f"{where}: fields {sorted(extra)} are not in the dataset features")
    row = {key: item.get(key) for key in features}
    for key, feature in features.items():
        if isinstance(feature, ClassLabel) and row[key] is not None:
            row[key] = feature.str2int(row[key])
    return row


def _document_row(doc: Document, annotations: AnnotationSet | None) -> dict[str, Any]:
    meta = doc.meta
    return {
        "id": doc.id,
        "title": meta.title,
        "text": doc.text,
        "outlet": meta.outlet,
        "author": meta.author,
        "published": meta.published,
        "url": meta.url,
        "section": meta.section,
        "sentences": [{"id": s.id, "start": s.start, "end": s.end} for s in doc.sentences],
        "paragraphs": [{"id": p.id, "start": p.start, "end": p.end, "kind": p.kind or None} for p in doc.paragraphs],
        "annotation_status": annotations.provenance.get("status") if annotations else None,
    }


def document_rows(
    doc: Document,
    annotations: AnnotationSet | None,
    features: Mapping[str, Any],
    bio: Mapping[str, int],
    notes: list[Finding] | None = None,
) -> tuple[dict[str, list[dict[str, Any]]], int]:
    """The rows one document gives each config (labels as their integer ids), and its token count.

    Only a document with an annotation file gives rows to the annotation configs: a document nobody
    has annotated is not a document without entities. ``bio`` maps BIO tag names to their ids.
    """
    rows: dict[str, list[dict[str, Any]]] = {config: [] for config in CONFIGS}
    rows["documents"].append(_row(features["documents"], _document_row(doc, annotations), doc.id))
    if annotations is None:
        return rows, count_tokens(doc)
    starts = [s.start for s in doc.sentences]
    entities = sorted(annotations.entities, key=lambda e: (e.start, e.end))
    for entity in entities:
        item = {**entity.to_json(), "doc_id": doc.id, "sentence_id": _sentence_of(doc, starts, entity.start)}
        rows["entities"].append(_row(features["entities"], item, entity.id))
    for quantity in sorted(annotations.quantities, key=lambda q: (q.start, q.end)):
        item = {**quantity.to_json(), "doc_id": doc.id, "sentence_id": _sentence_of(doc, starts, quantity.start)}
        rows["quantities"].append(_row(features["quantities"], item, quantity.id))
    for stance in sorted(annotations.stances, key=lambda t: (t.start, t.end)):
        rows["stance"].append(_row(features["stance"], {**stance.to_json(), "doc_id": doc.id}, stance.id))
    texts: list[str] = []
    count = first = 0
    for sentence in doc.sentences:
        while first < len(entities) and entities[first].end <= sentence.start:
            first += 1
        tokens, tags = _sentence_tags(doc.text, sentence, entities, first, texts)
        count += len(tokens)
        rows["ner"].append({"id": sentence.id, "doc_id": doc.id, "tokens": tokens, "ner_tags": [bio[t] for t in tags]})
    if notes is not None:
        rel = f"annotations/{doc.id}.json"
        notes.extend(Finding(rel, 0, "ner-lossy", text, "warning") for text in dict.fromkeys(texts))
    return rows, count


# --------------------------------------------------------------------------------------------------
# The dataset card


def size_category(n: int) -> str:
    """The Hub's ``size_categories`` value for ``n`` examples."""
    bounds = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")]
    bounds += [(10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B")]
    return next((name for bound, name in bounds if n < bound), "n>1B")


LICENSE_NAME = "publishers-copyright"
LICENSE_DETAILS = (
    "The article texts are copyrighted by their publishers. Furat has no licence from any publisher to "
    "redistribute them and grants none: the texts are shared for non-commercial research only, users must "
    "make sure their own use is lawful where they are, and an article is taken down when its publisher "
    "(or a person named in it) asks. Furat's own annotations are offsets and labels over those texts. "
    "See DATASHEET.md, Distribution."
)


def _annotations_creators(summary: Summary) -> list[str]:
    """From the annotation files' provenance: what kinds of annotator made the published labels."""
    kinds = {kind for doc in summary.annotated for kind, _ in doc.annotators}
    if not summary.annotated:
        return ["no-annotation"]
    creators = set()
    for kind in kinds:
        creators.add("machine-generated" if kind in ("ai-agent", "model", "rules") else "other")
    return sorted(creators)


def _counts_table(counts: Mapping[str, Mapping[str, int]]) -> str:
    lines = ["| config | one row per | train | validation | test |", "| --- | --- | ---: | ---: | ---: |"]
    for config in CONFIGS:
        per = counts.get(config, {})
        cells = [str(per[s]) if per.get(s) else "—" for s in SPLITS]
        lines.append(f"| `{config}` | {CONFIG_ROWS[config]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def dataset_card(
    summary: Summary,
    infos: Mapping[str, Any],
    counts: Mapping[str, Mapping[str, int]],
    datasheet: str,
    repo_id: str | None = None,
) -> str:
    """The card: YAML (``configs``, ``dataset_info``, licence, tasks, ...), a short guide, the datasheet."""
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCardData

    largest = max((sum(per.values()) for per in counts.values()), default=0)
    data = DatasetCardData(
        language=["ar"],
        pretty_name="Furat",
        license="other",
        license_name=LICENSE_NAME,
        license_link="DATASHEET.md",
        license_details=LICENSE_DETAILS,
        annotations_creators=_annotations_creators(summary),
        language_creators=["found"],
        multilinguality=["monolingual"],
        size_categories=[size_category(largest)],
        source_datasets=["original"],
        task_categories=["token-classification", "text-classification"],
        task_ids=["named-entity-recognition", "multi-class-classification"],
        tags=["news", "arabic", "modern-standard-arabic", "stance-detection", "quantities", "numerals"],
    )
    DatasetInfosDict(dict(infos)).to_dataset_card_data(data)
    configs = {
        config: {"data_files": [{"split": s, "path": f"data/{config}/{s}-*"} for s in SPLITS if counts[config].get(s)]}
        for config in infos
    }
    MetadataConfigs(configs).to_dataset_card_data(data)
    missing = [c for c in CONFIGS if c not in infos]
    empty = [f"`{c}`/{s}" for c in infos for s in SPLITS if not counts[c].get(s)]
    where = repo_id or "dist/dataset"
    absent = ""
    if missing or empty:
        parts = []
        if missing:
            parts.append("configs " + ", ".join(f"`{c}`" for c in missing) + " have no rows yet")
        if empty:
            parts.append("these splits have no rows: " + ", ".join(empty))
        absent = (
            "\n\nLeft out of this build because `datasets` cannot load a split without rows: "
            + "; ".join(parts)
            + ". Annotation configs only hold documents that have an annotation file."
        )
    body = f"""# Furat (الفرات)

Arabic news articles (Modern Standard Arabic) on ISIS after its loss of territory, its fighters crossing
the Iraq–Syria border and the battle for Baghuz, with stand-off annotations of named entities, quantities
and stance. Offsets are half-open ranges of Unicode code points into a document's `text`
(`text[start:end]` in Python). Splits are by document, as recorded in the repository's
`seeds/manifest.json`.

{_counts_table(counts)}{absent}

```python
from datasets import load_dataset

ner = load_dataset("{where}", "ner")
names = ner["train"].features["ner_tags"].feature.names  # O, B-PER, I-PER, ...
for row in ner["train"]:
    tags = [names[t] for t in row["ner_tags"]]  # one tag per token in row["tokens"]

documents = load_dataset("{where}", "documents")
entities = load_dataset("{where}", "entities")  # doc_id, sentence_id, start, end, text, label
```

**Licence.** The article texts belong to their publishers; Furat has no licence to redistribute them.
They are shared for research only and are taken down on request: read the datasheet's
*Distribution* section below before using them.

"""
    return f"---\n{data.to_yaml()}\n---\n\n{body}{datasheet.rstrip()}\n"


# --------------------------------------------------------------------------------------------------
# The build


@dataclass(frozen=True)
class BuildResult:
    out: Path
    counts: dict[str, dict[str, int]]  # config -> split -> rows (configs and splits written)
    summary: Summary
    warnings: list[Finding]
    datasheet_changed: bool
    seconds: dict[str, float]


@contextlib.contextmanager
def quiet_datasets() -> Iterator[None]:
    """No progress bars or info logs from ``datasets`` while Furat talks to it."""
    import datasets

    bars_off = datasets.are_progress_bars_disabled()
    verbosity = datasets.logging.get_verbosity()
    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    try:
        yield
    finally:
        datasets.logging.set_verbosity(verbosity)
        if not bars_off:
            datasets.enable_progress_bars()


def check_validate(root: Path) -> list[Finding]:
    """``furat validate``; raises when it reports an error (the build refuses), returns its warnings."""
    from furat.validate import validate_repo

    findings = validate_repo(root)
    errors = [f for f in findings if f.level == "error"]
    if errors:
        message = f"furat validate reports {len(errors)} error(s): nothing was built; fix them and build again"
        raise FuratError([*errors, Finding(".", 0, "build-refused", message)], 1)
    return [f for f in findings if f.level != "error"]


_BATCH = 5_000  # rows held as Python objects before they become an Arrow record batch on disk


class _Spill:
    """The rows of one config and split, spilled to an Arrow stream file as record batches.

    This is the file format ``datasets`` keeps its own datasets in, so ``Dataset.from_file`` opens it
    memory-mapped: the build's memory stays flat however large the corpus is.
    """

    def __init__(self, path: Path, schema: Any) -> None:
        self.path, self.schema = path, schema
        self.rows: list[dict[str, Any]] = []
        self.count = 0
        self._writer: Any = None

    def add(self, rows: list[dict[str, Any]]) -> None:
        self.rows.extend(rows)
        if len(self.rows) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa

        if not self.rows:
            return
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pa.ipc.new_stream(str(self.path), self.schema)
        self._writer.write_batch(pa.RecordBatch.from_pylist(self.rows, schema=self.schema))
        self.count += len(self.rows)
        self.rows = []

    def close(self) -> bool:
        """Flush and close; whether there are rows at all."""
        self.flush()
        if self._writer is not None:
            self._writer.close()
        return self.count > 0


def _write_data(
    tmp: Path, root: Path, splits: list[tuple[str, str]], features: Mapping[str, Any], notes: list[Finding]
) -> tuple[dict[str, Any], dict[str, dict[str, int]], Summary]:
    """One pass over the documents: every config's Parquet files through ``datasets``, and the summary.

    Each document is read, turned into rows and let go; the rows are spilled to Arrow files as they
    come (``_Spill``). Rows are already encoded (labels as ids), so Arrow takes them as they are; the
    ``Features`` travel with the ``Dataset`` into the Parquet metadata, and ``load_dataset`` gives back
    the ClassLabel names and span structs.
    """
    from datasets import Dataset, DatasetInfo, NamedSplit, SplitDict, SplitInfo

    labels = load_labels(root / "schema" / "labels.json")
    bio = {name: i for i, name in enumerate(bio_names(labels))}
    work = tmp / ".arrow"  # removed before the folder is renamed into place
    spills = {(c, s): _Spill(work / f"{c}-{s}.arrow", features[c].arrow_schema) for c in CONFIGS for s in SPLITS}
    summaries = []
    for split, doc, annotation_set in iter_documents(root, splits):
        rows, tokens = document_rows(doc, annotation_set, features, bio, notes)
        summaries.append(summarize_document(split, doc, annotation_set, tokens))
        for config, items in rows.items():
            spills[config, split].add(items)
    infos: dict[str, Any] = {}
    counts: dict[str, dict[str, int]] = {}
    for config in CONFIGS:
        split_infos = SplitDict()
        size = download = 0
        per: dict[str, int] = {}
        for split in SPLITS:
            spill = spills.pop((config, split))
            if not spill.close():
                continue
            info = DatasetInfo(features=features[config])
            dataset = Dataset.from_file(str(spill.path), info=info, split=NamedSplit(split))
            path = tmp / DATA_FILE.format(config=config, split=split)
            path.parent.mkdir(parents=True, exist_ok=True)
            dataset.to_parquet(str(path))
            nbytes = int(dataset.data.nbytes)
            split_infos.add(SplitInfo(name=split, num_bytes=nbytes, num_examples=len(dataset)))
            size += nbytes
            download += path.stat().st_size
            per[split] = len(dataset)
            del dataset
            spill.path.unlink()
        if per:
            infos[config] = DatasetInfo(
                config_name=config,
                features=features[config],
                splits=split_infos,
                download_size=download,
                dataset_size=size,
            )
            counts[config] = per
    shutil.rmtree(work, ignore_errors=True)
    return infos, counts, Summary(tuple(summaries), labels)


def _swap_into_place(tmp: Path, out: Path) -> None:
    """Rename the finished folder into place; the old build is renamed aside first, then removed."""
    os.chmod(tmp, 0o755)
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
        os.rename(out, old / out.name)
    try:
        os.rename(tmp, out)
    except BaseException:
        if old is not None:
            os.rename(old / out.name, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build_dataset(root: Path, out: Path | None = None, repo_id: str | None = None) -> BuildResult:
    """Validate, refresh DATASHEET.md's statistics, and write the dataset to ``out`` (``dist/dataset``).

    ``repo_id`` only changes the ``load_dataset`` example of the card (``furat publish`` passes it).
    """
    from furat.datasheet import check_markers, refresh_datasheet

    root = root.resolve()
    out = (out or root / DIST).resolve()
    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    warnings = check_validate(root)
    seconds["validate"] = time.perf_counter() - clock

    clock = time.perf_counter()
    splits = read_splits(root)
    check_markers(root)  # a broken DATASHEET.md stops the build before any work
    notes: list[Finding] = []
    with quiet_datasets():
        features = config_features(root / "schema")
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", suffix=".tmp", dir=out.parent))
        try:
            infos, counts, summary = _write_data(tmp, root, splits, features, notes)
            text, changed = refresh_datasheet(root, summary)
            card = dataset_card(summary, infos, {c: counts.get(c, {}) for c in CONFIGS}, text, repo_id)
            (tmp / "README.md").write_text(card, encoding="utf-8")
            (tmp / "DATASHEET.md").write_text(text, encoding="utf-8")
            _swap_into_place(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    seconds["build"] = time.perf_counter() - clock
    return BuildResult(out, counts, summary, [*warnings, *notes], changed, seconds)


# --------------------------------------------------------------------------------------------------
# Loading back


def summary_after_build(root: Path) -> str:
    """Load every config of ``dist/dataset`` back with ``datasets.load_dataset``; rows per split."""
    from datasets import load_dataset

    dist = root.resolve() / DIST
    if not (dist / "README.md").is_file():
        raise FuratError([Finding(DIST.as_posix(), 0, "not-built", "no dataset here; run `furat build`")], 2)
    lines = [f"{DIST.as_posix()}, loaded back with datasets.load_dataset:"]
    rows: list[list[str]] = [["config", *SPLITS, "features"]]
    absent = []
    with tempfile.TemporaryDirectory(prefix="furat-load-") as cache, quiet_datasets():
        for config in CONFIGS:
            if not (dist / "data" / config).is_dir():
                absent.append(config)
                continue
            loaded = load_dataset(str(dist), config, cache_dir=cache)
            counts = [str(loaded[s].num_rows) if s in loaded else "-" for s in SPLITS]
            first = next(iter(loaded.values()))
            rows.append([config, *counts, ", ".join(first.features)])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        cells = [r[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(r[1:4], widths[1:4], strict=True)), r[4]]
        lines.append("  ".join(cells))
    if absent:
        lines.append(f"not built (no rows yet: no annotation files): {', '.join(absent)}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# Benchmark stage


def bench_build(root: Path, docs: int) -> dict[str, Any]:
    """Time and peak memory of ``furat build`` on a synthetic repository of ``docs`` documents.

    The build runs in a child process of its own, so its peak RSS is its own (not the generator's).
    """
    from furat.synthetic import make_repository

    with tempfile.TemporaryDirectory(prefix="furat-bench-build-") as tmp:
        repo = Path(tmp) / "repo"
        repo.mkdir()
        make_repository(root, repo, docs)
        shutil.copyfile(root / "DATASHEET.md", repo / "DATASHEET.md")
        files = [*(repo / "corpus").glob("*.json"), *(repo / "annotations").glob("*.json")]
        input_mb = sum(p.stat().st_size for p in files) / 1_000_000
        code = (
            "import json, sys, time\n"
            "from pathlib import Path\n"
            "from furat.build import build_dataset\n"
            "start = time.perf_counter()\n"
            "result = build_dataset(Path(sys.argv[1]))\n"
            "total = time.perf_counter() - start\n"
            "print(json.dumps({'seconds': total, 'parts': result.seconds, 'counts': result.counts}))\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code, str(repo)], capture_output=True, text=True, check=False, timeout=3600
        )
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if done.returncode != 0:
            raise RuntimeError(f"furat build failed on the synthetic repository:\n{done.stderr[-2000:]}")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        output = [p for p in (repo / DIST).rglob("*") if p.is_file()]
        output_mb = sum(p.stat().st_size for p in output) / 1_000_000
    return {
        "documents": docs,
        "input_mb": round(input_mb, 3),
        "output_mb": round(output_mb, 3),
        "seconds": round(figures["seconds"], 3),
        "validate_seconds": round(figures["parts"]["validate"], 3),
        "build_seconds": round(figures["parts"]["build"], 3),
        "rows": {config: sum(per.values()) for config, per in figures["counts"].items()},
        "build_peak_rss_mb": round(peak / 1024, 1),
    }


# --------------------------------------------------------------------------------------------------
# Command line


def _root(args: argparse.Namespace) -> Path:
    from furat.paths import repo_root

    return repo_root(getattr(args, "root", None))


def _cmd_build(args: argparse.Namespace) -> int:
    root = _root(args)
    result = build_dataset(root, Path(args.out).resolve() if args.out else None)
    if result.warnings:
        print(format_findings(result.warnings), file=sys.stderr)
    where = result.out.relative_to(root) if result.out.is_relative_to(root) else result.out
    print(f"wrote {where}/ (README.md card, DATASHEET.md, Parquet per config and split)")
    from furat.tables import text_table

    rows = [["config", *SPLITS]]
    rows += [[c, *(str(result.counts.get(c, {}).get(s, "-")) for s in SPLITS)] for c in CONFIGS]
    print(text_table(rows))
    missing = [c for c in CONFIGS if c not in result.counts]
    if missing:
        print(f"no rows yet (left out): {', '.join(missing)}")
    print("DATASHEET.md statistics " + ("refreshed" if result.datasheet_changed else "already up to date"))
    return 0


def add_commands(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``furat build`` to the CLI's subcommands."""
    build = subparsers.add_parser(
        "build", help="the Hugging Face dataset (Parquet + card) -> dist/dataset; refuses unless validate is clean"
    )
    build.add_argument("--out", help="where to write the dataset (default: dist/dataset)")
    build.set_defaults(func=_cmd_build)
