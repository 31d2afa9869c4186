"""The build's token pass compiled with mypyc (``furat compile``) makes the arrays numpy makes.

The test suite runs the pass's Python source (``conftest`` sets ``FURAT_NATIVE=0``), and
``test_ner_arrays`` compares it with numpy and with the Python rows; here the compiled pass runs in a child
process, which compares it with numpy on every corpus document, synthetic documents and generated text.
Compiling needs a C compiler: where there is none the comparison is skipped locally, and fails in CI.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from furat.bench.synthetic import make_repository
from furat.core.native import DISABLE
from furat.dataset.native import NATIVE
from tests.test_ner_arrays import PIECES, ROOT, SPACES, _spans
from tests.test_quantities_native import _env, compiled_env


@pytest.fixture(scope="module")
def compiled_pass(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The pass compiled (``compiled_env``)."""
    return compiled_env(NATIVE, tmp_path_factory)


def _case(doc: dict[str, Any], annotations: dict[str, Any] | None) -> list[Any]:
    sentences = doc["sentences"]
    return [doc["text"], [s["start"] for s in sentences], [s["end"] for s in sentences], _spans(annotations)]


def _generated(count: int, seed: int) -> list[list[Any]]:
    """Texts of the pieces ``test_ner_arrays`` draws from, cut into sentences, with entities anywhere."""
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        words = [rng.choice(PIECES) for _ in range(rng.randrange(1, 12))]
        text, places = "", []
        for word in words:
            places.append((len(text), len(text) + len(word)))
            text += word + rng.choice(SPACES)
        text = text.rstrip()
        cuts = sorted(rng.sample(range(1, len(words)), min(len(words) - 1, rng.randrange(0, 5))))
        bounds = [0, *cuts, len(words)]
        starts = [places[a][0] for a in bounds[:-1]]
        ends = [places[b - 1][1] for b in bounds[1:]]
        entities: list[list[Any]] = []
        reach = 0
        for _ in range(rng.randrange(0, 5)):
            start = rng.randrange(reach, len(text)) if reach < len(text) else len(text)
            end = min(start + rng.randrange(1, 12), len(text))
            if start < end:
                entities.append([start, end, rng.choice(["ORG", "GPE", "PER"]), f"x-e{len(entities)}"])
                reach = end
        cases.append([text, starts, ends, entities])
    return cases


_CHILD = """
import json, sys
from furat.dataset import ner_arrays
from furat.dataset.native import NATIVE
assert NATIVE.loaded() and ner_arrays._COMPILED, "the compiled pass is not the one loaded"
cases, tags = json.loads(open(sys.argv[1], encoding="utf-8").read())
differ, made = [], 0
for text, starts, ends, entities in cases:
    entities = [tuple(e) for e in entities]
    one = ner_arrays.document_arrays(text, starts, ends, entities, tags, tags["O"])
    other = ner_arrays.numpy_arrays(text, starts, ends, entities, tags, tags["O"])
    same = (one is None and other is None) or (
        one is not None and other is not None and one.data == other.data
        and all(a.tolist() == b.tolist() for a, b in zip(one[1:], other[1:]))
    )
    made += one is not None
    if not same:
        differ.append(text[:200])
print(json.dumps({"made": made, "differ": differ}, ensure_ascii=False))
"""


def test_the_compiled_pass_makes_the_arrays_of_numpy(tmp_path: Path, compiled_pass: dict[str, str]) -> None:
    from tests.test_ner_arrays import BIO, _documents

    cases = [_case(doc, annotations) for _, doc, annotations in _documents()]
    cases += [_case(doc, None) for _, doc, _ in _documents()]
    make_repository(ROOT, tmp_path / "synthetic", 40)
    for path in sorted((tmp_path / "synthetic" / "corpus").glob("*.json")):
        gold = tmp_path / "synthetic" / "annotations" / path.name
        cases.append(_case(json.loads(path.read_text(encoding="utf-8")), json.loads(gold.read_text(encoding="utf-8"))))
    cases += _generated(3000, seed=14)
    (tmp_path / "cases.json").write_text(json.dumps([cases, BIO], ensure_ascii=False), encoding="utf-8")
    env = _env(**compiled_pass)
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(tmp_path / "cases.json")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert result["differ"] == []
    assert result["made"] > len(cases) // 4  # a case the arrays decline is compared only as None


def test_the_tests_of_the_arrays_pass_with_the_compiled_pass(compiled_pass: dict[str, str]) -> None:
    """Every test of ``test_ner_arrays`` (the pass beside numpy and the Python rows, the cases the arrays
    decline, inputs of other types) with the pass compiled (``FURAT_NATIVE=1``: the suite's own setting)."""
    env = _env(**compiled_pass, **{DISABLE: "1"})
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_ner_arrays.py"]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:]
    child = [sys.executable, "-c", "from furat.dataset import ner_arrays; print(ner_arrays._COMPILED)"]
    assert subprocess.run(child, env=env, capture_output=True, text=True, check=True).stdout.strip() == "True"


def test_the_suite_runs_the_pass_as_its_source() -> None:
    from furat.dataset import ner_arrays

    if DISABLE not in _env() and NATIVE.loaded():  # FURAT_NATIVE=1: the suite may run the compiled pass
        pytest.skip("the suite runs compiled")
    assert not ner_arrays._COMPILED
