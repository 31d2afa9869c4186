"""``furat silver``: plan the blocks, run the DataTrove pipeline, then write the dataset card.

The output folder is a Hugging Face dataset (``load_dataset(out, "entities")``)::

    out/README.md                                        the card: configs, features, counts, provenance
    out/data/<config>/train-<block>-of-<blocks>.parquet  documents, entities, quantities, ner
    out/.silver/plan.json                                the inputs and block size this folder was made with
    out/.silver/blocks/<block>.json                      a block's counts, written when it is complete
    out/.silver/logs/                                    DataTrove's logs, stats and completion markers

A rerun with the same inputs skips the tasks DataTrove has marked complete, and inside the others
the blocks already done; the card is written once every block is done.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from furat.core.findings import Finding, FuratError
from furat.core.progress import progress
from furat.silver.blocks import Block, plan_blocks
from furat.silver.card import write_card
from furat.silver.steps import STATE, AnnotateArticles, ReadBlocks, WriteBlocks, annotator_version, iter_done

__all__ = ["Executor", "SilverResult", "run_silver"]

Executor = Literal["local", "slurm", "ray"]
DEFAULT_BLOCK_MB = 16.0


@dataclass(frozen=True)
class SilverResult:
    out: Path
    blocks: int
    done: int  # blocks done when the command returned (less than ``blocks`` after a Slurm submission)
    documents: int
    rows: dict[str, int]
    skipped: dict[str, int]
    input_bytes: int
    seconds: float
    submitted: bool  # a cluster job was submitted and runs on after the command returns


def _usage(message: str) -> FuratError:
    return FuratError([Finding("furat silver", 0, "usage", message)], 2)


def _check_plan(out: Path, inputs: Sequence[Path], block_bytes: int, blocks: list[Block], tasks: int) -> None:
    """Record the plan; a folder made with other inputs, block size or task count is refused."""
    plan = {
        "inputs": [str(p.resolve()) for p in inputs],
        "block_bytes": block_bytes,
        "blocks": len(blocks),
        "tasks": tasks,
    }
    path = out / STATE / "plan.json"
    if path.is_file():
        old = json.loads(path.read_text(encoding="utf-8"))
        if old != plan:
            changed = ", ".join(k for k in plan if old.get(k) != plan[k])
            raise _usage(f"{out} holds a run with other {changed}; rerun with the same settings or use a new --out")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(plan, indent=2) + "\n", encoding="utf-8")


def _pipeline(root: Path, out: Path, blocks: list[Block]) -> list[Any]:
    from furat.annotate.preannotate import curated_gazetteer, gold_gazetteer
    from furat.core.repo import Repo

    names = {**curated_gazetteer(), **gold_gazetteer(Repo(root).gold_sets().values())}
    return [
        ReadBlocks(blocks, str(out)),
        AnnotateArticles(str(root), names, annotator_version(root, names)),
        WriteBlocks(str(root), str(out), len(blocks)),
    ]


def _local_executor(pipeline: list[Any], tasks: int, workers: int, logs: Path) -> Any:
    from loguru import logger

    from furat.silver.steps import QuietLocalExecutor

    logger.remove()
    return QuietLocalExecutor(pipeline, tasks=tasks, workers=workers, logging_dir=str(logs), start_method="spawn")


def _activate(venv: str | None) -> str | None:
    """The activate script of a virtual environment (Slurm tasks ``source`` it), given the folder or the script."""
    if not venv or venv.endswith("activate"):
        return venv
    return str(Path(venv).resolve() / "bin" / "activate")


def _cluster_executor(kind: Executor, pipeline: list[Any], tasks: int, workers: int, logs: Path, **options: Any) -> Any:
    if kind == "slurm":
        from datatrove.executor.slurm import SlurmPipelineExecutor

        return SlurmPipelineExecutor(
            pipeline,
            tasks=tasks,
            workers=workers if workers > 0 else -1,
            time=options.get("time") or "24:00:00",
            partition=options.get("partition") or "",
            job_name="furat-silver",
            logging_dir=str(logs),
            venv_path=_activate(options.get("venv_path")),
            mem_per_cpu_gb=2,
        )
    try:
        import ray  # noqa: F401
    except ImportError:
        raise _usage("--executor ray needs Ray: pip install -e '.[ray]'") from None
    from datatrove.executor.ray import RayPipelineExecutor

    return RayPipelineExecutor(pipeline, tasks=tasks, workers=workers, logging_dir=str(logs), mem_per_cpu_gb=2)


def _run_cluster(job: Any, kind: Executor) -> None:
    """Run (Ray) or submit (Slurm) the job; a missing ``sbatch`` is a usage error, after the job's
    script, pickled pipeline and ranks are written to ``.silver/logs/``."""
    if kind == "ray":
        import ray

        if not ray.is_initialized():
            ray.init()  # the cluster of RAY_ADDRESS or of `ray start` on this machine, else a local one
    try:
        job.run()
    except FileNotFoundError as exc:
        if kind == "slurm" and "sbatch" in str(exc):
            script = Path(job.logging_dir.resolve_paths("launch_script.slurm"))
            raise _usage(f"sbatch not found: run on a Slurm login node (the job script is {script})") from None
        raise


def _watch(out: Path, total: int, total_bytes: int, stop: threading.Event) -> None:
    """A progress bar over blocks done (with documents), read from the blocks' statistics files."""
    seen: set[int] = set()
    with progress("silver", total=total, unit="block") as bar:
        while True:
            finished = stop.is_set()
            for stats in iter_done(out):
                if stats["block"] not in seen:
                    seen.add(stats["block"])
                    bar.update(1, documents=stats["documents"])
            if finished:
                return
            stop.wait(0.5)


def summarize(out: Path, blocks: int) -> tuple[int, int, dict[str, int], dict[str, int], int]:
    """(blocks done, documents, rows per config, skipped per reason, input bytes) of the blocks done."""
    done = documents = size = 0
    rows: dict[str, int] = {}
    skipped: dict[str, int] = {}
    for stats in iter_done(out):
        if stats["block"] >= blocks:
            continue
        done += 1
        documents += stats["documents"]
        size += stats["input_bytes"]
        for config, n in stats["rows"].items():
            rows[config] = rows.get(config, 0) + n
        for code, n in stats["skipped"].items():
            skipped[code] = skipped.get(code, 0) + n
    return done, documents, rows, skipped, size


def run_silver(
    root: Path,
    inputs: Sequence[Path],
    out: Path,
    *,
    workers: int = 1,
    tasks: int | None = None,
    executor: Executor = "local",
    block_mb: float = DEFAULT_BLOCK_MB,
    cluster: dict[str, Any] | None = None,
    after_plan: Callable[[list[Block]], None] | None = None,
) -> SilverResult:
    """Silver-annotate ``inputs`` into the dataset folder ``out``; resumes a run killed before it finished."""
    root, out = root.resolve(), out.resolve()
    inputs = [path.resolve() for path in inputs]  # cluster tasks may start in another directory
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        raise _usage(f"no such input: {missing[0]}")
    if workers < 1 or (tasks is not None and tasks < 1) or block_mb <= 0:
        raise _usage("--workers, --tasks and --block-mb must be positive")
    block_bytes = max(1, int(block_mb * 1_000_000))
    try:
        blocks = plan_blocks(inputs, block_bytes)
    except (ValueError, OSError) as exc:
        raise _usage(str(exc)) from None
    if not blocks:
        raise _usage("the inputs hold no articles")
    tasks = tasks or max(workers, 1)
    _check_plan(out, inputs, block_bytes, blocks, tasks)
    if after_plan is not None:
        after_plan(blocks)
    pipeline = _pipeline(root, out, blocks)
    logs = out / STATE / "logs"
    clock = time.perf_counter()
    if executor == "local":
        stop = threading.Event()
        watcher = threading.Thread(target=_watch, args=(out, len(blocks), sum(b.size for b in blocks), stop))
        watcher.start()
        try:
            _local_executor(pipeline, tasks, workers, logs).run()
        finally:
            stop.set()
            watcher.join()
    else:
        _run_cluster(_cluster_executor(executor, pipeline, tasks, workers, logs, **(cluster or {})), executor)
    done, documents, rows, skipped, size = summarize(out, len(blocks))
    if done == len(blocks):
        from furat.silver.duplicates import duplicate_ids

        repeats = duplicate_ids(out, blocks)
        if repeats:  # the rows are written, but the dataset is not declared done: no card
            raise FuratError(repeats, 1)
        write_card(root, out, len(blocks), documents, rows, skipped, size)
    return SilverResult(
        out, len(blocks), done, documents, rows, skipped, size, time.perf_counter() - clock, done < len(blocks)
    )
