"""Agreement between two sets of annotations of the same text, layer by layer.

Used for inter-annotator agreement (two independent passes of a document) and for scoring a
pre-annotator against gold: span F1, exact and overlapping, for entities and quantities (with
labels or units that must agree), agreement of the normalized values of matched quantities, and
Cohen's kappa of stance labels on matched evidence spans. Label Studio's open-source edition has no
agreement statistics; these are computed here, from the files.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from furat.core.annotation import AnnotationSet, Entity, Quantity, Stance
from furat.core.repo import Repo

__all__ = [
    "LayerAgreement",
    "PassesAgreement",
    "SpanScore",
    "agreement",
    "agreement_rows",
    "cohen_kappa",
    "disagreements",
    "match_spans",
    "passes_agreement",
]


class _Spanned(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


_A = TypeVar("_A", bound=_Spanned)


@dataclass(frozen=True)
class SpanScore:
    """Matches between a reference (a, or gold) and another set (b, or predictions)."""

    matched: int
    only_a: int
    only_b: int

    @property
    def precision(self) -> float:  # of b against a
        return self.matched / (self.matched + self.only_b) if self.matched + self.only_b else 1.0

    @property
    def recall(self) -> float:
        return self.matched / (self.matched + self.only_a) if self.matched + self.only_a else 1.0

    @property
    def f1(self) -> float:
        total = 2 * self.matched + self.only_a + self.only_b
        return 2 * self.matched / total if total else 1.0

    def __add__(self, other: SpanScore) -> SpanScore:
        return SpanScore(self.matched + other.matched, self.only_a + other.only_a, self.only_b + other.only_b)


def match_spans(a: Sequence[_A], b: Sequence[_A], same: Callable[[_A, _A], bool], exact: bool) -> list[tuple[_A, _A]]:
    """One-to-one matches: equal spans (``exact``) or overlapping ones, whose labels agree by ``same``.

    Overlapping candidates are paired greedily by the size of their overlap, largest first, so the
    result does not depend on the order of either list.
    """
    candidates = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if not same(x, y):
                continue
            if exact and (x.start, x.end) != (y.start, y.end):
                continue
            overlap = min(x.end, y.end) - max(x.start, y.start)
            if overlap > 0:
                candidates.append((-overlap, x.start, y.start, i, j))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for _, _, _, i, j in sorted(candidates):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((a[i], b[j]))
    return pairs


def _score(a: Sequence[_A], b: Sequence[_A], same: Callable[[_A, _A], bool], exact: bool) -> SpanScore:
    matched = len(match_spans(a, b, same, exact))
    return SpanScore(matched, len(a) - matched, len(b) - matched)


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa of paired labels; None when there are no pairs or chance agreement is total."""
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(1 for x, y in pairs if x == y) / n
    left, right = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    expected = sum(left[label] * right[label] for label in left) / (n * n)
    if expected == 1.0:
        return None
    return (observed - expected) / (1 - expected)


def _same_label(x: Entity, y: Entity) -> bool:
    return x.label == y.label


def _same_unit(x: Quantity, y: Quantity) -> bool:
    return x.unit == y.unit


def _same_target(x: Stance, y: Stance) -> bool:
    return x.target == y.target


def _same_value(x: Quantity, y: Quantity) -> bool:
    return (x.value, x.low, x.high, x.unit, x.approximate) == (y.value, y.low, y.high, y.unit, y.approximate)


@dataclass(frozen=True)
class LayerAgreement:
    entities_exact: SpanScore
    entities_overlap: SpanScore
    quantities_exact: SpanScore
    quantities_overlap: SpanScore
    quantity_values_agree: int  # of the exactly matched quantities
    stance_pairs: tuple[tuple[str, str], ...]  # labels of stances matched by overlap and target
    stances: SpanScore

    @property
    def quantity_value_agreement(self) -> float | None:
        matched = self.quantities_exact.matched
        return self.quantity_values_agree / matched if matched else None

    @property
    def stance_kappa(self) -> float | None:
        return cohen_kappa(self.stance_pairs)

    def __add__(self, other: LayerAgreement) -> LayerAgreement:
        return LayerAgreement(
            self.entities_exact + other.entities_exact,
            self.entities_overlap + other.entities_overlap,
            self.quantities_exact + other.quantities_exact,
            self.quantities_overlap + other.quantities_overlap,
            self.quantity_values_agree + other.quantity_values_agree,
            self.stance_pairs + other.stance_pairs,
            self.stances + other.stances,
        )


def agreement(a: AnnotationSet, b: AnnotationSet) -> LayerAgreement:
    """How far two annotation sets of the same document agree (a is the reference when it is gold)."""
    if a.text_sha256 != b.text_sha256:
        raise ValueError(f"{a.document}: the two sets were made on different texts")
    exact_q = match_spans(a.quantities, b.quantities, _same_unit, exact=True)
    stance_pairs = match_spans(a.stances, b.stances, _same_target, exact=False)
    return LayerAgreement(
        entities_exact=_score(a.entities, b.entities, _same_label, exact=True),
        entities_overlap=_score(a.entities, b.entities, _same_label, exact=False),
        quantities_exact=SpanScore(len(exact_q), len(a.quantities) - len(exact_q), len(b.quantities) - len(exact_q)),
        quantities_overlap=_score(a.quantities, b.quantities, _same_unit, exact=False),
        quantity_values_agree=sum(1 for x, y in exact_q if _same_value(x, y)),
        stance_pairs=tuple((x.label, y.label) for x, y in stance_pairs),
        stances=SpanScore(len(stance_pairs), len(a.stances) - len(stance_pairs), len(b.stances) - len(stance_pairs)),
    )


@dataclass(frozen=True)
class PassesAgreement:
    """Agreement of the two independent passes of each document, and over all of them."""

    per_document: dict[str, tuple[str, str, LayerAgreement]]  # doc id -> (annotator a, annotator b, result)

    @property
    def total(self) -> LayerAgreement | None:
        results = [result for _, _, result in self.per_document.values()]
        if not results:
            return None
        total = results[0]
        for result in results[1:]:
            total = total + result
        return total


LAYERS = ("entities", "quantities", "stances")


def pass_layers(annotations: AnnotationSet) -> tuple[str, ...]:
    """The layers a pass annotates: ``provenance.layers``, or all three when it does not say."""
    declared = annotations.provenance.get("layers")
    return tuple(declared) if isinstance(declared, list) and declared else LAYERS


def pass_pair(passes: Mapping[str, AnnotationSet], layer: str) -> tuple[str, str] | None:
    """The two passes (by annotator name) compared on ``layer``: the first two that annotate it.

    Passes that declare their layers (``provenance.layers``: a pass of that layer alone, made later
    beside the gold) are preferred to passes that annotated every layer at once.
    """
    covering = [name for name, a in passes.items() if layer in pass_layers(a)]
    declared = [name for name in covering if "layers" in passes[name].provenance]
    chosen = declared if len(declared) >= 2 else covering
    return (chosen[0], chosen[1]) if len(chosen) >= 2 else None


def passes_agreement(root: Path) -> PassesAgreement:
    """Agreement of the two independent passes of every document, layer by layer (``pass_pair``).

    Entities and quantities are compared between the pair that annotated them, stances between the
    pair that annotated stances; when those pairs differ, the annotators are given as ``a; stances: c``.
    """
    per_document: dict[str, tuple[str, str, LayerAgreement]] = {}
    repo = Repo(root)
    for doc_id in repo.pass_documents():
        passes = repo.passes(doc_id)
        spans, stances = pass_pair(passes, "entities"), pass_pair(passes, "stances")
        if stances is None:
            continue
        if spans is None:  # passes of the stance layer alone (e.g. development texts)
            result = _stances_only(agreement(passes[stances[0]], passes[stances[1]]))
            per_document[doc_id] = (stances[0], stances[1], result)
            continue
        result = agreement(passes[spans[0]], passes[spans[1]])
        if stances != spans:
            other = agreement(passes[stances[0]], passes[stances[1]])
            result = dataclasses.replace(result, stance_pairs=other.stance_pairs, stances=other.stances)
            names = (f"{spans[0]}; stances: {stances[0]}", f"{spans[1]}; stances: {stances[1]}")
        else:
            names = spans
        per_document[doc_id] = (names[0], names[1], result)
    return PassesAgreement(per_document)


def _stances_only(result: LayerAgreement) -> LayerAgreement:
    """``result`` with no entity or quantity comparison (the passes did not annotate those layers)."""
    none = SpanScore(0, 0, 0)
    return dataclasses.replace(
        result,
        entities_exact=none,
        entities_overlap=none,
        quantities_exact=none,
        quantities_overlap=none,
        quantity_values_agree=0,
    )


def agreement_rows(result: LayerAgreement) -> list[list[object]]:
    """The table of one agreement result: a row per measure of a layer that was compared."""

    def kappa(value: float | None) -> object:
        return "-" if value is None else value

    values = result.quantity_value_agreement
    spans = result.entities_exact + result.entities_overlap + result.quantities_overlap
    rows: list[list[object]] = [
        ["entities, exact span + label (F1)", result.entities_exact.f1, result.entities_exact.matched],
        ["entities, overlapping span + label (F1)", result.entities_overlap.f1, result.entities_overlap.matched],
        ["quantities, exact span + unit (F1)", result.quantities_exact.f1, result.quantities_exact.matched],
        ["quantities, overlapping span + unit (F1)", result.quantities_overlap.f1, result.quantities_overlap.matched],
        [
            "quantities, equal normalized values (share of exact matches)",
            "-" if values is None else values,
            result.quantity_values_agree,
        ],
        ["stances, overlapping evidence + target (F1)", result.stances.f1, result.stances.matched],
        ["stances, label agreement on matched (Cohen's kappa)", kappa(result.stance_kappa), len(result.stance_pairs)],
    ]
    compared = spans.matched + spans.only_a + spans.only_b > 0
    return rows if compared else rows[5:]


_Item = Entity | Quantity | Stance


def disagreements(a: AnnotationSet, b: AnnotationSet, names: tuple[str, str] = ("a", "b")) -> list[str]:
    """Where two passes differ, one line each, for an adjudicator: spans one pass has and the other
    lacks (or labels differently), quantities whose normalized values differ, and stance labels."""
    lines: list[str] = []
    layers: list[tuple[str, Sequence[_Item], Sequence[_Item]]] = [
        ("entity", a.entities, b.entities),
        ("quantity", a.quantities, b.quantities),
        ("stance", a.stances, b.stances),
    ]
    for kind, xs, ys in layers:
        pairs = match_spans(xs, ys, lambda x, y: True, exact=kind != "stance")
        paired_x = {id(x) for x, _ in pairs}
        paired_y = {id(y) for _, y in pairs}
        lines += [f"{kind} only in {names[0]}: {_where(x)} {_describe(x)}" for x in xs if id(x) not in paired_x]
        lines += [f"{kind} only in {names[1]}: {_where(y)} {_describe(y)}" for y in ys if id(y) not in paired_y]
        for x, y in pairs:
            if _describe(x) != _describe(y) or (x.start, x.end) != (y.start, y.end):
                lines.append(
                    f"{kind} differs: {names[0]} {_where(x)} {_describe(x)} | {names[1]} {_where(y)} {_describe(y)}"
                )
    return lines


def _where(item: _Item) -> str:
    return f"[{item.start}:{item.end}] {item.text!r}"


def _describe(item: _Item) -> str:
    if isinstance(item, Entity):
        return item.label
    if isinstance(item, Quantity):
        counted = item.counted.text if item.counted else None
        return (
            f"value={item.value} low={item.low} high={item.high} unit={item.unit} "
            f"approximate={item.approximate} counted={counted!r}"
        )
    return f"target={item.target} label={item.label} holder={'yes' if item.holder else item.holder_kind}"


def agreement_table(root: Path) -> str:
    """The datasheet's agreement table: computed from the passes, with how and what it means."""
    result = passes_agreement(root)
    total = result.total
    if total is None:
        return "_No document has two annotation passes yet, so no agreement is reported._"
    repo = Repo(root)
    used: dict[str, set[str]] = {}  # annotator -> guidelines versions of their passes
    for doc_id in result.per_document:
        passes = repo.passes(doc_id)
        for layer in ("entities", "stances"):
            for name in pass_pair(passes, layer) or ():
                used.setdefault(name, set()).add(str(passes[name].provenance.get("guidelines", "?")))
    annotators = [f"`{name}` ({', '.join(sorted(used[name]))})" for name in sorted(used)]
    return (
        _markdown(total)
        + f"\n\nComputed by `furat agreement` from two independent passes of each of {len(result.per_document)} "
        f"documents, before adjudication (annotators and the guidelines they followed: {', '.join(annotators)}). "
        "Entities and quantities are compared between the passes that annotated them, stances between the "
        "passes that annotated stances (a later pass of one layer is preferred). Spans match one to one; "
        "`n` is the number of matched pairs. Quantities match by span and unit, stances by overlapping "
        "evidence and target; kappa is over the labels of matched stances."
    )


def _markdown(total: LayerAgreement) -> str:
    """The measures of one agreement result as a Markdown table."""
    lines = ["| measure | value | n |", "|---|---:|---:|"]
    for measure, value, n in agreement_rows(total):
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        lines.append(f"| {measure} | {shown} | {n} |")
    return "\n".join(lines)


STANCE_DEV = Path("tests") / "fixtures" / "stance_dev"


def stance_dev_table(root: Path) -> str:
    """The datasheet's table of stance agreement on the development texts (never part of the corpus)."""
    dev = root / STANCE_DEV
    result = passes_agreement(dev) if (dev / "seeds" / "manifest.json").is_file() else None
    total = result.total if result else None
    if result is None or total is None:
        return "_No development texts with two stance passes yet, so no figure is reported._"
    documents = len(result.per_document)
    return (
        _markdown(total)
        + f"\n\nComputed by `furat --root {STANCE_DEV.as_posix()} agreement` from two independent stance passes "
        f"of each of {documents} development texts, written for the purpose and never part of the corpus, "
        "annotated from the guidelines alone, before any adjudication."
    )
