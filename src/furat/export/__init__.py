"""Exports of the corpus to other tools' formats, and imports back from the editable ones.

``furat export --format conll|brat|cas|spacy|prodigy`` writes ``dist/export/<format>/``;
``furat import --format brat|cas DIR`` turns brat standoff or UIMA CAS XMI back into annotation
files. brat and CAS hold everything (the round trip gives back equal annotation files); what the
other formats cannot hold is counted in ``REPORT.md`` next to the export.
"""

from __future__ import annotations

__all__ = ["CODES", "EXPORT_FORMATS", "IMPORT_FORMATS"]

EXPORT_FORMATS = ("conll", "brat", "cas", "spacy", "prodigy")
IMPORT_FORMATS = ("brat", "cas")

# Finding codes of the export stage: code -> (level, meaning).
CODES: dict[str, tuple[str, str]] = {
    "export-lossy": ("warning", "the format cannot hold part of the annotations; REPORT.md counts and lists it"),
    "export-span-mismatch": ("error", "an annotation span does not match the document text; nothing was exported"),
    "export-bad-reference": ("error", "a stance names a holder entity the annotation file does not have"),
    "export-unknown-document": ("error", "a DOC argument names no annotated document of the manifest"),
    "export-missing-dependency": ("error", "the format needs a library that is not installed (furat[spacy])"),
    "import-span-mismatch": ("error", "a span's offsets do not select its text in the document; nothing was written"),
    "import-syntax": ("error", "a line or file the importer cannot read (not brat standoff / CAS XMI as exported)"),
    "import-unknown-type": ("error", "an annotation type, attribute or relation Furat does not have"),
    "import-bad-reference": ("error", "an attribute, note or relation points at an annotation that is not there"),
    "import-bad-value": ("error", "an attribute or note value that is not what Furat records (number, id, rule)"),
    "import-sidecar-missing": ("error", "brat: no <doc>.furat.json with provenance beside the .ann; CAS: no metadata"),
    "import-text-changed": ("error", "the document text differs from the fingerprint its annotations were made on"),
    "import-exists": ("error", "the annotation file exists already; give --force to overwrite it"),
    "import-empty": ("error", "the folder holds no document of the format"),
}
