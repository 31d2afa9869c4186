"""JSON files the way Furat keeps them: pretty, stable key order, LF, and written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["dumps", "read_json_cached", "write_files_atomically"]

_WIDTH = 110


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _is_leaf(value: Any) -> bool:
    if isinstance(value, dict):
        return all(not isinstance(v, (dict, list)) for v in value.values())
    if isinstance(value, list):
        return all(not isinstance(v, (dict, list)) for v in value)
    return True


def _dump(value: Any, indent: int) -> str:
    pad = "  " * (indent + 1)
    if _is_leaf(value):
        one_line = _compact(value)
        if not isinstance(value, (dict, list)) or len(one_line) + len(pad) <= _WIDTH:
            return one_line
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{pad}{json.dumps(k, ensure_ascii=False)}: {_dump(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * indent + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(pad + _dump(v, indent + 1) for v in value) + "\n" + "  " * indent + "]"
    return _compact(value)


def dumps(value: Any) -> str:
    """Pretty JSON: nested structures indented by two spaces, small flat objects and lists on one line."""
    return _dump(value, 0) + "\n"


def write_files_atomically(files: Mapping[Path, str]) -> None:
    """Write every file or none: all contents go to temporary files first, then each is renamed into place."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, content in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(content)
            staged.append((tmp, path))
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)


def read_json_cached(path: Path) -> Any:
    """Parse a small, often-read JSON file (labels, schemas) once per version of it on disk."""
    stat = path.stat()
    return _read_json(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@cache
def _read_json(path: str, mtime_ns: int, size: int) -> Any:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)
