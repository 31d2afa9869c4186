"""What makes an annotation file gold: adjudication of at least two passes, or a named adjudicator's decision.

A single submission (one annotator's work, from Label Studio or a draft) is a ``pass``. A file says
``status: gold`` only when its provenance records either

- ``passes``: at least two distinct pass files of the document that exist in ``annotations/passes/``
  (the passes it was adjudicated from); or
- ``decision``: ``{"by": NAME, "reason": ...}``, the recorded decision of a named adjudicator to accept
  the file as gold without that adjudication.

Anything else is a ``gold-provenance`` finding of ``furat validate``.
"""

from __future__ import annotations

from pathlib import Path

from furat.core.annotation import AnnotationSet
from furat.core.findings import Finding, FuratError
from furat.core.repo import Repo

__all__ = ["provenance_findings"]


def _problem(repo: Repo, doc_id: str, provenance: dict[str, object]) -> str:
    decision = provenance.get("decision")
    if isinstance(decision, dict) and str(decision.get("by", "")).strip() and str(decision.get("reason", "")).strip():
        return ""
    recorded = provenance.get("passes")
    names = [str(p) for p in recorded] if isinstance(recorded, list) else []
    folder = f"annotations/passes/{doc_id}/"
    existing = []
    for name in dict.fromkeys(names):
        path = repo.root / name
        try:
            inside = repo.inside(path)
        except FuratError:
            continue
        if name.startswith(folder) and inside.is_file():
            existing.append(Path(name).stem)
    if len(existing) < 2:
        return (
            f"status is gold but provenance records {len(existing)} existing pass file(s) of this document "
            f"({folder}…) and no decision; a single submission is a `pass`: adjudicate two passes, or record "
            '"decision": {"by": NAME, "reason": ...}'
        )
    return ""


def provenance_findings(repo: Repo, doc_id: str, gold: AnnotationSet, rel: str, line: int) -> list[Finding]:
    """A ``gold-provenance`` finding when a gold file was neither adjudicated nor decided."""
    problem = _problem(repo, doc_id, dict(gold.provenance))
    return [Finding(rel, line, "gold-provenance", problem, pointer="/provenance")] if problem else []
