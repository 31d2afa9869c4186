"""``furat bench``: speed and memory on a synthetic corpus made by repeating the seed articles.

Each stage runs in a fresh process so that its peak memory is its own. Figures are written as JSON;
nothing here asserts a time.
"""

from __future__ import annotations

import json
import multiprocessing
import platform
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from furat.ingest import build_corpus
from furat.segment import paragraph_spans, sentence_spans, token_spans

__all__ = ["STAGES", "run_bench", "synthetic_text"]


def synthetic_text(root: Path, size_mb: float) -> str:
    """The corpus texts repeated until the UTF-8 size reaches ``size_mb`` megabytes."""
    texts = [doc.text for doc in build_corpus(root)]
    unit = "\n".join(texts) + "\n"
    unit_bytes = len(unit.encode("utf-8"))
    copies = max(1, int(size_mb * 1_000_000 / unit_bytes + 0.999))
    return unit * copies


def _segment(text: str) -> dict[str, Any]:
    start = time.perf_counter()
    paragraphs = paragraph_spans(text)
    sentences = sentence_spans(text, paragraphs)
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "paragraphs": len(paragraphs), "sentences": len(sentences)}


def _tokens(text: str) -> dict[str, Any]:
    start = time.perf_counter()
    count = len(token_spans(text))
    return {"seconds": time.perf_counter() - start, "tokens": count}


def _pysbd(text: str) -> dict[str, Any]:
    import pysbd

    seg = pysbd.Segmenter(language="ar", clean=False, char_span=True)
    start = time.perf_counter()
    count = sum(len(seg.segment(line)) for line in text.split("\n") if line.strip())
    return {"seconds": time.perf_counter() - start, "sentences": count}


# name -> (function, share of the synthetic corpus it runs on)
STAGES: dict[str, tuple[Callable[[str], dict[str, Any]], float]] = {
    "segment_sentences": (_segment, 1.0),
    "tokenize": (_tokens, 1.0),
    "pysbd_ar_sentences": (_pysbd, 0.02),  # pysbd runs at well under 1 MB/s: a 2% sample
}


def _child(root: str, size_mb: float, stage: str, queue: Any) -> None:
    func, share = STAGES[stage]
    text = synthetic_text(Path(root), size_mb * share)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures = func(text)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    mb = len(text.encode("utf-8")) / 1_000_000
    figures.update(
        input_mb=round(mb, 3),
        mb_per_s=round(mb / figures["seconds"], 3) if figures["seconds"] else None,
        seconds=round(figures["seconds"], 4),
        peak_rss_mb=round(peak / 1024, 1),
        rss_before_mb=round(before / 1024, 1),
    )
    queue.put(figures)


def run_bench(root: Path, size_mb: float, stages: list[str] | None = None) -> dict[str, Any]:
    """Run the chosen stages (default: all) and return the figures."""
    ctx = multiprocessing.get_context("spawn")
    results: dict[str, Any] = {}
    for stage in stages or list(STAGES):
        queue = ctx.Queue()
        proc = ctx.Process(target=_child, args=(str(root), size_mb, stage, queue))
        proc.start()
        results[stage] = queue.get()
        proc.join()
    return {
        "size_mb": size_mb,
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
