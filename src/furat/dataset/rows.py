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
from furat.dataset.features import Layout
from furat.dataset.ner_arrays import TagColumn, TokenColumn, document_arrays
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


# One config's rows as columns: a list per field, in the order of the config's features (or, for the
# ``ner`` tokens and tags of a build, a ``ner_arrays`` column, which a document fills at once)
Columns = dict[str, Any]

_LAYOUTS: dict[int, tuple[Mapping[str, Any], frozenset[str], dict[str, dict[str, int]]]] = {}


def _layout(features: Mapping[str, Any]) -> tuple[frozenset[str], dict[str, dict[str, int]]]:
    """The fields of ``features`` (a config's ``Features``, or its ``features.Layout``) as a set, and its
    ClassLabel fields with their name -> id maps; made once per ``features``."""
    cached = _LAYOUTS.get(id(features))
    if cached is None or cached[0] is not features:
        if isinstance(features, Layout):
            names = features.labels
        else:
            from datasets import ClassLabel

            names = {k: f.names for k, f in features.items() if isinstance(f, ClassLabel)}
        labels = {k: {n: i for i, n in enumerate(label_names)} for k, label_names in names.items()}
        cached = _LAYOUTS[id(features)] = (features, frozenset(features), labels)
    return cached[1], cached[2]


def new_columns(features: Mapping[str, Any]) -> dict[str, Columns]:
    """Empty columns for every config of ``features`` (config -> its ``Features``)."""
    return {config: {name: [] for name in features[config]} for config in CONFIGS}


def _extend(
    columns: Columns, features: Mapping[str, Any], items: list[dict[str, Any]], added: Mapping[str, Any]
) -> None:
    """``items`` appended to ``columns`` as rows of ``features``, their ClassLabel values as their integer
    ids; ``added`` gives the fields the dataset adds (a list of one value per item). A field of the
    features that an item lacks is null; a field the features lack raises ``ValueError``."""
    known, labels = _layout(features)
    for item in items:
        if not item.keys() <= known:  # the features come from the schema, so this is a bug, not bad data
            raise ValueError(f"{item.get('id')}: fields {sorted(item.keys() - known)} are not in the dataset features")
    made = []  # every column's values first: an error leaves the columns as they were
    for name, column in columns.items():
        values = added[name] if name in added else [item.get(name) for item in items]
        ids = labels.get(name)
        if ids is not None and name not in added:
            try:
                values = [None if value is None else ids[value] for value in values]
            except (KeyError, TypeError):
                bad = next(
                    i
                    for i, value in enumerate(values)
                    if value is not None and (type(value) is not str or value not in ids)
                )
                message = f"{name} {values[bad]!r} is not one of {sorted(ids)}"
                raise ValueError(f"{items[bad].get('id')}: {message}") from None
        made.append((column, values))
    for column, values in made:
        column.extend(values)


def document_columns(
    doc: Mapping[str, Any],
    annotations: Mapping[str, Any] | None,
    features: Mapping[str, Any],
    bio: Mapping[str, int],
    out: Mapping[str, Columns],
    notes: list[Finding] | None = None,
) -> int:
    """The rows one document gives each config, appended to ``out`` (config -> its columns, as
    ``new_columns`` makes them; labels as their integer ids); its token count is returned. Made from its
    corpus file and its annotation file as JSON (see the module's docstring); neither is changed, and the
    rows share their inner lists and objects (sentences, ``counted``) with them, so they are not to be
    changed either.

    Only a document with an annotation file gives rows to the annotation configs: a document nobody
    has annotated is not a document without entities. ``bio`` maps BIO tag names to their ids.
    """
    doc_id, text, meta, sentences = doc["id"], doc["text"], doc["meta"], doc["sentences"]
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
    _extend(out["documents"], features["documents"], [document], {})
    if annotations is None:
        return sentence_tokens(text, ((s["start"], s["end"]) for s in sentences))
    starts = [s["start"] for s in sentences]
    sentence_ids = [s["id"] for s in sentences]

    def sentence_of(items: list[dict[str, Any]]) -> list[str]:
        return [sentence_ids[max(bisect.bisect_right(starts, item["start"]) - 1, 0)] for item in items]

    entities = sorted(annotations["entities"], key=_START_END)
    quantities = sorted(annotations["quantities"], key=_START_END)
    stances = sorted(annotations["stances"], key=_START_END)
    for config, items, added in (
        ("entities", entities, {"doc_id": [doc_id] * len(entities), "sentence_id": sentence_of(entities)}),
        ("quantities", quantities, {"doc_id": [doc_id] * len(quantities), "sentence_id": sentence_of(quantities)}),
        ("stance", stances, {"doc_id": [doc_id] * len(stances)}),
    ):
        _extend(out[config], features[config], items, added)
    spans = [(e["start"], e["end"], e["label"], e["id"]) for e in entities]
    outside = bio["O"]
    ner = out["ner"]
    all_tokens, all_tags = ner["tokens"], ner["ner_tags"]
    if isinstance(all_tokens, TokenColumn) and isinstance(all_tags, TagColumn):  # the build's columns
        arrays = document_arrays(text, starts, [s["end"] for s in sentences], spans, bio, outside)
        if arrays is not None:
            all_tokens.add(arrays)
            all_tags.add(arrays)
            ner["id"].extend(sentence_ids)
            ner["doc_id"].extend([doc_id] * len(sentences))
            return len(arrays.tags)
    texts: list[str] = []
    count = first = 0
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
        all_tokens.append(tokens)
        all_tags.append(ids)
    ner["id"].extend(sentence_ids)
    ner["doc_id"].extend([doc_id] * len(sentences))
    if notes is not None:
        rel = f"annotations/{doc_id}.json"
        notes.extend(Finding(rel, 0, "ner-lossy", message, "warning") for message in dict.fromkeys(texts))
    return count


def document_rows(
    doc: Mapping[str, Any],
    annotations: Mapping[str, Any] | None,
    features: Mapping[str, Any],
    bio: Mapping[str, int],
    notes: list[Finding] | None = None,
) -> tuple[dict[str, list[dict[str, Any]]], int]:
    """``document_columns`` as rows: the rows one document gives each config (a dict per row), and its
    token count."""
    out = new_columns(features)
    count = document_columns(doc, annotations, features, bio, out, notes)
    rows = {
        config: [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]
        for config, columns in out.items()
    }
    return rows, count
