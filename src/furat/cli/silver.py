"""``furat silver``: silver (machine) annotation of raw articles into a Hugging Face dataset."""

from __future__ import annotations

import argparse
from pathlib import Path

from furat.cli.common import Subparsers, root_of


def _cmd_silver(args: argparse.Namespace) -> int:
    from furat.silver.run import run_silver

    cluster = {"partition": args.partition, "time": args.time, "venv_path": args.venv}
    result = run_silver(
        root_of(args),
        [Path(p) for p in args.inputs],
        Path(args.out),
        workers=args.workers,
        tasks=args.tasks,
        executor=args.executor,
        block_mb=args.block_mb,
        cluster=cluster,
    )
    if result.submitted:
        print(
            f"{result.done}/{result.blocks} blocks done; the {args.executor} job runs on. When it has finished, "
            "run the same command again: it writes the card (and reruns only unfinished tasks)."
        )
        return 0
    mb = result.input_bytes / 1_000_000
    rows = ", ".join(f"{n} {config}" for config, n in result.rows.items())
    skipped = ", ".join(f"{n} {code}" for code, n in result.skipped.items()) or "none"
    print(f"wrote {result.out}: {result.documents} documents from {mb:.1f} MB in {result.blocks} blocks ({rows})")
    print(f"articles left out: {skipped}; {result.seconds:.1f} s")
    return 0


def add_silver(subparsers: Subparsers) -> None:
    """``furat silver``."""
    silver = subparsers.add_parser(
        "silver", help="clean, segment and pre-annotate raw articles at scale into a silver Hugging Face dataset"
    )
    silver.add_argument("inputs", nargs="+", metavar="INPUT", help="a .jsonl or .parquet file, or a folder of pages")
    silver.add_argument("--out", required=True, help="the dataset folder to write (or to resume)")
    silver.add_argument("--workers", type=int, default=1, help="tasks run at once (default 1)")
    silver.add_argument("--tasks", type=int, help="tasks the blocks are shared among (default: --workers)")
    silver.add_argument("--executor", choices=("local", "slurm", "ray"), default="local", help="DataTrove executor")
    silver.add_argument("--block-mb", type=float, default=16.0, help="input MB per output shard (default 16)")
    silver.add_argument("--partition", help="Slurm partition (--executor slurm)")
    silver.add_argument("--time", help="Slurm time limit per task, e.g. 24:00:00 (--executor slurm)")
    silver.add_argument("--venv", help="virtual environment the Slurm tasks activate (--executor slurm)")
    silver.set_defaults(func=_cmd_silver)
