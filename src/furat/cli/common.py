"""What every command handler shares: the repository it works on, and the subparsers type."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TypeAlias

from furat.core.paths import repo_root

__all__ = ["Subparsers", "root_of"]

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def root_of(args: argparse.Namespace) -> Path:
    """The repository a command works on: ``--root`` when given, else the one found upwards."""
    return repo_root(getattr(args, "root", None))
