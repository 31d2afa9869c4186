"""A synthetic repository for benchmarks: the real seeds repeated, with machine-made annotations.

The annotations come from a small gazetteer and the quantity recognizer, so their density is that of
real news; they are never gold and never leave the benchmark's temporary folder.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from furat.core.annotation import text_sha256
from furat.core.jsonio import dumps
from furat.core.model import Document
from furat.corpus.ingest import build_corpus

__all__ = ["GAZETTEER", "annotate", "make_repository", "synthetic_articles", "write_articles"]

GAZETTEER = {
    "قوات سوريا الديمقراطية": "ORG",
    "الحشد الشعبي": "ORG",
    "داعش": "ORG",
    "قسد": "ORG",
    "رويترز": "ORG",
    "التحالف الدولي": "ORG",
    "الأمم المتحدة": "ORG",
    "الولايات المتحدة": "GPE",
    "العراق": "GPE",
    "سوريا": "GPE",
    "سورية": "GPE",
    "الباغوز": "GPE",
    "بغداد": "GPE",
    "ديالى": "GPE",
    "كركوك": "GPE",
    "الموصل": "GPE",
    "إيران": "GPE",
    "نهر الفرات": "LOC",
    "الأكراد": "NORP",
    "مصطفى بالي": "PER",
}
# A name standing as a whole word, after at most two attached proclitics (و ف ب ل ك).
_GAZETTEER = re.compile(
    r"(?<![^\W\d_])[وفبلك]{0,2}("
    + "|".join(sorted(map(re.escape, GAZETTEER), key=len, reverse=True))
    + r")(?![^\W\d_])"
)


def annotate(doc: Document, doc_id: str) -> dict[str, Any]:
    """Machine-made annotations of ``doc`` under the id ``doc_id``, in the annotation file shape."""
    from furat.annotate.quantities import find_quantities

    text = doc.text
    entities = [
        {
            "id": f"{doc_id}-e{i:04d}",
            "start": m.start(1),
            "end": m.end(1),
            "text": m.group(1),
            "label": GAZETTEER[m.group(1)],
        }
        for i, m in enumerate(_GAZETTEER.finditer(text), start=1)
    ]
    ends = {s.start: s.end for s in doc.sentences}
    starts = sorted(ends)
    quantities: list[dict[str, Any]] = []
    for q in find_quantities(text):
        sentence_start = max(s for s in starts if s <= q.start)
        if q.end <= ends[sentence_start]:
            quantities.append({**q.to_json(), "id": f"{doc_id}-q{len(quantities) + 1:04d}"})
    first = doc.sentences[1] if len(doc.sentences) > 1 else doc.sentences[0]
    stances = [
        {
            "id": f"{doc_id}-t0001",
            "start": first.start,
            "end": first.end,
            "text": text[first.start : first.end],
            "target": "isis_defeated",
            "label": "none",
            "holder": entities[0]["id"] if entities else None,
        }
    ]
    return {
        "schema_version": "1.0.0",
        "document": doc_id,
        "text_sha256": text_sha256(text),
        "provenance": {"status": "prediction", "annotators": [{"id": "furat-synthetic", "kind": "rules"}]},
        "entities": entities,
        "quantities": quantities,
        "stances": stances,
    }


def _renamed(doc: Document, doc_id: str) -> dict[str, Any]:
    data = doc.to_json()
    data["id"] = doc_id
    for layer in ("paragraphs", "sentences"):
        for seg in data[layer]:
            seg["id"] = doc_id + seg["id"][len(doc.id) :]
    return data


def make_repository(root: Path, dest: Path, n_docs: int) -> None:
    """Write a repository with ``n_docs`` documents (seeds, manifest, corpus, annotations) to ``dest``."""
    shutil.copytree(root / "schema", dest / "schema")
    (dest / "seeds").mkdir()
    (dest / "corpus").mkdir()
    (dest / "annotations").mkdir()
    rules = json.loads((root / "seeds" / "cleaning.json").read_text("utf-8"))
    base = build_corpus(root)
    base_manifest = {e["id"]: e for e in json.loads((root / "seeds" / "manifest.json").read_text("utf-8"))["documents"]}
    base_annotations = {doc.id: json.dumps(annotate(doc, "@@")) for doc in base}
    entries = []
    corpora: list[dict[str, Any]] = []
    for n in range(n_docs):
        doc = base[n % len(base)]
        doc_id = f"s{n:05d}_{doc.id[:12]}"
        seed_file = f"{doc_id}.txt"
        shutil.copyfile(root / "seeds" / doc.meta.seed_file, dest / "seeds" / seed_file)
        entries.append({**base_manifest[doc.id], "id": doc_id, "file": seed_file})
        if doc.meta.seed_file in rules["overrides"]:  # the per-seed layout rules follow the copy
            rules["overrides"][seed_file] = rules["overrides"][doc.meta.seed_file]
        corpus = _renamed(doc, doc_id)
        corpus["meta"]["seed_file"] = seed_file
        corpora.append(corpus)
        annotations = json.loads(base_annotations[doc.id].replace("@@", doc_id))
        (dest / "annotations" / f"{doc_id}.json").write_text(dumps(annotations), encoding="utf-8")
    rules_text = json.dumps(rules, ensure_ascii=False, indent=2) + "\n"
    (dest / "seeds" / "cleaning.json").write_text(rules_text, encoding="utf-8")
    rules_sha = hashlib.sha256(rules_text.encode("utf-8")).hexdigest()
    for corpus in corpora:  # made with these rules, so they are fresh against them
        corpus["meta"]["rules_sha256"] = rules_sha
        (dest / "corpus" / f"{corpus['id']}.json").write_text(dumps(corpus), encoding="utf-8")
    manifest = {"schema_version": "1.0.0", "documents": entries}
    (dest / "seeds" / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")


def synthetic_articles(root: Path, n_articles: int) -> Iterator[dict[str, Any]]:
    """``n_articles`` raw articles in the ``furat silver`` JSON Lines shape, no two alike.

    Article ``n`` is the raw seed ``n mod seeds`` with a closing line that names ``n``, so every text
    differs and the cleaning, the recognizer and the gazetteer all meet real news text.
    """
    entries = json.loads((root / "seeds" / "manifest.json").read_text("utf-8"))["documents"]
    raws = [(e, (root / "seeds" / e["file"]).read_text("utf-8")) for e in entries]
    for n in range(n_articles):
        entry, raw = raws[n % len(raws)]
        yield {
            "id": f"a{n:07d}_{entry['id'][:3]}",
            "title": None,
            "text": f"{raw.rstrip()}\n\nنشر هذا المقال في الأرشيف برقم {n} بعد {n % 97 + 2} يوما من كتابته.\n",
            "outlet": entry.get("outlet"),
            "published": entry.get("published"),
            "url": None if entry.get("url") is None else f"{entry['url']}?copy={n}",
        }


def write_articles(root: Path, path: Path, n_articles: int) -> int:
    """Write ``synthetic_articles`` as JSON Lines to ``path``; its size in bytes."""
    with path.open("w", encoding="utf-8") as handle:
        for article in synthetic_articles(root, n_articles):
            handle.write(json.dumps(article, ensure_ascii=False) + "\n")
    return path.stat().st_size
