"""``furat bench``: speed and memory on a synthetic corpus."""

from __future__ import annotations

import argparse
from pathlib import Path

from furat.cli.common import Subparsers, root_of
from furat.core.findings import Finding, FuratError
from furat.core.tables import text_table as _table


def _cmd_bench(args: argparse.Namespace) -> int:
    from furat.bench.run import STAGES, BenchSettings, run_bench, write_bench

    root = root_of(args)
    unknown = [s for s in args.stage or [] if s not in STAGES]
    if unknown:
        message = f"unknown stage {unknown[0]!r}; stages: {', '.join(STAGES)}"
        raise FuratError([Finding("furat bench", 0, "usage", message)], 2)
    figures = run_bench(root, BenchSettings(size_mb=args.size_mb, docs=args.docs), args.stage)
    out = Path(args.out)
    write_bench(out if out.is_absolute() else root / out, figures)
    rows: list[list[object]] = [["stage", "input MB", "seconds", "MB/s", "floor s", "x floor", "peak RSS MB", "floor"]]
    for name, stage in figures["stages"].items():
        speed = stage.get("mb_per_s", round(stage["input_mb"] / stage["seconds"], 3) if stage["seconds"] else 0)
        peak = stage.get("build_peak_rss_mb", stage.get("peak_rss_mb_per_worker_2", stage["peak_rss_mb"]))
        floor = [stage.get("floor_seconds", "-"), stage.get("over_floor", "-")]
        rows.append([name, stage["input_mb"], stage["seconds"], speed, *floor, peak, stage.get("floor", "-")])
    print(_table(rows))
    stages = figures["stages"].items()
    cpu = [f"{n} {s['mb_per_cpu_s']} MB/s ({s['over_floor_cpu']}x its floor)" for n, s in stages if "mb_per_cpu_s" in s]
    if cpu:
        print("in CPU time of the stage's process (less affected by a busy machine): " + "; ".join(cpu))
    if "quantities" in figures["stages"]:
        compiled = figures["stages"]["quantities"]["compiled"]
        print(f"quantities: {'compiled with mypyc' if compiled else 'pure Python (`furat compile` compiles it)'}")
    if "build" in figures["stages"]:
        b = figures["stages"]["build"]
        print(
            f"build: {b['cpu_seconds']} s of CPU in all its processes, {b['cpu_over_floor_cpu']}x the CPU of the "
            f"parse ({b['floor_cpu_seconds']} s); ner tokens by "
            + ("the compiled pass" if b.get("token_pass_compiled") else "numpy (`furat compile` compiles the pass)")
        )
    if "silver" in figures["stages"]:
        s = figures["stages"]["silver"]
        print(
            f"silver, {s['documents']} articles: {s['mb_per_s_per_worker_1']} MB/s with 1 worker, "
            f"{s['mb_per_s_per_worker_2']} MB/s per worker with 2; speed-up 1 -> 2 workers {s['speedup_1_to_2']}x; "
            f"peak RSS {s['peak_rss_mb_1_worker']} MB (1 worker), {s['peak_rss_mb_per_worker_2']} MB per worker (2); "
            f"same output: {s['same_output_1_and_2_workers']}; busy worker {s['mb_per_cpu_s_1_worker']} MB per CPU s"
        )
    if "validate" in figures["stages"]:
        v = figures["stages"]["validate"]
        print(
            f"validate, {v['documents']} documents: json.loads alone {v['json_loads_seconds']} s, "
            f"plain jsonschema alone {v['plain_jsonschema_seconds']} s ({v['jsonschema_over_parse']}x the parse; "
            f"timed on {v['plain_jsonschema_files_timed']} of {v['files']} files), "
            f"furat validate {v['furat_validate_seconds']} s ({v['validate_over_parse']}x the parse) on "
            f"{v['processes']} processes, {v['one_process_seconds']} s ({v['one_process_over_floor']}x) on one; "
            f"of it, reading, orjson and the compiled schema alone {v['parse_and_schema_seconds']} s "
            f"({v['parse_and_schema_over_floor']}x) on {v['processes']} processes; json.loads itself on "
            f"{v['processes']} processes {v['json_loads_every_core_seconds']} s (validate "
            f"{v['over_json_loads_every_core']}x that)"
        )
    print(f"figures written to {args.out}")
    return 0


def add_bench(subparsers: Subparsers) -> None:
    """``furat bench``."""
    bench = subparsers.add_parser("bench", help="measure speed and memory on a synthetic corpus; writes JSON")
    bench.add_argument("--size-mb", type=float, default=50.0, help="size of the synthetic corpus (default 50)")
    bench.add_argument("--docs", type=int, default=10_000, help="documents in the synthetic repository (default 10000)")
    bench.add_argument("--stage", action="append", help="run only this stage (repeatable)")
    bench.add_argument("--out", default="bench-results/bench.json", help="where to write the figures")
    bench.set_defaults(func=_cmd_bench)
