"""The three DataTrove pipeline steps of ``furat silver``: read blocks, annotate, write blocks.

Each task reads the blocks ``rank, rank + world_size, ...`` (``blocks.py``), one article at a time; the
annotator turns an article into a corpus document (the cleaning of ``furat ingest``), pre-annotates
it (``furat.annotate.preannotate.predict``: gazetteer entities and recognizer quantities) and makes
its dataset rows (``furat.dataset.rows.document_rows``); the writer appends the rows to the Parquet
files of their block, a row group every ``ROW_GROUP_DOCS`` documents, and renames them into place
when the block ends. Memory per worker is one row group's rows, whatever the input size.

DataTrove's own readers hand whole files to tasks and its Parquet writer writes one row per document
into a file per task; Furat needs four tables per document (``documents``, ``entities``,
``quantities``, ``ner``) and output files that do not depend on the number of tasks, so these steps
are Furat's own, and DataTrove runs them (executors, completion markers, logs, stats).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from datatrove.data import Document as TroveDocument
from datatrove.data import DocumentsPipeline
from datatrove.executor.local import LocalPipelineExecutor
from datatrove.pipeline.base import PipelineStep

from furat.silver.blocks import Article, Block, read_block

__all__ = [
    "CONFIGS",
    "ROW_GROUP_DOCS",
    "AnnotateArticles",
    "Annotator",
    "QuietLocalExecutor",
    "ReadBlocks",
    "WriteBlocks",
    "annotator",
    "annotator_version",
    "block_done",
    "data_file",
    "ids_file",
]

CONFIGS = ("documents", "entities", "quantities", "ner")
ROW_GROUP_DOCS = 500
STATE = ".silver"  # inside the output folder: the plan, the blocks done, DataTrove's logs and markers


def data_file(config: str, index: int, total: int) -> str:
    return f"data/{config}/train-{index:05d}-of-{total:05d}.parquet"


def block_done(out: Path, index: int) -> Path:
    """The block's statistics, written last: the block is done when this file exists."""
    return out / STATE / "blocks" / f"{index:05d}.json"


class ReadBlocks(PipelineStep):  # type: ignore[misc]
    """This task's share of the blocks, article by article; each block ends with an empty marker document."""

    name = "furat blocks"
    type = "📖 - READER"

    def __init__(self, blocks: list[Block], out: str) -> None:
        super().__init__()
        self.blocks, self.out = blocks, out

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for block in self.blocks[rank::world_size]:
            if block_done(Path(self.out), block.index).is_file():
                self.stat_update("blocks_already_done")
                continue
            for article in read_block(block):
                self.stat_update("articles")
                yield TroveDocument(
                    text=article.raw, id=article.id or "", metadata={"block": block, "article": article}
                )
            yield TroveDocument(text="", id="", metadata={"block": block, "end": True})


@dataclass(frozen=True)
class Annotator:
    """What annotating needs, built once per worker process: cleaning rules, features, tag ids, gazetteer."""

    rules: Any
    features: Mapping[str, Any]
    bio: Mapping[str, int]
    gazetteer: Any  # furat.annotate.gazetteers.Compiled


# One annotator per worker process, by (root, version): every task the process runs reuses it, so the
# gazetteer is compiled and the rules and features are read once per worker, not once per task or document.
_ANNOTATORS: dict[tuple[str, str], Annotator] = {}


def annotator_version(root: Path, names: Mapping[str, str]) -> str:
    """A digest of everything an ``Annotator`` is built from: names, labels, cleaning rules, pre-annotator."""
    from furat.annotate.preannotate import MODEL_VERSION

    digest = hashlib.sha256(MODEL_VERSION.encode("utf-8"))
    digest.update(json.dumps(sorted(names.items()), ensure_ascii=False).encode("utf-8"))
    for part in (root / "schema" / "labels.json", root / "seeds" / "cleaning.json"):
        digest.update(part.read_bytes() if part.is_file() else b"")
    return digest.hexdigest()[:16]


def annotator(root: str, names: Mapping[str, str], version: str) -> Annotator:
    """The worker's ``Annotator`` for ``version``, built on first use."""
    found = _ANNOTATORS.get((root, version))
    if found is None:
        from furat.annotate.preannotate import entity_gazetteer
        from furat.core.labels import load_labels
        from furat.corpus.ingest import load_rules
        from furat.dataset.features import bio_names, config_features

        schema = Path(root) / "schema"
        bio = {name: i for i, name in enumerate(bio_names(load_labels(schema / "labels.json")))}
        gazetteer = entity_gazetteer(names, rules=True)
        found = Annotator(load_rules(Path(root)), config_features(schema), bio, gazetteer)
        _ANNOTATORS[(root, version)] = found
    return found


class AnnotateArticles(PipelineStep):  # type: ignore[misc]
    """Clean and segment an article as ``furat ingest`` does, pre-annotate it as ``furat preannotate``
    does (names, library gazetteers and rules), and make its dataset rows."""

    name = "furat clean + pre-annotate"
    type = "🏷 - ANNOTATOR"

    def __init__(self, root: str, gazetteer: Mapping[str, str], version: str) -> None:
        super().__init__()
        self.root, self.gazetteer, self.version = root, dict(gazetteer), version

    def rows(self, article: Article) -> dict[str, list[dict[str, Any]]] | str:
        """The rows of one article, or the code of why it gives none."""
        from furat.annotate.preannotate import predict
        from furat.core.findings import FuratError
        from furat.core.repo import ID_PATTERN, ManifestEntry
        from furat.corpus.ingest import build_document
        from furat.dataset.rows import document_rows

        ready = annotator(self.root, self.gazetteer, self.version)
        if article.id is None or not ID_PATTERN.match(article.id):
            return "bad-id"
        if not article.raw.strip():
            return "no-text"
        title = article.meta.get("title")
        raw = article.raw if not title or article.raw.lstrip().startswith(title) else f"{title}\n{article.raw}"
        meta = {**article.meta, "title": None}  # the cleaning reads the title off the first line
        sha = hashlib.sha256(raw.encode("utf-8")).hexdigest()
        entry = ManifestEntry(article.id, article.where.rsplit("/", 1)[-1], sha, 0, meta)
        try:
            doc = build_document(entry, raw, ready.rules)
        except FuratError as exc:
            return exc.findings[0].code
        predicted = predict(doc, self.gazetteer, rules=True, gazetteer=ready.gazetteer)
        rows, _ = document_rows(doc.to_json(), predicted.to_json(), ready.features, ready.bio)
        del rows["stance"]
        return rows

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for document in data or ():
            article = document.metadata.get("article")
            if article is not None:
                with self.track_time():
                    result = self.rows(article)
                if isinstance(result, str):
                    self.stat_update(f"skipped_{result}")
                    document.metadata["skipped"] = result
                else:
                    self.stat_update("annotated")
                    document.metadata["rows"] = result
            yield document


class _BlockFiles:
    """The four Parquet files of one block, written under temporary names, renamed when complete."""

    def __init__(self, out: Path, block: Block, total: int, schemas: Mapping[str, Any]) -> None:
        self.out, self.block, self.total, self.schemas = out, block, total, schemas
        self.pending: dict[str, list[dict[str, Any]]] = {c: [] for c in CONFIGS}
        self.writers: dict[str, Any] = {}
        self.counts = dict.fromkeys(CONFIGS, 0)
        self.ids: list[str] = []  # of the documents written, with where each came from: for duplicates
        self.wheres: list[str] = []
        self.skipped: dict[str, int] = {}
        self.documents = 0
        self.clock = time.perf_counter()

    def _temp(self, config: str) -> Path:
        path = self.out / data_file(config, self.block.index, self.total)
        return path.with_name(f".{path.name}.tmp")

    def add(self, rows: Mapping[str, list[dict[str, Any]]], article: Article) -> None:
        self.documents += 1
        self.ids.append(str(article.id))
        self.wheres.append(article.where)
        for config in CONFIGS:
            self.pending[config].extend(rows[config])
            self.counts[config] += len(rows[config])
        if self.documents % ROW_GROUP_DOCS == 0:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        for config, rows in self.pending.items():
            if config not in self.writers:
                temp = self._temp(config)
                temp.parent.mkdir(parents=True, exist_ok=True)
                self.writers[config] = pq.ParquetWriter(str(temp), self.schemas[config])
            if rows:
                self.writers[config].write_table(pa.Table.from_pylist(rows, schema=self.schemas[config]))
            self.pending[config] = []

    def close(self) -> dict[str, Any]:
        """Write what is left, rename the files into place and record the block as done."""
        self.flush()
        for config, writer in self.writers.items():
            writer.close()
            os.replace(self._temp(config), self.out / data_file(config, self.block.index, self.total))
        write_ids(self.out, self.block.index, self.ids, self.wheres)
        stats = {
            "block": self.block.index,
            "input": {"path": self.block.path, "start": self.block.start, "end": self.block.end},
            "input_bytes": self.block.size,
            "documents": self.documents,
            "rows": self.counts,
            "skipped": dict(sorted(self.skipped.items())),
            "seconds": round(time.perf_counter() - self.clock, 3),
            "pid": os.getpid(),
        }
        done = block_done(self.out, self.block.index)
        done.parent.mkdir(parents=True, exist_ok=True)
        temp = done.with_name(f".{done.name}.tmp")
        temp.write_text(json.dumps(stats) + "\n", encoding="utf-8")
        os.replace(temp, done)
        return stats


@cache
def arrow_schemas(root: str) -> dict[str, Any]:
    """The Arrow schema of each config, read once per worker process."""
    from furat.dataset.features import config_features

    features = config_features(Path(root) / "schema")
    return {config: features[config].arrow_schema for config in CONFIGS}


class WriteBlocks(PipelineStep):  # type: ignore[misc]
    """Rows to ``data/<config>/train-<block>-of-<blocks>.parquet``, one block at a time."""

    name = "furat parquet blocks"
    type = "💽 - WRITER"

    def __init__(self, root: str, out: str, total: int) -> None:
        super().__init__()
        self.root, self.out, self.total = root, out, total

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        schemas = arrow_schemas(self.root)
        current: _BlockFiles | None = None
        for document in data or ():
            block: Block = document.metadata["block"]
            if current is None:
                current = _BlockFiles(Path(self.out), block, self.total, schemas)
            if document.metadata.get("end"):
                stats = current.close()
                self.stat_update("blocks")
                self.stat_update("documents_written", value=stats["documents"])
                current = None
            elif "rows" in document.metadata:
                current.add(document.metadata["rows"], document.metadata["article"])
            else:
                code = document.metadata.get("skipped", "unknown")
                current.skipped[code] = current.skipped.get(code, 0) + 1
            yield document


def ids_file(out: Path, index: int) -> Path:
    """The ids of a block's documents and where each came from (``duplicates.py`` reads them)."""
    return out / STATE / "ids" / f"{index:05d}.parquet"


def write_ids(out: Path, index: int, ids: list[str], wheres: list[str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = ids_file(out, index)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    pq.write_table(pa.table({"id": pa.array(ids, pa.string()), "where": pa.array(wheres, pa.string())}), temp)
    os.replace(temp, path)


def iter_done(out: Path) -> Iterator[dict[str, Any]]:
    """The statistics of every block done so far."""
    folder = out / STATE / "blocks"
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        yield json.loads(path.read_text(encoding="utf-8"))


class QuietLocalExecutor(LocalPipelineExecutor):  # type: ignore[misc]
    """DataTrove's local executor with its log lines in the log files only: Furat shows progress itself.

    Defined at module level so that worker processes unpickle it by reference, with the one loguru logger.
    """

    def _run_for_rank(self, rank: int, local_rank: int = 0, node_rank: int = -1) -> Any:
        from loguru import logger

        logger.enable("datatrove")
        try:
            return super()._run_for_rank(rank, 1, node_rank)  # local_rank > 0: only errors reach stderr
        finally:
            logger.disable("datatrove")  # the "n/N tasks completed" lines that follow each task
