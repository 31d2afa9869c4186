"""``furat bench``: speed and memory on synthetic corpora made by repeating the seed articles.

Each stage runs in a fresh process so that its peak memory is its own. Figures are written as JSON;
nothing here asserts a time.
"""

from __future__ import annotations

import json
import multiprocessing
import platform
import re
import resource
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from furat.core.progress import progress
from furat.corpus.ingest import build_corpus
from furat.corpus.segment import iter_token_spans, paragraph_spans, sentence_spans

__all__ = ["STAGES", "BenchSettings", "run_bench", "synthetic_text", "write_bench"]


@dataclass(frozen=True)
class BenchSettings:
    size_mb: float = 50.0  # text stages: size of the synthetic text
    docs: int = 10_000  # repository stages: number of synthetic documents


def synthetic_text(root: Path, size_mb: float) -> str:
    """The corpus texts repeated until the UTF-8 size reaches ``size_mb`` megabytes."""
    texts = [doc.text for doc in build_corpus(root)]
    unit = "\n".join(texts) + "\n"
    unit_bytes = len(unit.encode("utf-8"))
    copies = max(1, int(size_mb * 1_000_000 / unit_bytes + 0.999))
    return unit * copies


_WORDS = re.compile(r"\S+")
JSONSCHEMA_SAMPLE = 1000  # files on which plain jsonschema is timed (an even sample), scaled to all
RUNS = 2  # a repository stage and its floor: the better of this many runs


def _seconds(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def _timed_text(
    func: Callable[[str], dict[str, Any]], share: float = 1.0
) -> Callable[[Path, BenchSettings], dict[str, Any]]:
    """A text stage: runs ``func`` on a synthetic text and reports MB/s.

    Its floor is one regular-expression pass over the same text (``\\S+``, words between spaces),
    measured in the same run: the least any stage that looks at every character costs. ``func`` runs
    once on the first 1,000 characters before it is timed, so that its imports are not counted.
    """

    def stage(root: Path, settings: BenchSettings) -> dict[str, Any]:
        text = synthetic_text(root, settings.size_mb * share)
        func(text[:1000])  # imports, compiled expressions and tables: a cost per process, not per MB
        start, cpu = time.perf_counter(), time.process_time()
        sum(1 for _ in _WORDS.finditer(text))
        floor, floor_cpu = time.perf_counter() - start, time.process_time() - cpu
        start, cpu = time.perf_counter(), time.process_time()
        figures = func(text)
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
        mb = len(text.encode("utf-8")) / 1_000_000
        return {
            **figures,
            "input_mb": round(mb, 3),
            "seconds": round(seconds, 4),
            "mb_per_s": round(mb / seconds, 3),
            "floor": "regex pass (\\S+)",
            "floor_seconds": round(floor, 4),
            "over_floor": round(seconds / floor, 2),
            # CPU time of this process: on a shared machine, what the stage costs without the waiting
            "cpu_seconds": round(cpu_seconds, 4),
            "mb_per_cpu_s": round(mb / cpu_seconds, 3),
            "over_floor_cpu": round(cpu_seconds / floor_cpu, 2),
        }

    return stage


def _segment(text: str) -> dict[str, Any]:
    paragraphs = paragraph_spans(text)
    return {"paragraphs": len(paragraphs), "sentences": len(sentence_spans(text, paragraphs))}


def _tokens(text: str) -> dict[str, Any]:
    return {"tokens": sum(1 for _ in iter_token_spans(text))}  # streamed: no list of every span


def _pysbd(text: str) -> dict[str, Any]:
    import pysbd

    seg = pysbd.Segmenter(language="ar", clean=False, char_span=True)
    return {"sentences": sum(len(seg.segment(line)) for line in text.split("\n") if line.strip())}


def _quantities(text: str) -> dict[str, Any]:
    from furat.annotate.quantities import NATIVE, find_quantities

    # compiled: the modules `furat compile` made with mypyc ran, not their pure-Python source
    return {"mentions": len(find_quantities(text)), "compiled": NATIVE.loaded()}


def _validate(root: Path, settings: BenchSettings) -> dict[str, Any]:
    """``furat validate`` on a synthetic repository, beside a bare parse and plain jsonschema."""
    import jsonschema

    from furat.bench.synthetic import make_repository
    from furat.check.parallel import validate_repo_parallel as validate_repo
    from furat.check.parallel import workers_available
    from furat.core.forking import fork_map
    from furat.core.schemas import load_schema

    with tempfile.TemporaryDirectory(prefix="furat-bench-") as tmp:
        repo = Path(tmp)
        make_repository(root, repo, settings.docs)
        files = sorted((repo / "corpus").glob("*.json")) + sorted((repo / "annotations").glob("*.json"))
        for path in files:  # warm the page cache so that every run reads from memory alike
            path.read_bytes()
        size_mb = sum(p.stat().st_size for p in files) / 1_000_000

        # (a) read and parse every file, keeping nothing, as validate itself does; the better of two
        # runs, as for furat validate below (a shared machine only ever makes a run slower)
        parse = min(_seconds(lambda: _parse_only(files)) for _ in range(RUNS))

        # (b) the whole of furat validate: labels, manifest and seeds, corpus, annotations; on every
        # core, then on one process (on a shared machine the other cores may be busy: the ratio of
        # one process to the parse says what the code costs whatever the load). It runs before the
        # plain jsonschema pass, so that its worker processes are forked from a lean process.
        findings: list[Any] = []
        validate = min(_seconds(lambda: findings.extend(validate_repo(repo))) for _ in range(RUNS))
        one_process = _seconds(lambda: validate_repo(repo, workers=1))
        # (b') what of it is reading, parsing (orjson) and the compiled schema check alone, on every core:
        # the part a faster Python check could not remove; the rest is Furat's own checks
        schemas = {name: load_schema(repo / "schema", name) for name in ("corpus", "annotation")}
        cores = workers_available()
        shares = [files[i::cores] for i in range(cores)]
        valid: list[int] = []
        parse_and_schema = min(
            _seconds(lambda: valid.append(sum(fork_map(_parse_and_schema, shares, cores, schemas=schemas))))
            for _ in range(RUNS)
        )
        # (b'') the floor's own parse (json.loads) on every core: what the floor would be if it used them too
        parse_every_core = min(_seconds(lambda: list(fork_map(_parse_only, shares, cores))) for _ in range(RUNS))

        # (c) plain jsonschema: only the validation calls are timed, not the parse they need. It runs
        # at well under 1 MB/s, so it is timed on an even sample of the files and scaled to all of them.
        corpus_validator = jsonschema.Draft202012Validator(load_schema(repo / "schema", "corpus").document)
        annotation_validator = jsonschema.Draft202012Validator(load_schema(repo / "schema", "annotation").document)
        sample = files[:: max(1, len(files) // JSONSCHEMA_SAMPLE)]
        plain_jsonschema = 0.0
        for path in sample:
            data = json.loads(path.read_bytes())
            validator = corpus_validator if path.parent.name == "corpus" else annotation_validator
            start = time.perf_counter()
            validator.is_valid(data)
            plain_jsonschema += time.perf_counter() - start
        plain_jsonschema *= len(files) / len(sample)
    return {
        "documents": settings.docs,
        "files": len(files),
        "input_mb": round(size_mb, 3),
        "findings": len(findings) // RUNS,
        "runs": RUNS,
        "json_loads_seconds": round(parse, 3),
        "plain_jsonschema_seconds": round(plain_jsonschema, 3),
        "plain_jsonschema_files_timed": len(sample),
        "furat_validate_seconds": round(validate, 3),
        "seconds": round(validate, 3),
        "validate_over_parse": round(validate / parse, 2),
        "floor": "json.loads of every file",
        "floor_seconds": round(parse, 3),
        "over_floor": round(validate / parse, 2),
        "processes": workers_available(),
        "one_process_seconds": round(one_process, 3),
        "one_process_over_floor": round(one_process / parse, 2),
        "jsonschema_over_parse": round(plain_jsonschema / parse, 2),
        "parse_and_schema_seconds": round(parse_and_schema, 3),
        "parse_and_schema_over_floor": round(parse_and_schema / parse, 2),
        "parse_and_schema_valid_files": min(valid),
        "json_loads_every_core_seconds": round(parse_every_core, 3),
        "over_json_loads_every_core": round(validate / parse_every_core, 2),
    }


def _parse_only(paths: list[Path]) -> int:
    """Read and parse with json.loads each file, keeping nothing: the floor (in one process, or in each)."""
    for path in paths:
        json.loads(path.read_bytes())
    return len(paths)


def _parse_and_schema(paths: list[Path]) -> int:
    """Read, parse with orjson and check against the compiled schema each file; nothing else."""
    import orjson

    from furat.core.forking import inherited

    schemas = inherited()["schemas"]
    valid = 0
    for path in paths:
        valid += schemas["corpus" if path.parent.name == "corpus" else "annotation"].is_valid(
            orjson.loads(path.read_bytes())
        )
    return valid


# name -> stage; the text stages run on --size-mb of text, the repository stages on --docs documents
STAGES: dict[str, Callable[[Path, BenchSettings], dict[str, Any]]] = {
    "segment_sentences": _timed_text(_segment),
    "tokenize": _timed_text(_tokens),
    "pysbd_ar_sentences": _timed_text(_pysbd, share=0.02),  # well under 1 MB/s: a 2% sample
    "quantities": _timed_text(_quantities, share=0.2),  # 10 MB of the default 50
    "validate": _validate,
    "build": lambda root, settings: _bench_build(root, settings.docs),
    "silver": lambda root, settings: _bench_silver(root, settings.docs),
}


def _bench_build(root: Path, docs: int) -> dict[str, Any]:
    from furat.bench.build import bench_build

    return bench_build(root, docs)


def _bench_silver(root: Path, docs: int) -> dict[str, Any]:
    from furat.bench.silver import bench_silver

    return bench_silver(root, docs)


def _child(root: str, settings: BenchSettings, stage: str, queue: Any) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures = STAGES[stage](Path(root), settings)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures.update(peak_rss_mb=round(peak / 1024, 1), rss_before_mb=round(before / 1024, 1))
    queue.put(figures)


def run_bench(root: Path, settings: BenchSettings, stages: list[str] | None = None) -> dict[str, Any]:
    """Run the chosen stages (default: all), each in its own process, and return the figures."""
    ctx = multiprocessing.get_context("spawn")
    results: dict[str, Any] = {}
    chosen = stages or list(STAGES)
    with progress("bench", total=len(chosen), unit="stage") as bar:
        for stage in chosen:
            queue = ctx.Queue()
            proc = ctx.Process(target=_child, args=(str(root), settings, stage, queue))
            proc.start()
            results[stage] = queue.get()
            proc.join()
            bar.update(1)
    return {
        "settings": {"size_mb": settings.size_mb, "docs": settings.docs},
        "machine": {
            "python": platform.python_version(),
            "cpus": multiprocessing.cpu_count(),
            "platform": platform.platform(),
        },
        "stages": results,
    }


def write_bench(path: Path, figures: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
