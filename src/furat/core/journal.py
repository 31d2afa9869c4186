"""Crash-safe multi-file writes: a write set is staged, journalled, then committed.

``commit_files`` writes a set of files so that a process killed at any moment leaves either the old
files or the new ones, never a mix:

1. ``.furat-journal/journal.json`` is written (atomically) in state ``staging``, naming every
   temporary file it is about to create (``.<name>.furat-tmp``, beside its target);
2. the new contents go to those temporaries, each flushed to disk;
3. the journal is rewritten in state ``commit``: this rename is the moment the write set happens;
4. each temporary is renamed over its target, and the journal is removed.

``recover`` (run before every write set, and by the command line on the repository it works on)
finishes what a killed run left: a ``commit`` journal is replayed (the temporaries still there are
renamed into place), a ``staging`` one is discarded (its temporaries are removed). The journal lives
in the repository root found above the files (or their common folder); ``.furat-journal/`` and
``*.furat-tmp`` are git-ignored. One lock (``filelock``) serializes writers of one repository.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

from filelock import FileLock

from furat.core.findings import Finding, FuratError

__all__ = ["JOURNAL", "LOCK", "TMP_SUFFIX", "commit_files", "journal_base", "recover"]

JOURNAL = ".furat-journal"
LOCK = ".furat-journal.lock"
TMP_SUFFIX = ".furat-tmp"


def journal_base(paths: list[Path]) -> Path:
    """Where the journal of a write set lives: the repository above the files, else their common folder."""
    common = Path(os.path.commonpath([str(p.parent.absolute()) for p in paths]))
    for folder in (common, *common.parents):
        if (folder / "schema" / "labels.json").is_file() and (folder / "seeds").is_dir():
            return folder
    return common


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write(path: Path, content: str | bytes) -> None:
    data = content if isinstance(content, bytes) else content.encode("utf-8")  # text is written with LF as given
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _tmp(path: Path) -> Path:
    return path.with_name(f".{path.name}{TMP_SUFFIX}")


def _record(base: Path, state: str, pairs: list[tuple[Path, Path]]) -> None:
    folder = base / JOURNAL
    folder.mkdir(exist_ok=True)
    entries = [[os.path.relpath(tmp, base), os.path.relpath(target, base)] for tmp, target in pairs]
    staged = folder / f"journal.json{TMP_SUFFIX}"
    _write(staged, json.dumps({"state": state, "files": entries}))
    os.replace(staged, folder / "journal.json")
    _fsync_dir(folder)


def _clear(base: Path) -> None:
    folder = base / JOURNAL
    for name in ("journal.json", f"journal.json{TMP_SUFFIX}"):
        (folder / name).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        folder.rmdir()


def _recover_unlocked(base: Path) -> str | None:
    folder = base / JOURNAL
    if folder.is_symlink() or not folder.is_dir():
        return None
    try:
        data = json.loads((folder / "journal.json").read_text(encoding="utf-8"))
        state, entries = data["state"], [(base / tmp, base / target) for tmp, target in data["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        _clear(base)  # no journal, or one cut short before its rename: nothing was committed
        return None
    # Only ever touch temporaries of our own naming, inside the base folder.
    root = base.resolve()
    safe = [
        (tmp, target)
        for tmp, target in entries
        if tmp.name.endswith(TMP_SUFFIX)
        and tmp.parent.resolve().is_relative_to(root)
        and target.parent.resolve().is_relative_to(root)
    ]
    for tmp, target in safe:
        if state == "commit":
            if tmp.exists():
                os.replace(tmp, target)
        else:
            tmp.unlink(missing_ok=True)
    _clear(base)
    return "replayed" if state == "commit" else "discarded"


def recover(base: Path) -> str | None:
    """Finish or undo a write set that a killed run left in ``base``; what was done, or None."""
    if not (base / JOURNAL).exists():
        return None
    with FileLock(base / LOCK):
        return _recover_unlocked(base)


def _refuse_escapes(base: Path, targets: list[Path]) -> None:
    """Nothing is written through a symbolic link below ``base`` (a committed ``corpus -> /etc``) or over a folder."""
    for target in targets:
        part = target
        while part != base and part.is_relative_to(base):
            if part.is_symlink():
                message = f"{part} is a symbolic link (to {os.readlink(part)}); refusing to write through it"
                raise FuratError([Finding(target.as_posix(), 0, "outside-repo", message)], 2)
            part = part.parent
        if target.is_dir():
            raise FuratError([Finding(target.as_posix(), 0, "io-error", "is a folder; cannot write a file there")], 2)


def commit_files(files: Mapping[Path, str | bytes]) -> None:
    """Write every file (text, or bytes as they are) or none, surviving a kill at any moment (see the module)."""
    if not files:
        return
    targets = [Path(p).absolute() for p in files]
    base = journal_base(targets)
    _refuse_escapes(base, targets)
    with FileLock(base / LOCK):
        _recover_unlocked(base)
        pairs = [(_tmp(target), target) for target in targets]
        _record(base, "staging", pairs)
        try:
            for (tmp, target), content in zip(pairs, files.values(), strict=True):
                target.parent.mkdir(parents=True, exist_ok=True)
                _write(tmp, content)
        except BaseException:
            for tmp, _ in pairs:
                tmp.unlink(missing_ok=True)
            _clear(base)
            raise
        _record(base, "commit", pairs)
        for tmp, target in pairs:
            os.replace(tmp, target)
        for folder in {target.parent for target in targets}:
            _fsync_dir(folder)
        _clear(base)
