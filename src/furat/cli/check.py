"""``furat validate``, ``schema`` and ``docs``: the contribution gate and the files derived from labels.json."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from furat.cli.common import Subparsers, root_of
from furat.core.findings import Finding, FuratError, format_findings
from furat.core.tables import text_table as _table


def _cmd_validate(args: argparse.Namespace) -> int:
    from furat.check.parallel import validate_repo_parallel
    from furat.check.validate import validate_paths

    if args.list_codes:
        from furat.core.codes import CODES, STAGES

        for stage in STAGES:
            entries = [c for c in CODES.values() if c.stage == stage]
            if entries:
                rows: list[list[object]] = [["code", "tier", "level", "meaning", "what to do"]]
                rows += [[c.code, f"L{c.tier}" if c.tier else "-", c.level, c.meaning, c.hint] for c in entries]
                print(f"{stage}:")
                print(_table(rows, left=5))
                print()
        print(f"{len(CODES)} codes")
        return 0
    root = root_of(args)
    if args.paths:
        paths = [Path(p).absolute() for p in args.paths]
        missing = [p for p in args.paths if not Path(p).exists()]
        if missing:
            raise FuratError([Finding(missing[0], 0, "io-error", "no such file")], 2)
        findings = validate_paths(root, paths)
    else:
        findings = validate_repo_parallel(root)
    errors = [f for f in findings if f.level == "error"]
    warnings = [f for f in findings if f.level != "error"]
    shown = errors[: args.max_errors] if args.max_errors else errors
    if args.format in ("sarif", "summary"):
        from furat.core.reports import markdown_summary, sarif

        print((sarif if args.format == "sarif" else markdown_summary)([*errors, *warnings]))
    elif args.format == "json":
        print(format_findings([*shown, *warnings], "json"))
    else:
        for group in (shown, warnings):
            if group:
                print(format_findings(group, args.format), file=sys.stderr if args.format == "text" else sys.stdout)
        if args.format == "text":
            hidden = len(errors) - len(shown)
            more = f" ({hidden} more not shown: --max-errors)" if hidden else ""
            print(f"{len(errors)} errors, {len(warnings)} warnings{more}")
    if any(f.code in ("io-error", "internal-error") for f in errors):
        return 2  # the README: I/O and internal errors exit 2, findings in the data 1
    return 1 if errors else 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from furat.core.schemas import SCHEMAS, derived_annotation_schema, schema_drift

    schema_dir = root_of(args) / "schema"
    if args.check:
        if schema_drift(schema_dir):
            message = "its enums differ from schema/labels.json; run `furat schema`"
            print(Finding(f"schema/{SCHEMAS['annotation']}", 1, "schema-drift", message).text(), file=sys.stderr)
            return 1
        print("schema/annotation.schema.json agrees with schema/labels.json")
        return 0
    from furat.core.jsonio import write_files_atomically

    write_files_atomically({schema_dir / SCHEMAS["annotation"]: derived_annotation_schema(schema_dir)})
    print("wrote schema/annotation.schema.json from schema/labels.json")
    return 0


def _cmd_docs(args: argparse.Namespace) -> int:
    from furat.check.docs import fresh_documents
    from furat.core.jsonio import write_files_atomically

    root = root_of(args)
    stale = {rel: fresh for rel, (text, fresh) in fresh_documents(root).items() if fresh != text}
    if args.check:
        for rel in stale:
            message = "its generated tables differ from schema/labels.json or the code registry; run `furat docs`"
            print(Finding(rel, 0, "docs-stale", message).text(), file=sys.stderr)
        return 1 if stale else 0
    write_files_atomically({root / rel: fresh for rel, fresh in stale.items()})
    print(f"generated tables: {len(stale)} file(s) updated")
    return 0


def add_validate(subparsers: Subparsers) -> None:
    """``furat validate``."""
    validate = subparsers.add_parser("validate", help="check labels, schemas, seeds, corpus and annotations")
    validate.add_argument("paths", nargs="*", metavar="PATH", help="only these corpus or annotation files")
    validate.add_argument(
        "--format",
        choices=["text", "json", "github", "sarif", "summary"],
        default="text",
        help="sarif: SARIF 2.1.0 for code scanning; summary: a Markdown table for a CI job summary",
    )
    validate.add_argument("--max-errors", type=int, default=0, metavar="N", help="show at most N errors")
    validate.add_argument("--list-codes", action="store_true", help="list every finding code and what it means")
    validate.set_defaults(func=_cmd_validate)


def add_schema(subparsers: Subparsers) -> None:
    """``furat schema``."""
    schema = subparsers.add_parser("schema", help="regenerate the annotation schema's enums from schema/labels.json")
    schema.add_argument("--check", action="store_true", help="write nothing; exit 1 if they differ")
    schema.set_defaults(func=_cmd_schema)


def add_docs(subparsers: Subparsers) -> None:
    """``furat docs``."""
    docs = subparsers.add_parser("docs", help="write the label tables of the guidelines from schema/labels.json")
    docs.add_argument("--check", action="store_true", help="write nothing; exit 1 if they are stale")
    docs.set_defaults(func=_cmd_docs)
