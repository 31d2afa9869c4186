"""``furat <command>``: one entry point over the stages (also ``python -m furat``).

Exit codes: 0 fine, 1 findings (invalid data), 2 usage or I/O error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from furat import __version__
from furat.findings import Finding, FuratError, format_findings
from furat.model import Document
from furat.paths import find_root

__all__ = ["main"]


def _root(args: argparse.Namespace) -> Path:
    if args.root:
        return Path(args.root).resolve()
    root = find_root()
    if root is None:
        message = "not inside a Furat repository (no schema/labels.json and seeds/ above); use --root"
        raise FuratError([Finding(".", 0, "no-repo", message)], 2)
    return root


def _table(rows: Sequence[Sequence[object]], left: int = 1) -> str:
    """Rows as aligned columns; the first ``left`` columns flush left, the rest right."""
    cells = [[f"{c:.3f}" if isinstance(c, float) else str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        for row in cells
    )


def _summary(documents: Sequence[Document]) -> str:
    from furat.segment import token_spans

    rows: list[list[object]] = [["document", "outlet", "published", "paragraphs", "sentences", "tokens", "characters"]]
    totals = [0, 0, 0, 0]
    for doc in documents:
        counts = [len(doc.paragraphs), len(doc.sentences), len(token_spans(doc.text)), len(doc.text)]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        rows.append([doc.id, doc.meta.outlet or "-", doc.meta.published or "-", *counts])
    rows.append([f"{len(documents)} documents", "", "", *totals])
    return _table(rows, left=3)


def _cmd_ingest(args: argparse.Namespace) -> int:
    from furat.ingest import check_corpus, write_corpus

    root = _root(args)
    if args.check:
        findings = check_corpus(root)
        if findings:
            print(format_findings(findings), file=sys.stderr)
            return 1
        print("corpus/ is up to date with seeds/ and seeds/cleaning.json")
        return 0
    documents = write_corpus(root)
    print(f"wrote {len(documents)} documents to corpus/")
    print(_summary(documents))
    return 0


def _cmd_summary(args: argparse.Namespace) -> int:
    from furat.ingest import build_corpus

    print(_summary(build_corpus(_root(args))))
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from furat.evaluation import pysbd_segmenter, sentence_scores
    from furat.ingest import build_corpus

    root = _root(args)
    systems = {}
    try:
        systems["pysbd"] = pysbd_segmenter()
    except ImportError:
        print("pysbd is not installed (pip install -e '.[test]'): scoring Furat alone", file=sys.stderr)
    scores = sentence_scores(root, build_corpus(root), systems)
    if args.json:
        data = [
            {
                "system": s.system,
                "precision": s.precision,
                "recall": s.recall,
                "f1": s.f1,
                "tp": s.true_positives,
                "fp": s.false_positives,
                "fn": s.false_negatives,
            }
            for s in scores
        ]
        print(json.dumps(data, indent=2))
        return 0
    print("sentence boundaries inside paragraphs, against tests/data/sentences/ (gold)")
    rows: list[list[object]] = [["system", "precision", "recall", "f1", "tp", "fp", "fn"]]
    for sc in scores:
        rows.append(
            [sc.system, sc.precision, sc.recall, sc.f1, sc.true_positives, sc.false_positives, sc.false_negatives]
        )
    print(_table(rows))
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from furat.bench import STAGES, run_bench, write_bench

    root = _root(args)
    unknown = [s for s in args.stage or [] if s not in STAGES]
    if unknown:
        message = f"unknown stage {unknown[0]!r}; stages: {', '.join(STAGES)}"
        raise FuratError([Finding("furat bench", 0, "usage", message)], 2)
    figures = run_bench(root, args.size_mb, args.stage)
    out = Path(args.out)
    write_bench(out if out.is_absolute() else root / out, figures)
    rows: list[list[object]] = [["stage", "input MB", "seconds", "MB/s", "peak RSS MB"]]
    for name, stage in figures["stages"].items():
        rows.append([name, stage["input_mb"], stage["seconds"], stage["mb_per_s"] or 0.0, stage["peak_rss_mb"]])
    print(_table(rows))
    print(f"figures written to {args.out}")
    return 0


def _cmd_quantities(args: argparse.Namespace) -> int:
    from furat import quantities

    return quantities.main([args.file] if args.file else [])


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="furat", description="Build, check and publish the Furat corpus.")
    parser.add_argument("--version", action="version", version=f"furat {__version__}")
    parser.add_argument("--root", help="the repository (default: found upwards from the working directory)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = sub.add_parser("ingest", help="seeds -> corpus/ (clean, extract metadata, segment)")
    ingest.add_argument("--check", action="store_true", help="write nothing; exit 1 if corpus/ is stale")
    ingest.set_defaults(func=_cmd_ingest)

    summary = sub.add_parser("summary", help="documents, sentences and tokens of the corpus")
    summary.set_defaults(func=_cmd_summary)

    evaluate = sub.add_parser("eval", help="score a component against hand-made gold")
    evaluate.add_argument("what", choices=["sentences"], help="sentences: boundary precision/recall, Furat and pysbd")
    evaluate.add_argument("--json", action="store_true", help="print JSON instead of a table")
    evaluate.set_defaults(func=_cmd_eval)

    bench = sub.add_parser("bench", help="measure speed and memory on a synthetic corpus; writes JSON")
    bench.add_argument("--size-mb", type=float, default=50.0, help="size of the synthetic corpus (default 50)")
    bench.add_argument("--stage", action="append", help="run only this stage (repeatable)")
    bench.add_argument("--out", default="bench-results/bench.json", help="where to write the figures")
    bench.set_defaults(func=_cmd_bench)

    quantities = sub.add_parser("quantities", help="find and normalize quantities in Arabic text (JSON lines)")
    quantities.add_argument("file", nargs="?", help="a UTF-8 text file (default: standard input)")
    quantities.set_defaults(func=_cmd_quantities)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.func(args))
    except FuratError as exc:
        print(format_findings(exc.findings), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
