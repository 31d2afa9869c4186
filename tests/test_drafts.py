"""Drafts: mentions written as [bracketed] words in their sentence; offsets are computed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from furat.annotate.drafts import DraftError, export_draft, resolve_draft
from furat.check.validate import validate_repo
from furat.core.annotation import AnnotationSet
from furat.core.model import Document
from tests.conftest import FIXTURES, run_furat

EXAMPLE = AnnotationSet.from_json(json.loads((FIXTURES / "valid" / "004_6a18982ae2c37ec8.json").read_text("utf-8")))


def _without_ids(annotations: AnnotationSet) -> dict[str, object]:
    data = annotations.to_json()
    holders = {e["id"]: (e["start"], e["end"]) for e in data["entities"]}
    for layer in ("entities", "quantities", "stances"):
        for item in data[layer]:
            item.pop("id")
    for stance in data["stances"]:
        stance["holder"] = holders.get(stance["holder"])
    return data


def test_export_then_resolve_gives_the_same_annotations(documents: dict[str, Document]) -> None:
    doc = documents["004"]
    again = resolve_draft(doc, export_draft(doc, EXAMPLE))
    assert _without_ids(again) == _without_ids(EXAMPLE)


def test_a_proclitic_stays_outside_the_brackets(documents: dict[str, Document]) -> None:
    doc = documents["000"]
    draft = {"document": doc.id, "entities": [{"s": 0, "m": "ل[داعش]", "label": "ORG"}]}
    [entity] = resolve_draft(doc, draft).entities
    assert entity.text == "داعش" and doc.text[entity.start - 1] == "ل"


@pytest.mark.parametrize(
    ("mention", "message"),
    [
        ("داعش", "no [bracketed] mention"),
        ("[الموصل]", "is not in sentence"),
        ("[العراق]", "occurs 2 times"),  # the sentence chosen below names العراق twice
    ],
)
def test_mentions_that_cannot_be_placed_are_refused(documents: dict[str, Document], mention: str, message: str) -> None:
    doc = documents["003"]
    sentence = next(i for i, s in enumerate(doc.sentences) if doc.text[s.start : s.end].count("العراق") == 2)
    with pytest.raises(DraftError) as caught:
        resolve_draft(doc, {"document": doc.id, "entities": [{"s": sentence, "m": mention, "label": "GPE"}]})
    assert message in str(caught.value) and caught.value.pointer == "/entities/0"


def test_the_command_writes_a_pass_where_agreement_finds_it(repo: Path, documents: dict[str, Document]) -> None:
    doc = documents["004"]
    draft = export_draft(doc, EXAMPLE) | {"status": "pass", "annotators": [{"id": "agent-a", "kind": "ai-agent"}]}
    path = repo / "draft.json"
    path.write_text(json.dumps(draft, ensure_ascii=False), encoding="utf-8")
    result = run_furat("--root", str(repo), "draft", "resolve", str(path))
    assert result.returncode == 0, result.stderr
    written = repo / "annotations" / "passes" / doc.id / "agent-a.json"
    assert written.is_file() and validate_repo(repo) == []


def test_an_unresolvable_draft_names_its_line(repo: Path, documents: dict[str, Document]) -> None:
    doc = documents["004"]
    path = repo / "draft.json"
    path.write_text(
        '{\n "document": "004_6a18982ae2c37ec8",\n "entities": [\n  {"s": 0, "m": "[بغداد]", "label": "GPE"}\n ]\n}\n',
        encoding="utf-8",
    )
    result = run_furat("--root", str(repo), "draft", "resolve", str(path))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{path}:4: error[draft-unresolved] /entities/0: ")
    assert not (repo / "annotations").exists()
    assert doc.id in path.read_text(encoding="utf-8")
