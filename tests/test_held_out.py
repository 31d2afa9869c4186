"""The held-out test sets of the pre-annotators: sixteen constructed news texts with gold entities
(``tests/fixtures/preannotate_test``) and constructed sentences with their expected quantities
(``tests/data/quantities_test.tsv``). They load, they agree with the text at every offset, and
``furat eval preannotator`` reports them apart from the seed gold and the development sets. No test here
asserts a score: a threshold on this set would make it a set to tune on."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from types import ModuleType

from furat.annotate.evaluation import (
    QUANTITY_TEST_FILE,
    TEST_DIR,
    held_out_scores,
    load_quantity_dev,
    quantity_dev_scores,
    quantity_test_scores,
)
from furat.check.coverage import find_numbers, gold_checks
from furat.core.labels import load_labels
from furat.core.repo import Repo
from tests.conftest import run_furat


def _test_set(root: Path) -> Path:
    return root / TEST_DIR


def _make_drafts(root: Path) -> ModuleType:
    """The fixture's own script (it turns the marked texts into seeds and drafts)."""
    spec = importlib.util.spec_from_file_location("make_drafts", _test_set(root) / "make_drafts.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_entity_test_set_validates(root: Path) -> None:
    result = run_furat("--root", str(_test_set(root)), "validate", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    findings = json.loads(result.stdout)
    assert not [f for f in findings if f["level"] == "error"]


def test_every_gold_span_is_the_text_at_its_offsets_and_the_marked_text(root: Path) -> None:
    repo = Repo(_test_set(root))
    unmark = _make_drafts(root).unmark
    gold = repo.gold_sets()
    assert set(gold) == {entry.id for entry in repo.manifest}
    for doc_id, gold_set in gold.items():
        text = repo.document(doc_id).text
        assert gold_set.provenance["layers"] == ["entities"] and not gold_set.quantities
        assert all(text[e.start : e.end] == e.text for e in gold_set.entities)
        plain, marked = unmark((_test_set(root) / "marked" / f"{doc_id}.txt").read_text(encoding="utf-8"))
        assert plain.strip() == text
        lead = len(plain) - len(plain.lstrip())
        assert [(e.start, e.end, e.label) for e in gold_set.entities] == [
            (start - lead, end - lead, label) for start, end, label in marked
        ]


def test_an_entities_only_gold_file_is_not_asked_to_cover_its_numbers(root: Path, tmp_path: Path) -> None:
    copy = tmp_path / "set"
    shutil.copytree(_test_set(root), copy)
    repo = Repo(copy)
    assert any(find_numbers(repo.document(doc_id).text) for doc_id in repo.gold_sets())  # the texts have numbers
    assert not [f for f in gold_checks(copy) if f.code == "number-uncovered"]
    path = copy / "annotations" / "pt01.json"  # the same file claiming every layer must cover its numbers
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["provenance"]["layers"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    uncovered = [f for f in gold_checks(copy) if f.code == "number-uncovered"]
    assert uncovered and {f.path for f in uncovered} == {"annotations/pt01.json"}


def test_the_quantity_test_set_loads_with_units_of_the_inventory(root: Path) -> None:
    path = root / QUANTITY_TEST_FILE
    sentences, expected = load_quantity_dev(path)  # finds every expected span in its sentence, in order
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line and line[0] != "#"]
    header, body = rows[0], rows[1:]
    assert len(sentences) == len({row[header.index("id")] for row in body})
    assert len(expected) == sum(1 for row in body if row[header.index("text")])
    for q in expected:
        assert sentences[q.sentence][q.start : q.end]
        assert (q.value is None) != (q.low is None and q.high is None)  # a value, or bounds: never both, never none
    kinds = load_labels().unit_kind
    assert all(q.unit in kinds for q in expected)
    assert {"temperature", "volume", "speed", "power", "energy", "money", "percent", "fraction"} <= {
        kinds[q.unit] for q in expected
    }
    assert {q.sentence for q in expected} < set(range(len(sentences)))  # some sentences expect no quantity


def test_the_held_out_sets_are_scored_with_the_development_sets_rules(root: Path) -> None:
    entities = held_out_scores(root)
    assert entities is not None and entities.quantities is None  # entities only
    assert entities.documents == len(list((_test_set(root) / "annotations").glob("*.json")))
    assert sum(s.matched for s in entities.entity_labels.values()) == entities.entities.matched
    assert sum(s.only_a for s in entities.entity_labels.values()) == entities.entities.only_a
    quantities = quantity_test_scores(root)
    assert quantities is not None and quantities == quantity_dev_scores(root, QUANTITY_TEST_FILE)
    gold = quantities.quantities.matched + quantities.quantities.only_a
    assert gold == len(load_quantity_dev(root / QUANTITY_TEST_FILE)[1])
    assert quantities.values_right <= min(quantities.numbers_right, quantities.approximate_right)


def test_eval_reports_seed_gold_development_and_held_out_apart(root: Path) -> None:
    result = run_furat("eval", "preannotator")
    assert result.returncode == 0, result.stderr
    sections = [line for line in result.stdout.splitlines() if line.startswith("== ")]
    names = [s.split(":")[0] for s in sections]
    assert names[0] == "== seed gold" and names[-1] == "== held out"
    assert all(name.startswith("== development") for name in names[1:-1]) and len(names) > 2
    assert "== development: rules tuned while looking at it; the entity tagger trained on it (seen text) ==" in sections
    assert "== held out: never used for tuning or training ==" in sections
    held_out = result.stdout.split("== held out")[1]
    assert TEST_DIR.as_posix() in held_out and QUANTITY_TEST_FILE in held_out
    assert "value and bounds right on matched quantities" in held_out

    data = json.loads(run_furat("eval", "preannotator", "--json").stdout)
    section = data["held_out"]
    assert section["label"] == "held out: never used for tuning or training"
    assert section["entities"]["folder"] == TEST_DIR.as_posix()
    assert section["entities"]["documents"] == len(Repo(_test_set(root)).gold_sets())
    assert set(section["entities"]["entity_labels"]) == {"PER", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT"}
    assert section["quantities"]["file"] == QUANTITY_TEST_FILE
    assert section["quantities"]["sentences"] == len(load_quantity_dev(root / QUANTITY_TEST_FILE)[0])
    assert {"number_agreement", "approximate_agreement", "value_agreement"} <= set(section["quantities"])
    assert data["development"]["label"].startswith("development: rules tuned while looking at it; the entity tagger")


def test_the_datasheet_table_reports_the_held_out_set_apart(root: Path) -> None:
    from furat.annotate.evaluation import preannotator_table

    held_out = held_out_scores(root)
    assert held_out is not None
    table = preannotator_table(root)
    section = table[table.index("**On held-out text**") :]
    e = held_out.entities
    assert f"| entities | {e.precision:.3f} | {e.recall:.3f} | {e.f1:.3f} | {e.matched} |" in section
    test = quantity_test_scores(root)
    assert test is not None and f"held out (`{QUANTITY_TEST_FILE}`, {test.sentences} sentences)" in section
