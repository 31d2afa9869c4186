"""Sentence boundaries against the hand-made gold, Furat beside pysbd, and the benchmark's shape."""

from __future__ import annotations

import json
from pathlib import Path

from furat.annotate.evaluation import pysbd_segmenter, sentence_scores
from furat.core.model import Document
from tests.conftest import run_furat


def test_furat_meets_the_target_and_beats_pysbd(root: Path, documents: dict[str, Document]) -> None:
    furat, pysbd = sentence_scores(root, list(documents.values()), {"pysbd": pysbd_segmenter()})
    assert furat.true_positives + furat.false_negatives >= 10, "the gold has real inner boundaries"
    assert furat.precision >= 0.98 and furat.recall >= 0.98
    assert furat.f1 > pysbd.f1


def test_gold_files_cover_at_least_two_whole_articles(root: Path, documents: dict[str, Document]) -> None:
    gold = [d for d in documents.values() if (root / "tests/data/sentences" / f"{d.id}.txt").is_file()]
    assert len(gold) >= 2


def test_eval_command_prints_both_systems_in_one_run() -> None:
    result = run_furat("eval", "sentences", "--json")
    assert result.returncode == 0, result.stderr
    systems = {row["system"]: row for row in json.loads(result.stdout)}
    assert set(systems) == {"furat", "pysbd"}
    assert all(0.0 <= row["precision"] <= 1.0 for row in systems.values())


def test_bench_writes_figures(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = run_furat(
        "bench", "--size-mb", "0.2", "--stage", "segment_sentences", "--stage", "tokenize", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))
    stage = figures["stages"]["segment_sentences"]
    assert stage["input_mb"] >= 0.2 and stage["sentences"] > 0 and stage["mb_per_s"] > 0
    assert figures["stages"]["tokenize"]["tokens"] > 0
    assert stage["cpu_seconds"] > 0 and stage["mb_per_cpu_s"] > 0 and stage["over_floor_cpu"] > 0
    assert "in CPU time" in result.stdout


def test_bench_refuses_an_unknown_stage() -> None:
    result = run_furat("bench", "--stage", "nope")
    assert result.returncode == 2 and "error[usage]" in result.stderr


def test_bench_validate_stage_runs_on_a_valid_synthetic_repository(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = run_furat("bench", "--docs", "20", "--stage", "validate", "--out", str(out))
    assert result.returncode == 0, result.stderr
    stage = json.loads(out.read_text(encoding="utf-8"))["stages"]["validate"]
    assert stage["documents"] == 20 and stage["files"] == 40 and stage["findings"] == 0
    assert stage["json_loads_seconds"] > 0 and stage["plain_jsonschema_seconds"] > 0
    assert stage["parse_and_schema_seconds"] > 0 and stage["parse_and_schema_valid_files"] == stage["files"]
    assert stage["json_loads_every_core_seconds"] > 0 and "json.loads itself on" in result.stdout


def test_bench_build_stage_gives_its_cpu_beside_its_time(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = run_furat("bench", "--docs", "5", "--stage", "build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    stage = json.loads(out.read_text(encoding="utf-8"))["stages"]["build"]
    assert stage["cpu_seconds"] > 0 and stage["floor_cpu_seconds"] >= 0
    assert f"build: {stage['cpu_seconds']} s of CPU in all its processes" in result.stdout
