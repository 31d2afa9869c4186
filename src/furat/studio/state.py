"""Sync state (``.studio/state.json``): what the last push or pull left, and the digests it compares."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from furat.core.annotation import AnnotationSet
from furat.core.jsonio import dumps
from furat.studio.client import STUDIO_DIR

__all__ = [
    "STATE_FILE",
    "ProjectState",
    "canonical_sha",
    "load_state",
    "project_state",
    "sha",
    "state_path",
    "state_text",
]

STATE_FILE = "state.json"


@dataclass
class ProjectState:
    """What the last push or pull left, per project on a server: the canonical sha256 of each file as
    last synchronised, and the Label Studio region id -> Furat id map of each file."""

    project: int
    files: dict[str, str] = field(default_factory=dict)
    ids: dict[str, dict[str, str]] = field(default_factory=dict)


def state_path(root: Path) -> Path:
    """``.studio/state.json`` of the repository."""
    return root / STUDIO_DIR / STATE_FILE


def load_state(root: Path) -> dict[str, Any]:
    """The whole state file; an empty state when it is missing or unreadable."""
    try:
        data = json.loads(state_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"servers": {}}
    return data if isinstance(data, dict) and isinstance(data.get("servers"), dict) else {"servers": {}}


def project_state(state: dict[str, Any], url: str, title: str) -> ProjectState | None:
    """What the state remembers of project ``title`` at ``url``, if anything."""
    entry = state["servers"].get(f"{url}#{title}")
    if not isinstance(entry, dict) or not isinstance(entry.get("project"), int):
        return None
    return ProjectState(entry["project"], dict(entry.get("files", {})), dict(entry.get("ids", {})))


def state_text(state: dict[str, Any], url: str, title: str, entry: ProjectState) -> str:
    """The state file's new content, with ``entry`` as the state of project ``title`` at ``url``."""
    state["servers"][f"{url}#{title}"] = {"project": entry.project, "files": entry.files, "ids": entry.ids}
    return json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def sha(text: str) -> str:
    """The sha256 of a text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_sha(path: Path) -> str | None:
    """The sha256 of a file's canonical form (``dumps`` of its AnnotationSet), of its bytes if it has none."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError:
        return None
    except UnicodeDecodeError:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        return sha(dumps(AnnotationSet.from_json(json.loads(raw)).to_json()))
    except (ValueError, KeyError, TypeError):
        return sha(raw)
