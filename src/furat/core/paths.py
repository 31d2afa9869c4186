"""Where the repository's parts live.

Furat is a repository tool: commands work on the repository they are run in (the nearest folder
upwards with ``schema/labels.json`` and ``seeds/``), or on ``FURAT_ROOT`` when it is set.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["find_root", "repo_root", "schema_dir", "user_cache"]


def find_root(start: Path | None = None) -> Path | None:
    """The repository root above ``start`` (default: the working directory), or ``None``."""
    env = os.environ.get("FURAT_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "schema" / "labels.json").is_file() and (folder / "seeds").is_dir():
            return folder
    return None


def user_cache(*parts: str) -> Path:
    """``$XDG_CACHE_HOME/furat/<parts>`` (``~/.cache`` when it is unset or not absolute, as the XDG spec
    says): what Furat keeps between runs on this machine. ``OSError`` when there is no such folder (no home
    folder, and no absolute ``XDG_CACHE_HOME``)."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg, "furat", *parts)
    try:
        return Path.home().joinpath(".cache", "furat", *parts)
    except RuntimeError as exc:  # no home folder (no HOME, and no entry in the password database)
        raise OSError(f"no cache folder: {exc}; set XDG_CACHE_HOME") from None


def schema_dir() -> Path:
    """The folder holding ``labels.json`` and the JSON Schemas.

    The repository's own ``schema/`` wins; an installed wheel carries a copy as ``furat/_schema``.
    """
    root = find_root()
    if root is not None:
        return root / "schema"
    source_tree = Path(__file__).resolve().parents[3] / "schema"
    if (source_tree / "labels.json").is_file():
        return source_tree
    return Path(__file__).resolve().parents[1] / "_schema"


def repo_root(given: str | None) -> Path:
    """The repository a command works on: ``--root`` when given, else the one found upwards.

    Raises a ``no-repo`` finding (exit 2) outside a repository.
    """
    from furat.core.findings import Finding, FuratError

    if given:
        return Path(given).resolve()
    root = find_root()
    if root is None:
        message = "not inside a Furat repository (no schema/labels.json and seeds/ above); use --root"
        raise FuratError([Finding(".", 0, "no-repo", message)], 2)
    return root
