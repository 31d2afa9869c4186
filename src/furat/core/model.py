"""The one data model every stage shares: corpus documents and their segments.

Offsets are half-open code point ranges into ``Document.text`` (ARCHITECTURE.md, "Contracts").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SegmentKind = Literal["", "title", "heading", "body"]
RemovedRole = Literal["dropped", "meta", "caption", "pull_quote"]

__all__ = ["Document", "Meta", "Removed", "Segment"]


@dataclass(frozen=True)
class Segment:
    """A paragraph or a sentence. ``kind`` is ``title``, ``heading`` or ``body`` for paragraphs."""

    id: str
    start: int
    end: int
    kind: SegmentKind = ""

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"segment {self.id} [{self.start}, {self.end}) is empty, reversed or negative")

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "start": self.start, "end": self.end}
        if self.kind:
            data["kind"] = self.kind
        return data


@dataclass(frozen=True)
class Meta:
    title: str
    outlet: str | None
    author: str | None
    published: str | None
    url: str | None
    section: str | None
    seed_file: str
    seed_sha256: str
    issue: str | None = None
    dateline: str | None = None
    captions: tuple[str, ...] = ()
    rules_sha256: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Meta:
        return cls(**{**data, "captions": tuple(data.get("captions", ()))})

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "outlet": self.outlet,
            "author": self.author,
            "published": self.published,
            "url": self.url,
            "section": self.section,
            "issue": self.issue,
            "dateline": self.dateline,
            "captions": list(self.captions),
            "seed_file": self.seed_file,
            "seed_sha256": self.seed_sha256,
            "rules_sha256": self.rules_sha256,
        }


@dataclass(frozen=True)
class Removed:
    """A seed line that is not in the text, with the rule that took it out."""

    line: int
    role: RemovedRole
    rule: str
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "role": self.role, "rule": self.rule, "text": self.text}


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    meta: Meta
    paragraphs: tuple[Segment, ...]
    sentences: tuple[Segment, ...]
    source_map: tuple[tuple[int, int, int, int], ...] = ()
    removed: tuple[Removed, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "meta": self.meta.to_json(),
            "paragraphs": [p.to_json() for p in self.paragraphs],
            "sentences": [s.to_json() for s in self.sentences],
            "source_map": [list(p) for p in self.source_map],
            "removed": [r.to_json() for r in self.removed],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        return cls(
            id=data["id"],
            text=data["text"],
            meta=Meta.from_json(data["meta"]),
            paragraphs=tuple(Segment(**p) for p in data["paragraphs"]),
            sentences=tuple(Segment(**s) for s in data["sentences"]),
            source_map=tuple((p[0], p[1], p[2], p[3]) for p in data.get("source_map", ())),
            removed=tuple(Removed(**r) for r in data.get("removed", ())),
        )
