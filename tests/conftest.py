"""Shared fixtures: the real repository, its corpus built from the real seeds, and scratch copies."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from furat.ingest import build_corpus
from furat.model import Document

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
