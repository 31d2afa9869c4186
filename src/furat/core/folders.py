"""Folders written whole: a finished folder takes the place of the old one in one step.

``furat build`` and ``furat view`` write into a temporary folder beside their output and then swap it
into place, so the output is never half written and never absent (ARCHITECTURE.md, "Data flow").
"""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from pathlib import Path

__all__ = ["swap_into_place"]


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux ``renameat2``); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this file system cannot; rename instead
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def swap_into_place(tmp: Path, out: Path) -> None:
    """Put the finished folder ``tmp`` in place of ``out`` in one step; the old one is then removed.

    Where the system cannot exchange two folders atomically, the old folder is renamed aside first
    (and put back if the second rename fails).
    """
    os.chmod(tmp, 0o755)
    if out.is_dir() and not out.is_symlink() and _exchange(tmp, out):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old folder
        return
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
        os.rename(out, old / out.name)
    try:
        os.rename(tmp, out)
    except BaseException:
        if old is not None:
            os.rename(old / out.name, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
