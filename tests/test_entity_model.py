"""The learned entity tagger: a CRF over the ``ner`` tokens that reads the rules' predictions among its
features, shipped as package data with a sidecar that names every file it was trained on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from furat.annotate.entity_model import (
    CORPUS_FOLDS,
    MODEL_FILE,
    SIDECAR_FILE,
    EntityTagger,
    corpus_fold_taggers,
    proclitic_letters,
    shipped_tagger,
    stale_reason,
    tag_document,
    train,
    training_documents,
    write_model,
)
from furat.annotate.preannotate import curated_gazetteer, entity_gazetteer, predict_scored
from furat.core.findings import FuratError
from furat.core.model import Document, Meta, Segment
from furat.core.repo import Repo
from furat.corpus.segment import paragraph_spans, sentence_spans
from tests.conftest import run_furat


def _doc(text: str) -> Document:
    paragraphs = paragraph_spans(text)
    sentences = sentence_spans(text, paragraphs)
    return Document(
        "example",
        text,
        Meta("", None, None, None, None, None, "", ""),
        tuple(Segment(f"p{n}", s, e) for n, (s, e) in enumerate(paragraphs)),
        tuple(Segment(f"s{n}", s, e) for n, (s, e) in enumerate(sentences)),
    )


def _entities(text: str, tagger: bool = True) -> list[tuple[str, str]]:
    annotations, _ = predict_scored(_doc(text), curated_gazetteer(), rules=True, tagger=tagger)
    return [(e.text, e.label) for e in annotations.entities]


def test_the_shipped_model_was_trained_on_the_current_training_files(root: Path) -> None:
    assert stale_reason(root) is None, stale_reason(root)
    sidecar = json.loads(SIDECAR_FILE.read_text(encoding="utf-8"))
    assert all(not name.startswith("tests/fixtures/preannotate_test") for name in sidecar["training_files"])
    assert shipped_tagger() is not None


def test_a_changed_training_file_makes_the_model_stale(root: Path, tmp_path: Path) -> None:
    sidecar = json.loads(SIDECAR_FILE.read_text(encoding="utf-8"))
    name = next(iter(sidecar["training_files"]))
    sidecar["training_files"][name] = "0" * 64
    changed = tmp_path / "entity_model.json"
    changed.write_text(json.dumps(sidecar), encoding="utf-8")
    reason = stale_reason(root, changed, MODEL_FILE)
    assert reason is not None and name in reason and "furat train entities" in reason


def test_training_twice_gives_the_same_model(root: Path) -> None:
    documents = [d for d in training_documents(root) if "preannotate_dev2" in d.key]
    params = {"c1": 0.05, "c2": 0.05, "max_iterations": 30, "feature.possible_transitions": True}
    assert train(documents, params) == train(documents, params)


def test_the_model_reads_an_organisation_the_rules_cut_into_a_nationality() -> None:
    text = "ودعا الاتحاد العام التونسي للشغل إلى إضراب عام."
    assert _entities(text, tagger=False) == [("التونسي", "NORP")]
    assert _entities(text) == [("الاتحاد العام التونسي للشغل", "ORG")]


def test_the_model_keeps_what_the_rules_find_right() -> None:
    text = "وأكد رئيس الوزراء كيير ستارمر أن الحكومة ستدعم المزارعين في سهل البقاع وفي مدينة قابس."
    assert _entities(text) == _entities(text, tagger=False)
    assert ("كيير ستارمر", "PER") in _entities(text) and ("قابس", "GPE") in _entities(text)


def test_attached_proclitics_stay_outside_a_span() -> None:
    # و ف, then ب ل ك (ك only before the article), and لل before a name without its article
    assert [proclitic_letters(w) for w in ("وبغداد", "والعراق", "للأمم", "بالعراق", "كالعراق")] == [1, 1, 2, 1, 1]
    # letters of the word itself: a ministry, a stock exchange, an agency, a city
    assert [proclitic_letters(w) for w in ("وزارة", "بورصة", "وكالة", "كانو", "لاغوس")] == [0, 0, 0, 0, 0]
    assert _entities("وقال إن والاتحاد العام التونسي للشغل دعا إلى إضراب.")[0][0].startswith("الاتحاد")


def test_scores_are_marginals_and_a_threshold_keeps_the_surer_predictions() -> None:
    tagger = shipped_tagger()
    assert tagger is not None
    doc = _doc("وشاركت بعثة الأمم المتحدة لدعم ليبيا في الاجتماع، ودعا الاتحاد العام التونسي للشغل إلى إضراب.")
    gazetteer = entity_gazetteer(curated_gazetteer(), rules=True)
    everything = tag_document(doc, gazetteer, tagger, min_score=0.0)
    assert everything and all(0 < p.score <= 1 for p in everything)
    assert any(p.score < 1.0 for p in everything)  # probabilities, not a constant
    middle = sorted(p.score for p in everything)[len(everything) // 2]
    kept = tag_document(doc, gazetteer, tagger, min_score=middle)
    assert kept == [p for p in everything if p.score >= middle] and kept
    assert tag_document(doc, gazetteer, tagger, min_score=1.01) == []


def test_seed_gold_is_scored_by_models_that_never_saw_the_document(root: Path) -> None:
    taggers = corpus_fold_taggers(root)
    gold = sorted(Repo(root).gold_sets())
    assert set(taggers) == set(gold)
    assert all(isinstance(t, EntityTagger) for t in taggers.values())
    # a model for each fold, and the documents of a fold share theirs
    assert len({id(t) for t in taggers.values()}) == min(CORPUS_FOLDS, len(gold))
    assert corpus_fold_taggers(root) is taggers  # made once per process


def test_training_without_gold_is_refused_and_writes_nothing(repo: Path) -> None:
    model, sidecar = repo / "model.crfsuite", repo / "model.json"
    with pytest.raises(FuratError) as caught:
        write_model(repo, model, sidecar)
    assert caught.value.findings[0].code == "gold-missing" and caught.value.exit_code == 2
    assert not model.exists() and not sidecar.exists()


def test_the_model_of_a_package_outside_the_repository_is_never_written(repo: Path) -> None:
    before = MODEL_FILE.read_bytes()
    result = run_furat("--root", str(repo), "train", "entities")
    assert result.returncode == 2 and "error[outside-repo]" in result.stderr and "Traceback" not in result.stderr
    assert MODEL_FILE.read_bytes() == before
