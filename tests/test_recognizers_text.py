"""The Arabic number, range and percent specs of Microsoft Recognizers-Text (MIT licence, copied unchanged
into tests/data/recognizers_text/ with the licence) as a peer suite for the quantity recognizer.

Every case runs through ``find_quantities``. An expected number is found when a quantity overlaps its
span and has its value (as ``value``, or as one bound of a range); an expected range when a quantity
overlaps it with its two bounds (Furat does not record whether a bound is inclusive, so the brackets of
the suite's intervals are not compared); an expected percentage when a ``percent`` quantity overlaps it
with its value. A case with no expected result passes when nothing is found. The cases where Furat
differs on purpose, or still falls short, are listed in ``DIFFERENCES.json`` with their reasons: every
other case must pass, and every listed case must still differ (so the list stays true).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from furat.annotate.quantities import Quantity, find_quantities

DATA = Path(__file__).resolve().parent / "data" / "recognizers_text"
MODELS = ("NumberModel", "NumberRangeModel", "PercentModel")
REASONS = frozenset(
    ("date", "identifier", "phone", "math", "wrong-expectation", "not-a-quantity", "scope", "ambiguous", "gap")
)


@dataclass(frozen=True)
class PeerCase:
    model: str
    index: int
    input: str
    results: tuple[dict[str, object], ...]

    @property
    def key(self) -> str:
        return f"{self.model}#{self.index}"


def load_peer_cases() -> list[PeerCase]:
    cases: list[PeerCase] = []
    for model in MODELS:
        data = json.loads((DATA / f"{model}.json").read_text(encoding="utf-8-sig"))
        cases += [PeerCase(model, i, c["Input"], tuple(c["Results"])) for i, c in enumerate(data)]
    return cases


def _num(text: str) -> float | None:
    text = text.strip().replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _overlapping(text: str, found: list[Quantity], result: dict[str, object]) -> list[Quantity]:
    start, end = int(str(result["Start"])), int(str(result["End"])) + 1
    if start < 0:  # some cases give no offsets: the first occurrence of the expected text
        start = text.find(str(result["Text"]).strip())
        end = start + len(str(result["Text"]).strip())
    return [q for q in found if q.start < end and start < q.end]


def _interval(value: str) -> tuple[float | None, float | None]:
    m = re.fullmatch(r"[\[(]([^,]*),([^,]*)[\])]", value.strip())
    if m is None:
        return None, None
    return _num(m.group(1)), _num(m.group(2))


def _result_found(model: str, text: str, found: list[Quantity], result: dict[str, object]) -> bool:
    resolution = result["Resolution"]
    assert isinstance(resolution, dict)
    value = str(resolution.get("value", ""))
    candidates = _overlapping(text, found, result)
    if model == "NumberRangeModel":
        low, high = _interval(value)
        return any(_close(q.low, low) and _close(q.high, high) for q in candidates) or (
            _close(low, high) and any(_close(q.value, low) for q in candidates)
        )
    if model == "PercentModel":
        number = _num(value.rstrip("%"))
        return any(q.unit == "percent" and _close(q.value, number) for q in candidates)
    number = _num(value)
    return any(_close(q.value, number) or _close(q.low, number) or _close(q.high, number) for q in candidates)


def passes(case: PeerCase) -> bool:
    found = find_quantities(case.input)
    if not case.results:
        return not found
    return all(_result_found(case.model, case.input, found, r) for r in case.results)


CASES = load_peer_cases()
DIFFERENCES: dict[str, dict[str, str]] = {
    d["case"]: d for d in json.loads((DATA / "DIFFERENCES.json").read_text(encoding="utf-8"))["cases"]
}


def test_the_specs_are_the_suite_as_published() -> None:
    assert {c.model for c in CASES} == set(MODELS)
    assert (DATA / "LICENSE").read_text(encoding="utf-8").strip().startswith("MIT License")


def test_every_difference_names_a_case_and_a_reason() -> None:
    inputs = {c.key: c.input for c in CASES}
    for key, entry in DIFFERENCES.items():
        assert inputs.get(key) == entry["input"], key
        assert entry["reason"] in REASONS and entry["why"].strip(), key


@pytest.mark.parametrize("case", CASES, ids=[c.key for c in CASES])
def test_peer_case(case: PeerCase) -> None:
    got = [(q.text, q.value, q.low, q.high, q.unit) for q in find_quantities(case.input)]
    if case.key in DIFFERENCES:
        assert not passes(case), f"{case.key} now passes: remove it from DIFFERENCES.json ({got})"
    else:
        assert passes(case), f"{case.key}: {case.input!r} expected {case.results} got {got}"


def test_every_difference_is_deliberate() -> None:
    """No case is left as a ``gap``: each listed case differs by design, with its reason."""
    assert [key for key, entry in DIFFERENCES.items() if entry["reason"] == "gap"] == []
