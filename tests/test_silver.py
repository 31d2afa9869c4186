"""``furat silver``: the same rows for any number of workers and tasks, resumable, loadable.

The input is synthetic: the real seed articles, each copy with a closing line of its own, so no two
are equal. Runs use DataTrove's local executor and a small block size, so there are several blocks.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from furat.annotate.evaluation import held_out_scores, preannotator_scores, unseen_scores
from furat.annotate.preannotate import predictions
from furat.bench.synthetic import synthetic_articles, write_articles
from furat.core.progress import set_quiet
from furat.corpus.ingest import build_corpus
from furat.dataset.features import config_features
from furat.silver.blocks import plan_blocks
from furat.silver.card import GOLD_EVALUATION, HELD_OUT_EVALUATION, UNSEEN_EVALUATION
from furat.silver.duplicates import duplicate_ids
from furat.silver.run import run_silver
from furat.silver.steps import CONFIGS, STATE

ARTICLES = 120
BLOCK_MB = 0.12


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted((out / "data").rglob("*.parquet"))}


def _rows(out: Path, config: str) -> list[dict[str, Any]]:
    return [
        row for path in sorted((out / "data" / config).glob("*.parquet")) for row in pq.read_table(path).to_pylist()
    ]


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory, root: Path) -> Path:
    set_quiet(True)
    path = tmp_path_factory.mktemp("silver-input") / "articles.jsonl"
    write_articles(root, path, ARTICLES)
    return path


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory: pytest.TempPathFactory, root: Path, articles: Path) -> Path:
    out = tmp_path_factory.mktemp("silver") / "one"
    run_silver(root, [articles], out, workers=1, tasks=1, block_mb=BLOCK_MB)
    return out


def test_one_worker_and_two_workers_write_the_same_rows(
    root: Path, articles: Path, one_worker: Path, tmp_path: Path
) -> None:
    two = tmp_path / "two"
    result = run_silver(root, [articles], two, workers=2, tasks=3, block_mb=BLOCK_MB)
    assert result.blocks > 3  # more blocks than tasks, so tasks share them out
    assert _files(two) == _files(one_worker)  # byte for byte: same shards, same rows, same order
    ids = [json.loads(line)["id"] for line in articles.read_text("utf-8").splitlines()]
    assert [row["id"] for row in _rows(two, "documents")] == ids
    assert result.documents == len(ids) and not result.skipped


def test_the_output_loads_with_load_dataset_and_its_card_says_silver(root: Path, one_worker: Path) -> None:
    from datasets import load_dataset

    from furat.dataset.build import quiet_datasets

    with quiet_datasets():
        ner = load_dataset(str(one_worker), "ner", split="train")
        entities = load_dataset(str(one_worker), "entities", split="train")
    names = ner.features["ner_tags"].feature.names
    assert len(ner) == len(_rows(one_worker, "ner"))
    tagged = {names[t] for row in ner for t in row["ner_tags"]}
    assert "O" in tagged and any(t.startswith("B-") for t in tagged)
    label = entities.features["label"]
    documents = {row["id"]: row["text"] for row in _rows(one_worker, "documents")}
    for row in entities.select(range(min(50, len(entities)))):
        assert documents[row["doc_id"]][row["start"] : row["end"]] == row["text"]
        assert label.int2str(row["label"]) in ("PER", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT")
    card = (one_worker / "README.md").read_text("utf-8")
    assert "\nannotation_status: silver\n" in card


def test_the_card_gives_the_scores_of_the_evaluation_and_names_its_sets(root: Path, one_worker: Path) -> None:
    from huggingface_hub import DatasetCard

    card = (one_worker / "README.md").read_text("utf-8")
    figures = DatasetCard(card).data["preannotator_scores"]
    gold = preannotator_scores(root)  # the evaluation of `furat eval preannotator`, run again here
    assert figures["evaluation"] == GOLD_EVALUATION and figures["gold_documents"] == gold.documents
    assert figures["entities"]["precision"] == round(gold.entities.precision, 4)
    assert figures["entities"]["recall"] == round(gold.entities.recall, 4)
    assert gold.quantities is not None
    assert figures["quantities"]["recall"] == round(gold.quantities.recall, 4)
    unseen = unseen_scores(root)
    assert unseen is not None, "the repository has its frozen development set"
    assert figures["unseen"]["evaluation"] == UNSEEN_EVALUATION
    assert figures["unseen"]["entities"]["precision"] == round(unseen.entities.precision, 4)
    held_out = held_out_scores(root)
    assert held_out is not None, "the repository has its held-out test set"
    assert figures["held_out"]["evaluation"] == HELD_OUT_EVALUATION
    assert figures["held_out"]["entities"]["recall"] == round(held_out.entities.recall, 4)
    assert f"on {HELD_OUT_EVALUATION}, {held_out.documents} documents" in card
    assert f"on {GOLD_EVALUATION}, {gold.documents} documents" in card
    assert f"entities precision {gold.entities.precision:.3f}, recall {gold.entities.recall:.3f}" in card


def test_a_killed_run_reruns_only_its_unfinished_tasks(
    root: Path, articles: Path, one_worker: Path, tmp_path: Path
) -> None:
    out = tmp_path / "killed"
    tasks = 8
    command = [sys.executable, "-m", "furat", "--root", str(root), "--quiet", "silver", str(articles)]
    command += ["--out", str(out), "--workers", "1", "--tasks", str(tasks), "--block-mb", str(BLOCK_MB)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    completions = out / STATE / "logs" / "completions"
    deadline = time.monotonic() + 120
    while not (completions / "00000").exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the run and every process it started, as when a node is lost
    proc.wait()
    finished = sorted(p.name for p in completions.iterdir())
    assert finished and len(finished) < tasks, "the run was killed after some tasks and before the last"
    assert not (out / "README.md").exists()
    before = {p: p.stat().st_mtime_ns for p in (out / "data").rglob("*.parquet")}

    result = run_silver(root, [articles], out, workers=1, tasks=tasks, block_mb=BLOCK_MB)

    assert result.done == result.blocks
    assert _files(out) == _files(one_worker)
    rewritten = {p for p, mtime in before.items() if p.stat().st_mtime_ns != mtime}
    assert not rewritten, "blocks of finished tasks were written again"
    assert (out / "README.md").is_file()


def test_a_run_with_other_settings_is_refused(root: Path, articles: Path, one_worker: Path, tmp_path: Path) -> None:
    from furat.core.findings import FuratError

    out = tmp_path / "copy"
    shutil.copytree(one_worker, out)
    with pytest.raises(FuratError) as error:
        run_silver(root, [articles], out, workers=1, tasks=2, block_mb=BLOCK_MB)
    assert error.value.exit_code == 2 and "tasks" in error.value.findings[0].message


def test_parquet_input_gives_the_rows_of_the_same_articles_as_json_lines(
    root: Path, articles: Path, one_worker: Path, tmp_path: Path
) -> None:
    table = pa.Table.from_pylist(list(synthetic_articles(root, ARTICLES)))
    path = tmp_path / "articles.parquet"
    pq.write_table(table, path, row_group_size=ARTICLES // 4)
    out = tmp_path / "from-parquet"
    run_silver(root, [path], out, workers=1, block_mb=BLOCK_MB)
    for config in CONFIGS:
        assert _rows(out, config) == _rows(one_worker, config)


@pytest.fixture(scope="module")
def from_pages(tmp_path_factory: pytest.TempPathFactory, root: Path) -> Path:
    pages = tmp_path_factory.mktemp("silver-pages") / "pages"
    pages.mkdir()
    for seed in sorted((root / "seeds").glob("*.txt")):
        shutil.copyfile(seed, pages / seed.name)
    out = pages.parent / "from-pages"
    run_silver(root, [pages], out, workers=1)
    return out


def test_a_folder_of_pages_is_cleaned_as_furat_ingest_cleans_the_seeds(root: Path, from_pages: Path) -> None:
    texts = {row["id"]: row["text"] for row in _rows(from_pages, "documents")}
    corpus = {doc.meta.seed_file.removesuffix(".txt"): doc for doc in build_corpus(root)}
    assert texts.keys() == corpus.keys()
    for name, doc in corpus.items():
        assert texts[name] == doc.text


def test_silver_labels_are_those_of_the_pre_annotator_the_card_scores(root: Path, from_pages: Path) -> None:
    """Silver predicts as `furat preannotate` and the evaluation do (names, library gazetteers and rules):
    a seed page gets the entities `predictions` gives its corpus document."""
    labels = config_features(root / "schema")["entities"]["label"].names
    found: dict[str, list[tuple[int, int, str]]] = {}
    for row in _rows(from_pages, "entities"):
        found.setdefault(row["doc_id"], []).append((row["start"], row["end"], labels[row["label"]]))
    expected = predictions(root)
    corpus = {doc.meta.seed_file.removesuffix(".txt"): doc.id for doc in build_corpus(root)}
    assert any(found.values())
    for name, doc_id in corpus.items():
        assert sorted(found.get(name, [])) == sorted((e.start, e.end, e.label) for e in expected[doc_id].entities)


def _duplicated(articles: Path, tmp_path: Path) -> tuple[Path, Path, list[str]]:
    """A copy of the articles and a second file that repeats two of their ids (its lines 2 and 4)."""
    lines = articles.read_text("utf-8").splitlines()
    first = tmp_path / "first.jsonl"
    first.write_text("\n".join(lines[:30]) + "\n", encoding="utf-8")
    again = [json.loads(lines[3]), json.loads(lines[17])]
    second = tmp_path / "second.jsonl"
    extra = [
        json.dumps({**json.loads(line), "id": f"extra_{n}"}, ensure_ascii=False) for n, line in enumerate(lines[30:33])
    ]
    rows = [extra[0], json.dumps(again[0], ensure_ascii=False), extra[1], json.dumps(again[1], ensure_ascii=False)]
    second.write_text("\n".join([*rows, extra[2]]) + "\n", encoding="utf-8")
    return first, second, [again[0]["id"], again[1]["id"]]


def test_a_repeated_id_is_found_at_its_file_and_line_for_any_number_of_workers(
    root: Path, articles: Path, tmp_path: Path
) -> None:
    from furat.core.findings import FuratError

    first, second, repeated = _duplicated(articles, tmp_path)
    seen = []
    for workers, tasks in ((1, 1), (2, 3)):
        out = tmp_path / f"out-{workers}-{tasks}"
        with pytest.raises(FuratError) as error:
            run_silver(root, [first, second], out, workers=workers, tasks=tasks, block_mb=0.05)
        assert error.value.exit_code == 1
        assert not (out / "README.md").exists(), "a dataset with repeated ids is not declared done"
        seen.append([(f.path, f.line, f.code, f.message) for f in error.value.findings])
    assert seen[0] == seen[1]
    assert [(path, line) for path, line, _, _ in seen[0]] == [(str(second), 2), (str(second), 4)]
    # ids dealt into parts by their hash, a few ids a part (at scale, millions): the same findings
    blocks = plan_blocks([first.resolve(), second.resolve()], 50_000)
    out = (tmp_path / "out-1-1").resolve()
    for part_ids in (1, 3, 1000):
        found = duplicate_ids(out, blocks, part_ids=part_ids)
        assert [(f.path, f.line, f.code, f.message) for f in found] == seen[0]
    assert not (out / ".silver" / "id-parts").exists()
    for (_, _, code, message), doc_id, line in zip(seen[0], repeated, (4, 18), strict=True):
        assert code == "silver-duplicate-id"
        assert f"{doc_id!r} is used again (first at {first} line {line})" in message


def test_the_cli_prints_repeated_ids_and_exits_1(root: Path, articles: Path, tmp_path: Path) -> None:
    first, second, repeated = _duplicated(articles, tmp_path)
    command = [sys.executable, "-m", "furat", "--root", str(root), "--quiet", "silver", str(first), str(second)]
    done = subprocess.run([*command, "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert f"{second}:2: error[silver-duplicate-id] document id {repeated[0]!r}" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(shutil.which("sbatch") is not None, reason="this machine has Slurm: the test would submit a job")
def test_slurm_writes_its_job_script_and_its_array_tasks_write_the_same_rows(
    root: Path, articles: Path, one_worker: Path, tmp_path: Path
) -> None:
    """Everything up to ``sbatch`` runs here; each array task is then run as Slurm would run it."""
    from furat.core.findings import FuratError

    out = tmp_path / "slurm"
    venv = Path(sys.executable).parent.parent
    cluster = {"partition": "cpu", "time": "02:00:00", "venv_path": str(venv)}
    settings: dict[str, Any] = {"workers": 2, "tasks": 3, "block_mb": BLOCK_MB, "executor": "slurm", "cluster": cluster}
    with pytest.raises(FuratError) as error:
        run_silver(root, [articles], out, **settings)
    assert error.value.exit_code == 2 and "sbatch not found" in error.value.findings[0].message
    logs = out / STATE / "logs"
    script = (logs / "launch_script.slurm").read_text("utf-8")
    assert script.startswith("#!/bin/bash\n")
    for line in (
        "#SBATCH --array=0-2%2",
        "#SBATCH --partition=cpu",
        "#SBATCH --time=02:00:00",
        "#SBATCH --cpus-per-task=1",
    ):
        assert line + "\n" in script
    assert f"source {venv / 'bin' / 'activate'}\n" in script
    assert f"launch_pickled_pipeline {logs / 'executor.pik'}\n" in script

    # What each task of the array runs on its node. A task asks Slurm's `scontrol` for its node names:
    # here a stand-in script answers with this machine's name.
    bin_dir = tmp_path / "slurm-bin"
    bin_dir.mkdir()
    (bin_dir / "scontrol").write_text("#!/bin/sh\nhostname\n", encoding="utf-8")
    (bin_dir / "scontrol").chmod(0o755)
    path = f"{bin_dir}{os.pathsep}{os.environ['PATH']}"
    for task in range(3):
        env = {**os.environ, "PATH": path, "SLURM_ARRAY_TASK_ID": str(task), "SLURM_NODELIST": "node1"}
        command = [str(venv / "bin" / "launch_pickled_pipeline"), str(logs / "executor.pik")]
        subprocess.run(command, env=env, check=True, capture_output=True)
    result = run_silver(root, [articles], out, **settings)  # every task done: nothing to submit, the card

    assert result.done == result.blocks and not result.submitted
    assert _files(out) == _files(one_worker)
    assert (out / "README.md").is_file()


def test_ray_runs_the_tasks_on_a_local_cluster_and_writes_the_same_rows(
    root: Path, articles: Path, one_worker: Path, tmp_path: Path
) -> None:
    ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install -e '.[ray]'")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        out = tmp_path / "ray"
        result = run_silver(root, [articles], out, workers=2, tasks=3, block_mb=BLOCK_MB, executor="ray")
    finally:
        ray.shutdown()
    assert result.done == result.blocks and not result.submitted
    assert _files(out) == _files(one_worker)
    assert (out / "README.md").is_file()


def test_the_id_parts_on_disk_are_removed_even_when_an_id_file_is_broken(tmp_path: Path) -> None:
    from furat.silver.blocks import Block
    from furat.silver.steps import ids_file, write_ids

    blocks = [Block(index, "jsonl", str(tmp_path / "in.jsonl"), 0, 1, 1) for index in range(3)]
    for block in blocks:
        write_ids(tmp_path, block.index, [f"doc_{block.index}_{n}" for n in range(5)], ["x"] * 5)
    assert duplicate_ids(tmp_path, blocks, part_ids=2) == []
    pq.write_table(pa.table({"name": ["not an id column"]}), ids_file(tmp_path, 2))
    with pytest.raises(ValueError):  # pyarrow: no column named "id"
        duplicate_ids(tmp_path, blocks, part_ids=2)
    assert not list((tmp_path / STATE).glob("id-parts*"))
