"""``furat add`` and ``furat remove``: a page into the corpus with its manifest entry, and a takedown.

Adding copies the raw page byte for byte into ``seeds/``, names it ``NNN_<16 hex>`` (``NNN`` the next
free number, the hex the first 16 digits of the page's sha256, so two pages never share a name),
writes its complete manifest entry, ingests it and returns a review of what cleaning did. Nothing is
written when a page is refused (not UTF-8, a byte order mark, CR line ends, already a seed, metadata
the page contradicts). Removing deletes a document and everything made from it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from furat.core.findings import Finding, FuratError
from furat.core.jsonio import dumps, write_files_atomically
from furat.core.model import Document
from furat.core.repo import ID_PATTERN, MANIFEST, META_FIELDS, SPLITS, ManifestEntry, Repo
from furat.corpus.furniture import is_final, looks_like_body, words
from furat.corpus.ingest import build_document, clean_seed, load_rules
from furat.corpus.rules import Rules

__all__ = ["AddOptions", "Added", "add_pages", "deterministic_split", "remove_document", "review_text"]

_NUMBERED = re.compile(r"^(\d{3,})_")
_ISO_DATE = re.compile(r"(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
_LINKISH = re.compile(r"https?://|www\.|@\w|#\w")


@dataclass(frozen=True)
class AddOptions:
    """What the contributor states; ``None`` lets the page (or the split rule) decide."""

    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    author: str | None = None
    split: str | None = None
    story: str | None = None
    id: str | None = None


@dataclass
class Added:
    """One page added: its manifest entry, its corpus document and what the review says."""

    entry: dict[str, Any]
    document: Document
    found_from: dict[str, str] = field(default_factory=dict)  # field -> where its value came from
    suspects: list[str] = field(default_factory=list)  # kept lines that look like page furniture
    undecided: list[str] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)


def deterministic_split(key: str) -> str:
    """The split of a new document from a key (its story, else its sha256): 80/10/10, stable."""
    bucket = int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) % 10
    return "train" if bucket < 8 else "validation" if bucket == 8 else "test"


def _refuse(path: str, line: int, code: str, message: str) -> FuratError:
    return FuratError([Finding(path, line, code, message)])


def _read_page(path: Path) -> tuple[bytes, str]:
    name = path.as_posix()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FuratError([Finding(name, 0, "file-not-found", f"cannot read: {exc.strerror}")], 2) from None
    if data.startswith(b"\xef\xbb\xbf"):
        raise _refuse(name, 1, "seed-bom", "starts with a UTF-8 byte order mark; save it without one")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _refuse(name, line, "seed-encoding", f"not UTF-8 (byte 0x{data[exc.start]:02x}); convert it") from None
    if "\r" in text:
        raise _refuse(name, text.count("\n", 0, text.index("\r")) + 1, "seed-crlf", "has CR line ends; use LF")
    if not text.strip():
        raise _refuse(name, 1, "seed-empty", "has no text")
    return data, text


def _next_number(ids: list[str]) -> int:
    numbers = [int(m.group(1)) for doc_id in ids if (m := _NUMBERED.match(doc_id))]
    return max(numbers, default=-1) + 1


def _suspects(document: Document, rules: Rules) -> list[str]:
    """Kept paragraphs shaped like furniture: short headings after the last body paragraph, links."""
    texts = [(p.kind, document.text[p.start : p.end]) for p in document.paragraphs]
    body = [i for i, (_, text) in enumerate(texts) if looks_like_body(text, rules.body_min_words)]
    first, last = (body[0], body[-1]) if body else (-1, -1)
    out = []
    for index, (kind, text) in enumerate(texts):
        short = kind != "title" and len(words(text)) <= rules.heading_max_words
        trailing = short and (index > last or index < first)  # before the first or after the last body line
        if trailing or _LINKISH.search(text) or (kind == "body" and not is_final(text) and index > last):
            out.append(f"paragraph {index}: {text}")
    return out


def _add_one(
    repo: Repo, rules: Rules, page: Path, options: AddOptions, taken: list[str], sums: dict[str, str]
) -> tuple[Added, bytes, str]:
    data, raw = _read_page(page)
    digest = hashlib.sha256(data).hexdigest()
    if digest in sums:
        raise _refuse(page.as_posix(), 0, "seed-duplicate", f"the same bytes are already seed {sums[digest]}")
    doc_id = options.id or f"{_next_number(taken):03d}_{digest[:16]}"
    if not ID_PATTERN.match(doc_id) or doc_id in taken:
        raise _refuse(MANIFEST, 0, "duplicate-id" if doc_id in taken else "bad-id", f"cannot use id {doc_id!r}")
    file = f"{doc_id}.txt"
    _, _, found, _, _ = clean_seed(raw, file, rules)
    stated = {"outlet": options.outlet, "author": options.author, "published": options.published, "url": options.url}
    entry: dict[str, Any] = {"id": doc_id, "file": file, "sha256": digest, "language": "ar"}
    found_from: dict[str, str] = {}
    for key in META_FIELDS:
        value = stated.get(key) or found.meta.get(key)
        entry[key] = value
        if stated.get(key):
            found_from[key] = "given on the command line"
        elif value is not None:
            found_from[key] = f"line {found.meta_lines.get(key, 0)} of the page"
    if options.published is not None and not _ISO_DATE.fullmatch(options.published):
        raise FuratError([Finding(MANIFEST, 0, "usage", f"--published {options.published!r} is not YYYY-MM-DD")], 2)
    split = options.split
    if split is not None and split not in SPLITS:
        raise FuratError([Finding(MANIFEST, 0, "usage", f"--split must be one of {', '.join(SPLITS)}")], 2)
    if split is None and options.story:
        split = next((e.split for e in repo.manifest if e.story == options.story and e.split), None)
    entry["split"] = split or deterministic_split(options.story or digest)
    found_from["split"] = "given" if options.split else "the story's split" if split else "the split rule"
    if options.story:
        entry["story"] = options.story
    manifest_entry = ManifestEntry(
        doc_id, file, digest, 0, {k: entry[k] for k in META_FIELDS}, entry["split"], options.story
    )
    warnings: list[Finding] = []
    document = build_document(manifest_entry, raw, rules, warnings)
    undecided = [
        f"{key}: not found in the page; give --{key} if the page states it"
        for key in ("outlet", "published")
        if entry[key] is None
    ]
    if entry["published"] is None and found.hijri:
        undecided.append("published: the page states only a Hijri date; give --published YYYY-MM-DD")
    undecided += [f"line {w.line}: {w.message}" for w in warnings]
    added = Added(entry, document, found_from, _suspects(document, rules), undecided, warnings)
    return added, data, digest


def add_pages(root: Path, pages: list[Path], options: AddOptions) -> list[Added]:
    """Add pages to the repository: all of them, or (when one is refused) none."""
    repo = Repo(root)
    rules = load_rules(repo.root)
    manifest_path = repo.root / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    taken = [e.id for e in repo.manifest]
    sums = {e.sha256: e.id for e in repo.manifest}
    if len(pages) > 1 and options.id:
        raise FuratError([Finding(MANIFEST, 0, "usage", "--id names one page; give one file with it")], 2)
    added: list[Added] = []
    files: dict[Path, str] = {}
    for page in pages:
        one, data, digest = _add_one(repo, rules, page, options, taken, sums)
        taken.append(one.entry["id"])
        sums[digest] = one.entry["id"]
        manifest["documents"].append(one.entry)
        files[repo.root / "seeds" / one.entry["file"]] = data.decode("utf-8")
        files[repo.doc_path(one.document.id)] = dumps(one.document.to_json())
        added.append(one)
    files[manifest_path] = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    write_files_atomically(files)
    return added


def review_text(added: Added) -> str:
    """What ``furat add`` prints for one page: metadata and where from, removed lines, doubts."""
    doc, entry = added.document, added.entry
    out = [f"added {doc.id} (seeds/{entry['file']}, split {entry['split']}, {added.found_from['split']})"]
    out.append("metadata:")
    for key in (*META_FIELDS, "split"):
        if key != "split" or entry.get(key):
            source = added.found_from.get(key, "not stated")
            out.append(f"  {key:9} {entry.get(key)!s:40}  ({source})")
    if doc.meta.dateline:
        out.append(f"  dateline  {doc.meta.dateline}")
    out.append(f"removed lines ({len(doc.removed)}):")
    out += [f"  line {r.line:>3} {r.role:10} {r.rule:20} {r.text}" for r in doc.removed]
    body = len(doc.paragraphs)
    out.append(f"kept: {body} paragraphs, {len(doc.sentences)} sentences")
    out.append(
        "kept lines that look like page furniture:" if added.suspects else "kept lines that look like furniture: none"
    )
    out += [f"  {s}" for s in added.suspects]
    out.append("could not decide:" if added.undecided else "could not decide: nothing")
    out += [f"  {u}" for u in added.undecided]
    return "\n".join(out)


def remove_document(root: Path, name: str) -> list[str]:
    """Remove a document and everything made from it: seed, manifest entry, corpus file, annotations."""
    repo = Repo(root)
    ids = [e.id for e in repo.manifest]
    matches = [d for d in ids if d == name or d.startswith(name + "_")]
    if len(matches) != 1:
        message = f"name one document of: {', '.join(ids)}"
        raise FuratError([Finding(name, 0, "unknown-document", message)], 2)
    doc_id = matches[0]
    entry = next(e for e in repo.manifest if e.id == doc_id)
    manifest_path = repo.root / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["documents"] = [d for d in manifest["documents"] if d.get("id") != doc_id]
    if not manifest["documents"]:
        raise FuratError([Finding(MANIFEST, 0, "usage", "cannot remove the last document of the corpus")], 2)
    doomed = [repo.inside(repo.root / "seeds" / entry.file), repo.doc_path(doc_id), repo.gold_path(doc_id)]
    passes = repo.inside(repo.passes_dir / doc_id)
    doomed += sorted(passes.glob("*.json")) if passes.is_dir() else []
    write_files_atomically({manifest_path: json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"})
    removed = [MANIFEST + f" (entry {doc_id})"]
    for path in doomed:
        if path.is_file():
            path.unlink()
            removed.append(repo.rel(path))
    if passes.is_dir() and not any(passes.iterdir()):
        passes.rmdir()
    return removed
