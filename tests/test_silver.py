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

from furat.annotate.evaluation import preannotator_scores
from furat.bench.synthetic import synthetic_articles, write_articles
from furat.core.progress import set_quiet
from furat.corpus.ingest import build_corpus
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
    score = preannotator_scores(root)
    assert f"precision: {round(score.entities.precision, 4)}" in card
    assert score.quantities is not None
    assert f"recall: {round(score.quantities.recall, 4)}" in card


def test_a_killed_run_reruns_only_its_unfinished_tasks(
    root: Path, articles: Path, one_worker: Path, tmp_path: Path
) -> None:
    out = tmp_path / "killed"
    tasks = 8
    command = [sys.executable, "-m", "furat", "--root", str(root), "--quiet", "silver", str(articles)]
    command += ["--out", str(out), "--workers", "1", "--tasks", str(tasks), "--block-mb", str(BLOCK_MB)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    completions = out / STATE / "logs" / "completions"
    deadline = time.monotonic() + 120
    while not (completions / "00000").exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
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


def test_a_folder_of_pages_is_cleaned_as_furat_ingest_cleans_the_seeds(root: Path, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for seed in sorted((root / "seeds").glob("*.txt")):
        shutil.copyfile(seed, pages / seed.name)
    out = tmp_path / "from-pages"
    run_silver(root, [pages], out, workers=1)
    texts = {row["id"]: row["text"] for row in _rows(out, "documents")}
    corpus = {doc.meta.seed_file.removesuffix(".txt"): doc for doc in build_corpus(root)}
    assert texts.keys() == corpus.keys()
    for name, doc in corpus.items():
        assert texts[name] == doc.text
