"""``furat coverage``: the numbers of the gold documents and what covers each (see furat.check.coverage)."""

from __future__ import annotations

from pathlib import Path

from furat.check.coverage import Number, find_numbers, quantity_coverage
from furat.core.findings import Finding, FuratError
from furat.core.repo import Repo

__all__ = ["Number", "coverage_report", "find_numbers", "quantity_coverage"]


def coverage_report(root: Path) -> list[Number]:
    from furat.annotate.preannotate import load_gold

    gold = load_gold(root)
    if not gold:
        raise FuratError([Finding("annotations", 0, "gold-missing", "no gold annotation files yet")], 2)
    return quantity_coverage(Repo(root).documents(), gold)
