"""The unit inventory grows by appending: the ClassLabel ids published with labels 1.0.0 still hold, and the
recognizer reads the new kinds on the frozen development set."""

from __future__ import annotations

import json
from pathlib import Path

from furat.annotate.evaluation import load_quantity_dev, quantity_dev_scores
from furat.core.labels import load_labels
from furat.dataset.features import config_features

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = json.loads((ROOT / "tests" / "data" / "labels_published.json").read_text(encoding="utf-8"))


def test_published_unit_and_kind_ids_hold() -> None:
    labels = load_labels()
    assert labels.unit_codes[: len(PUBLISHED["units"])] == tuple(PUBLISHED["units"])
    assert labels.kind_codes[: len(PUBLISHED["quantity_kinds"])] == tuple(PUBLISHED["quantity_kinds"])
    assert len(set(labels.unit_codes)) == len(labels.unit_codes)


def test_dataset_class_labels_keep_the_published_ids() -> None:
    features = config_features(ROOT / "schema")
    quantity = features["quantities"]
    for name, codes in (("unit", PUBLISHED["units"]), ("kind", PUBLISHED["quantity_kinds"])):
        class_label = quantity[name]
        for index, code in enumerate(codes):
            assert class_label.str2int(code) == index, (name, code)


def test_inventory_11_has_the_units_general_news_needs() -> None:
    kinds = load_labels().unit_kind
    for code, kind in (
        ("celsius", "temperature"),
        ("minute", "duration"),
        ("second", "duration"),
        ("l", "volume"),
        ("bbl", "volume"),
        ("kmh", "speed"),
        ("MW", "power"),
        ("kWh", "energy"),
        ("CNY", "money"),
    ):
        assert kinds[code] == kind


def test_development_set_units_are_in_labels() -> None:
    _, expected = load_quantity_dev(ROOT / "tests" / "data" / "quantities_dev.tsv")
    kinds = load_labels().unit_kind
    assert all(q.unit in kinds for q in expected)
    new_kinds = {"temperature", "volume", "speed", "power", "energy"}
    assert new_kinds <= {kinds[q.unit] for q in expected}


def test_recognizer_on_the_frozen_development_set() -> None:
    score = quantity_dev_scores(ROOT)
    assert score is not None
    assert score.quantities.recall >= 0.97, score
    assert score.value_agreement is not None and score.value_agreement >= 0.95, score
    for kind in ("temperature", "volume", "speed", "power", "energy"):
        assert score.by_kind[kind].matched > 0, kind
