"""``furat validate`` on several processes finds exactly what it finds on one."""

from __future__ import annotations

import json
from pathlib import Path

from furat.bench.synthetic import make_repository
from furat.check.parallel import MIN_PARALLEL_FILES, validate_repo_parallel
from furat.check.validate import validate_repo


def test_two_processes_report_the_same_findings_as_one(root: Path, tmp_path: Path) -> None:
    make_repository(root, tmp_path, MIN_PARALLEL_FILES // 2 + 10)
    corpus = sorted((tmp_path / "corpus").glob("*.json"))
    annotations = sorted((tmp_path / "annotations").glob("*.json"))
    # break a few files, in different chunks: a span that no longer matches its text, bad JSON,
    # an annotation file of a document that is gone, and a pass of an existing document
    data = json.loads(annotations[3].read_text("utf-8"))
    data["entities"][0]["end"] += 1
    annotations[3].write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    annotations[-2].write_text("{", "utf-8")
    corpus[len(corpus) // 2].unlink()
    passes = tmp_path / "annotations" / "passes" / corpus[7].stem
    passes.mkdir(parents=True)
    (passes / "model_a.json").write_text(annotations[7].read_text("utf-8").replace('"label": "GPE"', '"label": "XX"'))

    # and a file that says it is gold: its gold checks run on the process that checks its document
    data = json.loads(annotations[11].read_text("utf-8"))
    data["provenance"]["status"] = "gold"
    annotations[11].write_text(json.dumps(data, ensure_ascii=False), "utf-8")

    # and a seed edited after it was recorded: the parent checks the seeds while the workers check the files
    seed = sorted((tmp_path / "seeds").glob("*.txt"))[5]
    seed.write_bytes(seed.read_bytes() + b"x")

    one = validate_repo(tmp_path)
    two = validate_repo_parallel(tmp_path, workers=2)
    assert {f.code for f in one} >= {
        "span-text-mismatch",
        "json-truncated",
        "corpus-missing",
        "unknown-document",
        "seed-sha256-mismatch",
    }
    assert ("gold-provenance", f"annotations/{annotations[11].name}") in {(f.code, f.path) for f in one}
    assert two == one
