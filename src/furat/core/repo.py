"""``Repo``: the one way every stage reads the repository (ARCHITECTURE.md, "The repository").

A Furat repository is a folder of files with fixed places::

    seeds/manifest.json         one entry per document: id, seed file, sha256, split, story, metadata
    seeds/cleaning.json         the cleaning rules of ``furat ingest``
    seeds/<file>.txt            the raw articles, never edited
    corpus/<doc_id>.json        the cleaned, segmented documents (what every offset points into)
    annotations/<doc_id>.json   the adjudicated gold
    annotations/passes/<doc_id>/<annotator>.json   each annotator's raw pass
    schema/                     labels.json and the JSON Schemas

Each part is loaded once per ``Repo`` and cached. A loader turns unreadable or malformed input into
findings (``FuratError`` with the file, the line and a registered code), never into a traceback; and
paths are built only from ids that match their pattern and stay inside the repository.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from furat.core.annotation import AnnotationSet
from furat.core.findings import Finding, FuratError
from furat.core.jsonio import StrictJsonError, loads_strict, read_json_strict
from furat.core.labels import Labels, load_labels
from furat.core.model import Document
from furat.core.paths import repo_root
from furat.core.schemas import Schema, load_schema

__all__ = [
    "ID_PATTERN",
    "MANIFEST",
    "META_FIELDS",
    "RULES",
    "SPLITS",
    "ManifestEntry",
    "Repo",
    "Split",
    "gold_known",
    "manifest_known",
]

MANIFEST = "seeds/manifest.json"
RULES = "seeds/cleaning.json"
Split = Literal["train", "validation", "test"]
SPLITS: tuple[Split, ...] = ("train", "validation", "test")
# A document id (schema/corpus.schema.json) and an annotator id: safe as one path component.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_]{2,63}$")
_ANNOTATOR = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_SEED_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")
META_FIELDS = ("title", "outlet", "author", "published", "section", "url")


@dataclass(frozen=True)
class ManifestEntry:
    """One document of ``seeds/manifest.json``, with the line its entry starts on."""

    id: str
    file: str
    sha256: str
    line: int
    meta: dict[str, str | None]
    split: str | None = None
    story: str | None = None


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


class Repo:
    """A Furat repository on disk: its parts by name, each read once."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._schemas: dict[str, Schema] = {}

    @classmethod
    def find(cls, given: str | None = None) -> Repo:
        """The repository of ``--root`` when given, else the one found upwards (``no-repo``, exit 2)."""
        return cls(repo_root(given))

    # -- where things are ---------------------------------------------------------------------------
    @property
    def schema_dir(self) -> Path:
        return self.root / "schema"

    @property
    def corpus_dir(self) -> Path:
        return self.root / "corpus"

    @property
    def annotations_dir(self) -> Path:
        return self.root / "annotations"

    @property
    def passes_dir(self) -> Path:
        return self.annotations_dir / "passes"

    def rel(self, path: Path) -> str:
        """``path`` relative to the repository, as findings name files."""
        if path.parent in self._real_folders and not path.is_symlink():
            return path.relative_to(self.root).as_posix()
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    @cached_property
    def _real_folders(self) -> frozenset[Path]:
        """The data folders that resolve to themselves (no link on the way): a plain file in one is inside."""
        folders = (self.corpus_dir, self.annotations_dir)
        return frozenset(f for f in folders if f.resolve() == f)

    def inside(self, path: Path) -> Path:
        """``path``, after checking that it resolves inside the repository (else ``io-error``, exit 2)."""
        if path.parent in self._real_folders and not path.is_symlink() and path.name not in ("", ".", ".."):
            return path  # one lstat instead of resolving every component of the path
        resolved = path.resolve()
        if not resolved.is_relative_to(self.root):
            message = f"{path} resolves outside the repository ({resolved}); refusing to use it"
            raise FuratError([Finding(path.as_posix(), 0, "io-error", message)], 2)
        return path

    def doc_path(self, doc_id: str) -> Path:
        return self.inside(self.corpus_dir / f"{_checked_id(doc_id)}.json")

    def gold_path(self, doc_id: str) -> Path:
        return self.inside(self.annotations_dir / f"{_checked_id(doc_id)}.json")

    def pass_path(self, doc_id: str, annotator: str) -> Path:
        if not _ANNOTATOR.match(annotator):
            message = f"annotator id {annotator!r} is not a plain name (letters, digits, _ . -)"
            raise FuratError([Finding("annotations/passes", 0, "bad-id", message)])
        return self.inside(self.passes_dir / _checked_id(doc_id) / f"{annotator}.json")

    # -- what is there ------------------------------------------------------------------------------
    @cached_property
    def labels(self) -> Labels:
        return load_labels(self.schema_dir / "labels.json")

    def schema(self, name: str) -> Schema:
        if name not in self._schemas:
            self._schemas[name] = load_schema(self.schema_dir, name)
        return self._schemas[name]

    @cached_property
    def manifest(self) -> list[ManifestEntry]:
        """The entries of ``seeds/manifest.json`` in order; findings for a file or entry that is unusable.

        Inside ``manifest_known(...)`` for this repository, the entries it was given (read once by the caller).
        """
        known = _MANIFEST_KNOWN.get()
        if known is not None and known[0] == self.root:
            return list(known[1])
        path = self.root / MANIFEST
        try:
            raw = path.read_text(encoding="utf-8")
            data = loads_strict(raw)
        except FileNotFoundError:
            raise FuratError(
                [Finding(MANIFEST, 0, "io-error", "no manifest: seeds/manifest.json is missing")], 2
            ) from None
        except OSError as exc:
            raise FuratError([Finding(MANIFEST, 0, "io-error", f"cannot read: {exc.strerror}")], 2) from None
        except UnicodeDecodeError as exc:
            line = _line_of(path.read_bytes().decode("latin-1"), exc.start)
            raise FuratError([Finding(MANIFEST, line, "encoding", "not UTF-8")]) from None
        except StrictJsonError as exc:
            raise FuratError([exc.finding(MANIFEST)]) from None
        documents = data.get("documents") if isinstance(data, dict) else None
        if not isinstance(documents, list):
            raise FuratError([Finding(MANIFEST, 1, "manifest-field", "/documents: not a list of documents")])
        starts = [m.start() for m in re.finditer(r'"id"\s*:', raw)]
        entries: list[ManifestEntry] = []
        problems: list[Finding] = []
        seeds = self.root / "seeds"
        seeds_inside = seeds.resolve().is_relative_to(seeds)  # a seed file name holds no "/" (_SEED_FILE)
        listed = _listing(seeds) if seeds_inside else {}
        counted = lines = 0  # lines counted incrementally: the entries' starts are in order
        for index, item in enumerate(documents):
            line = 0
            if index < len(starts):
                lines += raw.count("\n", counted, starts[index])
                counted = starts[index]
                line = lines + 1
            if not isinstance(item, dict):
                problems.append(Finding(MANIFEST, line, "manifest-field", f"/documents/{index}: not an object"))
                continue
            missing = [k for k in ("id", "file", "sha256") if not isinstance(item.get(k), str)]
            if missing:
                msg = f"/documents/{index}: missing or not a string: {', '.join(missing)}"
                problems.append(Finding(MANIFEST, line, "manifest-field", msg))
                continue
            if not ID_PATTERN.match(item["id"]):
                msg = f"/documents/{index}/id: {item['id']!r} is not a document id ({ID_PATTERN.pattern})"
                problems.append(Finding(MANIFEST, line, "bad-id", msg))
                continue
            if not _SEED_FILE.match(item["file"]) or ".." in item["file"]:
                msg = f"/documents/{index}/file: {item['file']!r} is not a file name inside seeds/"
                problems.append(Finding(MANIFEST, line, "manifest-field", msg))
                continue
            link = listed.get(item["file"])  # None: not listed as it is named (then asked of the file itself)
            if not seeds_inside or (link if link is not None else (seeds / item["file"]).is_symlink()):
                msg = f"/documents/{index}/file: seeds/{item['file']} is a symbolic link; commit the file itself"
                problems.append(Finding(MANIFEST, line, "symlink", msg))
                continue
            meta = {k: v if isinstance(v := item.get(k), str) else None for k in META_FIELDS}
            split, story = item.get("split"), item.get("story")
            entries.append(
                ManifestEntry(
                    item["id"],
                    item["file"],
                    item["sha256"],
                    line,
                    meta,
                    split if isinstance(split, str) else None,
                    story if isinstance(story, str) else None,
                )
            )
        if not entries and not problems:
            problems.append(Finding(MANIFEST, 1, "manifest-field", "/documents: no documents"))
        if problems:
            raise FuratError(problems)
        return entries

    @cached_property
    def splits(self) -> list[tuple[str, str]]:
        """(document id, split) in manifest order. Documents that share a ``story`` share a split."""
        problems: list[Finding] = []
        splits: list[tuple[str, str]] = []
        stories: dict[str, tuple[str, str]] = {}  # story -> (split, first document)
        for index, entry in enumerate(self.manifest):
            pointer = f"/documents/{index}/split"
            if entry.split not in SPLITS:
                message = f"{entry.id}: split is {entry.split!r}; record one of {', '.join(SPLITS)}"
                problems.append(Finding(MANIFEST, entry.line, "split-missing", message, pointer=pointer))
                continue
            if entry.story is not None:
                first = stories.setdefault(entry.story, (entry.split, entry.id))
                if first[0] != entry.split:
                    message = (
                        f"{entry.id} is in {entry.split} but {first[1]}, of the same story {entry.story!r}, "
                        f"is in {first[0]}"
                    )
                    problems.append(Finding(MANIFEST, entry.line, "story-split", message, pointer=pointer))
            splits.append((entry.id, entry.split))
        if problems:
            raise FuratError(problems)
        return splits

    def document(self, doc_id: str, *, lean: bool = False) -> Document:
        """``corpus/<doc_id>.json``; ``lean`` leaves out the source map and removed lines."""
        path = self.doc_path(doc_id)
        data = self._json(path)
        self._shape(path, data, "corpus")
        if lean and isinstance(data, dict):
            data.pop("source_map", None)
            data.pop("removed", None)
        try:
            document = Document.from_json(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            message = f"not a corpus document ({exc}); run `furat validate`"
            raise FuratError([Finding(self.rel(path), 0, "schema", message)]) from None
        if document.id != doc_id:  # the id in the file names paths too: it must be the file's own
            message = f"holds document {document.id!r} but is named {doc_id}.json; run `furat validate`"
            raise FuratError([Finding(self.rel(path), 0, "document-mismatch", message)])
        return document

    def documents(self) -> list[Document]:
        """Every corpus document, in manifest order."""
        return [self.document(entry.id) for entry in self.manifest]

    def find_document(self, name: str) -> Document:
        """The document named by its id or its number (``003``); ``unknown-document`` (exit 2) otherwise."""
        ids = [entry.id for entry in self.manifest]
        matches = [d for d in ids if d == name or d.startswith(name + "_")]
        if len(matches) != 1:
            raise FuratError([Finding(name, 0, "unknown-document", f"name one document of: {', '.join(ids)}")], 2)
        return self.document(matches[0])

    def gold(self, doc_id: str) -> AnnotationSet | None:
        """``annotations/<doc_id>.json`` (whatever its status), or None when there is none."""
        path = self.gold_path(doc_id)
        return self.annotation_set(path) if path.is_file() else None

    def gold_sets(self) -> dict[str, AnnotationSet]:
        """Annotation files whose provenance status is ``gold``, by document id, in manifest order.

        Inside ``gold_known(...)`` for this repository, only the documents it names are read.
        """
        known = _GOLD_KNOWN.get()
        candidates = known[1] if known is not None and known[0] == self.root else None
        out = {}
        for entry in self.manifest:
            if (candidates is not None and entry.id not in candidates) or not self.may_be_gold(entry.id):
                continue
            path = self.gold_path(entry.id)
            data = self._json(path) if path.is_file() else None
            provenance = data.get("provenance") if isinstance(data, dict) else None
            if isinstance(provenance, dict) and provenance.get("status") == "gold":  # only gold becomes a model
                out[entry.id] = self._annotation_set(path, data)
        return out

    def may_be_gold(self, doc_id: str) -> bool:
        """False only when ``annotations/<doc_id>.json`` cannot be gold: absent, or without ``"gold"`` (even escaped).

        A bytes search, so that a repository of many non-gold files is not parsed to find its few gold
        ones; a link, or a file that cannot be read, is left to the checks that read it.
        """
        path = self.annotations_dir / f"{_checked_id(doc_id)}.json"
        try:
            if self.annotations_dir.is_symlink() or path.is_symlink():
                return True
            data = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return False
        except OSError:
            return True
        return b'"gold"' in data or b"\\u" in data

    def passes(self, doc_id: str) -> dict[str, AnnotationSet]:
        """The raw passes of a document, by annotator (file name), sorted by annotator."""
        folder = self.inside(self.passes_dir / _checked_id(doc_id))
        files = sorted(folder.glob("*.json")) if folder.is_dir() else []
        return {path.stem: self.annotation_set(path) for path in files}

    def pass_documents(self) -> list[str]:
        """Document ids that have a passes folder, sorted."""
        if not self.passes_dir.is_dir():
            return []
        return sorted(p.name for p in self.passes_dir.iterdir() if p.is_dir() and ID_PATTERN.match(p.name))

    def annotation_set(self, path: Path) -> AnnotationSet:
        """An annotation file, as the model; findings when it cannot be read or is not one."""
        return self._annotation_set(path, self._json(path))

    def _annotation_set(self, path: Path, data: Any) -> AnnotationSet:
        self._shape(path, data, "annotation")
        try:
            return AnnotationSet.from_json(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            message = f"not an annotation file ({exc}); run `furat validate`"
            raise FuratError([Finding(self.rel(path), 0, "schema", message)]) from None

    def _shape(self, path: Path, data: Any, schema: str) -> None:
        """Data from a file is used only once it has its schema's shape (the compiled check: fast)."""
        if not self.schema(schema).is_valid(data):
            message = f"does not match schema/{schema}.schema.json; run `furat validate` to see where"
            raise FuratError([Finding(self.rel(path), 0, "schema", message)])

    def _json(self, path: Path) -> Any:
        """A JSON file of the repository, read strictly (``core.jsonio.loads_strict``), never through a link."""
        rel = self.rel(path)
        if path.is_symlink():
            raise FuratError([Finding(rel, 0, "symlink", "is a symbolic link; run `furat validate`")])
        return read_json_strict(self.inside(path), rel)


_MANIFEST_KNOWN: ContextVar[tuple[Path, tuple[ManifestEntry, ...]] | None] = ContextVar(
    "furat_manifest_known", default=None
)


@contextlib.contextmanager
def manifest_known(repo: Repo) -> Iterator[None]:
    """Within this block, every ``Repo`` of ``repo``'s folder has ``repo.manifest`` as its manifest: a long
    task (``furat build``) reads and checks the manifest once, where each of its parts makes a ``Repo`` of
    its own. Raises ``repo.manifest``'s findings when the manifest is unusable."""
    token = _MANIFEST_KNOWN.set((repo.root, tuple(repo.manifest)))
    try:
        yield
    finally:
        _MANIFEST_KNOWN.reset(token)


_GOLD_KNOWN: ContextVar[tuple[Path, frozenset[str]] | None] = ContextVar("furat_gold_known", default=None)


@contextlib.contextmanager
def gold_known(root: Path, doc_ids: Iterable[str]) -> Iterator[None]:
    """Within this block, ``Repo(root).gold_sets()`` reads only ``doc_ids``: a caller that has just read
    every annotation file (``furat build``) says which ones are gold, so they are not searched again."""
    token = _GOLD_KNOWN.set((root.resolve(), frozenset(doc_ids)))
    try:
        yield
    finally:
        _GOLD_KNOWN.reset(token)


def _checked_id(doc_id: str) -> str:
    if not ID_PATTERN.match(doc_id):
        message = f"{doc_id!r} is not a document id ({ID_PATTERN.pattern})"
        raise FuratError([Finding(doc_id, 0, "bad-id", message)])
    return doc_id


def _listing(folder: Path) -> dict[str, bool]:
    """Each name in ``folder``, and whether it is a symbolic link, from one listing; empty when it
    cannot be listed."""
    try:
        with os.scandir(folder) as entries:
            return {entry.name: entry.is_symlink() for entry in entries}
    except OSError:
        return {}
