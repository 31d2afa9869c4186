"""Pre-annotations for annotators to correct: quantities from the recognizer, entities from names and rules.

Entities come from ``furat.annotate.entities``: gazetteer matches on normalized Arabic words
(``normalize``) with proclitics kept outside the span, over the names of the gold annotations, the
curated list and maintained data (``gazetteers``: CLDR territories, ISO 3166 names, GeoNames cities,
nisba forms), plus trigger patterns, rules for names that no list holds (``entity_rules``) and partial
names. ``predict(doc, names)`` matches the given names only; ``predict(doc, names, rules=True)`` adds
everything else, and then the learned tagger (``entity_model``: a CRF that reads the rules' predictions
among its features) decides the entities. Every prediction has a score (``predict_scored``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TypeVar

from furat.annotate.entities import find_entities
from furat.annotate.entity_model import EntityTagger, shipped_tagger, tag_document
from furat.annotate.gazetteers import Compiled, Gazetteer, curated_data, library_gazetteer, merged, names_gazetteer
from furat.annotate.quantities import find_quantities
from furat.core.annotation import AnnotationSet, Entity, Quantity, text_sha256
from furat.core.model import Document
from furat.core.repo import Repo

__all__ = [
    "MODEL_DESCRIPTION",
    "MODEL_VERSION",
    "curated_gazetteer",
    "entity_gazetteer",
    "gold_gazetteer",
    "load_gold",
    "predict",
    "predict_scored",
    "predictions",
]

MODEL_VERSION = "furat-preannotate-4"
MODEL_DESCRIPTION = (
    "quantity recognizer + entity gazetteers (gold, curated, CLDR, ISO 3166, GeoNames, nisba), "
    "trigger patterns, name rules and partial names, read by a CRF entity tagger"
)


@cache
def curated_gazetteer() -> dict[str, str]:
    """Curated names -> entity label."""
    return dict(curated_data()["entities"])


def gold_gazetteer(gold: Iterable[AnnotationSet]) -> dict[str, str]:
    """Names -> the label the gold gives them most often (ties: the label seen first)."""
    counts: dict[str, dict[str, int]] = {}
    for annotation_set in gold:
        for entity in annotation_set.entities:
            labels = counts.setdefault(entity.text, {})
            labels[entity.label] = labels.get(entity.label, 0) + 1
    return {name: max(labels, key=lambda label: labels[label]) for name, labels in counts.items()}


def entity_gazetteer(names: Mapping[str, str], rules: bool = False) -> Compiled:
    """The gazetteer ``predict`` matches: ``names`` first, then with ``rules`` the curated and library
    gazetteers. Build it once to annotate many documents with the same names (``gazetteer=``)."""
    given = names_gazetteer(names)
    return Compiled(merged(given, library_gazetteer()) if rules else given)


def predict_scored(
    doc: Document,
    names: Mapping[str, str],
    rules: bool = False,
    gazetteer: Gazetteer | None = None,
    tagger: EntityTagger | bool = True,
) -> tuple[AnnotationSet, dict[str, float]]:
    """Predicted entities and quantities of one document, and the score of each entity by its id.

    ``names`` (name -> label) are matched first; with ``rules`` the curated and library gazetteers,
    trigger patterns and partial names are added, and the entity tagger decides the entities from
    them: ``tagger`` is the model shipped with the package (True), another one, or none (False: the
    rules' predictions as they are). ``gazetteer``, when given, is ``entity_gazetteer(names, rules)``
    built once by the caller.
    """
    if gazetteer is None:
        gazetteer = entity_gazetteer(names, rules)
    model = (shipped_tagger() if tagger is True else tagger or None) if rules else None
    if model is not None:
        found = tag_document(doc, gazetteer, model)
    else:
        found = find_entities(doc.text, gazetteer, rules=rules) if gazetteer else []
    entities = [Entity("", p.start, p.end, doc.text[p.start : p.end], p.label) for p in found]
    scores = [p.score for p in found]
    sentence_ends = {s.start: s.end for s in doc.sentences}
    starts = sorted(sentence_ends)
    quantities: list[Quantity] = []
    for q in find_quantities(doc.text):
        sentence = max((s for s in starts if s <= q.start), default=0)
        if q.end <= sentence_ends.get(sentence, len(doc.text)):  # a quantity never runs across sentences
            quantities.append(q)
    numbered = list(_numbered(doc.id, "e", entities))
    by_span = {(e.start, e.end): score for e, score in zip(entities, scores, strict=True)}
    annotations = AnnotationSet(
        document=doc.id,
        text_sha256=text_sha256(doc.text),
        provenance={
            "status": "prediction",
            "annotators": [
                {
                    "id": MODEL_VERSION,
                    "kind": "rules" if model is None else "model",
                    "description": MODEL_DESCRIPTION,
                }
            ],
        },
        entities=tuple(numbered),
        quantities=tuple(_numbered(doc.id, "q", quantities)),
    )
    return annotations, {e.id: by_span[(e.start, e.end)] for e in numbered}


def predict(
    doc: Document,
    names: Mapping[str, str],
    rules: bool = False,
    gazetteer: Gazetteer | None = None,
    tagger: EntityTagger | bool = True,
) -> AnnotationSet:
    """Predicted entities and quantities of one document, in the canonical shape."""
    return predict_scored(doc, names, rules, gazetteer, tagger)[0]


_Item = TypeVar("_Item", Entity, Quantity)


def _numbered(doc_id: str, letter: str, items: list[_Item]) -> Iterable[_Item]:
    for n, item in enumerate(sorted(items, key=lambda i: (i.start, i.end)), start=1):
        yield replace(item, id=f"{doc_id}-{letter}{n:04d}")


def load_gold(root: Path) -> dict[str, AnnotationSet]:
    """The gold annotation files of the repository (``provenance.status`` gold), by document id."""
    return Repo(root).gold_sets()


def predictions(root: Path, documents: Iterable[Document] | None = None) -> dict[str, AnnotationSet]:
    """Pre-annotations of every corpus document, with the names of all gold, the curated list and the rules."""
    repo = Repo(root)
    names = {**curated_gazetteer(), **gold_gazetteer(repo.gold_sets().values())}
    return {doc.id: predict(doc, names, rules=True) for doc in (documents or repo.documents())}
