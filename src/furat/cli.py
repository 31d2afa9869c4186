"""``furat <command>``: one entry point over the stages (also ``python -m furat``).

Exit codes: 0 fine, 1 findings (invalid data), 2 usage or I/O error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from furat import __version__
from furat.findings import Finding, FuratError, format_findings
from furat.model import Document
from furat.paths import repo_root
from furat.tables import text_table as _table

__all__ = ["build_parser", "main"]


def _root(args: argparse.Namespace) -> Path:
    return repo_root(args.root)


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


def _cmd_show(args: argparse.Namespace) -> int:
    from furat.ingest import build_corpus

    documents = {doc.id: doc for doc in build_corpus(_root(args))}
    matches = [d for d in documents if d == args.document or d.startswith(args.document + "_")]
    if len(matches) != 1:
        known = ", ".join(documents)
        raise FuratError([Finding(args.document, 0, "unknown-document", f"name one document of: {known}")], 2)
    doc = documents[matches[0]]
    print(f"{doc.id}: {doc.meta.title}")
    paragraph_ends = {p.end for p in doc.paragraphs}
    for index, sentence in enumerate(doc.sentences):
        print(f"s{index:03d} [{sentence.start}:{sentence.end}] {doc.text[sentence.start : sentence.end]}")
        if sentence.end in paragraph_ends:
            print()
    return 0


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
    root = _root(args)
    if args.what == "sentences":
        return _eval_sentences(root, args.json)
    return _eval_preannotator(root, args.json)


def _eval_sentences(root: Path, as_json: bool) -> int:
    from furat.evaluation import pysbd_segmenter, sentence_scores
    from furat.ingest import build_corpus

    systems = {}
    try:
        systems["pysbd"] = pysbd_segmenter()
    except ImportError:
        print("pysbd is not installed (pip install -e '.[test]'): scoring Furat alone", file=sys.stderr)
    scores = sentence_scores(root, build_corpus(root), systems)
    if as_json:
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


def _eval_preannotator(root: Path, as_json: bool) -> int:
    from furat.evaluation import preannotator_scores

    score = preannotator_scores(root)
    layers = {"entities": score.entities, "quantities": score.quantities}
    if as_json:
        data: dict[str, object] = {
            name: {
                "precision": s.precision,
                "recall": s.recall,
                "f1": s.f1,
                "matched": s.matched,
                "missed": s.only_a,
                "spurious": s.only_b,
            }
            for name, s in layers.items()
        }
        data["documents"] = score.documents
        data["quantity_value_agreement"] = score.quantity_value_agreement
        print(json.dumps(data, indent=2))
        return 0
    print(
        f"pre-annotator against the gold of {score.documents} documents (exact spans; entities leave one document out)"
    )
    rows: list[list[object]] = [["layer", "precision", "recall", "f1", "matched", "missed", "spurious"]]
    for name, s in layers.items():
        rows.append([name, s.precision, s.recall, s.f1, s.matched, s.only_a, s.only_b])
    print(_table(rows))
    agree = score.quantity_value_agreement
    print(f"normalized values equal on matched quantities: {'-' if agree is None else f'{agree:.3f}'}")
    return 0


def _agreement_diff(root: Path, document: str) -> int:
    from furat.agreement import disagreements
    from furat.annotation import AnnotationSet

    folder = next((f for f in sorted((root / "annotations" / "passes").glob("*")) if f.name.startswith(document)), None)
    files = sorted(folder.glob("*.json")) if folder else []
    if len(files) < 2:
        raise FuratError([Finding(f"annotations/passes/{document}", 0, "passes-missing", "needs two passes")], 2)
    a, b = (AnnotationSet.from_json(json.loads(f.read_text(encoding="utf-8"))) for f in files[:2])
    for line in disagreements(a, b, (files[0].stem, files[1].stem)):
        print(line)
    return 0


def _cmd_agreement(args: argparse.Namespace) -> int:
    from furat.agreement import agreement_rows, passes_agreement

    root = _root(args)
    if args.diff:
        return _agreement_diff(root, args.diff)
    result = passes_agreement(root)
    total = result.total
    if total is None:
        raise FuratError([Finding("annotations/passes", 0, "passes-missing", "no document has two passes yet")], 2)
    if args.json:
        data = {
            "documents": {
                doc: {"annotators": [a, b], "measures": agreement_rows(r)}
                for doc, (a, b, r) in result.per_document.items()
            },
            "total": agreement_rows(total),
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"agreement of two independent passes, {len(result.per_document)} documents")
    print(_table([["measure", "value", "n"], *agreement_rows(total)]))
    return 0


def _cmd_coverage(args: argparse.Namespace) -> int:
    from collections import Counter

    from furat.coverage import coverage_report

    numbers = coverage_report(_root(args))
    neither = [n for n in numbers if not n.category]
    counts = Counter(n.category or "neither" for n in numbers)
    print(", ".join(f"{count} {category}" for category, count in sorted(counts.items())))
    for n in neither:
        where = f"corpus/{n.doc_id}.json"
        message = f"{n.text!r} at [{n.start}, {n.end}) is neither in a quantity nor in an excluded category"
        print(Finding(where, 0, "number-uncovered", message, pointer="/text").text(), file=sys.stderr)
    return 1 if neither else 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from furat.bench import STAGES, BenchSettings, run_bench, write_bench

    root = _root(args)
    unknown = [s for s in args.stage or [] if s not in STAGES]
    if unknown:
        message = f"unknown stage {unknown[0]!r}; stages: {', '.join(STAGES)}"
        raise FuratError([Finding("furat bench", 0, "usage", message)], 2)
    figures = run_bench(root, BenchSettings(size_mb=args.size_mb, docs=args.docs), args.stage)
    out = Path(args.out)
    write_bench(out if out.is_absolute() else root / out, figures)
    rows: list[list[object]] = [["stage", "input MB", "seconds", "MB/s", "peak RSS MB"]]
    for name, stage in figures["stages"].items():
        speed = stage.get("mb_per_s", round(stage["input_mb"] / stage["seconds"], 3) if stage["seconds"] else 0)
        rows.append([name, stage["input_mb"], stage["seconds"], speed, stage["peak_rss_mb"]])
    print(_table(rows))
    if "validate" in figures["stages"]:
        v = figures["stages"]["validate"]
        print(
            f"validate, {v['documents']} documents: json.loads alone {v['json_loads_seconds']} s, "
            f"plain jsonschema alone {v['plain_jsonschema_seconds']} s ({v['jsonschema_over_parse']}x the parse), "
            f"furat validate {v['furat_validate_seconds']} s ({v['validate_over_parse']}x the parse)"
        )
    print(f"figures written to {args.out}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from furat.validate import validate_paths, validate_repo

    if args.list_codes:
        from furat.validate import CODES

        rows: list[list[object]] = [["code", "tier", "level", "meaning"]]
        rows += [[code, f"L{tier}", level, meaning] for code, (tier, level, meaning) in CODES.items()]
        print(_table(rows, left=4))
        return 0
    root = _root(args)
    if args.paths:
        paths = [Path(p).resolve() for p in args.paths]
        missing = [p for p in args.paths if not Path(p).exists()]
        if missing:
            raise FuratError([Finding(missing[0], 0, "io-error", "no such file")], 2)
        findings = validate_paths(root, paths)
    else:
        findings = validate_repo(root)
    errors = [f for f in findings if f.level == "error"]
    warnings = [f for f in findings if f.level != "error"]
    shown = errors[: args.max_errors] if args.max_errors else errors
    if args.format == "json":
        print(format_findings([*shown, *warnings], "json"))
    else:
        for group in (shown, warnings):
            if group:
                print(format_findings(group, args.format), file=sys.stderr if args.format == "text" else sys.stdout)
        if args.format == "text":
            hidden = len(errors) - len(shown)
            more = f" ({hidden} more not shown: --max-errors)" if hidden else ""
            print(f"{len(errors)} errors, {len(warnings)} warnings{more}")
    return 1 if errors else 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from furat.schemas import SCHEMAS, derived_annotation_schema, schema_drift

    schema_dir = _root(args) / "schema"
    if args.check:
        if schema_drift(schema_dir):
            message = "its enums differ from schema/labels.json; run `furat schema`"
            print(Finding(f"schema/{SCHEMAS['annotation']}", 1, "schema-drift", message).text(), file=sys.stderr)
            return 1
        print("schema/annotation.schema.json agrees with schema/labels.json")
        return 0
    from furat.jsonio import write_files_atomically

    write_files_atomically({schema_dir / SCHEMAS["annotation"]: derived_annotation_schema(schema_dir)})
    print("wrote schema/annotation.schema.json from schema/labels.json")
    return 0


DOCS_WITH_LABEL_TABLES = ("annotations/GUIDELINES.md",)


def _cmd_docs(args: argparse.Namespace) -> int:
    from furat.jsonio import write_files_atomically
    from furat.labels import label_tables, load_labels
    from furat.markers import fill_markers

    root = _root(args)
    tables = label_tables(load_labels(root / "schema" / "labels.json"))
    stale, updates = [], {}
    for rel in DOCS_WITH_LABEL_TABLES:
        path = root / rel
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        fresh = fill_markers(text, "labels", tables)
        if fresh != text:
            stale.append(rel)
            updates[path] = fresh
    if args.check:
        for rel in stale:
            print(
                Finding(
                    rel, 0, "docs-stale", "its label tables differ from schema/labels.json; run `furat docs`"
                ).text(),
                file=sys.stderr,
            )
        return 1 if stale else 0
    write_files_atomically(updates)
    print(f"label tables: {len(updates)} file(s) updated")
    return 0


def _cmd_draft(args: argparse.Namespace) -> int:
    from furat.annotation import AnnotationSet
    from furat.drafts import DraftError, dumps_draft, export_draft, resolve_draft
    from furat.ingest import build_corpus
    from furat.jsonio import dumps, write_files_atomically
    from furat.jsonpos import pointer_lines
    from furat.validate import validate_paths

    root = _root(args)
    source = Path(args.file)
    try:
        raw = source.read_text(encoding="utf-8")
        data = json.loads(raw)
    except OSError as exc:
        raise FuratError([Finding(args.file, 0, "io-error", f"cannot read: {exc.strerror}")], 2) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FuratError([Finding(args.file, getattr(exc, "lineno", 0), "json-syntax", str(exc))]) from None
    documents = {doc.id: doc for doc in build_corpus(root)}
    doc = documents.get(data.get("document", ""))
    if doc is None:
        raise FuratError([Finding(args.file, 1, "unknown-document", f"no corpus document {data.get('document')!r}")])
    if args.action == "export":
        out = Path(args.output) if args.output else None
        text = dumps_draft(export_draft(doc, AnnotationSet.from_json(data)))
        if out is None:
            sys.stdout.write(text)
        else:
            write_files_atomically({out: text})
        return 0
    try:
        annotations = resolve_draft(doc, data)
    except DraftError as exc:
        line = pointer_lines(raw).get(exc.pointer, 0)
        raise FuratError([Finding(args.file, line, "draft-unresolved", exc.message, pointer=exc.pointer)]) from None
    except (KeyError, TypeError) as exc:
        raise FuratError([Finding(args.file, 0, "draft-shape", f"missing or malformed field: {exc}")]) from None
    if args.output:
        out = Path(args.output)
    elif annotations.provenance.get("status") == "gold":
        out = root / "annotations" / f"{doc.id}.json"
    else:
        annotator = annotations.provenance.get("annotators", [{}])[0].get("id", "annotator")
        out = root / "annotations" / "passes" / doc.id / f"{annotator}.json"
    write_files_atomically({out: dumps(annotations.to_json())})
    # Files in the repository's annotations/ are checked as CI will check them.
    inside = out.resolve().is_relative_to((root / "annotations").resolve())
    findings = validate_paths(root, [out]) if inside else []
    if findings:
        print(format_findings(findings), file=sys.stderr)
    layers = (len(annotations.entities), len(annotations.quantities), len(annotations.stances))
    print(f"wrote {out} ({layers[0]} entities, {layers[1]} quantities, {layers[2]} stances)")
    return 1 if any(f.level == "error" for f in findings) else 0


def _cmd_preannotate(args: argparse.Namespace) -> int:
    from furat.jsonio import dumps, write_files_atomically
    from furat.preannotate import MODEL_VERSION, predictions

    root = _root(args)
    out = Path(args.out) if args.out else root / "dist" / "predictions"
    predicted = predictions(root)
    write_files_atomically({out / f"{doc_id}.json": dumps(a.to_json()) for doc_id, a in predicted.items()})
    entities = sum(len(a.entities) for a in predicted.values())
    quantities = sum(len(a.quantities) for a in predicted.values())
    print(f"{MODEL_VERSION}: {entities} entities, {quantities} quantities in {len(predicted)} documents -> {out}")
    return 0


def _cmd_quantities(args: argparse.Namespace) -> int:
    from furat import quantities

    return quantities.main([args.file] if args.file else [])


def build_parser() -> argparse.ArgumentParser:
    """The ``furat`` command line: every command, with its handler as ``args.func``."""
    parser = argparse.ArgumentParser(prog="furat", description="Build, check and publish the Furat corpus.")
    parser.add_argument("--version", action="version", version=f"furat {__version__}")
    parser.add_argument("--root", help="the repository (default: found upwards from the working directory)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = sub.add_parser("ingest", help="seeds -> corpus/ (clean, extract metadata, segment)")
    ingest.add_argument("--check", action="store_true", help="write nothing; exit 1 if corpus/ is stale")
    ingest.set_defaults(func=_cmd_ingest)

    show = sub.add_parser("show", help="a document's sentences, numbered (the numbers drafts use)")
    show.add_argument("document", help="a document id, or its number (e.g. 003)")
    show.set_defaults(func=_cmd_show)

    summary = sub.add_parser("summary", help="documents, sentences and tokens of the corpus")
    summary.set_defaults(func=_cmd_summary)

    evaluate = sub.add_parser("eval", help="score a component against hand-made gold")
    evaluate.add_argument(
        "what",
        choices=["sentences", "preannotator"],
        help="sentences: boundary precision/recall of Furat and pysbd; preannotator: entities and quantities vs gold",
    )
    evaluate.add_argument("--json", action="store_true", help="print JSON instead of a table")
    evaluate.set_defaults(func=_cmd_eval)

    agree = sub.add_parser("agreement", help="inter-annotator agreement of the two passes of each document")
    agree.add_argument("--json", action="store_true", help="per document and in total, as JSON")
    agree.add_argument("--diff", metavar="DOC", help="list where the two passes of DOC differ (for adjudication)")
    agree.set_defaults(func=_cmd_agreement)

    coverage = sub.add_parser("coverage", help="list numbers in the text that no quantity or exclusion covers")
    coverage.set_defaults(func=_cmd_coverage)

    bench = sub.add_parser("bench", help="measure speed and memory on a synthetic corpus; writes JSON")
    bench.add_argument("--size-mb", type=float, default=50.0, help="size of the synthetic corpus (default 50)")
    bench.add_argument("--docs", type=int, default=10_000, help="documents in the synthetic repository (default 10000)")
    bench.add_argument("--stage", action="append", help="run only this stage (repeatable)")
    bench.add_argument("--out", default="bench-results/bench.json", help="where to write the figures")
    bench.set_defaults(func=_cmd_bench)

    validate = sub.add_parser("validate", help="check labels, schemas, seeds, corpus and annotations")
    validate.add_argument("paths", nargs="*", metavar="PATH", help="only these corpus or annotation files")
    validate.add_argument("--format", choices=["text", "json", "github"], default="text")
    validate.add_argument("--max-errors", type=int, default=0, metavar="N", help="show at most N errors")
    validate.add_argument("--list-codes", action="store_true", help="list every finding code and what it means")
    validate.set_defaults(func=_cmd_validate)

    schema = sub.add_parser("schema", help="regenerate the annotation schema's enums from schema/labels.json")
    schema.add_argument("--check", action="store_true", help="write nothing; exit 1 if they differ")
    schema.set_defaults(func=_cmd_schema)

    docs = sub.add_parser("docs", help="write the label tables of the guidelines from schema/labels.json")
    docs.add_argument("--check", action="store_true", help="write nothing; exit 1 if they are stale")
    docs.set_defaults(func=_cmd_docs)

    draft = sub.add_parser("draft", help="annotation drafts: resolve one into an annotation file, or export one")
    draft.add_argument(
        "action", choices=["resolve", "export"], help="resolve: draft -> annotation file; export: the reverse"
    )
    draft.add_argument("file", help="the draft (resolve) or the annotation file (export)")
    draft.add_argument("-o", "--output", help="where to write (resolve: default from the draft's status and annotator)")
    draft.set_defaults(func=_cmd_draft)

    from furat import build, datasheet, publish, studio

    for module in (build, datasheet, publish, studio):
        module.add_commands(sub)

    preannotate = sub.add_parser("preannotate", help="predicted entities and quantities for annotators to correct")
    preannotate.add_argument("--out", help="folder for one prediction file per document (default: dist/predictions)")
    preannotate.set_defaults(func=_cmd_preannotate)

    quantities = sub.add_parser("quantities", help="find and normalize quantities in Arabic text (JSON lines)")
    quantities.add_argument("file", nargs="?", help="a UTF-8 text file (default: standard input)")
    quantities.set_defaults(func=_cmd_quantities)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except FuratError as exc:
        print(format_findings(exc.findings), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (furat show 003 | head): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
