"""The command line as a user meets it."""

from __future__ import annotations

from pathlib import Path

from furat.core.repo import Repo
from tests.conftest import ROOT, run_furat


def test_help_lists_the_commands() -> None:
    result = run_furat("--help")
    assert result.returncode == 0
    for command in ("ingest", "summary", "eval", "bench", "quantities"):
        assert command in result.stdout


def test_usage_errors_exit_2() -> None:
    assert run_furat("no-such-command").returncode == 2


def test_outside_a_repository_says_so(tmp_path: Path) -> None:
    result = run_furat("summary", cwd=tmp_path)
    assert result.returncode == 2
    assert "error[no-repo]" in result.stderr and "Traceback" not in result.stderr


def test_summary_counts_the_corpus() -> None:
    result = run_furat("summary")
    assert result.returncode == 0
    assert f"{len(Repo(ROOT).manifest)} documents" in result.stdout and "المدى" in result.stdout


def test_quantities_reads_standard_input() -> None:
    result = run_furat("quantities", stdin="وبحوزتهم ما يصل إلى 200 مليون دولار نقدًا.\n")
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert '"text": "ما يصل إلى 200 مليون دولار"' in line and '"high": 200000000' in line and '"USD"' in line


def test_show_numbers_the_sentences_of_a_document() -> None:
    result = run_furat("show", "004")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[1].startswith("s000 [0:64] تحرير آخر جيوب «داعش» بسوريا")
    assert run_furat("show", "999").returncode == 2
