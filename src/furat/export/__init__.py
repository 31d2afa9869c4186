"""Exports of the corpus to other tools' formats, and imports back from the editable ones.

``furat export --format conll|brat|cas|spacy|prodigy`` writes ``dist/export/<format>/``;
``furat import --format brat|cas DIR`` turns brat standoff or UIMA CAS XMI back into annotation
files. brat and CAS hold everything (the round trip gives back equal annotation files); what the
other formats cannot hold is counted in ``REPORT.md`` next to the export.
"""

from __future__ import annotations

__all__ = ["EXPORT_FORMATS", "IMPORT_FORMATS"]

EXPORT_FORMATS = ("conll", "brat", "cas", "spacy", "prodigy")
IMPORT_FORMATS = ("brat", "cas")

# Finding codes of the export stage: code -> (level, meaning).
