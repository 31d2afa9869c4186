"""``furat validate``: schema and semantic checks of a contribution, as findings (ARCHITECTURE.md, "Findings").

Each check has a stable code and a tier: L1 shape (encoding, JSON, schema), L2 text (offsets and
surfaces), L3 ids and references, L4 label vocabulary and guideline rules. A file that fails L1 is
not checked further, so one defect gives one finding. Validation never writes a file.

The happy path is fast: ``loads_fast`` (orjson, checked on the bytes; ``loads_strict`` names what it
steps aside for), a compiled schema validator,
and plain loops over the mentions; line numbers are only computed for files that have findings.
"""

from __future__ import annotations

import bisect
import errno
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from furat.check.coverage import gold_checks, gold_file_checks
from furat.check.files import data_files
from furat.check.reading import CheckRun, JsonFile, read_all
from furat.check.stance_rules import check_stance_rules
from furat.core.codes import code as registered
from furat.core.findings import Finding, FuratError
from furat.core.jsonio import loads_strict
from furat.core.labels import Labels, load_labels
from furat.core.repo import Repo
from furat.core.schemas import Schema, load_schema, schema_drift

__all__ = [
    "CheckRun",
    "FileContext",
    "check_files",
    "check_validate",
    "refuse_on_errors",
    "seed_digests",
    "validate_paths",
    "validate_repo",
    "validate_with",
]
_ATTACHED = "وفبلكـ"  # letters that may stand right before an entity: proclitics and the tatweel
# و ف ب ك (and ب ل ك after و ف) before the article, or لل: a clitic the guidelines leave outside the span.
# The article must be followed by a word of two letters or more, so that a name whose own letters look
# like one (وكالة، بالي) is not taken for it.
_PROCLITIC_AL = re.compile(r"^(?:(?:[وفبك]|[وف][بلك])ال|لل)(?=\w\w)")
_PROCLITIC_FIRST = frozenset("وفبكل")  # what a match of _PROCLITIC_AL starts with


@dataclass
class _Doc:
    id: str
    text: str
    sha256: str
    sentence_starts: list[int]
    sentence_ends: list[int]


def _load_manifest(run: CheckRun, schema: Schema) -> tuple[dict[str, dict[str, Any]], Callable[[], None]]:
    """The manifest's entries by id, after its checks; and the check of the seeds against it (every seed
    is read and hashed), which the caller runs when it likes (while worker processes check the files)."""
    file = run.read(run.root / "seeds" / "manifest.json")
    if file is None or not run.schema_check(file, schema):
        return {}, _nothing
    entries: dict[str, dict[str, Any]] = {}
    listed: list[tuple[int, dict[str, Any]]] = []  # (index, entry) of each first use of an id
    stories: dict[str, tuple[str, str]] = {}  # story -> (split, first document)
    for index, entry in enumerate(file.data["documents"]):
        pointer = f"/documents/{index}"
        if entry["id"] in entries:
            run.add(file, "duplicate-id", f"document id {entry['id']!r} is listed twice", f"{pointer}/id")
            continue
        entries[entry["id"]] = entry
        listed.append((index, entry))
        story = entry.get("story")
        if story is not None:
            split, first = stories.setdefault(story, (entry["split"], entry["id"]))
            if split != entry["split"]:
                message = (
                    f"{entry['id']} is in {entry['split']} but {first}, of the same story {story!r}, is in {split}"
                )
                run.add(file, "story-split", message, f"{pointer}/split")
    return entries, partial(_check_seeds, run, file, listed)


def _nothing() -> None:
    return None


def _check_seeds(run: CheckRun, file: JsonFile, listed: list[tuple[int, dict[str, Any]]]) -> None:
    """Each listed seed against its manifest entry: a real file, its recorded sha256, no text in two splits."""
    contents: dict[str, dict[str, str]] = {}  # seed text's sha256 -> split -> first document
    seeds = run.root / "seeds"
    seeds_inside = seeds.resolve().is_relative_to(seeds)  # the schema's file pattern holds no "/"
    digests = _seed_digests(seeds, [entry["file"] for _index, entry in listed]) if seeds_inside else {}
    for index, entry in listed:
        pointer = f"/documents/{index}"
        hashed = digests.get(entry["file"])  # None: a symbolic link
        if not seeds_inside or hashed is None:
            run.add(
                file, "symlink", f"seeds/{entry['file']} is a symbolic link; commit the file itself", f"{pointer}/file"
            )
            continue
        if isinstance(hashed, (FileNotFoundError, IsADirectoryError, NotADirectoryError)):
            run.add(file, "seed-missing", f"seeds/{entry['file']} does not exist or is not a file", f"{pointer}/file")
            continue
        if isinstance(hashed, OSError):
            message = f"seeds/{entry['file']}: cannot read: {hashed.strerror or hashed}"
            run.add(file, "io-error", message, f"{pointer}/file")
            continue
        digest, stripped = hashed
        # The same article twice in one split is only redundant; across splits the test set leaks.
        key = (stripped, entry["split"])
        first_id = contents.setdefault(key[0], {}).setdefault(key[1], entry["id"])
        others = [(split, doc) for split, doc in contents[key[0]].items() if split != entry["split"]]
        if first_id == entry["id"] and others:
            split, doc = others[0]
            message = f"seeds/{entry['file']} has the same text as {doc}'s seed, in {split}: the splits leak"
            run.add(file, "duplicate-seed", message, f"{pointer}/file")
        if digest != entry["sha256"]:
            recorded = entry["sha256"][:12]
            message = f"seeds/{entry['file']} has sha256 {digest[:12]}…, recorded {recorded}…; seeds are never edited"
            run.add(file, "seed-sha256-mismatch", message, f"{pointer}/sha256")


def _seed_digests(seeds: Path, names: list[str]) -> dict[str, tuple[str, str] | OSError | None]:
    """The sha256 of each seed file and of its stripped text, or why it cannot be read, or None for a
    symbolic link (refused by the open itself, never followed)."""

    def digests(name: str) -> tuple[str, tuple[str, str] | OSError | None]:
        path = seeds / name
        try:  # O_NONBLOCK: a named pipe does not hold the check up (it is not a file, and is not read)
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as exc:  # ELOOP: the link itself (EMLINK on some BSDs)
            return name, None if exc.errno in (errno.ELOOP, errno.EMLINK) and path.is_symlink() else exc
        try:
            status = os.fstat(fd)
            if not stat.S_ISREG(status.st_mode):
                return name, FileNotFoundError(errno.ENOENT, "not a regular file")
            return name, seed_digests(read_all(fd, status.st_size))
        except OSError as exc:
            return name, exc
        finally:
            os.close(fd)

    return dict(map(digests, dict.fromkeys(names)))


_ASCII_SPACE = frozenset(b" \t\n\r\x0b\x0c")  # what bytes.strip() strips


def seed_digests(raw: bytes) -> tuple[str, str]:
    """The sha256 of ``raw`` and of ``raw.strip()``; one pass over the bytes when no white space leads them."""
    start, end = 0, len(raw)
    while start < end and raw[start] in _ASCII_SPACE:
        start += 1
    while end > start and raw[end - 1] in _ASCII_SPACE:
        end -= 1
    view = memoryview(raw)
    stripped = hashlib.sha256(view[start:end])
    if start:
        whole = hashlib.sha256(raw)
    else:  # raw is the stripped bytes and what trails them: hash on from there
        whole = stripped.copy()
        whole.update(view[end:])
    return whole.hexdigest(), stripped.hexdigest()


def _check_labels(run: CheckRun, schema_dir: Path) -> None:
    file = run.read(schema_dir / "labels.json")
    schema = _needed(run, lambda: load_schema(schema_dir, "labels"))
    if file is None or schema is None or not run.schema_check(file, schema):
        return
    kinds = {kind["code"] for kind in file.data["quantity_kinds"]}
    for layer in ("entity_types", "quantity_kinds", "units", "stance_targets", "stance_labels"):
        seen: set[str] = set()
        for index, item in enumerate(file.data[layer]):
            if item["code"] in seen:
                run.add(file, "duplicate-code", f"{layer}: {item['code']!r} is defined twice", f"/{layer}/{index}")
            seen.add(item["code"])
    for index, unit in enumerate(file.data["units"]):
        if unit["kind"] not in kinds:
            run.add(file, "unknown-kind", f"unit {unit['code']!r} has unknown kind {unit['kind']!r}", f"/units/{index}")
    if _needed(run, lambda: schema_drift(schema_dir)):
        rel = (schema_dir / "annotation.schema.json").relative_to(run.root).as_posix()
        run.add(rel, "schema-drift", registered("schema-drift").meaning, line=1)


def _stem(name: str) -> str:
    """``PurePath(name).stem`` of a file's name, without making a path of it (one per file adds up)."""
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def _check_corpus_doc(
    run: CheckRun, file: JsonFile, schema: Schema, manifest: dict[str, dict[str, Any]], rules_sha: str | None
) -> _Doc | None:
    if not run.schema_check(file, schema):
        return None
    data = file.data
    text: str = data["text"]
    stem = _stem(file.rel.rpartition("/")[2])
    if data["id"] != stem:
        run.add(file, "document-mismatch", f"holds document {data['id']!r} but is named {stem}.json", "/id")
    entry = manifest.get(data["id"])
    if manifest and entry is None:
        run.add(file, "corpus-orphan", f"no seeds/manifest.json entry has id {data['id']!r}", "/id")
    elif entry is not None and data["meta"]["seed_sha256"] != entry["sha256"]:
        run.add(file, "corpus-stale", "made from another version of its seed; run `furat ingest`", "/meta/seed_sha256")
    elif rules_sha is not None and data["meta"].get("rules_sha256") != rules_sha:
        message = "made with other cleaning rules (seeds/cleaning.json); run `furat ingest`"
        run.add(file, "corpus-stale", message, "/meta/rules_sha256")
    if not unicodedata.is_normalized("NFC", text):
        run.add(file, "not-nfc", "the text is not in Unicode NFC", "/text")
    n = len(text)
    for layer in ("paragraphs", "sentences"):
        previous = 0
        for index, seg in enumerate(data[layer]):
            start, end = seg["start"], seg["end"]
            if not previous <= start < end <= n or text[start].isspace() or text[end - 1].isspace():
                message = f"[{start}, {end}) is empty, out of order, outside the text or edged with white space"
                run.add(file, "segment-range", message, f"/{layer}/{index}")
                return None
            previous = end
    starts = [s["start"] for s in data["sentences"]]
    ends = [s["end"] for s in data["sentences"]]
    # Walk the sentences once: each paragraph must start a sentence, end one, and hold only white
    # space between the sentences it holds.
    i, count = 0, len(starts)
    for index, para in enumerate(data["paragraphs"]):
        p_start, p_end = para["start"], para["end"]
        tiled = i < count and starts[i] == p_start
        while tiled and ends[i] < p_end:
            tiled = i + 1 < count and text[ends[i] : starts[i + 1]].isspace()
            i += 1
        if not tiled or ends[i] != p_end:
            run.add(file, "segment-tiling", "its sentences do not tile it", f"/paragraphs/{index}")
            return None
        i += 1
    if i != count:
        run.add(file, "segment-tiling", "sentences after the last paragraph", f"/sentences/{i}")
        return None
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _Doc(data["id"], text, sha, starts, ends)


def _check_span(add: Callable[..., None], text: str, item: dict[str, Any], pointer: str) -> bool:
    """L2 checks of one span; False when its offsets cannot be trusted further."""
    start, end, surface = item["start"], item["end"], item["text"]
    if end < start:
        add("span-reversed", f"end {end} is before start {start}", pointer)
        return False
    if end == start:
        add("span-empty", f"[{start}, {end}) is empty", pointer)
        return False
    if end > len(text):
        add("span-out-of-range", f"end {end} is past the end of the text ({len(text)})", pointer)
        return False
    actual = text[start:end]
    if actual != surface:
        add("span-text-mismatch", f"{surface!r} != text[{start}:{end}] {actual!r}", pointer)
        return False
    if actual != actual.strip():
        add("span-whitespace", f"{actual!r} starts or ends with white space", pointer)
        return False
    return True


def _check_annotations(
    run: CheckRun,
    file: JsonFile,
    schema: Schema,
    docs: dict[str, _Doc],
    unit_kind: dict[str, str],
) -> None:
    # Ids are unique across the repository by construction: each must start with its document's id
    # (id-prefix), each gold file holds the document its name says (document-mismatch), and ids are
    # unique within a file (duplicate-id). Raw passes repeat the ids of their document's gold.
    if not run.schema_check(file, schema):
        return
    data = file.data

    def add(code: str, message: str, pointer: str = "") -> None:
        run.add(file, code, message, pointer)

    if not data["provenance"].get("annotators", [None]):
        add("no-annotators", "provenance.annotators is empty: name who (or what) annotated the file", "/provenance")
    doc_id = data["document"]
    parts = file.rel.split("/")  # annotations/<document>.json or annotations/passes/<document>/<who>.json
    expected = parts[-2] if len(parts) >= 3 and parts[-3] == "passes" else _stem(parts[-1])
    if doc_id != expected:
        add("document-mismatch", f"holds document {doc_id!r} but its path says {expected!r}", "/document")
        return
    doc = docs.get(doc_id)
    if doc is None:
        add("unknown-document", f"no corpus/{doc_id}.json", "/document")
        return
    if data["text_sha256"] != doc.sha256:
        add(
            "stale-sha256",
            f"made on text {data['text_sha256'][:12]}…, corpus text is {doc.sha256[:12]}…",
            "/text_sha256",
        )
        return
    text = doc.text
    prefix = doc_id + "-"
    ids: set[str] = set()
    entity_ids: set[str] = set()
    spans: list[tuple[int, int, int]] = []
    n = len(text)
    for layer in ("entities", "quantities", "stances"):
        is_entity, is_quantity = layer == "entities", layer == "quantities"
        for index, item in enumerate(data[layer]):
            item_id = item["id"]
            if not item_id.startswith(prefix):
                add("id-prefix", f"id {item_id!r} does not start with {prefix!r}", f"/{layer}/{index}/id")
            if item_id in ids:
                add("duplicate-id", f"id {item_id!r} is used twice in this file", f"/{layer}/{index}/id")
            ids.add(item_id)
            start, end, surface = item["start"], item["end"], item["text"]
            # The happy path in one test; the details are worked out only when it fails.
            if not (0 <= start < end <= n and text[start:end] == surface and surface.strip() == surface):
                _check_span(add, text, item, f"/{layer}/{index}")
                continue
            if is_entity:
                entity_ids.add(item_id)
                spans.append((start, end, index))
                if surface[0] in _PROCLITIC_FIRST and _PROCLITIC_AL.match(surface):
                    add(
                        "proclitic-in-span",
                        f"{surface!r}: leave attached و ف ب ل ك outside the span",
                        f"/{layer}/{index}",
                    )
                if (start and text[start - 1].isalpha() and text[start - 1] not in _ATTACHED) or (
                    end < n and text[end].isalpha()
                ):
                    add("span-inside-word", f"{surface!r} starts or ends inside a word", f"/{layer}/{index}")
            elif is_quantity:
                _check_quantity(add, doc, item, f"/{layer}/{index}", unit_kind, text)
    for index, item in enumerate(data.get("not_quantities", [])):
        _check_span(add, text, item, f"/not_quantities/{index}")
    for index, stance in enumerate(data["stances"]):
        holder = stance["holder"]
        if holder is not None and holder not in entity_ids:
            add("dangling-holder", f"holder {holder!r} is not an entity id of this file", f"/stances/{index}/holder")
    check_stance_rules(add, text, doc.sentence_starts, data)
    reach, reach_index = -1, -1  # the furthest end so far, and whose it is
    for start, end, index in sorted(spans):
        if start < reach:
            add("entity-overlap", f"overlaps /entities/{reach_index}", f"/entities/{index}")
        if end > reach:
            reach, reach_index = end, index


def _check_quantity(
    add: Callable[..., None], doc: _Doc, item: dict[str, Any], pointer: str, unit_kind: dict[str, str], text: str
) -> None:
    start, end = item["start"], item["end"]
    i = bisect.bisect_right(doc.sentence_starts, start) - 1
    if i < 0 or end > doc.sentence_ends[i]:
        add("quantity-crosses-sentence", f"{item['text']!r} runs past the end of its sentence", pointer)
    value, low, high = item["value"], item["low"], item["high"]
    if value is not None and low is not None and high is not None:
        add("value-and-range", f"value {value} and range [{low}, {high}] are both given; keep one", pointer)
    elif low is not None and high is not None and low > high:
        add("low-gt-high", f"low {low} > high {high}", pointer)
    elif value is not None and ((low is not None and value < low) or (high is not None and value > high)):
        add("value-outside-range", f"value {value} is outside [{low}, {high}]", pointer)
    if value is None and low is None and high is None:
        add("quantity-no-number", f"{item['text']!r} has no value, low or high", pointer)
    if unit_kind.get(item["unit"]) != item["kind"]:
        add(
            "unit-kind-mismatch",
            f"unit {item['unit']!r} is a {unit_kind.get(item['unit'])}, not a {item['kind']}",
            pointer,
        )
    counted = item.get("counted")
    if counted is not None:
        c_start, c_end, c_text = counted["start"], counted["end"], counted["text"]
        if not (0 <= c_start < c_end <= len(text) and text[c_start:c_end] == c_text and c_text.strip() == c_text):
            _check_span(add, text, counted, f"{pointer}/counted")


def _needed(run: CheckRun, load: Callable[[], Any]) -> Any:
    """A schema or the labels, which the checks cannot do without; None (with its findings) when unusable."""
    try:
        return load()
    except FuratError as exc:
        found = exc.findings
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # a file that failed its schema
        found = [Finding("schema", 0, "schema", f"schema/ cannot be used ({type(exc).__name__}: {exc})")]
    known = {(f.path, f.line, f.code) for f in run.findings}
    files = {f.path for f in run.findings if f.level == "error"}
    run.findings.extend(f for f in found if (f.path, f.line, f.code) not in known and f.path not in files)
    if not any(f.level == "error" for f in run.findings):
        run.findings.extend(found)
    return None


@dataclass(frozen=True)
class FileContext:
    """What the per-file checks need besides the file: the repository-wide data, loaded once."""

    root: Path
    manifest: dict[str, dict[str, Any]]
    corpus_schema: Schema
    annotation_schema: Schema
    unit_kind: dict[str, str]
    rules_sha: str | None = None  # each document records the rules that decided it: `furat ingest --check`
    gold_in_files: bool = False  # check_files runs the gold checks of its documents (not the parent)


class FileChecker(Protocol):
    """Runs the per-file checks (``check_files``, on one process or many); ``meanwhile`` is other work of
    this process (the seeds' check), to be done once, before the findings of the files are added."""

    def __call__(
        self,
        run: CheckRun,
        corpus_paths: list[Path],
        annotation_paths: list[Path],
        ctx: FileContext,
        reported: set[Path] | None,
        /,
        *,
        meanwhile: Callable[[], None],
    ) -> None: ...


def check_files(
    run: CheckRun,
    corpus_paths: list[Path],
    annotation_paths: list[Path],
    ctx: FileContext,
    reported: set[Path] | None,
    passed: dict[Path, Any] | None = None,
    *,
    meanwhile: Callable[[], None] = _nothing,
) -> None:
    """The per-file checks: corpus documents, then the annotation files against them.

    Findings of a corpus file outside ``reported`` (when given) are not reported: it is only context.
    ``passed``, when given, receives the parsed data of every file that gave no error, by path, so
    that a caller can use what was read without reading it again (``furat build``). ``meanwhile``
    (``FileChecker``) runs first.
    """
    meanwhile()
    docs: dict[str, _Doc] = {}
    for path in corpus_paths:
        target = run if reported is None or path in reported else CheckRun(ctx.root)
        errors = target.errors
        file = target.read(path)
        doc = _check_corpus_doc(target, file, ctx.corpus_schema, ctx.manifest, ctx.rules_sha) if file else None
        if doc is not None:
            docs[doc.id] = doc
            if passed is not None and file is not None and target.errors == errors:
                passed[path] = file.data
    not_gold: set[str] = set()  # documents whose annotation file was read here and does not say gold
    annotations = str(ctx.root / "annotations")
    for path in annotation_paths:
        errors = run.errors
        file = run.read(path)
        if file is not None:
            _check_annotations(run, file, ctx.annotation_schema, docs, ctx.unit_kind)
            if passed is not None and run.errors == errors:
                passed[path] = file.data
            if str(path).rpartition("/")[0] == annotations and not _says_gold(file.data):
                not_gold.add(path.stem)
    if ctx.gold_in_files:
        repo: Repo | None = None  # made for the first document that may have gold (most have none)
        for path in corpus_paths:
            if path.stem in ctx.manifest and path.stem not in not_gold:  # the gold checks would find no gold
                repo = repo or Repo(ctx.root)
                try:
                    run.findings += gold_file_checks(repo, path.stem)
                except FuratError:  # not a document id: reported by the checks of the manifest
                    continue


def _says_gold(data: Any) -> bool:
    provenance = data.get("provenance") if isinstance(data, dict) else None
    return not isinstance(provenance, dict) or provenance.get("status") == "gold"


def validate_with(
    root: Path, only: list[Path] | None, checker: FileChecker = check_files, gold_in_files: bool = False
) -> list[Finding]:
    """Every finding (of the ``only`` files, when given); ``checker`` runs the per-file checks.

    ``gold_in_files``: the checker's ``check_files`` calls run the gold checks of their documents
    (on the processes that run them) instead of this process after them.
    """
    root = root.resolve()
    run = CheckRun(root)
    schema_dir = root / "schema"

    def report(rel: str, code: str, message: str) -> None:
        run.add(rel, code, message)

    if only is None:
        _check_labels(run, schema_dir)
    labels: Labels | None = _needed(run, lambda: load_labels(schema_dir / "labels.json"))
    schemas: dict[str, Schema | None] = {}
    for name in ("manifest", "corpus", "annotation"):
        schemas[name] = _needed(run, partial(load_schema, schema_dir, name))
    corpus_schema, annotation_schema = schemas["corpus"], schemas["annotation"]
    if labels is None or corpus_schema is None or annotation_schema is None:
        return sorted(run.findings, key=lambda f: (f.path, f.line, f.pointer, f.code))
    corpus_paths = data_files(root, root / "corpus", report if only is None else lambda *_: None, recursive=False)
    reported: set[Path] | None
    check_seeds = _nothing
    if only is None:
        manifest_schema = schemas["manifest"]
        if manifest_schema is not None:
            manifest, check_seeds = _load_manifest(run, manifest_schema)
        else:
            manifest = {}
        reported = None
        annotation_paths = data_files(root, root / "annotations", report, recursive=True)
    else:  # the named files are reported on; the rest of the repository is only context
        manifest = _quiet_manifest(root)
        wanted = {p.absolute() for p in only}
        reported = wanted & set(corpus_paths)
        annotation_paths = sorted(wanted - reported)
    gold_in_files = gold_in_files and only is None
    ctx = FileContext(root, manifest, corpus_schema, annotation_schema, labels.unit_kind, gold_in_files=gold_in_files)
    checker(run, list(corpus_paths), list(annotation_paths), ctx, reported, meanwhile=check_seeds)
    if only is None:
        listed = {path.name for path in corpus_paths}  # the files already listed exist: no stat for them
        for doc_id in manifest:
            if f"{doc_id}.json" not in listed and not (root / "corpus" / f"{doc_id}.json").exists():
                run.add("seeds/manifest.json", "corpus-missing", f"no corpus/{doc_id}.json", line=0)
    if not gold_in_files:
        run.findings += gold_checks(root, only)
    return sorted(run.findings, key=lambda f: (f.path, f.line, f.pointer, f.code))


def _quiet_manifest(root: Path) -> dict[str, dict[str, Any]]:
    try:
        data = loads_strict((root / "seeds" / "manifest.json").read_text(encoding="utf-8"))
        return {entry["id"]: entry for entry in data["documents"] if isinstance(entry["id"], str)}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def validate_repo(root: Path) -> list[Finding]:
    """Every finding in the repository: labels, schemas, manifest and seeds, corpus, annotations."""
    return validate_with(root, None)


def validate_paths(root: Path, paths: list[Path]) -> list[Finding]:
    """Findings of the given corpus or annotation files only (the rest of the repo is context)."""
    return validate_with(root, paths)


def refuse_on_errors(findings: list[Finding]) -> list[Finding]:
    """The gate: raise ``build-refused`` with the errors when there are any; else return the warnings."""
    errors = [f for f in findings if f.level == "error"]
    if errors:
        message = f"furat validate reports {len(errors)} error(s): nothing was built; fix them and build again"
        raise FuratError([*errors, Finding(".", 0, "build-refused", message)], 1)
    return [f for f in findings if f.level != "error"]


def check_validate(root: Path) -> list[Finding]:
    """``furat validate``; raises when it reports an error (the build refuses), returns its warnings."""
    return refuse_on_errors(validate_repo(root))
