"""``furat <command>``: one entry point over the stages (also ``python -m furat``).

Exit codes: 0 fine, 1 findings (invalid data), 2 usage, I/O or internal error. No input ends in a
traceback: an unexpected exception becomes an ``internal-error`` finding (exit 2) with a hint to report it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from furat import __version__
from furat.cli import annotate, bench, check, corpus, dataset, export, silver, studio, view
from furat.core.findings import Finding, FuratError, format_findings
from furat.core.paths import repo_root
from furat.core.progress import set_quiet

__all__ = ["build_parser", "main"]


def _root(args: argparse.Namespace) -> Path:
    return repo_root(args.root)


def build_parser() -> argparse.ArgumentParser:
    """The ``furat`` command line: every command, with its handler as ``args.func``."""
    parser = argparse.ArgumentParser(prog="furat", description="Build, check and publish the Furat corpus.")
    parser.add_argument("--version", action="version", version=f"furat {__version__}")
    parser.add_argument("--root", help="the repository (default: found upwards from the working directory)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars or progress lines")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (
        corpus.add_ingest,
        corpus.add_show,
        corpus.add_summary,
        corpus.add_add,
        corpus.add_remove,
        annotate.add_eval,
        annotate.add_agreement,
        annotate.add_coverage,
        bench.add_bench,
        check.add_validate,
        check.add_schema,
        check.add_docs,
        annotate.add_draft,
        dataset.add_build,
        dataset.add_datasheet,
        dataset.add_publish,
        studio.add_commands,
        annotate.add_preannotate,
        annotate.add_quantities,
        annotate.add_compile,
        annotate.add_gazetteer,
        annotate.add_train,
        view.add_view,
        export.add_export,
        export.add_import,
        silver.add_silver,
    ):
        add(sub)
    return parser


_EXIT_2 = frozenset({"io-error", "internal-error", "usage", "no-repo"})


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.quiet:
        set_quiet(True)
    try:
        return int(args.func(args))
    except FuratError as exc:
        print(format_findings(exc.findings), file=sys.stderr)
        return 2 if any(f.code in _EXIT_2 for f in exc.findings) else exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (furat show 003 | head): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # a file or folder that cannot be read or written
        where = exc.filename if exc.filename is not None else "."
        print(Finding(str(where), 0, "io-error", f"{exc.strerror or exc}").text(), file=sys.stderr)
        return 2
    except Exception as exc:  # the one guard: no traceback reaches the user
        import traceback

        last = traceback.extract_tb(exc.__traceback__)[-1:]
        place = f" at {Path(last[0].filename).name}:{last[0].lineno}" if last else ""
        message = (
            f"{type(exc).__name__}{place}: {str(exc)[:300]}; this is a bug in furat {__version__}: "
            "please report it with the command you ran"
        )
        print(Finding(".", 0, "internal-error", message).text(), file=sys.stderr)
        return 2
