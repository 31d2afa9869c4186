"""``furat build``'s one pass over the files: validated and turned into rows on every core, spilled to Arrow files.

A run is a stretch of documents in manifest order. A worker process checks each document's files
(``furat validate``'s per-file checks), turns the data those checks parsed into rows, spills them to
Arrow stream files of its own (``Spill``: record batches, never a list of the whole run) and returns
the run's findings, document summaries and notes. Each file is read and parsed once. The parent then
opens the runs' files in order, so the dataset's rows are in manifest order whatever the number of
processes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from furat.check.parallel import document_of
from furat.check.validate import CheckRun, FileContext, check_files, validate_with
from furat.core.findings import Finding
from furat.core.forking import collector_for_a_pass, fork_map, inherited
from furat.dataset.ner_arrays import TagColumn, TokenColumn
from furat.dataset.rows import Columns, document_columns
from furat.dataset.summary import CONFIGS, SPLITS, DocumentSummary, summarize_document

__all__ = ["BATCH", "Joiner", "Run", "Spill", "spill_path", "validate_and_write"]

BATCH = 5_000  # rows held as Python objects before they become an Arrow record batch on disk

Run = tuple[list[DocumentSummary], list[Finding], dict[tuple[str, str], int]]


class Spill:
    """The rows of one config and split, spilled to an Arrow stream file as record batches.

    Rows come as columns (``rows.Columns``: a list per field, or for the ``ner`` tokens and tags the array
    columns of ``_columns``), which Arrow takes a field at a time. This is the file format ``datasets``
    keeps its own datasets in, so ``Dataset.from_file`` opens it memory-mapped: the build's memory stays
    flat however large the corpus is.
    """

    def __init__(self, path: Path, schema: Any, columns: Columns | None = None) -> None:
        self.path, self.schema = path, schema
        self.columns: Columns = columns if columns is not None else {name: [] for name in schema.names}
        self._first = self.columns[schema.names[0]]
        self.count = 0
        self._writer: Any = None

    def full(self) -> bool:
        return len(self._first) >= BATCH

    def flush(self) -> None:
        import pyarrow as pa

        if not self._first:
            return
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pa.ipc.new_stream(str(self.path), self.schema)
        arrays = [
            pa.array(column, type=field.type) if type(column) is list else column.to_arrow(field.type)
            for field, column in ((field, self.columns[field.name]) for field in self.schema)
        ]
        self._writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=self.schema))
        self.count += len(self._first)
        for column in self.columns.values():
            column.clear()

    def close(self) -> bool:
        """Flush and close; whether there are rows at all."""
        self.flush()
        if self._writer is not None:
            self._writer.close()
        return self.count > 0


def _columns(config: str, features: Mapping[str, Any]) -> Columns:
    """Empty columns of ``config``: the ``ner`` tokens and tags as arrays a document fills at once
    (``ner_arrays``), the rest as lists."""
    columns: Columns = {name: [] for name in features}
    if config == "ner":
        columns.update(tokens=TokenColumn(), ner_tags=TagColumn())
    return columns


def spill_path(work: Path, run: int, config: str, split: str) -> Path:
    return work / f"{run:05d}" / f"{config}-{split}.arrow"


class _Doc(NamedTuple):
    """One document of a run: its split, its corpus file and every annotation file (gold and passes)."""

    id: str
    split: str
    corpus: Path | None  # None when there is no corpus file (validation reports it)
    annotations: list[Path]
    gold: Path | None  # annotations/<id>.json, when it is one of ``annotations``


def _write_run(index: int) -> tuple[Run, list[Finding]]:
    """Check one run of documents and turn those that pass into rows: the run, and its findings.

    Rows are made from the data the checks parsed, so each file is read once; a document whose
    corpus or gold file gave an error gives no rows (the build is refused then anyway).
    """
    shared = inherited()
    root: Path = shared["root"]
    work: Path = shared["work"]
    features: Mapping[str, Any] = shared["features"]
    bio: Mapping[str, int] = shared["bio"]
    docs: list[_Doc] = shared["runs"][index]
    run = CheckRun(root)
    spills: dict[tuple[str, str], Spill] = {
        (c, s): Spill(spill_path(work, index, c, s), features[c].arrow_schema, _columns(c, features[c]))
        for c in CONFIGS
        for s in SPLITS
    }
    columns: dict[str, dict[str, Columns]] = {
        split: {config: spills[config, split].columns for config in CONFIGS} for split in SPLITS
    }
    summaries: list[DocumentSummary] = []
    notes: list[Finding] = []
    for item in docs:  # one document at a time: what a worker holds does not grow with the run
        passed: dict[Path, Any] = {}
        check_files(run, [item.corpus] if item.corpus else [], item.annotations, shared["ctx"], None, passed)
        data = passed.get(item.corpus) if item.corpus is not None else None
        gold = passed.get(item.gold) if item.gold is not None else None
        if data is None or (item.gold is not None and gold is None):
            continue
        tokens = document_columns(data, gold, features, bio, columns[item.split], notes)  # from the checked data
        summaries.append(summarize_document(item.split, data, gold, tokens))
        for config in CONFIGS:
            spill = spills[config, item.split]
            if spill.full():
                spill.flush()
    counts = {key: spill.count for key, spill in spills.items() if spill.close()}
    return (summaries, notes, counts), run.findings


def _runs(
    root: Path, splits: list[tuple[str, str]], corpus: list[Path], annotations: list[Path], pieces: int
) -> tuple[list[list[_Doc]], list[Path], list[Path]]:
    """The manifest's documents cut into ``pieces`` runs, with the files validation listed for each;
    and the corpus and annotation files of no document of the manifest (validated, never rows)."""
    by_doc: dict[str, list[Path]] = {}
    for path in annotations:
        by_doc.setdefault(document_of(root, path), []).append(path)
    corpus_of = {path.stem: path for path in corpus}
    gold_depth = len(root.parts) + 2  # annotations/<id>.json (passes are deeper)
    docs = []
    for doc_id, split in splits:
        files = by_doc.pop(doc_id, [])
        gold = next((p for p in files if len(p.parts) == gold_depth), None)
        docs.append(_Doc(doc_id, split, corpus_of.pop(doc_id, None), files, gold))
    size = max(1, -(-len(docs) // pieces))
    runs = [docs[i : i + size] for i in range(0, len(docs), size)]
    return runs, list(corpus_of.values()), [p for paths in by_doc.values() for p in paths]


def validate_and_write(
    root: Path,
    work: Path,
    splits: list[tuple[str, str]],
    prepare: Callable[[], tuple[Mapping[str, Any], Mapping[str, int]]],
    workers: int,
    done: Callable[[int, Run], None] | None = None,
) -> tuple[list[Finding], list[Run]]:
    """``furat validate``'s findings and every run's rows (``work/<run>/<config>-<split>.arrow``), in one
    pass over the files on ``workers`` processes; the runs in manifest order.

    The repository-wide checks run once in this process (``check.validate``); each worker checks a
    run of documents, each with all of its files, and turns the documents that pass into rows.
    ``prepare`` gives the configs' features and the BIO tag ids once labels and schemas have passed;
    when the repository-wide checks found an error, the files are only checked (the seeds are checked
    while the workers run: an error in them is known after the rows are made, into ``work``). The caller must
    refuse the build when the findings hold an error: rows of a run are then incomplete. ``done`` is
    called with the index of each run and the run as it finishes, in order (``Joiner.add``, progress).
    """
    results: list[Run] = []

    def checker(
        run: CheckRun,
        corpus: list[Path],
        annotations: list[Path],
        ctx: FileContext,
        reported: set[Path] | None,
        /,
        *,
        meanwhile: Callable[[], None],
    ) -> None:
        # labels, schemas or manifest are wrong: rows would not mean anything. (The seeds are checked
        # meanwhile: an error there is found while the rows are made, and refuses the build all the same.)
        if run.errors:
            check_files(run, corpus, annotations, ctx, reported, meanwhile=meanwhile)
            return
        features, bio = prepare()
        pieces = max(1, workers * 8) if workers > 1 else 1
        runs, stray_corpus, stray_annotations = _runs(ctx.root, splits, corpus, annotations, pieces)
        shared = {"root": ctx.root, "work": work, "features": features, "bio": bio, "runs": runs, "ctx": ctx}
        with collector_for_a_pass():
            for outcome, findings in fork_map(_write_run, range(len(runs)), workers, meanwhile, **shared):
                _collect(run, results, outcome, findings, done)
        check_files(run, stray_corpus, stray_annotations, ctx, reported)

    findings = validate_with(root, None, checker, gold_in_files=True)
    return findings, results


def _collect(
    run: CheckRun, results: list[Run], outcome: Run, findings: list[Finding], done: Callable[[int, Run], None] | None
) -> None:
    results.append(outcome)
    run.findings.extend(findings)
    if done:
        done(len(results) - 1, outcome)


# Fields of prose, whose smallest and largest values help no reader skip a row group: their Parquet columns
# are written without statistics (a fifth of the time of writing the files)
_PROSE = {"documents": {"text"}, "ner": {"tokens"}}


def _statistics(schema: Any, prose: set[str]) -> bool | list[str]:
    """``ParquetWriter``'s ``write_statistics``: the paths of the Parquet columns of ``schema`` outside the
    fields ``prose``, or True (every column) when there are none."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not prose:
        return True
    sink = pa.BufferOutputStream()
    pq.write_table(schema.empty_table(), sink)
    columns = pq.ParquetFile(pa.BufferReader(sink.getvalue())).schema
    return [column.path for column in columns if column.path.split(".")[0] not in prose]


class Joiner:
    """The runs' Arrow files joined into one Parquet file per config and split, a record batch at a time,
    by a thread of its own while the next runs are made (Arrow writes without the GIL); runs are joined
    in the order they are added, so rows are in order too. One thread, so one record batch at a time is
    held: with a thread per file, the build's peak memory grew by a third (a batch of ``documents``
    holds the text of thousands of documents).

    ``schemas`` are the configs' ``Features.arrow_schema``: their metadata carries the features (label
    names, span structs) into the Parquet files, as ``datasets`` writes them. ``path`` gives the Parquet
    file of a config and a split. After a failure nothing more is joined, and the next ``add`` or
    ``close`` raises it.
    """

    def __init__(self, work: Path, schemas: Mapping[str, Any], path: Callable[[str, str], Path]) -> None:
        self.work, self.schemas, self.path = work, schemas, path
        self._thread: Any = None  # the thread that writes the files, started by the first run
        self._writers: dict[tuple[str, str], Any] = {}
        self._jobs: list[Any] = []
        self._failed: BaseException | None = None
        self.written: dict[tuple[str, str], tuple[int, int]] = {}  # (config, split) -> (rows, Arrow bytes)

    def add(self, index: int, run: Run) -> None:
        """Join the files of run ``index`` (runs are added in order)."""
        from concurrent.futures import ThreadPoolExecutor

        if self._failed is not None:
            raise self._failed
        if self._thread is None:
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="furat-join")
        self._jobs.extend(self._thread.submit(self._join, index, key) for key in sorted(run[2]))

    def _join(self, index: int, key: tuple[str, str]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._failed is not None:
            return
        try:
            writer = self._writers.get(key)
            if writer is None:
                path = self.path(*key)
                path.parent.mkdir(parents=True, exist_ok=True)
                schema = self.schemas[key[0]]
                statistics = _statistics(schema, _PROSE.get(key[0], set()))
                writer = self._writers[key] = pq.ParquetWriter(str(path), schema, write_statistics=statistics)
            rows, nbytes = self.written.get(key, (0, 0))
            spill = spill_path(self.work, index, *key)
            with pa.ipc.open_stream(str(spill)) as reader:
                for batch in reader:
                    writer.write_batch(batch)
                    rows += batch.num_rows
                    nbytes += batch.nbytes
            spill.unlink()
            self.written[key] = (rows, nbytes)
        except BaseException as exc:
            self._failed = self._failed or exc
            raise

    def _stop(self, cancel: bool) -> None:
        if self._thread is not None:
            self._thread.shutdown(wait=True, cancel_futures=cancel)

    def close(self) -> dict[tuple[str, str], tuple[int, int]]:
        """Every run joined and every file closed: (rows, Arrow bytes) of each file written."""
        try:
            self._stop(cancel=False)
            if self._failed is not None:
                raise self._failed
            for writer in self._writers.values():
                writer.close()
        except BaseException:
            self.abandon()
            raise
        return self.written

    def abandon(self) -> None:
        """No more joining (the build stops): what is under way ends, the rest is dropped, files are closed."""
        self._failed = self._failed or RuntimeError("the build stopped")
        self._stop(cancel=True)
        for writer in self._writers.values():
            with contextlib.suppress(Exception):
                writer.close()
