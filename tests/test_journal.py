"""Multi-file writes survive a kill at any moment: the old files or the new ones, never a mix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from furat.core.findings import FuratError
from furat.core.journal import JOURNAL, TMP_SUFFIX, commit_files, recover

# Kill the writer at its n-th step: each staged file written and each rename is a step.
_KILLER = """
import os, sys
from pathlib import Path
import furat.core.journal as journal

limit, steps = int(sys.argv[2]), [0]
def step():
    steps[0] += 1
    if steps[0] == limit:
        os._exit(9)
real_write, real_replace = journal._write, os.replace
def write(path, content):
    step()
    real_write(path, content)
def replace(src, dst):
    step()
    real_replace(src, dst)
journal._write, os.replace = write, replace
root = Path(sys.argv[1])
journal.commit_files({root / "corpus" / f"d{i}.json": f"new {i}\\n" for i in range(5)})
print("steps", steps[0])
"""


def _scratch(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "schema").mkdir(parents=True)
    (root / "schema" / "labels.json").write_text("{}\n", encoding="utf-8")
    (root / "seeds").mkdir()
    (root / "corpus").mkdir()
    for i in range(5):
        (root / "corpus" / f"d{i}.json").write_text(f"old {i}\n", encoding="utf-8")
    return root


def _state(root: Path) -> set[str]:
    return {(root / "corpus" / f"d{i}.json").read_text(encoding="utf-8").split()[0] for i in range(5)}


def _run(root: Path, limit: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _KILLER, str(root), str(limit)], capture_output=True, text=True, check=False
    )


def test_a_kill_at_every_step_leaves_the_old_files_or_the_new_ones(tmp_path: Path) -> None:
    done = _run(_scratch(tmp_path / "count"), 0)
    assert done.returncode == 0, done.stderr
    total = int(done.stdout.split()[-1])
    assert total >= 12  # journal, five staged files, journal again, five renames
    outcomes = set()
    for limit in range(1, total + 1):
        root = _scratch(tmp_path / str(limit))
        killed = _run(root, limit)
        assert killed.returncode == 9, killed.stderr
        assert len(_state(root)) in (1, 2)  # a mix is possible only until the journal is replayed
        recover(root)
        state = _state(root)
        assert state in ({"old"}, {"new"}), (limit, state)
        outcomes |= state
        assert not list(root.rglob(f"*{TMP_SUFFIX}")) and not (root / JOURNAL).exists()
    assert outcomes == {"old", "new"}


def test_the_next_write_replays_a_committed_journal_first(tmp_path: Path) -> None:
    root = _scratch(tmp_path)
    done = _run(_scratch(tmp_path / "count"), 0)
    total = int(done.stdout.split()[-1])
    assert _run(root, total - 2).returncode == 9  # killed among the renames
    assert _state(root) == {"old", "new"}
    commit_files({root / "corpus" / "other.json": "x\n"})
    assert _state(root) == {"new"}


def test_written_files_have_the_usual_permissions(tmp_path: Path) -> None:
    root = _scratch(tmp_path)
    commit_files({root / "corpus" / "d0.json": "new\n", root / "corpus" / "d9.json": "new\n"})
    for name in ("d0.json", "d9.json"):
        assert (root / "corpus" / name).stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_nothing_is_written_through_a_symlinked_folder(tmp_path: Path) -> None:
    root = _scratch(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "annotations").symlink_to(outside)
    with pytest.raises(FuratError) as caught:
        commit_files({root / "annotations" / "x.json": "{}\n"})
    assert caught.value.findings[0].code == "outside-repo" and caught.value.exit_code == 2
    assert list(outside.iterdir()) == []
