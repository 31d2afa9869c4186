"""``furat export`` and ``furat import``: the corpus in other tools' formats, and back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from furat.cli.common import Subparsers, root_of
from furat.core.findings import format_findings
from furat.export import EXPORT_FORMATS, IMPORT_FORMATS


def _shown(root: Path, path: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def _cmd_export(args: argparse.Namespace) -> int:
    from furat.export.run import default_out, export_repository

    root = root_of(args)
    out = Path(args.out).resolve() if args.out else default_out(root, args.format)
    report = export_repository(root, args.format, out, args.documents)
    print(f"wrote {_shown(root, out)}/ (REPORT.md lists what the format cannot hold)")
    print(report.summary())
    finding = report.finding()
    if finding is not None:
        print(format_findings([finding]), file=sys.stderr)
    return 0


def add_export(subparsers: Subparsers) -> None:
    """Add ``furat export --format F [--out DIR] [DOC…]`` to the CLI's subcommands."""
    export = subparsers.add_parser(
        "export", help="annotated documents as CoNLL, brat, UIMA CAS XMI, spaCy DocBin or Prodigy JSONL"
    )
    export.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    export.add_argument("--out", help="where to write (default: dist/export/<format>/)")
    export.add_argument("documents", nargs="*", metavar="DOC", help="documents to export (default: all annotated)")
    export.set_defaults(func=_cmd_export)


def _cmd_import(args: argparse.Namespace) -> int:
    from furat.export.run import import_directory

    root = root_of(args)
    out = Path(args.out).resolve() if args.out else None
    result = import_directory(root, args.format, Path(args.folder).resolve(), out, force=args.force)
    for path in result.written:
        print(f"wrote {_shown(root, path)}")
    if result.findings:
        print(format_findings(result.findings), file=sys.stderr)
    errors = [f for f in result.findings if f.level == "error"]
    if errors:
        print(f"furat validate reports {len(errors)} error(s) in the imported files", file=sys.stderr)
        return 1
    return 0


def add_import(subparsers: Subparsers) -> None:
    """Add ``furat import --format brat|cas DIR [--out DIR] [--force]`` to the CLI's subcommands."""
    imp = subparsers.add_parser("import", help="brat standoff or CAS XMI (as exported) back into annotation files")
    imp.add_argument("--format", required=True, choices=IMPORT_FORMATS)
    imp.add_argument("folder", metavar="DIR", help="the folder furat export wrote (and you edited)")
    imp.add_argument("--out", help="where to write the annotation files (default: annotations/)")
    imp.add_argument("--force", action="store_true", help="overwrite annotation files that exist")
    imp.set_defaults(func=_cmd_import)
