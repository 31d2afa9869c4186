"""``furat view``: the corpus and its annotations as a static site (no server needed)."""

from __future__ import annotations

import argparse
from pathlib import Path

from furat.cli.common import Subparsers, root_of


def _cmd_view(args: argparse.Namespace) -> int:
    from furat.view.site import build_view

    root = root_of(args)
    result = build_view(root, Path(args.out).resolve() if args.out else None, list(args.documents))
    where = result.out.relative_to(root) if result.out.is_relative_to(root) else result.out
    print(f"wrote {where}/index.html and {len(result.pages)} document pages")
    return 0


def add_view(subparsers: Subparsers) -> None:
    """``furat view``."""
    view = subparsers.add_parser(
        "view", help="a static site of the documents with their annotations highlighted -> dist/view"
    )
    view.add_argument("documents", nargs="*", metavar="DOC", help="document ids or numbers (default: all)")
    view.add_argument("--out", help="where to write the site (default: dist/view)")
    view.set_defaults(func=_cmd_view)
