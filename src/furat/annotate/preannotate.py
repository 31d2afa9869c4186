"""Pre-annotations for annotators to correct: quantities from the recognizer, entities from a gazetteer.

The gazetteer is the names of the gold annotations plus a curated list (``furat/annotate/gazetteer.json``).
A name matches as a whole word, after at most two attached proclitics (و ف ب ل ك), which stay
outside the span as the guidelines say; overlapping matches keep the longest, leftmost one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TypeVar

from furat.annotate.quantities import find_quantities
from furat.core.annotation import AnnotationSet, Entity, Quantity, text_sha256
from furat.core.model import Document
from furat.core.repo import Repo

__all__ = ["MODEL_VERSION", "curated_gazetteer", "gold_gazetteer", "load_gold", "predict", "predictions"]

MODEL_VERSION = "furat-preannotate-1"
_CURATED = Path(__file__).with_name("gazetteer.json")


@cache
def curated_gazetteer() -> dict[str, str]:
    """Curated names -> entity label."""
    data: dict[str, dict[str, str]] = json.loads(_CURATED.read_text(encoding="utf-8"))
    return dict(data["entities"])


def gold_gazetteer(gold: Iterable[AnnotationSet]) -> dict[str, str]:
    """Names -> the label the gold gives them most often (ties: the label seen first)."""
    counts: dict[str, dict[str, int]] = {}
    for annotation_set in gold:
        for entity in annotation_set.entities:
            labels = counts.setdefault(entity.text, {})
            labels[entity.label] = labels.get(entity.label, 0) + 1
    return {name: max(labels, key=lambda label: labels[label]) for name, labels in counts.items()}


def _alternatives(names: Iterable[str]) -> str:
    return "|".join(sorted(map(re.escape, names), key=len, reverse=True))


def _matcher(names: Iterable[str]) -> re.Pattern[str]:
    """Whole names after at most two proclitics (group 1), or, after لل where the article's alef is
    not written, the name without its article (group 2: للعراق -> عراق, guidelines D1)."""
    names = list(names)
    stems = [name[2:] for name in names if name.startswith("ال") and len(name) > 3]
    after_lam = rf"|[وف]?لل({_alternatives(stems)})" if stems else ""
    return re.compile(rf"(?<![^\W\d_])(?:[وفبلك]{{0,2}}({_alternatives(names)}){after_lam})(?![^\W\d_])")


def predict(doc: Document, gazetteer: Mapping[str, str]) -> AnnotationSet:
    """Predicted entities and quantities of one document, in the canonical shape."""
    entities: list[Entity] = []
    if gazetteer:
        for match in _matcher(gazetteer).finditer(doc.text):
            group = 1 if match.group(1) is not None else 2
            name = match.group(1) or "ال" + match.group(2)
            entities.append(Entity("", match.start(group), match.end(group), match.group(group), gazetteer[name]))
    sentence_ends = {s.start: s.end for s in doc.sentences}
    starts = sorted(sentence_ends)
    quantities: list[Quantity] = []
    for q in find_quantities(doc.text):
        sentence = max(s for s in starts if s <= q.start)
        if q.end <= sentence_ends[sentence]:  # a quantity never runs across sentences
            quantities.append(q)
    return AnnotationSet(
        document=doc.id,
        text_sha256=text_sha256(doc.text),
        provenance={
            "status": "prediction",
            "annotators": [{"id": MODEL_VERSION, "kind": "rules", "description": "quantity recognizer + gazetteer"}],
        },
        entities=tuple(_numbered(doc.id, "e", entities)),
        quantities=tuple(_numbered(doc.id, "q", quantities)),
    )


_Item = TypeVar("_Item", Entity, Quantity)


def _numbered(doc_id: str, letter: str, items: list[_Item]) -> Iterable[_Item]:
    for n, item in enumerate(sorted(items, key=lambda i: (i.start, i.end)), start=1):
        yield replace(item, id=f"{doc_id}-{letter}{n:04d}")


def load_gold(root: Path) -> dict[str, AnnotationSet]:
    """The gold annotation files of the repository (``provenance.status`` gold), by document id."""
    return Repo(root).gold_sets()


def predictions(root: Path, documents: Iterable[Document] | None = None) -> dict[str, AnnotationSet]:
    """Pre-annotations of every corpus document, with the gazetteer of all gold and the curated list."""
    repo = Repo(root)
    gazetteer = {**curated_gazetteer(), **gold_gazetteer(repo.gold_sets().values())}
    return {doc.id: predict(doc, gazetteer) for doc in (documents or repo.documents())}
