"""Paths only from checked ids: no command reads or writes outside the repository because data said so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from furat.annotate.drafts import export_draft
from furat.core.annotation import AnnotationSet
from furat.core.findings import FuratError
from furat.core.model import Document
from furat.studio.tasks import documents as studio_documents
from tests.conftest import FIXTURES, run_furat

EXAMPLE = AnnotationSet.from_json(json.loads((FIXTURES / "valid" / "004_6a18982ae2c37ec8.json").read_text("utf-8")))


def _manifest(repo: Path) -> dict[str, list[dict[str, object]]]:
    data: dict[str, list[dict[str, object]]] = json.loads((repo / "seeds" / "manifest.json").read_text("utf-8"))
    return data


def _save(repo: Path, data: object, name: str = "manifest.json") -> None:
    (repo / "seeds" / name).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


@pytest.mark.parametrize("doc_id", ["../../../X", "/tmp/furat-X"])
def test_ingest_and_preannotate_refuse_a_manifest_id_that_is_a_path(repo: Path, doc_id: str) -> None:
    data = _manifest(repo)
    data["documents"][0]["id"] = doc_id.replace("/tmp", str(repo.parent))
    _save(repo, data)
    before = sorted(p.name for p in repo.parent.iterdir())
    for command in (["ingest"], ["preannotate"]):
        result = run_furat("--root", str(repo), *command)
        assert result.returncode == 1 and "error[bad-id]" in result.stderr, result.stderr
    assert sorted(p.name for p in repo.parent.iterdir()) == before


def test_a_seed_linked_to_a_file_outside_is_not_read(repo: Path) -> None:
    secret = repo.parent / "secret.txt"
    secret.write_text("not an article\n", encoding="utf-8")
    entry = _manifest(repo)["documents"][0]
    seed = repo / "seeds" / str(entry["file"])
    seed.unlink()
    seed.symlink_to(secret)
    for command in (["ingest"], ["validate"]):
        result = run_furat("--root", str(repo), *command)
        assert result.returncode == 1 and "error[symlink]" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize("listing", ["listed", "not listed"])
def test_the_manifest_refuses_a_linked_seed_whether_or_not_its_folder_can_be_listed(
    repo: Path, listing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Links are found in one listing of seeds/; a name the listing does not give as it is written (a
    folder that cannot be listed, a file system that ignores case) is asked of the file itself."""
    import os

    from furat.core.repo import Repo

    entry = _manifest(repo)["documents"][0]
    seed = repo / "seeds" / str(entry["file"])
    seed.unlink()
    seed.symlink_to(repo / "seeds" / str(_manifest(repo)["documents"][1]["file"]))
    if listing == "not listed":

        def refused(path: object) -> object:
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr(os, "scandir", refused)
    with pytest.raises(FuratError) as caught:
        _ = Repo(repo).manifest
    assert [f.code for f in caught.value.findings] == ["symlink"]


def test_a_manifest_whose_documents_is_an_object_is_a_finding(repo: Path) -> None:
    data = _manifest(repo)
    _save(repo, {**data, "documents": {"a": 1}})
    result = run_furat("--root", str(repo), "ingest")
    assert result.returncode == 1 and "error[manifest-field]" in result.stderr and "Traceback" not in result.stderr


def test_cleaning_rules_without_months_are_a_finding(repo: Path) -> None:
    rules = json.loads((repo / "seeds" / "cleaning.json").read_text(encoding="utf-8"))
    del rules["months"]
    _save(repo, rules, "cleaning.json")
    result = run_furat("--root", str(repo), "ingest")
    # the rules' schema (schema/cleaning.schema.json) names the missing field before ingest reads it
    assert result.returncode == 1 and "error[rule-shape]" in result.stderr and "'months'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_drafts_annotator_id_cannot_name_a_path(repo: Path, documents: dict[str, Document]) -> None:
    doc = documents["004"]
    draft = export_draft(doc, EXAMPLE) | {"status": "pass", "annotators": [{"id": "../../../X", "kind": "ai-agent"}]}
    path = repo / "draft.json"
    path.write_text(json.dumps(draft, ensure_ascii=False), encoding="utf-8")
    before = sorted(p.name for p in repo.parent.iterdir())
    result = run_furat("--root", str(repo), "draft", "resolve", str(path))
    assert result.returncode == 1 and "error[bad-id]" in result.stderr, result.stderr
    assert sorted(p.name for p in repo.parent.iterdir()) == before


@pytest.mark.parametrize(("doc_id", "code"), [("../../X", "schema"), ("001_dc33664b38d03477", "document-mismatch")])
def test_a_corpus_file_whose_id_is_not_its_name_is_refused_before_studio_pull_builds_paths(
    repo: Path, doc_id: str, code: str
) -> None:
    path = next((repo / "corpus").glob("000_*.json"))
    data = json.loads(path.read_text(encoding="utf-8"))
    data["id"] = doc_id
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(FuratError) as caught:
        studio_documents(repo)
    assert [f.code for f in caught.value.findings] == [code]


def test_a_folder_replaced_by_a_file_is_an_io_error_not_a_traceback(repo: Path, documents: dict[str, Document]) -> None:
    doc = documents["004"]
    draft = export_draft(doc, EXAMPLE) | {"status": "pass", "annotators": [{"id": "agent-a", "kind": "ai-agent"}]}
    path = repo / "draft.json"
    path.write_text(json.dumps(draft, ensure_ascii=False), encoding="utf-8")
    (repo / "annotations").write_text("a file where a folder belongs\n", encoding="utf-8")
    result = run_furat("--root", str(repo), "draft", "resolve", str(path))
    assert result.returncode == 2 and "error[io-error]" in result.stderr and "Traceback" not in result.stderr
