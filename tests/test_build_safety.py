"""``furat build`` writes and deletes only its own folder: links refused, one build at a time, never absent."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from furat.core.findings import FuratError
from furat.core.folders import swap_into_place
from furat.dataset.build import build_dataset
from furat.dataset.summary import DIST
from tests.conftest import run_furat
from tests.test_build import make_scratch, offline  # noqa: F401 - the fixture


def test_a_committed_dist_symlink_is_refused_and_nothing_outside_is_deleted(tmp_path: Path) -> None:
    repo = make_scratch(tmp_path / "repo")
    outside = tmp_path / "outside"
    (outside / "dataset").mkdir(parents=True)
    (outside / "dataset" / "keep.txt").write_text("mine\n", encoding="utf-8")
    (repo / "dist").symlink_to(outside)
    result = run_furat("--root", str(repo), "build")
    assert result.returncode == 2 and "error[symlink]" in result.stderr and "Traceback" not in result.stderr
    assert (outside / "dataset" / "keep.txt").read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in outside.iterdir()) == ["dataset"]


def test_a_second_build_while_one_runs_is_refused_with_a_clear_finding(tmp_path: Path) -> None:
    import fcntl

    repo = make_scratch(tmp_path / "repo")
    (repo / "dist").mkdir()
    fd = os.open(repo / "dist", os.O_RDONLY)  # what a running build holds
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        result = run_furat("--root", str(repo), "build")
    finally:
        os.close(fd)
    assert result.returncode == 2 and "error[build-locked]" in result.stderr
    assert not (repo / DIST).exists()


def test_a_killed_builds_temporary_folders_are_removed_by_the_next(tmp_path: Path, offline: None) -> None:  # noqa: F811
    repo = make_scratch(tmp_path / "repo")
    for name in (".dataset-abc123.tmp", ".dataset-old-xyz"):
        (repo / "dist" / name / "data").mkdir(parents=True)
    build_dataset(repo)
    assert sorted(p.name for p in (repo / "dist").iterdir()) == ["dataset"]


def test_the_dataset_folder_is_never_absent_while_a_new_build_is_swapped_in(tmp_path: Path) -> None:
    out = tmp_path / "dist" / "dataset"
    out.mkdir(parents=True)
    (out / "README.md").write_text("0\n", encoding="utf-8")
    missing: list[int] = []
    stop = threading.Event()

    def watch() -> None:
        # The name is looked up in one step. (A lookup of README.md through it can start in the old
        # folder and end after the swap has removed that folder: that is the old folder going away,
        # not the name being absent.)
        while not stop.is_set():
            if not out.is_dir():
                missing.append(1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for n in range(1, 200):
            new = tmp_path / "dist" / f".dataset-{n}.tmp"
            new.mkdir()
            (new / "README.md").write_text(f"{n}\n", encoding="utf-8")
            swap_into_place(new, out)
    finally:
        stop.set()
        watcher.join()
    assert missing == []
    assert (out / "README.md").read_text(encoding="utf-8") == "199\n"
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == ["dataset"]


def test_an_explicit_out_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    repo = make_scratch(tmp_path / "repo")
    target = tmp_path / "elsewhere"
    target.mkdir()
    (tmp_path / "link").symlink_to(target)
    with pytest.raises(FuratError) as caught:
        build_dataset(repo, tmp_path / "link")
    assert caught.value.findings[0].code == "symlink" and caught.value.exit_code == 2
