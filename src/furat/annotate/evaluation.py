"""Scores against hand-made gold: sentence boundaries, and the pre-annotator against gold annotations.

Sentence boundaries are scored against ``tests/data/sentences/``.

Gold files hold one sentence per line and a blank line between paragraphs. Boundaries are compared
as positions in the stream of non-space characters, so white space never decides a score. Both
systems get the same paragraphs; only boundaries inside a paragraph are scored, since paragraph
ends are given to both and would only inflate the figures.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from furat.annotate.agreement import SpanScore, agreement, match_spans
from furat.annotate.entity_model import CORPUS_FOLDS, EntityTagger, corpus_fold_taggers
from furat.core.annotation import AnnotationSet
from furat.core.findings import Finding, FuratError
from furat.core.model import Document
from furat.core.repo import Repo
from furat.corpus.segment import Span, sentence_spans

__all__ = [
    "DEV2_DIR",
    "DEV_DIR",
    "DEV_DIRS",
    "GOLD_DIR",
    "QUANTITY_DEV2_FILE",
    "QUANTITY_DEV3_FILE",
    "QUANTITY_DEV_FILE",
    "QUANTITY_TEST_FILE",
    "TEST_DIR",
    "BoundaryScore",
    "DevQuantity",
    "PreannotatorScore",
    "QuantityDevScore",
    "dev_dirs",
    "held_out_scores",
    "load_quantity_dev",
    "preannotator_scores",
    "preannotator_table",
    "pysbd_segmenter",
    "quantity_dev_scores",
    "quantity_test_scores",
    "score_boundaries",
    "sentence_scores",
    "unseen_scores",
]

GOLD_DIR = "tests/data/sentences"
_SPACE = re.compile(r"\s+")

Segmenter = Callable[[str, Sequence[Span]], list[Span]]


@dataclass(frozen=True)
class BoundaryScore:
    system: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        gold = self.true_positives + self.false_negatives
        return self.true_positives / gold if gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _nonspace_ends(pieces: list[str]) -> list[int]:
    ends, total = [], 0
    for piece in pieces:
        total += len(_SPACE.sub("", piece))
        ends.append(total)
    return ends


def _gold_boundaries(path: Path, doc: Document) -> tuple[set[int], set[int]]:
    """Inner sentence boundaries of a gold file and its paragraph ends, in non-space positions."""
    paragraphs = [block.split("\n") for block in path.read_text(encoding="utf-8").strip("\n").split("\n\n")]
    flat_gold = _SPACE.sub("", "".join("".join(p) for p in paragraphs))
    if flat_gold != _SPACE.sub("", doc.text):
        raise FuratError([Finding(path.as_posix(), 0, "gold-mismatch", f"its text differs from corpus/{doc.id}.json")])
    sentences = [s for p in paragraphs for s in p if s.strip()]
    paragraph_ends = set(_nonspace_ends(["".join(p) for p in paragraphs]))
    return set(_nonspace_ends(sentences)) - paragraph_ends, paragraph_ends


def score_boundaries(system: str, docs_and_gold: list[tuple[Document, Path]], segment: Segmenter) -> BoundaryScore:
    tp = fp = fn = 0
    for doc, path in docs_and_gold:
        gold, paragraph_ends = _gold_boundaries(path, doc)
        spans = segment(doc.text, [(p.start, p.end) for p in doc.paragraphs])
        found = set(_nonspace_ends([doc.text[s:e] for s, e in spans])) - paragraph_ends
        tp += len(found & gold)
        fp += len(found - gold)
        fn += len(gold - found)
    return BoundaryScore(system, tp, fp, fn)


def pysbd_segmenter() -> Segmenter:
    """pysbd's Arabic rules as a segmenter over the same paragraphs (needs the ``test`` extra)."""
    import pysbd

    seg = pysbd.Segmenter(language="ar", clean=False, char_span=True)

    def segment(text: str, paragraphs: Sequence[Span]) -> list[Span]:
        spans: list[Span] = []
        for start, end in paragraphs:
            for piece in seg.segment(text[start:end]):
                spans.append((start + piece.start, start + piece.end))
        return spans

    return segment


def sentence_scores(
    root: Path, documents: list[Document], systems: dict[str, Segmenter] | None = None
) -> list[BoundaryScore]:
    """Scores of Furat (and any other systems) on every document that has a gold file."""
    pairs = [(d, root / GOLD_DIR / f"{d.id}.txt") for d in documents if (root / GOLD_DIR / f"{d.id}.txt").is_file()]
    if not pairs:
        raise FuratError([Finding(GOLD_DIR, 0, "gold-missing", "no gold sentence files for the corpus documents")], 2)
    chosen = {"furat": lambda text, paragraphs: sentence_spans(text, list(paragraphs))} | (systems or {})
    return [score_boundaries(name, pairs, segment) for name, segment in chosen.items()]


DEV_DIR = Path("tests") / "fixtures" / "preannotate_dev"  # development: tuned while looking at it
DEV2_DIR = Path("tests") / "fixtures" / "preannotate_dev2"  # development too, written later on new topics
DEV_DIRS = (DEV_DIR, DEV2_DIR)  # the development sets, scored together
TEST_DIR = Path("tests") / "fixtures" / "preannotate_test"  # held out: never used for tuning
ENTITY_LABELS = ("PER", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT")


@dataclass(frozen=True)
class PreannotatorScore:
    """The pre-annotator against gold, over every gold document of one repository."""

    documents: int
    entities: SpanScore
    quantities: SpanScore | None  # None where the gold does not annotate quantities
    quantity_values_agree: int
    entity_labels: dict[str, SpanScore] = field(default_factory=dict)

    @property
    def quantity_value_agreement(self) -> float | None:
        matched = self.quantities.matched if self.quantities else 0
        return self.quantity_values_agree / matched if matched else None


def _label_scores(reference: AnnotationSet, predicted: AnnotationSet) -> dict[str, SpanScore]:
    pairs = match_spans(reference.entities, predicted.entities, lambda x, y: x.label == y.label, exact=True)
    scores = {}
    for label in ENTITY_LABELS:
        matched = sum(1 for x, _ in pairs if x.label == label)
        gold = sum(1 for e in reference.entities if e.label == label)
        found = sum(1 for e in predicted.entities if e.label == label)
        scores[label] = SpanScore(matched, gold - matched, found - matched)
    return scores


def _score_against(
    gold: dict[str, AnnotationSet],
    documents: dict[str, Document],
    names_for: Callable[[str], dict[str, str]],
    tagger_for: Callable[[str], EntityTagger | bool] = lambda _: True,
) -> PreannotatorScore:
    from furat.annotate.preannotate import predict

    total = None
    labels = {label: SpanScore(0, 0, 0) for label in ENTITY_LABELS}
    with_quantities = all("quantities" in a.provenance.get("layers", ["quantities"]) for a in gold.values())
    for doc_id, reference in gold.items():
        predicted = predict(documents[doc_id], names_for(doc_id), rules=True, tagger=tagger_for(doc_id))
        result = agreement(reference, predicted)
        total = result if total is None else total + result
        labels = {k: v + _label_scores(reference, predicted)[k] for k, v in labels.items()}
    assert total is not None
    quantities = total.quantities_exact if with_quantities else None
    values = total.quantity_values_agree if with_quantities else 0
    return PreannotatorScore(len(gold), total.entities_exact, quantities, values, labels)


def preannotator_scores(root: Path) -> PreannotatorScore:
    """Precision/recall of the pre-annotator against the gold annotations.

    Entities are predicted with the names of the gold of the *other* documents (plus the curated
    list, the library gazetteers and the rules: leave one document out), and by an entity tagger that
    never saw the document (``entity_model.corpus_fold_taggers``: trained on every training document but
    the corpus documents of its fold), so no document is scored with its own gold. Quantities come from
    the recognizer, which never sees gold.
    Matches are exact spans with equal labels (entities) or equal units (quantities).
    """
    repo = Repo(root)
    gold = repo.gold_sets()
    if not gold:
        raise FuratError([Finding("annotations", 0, "gold-missing", "no gold annotation files yet")], 2)
    # the pre-annotator (its name lists, its recognizer) is loaded only when there is gold to score
    from furat.annotate.preannotate import curated_gazetteer, gold_gazetteer

    documents = {doc_id: repo.document(doc_id) for doc_id in gold}  # only what is scored: not every document

    def names(doc_id: str) -> dict[str, str]:
        return {**curated_gazetteer(), **gold_gazetteer(a for d, a in gold.items() if d != doc_id)}

    taggers = corpus_fold_taggers(root)
    return _score_against(gold, documents, names, lambda doc_id: taggers.get(doc_id, False))


def unseen_scores(root: Path, folder: Path | None = None) -> PreannotatorScore | None:
    """The pre-annotator on sets of constructed texts outside the corpus, with gold entities: by default
    the frozen development sets (``DEV_DIRS``) together, whose texts no list or rule was taken from but
    whose errors the rules were developed on, and which the entity tagger is trained on; or the one set
    in ``folder``. Names: the curated list and the whole gold of ``root``. None when the repository has
    no such set."""
    from furat.annotate.preannotate import curated_gazetteer, gold_gazetteer, load_gold

    gold: dict[str, AnnotationSet] = {}
    documents: dict[str, Document] = {}
    for dev in (root / f for f in ((folder,) if folder is not None else DEV_DIRS)):
        if (dev / "annotations").is_dir():
            gold |= load_gold(dev)
            documents |= {doc.id: doc for doc in Repo(dev).documents()}
    if not gold:
        return None
    names = {**curated_gazetteer(), **gold_gazetteer(load_gold(root).values())}
    return _score_against(gold, documents, lambda _: names)


def dev_dirs() -> str:
    """The development sets' folders, for a report."""
    return " and ".join(f"`{d.as_posix()}`" for d in DEV_DIRS)


def held_out_scores(root: Path) -> PreannotatorScore | None:
    """The pre-annotator on the held-out entity test set (``tests/fixtures/preannotate_test``): constructed
    texts written and frozen before the pre-annotator was run on them, never used for tuning. Scored like
    the development set; None when the repository has no such set."""
    return unseen_scores(root, TEST_DIR)


def _rows(score: PreannotatorScore, quantities_name: str) -> list[str]:
    lines = []
    layers = [("entities", score.entities)] + ([(quantities_name, score.quantities)] if score.quantities else [])
    for name, s in layers:
        lines.append(
            f"| {name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.matched} | {s.only_a} | {s.only_b} |"
        )
    for label, s in score.entity_labels.items():
        if s.matched + s.only_a + s.only_b:
            lines.append(
                f"| entities: {label} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} "
                f"| {s.matched} | {s.only_a} | {s.only_b} |"
            )
    return lines


def preannotator_table(root: Path) -> str:
    """The datasheet's table of the pre-annotator against the gold, computed from the data."""
    try:
        score = preannotator_scores(root)
    except FuratError:
        return "_No gold annotations yet, so the pre-annotator is not scored._"
    header = [
        "| layer | precision | recall | F1 | matched | missed | spurious |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    agree = score.quantity_value_agreement
    values = "-" if agree is None else f"{agree:.3f}"
    text = (
        f"**On the corpus's gold** ({score.documents} documents, none scored with its own gold):\n\n"
        + "\n".join(header + _rows(score, "quantities (recognizer)"))
        + "\n\nComputed by `furat eval preannotator`: exact spans, with equal labels (entities) or units "
        "(quantities). The entity names taken from the gold for each document are those of the other documents "
        "(leave one document out), beside the curated list, the CLDR, GeoNames and nisba gazetteers and the "
        "trigger rules; the entity tagger that reads them never saw the document: the corpus's gold documents are "
        f"cut into {CORPUS_FOLDS} folds, and each fold is tagged by a model trained on every training text outside "
        f"it. Normalized values are equal on {values} of the matched quantities."
    )
    unseen = unseen_scores(root)
    if unseen is not None:
        text += (
            f"\n\n**On text outside the corpus, seen (trained on)** ({unseen.documents} constructed news texts "
            f"in {dev_dirs()}, each set written and annotated before the pre-annotator was tuned on it, and frozen; "
            "entities only):\n\n"
            + "\n".join(header + _rows(unseen, "quantities"))
            + "\n\nThe figures on the corpus's gold are on the texts the curated names and the guidelines were "
            "written from. The constructed texts share no topic or place with the corpus and no name of them was "
            "added to the curated lists, but the trigger rules and thresholds were developed while looking at the "
            "pre-annotator's errors on them and the entity tagger is trained on them: they are training figures, "
            "and a new article will score lower."
        )
    held_out = held_out_scores(root)
    if held_out is not None:
        text += (
            f"\n\n**On held-out text** ({held_out.documents} constructed news texts in `{TEST_DIR.as_posix()}`, "
            "written, annotated and frozen before the pre-annotator was ever run on them, and never used for "
            "tuning; entities only): the best estimate here of how the pre-annotator does on a new article.\n\n"
            + "\n".join(header + _rows(held_out, "quantities"))
        )
    quantity_rows = []
    for name, file in (
        ("development", QUANTITY_DEV_FILE),
        ("development 2", QUANTITY_DEV2_FILE),
        ("development 3", QUANTITY_DEV3_FILE),
        ("held out", QUANTITY_TEST_FILE),
    ):
        q = quantity_dev_scores(root, file)
        if q is None:
            continue
        numbers = "-" if q.number_agreement is None else f"{q.number_agreement:.3f}"
        quantity_rows.append(
            f"| {name} (`{file}`, {q.sentences} sentences) | {q.quantities.precision:.3f} "
            f"| {q.quantities.recall:.3f} | {q.quantities.f1:.3f} | {numbers} |"
        )
    if quantity_rows:
        text += (
            "\n\n**The quantity recognizer on constructed sentences** (exact span and unit; value and bounds "
            "right on the matched; the development sentences were tuned on, the held-out ones never):\n\n"
            "| set | precision | recall | F1 | value and bounds right |\n|---|---:|---:|---:|---:|\n"
            + "\n".join(quantity_rows)
        )
    return text


QUANTITY_DEV_FILE = "tests/data/quantities_dev.tsv"  # development: tuned while looking at it
QUANTITY_DEV2_FILE = "tests/data/quantities_dev2.tsv"  # development too: measured once frozen, then tuned on
QUANTITY_DEV3_FILE = "tests/data/quantities_dev3.tsv"  # development too: other outlets' styles, then tuned on
QUANTITY_TEST_FILE = "tests/data/quantities_test.tsv"  # held out: never used for tuning


@dataclass(frozen=True)
class DevQuantity:
    """One expected mention of the quantity development set."""

    sentence: int  # index of its sentence
    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    unit: str
    approximate: bool


@dataclass(frozen=True)
class QuantityDevScore:
    """The recognizer against the frozen quantity development set (constructed sentences, not corpus)."""

    sentences: int
    quantities: SpanScore  # exact span and equal unit
    values_right: int  # of the matched: value, low, high and approximate all equal
    by_kind: dict[str, SpanScore]  # by the gold unit's kind
    numbers_right: int = 0  # of the matched: value, low and high equal (the approximate flag aside)
    approximate_right: int = 0  # of the matched: the approximate flag equal

    def _share(self, count: int) -> float | None:
        matched = self.quantities.matched
        return count / matched if matched else None

    @property
    def value_agreement(self) -> float | None:
        return self._share(self.values_right)

    @property
    def number_agreement(self) -> float | None:
        """Value and bounds right, on the matched quantities."""
        return self._share(self.numbers_right)

    @property
    def approximate_agreement(self) -> float | None:
        return self._share(self.approximate_right)


def _cell_number(cell: str) -> float | None:
    return float(cell) if cell else None


def load_quantity_dev(path: Path) -> tuple[list[str], list[DevQuantity]]:
    """The sentences of the development set and its expected mentions (offsets found in order)."""
    sentences: list[str] = []
    expected: list[DevQuantity] = []
    ids: dict[str, int] = {}
    header: list[str] | None = None
    cursor = 0
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        if len(cells) != len(header):
            message = f"{len(cells)} cells, want {len(header)}"
            raise FuratError([Finding(path.as_posix(), lineno, "gold-mismatch", message)])
        row = dict(zip(header, cells, strict=True))
        if row["id"] not in ids:
            ids[row["id"]] = len(sentences)
            sentences.append(row["sentence"])
            cursor = 0
        index = ids[row["id"]]
        if not row["text"]:
            continue
        start = sentences[index].find(row["text"], cursor)
        if start < 0:
            message = f"{row['text']!r} is not in the sentence of {row['id']} after offset {cursor}"
            raise FuratError([Finding(path.as_posix(), lineno, "gold-mismatch", message)])
        cursor = start + len(row["text"])
        expected.append(
            DevQuantity(
                index,
                start,
                cursor,
                _cell_number(row["value"]),
                _cell_number(row["low"]),
                _cell_number(row["high"]),
                row["unit"] or "count",
                row["approximate"] == "1",
            )
        )
    return sentences, expected


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b))


def quantity_dev_scores(root: Path, file: str = QUANTITY_DEV_FILE) -> QuantityDevScore | None:
    """The quantity recognizer on a frozen set of constructed sentences, by default the development set
    ``tests/data/quantities_dev.tsv``.

    The set is scored apart from the seed gold: its sentences were written for it and annotated by the
    guidelines before the recognizer was tuned on them. A match is an exact span with an equal unit;
    its value is right when value, low, high and approximate are equal (``numbers_right`` counts value
    and bounds alone, ``approximate_right`` the flag alone). None when the repository has no such set.
    """
    from furat.annotate.quantities import find_quantities
    from furat.core.labels import load_labels

    path = root / file
    if not path.is_file():
        return None  # a repository without the set (the corpus alone)
    sentences, expected = load_quantity_dev(path)
    kinds = load_labels().unit_kind
    gold: dict[tuple[int, int, int], DevQuantity] = {(q.sentence, q.start, q.end): q for q in expected}
    matched = values = numbers = approximates = spurious = 0
    found: set[tuple[int, int, int]] = set()
    spurious_by_kind: dict[str, int] = {}
    matched_by_kind: dict[str, int] = {}
    for index, sentence in enumerate(sentences):
        for q in find_quantities(sentence):
            g = gold.get((index, q.start, q.end))
            if g is None or g.unit != q.unit:
                spurious += 1
                spurious_by_kind[q.kind] = spurious_by_kind.get(q.kind, 0) + 1
                continue
            matched += 1
            found.add((index, q.start, q.end))
            matched_by_kind[q.kind] = matched_by_kind.get(q.kind, 0) + 1
            same = (q.value, q.low, q.high)
            want = (g.value, g.low, g.high)
            right_numbers = all(_close(a, b) for a, b in zip(same, want, strict=True))
            numbers += right_numbers
            approximates += q.approximate is g.approximate
            values += right_numbers and q.approximate is g.approximate
    by_kind: dict[str, SpanScore] = {}
    for key, g in gold.items():
        kind = kinds.get(g.unit, "not in labels.json")
        missed = 0 if key in found else 1
        prior = by_kind.get(kind, SpanScore(0, 0, 0))
        by_kind[kind] = prior + SpanScore(0, missed, 0)
    for kind in set(by_kind) | set(spurious_by_kind):
        prior = by_kind.get(kind, SpanScore(0, 0, 0))
        by_kind[kind] = prior + SpanScore(matched_by_kind.get(kind, 0), 0, spurious_by_kind.get(kind, 0))
    score = SpanScore(matched, len(gold) - matched, spurious)
    return QuantityDevScore(len(sentences), score, values, dict(sorted(by_kind.items())), numbers, approximates)


def quantity_test_scores(root: Path) -> QuantityDevScore | None:
    """The quantity recognizer on the held-out test set ``tests/data/quantities_test.tsv``: constructed
    sentences written and frozen before the recognizer was run on them, never used for tuning."""
    return quantity_dev_scores(root, QUANTITY_TEST_FILE)
