"""The rows of ``furat build`` made on every core: documents cut into runs, each run spilled to Arrow files.

A run is a stretch of documents in manifest order. A worker process reads each document, turns it
into rows, spills them to Arrow stream files of its own (``Spill``: record batches, never a list of
the whole run) and returns the run's document summaries and notes. The parent then opens the runs'
files in order, memory-mapped, so the dataset's rows are in manifest order whatever the number of
processes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from furat.core.findings import Finding
from furat.dataset.rows import document_rows
from furat.dataset.summary import CONFIGS, SPLITS, DocumentSummary, iter_documents, summarize_document

__all__ = ["BATCH", "Run", "Spill", "write_runs"]

BATCH = 5_000  # rows held as Python objects before they become an Arrow record batch on disk
_SHARED: dict[str, Any] = {}  # what forked workers read instead of receiving it pickled

Run = tuple[list[DocumentSummary], list[Finding], dict[tuple[str, str], int]]


class Spill:
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
        if len(self.rows) >= BATCH:
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


def spill_path(work: Path, run: int, config: str, split: str) -> Path:
    return work / f"{run:05d}" / f"{config}-{split}.arrow"


def _write_run(index: int) -> Run:
    """Rows of one run of documents to its Arrow files; its summaries, notes and row counts."""
    root: Path = _SHARED["root"]
    work: Path = _SHARED["work"]
    features: Mapping[str, Any] = _SHARED["features"]
    bio: Mapping[str, int] = _SHARED["bio"]
    spills: dict[tuple[str, str], Spill] = {
        (c, s): Spill(spill_path(work, index, c, s), features[c].arrow_schema) for c in CONFIGS for s in SPLITS
    }
    summaries: list[DocumentSummary] = []
    notes: list[Finding] = []
    for split, doc, annotation_set in iter_documents(root, _SHARED["runs"][index]):
        rows, tokens = document_rows(doc, annotation_set, features, bio, notes)
        summaries.append(summarize_document(split, doc, annotation_set, tokens))
        for config, items in rows.items():
            spills[config, split].add(items)
    counts = {key: spill.count for key, spill in spills.items() if spill.close()}
    return summaries, notes, counts


def write_runs(
    root: Path,
    work: Path,
    splits: list[tuple[str, str]],
    features: Mapping[str, Any],
    bio: Mapping[str, int],
    workers: int,
    done: Callable[[int], None] | None = None,
) -> list[Run]:
    """Every run's rows to ``work/<run>/<config>-<split>.arrow``, on ``workers`` processes; the runs in order.

    ``done`` is called with the number of documents of each run as it finishes (for progress).
    """
    pieces = max(1, workers * 8) if workers > 1 else 1
    size = max(1, -(-len(splits) // pieces))
    runs = [splits[i : i + size] for i in range(0, len(splits), size)]
    _SHARED.update(root=root, work=work, features=features, bio=bio, runs=runs)
    results: list[Run] = []
    try:
        if workers > 1 and len(runs) > 1:
            with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
                for result in pool.map(_write_run, range(len(runs))):
                    results.append(result)
                    if done:
                        done(len(result[0]))
        else:
            for index in range(len(runs)):
                results.append(_write_run(index))
                if done:
                    done(len(results[-1][0]))
    finally:
        _SHARED.clear()
    return results
