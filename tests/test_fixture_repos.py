"""The small Furat repositories kept as test fixtures (the pre-annotators' development and held-out sets,
the stance development set) stay valid repositories: their corpus is what their seeds and rules give, and
``furat validate`` finds no error in them. A fixture repository that drifts from the current schemas would
otherwise be scored without anyone noticing that it no longer passes the gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_furat

FIXTURE_REPOS = sorted(
    manifest.parent.parent.relative_to(Path(__file__).parent)
    for manifest in (Path(__file__).parent / "fixtures").glob("*/seeds/manifest.json")
    if (manifest.parent.parent / "annotations").is_dir()
)


def test_there_are_fixture_repositories_to_check() -> None:
    names = {p.name for p in FIXTURE_REPOS}
    assert {"preannotate_dev", "preannotate_test", "preannotate_train", "stance_dev"} <= names


@pytest.mark.parametrize("repo", FIXTURE_REPOS, ids=lambda p: p.name)
def test_a_fixture_repository_passes_the_gate(root: Path, repo: Path) -> None:
    where = root / "tests" / repo
    ingest = run_furat("--root", str(where), "ingest", "--check")
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    result = run_furat("--root", str(where), "validate", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not [f for f in json.loads(result.stdout) if f["level"] == "error"]
