"""The one registry of finding codes: every stage raises findings whose code is listed here.

Each code has a stable name, the stage that raises it, a tier for data checks (L1 shape: encoding,
JSON, schema; L2 text: offsets and surfaces; L3 ids and references; L4 label vocabulary and guideline
rules; ``None`` for codes about the run rather than the data), a level (``error`` or ``warning``),
what it means and what to do about it. ``furat validate --list-codes`` prints the whole registry,
grouped by stage, and CONTRIBUTING.md's table is checked against it by a test. ``Finding`` refuses a
code that is not registered, so a new check cannot invent a code in passing (ARCHITECTURE.md,
"Findings").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

__all__ = ["CODES", "STAGES", "Code", "Level", "Stage", "Tier", "code", "register"]

Level = Literal["error", "warning"]
Stage = Literal["repo", "corpus", "check", "annotate", "studio", "dataset", "silver", "export", "bench", "cli"]
Tier = Literal[1, 2, 3, 4]

STAGES: tuple[Stage, ...] = get_args(Stage)


@dataclass(frozen=True)
class Code:
    """One finding code: what it means and what to do."""

    code: str
    stage: Stage
    tier: Tier | None
    level: Level
    meaning: str
    hint: str = ""

    def __post_init__(self) -> None:
        if self.stage not in STAGES:
            raise ValueError(f"{self.code}: unknown stage {self.stage!r}")
        if self.level not in ("error", "warning"):
            raise ValueError(f"{self.code}: unknown level {self.level!r}")


CODES: dict[str, Code] = {}


def register(name: str, stage: Stage, tier: Tier | None, meaning: str, hint: str = "", level: Level = "error") -> Code:
    """Add a code to the registry (once: a second definition is a programming error)."""
    if name in CODES:
        raise ValueError(f"finding code {name!r} is registered twice")
    entry = Code(name, stage, tier, level, meaning, hint)
    CODES[name] = entry
    return entry


def code(name: str) -> Code:
    """The registry entry of ``name``; ``KeyError`` when it is not registered."""
    return CODES[name]


_R = register

# -- the repository and its files (any stage that reads them) ------------------------------------
_R("no-repo", "repo", None, "not inside a Furat repository", "run inside one, or pass --root DIR")
_R("io-error", "repo", 1, "a file cannot be read or written", "check that it exists and is readable")
_R("usage", "cli", None, "a command was called with arguments it cannot use", "see `furat COMMAND --help`")
_R("bom", "check", 1, "the file starts with a UTF-8 byte order mark", "save it without a BOM")
_R("encoding", "check", 1, "the file is not UTF-8", "save it as UTF-8")
_R("crlf", "check", 1, "the file has CR (Windows) line ends", "save it with LF line ends")
_R("control-char", "check", 1, "the file contains a control character", "remove it")
_R("json-syntax", "check", 1, "the file is not valid JSON", "fix the JSON at the line given")
_R("json-truncated", "check", 1, "the JSON ends before it is complete", "the file was cut short: restore it")
_R("json-nonfinite", "check", 1, "NaN, Infinity or a number too large for a float", "write a finite number")
_R("json-duplicate-key", "check", 1, "an object has the same key twice (one would be lost)", "keep one")
_R("json-depth", "check", 1, "the JSON is nested far deeper than any Furat file", "fix the file's structure")
_R("json-surrogate", "check", 1, "a \\uD800-\\uDFFF escape that is not half of a pair", "escape whole characters")
_R("symlink", "check", 1, "a symbolic link where Furat expects a file or folder", "commit the real file")
_R("outside-repo", "check", 1, "a path that resolves outside the repository", "keep every file inside it")
_R("file-extension", "check", 1, "a data file whose extension is not lower-case .json", "rename it to .json")
_R("internal-error", "cli", None, "Furat failed in a way it should not have", "report it with the command run")

# -- L1: shape -----------------------------------------------------------------------------------
_R("missing-field", "check", 1, "a required field is missing", "add it (see the schema in schema/)")
_R("unknown-field", "check", 1, "a field the schema does not define", "remove it or fix its name")
_R("wrong-type", "check", 1, "a value has the wrong JSON type", "give it the type the schema says")
_R("negative-offset", "check", 1, "an offset is below zero", "offsets count code points from 0")
_R("unknown-label", "check", 1, "an entity label that schema/labels.json does not define", "use a listed label")
_R("unknown-unit", "check", 1, "a quantity unit that schema/labels.json does not define", "use a listed unit")
_R("unknown-kind", "check", 1, "a quantity kind that schema/labels.json does not define", "use a listed kind")
_R("unknown-target", "check", 1, "a stance target that schema/labels.json does not define", "use a listed target")
_R("unknown-stance", "check", 1, "a stance label that schema/labels.json does not define", "favor, against or none")
_R("bad-id", "check", 1, "an id that does not have the required form", "ids are <doc_id>-e0001, -q0001, -t0001")
_R("schema", "check", 1, "another JSON Schema violation", "see the message and the schema")
_R("schema-drift", "check", 1, "the annotation schema's enums differ from schema/labels.json", "run `furat schema`")

# -- L2: text ------------------------------------------------------------------------------------
_R("span-reversed", "check", 2, "a span ends before it starts", "compute offsets with the tools, never by hand")
_R("span-empty", "check", 2, "a span is empty", "remove it or give it its text")
_R("span-out-of-range", "check", 2, "a span ends past the end of the document text", "recompute its offsets")
_R("span-text-mismatch", "check", 2, "a span's text differs from the document text at its offsets", "recompute")
_R("span-whitespace", "check", 2, "a span starts or ends with white space", "trim the span")
_R("quantity-crosses-sentence", "check", 2, "a quantity spans more than one sentence", "split or shorten it")
_R("not-nfc", "check", 2, "a corpus text that is not in Unicode NFC", "run `furat ingest`")
_R("segment-range", "check", 2, "a paragraph or sentence outside the text, empty, or out of order", "re-ingest")
_R("segment-tiling", "check", 2, "sentences do not tile their paragraph", "run `furat ingest`")

# -- L3: ids and references ----------------------------------------------------------------------
_R("duplicate-id", "check", 3, "an id used twice (in a file, or a document id twice in the manifest)", "renumber")
_R("id-prefix", "check", 3, "an id that does not start with its document id", "prefix it with <doc_id>-")
_R("dangling-holder", "check", 3, "a stance holder that is not an entity id of the file", "point at an entity")
_R("unknown-document", "check", 3, "a document that is not in corpus/", "check the id, or run `furat ingest`")
_R("document-mismatch", "check", 3, "a file whose name does not match the document it holds", "rename the file")
_R("stale-sha256", "check", 3, "annotations made on another version of the corpus text", "re-anchor them")
_R("seed-missing", "check", 3, "a manifest entry whose seed file does not exist", "add the seed or the entry")
_R("seed-sha256-mismatch", "check", 3, "a seed that changed since it was recorded", "seeds are never edited")
_R("corpus-stale", "check", 3, "a corpus document made from another seed or other rules", "run `furat ingest`")
_R("corpus-orphan", "check", 3, "a corpus document with no manifest entry", "remove it or add its seed")
_R("corpus-missing", "check", 3, "a manifest entry with no corpus document", "run `furat ingest`")
_R("split-missing", "check", 3, "a manifest entry without a valid split", "record train, validation or test")
_R("story-split", "check", 3, "documents of one story in different splits", "put them in one split")
_R("gold-provenance", "check", 3, "a gold file neither adjudicated from two passes nor decided", "see CONTRIBUTING")
_R("duplicate-seed", "check", 3, "one seed text under two ids in different splits (test leaks into train)", "keep one")

# -- L4: labels and guideline rules --------------------------------------------------------------
_R("entity-overlap", "check", 4, "entity spans overlap (the scheme is flat)", "keep the outermost name")
_R("low-gt-high", "check", 4, "a quantity's low bound is above its high bound", "swap or fix the bounds")
_R("value-outside-range", "check", 4, "a quantity's value lies outside [low, high]", "fix the value or bounds")
_R("unit-kind-mismatch", "check", 4, "a quantity's unit does not belong to its kind", "see schema/labels.json")
_R("value-and-range", "check", 4, "a quantity with value, low and high all set", "value, or low/high (GUIDELINES)")
_R("no-annotators", "check", 4, "an annotation file whose provenance lists no annotator", "name who annotated it")
_R("duplicate-code", "check", 4, "a code defined twice in schema/labels.json", "keep one")
_R("quantity-no-number", "check", 4, "a quantity with no value, low or high", "give it one", level="warning")
_R(
    "proclitic-in-span",
    "check",
    4,
    "an entity span that seems to include an attached proclitic (و ف ب ل ك + ال)",
    "leave the proclitic outside (GUIDELINES §1)",
    level="warning",
)
_R("span-inside-word", "check", 4, "a span that starts or ends inside a word", "check its edges", level="warning")
_R(
    "stance-duplicate",
    "check",
    4,
    "two stances of one holder on one target in one sentence",
    "keep one (GUIDELINES §4.7)",
)
_R("stance-not-clause", "check", 4, "stance evidence that looks like no clause", "GUIDELINES §4.5", level="warning")
_R(
    "stance-holder-unnamed",
    "check",
    4,
    "an unnamed or report holder where the paragraph names a speaker",
    "§4.6",
    level="warning",
)

# -- corpus: seeds, rules, manifest, ingest --------------------------------------------------------
_R("manifest-field", "corpus", 1, "a manifest entry with a missing or malformed field", "see manifest.schema.json")
_R("rules-field", "corpus", 1, "seeds/cleaning.json lacks a field or has one of another type", "compare with git")
_R("rule-pattern", "corpus", 1, "a cleaning rule whose pattern is not a valid regular expression", "fix it")
_R("seed-bom", "corpus", 1, "a seed that starts with a UTF-8 byte order mark", "save it without a BOM")
_R("seed-encoding", "corpus", 1, "a seed that is not UTF-8", "convert it to UTF-8")
_R("seed-crlf", "corpus", 1, "a seed with CR line ends", "save it with LF line ends")
_R("seed-empty", "corpus", 2, "a seed with no text, or none left after cleaning", "check the seed and the rules")
_R("meta-conflict", "corpus", 3, "manifest metadata that differs from what the page states", "fix one of them")
_R("seed-duplicate", "corpus", 3, "a page whose bytes are already a seed", "it is in the corpus already")
_R("rule-shape", "corpus", 1, "seeds/cleaning.json does not follow schema/cleaning.schema.json", "see CONTRIBUTING")
_R(
    "body-kept",
    "corpus",
    2,
    "a cleaning rule matches a line that looks like body text; the line is kept",
    "if it is furniture, add an override with its reason",
    level="warning",
)

# -- annotate: drafts, agreement, coverage, evaluation -----------------------------------------------
_R("draft-unresolved", "annotate", 2, "a draft mention that cannot be found in its sentence", "fix the brackets")
_R("draft-shape", "annotate", 1, "a draft with a missing or malformed field", "see `furat draft export`")
_R("passes-missing", "annotate", None, "a document without two annotation passes", "add a second pass")
_R("number-uncovered", "annotate", 4, "a number neither in a quantity nor excluded", "annotate or exclude it")
_R("gold-missing", "annotate", None, "no gold annotation file to compare with", "adjudicate the passes first")
_R("gold-mismatch", "annotate", 3, "gold annotations made on another version of the text", "re-anchor them")
_R("gazetteer-stale", "annotate", None, "the shipped GeoNames names differ from the libraries", "run `furat gazetteer`")
_R(
    "compile-failed",
    "annotate",
    None,
    "mypyc could not compile the quantity recognizer or the token pass; its Python source, or numpy, runs",
    "install a C compiler and Python's headers (apt install gcc python3-dev) and mypy (pip install 'furat[native]')",
)

# -- studio: Label Studio --------------------------------------------------------------------------
_R("studio-unreachable", "studio", None, "no Label Studio answers at the URL", "start it: `furat studio up`")
_R("studio-timeout", "studio", None, "Label Studio did not answer in time", "retry; FURAT_STUDIO_TIMEOUT")
_R("studio-auth", "studio", None, "Label Studio refused the API token (or no token is set)", "set the token")
_R("studio-server", "studio", None, "Label Studio answered with a server error", "see .studio/server.log")
_R("studio-rejected", "studio", None, "Label Studio rejected a request", "the message says why")
_R("studio-no-project", "studio", None, "the project does not exist on the server", "run `furat studio push`")
_R("studio-install", "studio", None, "the Label Studio server could not be installed", "see the pip output")
_R("studio-start", "studio", None, "the Label Studio server exited while starting", "see .studio/server.log")
_R("studio-backend", "studio", None, "the ML backend did not start or answer", "see .studio/backend.log")
_R("studio-port-in-use", "studio", None, "the port is taken by another program", "use --port N")
_R("studio-credentials", "studio", None, ".studio/credentials.json cannot be read", "remove it to make new ones")
_R("studio-task-stale", "studio", 3, "a task whose text no longer matches the corpus document", "push again")
_R("studio-gold-stale", "studio", 3, "gold annotations made on another version of the text", "re-anchor them")
_R("studio-span-mismatch", "studio", 2, "a region whose offsets do not land on the text it covers", "redraw it")
_R("studio-incomplete", "studio", 4, "a region without what its layer needs", "fill in its unit, target or link")
_R("studio-conflict", "studio", None, "a file changed here and on the server since the last pull", "--force")

# -- dataset: build, datasheet, publish ------------------------------------------------------------
_R("build-refused", "dataset", None, "the build refuses: furat validate reports errors", "fix them first")
_R("ner-lossy", "dataset", None, "entities the BIO tags of the ner config cannot hold", "", level="warning")
_R("build-locked", "dataset", None, "another furat build is writing this dataset", "wait for it, then build again")
_R("not-built", "dataset", None, "no built dataset where one is needed", "run `furat build`")
_R("datasheet-marker", "dataset", None, "a DATASHEET.md table marker missing or unpaired", "restore the markers")
_R("datasheet-stale", "dataset", None, "a DATASHEET.md table differs from the data", "run `furat datasheet`")
_R("docs-stale", "check", None, "the guidelines' label tables differ from labels.json", "run `furat docs`")
_R("not-gold", "dataset", None, "annotation files whose status is not gold", "adjudicate, or --allow-non-gold")
_R("hf-token-missing", "dataset", None, "no Hugging Face token in HF_TOKEN", "set HF_TOKEN, or use --dry-run")
_R("hub-error", "dataset", None, "the Hugging Face Hub refused or failed", "the message says why")
_R("file-not-found", "cli", None, "a file named on the command line does not exist", "check the path")

# -- export: other tools' formats ------------------------------------------------------------------
_R("export-lossy", "export", None, "the format cannot hold part of the annotations", "see REPORT.md", level="warning")
_R("export-span-mismatch", "export", 2, "an annotation span does not match the document text", "run `furat validate`")
_R("export-bad-reference", "export", 3, "a stance names a holder entity the file does not have", "fix the holder")
_R("export-unknown-document", "export", None, "a DOC argument names no annotated document", "check the name")
_R("export-missing-dependency", "export", None, "the format needs a library that is not installed", "furat[spacy]")
_R("import-span-mismatch", "export", 2, "an imported span's offsets do not select its text", "fix the span")
_R("import-syntax", "export", 1, "a line or file the importer cannot read", "brat standoff or CAS XMI as exported")
_R("import-unknown-type", "export", 1, "a type, attribute or relation that Furat does not have", "see the README")
_R("import-bad-reference", "export", 3, "an attribute, note or relation points at nothing", "fix the reference")
_R("import-bad-value", "export", 1, "an attribute or note value that Furat does not record", "number, id or rule")
_R("import-sidecar-missing", "export", 1, "no provenance beside the imported annotations", "keep <doc>.furat.json")
_R("import-text-changed", "export", 3, "the document text differs from the annotations' fingerprint", "re-anchor")
_R("import-exists", "export", None, "the annotation file exists already", "give --force to overwrite it")
_R("import-empty", "export", None, "the folder holds no document of the format", "check the folder")

# -- furat silver ----------------------------------------------------------------------------------
_R("silver-duplicate-id", "silver", 3, "an input article has the id of an earlier one", "make the ids unique")
