"""The token-based formats: CoNLL (IOB2), spaCy DocBin and Prodigy JSONL, on the ``ner`` config's tokens.

Each writer returns its content and records in a ``LossReport`` what the format cannot hold.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable
from typing import Any

from furat.core.annotation import AnnotationSet
from furat.corpus.segment import token_spans
from furat.dataset.rows import ner_tags
from furat.export.common import Exported, LossReport

__all__ = ["conll_document", "prodigy_records", "spacy_docbin"]

WIDENED = "entity span widened to whole tokens"


def _layers_lost(report: LossReport, doc_id: str, annotations: AnnotationSet, what: Iterable[str]) -> None:
    """Record the layers a format has no place for, one loss per item."""
    for layer in what:
        if layer == "quantities":
            for q in annotations.quantities:
                report.add("quantity", doc_id, q.id, q.text)
        elif layer == "stances":
            for s in annotations.stances:
                report.add("stance", doc_id, s.id, f"{s.target} {s.label}")
        elif layer == "not_quantities":
            for n in annotations.not_quantities:
                report.add("not_quantity", doc_id, f"[{n.start}:{n.end}]", f"{n.text} ({n.rule})")
        elif layer == "provenance":
            report.add("provenance", doc_id, "provenance", str(annotations.provenance.get("status")))


def _widened(report: LossReport, item: Exported) -> None:
    """Entities whose tokens reach beyond them (an attached proclitic: ``لداعش`` for ``داعش``)."""
    text = item.doc.text
    spans = token_spans(text)
    starts = [a for a, _ in spans]
    for e in item.annotations.entities:
        first = spans[max(bisect.bisect_right(starts, e.start) - 1, 0)]
        last = spans[max(bisect.bisect_left(starts, e.end) - 1, 0)]
        start = first[0] if first[0] <= e.start < first[1] else e.start
        end = last[1] if last[0] < e.end <= last[1] else e.end
        if (start, end) != (e.start, e.end):
            report.add(WIDENED, item.doc.id, e.id, f"{e.text!r} -> {text[start:end]!r}")


def conll_document(item: Exported, report: LossReport) -> str:
    """``-DOCSTART-``, then one ``token<TAB>tag`` line per token and a blank line after each sentence."""
    doc, annotations = item.doc, item.annotations
    entities = sorted(annotations.entities, key=lambda e: (e.start, e.end))
    lines = ["-DOCSTART- -X- -X- O", ""]
    notes: list[str] = []
    for sentence in doc.sentences:
        tokens, tags = ner_tags(doc.text, sentence, entities, notes)
        lines += [f"{token}\t{tag}" for token, tag in zip(tokens, tags, strict=True)]
        lines.append("")
    for note in dict.fromkeys(notes):
        report.add("entity not expressible in IOB2 tags", doc.id, note.split(" ", 1)[0], note)
    _widened(report, item)
    _layers_lost(report, doc.id, annotations, ("quantities", "stances", "not_quantities", "provenance"))
    return "\n".join(lines) + "\n"


def prodigy_records(item: Exported, report: LossReport) -> list[dict[str, Any]]:
    """One Prodigy task per sentence: its text, tokens, entity and quantity spans (offsets in the sentence).

    Quantity spans are labelled ``QUANTITY:<kind>``; their values, unit, approximation and counted span
    are lost, as are stances and numbers that are not quantities.
    """
    doc, annotations, text = item.doc, item.annotations, item.doc.text
    mentions = [(e.start, e.end, e.label, e.id) for e in annotations.entities]
    mentions += [(q.start, q.end, f"QUANTITY:{q.kind}", q.id) for q in annotations.quantities]
    mentions.sort()
    placed: set[str] = set()
    records = []
    for sentence in doc.sentences:
        base = sentence.start
        spans = token_spans(text, sentence.start, sentence.end)
        tokens = [
            {
                "text": text[a:b],
                "start": a - base,
                "end": b - base,
                "id": i,
                "ws": b < sentence.end and text[b].isspace(),
            }
            for i, (a, b) in enumerate(spans)
        ]
        found = []
        for start, end, label, ident in mentions:
            if start < sentence.start or end > sentence.end:
                continue
            covering = [i for i, (a, b) in enumerate(spans) if a < end and start < b]
            if not covering:
                continue
            placed.add(ident)
            found.append(
                {
                    "start": start - base,
                    "end": end - base,
                    "label": label,
                    "token_start": covering[0],
                    "token_end": covering[-1],
                }
            )
        meta = {"doc_id": doc.id, "sentence_id": sentence.id, "split": item.split, "offset": base}
        sentence_text = text[sentence.start : sentence.end]
        records.append({"text": sentence_text, "tokens": tokens, "spans": found, "meta": meta})
    for start, end, _label, ident in mentions:
        if ident not in placed:
            report.add("span across a sentence end", doc.id, ident, text[start:end])
    for q in annotations.quantities:
        report.add("quantity value, unit, approximate, counted", doc.id, q.id, q.text)
    _layers_lost(report, doc.id, annotations, ("stances", "not_quantities", "provenance"))
    return records


def spacy_docbin(items: list[Exported], report: LossReport) -> bytes:
    """A ``DocBin`` of one spaCy ``Doc`` per document, built on Furat's tokens.

    Between tokens, a single space is the token's ``whitespace_``; any other white space (line breaks)
    is a whitespace token, so ``doc.text`` is the Furat text and character offsets are Furat's.
    ``doc.ents`` holds the entities, aligned to tokens with ``alignment_mode="expand"``;
    ``doc.spans["quantities"]``, ``doc.spans["stances"]`` and ``doc.spans["not_quantities"]`` the
    other layers; ``doc.user_data["furat"]`` the document id, its split and, under ``annotations``, the whole
    annotation file as JSON text (ids, exact offsets, values, holders, provenance).
    """
    import spacy
    from spacy.tokens import Doc, DocBin, Span

    nlp = spacy.blank("ar")
    docbin = DocBin(store_user_data=True)
    for item in items:
        text, annotations = item.doc.text, item.annotations
        words: list[str] = []
        spaces: list[bool] = []
        starts: list[bool | int | None] = []
        position = 0
        sentence_starts = set()
        for sentence in item.doc.sentences:
            spans = token_spans(text, sentence.start, sentence.end)
            if spans:
                sentence_starts.add(spans[0][0])
            for start, end in spans:
                _gap(text[position:start], words, spaces, starts)
                words.append(text[start:end])
                spaces.append(False)
                starts.append(start in sentence_starts)
                position = end
        _gap(text[position:], words, spaces, starts)
        doc = Doc(nlp.vocab, words=words, spaces=spaces, sent_starts=starts)
        if doc.text != text:  # the construction above guarantees it; a wrong Doc must not be written
            raise ValueError(f"{item.doc.id}: the spaCy Doc does not reproduce the text")
        ents: list[Span] = []
        for e in sorted(annotations.entities, key=lambda e: (e.start, e.end)):
            span = doc.char_span(e.start, e.end, label=e.label, alignment_mode="expand")
            if span is None:
                report.add("entity not placed on tokens", item.doc.id, e.id, e.text)
                continue
            if (span.start_char, span.end_char) != (e.start, e.end):
                report.add(WIDENED, item.doc.id, e.id, f"{e.text!r} -> {span.text!r} (exact offsets in user_data)")
            if ents and span.start < ents[-1].end:
                report.add("entity overlapping another after alignment", item.doc.id, e.id, e.text)
                continue
            ents.append(span)
        doc.ents = ents
        groups = {
            "quantities": [(q.start, q.end, q.kind) for q in annotations.quantities],
            "stances": [(s.start, s.end, f"{s.target}:{s.label}") for s in annotations.stances],
            "not_quantities": [(n.start, n.end, n.rule) for n in annotations.not_quantities],
        }
        for name, mentions in groups.items():
            group = [doc.char_span(a, b, label=label, alignment_mode="expand") for a, b, label in sorted(mentions)]
            doc.spans[name] = [span for span in group if span is not None]
        # msgpack would turn the file's lists into tuples: the annotation file goes in as its JSON text
        annotation_file = json.dumps(annotations.to_json(), ensure_ascii=False)
        doc.user_data["furat"] = {"document": item.doc.id, "split": item.split, "annotations": annotation_file}
        docbin.add(doc)
    data: bytes = docbin.to_bytes()
    return data


def _gap(gap: str, words: list[str], spaces: list[bool], starts: list[bool | int | None]) -> None:
    """White space between tokens: one space goes to the previous token, the rest is a whitespace token."""
    if not gap:
        return
    if gap[0] == " " and words:
        spaces[-1] = True
        gap = gap[1:]
    if gap:
        words.append(gap)
        spaces.append(False)
        starts.append(False)


def jsonl(records: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
