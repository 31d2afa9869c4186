"""The gold annotations of the articles, their two independent passes, and what they say."""

from __future__ import annotations

import json
from pathlib import Path

from furat.annotate.agreement import passes_agreement
from furat.check.validate import validate_repo
from furat.core.annotation import AnnotationSet
from furat.core.model import Document
from furat.core.repo import Repo
from tests.conftest import run_furat


def _gold(root: Path) -> dict[str, AnnotationSet]:
    return {
        p.stem[:3]: AnnotationSet.from_json(json.loads(p.read_text(encoding="utf-8")))
        for p in sorted((root / "annotations").glob("*.json"))
    }


def test_every_document_with_passes_has_gold_from_two_of_them(root: Path, documents: dict[str, Document]) -> None:
    gold = _gold(root)
    assert set(gold) == {doc_id[:3] for doc_id in Repo(root).pass_documents()} and set(gold) <= set(documents)
    for short, gold_set in gold.items():
        assert gold_set.provenance["status"] == "gold"
        passes = gold_set.provenance["passes"]
        assert all((root / p).is_file() for p in passes)
        layers = [json.loads((root / p).read_text(encoding="utf-8"))["provenance"].get("layers") for p in passes]
        for layer in ("entities", "quantities", "stances"):  # two passes of each layer
            assert sum(1 for covered in layers if covered is None or layer in covered) >= 2, (short, layer)
        assert {a["kind"] for a in gold_set.provenance["annotators"]} == {"ai-agent"}, short


def test_the_repository_with_its_gold_is_valid(root: Path) -> None:
    assert [f for f in validate_repo(root) if f.level == "error"] == []


def test_every_number_is_a_quantity_or_an_exclusion() -> None:
    result = run_furat("coverage")
    assert result.returncode == 0, result.stderr
    assert "quantity" in result.stdout and "neither" not in result.stdout


def test_gold_follows_the_guidelines_on_the_hard_cases(root: Path, documents: dict[str, Document]) -> None:
    gold = _gold(root)
    entities = {(short, e.text, e.label) for short, a in gold.items() for e in a.entities}
    # proclitics outside, لل rule (D1), titles outside names, nationality adjectives as NORP (D7)
    assert ("000", "داعش", "ORG") in entities and ("000", "لداعش", "ORG") not in entities
    assert ("000", "دونالد ترمب", "PER") in entities
    assert ("000", "عراق", "GPE") in entities  # للعراق
    assert ("004", "أليكس يونجر", "PER") in entities
    quantities = {(short, q.text): q for short, a in gold.items() for q in a.quantities}
    money = quantities[("000", "ما يصل إلى 200 مليون دولار")]
    assert (money.value, money.low, money.high, money.unit) == (None, None, 200_000_000, "USD")
    fighters = quantities[("004", "بين 20 ألفًا و 30 ألف")]
    assert (fighters.low, fighters.high, fighters.counted and fighters.counted.text) == (20_000, 30_000, "مقاتل")
    younger = [s for s in gold["004"].stances if "لا تمثل نهاية للتهديد الإرهابي" in s.text]
    assert [(s.target, s.label) for s in younger] == [("isis_defeated", "against")]


def test_agreement_is_computed_from_the_passes(root: Path) -> None:
    result = passes_agreement(root)
    total = result.total
    assert total is not None and set(result.per_document) == set(Repo(root).pass_documents())
    assert total.entities_exact.matched > 300 and 0.0 <= total.entities_exact.f1 <= 1.0
    assert total.stance_kappa is not None


def test_the_preannotator_is_scored_against_the_gold(root: Path) -> None:
    result = run_furat("eval", "preannotator", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["documents"] == len(Repo(root).gold_sets())
    for layer in ("entities", "quantities"):
        assert data[layer]["matched"] > 0 and 0.0 < data[layer]["f1"] <= 1.0


def test_gold_known_limits_which_files_gold_sets_reads(root: Path) -> None:
    from furat.core.repo import gold_known

    repo = Repo(root)
    everything = repo.gold_sets()
    assert everything  # the repository has gold
    first = next(iter(everything))
    with gold_known(root, [first]):
        assert list(Repo(root).gold_sets()) == [first]
    with gold_known(root, []):
        assert Repo(root).gold_sets() == {}
    assert Repo(root).gold_sets().keys() == everything.keys()  # outside the block: every file again
