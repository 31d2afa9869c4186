"""Agreement between annotation sets, and the pre-annotator scored against gold."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from furat.annotate.agreement import agreement, cohen_kappa, match_spans
from furat.annotate.preannotate import predict, predictions
from furat.check.validate import validate_repo
from furat.core.annotation import AnnotationSet, Entity
from furat.core.model import Document
from furat.core.repo import Repo
from tests.conftest import DEFAULT_TARGET, FIXTURES, run_furat

EXAMPLE = AnnotationSet.from_json(json.loads((FIXTURES / "valid" / "004_6a18982ae2c37ec8.json").read_text("utf-8")))


def test_a_set_agrees_with_itself_perfectly() -> None:
    result = agreement(EXAMPLE, EXAMPLE)
    assert result.entities_exact.f1 == result.quantities_exact.f1 == 1.0
    assert result.quantity_value_agreement == 1.0
    assert result.stance_pairs == (("against", "against"),)


def test_a_shifted_span_matches_by_overlap_but_not_exactly() -> None:
    first = EXAMPLE.entities[2]  # قوات سوريا الديمقراطية
    shorter = replace(first, end=first.end - len(" الديمقراطية"), text="قوات سوريا")
    other = replace(EXAMPLE, entities=(shorter, *EXAMPLE.entities[:2], *EXAMPLE.entities[3:]))
    result = agreement(EXAMPLE, other)
    n = len(EXAMPLE.entities)
    assert (result.entities_exact.matched, result.entities_overlap.matched) == (n - 1, n)


def test_labels_must_agree_to_match() -> None:
    relabelled = replace(EXAMPLE, entities=tuple(replace(e, label="FAC") for e in EXAMPLE.entities))
    assert agreement(EXAMPLE, relabelled).entities_overlap.matched == 0


def test_matching_is_one_to_one_and_prefers_the_largest_overlap() -> None:
    a = [Entity("a1", 0, 10, "x" * 10, "ORG")]
    b = [Entity("b1", 0, 3, "xxx", "ORG"), Entity("b2", 1, 10, "x" * 9, "ORG")]
    assert match_spans(a, b, lambda x, y: x.label == y.label, exact=False) == [(a[0], b[1])]


@pytest.mark.parametrize(
    ("pairs", "kappa"),
    [
        ([("favor", "favor"), ("against", "against")], 1.0),
        ([("favor", "against"), ("against", "favor")], -1.0),
        # 3 of 4 agree; chance agreement (2*2 + 2*2... computed by hand): p_o = .75, p_e = .5 -> .5
        ([("favor", "favor"), ("against", "against"), ("favor", "favor"), ("against", "favor")], 0.5),
        ([], None),
        ([("none", "none")], None),  # chance agreement is total: kappa is undefined
    ],
)
def test_cohen_kappa(pairs: list[tuple[str, str]], kappa: float | None) -> None:
    assert cohen_kappa(pairs) == kappa


def test_preannotations_are_valid_annotation_files(repo: Path, documents: dict[str, Document]) -> None:
    from furat.core.jsonio import dumps

    (repo / "annotations").mkdir()
    for doc_id, predicted in predictions(repo).items():
        (repo / "annotations" / f"{doc_id}.json").write_text(dumps(predicted.to_json()), encoding="utf-8")
    findings = [f for f in validate_repo(repo) if f.level == "error"]
    assert findings == []


def test_preannotations_leave_proclitics_outside(documents: dict[str, Document]) -> None:
    predicted = predict(documents["000"], {"داعش": "ORG"})
    text = documents["000"].text
    start = text.index("لداعش") + 1
    assert any((e.start, e.text) == (start, "داعش") for e in predicted.entities)
    assert all(e.text == "داعش" for e in predicted.entities)


def _example_as_gold(repo: Path) -> None:
    data = json.loads((FIXTURES / "valid" / "004_6a18982ae2c37ec8.json").read_text(encoding="utf-8"))
    data["provenance"]["status"] = "gold"
    (repo / "annotations").mkdir(exist_ok=True)
    (repo / DEFAULT_TARGET).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_preannotator_is_scored_against_gold_leaving_each_document_out(repo: Path) -> None:
    _example_as_gold(repo)
    result = run_furat("--root", str(repo), "eval", "preannotator", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["documents"] == 1
    # the recognizer finds every quantity of the example, with the same normalized values
    assert data["quantities"]["recall"] == 1.0 and data["quantity_value_agreement"] == 1.0
    # the gold of other documents is empty: the names come from the curated list and the rules alone
    assert data["entities"]["recall"] > 0 and data["entities"]["matched"] <= len(EXAMPLE.entities)


def test_without_gold_the_preannotator_cannot_be_scored(repo: Path) -> None:
    (repo / "annotations").mkdir()
    shutil.copyfile(FIXTURES / "valid" / "004_6a18982ae2c37ec8.json", repo / DEFAULT_TARGET)  # not gold
    result = run_furat("--root", str(repo), "eval", "preannotator")
    assert result.returncode == 2 and "error[gold-missing]" in result.stderr


def test_agreement_command_reads_the_two_passes(repo: Path) -> None:
    from furat.core.jsonio import dumps

    folder = repo / "annotations" / "passes" / "004_6a18982ae2c37ec8"
    folder.mkdir(parents=True)
    (folder / "annotator-a.json").write_text(dumps(EXAMPLE.to_json()), encoding="utf-8")
    fewer = replace(EXAMPLE, entities=EXAMPLE.entities[2:], stances=(replace(EXAMPLE.stances[0], label="none"),))
    (folder / "annotator-b.json").write_text(dumps(fewer.to_json()), encoding="utf-8")
    result = run_furat("--root", str(repo), "agreement", "--json")
    assert result.returncode == 0, result.stderr
    measures = {row[0]: row[1:] for row in json.loads(result.stdout)["total"]}
    n = len(EXAMPLE.entities)
    assert measures["entities, exact span + label (F1)"] == [2 * (n - 2) / (2 * (n - 2) + 2), n - 2]
    assert measures["stances, label agreement on matched (Cohen's kappa)"] == [0.0, 1]  # one pair, disagreeing
    assert validate_repo(repo) == []  # passes are valid annotation files


def test_agreement_without_passes_says_so(repo: Path) -> None:
    result = run_furat("--root", str(repo), "agreement")
    assert result.returncode == 2 and "error[passes-missing]" in result.stderr


def test_disagreements_list_what_an_adjudicator_must_decide() -> None:
    from furat.annotate.agreement import disagreements

    other = replace(
        EXAMPLE,
        entities=(replace(EXAMPLE.entities[0], label="GPE"), *EXAMPLE.entities[2:]),
        quantities=(replace(EXAMPLE.quantities[0], low=10.0), *EXAMPLE.quantities[1:]),
    )
    lines = disagreements(EXAMPLE, other, ("agent-a", "agent-b"))
    assert any(line.startswith("entity differs: agent-a [16:20] 'داعش' ORG | agent-b") for line in lines)
    assert any(line.startswith("entity only in agent-a: [23:28] 'سوريا' GPE") for line in lines)
    assert any(line.startswith("quantity differs:") and "low=10.0" in line for line in lines)
    assert len(lines) == 3


def test_names_after_lam_lam_lose_their_article_as_the_guidelines_say(documents: dict[str, Document]) -> None:
    doc = documents["000"]
    predicted = predict(doc, {"العراق": "GPE"})
    start = doc.text.index("للعراق") + 2
    assert any((e.start, e.text, e.label) == (start, "عراق", "GPE") for e in predicted.entities)


def test_preannotate_writes_valid_prediction_files(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "predictions"
    result = run_furat("--root", str(repo), "preannotate", "--out", str(out))
    assert result.returncode == 0, result.stderr
    files = sorted(out.glob("*.json"))
    assert len(files) == len(Repo(repo).manifest)
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["provenance"]["status"] == "prediction" and data["quantities"]
    (repo / "annotations").mkdir()
    shutil.copyfile(files[0], repo / "annotations" / files[0].name)
    assert [f for f in validate_repo(repo) if f.level == "error"] == []


def test_a_later_pass_of_one_layer_is_compared_on_that_layer(tmp_path: Path) -> None:
    """Stance passes made beside the gold (provenance.layers) are the stance pair; the others keep the rest."""
    import dataclasses

    from furat.annotate.agreement import pass_pair

    full = dataclasses.replace(EXAMPLE, provenance={"status": "pass", "annotators": []})
    stance_only = dataclasses.replace(EXAMPLE, provenance={"status": "pass", "annotators": [], "layers": ["stances"]})
    passes = {"agent-a": full, "agent-b": full, "stance-a": stance_only, "stance-b": stance_only}
    assert pass_pair(passes, "entities") == ("agent-a", "agent-b")
    assert pass_pair(passes, "stances") == ("stance-a", "stance-b")
    assert pass_pair({"agent-a": full, "stance-a": stance_only}, "stances") == ("agent-a", "stance-a")
    assert pass_pair({"stance-a": stance_only}, "stances") is None
