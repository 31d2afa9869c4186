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
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, cast

from furat.core.findings import Finding, FuratError
from furat.core.jsonio import dumps, write_files_atomically
from furat.core.model import Document, Meta, Removed, RemovedRole, Segment, SegmentKind
from furat.core.progress import tracked
from furat.core.repo import MANIFEST, META_FIELDS, RULES, ManifestEntry, Repo
from furat.corpus.furniture import is_final, looks_like_body, parse_date, timestamp, words
from furat.corpus.rules import Rule, Rules, load_rules, rules_hash
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

_FINAL_PUNCT = re.compile(r"[.!?؟…:\"»”)]\s*$")  # what ends a paragraph rather than a heading


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
        return words(self.text)


@dataclass
class _Extracted:
    meta: dict[str, str | None] = field(default_factory=dict)
    meta_lines: dict[str, int] = field(default_factory=dict)
    captions: list[str] = field(default_factory=list)
    fired: set[str] = field(default_factory=set)  # the rules that decided a line (rules_hash)
    findings: list[Finding] = field(default_factory=list)  # warnings: body text a rule would remove
    hijri: bool = False  # a timestamp stated a Hijri date

    def decided_by(self, name: str) -> None:
        """Record that the rule (or setting) ``name`` decided a line."""
        self.fired.add(name)


def _finding(path: str, line: int, code: str, message: str) -> Finding:
    return Finding(path=path, line=line, code=code, message=message)


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


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


def _header_rule(line: _Line, rules: Rules, found: _Extracted, title_found: bool) -> bool:
    for rule in rules.header:
        if (rule.before_title and title_found) or (rule.after_title and not title_found):
            continue
        if rule.max_words is not None and len(line.words) > rule.max_words:
            continue
        match = rule.pattern.match(line.text)
        if not match:
            continue
        values: dict[str, str | None] = {}
        if rule.field == "published":
            values["published"] = parse_date(match, rules.months)
            found.decided_by("months")
        elif rule.field == "place+outlet":
            values = {"dateline": line.text, "outlet": match["outlet"].strip()}
        elif rule.field == "dateline":
            values = {"dateline": line.text}
        else:
            for group, value in match.groupdict().items():
                values[rule.field if group == "value" else group] = value.strip() if value else None
        for key, value in values.items():
            if value and key not in found.meta:
                found.meta[key] = value
                found.meta_lines[key] = line.number
        line.role, line.rule = "meta", rule.rule
        found.decided_by(rule.rule)
        return True
    return False


def _fits(rule: Rule, line: _Line, title_found: bool) -> bool:
    if (rule.before_title and title_found) or (rule.after_title and not title_found):
        return False
    return rule.max_words is None or len(line.words) <= rule.max_words


def _keep_body(line: _Line, rule: str, seed_file: str, found: _Extracted) -> None:
    """A removal rule matched a line that looks like body text: keep it, and say so."""
    message = (
        f"rule {rule!r} matches a line that looks like body text ({len(line.words)} words, ending a sentence); "
        "it is kept. If it is page furniture, add an override with its reason to seeds/cleaning.json"
    )
    where = f"seeds/{seed_file}"
    found.findings.append(Finding(path=where, line=line.number, code="body-kept", message=message, level="warning"))
    found.decided_by("body")


def _furniture(line: _Line, rules: Rules, title_found: bool) -> Rule | None:
    """The first drop or button rule that takes the line out."""
    for rule in (*rules.drop, *rules.buttons):
        if _fits(rule, line, title_found) and rule.pattern.search(line.text):
            return rule
    return None


def _caption(line: _Line, rules: Rules, title_found: bool) -> Rule | None:
    return next((r for r in rules.captions if _fits(r, line, title_found) and r.pattern.match(line.text)), None)


def _classify(lines: list[_Line], seed_file: str, rules: Rules) -> _Extracted:
    found = _Extracted()
    overrides = rules.overrides.get(seed_file, {})
    in_header = True
    in_list: Rule | None = None  # the rule whose list of links the lines are in
    seen: set[str] = set()
    for line in lines:
        if not line.text:
            line.role = "blank"
            continue
        repeated = line.text in seen
        seen.add(line.text)
        title_found = "title" in found.meta
        if line.number in overrides:
            line.role, line.rule = overrides[line.number], "override"
            found.decided_by("override")
            if line.role == "caption":
                found.captions.append(line.text)
            continue
        body_like = looks_like_body(line.text, rules.body_min_words)
        drop = _furniture(line, rules, title_found)
        caption = _caption(line, rules, title_found) if drop is None else None
        if in_list is not None:  # a list of links ends at a line that is not a link, or that a rule takes
            if drop is None and caption is None and not body_like and len(line.words) <= in_list.item_max_words:
                line.role, line.rule = "dropped", in_list.items_rule
                continue
            in_list = None
        if drop is not None or caption is not None:
            rule = cast(Rule, drop or caption)
            if body_like:
                _keep_body(line, rule.rule, seed_file, found)
            else:
                found.decided_by(rule.rule)
                if drop is not None:
                    line.role, line.rule = "dropped", drop.rule
                    if drop.heads_list and not line.text.partition(":")[2].strip():
                        in_list = drop
                else:
                    line.role, line.rule = "caption", rule.rule
                    found.captions.append(line.text)
                continue
        elif repeated and len(line.words) <= rules.repeated_max_words and not is_final(line.text):
            line.role, line.rule = "dropped", "repeated"
            found.decided_by("repeated")
            continue
        if not body_like:
            for credit in rules.credits:
                match = credit.pattern.search(line.text)
                if match:
                    found.captions.append(match["credit"])
                    found.decided_by(credit.rule)
                    _cut(line, match.start())
        if title_found and len(line.words) > rules.header_max_words:  # a long title does not end the header
            in_header = False
        if in_header and _header_rule(line, rules, found, title_found):
            continue
        if not body_like and _timestamp(line, rules, found):
            continue
        if not title_found:
            if in_header and len(line.words) < rules.title_min_words and not is_final(line.text):
                line.role, line.rule = "dropped", "header-label"
                found.decided_by("title-min-words")
                continue
            found.meta["title"] = line.text
            found.meta_lines["title"] = line.number
            line.role = "title"
        elif len(line.words) <= rules.heading_max_words and not _FINAL_PUNCT.search(line.text):
            line.role = "heading"
    if _mark_pull_quotes([ln for ln in lines if ln.role in ("body", "heading")], rules):
        found.decided_by("pull-quote")
    _body_meta(lines, rules, found)
    return found


def _timestamp(line: _Line, rules: Rules, found: _Extracted) -> bool:
    is_stamp, published, hijri = timestamp(line.text, rules.timestamps, rules.months)
    if not is_stamp:
        return False
    found.decided_by(rules.timestamps.rule)
    found.hijri = found.hijri or hijri
    line.role, line.rule = "dropped", rules.timestamps.rule
    if published:
        found.decided_by("months")
        if "published" not in found.meta:
            found.meta["published"] = published
            found.meta_lines["published"] = line.number
            line.role = "meta"
    return True


def _body_meta(lines: list[_Line], rules: Rules, found: _Extracted) -> None:
    """Metadata that body text states: the outlet naming itself, a dateline opening the first paragraph."""
    body = [ln for ln in lines if ln.role == "body"]
    if body and "dateline" not in found.meta:
        for rule in rules.body_dateline:
            match = rule.pattern.match(body[0].text)
            if match:
                found.meta["dateline"] = match["place"].strip()
                found.meta_lines["dateline"] = body[0].number
                found.decided_by(rule.rule)
                break
    for line in body:
        if "outlet" not in found.meta:
            for rule in rules.self_reference:
                match = rule.pattern.search(line.text)
                if match:
                    found.meta["outlet"] = match["outlet"].strip()
                    found.meta_lines["outlet"] = line.number
                    found.decided_by(rule.rule)


def _mark_pull_quotes(paragraphs: list[_Line], rules: Rules) -> bool:
    """A paragraph without final punctuation that mostly repeats another paragraph is a pull quote."""
    marked = False
    for line in paragraphs:
        words = line.words
        quoted = line.text.strip('"«»“” ')  # a quotation set apart is a pull quote too
        if len(words) < rules.pull_quote_min_words or _FINAL_PUNCT.search(quoted):
            continue
        for other in paragraphs:
            if other is line or other.role == "pull_quote":
                continue
            matcher = difflib.SequenceMatcher(None, words, other.words, autojunk=False)
            matched = sum(block.size for block in matcher.get_matching_blocks())
            if matched / len(words) >= rules.pull_quote_min_overlap:
                line.role, line.rule = "pull_quote", "pull-quote"
                marked = True
                break
    return marked


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


def build_document(entry: ManifestEntry, raw: str, rules: Rules, warnings: list[Finding] | None = None) -> Document:
    """One corpus document from its manifest entry and raw seed text; its warnings go to ``warnings``."""
    rel = f"seeds/{entry.file}"
    text, paragraphs, found, builder, removed = clean_seed(raw, entry.file, rules)
    if warnings is not None:
        warnings.extend(found.findings)
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
            rules_sha256=rules_hash(rules, found.fired, entry.file),
        ),
        paragraphs=tuple(paragraphs),
        sentences=tuple(sentences),
        source_map=tuple(source_map.pieces),
        removed=tuple(removed),
    )


def build_corpus(root: Path, warnings: list[Finding] | None = None) -> list[Document]:
    """Every corpus document, in manifest order; all seeds are checked before any error is raised.

    Warnings (``body-kept``: a line a rule would take out that looks like body text) go to ``warnings``.
    """
    rules = load_rules(root)
    entries = load_manifest(root)
    documents, problems = [], []
    seen: dict[str, int] = {}
    for entry in tracked(entries, "ingest", len(entries), "seed"):
        if entry.id in seen:
            msg = f"duplicate document id {entry.id!r} (first on line {seen[entry.id]})"
            problems.append(_finding(MANIFEST, entry.line, "duplicate-id", msg))
            continue
        seen[entry.id] = entry.line
        try:
            documents.append(build_document(entry, read_seed(root, entry), rules, warnings))
        except FuratError as exc:
            problems.extend(exc.findings)
    if problems:
        raise FuratError(problems, max(2 if p.code == "io-error" else 1 for p in problems))
    return documents


def corpus_files(root: Path, documents: list[Document]) -> dict[Path, str]:
    return {root / "corpus" / f"{doc.id}.json": dumps(doc.to_json()) for doc in documents}


def write_corpus(root: Path, warnings: list[Finding] | None = None) -> list[Document]:
    """Build every document and write ``corpus/`` atomically: all files or none."""
    documents = build_corpus(root, warnings)
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
