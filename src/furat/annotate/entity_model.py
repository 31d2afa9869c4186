"""The learned entity tagger: a linear-chain CRF (python-crfsuite) over the ``ner`` tokens, on top of the rules.

It is trained on every gold document of ``TRAINING_DIRS`` (the corpus's gold and annotated sets of
constructed texts), with the features of ``entity_features`` (the rule pre-annotator's own label among
them). The model ships as package data beside this module (``entity_model.crfsuite``) with a sidecar
(``entity_model.json``: the sha256 of every training file, the feature version and the training
parameters), written by ``furat train entities``. A prediction's score is the smallest marginal
probability the CRF gives the span's tags on its tokens.

A span's end is its last token's end; its start leaves the attached proclitics outside (guidelines
§1.1): where a rule prediction starts inside the first token its start is taken, otherwise the token's
proclitics are cut when the rest is a more plausible word (``entities._clitic_plausible``).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pycrfsuite

from furat.annotate.entity_features import FEATURE_VERSION, Sentence, document_sentences
from furat.annotate.entity_words import _PROCLITIC_1, _PROCLITIC_2, Prediction, _frequency, _offset_after
from furat.annotate.gazetteers import Compiled, Gazetteer, library_gazetteer, merged, names_gazetteer
from furat.annotate.normalize import tokens
from furat.core.annotation import AnnotationSet, Entity
from furat.core.findings import Finding, FuratError
from furat.core.forking import fork_map, inherited
from furat.core.jsonio import write_files_atomically
from furat.core.model import Document
from furat.core.paths import user_cache
from furat.core.repo import Repo

__all__ = [
    "CORPUS_FOLDS",
    "MIN_SCORE",
    "MODEL_FILE",
    "PARAMS",
    "SIDECAR_FILE",
    "TRAINING_DIRS",
    "EntityTagger",
    "TrainingDocument",
    "corpus_fold_taggers",
    "proclitic_letters",
    "shipped_tagger",
    "stale_reason",
    "tag_document",
    "tag_sentences",
    "train",
    "training_documents",
    "training_hashes",
    "write_model",
]

# The annotated sets the model learns from, relative to the repository: the corpus's gold, then the
# sets of constructed texts. Another set in the same shape is one more line here.
TRAINING_DIRS = (
    Path("."),
    Path("tests") / "fixtures" / "preannotate_dev",
    Path("tests") / "fixtures" / "preannotate_dev2",
    Path("tests") / "fixtures" / "preannotate_train",
)
# Chosen by cross-validation on the training texts (k-fold by document: ``python -m furat.annotate.entity_cv``).
PARAMS: dict[str, Any] = {"c1": 0.05, "c2": 0.05, "max_iterations": 100, "feature.possible_transitions": True}
# The smallest score of a prediction kept (also chosen by cross-validation).
MIN_SCORE = 0.0
MODEL_FILE = Path(__file__).with_name("entity_model.crfsuite")
SIDECAR_FILE = Path(__file__).with_name("entity_model.json")


@dataclass(frozen=True)
class TrainingDocument:
    """A gold document of a training set, its sentences with features, and the gold BIO tags."""

    key: str  # <training dir>/<doc id>
    text: str
    sentences: tuple[Sentence, ...]
    tags: tuple[tuple[str, ...], ...]
    entities: tuple[Entity, ...]  # the gold


def _gold_tags(sentence: Sentence, entities: Sequence[Entity]) -> tuple[str, ...]:
    tags = []
    previous: Entity | None = None
    for start, end in sentence.spans:
        owner = next((e for e in entities if e.start < end and start < e.end), None)
        if owner is None:
            tags.append("O")
        else:
            tags.append(("I-" if owner is previous else "B-") + owner.label)
        previous = owner
    return tuple(tags)


def _gold_names(gold: Iterable[AnnotationSet]) -> dict[str, str]:
    from furat.annotate.preannotate import gold_gazetteer

    return gold_gazetteer(gold)


def _curated() -> dict[str, str]:
    from furat.annotate.preannotate import curated_gazetteer

    return curated_gazetteer()


def feature_gazetteer(names: Mapping[str, str]) -> Compiled:
    """The gazetteer the features and rules are computed with: ``names`` first, then the library's."""
    return Compiled(merged(names_gazetteer(names), library_gazetteer()))


def _present(root: Path, dirs: Sequence[Path]) -> list[Path]:
    """The training sets ``root`` has (the corpus always)."""
    return [d for d in dirs if d == Path(".") or (root / d / "annotations").is_dir()]


def training_documents(root: Path, dirs: Sequence[Path] = TRAINING_DIRS) -> list[TrainingDocument]:
    """Every gold document of the training sets with its features. A corpus document's rules see the
    gold names of the other corpus documents only; a constructed text's see all of the corpus's."""
    corpus_gold = Repo(root).gold_sets()
    whole = feature_gazetteer({**_curated(), **_gold_names(corpus_gold.values())})
    out = []
    for folder in _present(root, dirs):
        repo = Repo(root / folder)
        gold = corpus_gold if folder == Path(".") else repo.gold_sets()
        for doc_id in sorted(gold):
            if folder == Path("."):
                others = (a for d, a in corpus_gold.items() if d != doc_id)
                gazetteer = feature_gazetteer({**_curated(), **_gold_names(others)})
            else:
                gazetteer = whole
            doc = repo.document(doc_id)
            entities = sorted(gold[doc_id].entities, key=lambda e: e.start)
            sentences = document_sentences(doc, gazetteer)
            tags = tuple(_gold_tags(s, entities) for s in sentences)
            key = f"{folder.as_posix()}/{doc_id}"
            out.append(TrainingDocument(key, doc.text, tuple(sentences), tags, tuple(entities)))
    return out


def training_files(root: Path, dirs: Sequence[Path] = TRAINING_DIRS) -> list[Path]:
    """The files the model is made from: each training set's gold annotation files and their documents."""
    files = []
    for folder in _present(root, dirs):
        repo = Repo(root / folder)
        for doc_id in sorted(repo.gold_sets()):
            files += [repo.gold_path(doc_id), repo.doc_path(doc_id)]
    return files


def training_hashes(root: Path, dirs: Sequence[Path] = TRAINING_DIRS) -> dict[str, str]:
    """sha256 of every training file, by its path relative to ``root``."""
    root = root.resolve()
    return {
        path.resolve().relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in training_files(root, dirs)
    }


def train(documents: Sequence[TrainingDocument], params: Mapping[str, Any] | None = None) -> bytes:
    """A CRF model trained on ``documents``, as the bytes of its file."""
    if not any(doc.sentences for doc in documents):
        message = "no gold documents to train the entity tagger on"
        raise FuratError([Finding("annotations", 0, "gold-missing", message)], 2)
    trainer = pycrfsuite.Trainer(verbose=False)
    for doc in documents:
        for sentence, tags in zip(doc.sentences, doc.tags, strict=True):
            trainer.append([dict(f) for f in sentence.features], list(tags))
    trainer.select("lbfgs")
    trainer.set_params(dict(PARAMS if params is None else params))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.crfsuite"
        trainer.train(str(path))
        return path.read_bytes()


# The corpus's gold documents are scored in this many folds by document: each by a model trained on every
# training document but those of its fold (two models, trained side by side on two cores).
CORPUS_FOLDS = 2
_FOLD_TAGGERS: dict[tuple[str, tuple[tuple[str, str], ...]], dict[str, EntityTagger]] = {}


def corpus_fold_taggers(root: Path) -> dict[str, EntityTagger]:
    """For each gold document of the corpus, a model that never saw it: the corpus's gold documents are
    cut into ``CORPUS_FOLDS`` folds (in order of their id, every k-th together), and each fold's model is
    trained on every training document outside the fold. Made once per process for the same training
    files, and kept in the cache between runs."""
    hashes = training_hashes(root)
    key = (str(root.resolve()), tuple(sorted(hashes.items())))
    if key in _FOLD_TAGGERS:
        return _FOLD_TAGGERS[key]
    corpus = sorted(Repo(root).gold_sets())
    k = min(CORPUS_FOLDS, len(corpus))
    folds = [corpus[f::k] for f in range(k)]
    cached = [_cache_file(hashes, fold) for fold in folds]
    if all(path.is_file() for path in cached):
        models = [path.read_bytes() for path in cached]
    else:
        documents = training_documents(root)
        outside = [
            [i for i, d in enumerate(documents) if not (d.key.startswith("./") and d.key[2:] in fold)] for fold in folds
        ]
        models = _train_each(documents, outside)
        for path, model in zip(cached, models, strict=True):
            if model:
                _cache_write(path, model)
    taggers: dict[str, EntityTagger] = {}
    for fold, model in zip(folds, models, strict=True):
        if model:  # a fold with nothing else to learn from: the rules alone score it
            tagger = EntityTagger(model)
            taggers |= dict.fromkeys(fold, tagger)
    _FOLD_TAGGERS[key] = taggers
    return taggers


def _train_on(indices: Sequence[int]) -> bytes:
    documents: Sequence[TrainingDocument] = inherited()["documents"]
    chosen = [documents[i] for i in indices]
    return train(chosen) if any(d.sentences for d in chosen) else b""


def _train_each(documents: Sequence[TrainingDocument], subsets: Sequence[Sequence[int]]) -> list[bytes]:
    """A model for each subset of ``documents`` (by index; empty bytes for a subset with no sentence):
    on every core this process may use (forked workers; one training runs on one core)."""
    from furat.check.parallel import workers_available

    return list(fork_map(_train_on, subsets, min(workers_available(), len(subsets)), documents=documents))


def _cache_file(hashes: Mapping[str, str], left_out: Sequence[str]) -> Path:
    """Where the model trained without the corpus documents ``left_out`` is kept between runs: named by
    the sha256 of what it is made from (the feature version, the parameters, the documents left out, the
    code of this package's ``annotate`` stage and every training file's hash)."""
    digest = hashlib.sha256(json.dumps([FEATURE_VERSION, PARAMS, list(left_out), sorted(hashes.items())]).encode())
    for source in [*sorted(Path(__file__).parent.glob("*.py")), Path(__file__).with_name("gazetteer.json")]:
        digest.update(source.read_bytes())
    return user_cache("entity-folds") / f"{digest.hexdigest()}.crfsuite"


class EntityTagger:
    """A trained model, ready to tag sentences."""

    def __init__(self, model: bytes) -> None:
        self._model = model  # crfsuite reads the model from these bytes: they must outlive the tagger
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open_inmemory(model)

    def tag(self, sentence: Sentence) -> list[tuple[str, float]]:
        """Each token's tag and its marginal probability."""
        tags = self._tagger.tag(sentence.features)
        return [(t, self._tagger.marginal(t, i)) for i, t in enumerate(tags)]


def _spans(tagged: Sequence[tuple[str, float]]) -> Iterator[tuple[int, int, str, float]]:
    """(first token, last token + 1, label, score) of each entity in BIO tags (an I- after O starts one)."""
    i = 0
    while i < len(tagged):
        tag, p = tagged[i]
        if tag == "O":
            i += 1
            continue
        label, j, score = tag[2:], i + 1, p
        while j < len(tagged) and tagged[j][0] == "I-" + label:
            score = min(score, tagged[j][1])
            j += 1
        yield i, j, label, score
        i = j


def _article(word: str) -> bool:
    return word.startswith("ال") and len(word) > 3


def proclitic_letters(word: str) -> int:
    """How many letters of proclitics start ``word`` (a word as written, without marks): و ف, then ب ل ك;
    لل before a name without its article. A letter is a proclitic when the article follows it or the
    rest is a more frequent word than the whole (وبغداد, but not وزارة or بورصة)."""
    plain = word.replace("\u0640", "")
    cut = 0
    if plain[:1] in _PROCLITIC_1 and len(plain) > 3:
        cut = 1
    rest = plain[cut:]
    if rest.startswith("لل") and len(rest) > 3:
        return cut + 2
    if rest[:1] in _PROCLITIC_2 and len(rest) > 3:
        frequent = rest[0] != "ك" and _frequency(rest[1:]) > max(_frequency(plain), 1.0)  # ك only before ال
        if _article(rest[1:]) or frequent:
            return cut + 1
    if cut and not (_article(rest) or _frequency(rest) > max(_frequency(plain), 1.0)):
        return 0
    return cut


def _start(text: str, token: tuple[int, int], rule: Prediction | None) -> int:
    """Where an entity starting in ``token`` starts: after its attached proclitics."""
    start, end = token
    if rule is not None and start <= rule.start < end:
        return rule.start
    words = tokens(text[start:end])
    if len(words) != 1:
        return start
    letters = proclitic_letters(words[0].plain)
    return start + _offset_after(text[start:end], words[0], letters) if letters else start


def tag_document(
    doc: Document, gazetteer: Gazetteer, tagger: EntityTagger, min_score: float = MIN_SCORE
) -> list[Prediction]:
    """The tagger's entities in ``doc``, each scored with the smallest marginal of its tags; those
    scored below ``min_score`` are left out."""
    return tag_sentences(doc.text, document_sentences(doc, gazetteer), tagger, min_score)


def tag_sentences(
    text: str, sentences: Iterable[Sentence], tagger: EntityTagger, min_score: float = MIN_SCORE
) -> list[Prediction]:
    """The tagger's entities in sentences of ``text`` whose features are made."""
    found = []
    for sentence in sentences:
        for i, j, label, score in _spans(tagger.tag(sentence)):
            start = _start(text, sentence.spans[i], sentence.rules[i])
            end = sentence.spans[j - 1][1]
            if start < end and score >= min_score:
                found.append(Prediction(start, end, label, score, "crf"))
    return found


def _cache_write(path: Path, data: bytes) -> None:
    """Keep ``data`` in the cache (atomically); a cache that cannot be written is only slower next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except OSError:
        pass


def write_model(root: Path, model_file: Path = MODEL_FILE, sidecar_file: Path = SIDECAR_FILE) -> dict[str, Any]:
    """Train on every training set of ``root`` and write the model and its sidecar, both or neither
    (``write_files_atomically``). Returns the sidecar."""
    for path in (model_file, sidecar_file):  # the package data of a checkout, never an installed copy
        if not path.resolve().is_relative_to(root.resolve()):
            message = f"{path} is not in the repository {root}: run from a checkout (`pip install -e`)"
            raise FuratError([Finding(path.name, 0, "outside-repo", message)], 2)
    documents = training_documents(root)
    model = train(documents)
    sidecar = {
        "feature_version": FEATURE_VERSION,
        "params": PARAMS,
        "model_sha256": hashlib.sha256(model).hexdigest(),
        "training_dirs": [d.as_posix() for d in TRAINING_DIRS],
        "training_files": training_hashes(root),
    }
    write_files_atomically({model_file: model, sidecar_file: json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n"})
    return sidecar


def stale_reason(root: Path, sidecar_file: Path = SIDECAR_FILE, model_file: Path = MODEL_FILE) -> str | None:
    """Why the shipped model does not match the training files of ``root`` (None when it does)."""
    rerun = "; rerun `furat train entities`"
    if not sidecar_file.is_file() or not model_file.is_file():
        return "the entity model is missing" + rerun
    sidecar = json.loads(sidecar_file.read_text(encoding="utf-8"))
    if sidecar.get("feature_version") != FEATURE_VERSION:
        return f"the entity model was trained on features {sidecar.get('feature_version')}" + rerun
    if sidecar.get("params") != PARAMS:
        return "the entity model was trained with other parameters" + rerun
    if sidecar.get("model_sha256") != hashlib.sha256(model_file.read_bytes()).hexdigest():
        return "the entity model file is not the one its sidecar describes" + rerun
    want, have = sidecar.get("training_files", {}), training_hashes(root)
    changed = sorted(k for k in set(want) | set(have) if want.get(k) != have.get(k))
    if changed:
        return f"the training files changed since the entity model was trained ({', '.join(changed[:5])})" + rerun
    return None


@cache
def shipped_tagger() -> EntityTagger | None:
    """The model shipped with the package (None when it is missing or of another feature version)."""
    if not MODEL_FILE.is_file() or not SIDECAR_FILE.is_file():
        return None
    sidecar = json.loads(SIDECAR_FILE.read_text(encoding="utf-8"))
    if sidecar.get("feature_version") != FEATURE_VERSION:
        return None
    return EntityTagger(MODEL_FILE.read_bytes())
