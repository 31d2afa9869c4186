"""Rows of every config for one document, and the BIO tags of the ``ner`` config.

Rows are made from a document's files as JSON: the corpus file and its annotation file, as ``furat
validate``'s checks parsed them (every span was checked against the text there), or as the model's
``to_json()`` gives them. The JSON is the contract the dataset's features are derived from, so a row is
the file's item with the fields the dataset adds (``doc_id``, ``sentence_id``) and its labels as their
ids.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any, TypeVar

from furat.core.annotation import Entity
from furat.core.findings import Finding
from furat.core.model import Segment
from furat.core.repo import META_FIELDS
from furat.corpus.segment import token_offsets, token_texts
from furat.dataset.summary import CONFIGS, sentence_tokens

_T = TypeVar("_T")

# An entity as the tags need it: (start, end, label, id)
_Span = tuple[int, int, str, str]

_START_END = itemgetter("start", "end")


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
    spans = [(e.start, e.end, e.label, e.id) for e in entities]
    first = bisect.bisect_right([e.end for e in entities], sentence.start)
    return _sentence_tags(text, sentence.start, sentence.end, sentence.id, spans, first, notes, _Names(), "O")


def _sentence_tags(
    text: str,
    low: int,
    high: int,
    sentence_id: str,
    entities: Sequence[_Span],
    first: int,
    notes: list[str] | None,
    tags: Mapping[str, _T],
    outside: _T,
) -> tuple[list[str], list[_T]]:
    """``ner_tags`` of the sentence ``sentence_id`` at ``[low, high)``, given ``first``, the index of the
    first entity that ends after the sentence starts, with each tag given as ``tags[name]`` (and
    ``outside`` for ``O``).

    Each entity finds its tokens by bisection on the tokens' offsets (entities are few, tokens many); a
    token two entities share goes to the first of them.
    """
    tokens, starts, ends = token_offsets(text, low, high)
    found = [outside] * len(tokens)
    inside = []
    for entity in entities[first:]:
        if entity[0] >= high:
            break
        inside.append(entity)
    owner: dict[int, str] = {}
    for start, end, label, entity_id in inside:
        prefix = "B-"
        lo = bisect.bisect_right(ends, start)
        for k in range(lo, bisect.bisect_left(starts, end, lo)):
            if k in owner:  # the token's first entity keeps it
                if notes is not None:
                    notes.append(f"{entity_id} shares the token {tokens[k]!r} with {owner[k]}")
                continue
            owner[k] = entity_id
            found[k] = tags[prefix + label]
            prefix = "I-"
    if notes is not None:
        notes.extend(
            f"{entity_id} runs across the end of sentence {sentence_id}"
            for start, end, _, entity_id in inside
            if start < low or end > high
        )
    return tokens, found


_LAYOUTS: dict[int, tuple[Mapping[str, Any], frozenset[str], list[tuple[str, dict[str, int]]]]] = {}


def _layout(features: Mapping[str, Any]) -> tuple[frozenset[str], list[tuple[str, dict[str, int]]]]:
    """The fields of ``features`` as a set, and its ClassLabel fields with their name -> id maps; made
    once per ``features``."""
    cached = _LAYOUTS.get(id(features))
    if cached is None or cached[0] is not features:
        from datasets import ClassLabel

        labels = [(k, {n: i for i, n in enumerate(f.names)}) for k, f in features.items() if isinstance(f, ClassLabel)]
        cached = _LAYOUTS[id(features)] = (features, frozenset(features), labels)
    return cached[1], cached[2]


def _rows(features: Mapping[str, Any], items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``items`` as rows of ``features``, their ClassLabel values as their integer ids (in place). A field of
    the features that an item lacks is left out (Arrow reads it as null); a field the features lack raises
    ``ValueError``."""
    known, labels = _layout(features)
    for item in items:
        if not item.keys() <= known:  # the features come from the schema, so this is a bug, not bad data
            raise ValueError(f"{item.get('id')}: fields {sorted(item.keys() - known)} are not in the dataset features")
        for key, ids in labels:
            value = item.get(key)
            if value is not None:
                if value not in ids:
                    raise ValueError(f"{item.get('id')}: {key} {value!r} is not one of {sorted(ids)}")
                item[key] = ids[value]
    return items


def document_rows(
    doc: Mapping[str, Any],
    annotations: Mapping[str, Any] | None,
    features: Mapping[str, Any],
    bio: Mapping[str, int],
    notes: list[Finding] | None = None,
) -> tuple[dict[str, list[dict[str, Any]]], int]:
    """The rows one document gives each config (labels as their integer ids), and its token count, from
    its corpus file and its annotation file as JSON (see the module's docstring). Neither is changed; the
    rows share their inner lists and objects (sentences, ``counted``) with them, so rows are not to be
    changed either.

    Only a document with an annotation file gives rows to the annotation configs: a document nobody
    has annotated is not a document without entities. ``bio`` maps BIO tag names to their ids.
    """
    doc_id, text, meta, sentences = doc["id"], doc["text"], doc["meta"], doc["sentences"]
    rows: dict[str, list[dict[str, Any]]] = {config: [] for config in CONFIGS}
    document = {
        "id": doc_id,
        "text": text,
        **{key: meta.get(key) for key in META_FIELDS},  # the manifest's metadata, as the corpus keeps it
        # the segments as the file has them: Arrow takes a struct's fields by name, so a sentence's ``kind``
        # (the schema allows one) stays out of the sentence feature, which has none
        "sentences": sentences,
        "paragraphs": doc["paragraphs"],
        "annotation_status": annotations["provenance"].get("status") if annotations is not None else None,
    }
    rows["documents"] = _rows(features["documents"], [document])
    if annotations is None:
        return rows, sentence_tokens(text, ((s["start"], s["end"]) for s in sentences))
    starts = [s["start"] for s in sentences]

    def sentence_of(offset: int) -> str:
        return str(sentences[max(bisect.bisect_right(starts, offset) - 1, 0)]["id"])

    entities = sorted(annotations["entities"], key=_START_END)
    rows["entities"] = _rows(
        features["entities"], [{**e, "doc_id": doc_id, "sentence_id": sentence_of(e["start"])} for e in entities]
    )
    rows["quantities"] = _rows(
        features["quantities"],
        [
            {**q, "doc_id": doc_id, "sentence_id": sentence_of(q["start"])}
            for q in sorted(annotations["quantities"], key=_START_END)
        ],
    )
    rows["stance"] = _rows(
        features["stance"], [{**t, "doc_id": doc_id} for t in sorted(annotations["stances"], key=_START_END)]
    )
    spans = [(e["start"], e["end"], e["label"], e["id"]) for e in entities]
    texts: list[str] = []
    count = first = 0
    outside = bio["O"]
    for sentence in sentences:
        low, high = sentence["start"], sentence["end"]
        while first < len(spans) and spans[first][1] <= low:
            first += 1
        if first < len(spans) and spans[first][0] < high:
            tokens, ids = _sentence_tags(text, low, high, sentence["id"], spans, first, texts, bio, outside)
        else:  # no entity in the sentence: its tokens only, without their offsets
            tokens = token_texts(text, low, high)
            ids = [outside] * len(tokens)
        count += len(tokens)
        rows["ner"].append({"id": sentence["id"], "doc_id": doc_id, "tokens": tokens, "ner_tags": ids})
    if notes is not None:
        rel = f"annotations/{doc_id}.json"
        notes.extend(Finding(rel, 0, "ner-lossy", message, "warning") for message in dict.fromkeys(texts))
    return rows, count
