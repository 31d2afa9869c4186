"""``dataset.ner_arrays``: the build's ``ner`` tokens and tags, made for a whole document with numpy, are
those ``rows`` makes in Python, sentence by sentence; and where they could differ, the arrays are not made.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from furat.bench.synthetic import make_repository
from furat.core.labels import load_labels
from furat.corpus.segment import LETTER, token_spans
from furat.dataset.features import bio_names, config_features, config_layouts
from furat.dataset.ner_arrays import DocArrays, TagColumn, TokenColumn, document_arrays, numpy_arrays, pass_arrays
from furat.dataset.rows import document_columns, new_columns

ROOT = Path(__file__).resolve().parents[1]
BIO = {name: i for i, name in enumerate(bio_names(load_labels(ROOT / "schema" / "labels.json")))}
LAYOUTS = config_layouts(ROOT / "schema")
_INITIALS = re.compile(f"{LETTER}\\.{LETTER}")
# the two ways of making the arrays: numpy's passes, and the one pass (here its Python source; compiled, it is
# compared with numpy in tests/test_ner_pass_native.py)
MAKERS = pytest.mark.parametrize("make", [numpy_arrays, pass_arrays], ids=["numpy", "pass"])
Make = Callable[..., DocArrays | None]


def _spans(annotations: dict[str, Any] | None) -> list[tuple[int, int, str, str]]:
    entities = sorted((annotations or {}).get("entities", []), key=lambda e: (e["start"], e["end"]))
    return [(e["start"], e["end"], e["label"], e["id"]) for e in entities]


def _python_rows(doc: dict[str, Any], annotations: dict[str, Any]) -> tuple[list[list[str]], list[list[int]]]:
    """The ``ner`` tokens and tags ``rows`` makes in Python (the reference)."""
    out = new_columns(LAYOUTS)
    document_columns(doc, annotations, LAYOUTS, BIO, out)
    return out["ner"]["tokens"], out["ner"]["ner_tags"]


def _array_rows(arrays: DocArrays) -> tuple[list[list[str]], list[list[int]]]:
    tokens, tags = TokenColumn(), TagColumn()
    tokens.add(arrays)
    tags.add(arrays)
    schema = LAYOUTS["ner"].arrow_schema
    return tokens.to_arrow(schema.field("tokens").type).to_pylist(), tags.to_arrow(
        schema.field("ner_tags").type
    ).to_pylist()


def _arrays(doc: dict[str, Any], annotations: dict[str, Any] | None, make: Make = document_arrays) -> DocArrays | None:
    sentences = doc["sentences"]
    return make(
        doc["text"], [s["start"] for s in sentences], [s["end"] for s in sentences], _spans(annotations), BIO, BIO["O"]
    )


def _why_not(doc: dict[str, Any], annotations: dict[str, Any] | None) -> str | None:
    """The reason of the module's docstring that keeps a document from the arrays, found the plain way."""
    text, sentences = doc["text"], doc["sentences"]
    if not sentences:
        return "no sentences"
    if _INITIALS.search(text):
        return "initials"
    if any(ord(char) > 0xFFFF or 0xD800 <= ord(char) < 0xE000 for char in text):
        return "outside the BMP"
    covered = set().union(*(range(s["start"], s["end"]) for s in sentences))
    if any(not char.isspace() and k not in covered for k, char in enumerate(text)):
        return "text outside the sentences"
    if any(b["start"] <= a["end"] for a, b in itertools.pairwise(sentences)):
        return "sentences that touch"
    spans = _spans(annotations)
    for start, end, _label, _id in spans:
        if not any(s["start"] <= start and end <= s["end"] for s in sentences):
            return "an entity across a sentence end"
    tokens = [span for s in sentences for span in token_spans(text, s["start"], s["end"])]
    for (_, end, _, _), (start, _, _, _) in itertools.pairwise(spans):
        if any(a < end and start < b for a, b in tokens):
            return "two entities in one token"
    return None


def _documents() -> list[tuple[str, dict[str, Any], dict[str, Any] | None]]:
    found = []
    for path in sorted((ROOT / "corpus").glob("*.json")):
        gold = ROOT / "annotations" / path.name
        annotations = json.loads(gold.read_text(encoding="utf-8")) if gold.exists() else None
        found.append((path.stem, json.loads(path.read_text(encoding="utf-8")), annotations))
    return found


@MAKERS
@pytest.mark.parametrize(("doc_id", "doc", "annotations"), _documents(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_corpus_document_gives_the_rows_of_python(
    doc_id: str, doc: dict[str, Any], annotations: Any, make: Make
) -> None:
    """With its gold entities, or with none (the tokens of a document nobody annotated yet)."""
    annotations = annotations or {"entities": [], "quantities": [], "stances": [], "provenance": {}}
    arrays = _arrays(doc, annotations, make)
    reason = _why_not(doc, annotations)
    assert (arrays is None) == (reason is not None), reason
    if arrays is not None:
        assert _array_rows(arrays) == _python_rows(doc, annotations)


@MAKERS
def test_synthetic_documents_give_the_rows_of_python(tmp_path: Path, make: Make) -> None:
    make_repository(ROOT, tmp_path, 40)
    compared = 0
    for path in sorted((tmp_path / "corpus").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        annotations = json.loads((tmp_path / "annotations" / path.name).read_text(encoding="utf-8"))
        arrays = _arrays(doc, annotations, make)
        assert (arrays is None) == (_why_not(doc, annotations) is not None)
        if arrays is not None:
            assert _array_rows(arrays) == _python_rows(doc, annotations)
            compared += 1
    assert compared  # the synthetic text is made of the seeds: some of it goes through the arrays


PIECES = [
    "داعش", "لداعش", "بسوريا", "و", "أ.ف.ب", "د.", "5,800", "٣٫٥", "١٬٢", "99.5", "1..2", "2,", ".5", "(", "»", "«",
    "،", "؛", "؟", "ـ", "x", "Ab.c", "²", "بِسْمِ", "\u0670", "_", "😀", "e\u0301", "٪", "—", "a1", "1a", "ö.ü",
]  # fmt: skip
SPACES = [" ", "  ", "\u00a0", "\t", "\n", " \u2009"]


@MAKERS
@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=16),
    st.lists(st.sampled_from(SPACES), min_size=1, max_size=4),
    st.lists(st.integers(1, 6), min_size=1, max_size=6),
    st.lists(st.tuples(st.integers(0, 90), st.integers(1, 12)), max_size=5),
)
def test_generated_text_gives_the_rows_of_python(
    make: Make, words: list[str], spaces: list[str], sizes: list[int], cuts: list[tuple[int, int]]
) -> None:
    """Words, numbers, marks, initials, emoji and punctuation, with any white space; sentences of a few words
    each, and entities anywhere (inside a word, across a sentence end too)."""
    text, starts = "", []
    for k, word in enumerate(words):
        starts.append(len(text))
        text += word + spaces[k % len(spaces)]
    text = text.rstrip()
    sentences: list[dict[str, Any]] = []
    at = 0
    while at < len(words):
        last = min(at + sizes[len(sentences) % len(sizes)], len(words)) - 1
        sentences.append(
            {"id": f"x-s{len(sentences):03d}", "start": starts[at], "end": starts[last] + len(words[last])}
        )
        at = last + 1
    entities, reach = [], 0
    for number, (start, length) in enumerate(sorted(cuts)):
        start, end = max(start, reach), min(max(start, reach) + length, len(text))
        if start < end and not text[start].isspace() and not text[end - 1].isspace():
            entities.append(
                {"id": f"x-e{number:04d}", "start": start, "end": end, "text": text[start:end], "label": "ORG"}
            )
            reach = end
    doc = {"id": "x", "text": text, "meta": {}, "sentences": sentences, "paragraphs": []}
    annotations = {"entities": entities, "quantities": [], "stances": [], "provenance": {}}
    arrays = _arrays(doc, annotations, make)
    if arrays is not None:
        assert _why_not(doc, annotations) is None
        assert _array_rows(arrays) == _python_rows(doc, annotations)
    else:
        assert _why_not(doc, annotations) is not None
    notes: list[Any] = []
    document_columns(doc, annotations, LAYOUTS, BIO, new_columns(LAYOUTS), notes)
    if _why_not(doc, annotations) == "two entities in one token":
        assert any("shares the token" in note.message for note in notes)  # what the arrays could not say


@MAKERS
@pytest.mark.parametrize(
    ("text", "sentences", "entities", "why"),
    [
        ("قالت أ.ف.ب إن", [(0, 13)], [], "initials"),
        ("قال 😀 هنا", [(0, 10)], [], "outside the Basic Multilingual Plane"),
        ("قال \ud800 هنا", [(0, 10)], [], "a lone surrogate"),
        ("جملة. ثانية", [(0, 5)], [], "text outside every sentence"),
        ("جملةثانية", [(0, 4), (4, 9)], [], "sentences that touch (a word cut in two)"),
        ("في سوريا. والعراق", [(0, 9), (10, 17)], [(3, 13, "GPE")], "an entity across a sentence end"),
        ("بين سورياوالعراق", [(0, 16)], [(4, 9, "GPE"), (9, 16, "GPE")], "two entities in one token"),
        ("", [], [], "no sentences"),
        ("ab cd", [(0, 5)], [(3, 3, "ORG")], "an empty entity"),
        ("ab cd", [(0, 5)], [(2, 5, "ORG")], "an entity that starts with white space"),
        ("ab cd", [(0, 5)], [(0, 3, "ORG")], "an entity that ends with white space"),
        ("ab cd", [(0, 0), (1, 5)], [], "an empty sentence"),
        ("ab cd", [(0, 6)], [], "a sentence past the end of the text"),
        ("ab cd", [(0, 5)], [(0, 2, "NOT-A-LABEL")], "a label without tags"),
        ("ab", [(0, 2)], [(1, 2, "ORG"), (-3, 0, "ORG")], "entities out of order, one before the text"),
    ],
)
def test_where_python_must_decide_no_arrays_are_made(
    text: str, sentences: list[tuple[int, int]], entities: list[tuple[int, int, str]], why: str, make: Make
) -> None:
    spans = [(start, end, label, f"x-e{k}") for k, (start, end, label) in enumerate(entities)]
    starts, ends = [s for s, _ in sentences], [e for _, e in sentences]
    assert make(text, starts, ends, spans, BIO, BIO["O"]) is None, why


@MAKERS
def test_the_same_text_without_what_python_must_decide_gives_arrays(make: Make) -> None:
    """The cases above made plain: each is then made as arrays (so the cases test their reason, not the text)."""
    assert make("قالت أ ف ب إن", [0], [13], [], BIO, BIO["O"]) is not None
    assert make("جملة. ثانية", [0, 6], [5, 11], [], BIO, BIO["O"]) is not None
    spans = [(3, 8, "GPE", "x-e0"), (13, 17, "GPE", "x-e1")]
    arrays = make("في سوريا. والعراق", [0, 10], [9, 17], spans, BIO, BIO["O"])
    assert arrays is not None
    assert _array_rows(arrays) == ([["في", "سوريا", "."], ["والعراق"]], [[0, BIO["B-GPE"], 0], [BIO["B-GPE"]]])


def test_the_one_pass_knows_the_character_classes_of_numpy() -> None:
    from furat.dataset import ner_arrays
    from furat.dataset.native import tokens

    for name in ("_SPACE", "_LETTER", "_MARK", "_DIGIT", "_JOINER"):
        assert getattr(tokens, name) == getattr(ner_arrays, name), name
    assert (tokens._WORD, tokens._NUMBER, tokens._ALONE) == (ner_arrays._WORD, ner_arrays._NUMBER, ner_arrays._ALONE)


def test_entities_of_other_types_give_the_same_arrays() -> None:
    """Ids that are not strings, numpy integers, entities as lists: what the compiled pass refuses to take is
    made by numpy, with the same result (tests/test_ner_pass_native.py runs this compiled)."""
    import numpy as np

    text, starts, ends = "قال داعش في سوريا", [0], [17]
    for entities in (
        [(4, 8, "ORG", None), (12, 17, "GPE", 7)],
        [[4, 8, "ORG", "x-e0"], [12, 17, "GPE", "x-e1"]],
        [(np.int64(4), np.int64(8), "ORG", "x-e0")],
    ):
        made = numpy_arrays(text, starts, ends, entities, BIO, BIO["O"])  # type: ignore[arg-type]
        assert made is not None
        assert _same(pass_arrays(text, starts, ends, entities, BIO, BIO["O"]), made)  # type: ignore[arg-type]


def _same(one: DocArrays | None, other: DocArrays | None) -> bool:
    if one is None or other is None:
        return one is other
    return one.data == other.data and all(a.tolist() == b.tolist() for a, b in zip(one[1:], other[1:], strict=True))


@pytest.mark.parametrize(
    ("text", "sentences", "entities", "tags"),
    [
        ("ك" * 200 + " هنا", [(0, 204)], [(0, 200, "ORG")], BIO),  # a token of more than 255 bytes
        ("قال داعش هنا", [(0, 12)], [(4, 8, "ORG")], BIO),  # white space beyond ASCII
        ("قال داعش هنا", [(0, 12)], [(0, 8, "X")], {"O": 0, "B-X": 1}),  # a label without an I- tag
        ("1,500 و٣٫٥ و1,,2 و2, و.5", [(0, 24)], [], BIO),  # joiners between digits, and not
    ],
)
def test_the_one_pass_and_numpy_make_the_same_arrays_at_the_edges(
    text: str, sentences: list[tuple[int, int]], entities: list[tuple[int, int, str]], tags: dict[str, int]
) -> None:
    spans = [(start, end, label, f"x-e{k}") for k, (start, end, label) in enumerate(entities)]
    starts, ends = [s for s, _ in sentences], [e for _, e in sentences]
    made = numpy_arrays(text, starts, ends, spans, tags, 0)
    assert made is not None
    assert _same(pass_arrays(text, starts, ends, spans, tags, 0), made)


def test_columns_of_documents_and_of_python_rows_make_one_arrow_array() -> None:
    """A document the arrays could not make is appended a sentence at a time, in its place among the others."""
    first = document_arrays("قال داعش ٣٫٥ مرة", [0], [16], [(4, 8, "ORG", "x-e0")], BIO, BIO["O"])
    last = document_arrays("في العراق", [0], [9], [], BIO, BIO["O"])
    assert first is not None and last is not None
    tokens, tags = TokenColumn(), TagColumn()
    tokens.add(first)
    tags.add(first)
    tokens.extend([["أ.ف.ب"], ["x", "😀"]])
    tags.extend([[BIO["B-ORG"]], [0, 0]])
    tokens.add(last)
    tags.add(last)
    assert len(tokens) == len(tags) == 4
    expected_tokens = [["قال", "داعش", "٣٫٥", "مرة"], ["أ.ف.ب"], ["x", "😀"], ["في", "العراق"]]
    expected_tags = [[0, BIO["B-ORG"], 0, 0], [BIO["B-ORG"]], [0, 0], [0, 0]]
    list_of_strings, list_of_ids = pa.list_(pa.string()), pa.list_(pa.int64())
    assert tokens.to_arrow(list_of_strings).equals(pa.array(expected_tokens, list_of_strings))
    assert tags.to_arrow(list_of_ids).equals(pa.array(expected_tags, list_of_ids))
    assert tokens.to_arrow(pa.large_list(pa.large_string())).to_pylist() == expected_tokens  # cast to the type asked
    tokens.clear()
    tags.clear()
    assert len(tokens) == 0 and tokens.to_arrow(list_of_strings).equals(pa.array([], list_of_strings))
    assert tags.to_arrow(list_of_ids).equals(pa.array([], list_of_ids))


def test_layouts_are_the_features_as_arrow_types() -> None:
    features = config_features(ROOT / "schema")
    assert LAYOUTS.keys() == features.keys()
    for config, layout in LAYOUTS.items():
        assert layout.arrow_schema.equals(features[config].arrow_schema, check_metadata=False), config
        labels = {name: feature.names for name, feature in features[config].items() if hasattr(feature, "names")}
        assert layout.labels == labels, config


def test_layouts_are_made_without_importing_datasets() -> None:
    code = (
        "import sys\nfrom pathlib import Path\nfrom furat.dataset.features import config_layouts\n"
        f"config_layouts(Path({str(ROOT / 'schema')!r}))\nprint('datasets' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
