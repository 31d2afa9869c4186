"""``furat validate`` on every core: documents split across processes, each running the per-file checks.

The repository-wide checks (labels, schemas, manifest, missing corpus files) run once in the parent.
The documents are cut into chunks; a chunk holds a document's corpus file and every annotation file
of that document (its gold and its passes), because an annotation file is checked against its own
document only (``check.validate``). The findings are the same as ``validate_repo``'s, in the same
order; only the wall-clock time changes.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from furat.check.validate import (
    _check_annotations,
    _check_corpus_doc,
    _check_labels,
    _Doc,
    _load_manifest,
    _Run,
    validate_repo,
)
from furat.core.findings import Finding, FuratError
from furat.core.labels import load_labels
from furat.core.schemas import load_schema

__all__ = ["MIN_PARALLEL_FILES", "check_validate_parallel", "validate_repo_parallel", "workers_available"]

MIN_PARALLEL_FILES = 400  # below this, starting processes costs more than it saves
_SHARED: dict[str, Any] = {}  # what forked workers read instead of receiving it pickled


def workers_available() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _doc_of(root: Path, path: Path) -> str:
    """The document an annotation file belongs to: ``annotations/<id>.json`` or ``passes/<id>/<who>.json``."""
    rel = path.relative_to(root / "annotations")
    return rel.parts[1] if len(rel.parts) == 3 and rel.parts[0] == "passes" else path.stem


def _check_chunk(chunk: tuple[list[Path], list[Path]]) -> list[Finding]:
    root: Path = _SHARED["root"]
    run = _Run(root)
    corpus_schema = load_schema(root / "schema", "corpus")
    annotation_schema = load_schema(root / "schema", "annotation")
    unit_kind = load_labels(root / "schema" / "labels.json").unit_kind
    docs: dict[str, _Doc] = {}
    corpus_paths, annotation_paths = chunk
    for path in corpus_paths:
        file = run.read(path)
        doc = _check_corpus_doc(run, file, corpus_schema, _SHARED["manifest"], _SHARED["rules_sha"]) if file else None
        if doc is not None:
            docs[doc.id] = doc
    for path in annotation_paths:
        file = run.read(path)
        if file is not None:
            _check_annotations(run, file, annotation_schema, docs, unit_kind)
    return run.findings


def _chunks(
    root: Path, corpus: Sequence[Path], annotations: Sequence[Path], n: int
) -> list[tuple[list[Path], list[Path]]]:
    by_doc: dict[str, list[Path]] = {}
    for path in annotations:
        by_doc.setdefault(_doc_of(root, path), []).append(path)
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
    from furat.corpus.ingest import RULES

    root = root.resolve()
    workers = workers or workers_available()
    corpus = sorted((root / "corpus").glob("*.json"))
    folder = root / "annotations"
    annotations = sorted(folder.rglob("*.json")) if folder.is_dir() else []
    if workers < 2 or len(corpus) + len(annotations) < MIN_PARALLEL_FILES:
        return validate_repo(root)
    run = _Run(root)
    _check_labels(run, root / "schema")
    manifest = _load_manifest(run, root / "schema")
    try:
        rules_sha: str | None = hashlib.sha256((root / RULES).read_bytes()).hexdigest()
    except OSError:
        rules_sha = None
    for doc_id in manifest:
        if not (root / "corpus" / f"{doc_id}.json").exists():
            run.add("seeds/manifest.json", "corpus-missing", f"no corpus/{doc_id}.json", line=0)
    findings = list(run.findings)
    _SHARED.update(root=root, manifest=manifest, rules_sha=rules_sha)
    try:
        chunks = _chunks(root, corpus, annotations, workers * 8)
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            for part in pool.map(_check_chunk, chunks):
                findings.extend(part)
    finally:
        _SHARED.clear()
    return sorted(findings, key=lambda f: (f.path, f.line, f.pointer, f.code))


def check_validate_parallel(root: Path, workers: int | None = None) -> list[Finding]:
    """``check_validate`` on every core: raises when validation reports an error, returns its warnings."""
    findings = validate_repo_parallel(root, workers)
    errors = [f for f in findings if f.level == "error"]
    if errors:
        message = f"furat validate reports {len(errors)} error(s): nothing was built; fix them and build again"
        raise FuratError([*errors, Finding(".", 0, "build-refused", message)], 1)
    return [f for f in findings if f.level != "error"]
