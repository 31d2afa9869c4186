"""``furat build``, ``datasheet`` and ``publish``: the Hugging Face dataset, its datasheet and its upload."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from furat.cli.common import Subparsers, root_of
from furat.core.findings import format_findings
from furat.core.paths import repo_root
from furat.dataset.build import build_dataset
from furat.dataset.datasheet import check_datasheet, refresh_datasheet
from furat.dataset.publish import publish
from furat.dataset.summary import CONFIGS, SPLITS


def _cmd_publish(args: argparse.Namespace) -> int:
    from furat.core.paths import repo_root

    plan = publish(
        repo_root(getattr(args, "root", None)),
        args.repo_id,
        dry_run=args.dry_run,
        private=args.private,
        allow_non_gold=args.allow_non_gold,
    )
    if plan.build.warnings:
        print(format_findings(plan.build.warnings), file=sys.stderr)
    if args.dry_run:
        print(f"dry run: would upload {plan.folder} to https://huggingface.co/datasets/{plan.repo_id}")
        print(plan.text())
        return 0
    print(f"uploaded {len(plan.files)} files to https://huggingface.co/datasets/{plan.repo_id}")
    return 0


def add_publish(subparsers: Subparsers) -> None:
    """Add ``furat publish`` to the CLI's subcommands."""
    publish_cmd = subparsers.add_parser(
        "publish", help="build, then upload dist/dataset to the Hugging Face Hub (token from HF_TOKEN)"
    )
    publish_cmd.add_argument("--repo-id", required=True, metavar="ORG/NAME", help="the Hub dataset repository")
    publish_cmd.add_argument("--dry-run", action="store_true", help="build and list what would be uploaded")
    publish_cmd.add_argument("--private", action="store_true", help="create the repository private (if it is new)")
    publish_cmd.add_argument(
        "--allow-non-gold", action="store_true", help="publish annotation files whose status is not 'gold'"
    )
    publish_cmd.set_defaults(func=_cmd_publish)


def _cmd_datasheet(args: argparse.Namespace) -> int:
    from furat.check.parallel import check_validate_parallel as check_validate

    root = repo_root(getattr(args, "root", None))
    check_validate(root)  # numbers from data that validate rejects would be wrong numbers
    if args.check:
        findings = check_datasheet(root)
        if findings:
            print(format_findings(findings), file=sys.stderr)
            return 1
        print("DATASHEET.md statistics are up to date with the data")
        return 0
    _, changed = refresh_datasheet(root)
    print("DATASHEET.md statistics " + ("refreshed" if changed else "already up to date"))
    return 0


def add_datasheet(subparsers: Subparsers) -> None:
    """Add ``furat datasheet [--check]`` to the CLI's subcommands."""
    datasheet = subparsers.add_parser("datasheet", help="regenerate the statistics tables of DATASHEET.md")
    datasheet.add_argument("--check", action="store_true", help="write nothing; exit 1 if a table is stale")
    datasheet.set_defaults(func=_cmd_datasheet)


def _cmd_build(args: argparse.Namespace) -> int:
    root = root_of(args)
    result = build_dataset(root, Path(args.out).absolute() if args.out else None)
    if result.warnings:
        print(format_findings(result.warnings), file=sys.stderr)
    where = result.out.relative_to(root) if result.out.is_relative_to(root) else result.out
    print(f"wrote {where}/ (README.md card, DATASHEET.md, Parquet per config and split)")
    from furat.core.tables import text_table

    rows = [["config", *SPLITS]]
    rows += [[c, *(str(result.counts.get(c, {}).get(s, "-")) for s in SPLITS)] for c in CONFIGS]
    print(text_table(rows))
    missing = [c for c in CONFIGS if c not in result.counts]
    if missing:
        print(f"no rows yet (left out): {', '.join(missing)}")
    print("DATASHEET.md statistics " + ("refreshed" if result.datasheet_changed else "already up to date"))
    return 0


def add_build(subparsers: Subparsers) -> None:
    """Add ``furat build`` to the CLI's subcommands."""
    build = subparsers.add_parser(
        "build", help="the Hugging Face dataset (Parquet + card) -> dist/dataset; refuses unless validate is clean"
    )
    build.add_argument("--out", help="where to write the dataset (default: dist/dataset)")
    build.set_defaults(func=_cmd_build)
