"""``furat validate`` on every core: documents split across processes, each running the per-file checks.

The repository-wide checks (labels, schemas, manifest, missing corpus files) run once in the parent.
The documents are cut into chunks; a chunk holds a document's corpus file and every annotation file
of that document (its gold and its passes), because an annotation file is checked against its own
document only (``check.validate``). The findings are the same as ``validate_repo``'s, in the same
order; only the wall-clock time changes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from furat.check.validate import CheckRun, FileContext, check_files, refuse_on_errors, validate_with
from furat.core.findings import Finding
from furat.core.forking import collector_for_a_pass, fork_map, inherited

__all__ = [
    "MIN_PARALLEL_FILES",
    "check_validate_parallel",
    "document_of",
    "validate_repo_parallel",
    "workers_available",
]

MIN_PARALLEL_FILES = 400  # below this, starting processes costs more than it saves
CHUNKS_PER_WORKER = 32  # small chunks: the workers finish close together


def workers_available() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def document_of(root: Path, path: Path) -> str:
    """The document an annotation file belongs to: ``annotations/<id>.json`` or ``passes/<id>/<who>.json``."""
    parts = path.parts[len(root.parts) + 1 :]  # below annotations/
    return parts[1] if len(parts) == 3 and parts[0] == "passes" else path.stem


def _check_chunk(index: int) -> list[Finding]:
    ctx: FileContext = inherited()["ctx"]
    corpus, annotations = inherited()["chunks"][index]  # inherited: only the index is sent to the worker
    run = CheckRun(ctx.root)
    check_files(run, corpus, annotations, ctx, None)
    return run.findings


def _chunks(
    root: Path, corpus: Sequence[Path], annotations: Sequence[Path], n: int
) -> list[tuple[list[Path], list[Path]]]:
    by_doc: dict[str, list[Path]] = {}
    for path in annotations:
        by_doc.setdefault(document_of(root, path), []).append(path)
    size = max(1, -(-len(corpus) // n))
    chunks = []
    for start in range(0, len(corpus), size):
        paths = list(corpus[start : start + size])
        chunks.append((paths, [a for p in paths for a in by_doc.pop(p.stem, [])]))
    orphans = [a for paths in by_doc.values() for a in paths]  # no corpus file: unknown-document
    if orphans:
        chunks.append(([], orphans))
    return chunks


def validate_repo_parallel(root: Path, workers: int | None = None) -> list[Finding]:
    """``validate_repo`` on ``workers`` processes (default: every core this process may use)."""
    workers = workers or workers_available()

    def parallel(
        run: CheckRun,
        corpus: list[Path],
        annotations: list[Path],
        ctx: FileContext,
        reported: set[Path] | None,
        /,
        *,
        meanwhile: Callable[[], None],
    ) -> None:
        if workers < 2 or len(corpus) + len(annotations) < MIN_PARALLEL_FILES:
            check_files(run, corpus, annotations, ctx, reported, meanwhile=meanwhile)
            return
        chunks = _chunks(ctx.root, corpus, annotations, workers * CHUNKS_PER_WORKER)
        with collector_for_a_pass():
            # the seeds are checked here meanwhile
            for part in fork_map(_check_chunk, range(len(chunks)), workers, meanwhile, ctx=ctx, chunks=chunks):
                run.findings.extend(part)

    return validate_with(root, None, parallel, gold_in_files=True)


def check_validate_parallel(root: Path, workers: int | None = None) -> list[Finding]:
    """``check_validate`` on every core: raises when validation reports an error, returns its warnings."""
    return refuse_on_errors(validate_repo_parallel(root, workers))
