"""UIMA CAS XMI through dkpro-cassis: ``<doc>.xmi`` per document and ``TypeSystem.xml`` beside them.

Types: ``furat.Entity(id, label)``, ``furat.Quantity(id, value, low, high, unit, kind, approximate,
counted → furat.Counted)``, ``furat.Stance(id, target, label, holder → furat.Entity, holderKind)``,
``furat.NotQuantity(rule)``, ``furat.Sentence(id)``, ``furat.Paragraph(id, kind)`` and one
``furat.DocumentMetadata(documentId, schemaVersion, textSha256, provenance, meta)`` whose last two
are JSON strings. In the XMI, offsets are UTF-16 code units (as UIMA's Java side counts them);
cassis converts them from and to Python's code points, so the Furat offsets come back unchanged.
A number without decimals is read back as an integer (annotation files write whole numbers so).
"""

from __future__ import annotations

import json
import warnings
from typing import Any

from furat.core.annotation import AnnotationSet, Entity, NotQuantity, Quantity, Span, Stance, text_sha256
from furat.core.findings import Finding, FuratError
from furat.core.model import Document

__all__ = ["from_cas", "load_type_system", "to_xmi", "type_system"]

_STRING, _DOUBLE, _BOOLEAN = "uima.cas.String", "uima.cas.Double", "uima.cas.Boolean"
_ANNOTATION = "uima.tcas.Annotation"
ENTITY, QUANTITY, COUNTED, STANCE = "furat.Entity", "furat.Quantity", "furat.Counted", "furat.Stance"
NOT_QUANTITY, SENTENCE, PARAGRAPH, METADATA = (
    "furat.NotQuantity",
    "furat.Sentence",
    "furat.Paragraph",
    "furat.DocumentMetadata",
)


def type_system() -> Any:
    """Furat's UIMA type system (a ``cassis.TypeSystem``)."""
    from cassis import TypeSystem

    ts = TypeSystem()

    def add(name: str, features: list[tuple[str, str]], supertype: str = _ANNOTATION) -> None:
        kind = ts.create_type(name, supertypeName=supertype)
        for feature, range_type in features:
            ts.create_feature(kind, feature, range_type)

    add(ENTITY, [("id", _STRING), ("label", _STRING)])
    add(COUNTED, [])
    add(
        QUANTITY,
        [
            ("id", _STRING),
            ("value", _DOUBLE),
            ("low", _DOUBLE),
            ("high", _DOUBLE),
            ("unit", _STRING),
            ("kind", _STRING),
            ("approximate", _BOOLEAN),
            ("counted", COUNTED),
        ],
    )
    add(STANCE, [("id", _STRING), ("target", _STRING), ("label", _STRING), ("holder", ENTITY), ("holderKind", _STRING)])
    add(NOT_QUANTITY, [("rule", _STRING)])
    add(SENTENCE, [("id", _STRING)])
    add(PARAGRAPH, [("id", _STRING), ("kind", _STRING)])
    meta = [("documentId", _STRING), ("schemaVersion", _STRING), ("textSha256", _STRING)]
    add(METADATA, [*meta, ("provenance", _STRING), ("meta", _STRING)], "uima.cas.TOP")
    return ts


def load_type_system(xml: str) -> Any:
    from cassis import load_typesystem

    return load_typesystem(xml)


def to_xmi(doc: Document, annotations: AnnotationSet, ts: Any) -> str:
    """The XMI of one document (its text as the sofa, every layer as annotations)."""
    from cassis import Cas

    cas = Cas(typesystem=ts)
    cas.sofa_string = doc.text
    cas.sofa_mime = "text/plain"
    data = annotations.to_json()
    types = {name: ts.get_type(name) for name in (ENTITY, QUANTITY, COUNTED, STANCE, NOT_QUANTITY)}
    for name in (SENTENCE, PARAGRAPH, METADATA):
        types[name] = ts.get_type(name)
    cas.add(
        types[METADATA](
            documentId=annotations.document,
            schemaVersion=data["schema_version"],
            textSha256=annotations.text_sha256,
            provenance=json.dumps(annotations.provenance, ensure_ascii=False),
            meta=json.dumps(doc.meta.to_json(), ensure_ascii=False),
        )
    )
    for p in doc.paragraphs:
        cas.add(types[PARAGRAPH](begin=p.start, end=p.end, id=p.id, kind=p.kind or None))
    for s in doc.sentences:
        cas.add(types[SENTENCE](begin=s.start, end=s.end, id=s.id))
    entities: dict[str, Any] = {}
    for e in data["entities"]:
        entities[e["id"]] = types[ENTITY](begin=e["start"], end=e["end"], id=e["id"], label=e["label"])
        cas.add(entities[e["id"]])
    for q in data["quantities"]:
        counted = None
        if q["counted"] is not None:
            counted = types[COUNTED](begin=q["counted"]["start"], end=q["counted"]["end"])
            cas.add(counted)
        numbers = {k: float(q[k]) if q[k] is not None else None for k in ("value", "low", "high")}
        quantity = types[QUANTITY](
            begin=q["start"], end=q["end"], id=q["id"], unit=q["unit"], kind=q["kind"], **numbers
        )
        quantity.approximate = bool(q["approximate"])
        quantity.counted = counted
        cas.add(quantity)
    for s in data["stances"]:
        stance = types[STANCE](begin=s["start"], end=s["end"], id=s["id"], target=s["target"], label=s["label"])
        stance.holder = entities[s["holder"]] if s["holder"] is not None else None
        stance.holderKind = s.get("holder_kind")
        cas.add(stance)
    for n in data.get("not_quantities", []):
        cas.add(types[NOT_QUANTITY](begin=n["start"], end=n["end"], rule=n["rule"]))
    xmi: str = cas.to_xmi()
    return xmi


def _number(value: Any) -> int | float | None:
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def from_cas(path: str, xmi: str, ts: Any) -> AnnotationSet:
    """The annotation set of one XMI; raises ``FuratError`` when it cannot be read or does not fit its text."""
    from cassis import load_cas_from_xmi

    try:
        with warnings.catch_warnings():  # an offset cassis cannot map is caught below (fingerprint, range)
            warnings.simplefilter("ignore", UserWarning)
            cas = load_cas_from_xmi(xmi, typesystem=ts)
    except Exception as exc:  # cassis raises many kinds (XML, type system, value) on a bad file
        raise FuratError([Finding(path, 0, "import-syntax", f"cassis cannot read it: {exc}")]) from None
    text: str = cas.sofa_string or ""
    metadata = list(cas.select(METADATA))
    if len(metadata) != 1:
        raise FuratError([Finding(path, 0, "import-sidecar-missing", "no furat.DocumentMetadata (exactly one)")])
    meta = metadata[0]
    if meta.textSha256 != text_sha256(text):
        message = f"the sofa is not the text {meta.documentId} was annotated on"
        raise FuratError([Finding(path, 0, "import-text-changed", message)])
    problems: list[Finding] = []

    def span(fs: Any, what: str) -> tuple[int, int, str]:
        begin, end = int(fs.begin), int(fs.end)
        if not 0 <= begin <= end <= len(text):
            problems.append(Finding(path, 0, "import-span-mismatch", f"{what} [{begin}:{end}] is out of the text"))
        return begin, end, text[begin:end]

    entities = [Entity(e.id, *span(e, e.id), e.label) for e in cas.select(ENTITY)]
    quantities = []
    for q in cas.select(QUANTITY):
        counted = Span(*span(q.counted, f"{q.id}/counted")) if q.counted is not None else None
        numbers = (_number(q.value), _number(q.low), _number(q.high))
        quantities.append(Quantity(q.id, *span(q, q.id), *numbers, q.unit, q.kind, bool(q.approximate), counted))
    stances = [
        Stance(s.id, *span(s, s.id), s.target, s.label, s.holder.id if s.holder is not None else None, s.holderKind)
        for s in cas.select(STANCE)
    ]
    not_quantities = [NotQuantity(*span(n, "not_quantity"), n.rule) for n in cas.select(NOT_QUANTITY)]
    if problems:
        raise FuratError(problems)
    try:
        provenance = json.loads(meta.provenance or "{}")
    except ValueError:
        raise FuratError([Finding(path, 0, "import-bad-value", "provenance is not JSON")]) from None
    return AnnotationSet(
        document=str(meta.documentId),
        text_sha256=str(meta.textSha256),
        provenance=provenance,
        entities=tuple(entities),
        quantities=tuple(quantities),
        stances=tuple(stances),
        not_quantities=tuple(not_quantities),
    )
