"""Which files of a repository ``furat validate`` reads: real files inside it, with their exact extension.

A symbolic link (to a file or a folder) is a finding, never followed: a link committed into
``annotations/`` or ``corpus/`` could point anywhere on the machine that runs the gate. A file named
``*.JSON`` (or any other case) is a finding rather than a file silently left out.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

__all__ = ["data_files"]

Report = Callable[[str, str, str], None]  # (relative path, code, message)


def data_files(root: Path, folder: Path, report: Report, *, recursive: bool) -> list[Path]:
    """The ``*.json`` files in ``folder`` (and below when ``recursive``), sorted; findings for the rest."""
    if folder.is_symlink():
        report(folder.relative_to(root).as_posix(), "symlink", f"is a symbolic link (to {os.readlink(folder)})")
        return []
    if not folder.is_dir():
        return []
    found: list[tuple[tuple[str, ...], Path]] = []  # (the path's parts, the path): sorted by its parts
    for here, dirs, files in os.walk(folder, followlinks=False):
        base = Path(here)
        parts = base.parts
        for name in sorted(dirs):
            path = base / name
            if path.is_symlink():
                report(path.relative_to(root).as_posix(), "symlink", f"is a symbolic link (to {os.readlink(path)})")
            elif path.suffix.lower() == ".json":
                report(path.relative_to(root).as_posix(), "io-error", "is a folder, not a file: cannot read it")
        if not recursive:
            dirs.clear()
        for name in files:
            path = base / name
            suffix = path.suffix
            if suffix == ".json":
                found.append(((*parts, name), path))  # symlinks are reported when read
            elif suffix.lower() == ".json":
                message = f"ends in {suffix!r}: Furat reads only files ending in '.json'; rename it"
                report(path.relative_to(root).as_posix(), "file-extension", message)
    found.sort()  # by the parts (each path's are its own, so paths are never compared)
    return [path for _, path in found]
