"""Corpus documents and the Label Studio tasks made of them: reading the corpus, whether a task is current."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from furat.core.annotation import text_sha256
from furat.core.model import Document
from furat.core.repo import ID_PATTERN, Repo
from furat.studio.client import StudioSettings, fail

__all__ = ["documents", "task_matches", "task_url"]


def documents(root: Path) -> dict[str, Document]:
    """The corpus documents (``corpus/*.json``) by id; one that cannot be read stops everything."""
    repo = Repo(root)
    docs: dict[str, Document] = {}
    for path in sorted((root / "corpus").glob("*.json")):
        if not ID_PATTERN.match(path.stem):
            raise fail("bad-id", f"{path.stem!r} is not a document id; run `furat validate`", f"corpus/{path.name}")
        doc = repo.document(path.stem)  # its id is its file name's (document-mismatch otherwise)
        docs[doc.id] = doc
    return docs


def task_matches(task: Mapping[str, Any], doc: Document) -> bool:
    """Whether a task's text is the document's text at its offset, as its sha256 says."""
    data = task.get("data") or {}
    text, offset = data.get("text"), data.get("offset", 0)
    if not isinstance(text, str) or not isinstance(offset, int) or offset < 0:
        return False
    return (
        data.get("sha256") == text_sha256(text)
        and doc.text[offset : offset + len(text)] == text
        and (offset, len(text)) == (0, len(doc.text))
    )


def task_url(settings: StudioSettings, project_id: int, task: Mapping[str, Any]) -> str:
    """Where a task is in Label Studio's data manager."""
    return f"{settings.url}/projects/{project_id}/data?task={task.get('id')}"
