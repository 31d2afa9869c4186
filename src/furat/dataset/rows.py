"""Rows of every config for one document, and the BIO tags of the ``ner`` config."""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from furat.core.annotation import AnnotationSet, Entity
from furat.core.findings import Finding
from furat.core.model import Document, Segment
from furat.corpus.segment import token_offsets, token_texts
from furat.dataset.summary import CONFIGS, count_tokens

_T = TypeVar("_T")


class _Names(dict[str, str]):
    """BIO tag names as themselves (``ner_tags`` gives names where the build gives ids)."""

    def __missing__(self, key: str) -> str:
        return key


def ner_tags(
    text: str, sentence: Segment, entities: Sequence[Entity], notes: list[str] | None = None
) -> tuple[list[str], list[str]]:
    """Tokens of one sentence and their BIO tags.

    A token is tagged when it overlaps an entity: entity spans leave attached proclitics outside
    (``داعش`` in ``لداعش``) while tokens keep them, so ``لداعش`` is one token tagged ``B-ORG``. The
    first token of an entity in the sentence gets ``B-``, the others ``I-``. ``entities`` must be
    sorted by start and must not overlap (the scheme is flat). Anything the tags cannot express (two
    entities in one token, an entity across a sentence end) is described in ``notes``.
    """
    first = bisect.bisect_right([e.end for e in entities], sentence.start)
    return _sentence_tags(text, sentence, entities, first, notes, _Names(), "O")


def _sentence_tags(
    text: str,
    sentence: Segment,
    entities: Sequence[Entity],
    first: int,
    notes: list[str] | None,
    tags: Mapping[str, _T],
    outside: _T,
) -> tuple[list[str], list[_T]]:
    """``ner_tags`` given ``first``, the index of the first entity that ends after the sentence starts,
    with each tag given as ``tags[name]`` (and ``outside`` for ``O``).

    Each entity finds its tokens by bisection on the tokens' offsets (entities are few, tokens many); a
    token two entities share goes to the first of them.
    """
    tokens, starts, ends = token_offsets(text, sentence.start, sentence.end)
    found = [outside] * len(tokens)
    inside = []
    for entity in entities[first:]:
        if entity.start >= sentence.end:
            break
        inside.append(entity)
    owner: dict[int, str] = {}
    for entity in inside:
        prefix = "B-"
        low = bisect.bisect_right(ends, entity.start)
        for k in range(low, bisect.bisect_left(starts, entity.end, low)):
            if k in owner:  # the token's first entity keeps it
                if notes is not None:
                    notes.append(f"{entity.id} shares the token {tokens[k]!r} with {owner[k]}")
                continue
            owner[k] = entity.id
            found[k] = tags[prefix + entity.label]
            prefix = "I-"
    if notes is not None:
        notes.extend(
            f"{e.id} runs across the end of sentence {sentence.id}"
            for e in inside
            if e.start < sentence.start or e.end > sentence.end
        )
    return tokens, found


def _sentence_of(doc: Document, starts: list[int], offset: int) -> str:
    return doc.sentences[max(bisect.bisect_right(starts, offset) - 1, 0)].id


_LAYOUTS: dict[int, tuple[Mapping[str, Any], tuple[str, ...], frozenset[str], list[tuple[str, dict[str, int]]]]] = {}


def _layout(
    features: Mapping[str, Any],
) -> tuple[tuple[str, ...], frozenset[str], list[tuple[str, dict[str, int]]]]:
    """The fields of ``features``, as a tuple and a set, and its ClassLabel fields with their name -> id
    maps; made once per ``features``."""
    cached = _LAYOUTS.get(id(features))
    if cached is None or cached[0] is not features:
        from datasets import ClassLabel

        labels = [(k, {n: i for i, n in enumerate(f.names)}) for k, f in features.items() if isinstance(f, ClassLabel)]
        cached = _LAYOUTS[id(features)] = (features, tuple(features), frozenset(features), labels)
    return cached[1], cached[2], cached[3]


def _row(features: Mapping[str, Any], item: Mapping[str, Any], where: str) -> dict[str, Any]:
    """``item`` with exactly the fields of ``features``, its ClassLabel values as their integer ids."""
    keys, known, labels = _layout(features)
    row = dict.fromkeys(keys)
    row.update(item)
    if len(row) != len(keys):  # the features come from the schema, so this is a bug, not bad data
        raise ValueError(f"{where}: fields {sorted(set(item) - known)} are not in the dataset features")
    for key, ids in labels:
        value = row[key]
        if value is not None:
            if value not in ids:
                raise ValueError(f"{where}: {key} {value!r} is not one of {sorted(ids)}")
            row[key] = ids[value]
    return row


def _document_row(doc: Document, annotations: AnnotationSet | None) -> dict[str, Any]:
    meta = doc.meta
    return {
        "id": doc.id,
        "title": meta.title,
        "text": doc.text,
        "outlet": meta.outlet,
        "author": meta.author,
        "published": meta.published,
        "url": meta.url,
        "section": meta.section,
        "sentences": [{"id": s.id, "start": s.start, "end": s.end} for s in doc.sentences],
        "paragraphs": [{"id": p.id, "start": p.start, "end": p.end, "kind": p.kind or None} for p in doc.paragraphs],
        "annotation_status": annotations.provenance.get("status") if annotations else None,
    }


def document_rows(
    doc: Document,
    annotations: AnnotationSet | None,
    features: Mapping[str, Any],
    bio: Mapping[str, int],
    notes: list[Finding] | None = None,
) -> tuple[dict[str, list[dict[str, Any]]], int]:
    """The rows one document gives each config (labels as their integer ids), and its token count.

    Only a document with an annotation file gives rows to the annotation configs: a document nobody
    has annotated is not a document without entities. ``bio`` maps BIO tag names to their ids.
    """
    rows: dict[str, list[dict[str, Any]]] = {config: [] for config in CONFIGS}
    rows["documents"].append(_row(features["documents"], _document_row(doc, annotations), doc.id))
    if annotations is None:
        return rows, count_tokens(doc)
    starts = [s.start for s in doc.sentences]
    entities = sorted(annotations.entities, key=lambda e: (e.start, e.end))
    for entity in entities:
        item = {**entity.to_json(), "doc_id": doc.id, "sentence_id": _sentence_of(doc, starts, entity.start)}
        rows["entities"].append(_row(features["entities"], item, entity.id))
    for quantity in sorted(annotations.quantities, key=lambda q: (q.start, q.end)):
        item = {**quantity.to_json(), "doc_id": doc.id, "sentence_id": _sentence_of(doc, starts, quantity.start)}
        rows["quantities"].append(_row(features["quantities"], item, quantity.id))
    for stance in sorted(annotations.stances, key=lambda t: (t.start, t.end)):
        rows["stance"].append(_row(features["stance"], {**stance.to_json(), "doc_id": doc.id}, stance.id))
    texts: list[str] = []
    count = first = 0
    outside = bio["O"]
    for sentence in doc.sentences:
        while first < len(entities) and entities[first].end <= sentence.start:
            first += 1
        if first < len(entities) and entities[first].start < sentence.end:
            tokens, ids = _sentence_tags(doc.text, sentence, entities, first, texts, bio, outside)
        else:  # no entity in the sentence: its tokens only, without their offsets
            tokens = token_texts(doc.text, sentence.start, sentence.end)
            ids = [outside] * len(tokens)
        count += len(tokens)
        rows["ner"].append({"id": sentence.id, "doc_id": doc.id, "tokens": tokens, "ner_tags": ids})
    if notes is not None:
        rel = f"annotations/{doc.id}.json"
        notes.extend(Finding(rel, 0, "ner-lossy", text, "warning") for text in dict.fromkeys(texts))
    return rows, count
