"""Token features for the learned entity tagger (``entity_model``), from the parts the rules are made of.

The tagger labels the tokens of the dataset's ``ner`` config (``corpus.segment.token_spans``: a word
keeps its clitics) with BIO tags. Each token is described by:

- its normalized form (``normalize.fold``), the form without proclitics and article, their letters,
  prefixes and suffixes of that stem, its shape and its frequency in Arabic text (``wordfreq``: rare
  words are more often names);
- the form, stem, shape and class words of the two tokens on each side, and of the next and the previous
  token also their proclitics, last letters and frequency (``قطر`` before ``للطاقة`` is a company's name);
- the gazetteers (curated, CLDR, ISO 3166, GeoNames, nisba, and the names given by the caller): the BIO
  label of the gazetteer match the token is in, and the label of the stem alone;
- class and trigger words of the rules (titles, organisation, facility, place and event heads, given
  names, name particles, speech verbs);
- the rule pre-annotator's own BIO label for the token and the rule that found it, so the model learns
  when to trust, extend or drop a rule's prediction.

``FEATURE_VERSION`` names this feature set: a model trained on another version is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from furat.annotate.entities import entities_with_and_without_rules
from furat.annotate.entity_words import (
    EVENT_HEADS,
    FAC_HEADS,
    GIVEN,
    LOC_HEADS,
    NAME_ENDINGS,
    NAME_PARTICLES,
    ORG_DESCRIPTORS,
    ORG_HEADS,
    SPEECH,
    STOP,
    TITLES,
    Prediction,
    _bare,
    _zipf,
)
from furat.annotate.gazetteers import Gazetteer
from furat.annotate.normalize import fold
from furat.core.model import Document
from furat.corpus.segment import token_spans

__all__ = ["FEATURE_VERSION", "Sentence", "document_sentences", "strip_proclitics"]

FEATURE_VERSION = "furat-entity-features-2"

_CLASSES = (
    ("title", TITLES),
    ("org", ORG_HEADS),
    ("orgdesc", ORG_DESCRIPTORS),
    ("fac", FAC_HEADS),
    ("loc", LOC_HEADS),
    ("event", EVENT_HEADS),
    ("given", GIVEN),
    ("particle", NAME_PARTICLES),
    ("ending", NAME_ENDINGS),
    ("speech", SPEECH),
    ("stop", STOP),
)


@dataclass(frozen=True)
class Sentence:
    """The tokens of one sentence, their offsets, features, and the rules' predictions over them."""

    spans: tuple[tuple[int, int], ...]
    features: tuple[dict[str, float | str], ...]
    rules: tuple[Prediction | None, ...]  # the rule prediction each token is in


def strip_proclitics(norm: str) -> tuple[str, str]:
    """(proclitics and article, stem) of a normalized word: و ف, then ب ل ك or لل, then ال."""
    bare = _bare(norm)
    restored = bare.startswith("ال") and not norm.endswith(bare)  # لل + word: the article is restored
    cut = len(norm) - len(bare) + (2 if restored else 0)
    rest = norm[cut:] if norm[cut:] else norm
    prefix = norm[: len(norm) - len(rest)]
    if rest.startswith("ال") and len(rest) > 3:
        return prefix + "ال", rest[2:]
    return prefix, rest


def _shape(token: str) -> str:
    if token.isdigit():
        return "digit"
    if not any(ch.isalnum() for ch in token):
        return "punct"
    if token.isascii():
        return "latin"
    return "arabic" if any("\u0600" <= ch <= "\u06ff" for ch in token) else "other"


def _word_features(token: str) -> dict[str, float | str]:
    """The features of a token on its own.

    The frequency of a word is of its written form in the text being read, so only the rest is kept
    from one token to the next (``_form_features``, whose dicts are shared: never changed).
    """
    form, classes = _form_features(token)
    if form["shape"] != "arabic":
        return {**form, **classes}
    return {
        **form,
        "zipf": str(int(_zipf(str(form["w"])))),
        "stemzipf": str(int(_zipf(str(form["stem"])))),
        **classes,
    }


@lru_cache(maxsize=1 << 14)
def _form_features(token: str) -> tuple[dict[str, float | str], dict[str, float | str]]:
    """The features of a token that depend on its letters alone: its forms, and its class words."""
    norm = fold(token)
    clitics, stem = strip_proclitics(norm)
    form: dict[str, float | str] = {
        "w": norm,
        "stem": stem,
        "clitics": clitics,
        "shape": _shape(token),
        "p2": stem[:2],
        "p3": stem[:3],
        "s2": stem[-2:],
        "s3": stem[-3:],
        "len": str(min(len(stem), 8)),
    }
    classes: dict[str, float | str] = {}
    for name, words in _CLASSES:
        if norm in words or _bare(norm) in words:
            classes["class=" + name] = 1.0
    return form, classes


def _tags(spans: Sequence[tuple[int, int]], found: Sequence[Prediction]) -> list[Prediction | None]:
    """The prediction (if any) each token overlaps; ``found`` is flat and sorted by start."""
    out: list[Prediction | None] = []
    k = 0
    for start, end in spans:
        while k < len(found) and found[k].end <= start:
            k += 1
        out.append(found[k] if k < len(found) and found[k].start < end else None)
    return out


def _bio(prediction: Prediction | None, start: int, previous: Prediction | None) -> str:
    if prediction is None:
        return "O"
    return ("I-" if previous is prediction and prediction.start < start else "B-") + prediction.label


# The names of the features a token takes from its neighbour ``d`` tokens away, made once.
_NEAR = {
    d: (f"{d}:w", f"{d}:stem", f"{d}:shape", [("class=" + name, f"{d}:class={name}") for name, _ in _CLASSES])
    for d in (-2, -1, 1, 2)
}
_NEXT = {d: (f"{d}:clitics", f"{d}:s3", f"{d}:zipf", f"{d}:rule", f"{d}:gaz", f"{d}:rule|rule") for d in (-1, 1)}


def document_sentences(doc: Document, gazetteer: Gazetteer) -> list[Sentence]:
    """Every sentence of ``doc`` as tokens with features, the rules run with ``gazetteer``."""
    rules, listed = entities_with_and_without_rules(doc.text, gazetteer)
    rules = sorted(rules, key=lambda p: p.start)
    listed = sorted(listed, key=lambda p: p.start)
    out = []
    for sentence in doc.sentences:
        spans = token_spans(doc.text, sentence.start, sentence.end)
        if not spans:
            continue
        words = [_word_features(doc.text[s:e]) for s, e in spans]
        by_rule = _tags(spans, rules)
        by_list = _tags(spans, listed)
        features = []
        for i, (start, _) in enumerate(spans):
            f: dict[str, float | str] = {"bias": 1.0}
            f.update(words[i])
            previous_rule = by_rule[i - 1] if i else None
            previous_list = by_list[i - 1] if i else None
            f["rule"] = _bio(by_rule[i], start, previous_rule)
            f["gaz"] = _bio(by_list[i], start, previous_list)
            if by_rule[i] is not None:
                f["rulesrc"] = by_rule[i].source  # type: ignore[union-attr]
                f["rule+w"] = f"{f['rule']}|{words[i]['stem']}"
            if by_list[i] is not None:
                f["gazsrc"] = by_list[i].source  # type: ignore[union-attr]
            stem_entry = gazetteer.get((str(words[i]["stem"]),)) or gazetteer.get((str(words[i]["w"]),))
            if stem_entry is not None:
                f["stemgaz"] = stem_entry.label
            for d in (-2, -1, 1, 2):
                j = i + d
                if 0 <= j < len(spans):
                    near = words[j]
                    w_key, stem_key, shape_key, class_keys = _NEAR[d]
                    f[w_key] = near["w"]
                    f[stem_key] = near["stem"]
                    f[shape_key] = near["shape"]
                    for own, key in class_keys:
                        if own in near:
                            f[key] = 1.0
                    if d in _NEXT:
                        clitics_key, s3_key, zipf_key, rule_key, gaz_key, both_key = _NEXT[d]
                        f[clitics_key] = near["clitics"]
                        f[s3_key] = near["s3"]
                        if "zipf" in near:
                            f[zipf_key] = near["zipf"]
                        f[rule_key] = _bio(by_rule[j], spans[j][0], by_rule[j - 1] if j else None)
                        f[gaz_key] = _bio(by_list[j], spans[j][0], by_list[j - 1] if j else None)
                        f[both_key] = f"{f[rule_key]}|{f['rule']}"
                else:
                    f[_NEAR[d][0]] = "<s>" if d < 0 else "</s>"
            features.append(f)
        out.append(Sentence(tuple(spans), tuple(features), tuple(by_rule)))
    return out
