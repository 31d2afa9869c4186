"""Seeds -> corpus documents: read, clean, extract metadata, segment (ARCHITECTURE.md, "Data flow").

Raw articles in ``seeds/`` are never edited. How their lines are read (page furniture, bylines,
dates, captions, pull quotes) is declared in ``seeds/cleaning.json``; this module applies it. The
result keeps an exact map from every corpus offset back to the seed (``source_map``) and a list of
every seed line that did not make it into the text, with the rule that took it out.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, cast

from furat.core.findings import Finding, FuratError
from furat.core.jsonio import StrictJsonError, dumps, loads_strict, write_files_atomically
from furat.core.model import Document, Meta, Removed, RemovedRole, Segment, SegmentKind
from furat.core.repo import MANIFEST, META_FIELDS, RULES, ManifestEntry, Repo
from furat.corpus.segment import sentence_spans
from furat.corpus.textspan import TextBuilder, normalize_line

__all__ = [
    "RULES",
    "ManifestEntry",
    "Rules",
    "build_corpus",
    "build_document",
    "check_corpus",
    "clean_seed",
    "load_manifest",
    "load_rules",
    "read_seed",
    "write_corpus",
]

_FINAL_PUNCT = re.compile(r"[.!?؟…:\"»”)]\s*$")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class _Rule:
    rule: str
    pattern: re.Pattern[str]
    field: str = ""


@dataclass(frozen=True)
class Rules:
    """The compiled cleaning rules of ``seeds/cleaning.json``."""

    header_max_words: int
    heading_max_words: int
    drop: tuple[_Rule, ...]
    header: tuple[_Rule, ...]
    captions: tuple[_Rule, ...]
    credits: tuple[_Rule, ...]
    self_reference: tuple[_Rule, ...]
    pull_quote_min_words: int
    pull_quote_min_overlap: float
    months: dict[str, int]
    overrides: dict[str, dict[int, str]]
    sha256: str  # of seeds/cleaning.json: corpus documents record it, so stale ones are caught


@dataclass
class _Line:
    number: int  # 1-based line number in the seed
    start: int  # raw offsets of the line, without its newline
    end: int
    text: str  # the normalized line
    pieces: list[tuple[int, int, str]]
    role: str = "body"  # title, heading, body, dropped, meta, caption, pull_quote
    rule: str = ""

    @cached_property
    def words(self) -> list[str]:
        return _WORD.findall(self.text)


@dataclass
class _Extracted:
    meta: dict[str, str | None] = field(default_factory=dict)
    meta_lines: dict[str, int] = field(default_factory=dict)
    captions: list[str] = field(default_factory=list)


def _finding(path: str, line: int, code: str, message: str) -> Finding:
    return Finding(path=path, line=line, code=code, message=message)


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def load_rules(root: Path) -> Rules:
    """Compile ``seeds/cleaning.json``; a bad pattern or a malformed file is an error naming it."""
    path = root / RULES
    try:
        raw = path.read_bytes()
        data = loads_strict(raw.decode("utf-8"))
    except OSError as exc:
        raise FuratError([_finding(RULES, 0, "io-error", f"cannot read: {exc.strerror}")], 2) from None
    except (UnicodeDecodeError, StrictJsonError) as exc:
        line = getattr(exc, "line", 0)
        raise FuratError([_finding(RULES, line, "json-syntax", str(exc))]) from None

    def compile_rules(key: str) -> tuple[_Rule, ...]:
        rules = []
        for item in data.get(key, []):
            try:
                pattern = re.compile(item["pattern"])
            except re.error as exc:
                msg = f"/{key}: rule {item.get('rule')!r} has a bad pattern: {exc}"
                raise FuratError([_finding(RULES, 0, "rule-pattern", msg)]) from None
            rules.append(_Rule(item["rule"], pattern, item.get("field", "")))
        return tuple(rules)

    try:
        return _rules(data, compile_rules, raw)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # a field missing or of another type
        message = f"malformed: {type(exc).__name__} {exc} (see the fields ingest reads)"
        raise FuratError([_finding(RULES, 0, "rules-field", message)]) from None


def _rules(data: Any, compile_rules: Callable[[str], tuple[_Rule, ...]], raw: bytes) -> Rules:
    overrides = {
        seed: {int(line): spec["role"] for line, spec in lines.items()}
        for seed, lines in data.get("overrides", {}).items()
    }
    return Rules(
        header_max_words=data["header_max_words"],
        heading_max_words=data["heading_max_words"],
        drop=compile_rules("drop"),
        header=compile_rules("header"),
        captions=compile_rules("captions"),
        credits=compile_rules("credits"),
        self_reference=compile_rules("self_reference"),
        pull_quote_min_words=data["pull_quote"]["min_words"],
        pull_quote_min_overlap=data["pull_quote"]["min_overlap"],
        months=data["months"],
        overrides=overrides,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def load_manifest(root: Path) -> list[ManifestEntry]:
    """The entries of ``seeds/manifest.json``, with the line each starts on (read by ``Repo``)."""
    return Repo(root).manifest


def read_seed(root: Path, entry: ManifestEntry) -> str:
    """The seed's text; a seed that is not clean UTF-8 with LF line ends, or changed, is an error."""
    rel = f"seeds/{entry.file}"
    try:
        data = (root / rel).read_bytes()
    except OSError as exc:
        raise FuratError([_finding(rel, 0, "io-error", f"cannot read: {exc.strerror}")], 2) from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry.sha256:
        msg = f"seed changed: sha256 is {digest}, manifest says {entry.sha256} (seeds are never edited)"
        raise FuratError([_finding(rel, 0, "seed-sha256-mismatch", msg)])
    if data.startswith(b"\xef\xbb\xbf"):
        raise FuratError([_finding(rel, 1, "seed-bom", "starts with a UTF-8 byte order mark")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        msg = f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); is it Windows-1256?"
        raise FuratError([_finding(rel, line, "seed-encoding", msg)]) from None
    if "\r" in text:
        line = _line_of(text, text.index("\r"))
        raise FuratError([_finding(rel, line, "seed-crlf", "has CR line ends; use LF")])
    if not text.strip():
        raise FuratError([_finding(rel, 1, "seed-empty", "has no text")])
    return text


def _lines(raw: str) -> Iterator[_Line]:
    start = 0
    for number, line in enumerate(raw.split("\n"), start=1):
        end = start + len(line)
        pieces = normalize_line(raw, start, end)
        yield _Line(number, start, end, "".join(p[2] for p in pieces), pieces)
        start = end + 1


def _cut(line: _Line, keep: int) -> None:
    """Keep only the first ``keep`` normalized characters of a line (a credit was cut off)."""
    pieces, used = [], 0
    for raw_start, raw_end, text in line.pieces:
        if used + len(text) <= keep:
            pieces.append((raw_start, raw_end, text))
            used += len(text)
            continue
        if used < keep and len(text) == raw_end - raw_start:
            pieces.append((raw_start, raw_start + keep - used, text[: keep - used]))
        break
    while pieces and pieces[-1][2] in (" ", ""):
        pieces.pop()
    line.pieces = pieces
    line.text = "".join(p[2] for p in pieces)
    line.__dict__.pop("words", None)


def _iso_date(match: re.Match[str], months: dict[str, int]) -> str | None:
    try:
        return date(int(match["year"]), months[match["month"]], int(match["day"])).isoformat()
    except (KeyError, ValueError):
        return None


def _header_rule(line: _Line, rules: Rules, found: _Extracted) -> bool:
    for rule in rules.header:
        match = rule.pattern.match(line.text)
        if not match:
            continue
        values: dict[str, str | None] = {}
        if rule.field == "published":
            values["published"] = _iso_date(match, rules.months)
        elif rule.field == "outlet+author":
            values = {"outlet": match["outlet"].strip(), "author": match["author"].strip()}
        elif rule.field == "place+outlet":
            values = {"dateline": line.text, "outlet": match["outlet"].strip()}
        else:
            values[rule.field] = match["value"].strip()
        for key, value in values.items():
            if value and key not in found.meta:
                found.meta[key] = value
                found.meta_lines[key] = line.number
        line.role, line.rule = "meta", rule.rule
        return True
    return False


def _classify(lines: list[_Line], seed_file: str, rules: Rules) -> _Extracted:
    found = _Extracted()
    overrides = rules.overrides.get(seed_file, {})
    in_header, tail = True, False
    for line in lines:
        if not line.text:
            line.role = "blank"
            continue
        if tail:
            line.role, line.rule = "dropped", "related-list"
            continue
        if line.number in overrides:
            line.role, line.rule = overrides[line.number], "override"
            if line.role == "caption":
                found.captions.append(line.text)
            continue
        drop = next((r for r in rules.drop if r.pattern.search(line.text)), None)
        if drop:
            line.role, line.rule = "dropped", drop.rule
            # A bare "read also:" or "related articles" header heads a list of links to the end.
            after_colon = line.text.partition(":")[2].strip()
            tail = drop.rule in ("read-also", "related-header") and not after_colon
            continue
        caption = next((r for r in rules.captions if r.pattern.match(line.text)), None)
        if caption:
            line.role, line.rule = "caption", caption.rule
            found.captions.append(line.text)
            continue
        for credit in rules.credits:
            match = credit.pattern.search(line.text)
            if match:
                found.captions.append(match["credit"])
                _cut(line, match.start())
        if len(line.words) > rules.header_max_words:
            in_header = False
        if in_header and _header_rule(line, rules, found):
            continue
        if "title" not in found.meta:
            found.meta["title"] = line.text
            found.meta_lines["title"] = line.number
            line.role = "title"
        elif len(line.words) <= rules.heading_max_words and not _FINAL_PUNCT.search(line.text):
            line.role = "heading"
    _mark_pull_quotes([ln for ln in lines if ln.role in ("body", "heading")], rules)
    for line in lines:
        if line.role == "body" and "outlet" not in found.meta:
            for rule in rules.self_reference:
                match = rule.pattern.search(line.text)
                if match:
                    found.meta["outlet"] = match["outlet"].strip()
                    found.meta_lines["outlet"] = line.number
    return found


def _mark_pull_quotes(paragraphs: list[_Line], rules: Rules) -> None:
    """A paragraph without final punctuation that mostly repeats another paragraph is a pull quote."""
    for line in paragraphs:
        words = line.words
        if len(words) < rules.pull_quote_min_words or _FINAL_PUNCT.search(line.text):
            continue
        for other in paragraphs:
            if other is line or other.role == "pull_quote":
                continue
            matcher = difflib.SequenceMatcher(None, words, other.words, autojunk=False)
            matched = sum(block.size for block in matcher.get_matching_blocks())
            if matched / len(words) >= rules.pull_quote_min_overlap:
                line.role, line.rule = "pull_quote", "pull-quote"
                break


def clean_seed(
    raw: str, seed_file: str, rules: Rules
) -> tuple[str, list[Segment], _Extracted, TextBuilder, list[Removed]]:
    """Clean one seed: its text, paragraphs (ids filled in later), metadata found, map and removed lines."""
    lines = list(_lines(raw))
    found = _classify(lines, seed_file, rules)
    builder = TextBuilder(raw)
    paragraphs: list[Segment] = []
    removed: list[Removed] = []
    kept = [ln for ln in lines if ln.role in ("title", "heading", "body")]
    for index, line in enumerate(kept):
        if index:  # paragraphs are joined by the newline that ended the previous kept line
            newline = kept[index - 1].end
            builder.copy(newline, newline + 1)
        start = builder.clean_offset
        builder.extend(line.pieces)
        paragraphs.append(Segment("", start, builder.clean_offset, cast(SegmentKind, line.role)))
    for line in lines:
        if line.role in ("dropped", "meta", "caption", "pull_quote"):
            removed.append(Removed(line.number, cast(RemovedRole, line.role), line.rule, line.text))
    text, _ = builder.finish()
    return text, paragraphs, found, builder, removed


def build_document(entry: ManifestEntry, raw: str, rules: Rules) -> Document:
    """One corpus document from its manifest entry and raw seed text."""
    rel = f"seeds/{entry.file}"
    text, paragraphs, found, builder, removed = clean_seed(raw, entry.file, rules)
    if not paragraphs:
        raise FuratError([_finding(rel, 1, "seed-empty", "no text is left after cleaning")])
    _, source_map = builder.finish()
    meta: dict[str, Any] = {}
    problems = []
    for key in (*META_FIELDS, "issue", "dateline"):
        stated, extracted = entry.meta.get(key), found.meta.get(key)
        if stated is not None and extracted is not None and stated != extracted:
            line = found.meta_lines.get(key, 0)
            msg = f"{key}: the text says {extracted!r} (line {line}), the manifest says {stated!r}"
            problems.append(_finding(MANIFEST, entry.line, "meta-conflict", msg))
        meta[key] = stated if stated is not None else extracted
    if problems:
        raise FuratError(problems)
    doc = entry.id
    paragraphs = [Segment(f"{doc}-p{i:03d}", p.start, p.end, p.kind) for i, p in enumerate(paragraphs)]
    spans = sentence_spans(text, [(p.start, p.end) for p in paragraphs])
    sentences = [Segment(f"{doc}-s{i:03d}", s, e) for i, (s, e) in enumerate(spans)]
    return Document(
        id=doc,
        text=text,
        meta=Meta(
            title=meta["title"] or "",
            outlet=meta["outlet"],
            author=meta["author"],
            published=meta["published"],
            url=meta["url"],
            section=meta["section"],
            issue=meta["issue"],
            dateline=meta["dateline"],
            captions=tuple(found.captions),
            seed_file=entry.file,
            seed_sha256=entry.sha256,
            rules_sha256=rules.sha256,
        ),
        paragraphs=tuple(paragraphs),
        sentences=tuple(sentences),
        source_map=tuple(source_map.pieces),
        removed=tuple(removed),
    )


def build_corpus(root: Path) -> list[Document]:
    """Every corpus document, in manifest order; all seeds are checked before any error is raised."""
    rules = load_rules(root)
    entries = load_manifest(root)
    documents, problems = [], []
    seen: dict[str, int] = {}
    for entry in entries:
        if entry.id in seen:
            msg = f"duplicate document id {entry.id!r} (first on line {seen[entry.id]})"
            problems.append(_finding(MANIFEST, entry.line, "duplicate-id", msg))
            continue
        seen[entry.id] = entry.line
        try:
            documents.append(build_document(entry, read_seed(root, entry), rules))
        except FuratError as exc:
            problems.extend(exc.findings)
    if problems:
        raise FuratError(problems, max(2 if p.code == "io-error" else 1 for p in problems))
    return documents


def corpus_files(root: Path, documents: list[Document]) -> dict[Path, str]:
    return {root / "corpus" / f"{doc.id}.json": dumps(doc.to_json()) for doc in documents}


def write_corpus(root: Path) -> list[Document]:
    """Build every document and write ``corpus/`` atomically: all files or none."""
    documents = build_corpus(root)
    write_files_atomically(corpus_files(root, documents))
    return documents


def check_corpus(root: Path) -> list[Finding]:
    """Findings for every corpus file that differs from what ``furat ingest`` would write now."""
    expected = corpus_files(root, build_corpus(root))
    findings = []
    for path, content in expected.items():
        rel = path.relative_to(root).as_posix()
        try:
            current = path.read_bytes().decode("utf-8", errors="replace")  # any difference is staleness
        except FileNotFoundError:
            findings.append(_finding(rel, 0, "corpus-stale", "missing; run `furat ingest`"))
            continue
        except OSError as exc:
            findings.append(_finding(rel, 0, "io-error", f"cannot read: {exc.strerror or exc}"))
            continue
        if current != content:
            old, new = current.splitlines(), content.splitlines()
            line = next(
                (i + 1 for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), 1 + min(len(old), len(new))
            )
            findings.append(_finding(rel, line, "corpus-stale", "differs from seeds + rules; run `furat ingest`"))
    for path in sorted((root / "corpus").glob("*.json")):
        if path not in expected:
            rel = path.relative_to(root).as_posix()
            findings.append(_finding(rel, 0, "corpus-orphan", "no seed in seeds/manifest.json makes this document"))
    return findings
