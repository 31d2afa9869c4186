"""Benchmark stage: ``furat build`` on a synthetic repository, in a child process of its own."""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from furat.bench.run import RUNS
from furat.dataset.summary import DIST


def bench_build(root: Path, docs: int) -> dict[str, Any]:
    """Time and peak memory of ``furat build`` on a synthetic repository of ``docs`` documents.

    The build runs in a child process of its own, so its peak RSS is its own (not the generator's). The
    build and its floor (``json.loads`` of every input file) are each the better of ``RUNS`` runs, in turns.
    """
    from furat.bench.synthetic import make_repository
    from furat.dataset.native import NATIVE

    with tempfile.TemporaryDirectory(prefix="furat-bench-build-") as tmp:
        repo = Path(tmp) / "repo"
        repo.mkdir()
        make_repository(root, repo, docs)
        shutil.copyfile(root / "DATASHEET.md", repo / "DATASHEET.md")
        files = [*(repo / "corpus").glob("*.json"), *(repo / "annotations").glob("*.json")]
        input_mb = sum(p.stat().st_size for p in files) / 1_000_000
        for path in files:  # warm the page cache, as for the build
            path.read_bytes()
        code = (
            "import json, sys, time\n"
            "from pathlib import Path\n"
            "from furat.dataset.build import build_dataset\n"
            "start = time.perf_counter()\n"
            "result = build_dataset(Path(sys.argv[1]))\n"
            "total = time.perf_counter() - start\n"
            "print(json.dumps({'seconds': total, 'parts': result.seconds, 'counts': result.counts}))\n"
        )
        parse = parse_cpu = cpu = float("inf")  # the floor's: the better of its runs
        figures: dict[str, Any] = {}
        for _ in range(RUNS):  # the floor and the build alternated, so both see the machine at the same moments
            start, started_cpu = time.perf_counter(), time.process_time()
            for path in files:  # read and parse every input file, keeping nothing
                json.loads(path.read_bytes())
            parse = min(parse, time.perf_counter() - start)
            parse_cpu = min(parse_cpu, time.process_time() - started_cpu)
            shutil.rmtree(repo / DIST, ignore_errors=True)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            done = subprocess.run(
                [sys.executable, "-c", code, str(repo)], capture_output=True, text=True, check=False, timeout=3600
            )
            after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the build's process and its workers, reaped
            if done.returncode != 0:
                raise RuntimeError(f"furat build failed on the synthetic repository:\n{done.stderr[-2000:]}")
            run = json.loads(done.stdout.strip().splitlines()[-1])
            if not figures or run["seconds"] < figures["seconds"]:  # the faster build, with its own CPU time
                figures = run
                cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child: a build's process
        output = [p for p in (repo / DIST).rglob("*") if p.is_file()]
        output_mb = sum(p.stat().st_size for p in output) / 1_000_000
    return {
        "documents": docs,
        "input_mb": round(input_mb, 3),
        "output_mb": round(output_mb, 3),
        "seconds": round(figures["seconds"], 3),
        # one pass validates every file and turns it into rows; then the Parquet files, card and datasheet
        "check_and_rows_seconds": round(figures["parts"]["check_and_rows"], 3),
        "files_seconds": round(figures["parts"]["files"], 3),
        "rows": {config: sum(per.values()) for config, per in figures["counts"].items()},
        "build_peak_rss_mb": round(peak / 1024, 1),
        "floor": "json.loads of every file",
        "floor_seconds": round(parse, 3),
        "over_floor": round(figures["seconds"] / parse, 2),
        # CPU time of every process of the build (starting Python and importing included) over the parse's:
        # the work done, without the time spent waiting for a core
        "cpu_seconds": round(cpu, 3),
        "floor_cpu_seconds": round(parse_cpu, 3),
        "cpu_over_floor_cpu": round(cpu / parse_cpu, 2),
        # the `ner` tokens made by the one pass `furat compile` compiled, or by numpy (its Python source is slower)
        "token_pass_compiled": NATIVE.available(),
    }
