"""Cross-validation of the entity tagger on its training texts, to choose its parameters and features.

Folds are by document: each corpus gold document is a fold of its own (leave one document out), and
the constructed texts are cut into ``k`` folds (documents in order of their key, every ``k``-th
together). Each fold is tagged by a model trained on all the other folds. Scores are exact spans with
equal labels, per label, for the rules alone, the CRF, and the CRF with the rules' predictions it
leaves out (those of at least a given score that overlap none of its spans).

Run ``python -m furat.annotate.entity_cv`` in a repository to print the table.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from furat.annotate.agreement import SpanScore
from furat.annotate.entity_model import (
    PARAMS,
    EntityTagger,
    TrainingDocument,
    tag_sentences,
    train,
    training_documents,
)
from furat.annotate.entity_words import Prediction

__all__ = ["LABELS", "Scores", "System", "combine", "cross_validate", "folds", "part", "rule_predictions", "score"]

LABELS = ("PER", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT")
Scores = dict[str, SpanScore]  # by label, and "all"
System = Callable[[list[Prediction], list[Prediction]], list[Prediction]]  # (CRF's, rules') -> predictions


def _rules(crf: list[Prediction], rules: list[Prediction]) -> list[Prediction]:
    return rules


def _crf(crf: list[Prediction], rules: list[Prediction]) -> list[Prediction]:
    return crf


def part(key: str) -> str:
    """Which part of the training data a document is: the corpus, a development set, or a training set."""
    if key.startswith("./"):
        return "corpus"
    return "train" if "preannotate_train" in key else "dev"


def folds(documents: Sequence[TrainingDocument], k: int = 5) -> list[list[int]]:
    """Indices of the documents of each fold: one per corpus document, ``k`` for the others."""
    corpus = [i for i, d in enumerate(documents) if d.key.startswith("./")]
    others = sorted((i for i, d in enumerate(documents) if not d.key.startswith("./")), key=lambda i: documents[i].key)
    return [[i] for i in corpus] + [others[f::k] for f in range(k) if others[f::k]]


def rule_predictions(doc: TrainingDocument) -> list[Prediction]:
    """The rule pre-annotator's predictions in the document (as its features saw them)."""
    seen: dict[tuple[int, int], Prediction] = {}
    for sentence in doc.sentences:
        for p in sentence.rules:
            if p is not None:
                seen.setdefault((p.start, p.end), p)
    return sorted(seen.values(), key=lambda p: p.start)


def combine(crf: Sequence[Prediction], rules: Sequence[Prediction], min_rule: float) -> list[Prediction]:
    """The CRF's predictions, and the rules' of at least ``min_rule`` that overlap none of them."""
    out = list(crf)
    for p in rules:
        if p.score >= min_rule and not any(p.start < q.end and q.start < p.end for q in crf):
            out.append(p)
    return sorted(out, key=lambda p: p.start)


def score(doc: TrainingDocument, predicted: Iterable[Prediction]) -> Scores:
    gold = {(e.start, e.end, e.label) for e in doc.entities}
    found = {(p.start, p.end, p.label) for p in predicted}
    out: Scores = {}
    for label in (*LABELS, "all"):
        g = {x for x in gold if label in ("all", x[2])}
        f = {x for x in found if label in ("all", x[2])}
        out[label] = SpanScore(len(g & f), len(g - f), len(f - g))
    return out


def _add(a: Scores, b: Scores) -> Scores:
    return {k: a.get(k, SpanScore(0, 0, 0)) + v for k, v in b.items()}


def cross_validate(
    documents: Sequence[TrainingDocument],
    params: Mapping[str, Any] | None = None,
    systems: Mapping[str, System] | None = None,
    k: int = 5,
) -> dict[str, dict[str, Scores]]:
    """Scores by system ("rules", "crf" and ``systems``: functions of the CRF's and the rules'
    predictions), by part of the data (``part``, and "all")."""
    chosen: dict[str, System] = {"rules": _rules, "crf": _crf}
    chosen.update(systems or {})
    out: dict[str, dict[str, Scores]] = {name: {} for name in chosen}
    for fold in folds(documents, k):
        held = set(fold)
        tagger = EntityTagger(train([d for i, d in enumerate(documents) if i not in held], params))
        for i in fold:
            doc = documents[i]
            crf = tag_sentences(doc.text, doc.sentences, tagger)
            rules = rule_predictions(doc)
            for name, system in chosen.items():
                s = score(doc, system(crf, rules))
                for where in (part(doc.key), "all"):
                    out[name][where] = _add(out[name].get(where, {}), s)
    return out


def table(results: Mapping[str, Mapping[str, Scores]], where: str = "all") -> str:
    lines = [f"{'system':<24} {'label':<6} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5}"]
    for name, parts in results.items():
        for label, s in parts.get(where, {}).items():
            gold = s.matched + s.only_a
            if gold or s.only_b:
                lines.append(f"{name:<24} {label:<6} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {gold:5d}")
    return "\n".join(lines)


def main(argv: Sequence[str]) -> None:
    root = Path(argv[0]) if argv else Path(".")
    t0 = time.perf_counter()
    documents = training_documents(root)
    print(f"features of {len(documents)} documents: {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    systems = {f"crf+rules>={t}": (lambda crf, rules, t=t: combine(crf, rules, t)) for t in (0.9, 0.75)}
    results = cross_validate(documents, PARAMS, systems)
    print(f"cross-validation: {time.perf_counter() - t0:.1f} s")
    for where in ("corpus", "dev", "train", "all"):
        print(f"\n## {where}\n" + table(results, where))


if __name__ == "__main__":
    main(sys.argv[1:])
