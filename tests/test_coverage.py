"""The coverage check: numbers that are neither in a quantity nor in an excluded category."""

from __future__ import annotations

import json
from pathlib import Path

from furat.annotate.coverage import find_numbers
from tests.conftest import DEFAULT_TARGET, FIXTURES, run_furat


def test_numbers_in_digits_and_words_are_found() -> None:
    text = "قتل خمسة دواعش وأصيب 43 عنصرا، وبين 20 ألفًا و٣٠ ألف مقاتل في اليوم الأول من آب 2018"
    found = [(t, ordinal) for _, _, t, ordinal in find_numbers(text)]
    assert found == [
        ("خمسة", False),
        ("43", False),
        ("20", False),
        ("ألفًا", False),
        ("٣٠", False),
        ("ألف", False),
        ("الأول", True),
        ("2018", False),
    ]


def test_coverage_lists_what_the_example_leaves_out(repo: Path) -> None:
    data = json.loads((FIXTURES / "valid" / "004_6a18982ae2c37ec8.json").read_text(encoding="utf-8"))
    data["provenance"]["status"] = "gold"  # the check reads gold files only
    (repo / "annotations").mkdir()
    (repo / DEFAULT_TARGET).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run_furat("--root", str(repo), "coverage")
    assert result.returncode == 1
    # covered by the example's quantities, or excluded as dates and ordinals
    assert "3 quantity" in result.stdout and "2 date" in result.stdout and "1 ordinal" in result.stdout
    # the example annotates only part of the text: "79 دولة" is a quantity it left out
    assert "'79'" in result.stderr and "error[number-uncovered]" in result.stderr


def test_proclitics_are_outside_the_number_and_the_article_inside() -> None:
    text = "تتزايد بالعشرات يومياً، وليس أمامها سوى خيار واحد، وللثلاثة"
    assert [(t, text[s:e]) for s, e, t, _ in find_numbers(text)] == [
        ("العشرات", "العشرات"),
        ("واحد", "واحد"),
        ("ثلاثة", "ثلاثة"),
    ]
