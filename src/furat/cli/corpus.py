"""``furat ingest``, ``show`` and ``summary``: seeds to corpus, and what the corpus holds."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from furat.cli.common import Subparsers, root_of
from furat.core.findings import Finding, format_findings
from furat.core.model import Document
from furat.core.repo import SPLITS
from furat.core.tables import text_table as _table


def _summary(documents: Sequence[Document]) -> str:
    from furat.corpus.segment import token_spans

    rows: list[list[object]] = [["document", "outlet", "published", "paragraphs", "sentences", "tokens", "characters"]]
    totals = [0, 0, 0, 0]
    for doc in documents:
        counts = [len(doc.paragraphs), len(doc.sentences), len(token_spans(doc.text)), len(doc.text)]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        rows.append([doc.id, doc.meta.outlet or "-", doc.meta.published or "-", *counts])
    rows.append([f"{len(documents)} documents", "", "", *totals])
    return _table(rows, left=3)


def _cmd_show(args: argparse.Namespace) -> int:
    from furat.core.repo import Repo

    doc = Repo(root_of(args)).find_document(args.document)
    print(f"{doc.id}: {doc.meta.title}")
    paragraph_ends = {p.end for p in doc.paragraphs}
    for index, sentence in enumerate(doc.sentences):
        print(f"s{index:03d} [{sentence.start}:{sentence.end}] {doc.text[sentence.start : sentence.end]}")
        if sentence.end in paragraph_ends:
            print()
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    from furat.corpus.ingest import check_corpus, write_corpus

    root = root_of(args)
    if args.check:
        findings = check_corpus(root)
        if findings:
            print(format_findings(findings), file=sys.stderr)
            return 2 if any(f.code == "io-error" for f in findings) else 1
        print("corpus/ is up to date with seeds/ and seeds/cleaning.json")
        return 0
    warnings: list[Finding] = []
    documents = write_corpus(root, warnings)
    if warnings:
        print(format_findings(warnings), file=sys.stderr)
    print(f"wrote {len(documents)} documents to corpus/")
    print(_summary(documents))
    return 0


def _cmd_summary(args: argparse.Namespace) -> int:
    from furat.core.repo import Repo

    print(_summary(Repo(root_of(args)).documents()))
    return 0


def add_ingest(subparsers: Subparsers) -> None:
    """``furat ingest``."""
    ingest = subparsers.add_parser("ingest", help="seeds -> corpus/ (clean, extract metadata, segment)")
    ingest.add_argument("--check", action="store_true", help="write nothing; exit 1 if corpus/ is stale")
    ingest.set_defaults(func=_cmd_ingest)


def add_show(subparsers: Subparsers) -> None:
    """``furat show``."""
    show = subparsers.add_parser("show", help="a document's sentences, numbered (the numbers drafts use)")
    show.add_argument("document", help="a document id, or its number (e.g. 003)")
    show.set_defaults(func=_cmd_show)


def add_summary(subparsers: Subparsers) -> None:
    """``furat summary``."""
    summary = subparsers.add_parser("summary", help="documents, sentences and tokens of the corpus")
    summary.set_defaults(func=_cmd_summary)


def _cmd_add(args: argparse.Namespace) -> int:
    from pathlib import Path

    from furat.corpus.add import AddOptions, add_pages, review_text

    options = AddOptions(
        outlet=args.outlet,
        url=args.url,
        published=args.published,
        author=args.author,
        split=args.split,
        story=args.story,
        id=args.id,
    )
    added = add_pages(root_of(args), [Path(f) for f in args.files], options)
    for one in added:
        print(review_text(one))
        print()
    print(f"added {len(added)} document(s); review the lines above, then run scripts/test")
    return 0


def _cmd_remove(args: argparse.Namespace) -> int:
    from furat.corpus.add import remove_document

    removed = remove_document(root_of(args), args.document)
    print("removed:")
    for item in removed:
        print(f"  {item}")
    print("then run `furat datasheet` (its tables count the documents) and scripts/test")
    return 0


def add_add(subparsers: Subparsers) -> None:
    """``furat add``."""
    add = subparsers.add_parser("add", help="add raw pages to seeds/, the manifest and corpus/, with a review")
    add.add_argument("files", nargs="+", metavar="FILE", help="raw pages: UTF-8 text, LF line ends")
    add.add_argument("--outlet", help="the outlet's name, as the page states it")
    add.add_argument("--url", help="where the page came from (needed to honour a takedown)")
    add.add_argument("--published", metavar="YYYY-MM-DD", help="the publication date, when the page does not state it")
    add.add_argument("--author", help="the author, as the page states it")
    add.add_argument("--split", choices=SPLITS, help="default: the story's, else by hash")
    add.add_argument("--story", metavar="KEY", help="pages of one story share this key and their split")
    add.add_argument("--id", metavar="ID", help="the document id (default NNN_<first 16 hex of sha256>)")
    add.set_defaults(func=_cmd_add)


def add_remove(subparsers: Subparsers) -> None:
    """``furat remove``."""
    remove = subparsers.add_parser("remove", help="take a document down: seed, manifest entry, corpus, annotations")
    remove.add_argument("document", help="a document id, or its number (e.g. 003)")
    remove.set_defaults(func=_cmd_remove)
