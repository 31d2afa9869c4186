"""Progress of long work: plain lines with counts and rate off a terminal, nothing with --quiet."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from furat.core import progress as progress_module
from furat.core.progress import Progress


def test_off_a_terminal_progress_is_plain_lines_with_counts_and_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FURAT_QUIET", raising=False)
    monkeypatch.setattr(progress_module, "PLAIN_EVERY", 0.0)
    stream = io.StringIO()
    bar = Progress("build", 3, "doc", stream)
    for _ in range(3):
        bar.update(1, rows=10)
    bar.close()
    lines = stream.getvalue().splitlines()
    assert lines[-1].startswith("build: 3/3 docs, 30 rows (") and lines[-1].endswith(" doc/s)")
    assert "\r" not in stream.getvalue()


def test_quiet_prints_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FURAT_QUIET", "1")
    monkeypatch.setattr(progress_module, "PLAIN_EVERY", 0.0)
    stream = io.StringIO()
    bar = Progress("build", 3, "doc", stream)
    bar.update(3)
    bar.close()
    assert stream.getvalue() == ""


def test_the_global_quiet_flag_is_accepted_before_any_command(root: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "furat", "--root", str(root), "--quiet", "ingest", "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stderr == ""
