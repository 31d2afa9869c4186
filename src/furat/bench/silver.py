"""Benchmark stage: ``furat silver`` on synthetic articles with 1 and with 2 workers.

Each run is a ``furat silver`` process of its own (local executor); its peak RSS is the largest of
its processes: with one worker the one process that does everything, with two the largest worker.
Its floor is ``json.loads`` of every line of the same input.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["bench_silver"]

_RUN = (
    "import json, resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "seconds = time.perf_counter() - start\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "cpu = usage.ru_utime + usage.ru_stime\n"
    "print(json.dumps({'code': done.returncode, 'seconds': seconds, 'cpu': cpu, 'peak_kb': usage.ru_maxrss,\n"
    "                  'err': done.stderr[-2000:]}))\n"
)


def _silver(root: Path, articles: Path, out: Path, workers: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "furat", "--root", str(root), "--quiet", "silver", str(articles)]
    command += ["--out", str(out), "--workers", str(workers), "--tasks", str(2 * workers), "--block-mb", "2"]
    done = subprocess.run([sys.executable, "-c", _RUN, *command], capture_output=True, text=True, check=True)
    figures: dict[str, Any] = json.loads(done.stdout)
    if figures["code"] != 0:
        raise RuntimeError(f"furat silver failed on the synthetic articles:\n{figures['err']}")
    return figures


def bench_silver(root: Path, docs: int) -> dict[str, Any]:
    """MB/s per worker with 1 and 2 workers, the speed-up, and peak memory per worker."""
    from furat.annotate.quantities import NATIVE
    from furat.bench.synthetic import write_articles

    with tempfile.TemporaryDirectory(prefix="furat-bench-silver-") as tmp:
        articles = Path(tmp) / "articles.jsonl"
        size = write_articles(root, articles, docs)
        start = time.perf_counter()
        with articles.open("rb") as handle:
            for line in handle:
                json.loads(line)
        parse = time.perf_counter() - start
        one = _silver(root, articles, Path(tmp) / "one", 1)
        two = _silver(root, articles, Path(tmp) / "two", 2)
        output = sum(p.stat().st_size for p in (Path(tmp) / "two" / "data").rglob("*.parquet"))
        same = all(
            a.read_bytes() == b.read_bytes()
            for a, b in zip(
                sorted((Path(tmp) / "one" / "data").rglob("*.parquet")),
                sorted((Path(tmp) / "two" / "data").rglob("*.parquet")),
                strict=True,
            )
        )
    mb = size / 1_000_000
    return {
        "documents": docs,
        "input_mb": round(mb, 3),
        "seconds": round(two["seconds"], 3),
        "seconds_1_worker": round(one["seconds"], 3),
        "seconds_2_workers": round(two["seconds"], 3),
        "mb_per_s_per_worker_1": round(mb / one["seconds"], 3),
        "mb_per_s_per_worker_2": round(mb / two["seconds"] / 2, 3),
        "speedup_1_to_2": round(one["seconds"] / two["seconds"], 2),
        "output_mb": round(output / 1_000_000, 3),
        "ms_per_document_1_worker": round(1000 * one["seconds"] / docs, 3),
        # CPU time of every process of the run: what a document costs, however busy the machine is
        "cpu_ms_per_document_1_worker": round(1000 * one["cpu"] / docs, 3),
        "cpu_ms_per_document_2_workers": round(1000 * two["cpu"] / docs, 3),
        # MB per CPU second: MB/s of one busy worker, whatever else the machine runs
        "mb_per_cpu_s_1_worker": round(mb / one["cpu"], 3),
        "mb_per_cpu_s_per_worker_2": round(mb / two["cpu"], 3),
        "peak_rss_mb_1_worker": round(one["peak_kb"] / 1024, 1),
        "peak_rss_mb_per_worker_2": round(two["peak_kb"] / 1024, 1),
        "same_output_1_and_2_workers": same,
        "recognizer_compiled": NATIVE.available(),  # the quantity recognizer of the runs: `furat compile`d or not
        "floor": "json.loads of every line",
        "floor_seconds": round(parse, 3),
        "over_floor": round(two["seconds"] / parse, 2),
    }
