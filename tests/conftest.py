"""Shared fixtures: the real repository, its corpus built from the real seeds, and scratch copies."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from furat.core.model import Document
from furat.corpus.ingest import build_corpus

# CI runs the property tests on a fixed sequence of examples, so a run can be reproduced exactly;
# locally they explore new examples every time.
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# The suite runs the pure-Python source of what `furat compile` compiles, the quantity recognizer (the
# reference, which coverage measures) and the build's token pass (test_ner_arrays.py compares it with numpy);
# test_quantities_native.py and test_ner_pass_native.py compare the compiled modules with them. FURAT_NATIVE=1
# runs the suite on the compiled modules (once `furat compile` has made them).
# (No module imported above imports the recognizer: the stages below annotate never do.)
os.environ.setdefault("FURAT_NATIVE", "0")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def documents() -> dict[str, Document]:
    """The corpus as ingest builds it from the real seeds, by short id ("000" ... "004")."""
    return {doc.id[:3]: doc for doc in build_corpus(ROOT)}


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A scratch copy of the repository's data (seeds, schema, corpus) to break things in."""
    for part in ("seeds", "schema", "corpus"):
        shutil.copytree(ROOT / part, tmp_path / part)
    return tmp_path


def run_furat(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command line, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "furat", *args],
        cwd=cwd or ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )


FIXTURES = ROOT / "tests" / "fixtures"
INVALID_CASES = json.loads((FIXTURES / "invalid" / "EXPECTED.json").read_text(encoding="utf-8"))
DEFAULT_TARGET = "annotations/004_6a18982ae2c37ec8.json"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``invalid_case`` runs a test once per fixture in tests/fixtures/invalid/ (see EXPECTED.json)."""
    if "invalid_case" in metafunc.fixturenames:
        metafunc.parametrize("invalid_case", sorted(INVALID_CASES), ids=str)


def place_case(repo: Path, name: str) -> dict[str, object]:
    """Put one invalid fixture into a scratch repository: a file at its target, or a folder overlaid."""
    expected: dict[str, object] = INVALID_CASES[name]
    source = FIXTURES / "invalid" / name
    (repo / "annotations").mkdir(exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, repo, dirs_exist_ok=True)
    else:
        shutil.copyfile(FIXTURES / "invalid" / f"{name}.json", repo / str(expected.get("target", DEFAULT_TARGET)))
    return expected


def call_furat(repo: Path, *argv: str) -> int:
    """Run a command in-process through the real parser; a FuratError propagates to the test."""
    from furat.cli.main import build_parser

    args = build_parser().parse_args(["--root", str(repo), *argv])
    return int(args.func(args))
