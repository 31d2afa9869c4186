"""``furat studio pull``: export with ``label-studio-sdk``, convert each region to document offsets
(checked against the corpus text), write each annotator's raw pass to
``annotations/passes/<doc_id>/<annotator>.json`` and the gold to ``annotations/<doc_id>.json``,
all files or none. A file changed both locally and on the server since the last pull is a conflict.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from furat.core.annotation import AnnotationSet, text_sha256
from furat.core.findings import Finding, FuratError
from furat.core.jsonio import dumps, write_files_atomically
from furat.core.labels import load_labels
from furat.core.model import Document
from furat.core.progress import tracked
from furat.studio.client import Studio, StudioSettings, fail, finding
from furat.studio.convert import Problem, build_layers, layers_digest, parse_regions
from furat.studio.state import ProjectState, canonical_sha, load_state, project_state, sha, state_path, state_text
from furat.studio.tasks import documents, task_matches, task_url

__all__ = ["PullReport", "annotator_name", "pull"]


@dataclass
class PullReport:
    project: int
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_local: list[str] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)


@dataclass
class _Annotation:
    """One submitted annotation of a current task, read once."""

    annotation: Mapping[str, Any]
    task: Mapping[str, Any]
    who: str
    imported_unchanged: bool  # the gold push imported, as it was: not anyone's pass
    layers: AnnotationSet  # with the ids the regions carry (imported gold keeps its own)

    @property
    def when(self) -> tuple[str, int]:
        a = self.annotation
        return str(a.get("updated_at") or a.get("created_at") or ""), int(a.get("id") or 0)


def _convert(
    doc: Document,
    task: Mapping[str, Any],
    annotation: Mapping[str, Any],
    unit_kind: Mapping[str, str],
    remembered: Mapping[str, str],
    previous: AnnotationSet | None,
) -> tuple[AnnotationSet, dict[str, str], list[Problem]]:
    data = task.get("data") or {}
    task_text, offset = str(data.get("text", "")), int(data.get("offset", 0))
    regions, relations, problems = parse_regions(annotation.get("result") or [], task_text, offset)
    layers = build_layers(doc.id, doc.text, regions, relations, unit_kind, remembered, previous)
    return layers.annotation_set(doc.id, text_sha256(doc.text), {}), layers.ids, [*problems, *layers.problems]


def _user_id(value: Any) -> int | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, int) else None


def _who(annotation: Mapping[str, Any], users: Mapping[int, str], me: int | None) -> str:
    """Whose pass an annotation is: its owner (``completed_by``); for one the pushing account imported
    (gold) and someone else then changed, that someone (``updated_by``)."""
    owner = _user_id(annotation.get("completed_by"))
    editor = _user_id(annotation.get("updated_by"))
    user = editor if owner == me and editor is not None else owner
    if user is None:
        return "unknown"
    return users.get(user, f"user-{user}")


def pull(
    root: Path,
    settings: StudioSettings,
    force: bool = False,
    skip_stale: bool = False,
    echo: Callable[[str], None] = print,
) -> PullReport:
    """Export, convert and write passes and gold (all or nothing); conflicts stop it unless ``force``."""
    root = root.resolve()
    unit_kind = load_labels(root / "schema" / "labels.json").unit_kind
    docs = documents(root)
    studio = Studio(settings)
    me = _user_id(getattr(studio.whoami(), "id", None))
    state = load_state(root)
    entry = project_state(state, settings.url, settings.project)
    project_id = studio.find_project(settings.project, entry.project if entry else None)
    if project_id is None:
        raise fail("studio-no-project", f"no project {settings.project!r} at {settings.url}; run `furat studio push`")
    if entry is None or entry.project != project_id:
        entry = ProjectState(project_id)
    tool = f"label-studio {studio.version()}"
    users = studio.users()
    tasks = studio.export(project_id)

    findings: list[Finding] = []
    report = PullReport(project_id)
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for task in tasks:
        by_doc.setdefault(str((task.get("data") or {}).get("doc_id")), []).append(task)

    outputs: dict[str, str] = {}  # relative path -> content
    ids_used: dict[str, dict[str, str]] = {}
    for doc_id in tracked(sorted(by_doc), "studio pull", len(by_doc), "doc"):
        doc = docs.get(doc_id)
        current = [t for t in by_doc[doc_id] if doc is not None and task_matches(t, doc)]
        for task in by_doc[doc_id]:
            if task in current or all(a.get("was_cancelled") for a in task.get("annotations") or []):
                continue
            why = "no corpus document has this id" if doc is None else "its text is not the corpus text any more"
            message = f"task {task.get('id')} ({doc_id}): {why}; its annotations are not pulled"
            where = task_url(settings, project_id, task)
            if skip_stale:
                report.warnings.append(finding("studio-task-stale", message, where, "warning"))
            else:
                findings.append(finding("studio-task-stale", message + " (--skip-stale pulls the rest)", where))
        if doc is None:
            continue
        read: list[_Annotation] = []
        for task in current:
            for annotation in task.get("annotations") or []:
                if annotation.get("was_cancelled"):
                    continue
                who = _who(annotation, users, me)
                layers, _, problems = _convert(doc, task, annotation, unit_kind, {}, None)
                for problem in problems:
                    message = f"annotation {annotation.get('id')} by {who}: {problem.message}"
                    findings.append(finding(problem.code, message, task_url(settings, project_id, task)))
                digest = (task.get("data") or {}).get("gold_digest")
                unchanged = digest is not None and layers_digest(layers) == digest
                read.append(_Annotation(annotation, task, who, unchanged, layers))
        if not read:
            continue
        # Each annotator's latest pass (the imported gold, unchanged, is nobody's pass).
        passes: dict[str, _Annotation] = {}
        for item in sorted(read, key=lambda a: a.when):
            if not item.imported_unchanged:
                passes[annotator_name(item.who)] = item
        pass_paths = sorted(f"annotations/passes/{doc_id}/{name}.json" for name in passes)
        for name, item in passes.items():
            rel = f"annotations/passes/{doc_id}/{name}.json"
            layers, ids, _ = _convert(
                doc, item.task, item.annotation, unit_kind, entry.ids.get(rel, {}), _read_set(root / rel)
            )
            provenance = {
                "status": "pass",
                "annotators": [{"id": name, "kind": "human"}],
                "method": f"label-studio annotation {item.annotation.get('id')} of task {item.task.get('id')}",
                "tool": tool,
                "created": item.when[0],
            }
            outputs[rel] = dumps(_with_provenance(layers, provenance).to_json())
            ids_used[rel] = ids
        # Gold: the adjudicated annotation (ground truth) if any, else the latest submitted one; it is
        # `status: gold` only when it was chosen among at least two passes (check/provenance.py): one
        # person's submission, starred or not, stays a `pass` until someone adjudicates.
        ground_truth = [a for a in read if a.annotation.get("ground_truth")]
        chosen = max(ground_truth or read, key=lambda a: a.when)
        gold_rel = f"annotations/{doc_id}.json"
        imported_provenance = _provenance((chosen.task.get("data") or {}).get("gold_provenance"))
        if chosen.imported_unchanged and imported_provenance is not None:
            layers, provenance = chosen.layers, imported_provenance
        else:
            layers, ids, _ = _convert(
                doc, chosen.task, chosen.annotation, unit_kind, entry.ids.get(gold_rel, {}), _read_set(root / gold_rel)
            )
            ids_used[gold_rel] = ids
            adjudicated = bool(ground_truth) and len(pass_paths) >= 2
            if adjudicated:
                method = f"ground truth (adjudicated among {len(pass_paths)} passes)"
            elif ground_truth:
                method = "ground truth of a single pass (not adjudicated: a second pass is needed)"
            else:
                method = "latest submitted annotation (not adjudicated: no ground truth chosen)"
            provenance = {
                "status": "gold" if adjudicated else "pass",
                "annotators": [{"id": annotator_name(chosen.who), "kind": "human"}],
                "method": f"label-studio {method}: annotation {chosen.annotation.get('id')}",
                "tool": tool,
                "created": chosen.when[0],
                "passes": pass_paths,
            }
        outputs[gold_rel] = dumps(_with_provenance(layers, provenance).to_json())

    # Conflicts: a file whose server side changed while the local copy changed too.
    writes: dict[Path, str] = {}
    for rel, content in sorted(outputs.items()):
        path = root / rel
        new_sha, last, local = sha(content), entry.files.get(rel), canonical_sha(path)
        if new_sha == local:  # already so here
            entry.files[rel] = new_sha
            if rel in ids_used:
                entry.ids[rel] = ids_used[rel]
            report.unchanged.append(rel)
            continue
        if new_sha == last:  # the server has nothing new for it: local edits stay
            report.kept_local.append(rel)
            continue
        if local is not None and local != last and not force:
            message = (
                "changed here and on the server since the last pull; keep yours (copy it aside) "
                "or take the server's with `furat studio pull --force`"
            )
            findings.append(finding("studio-conflict", message, rel))
            continue
        writes[path] = content
        entry.files[rel] = new_sha
        if rel in ids_used:
            entry.ids[rel] = ids_used[rel]
        report.written.append(rel)
    if any(f.level == "error" for f in findings):
        raise FuratError(findings, 1)
    writes[state_path(root)] = state_text(state, settings.url, settings.project, entry)
    write_files_atomically(writes)
    for warning in report.warnings:
        echo(warning.text())
    for rel in report.written:
        echo(f"wrote {rel}")
    if report.kept_local:
        echo(f"kept {len(report.kept_local)} local file(s) the server has nothing new for")
    echo(f"{len(report.written)} file(s) written, {len(report.unchanged)} unchanged")
    return report


def _provenance(value: Any) -> dict[str, Any] | None:
    """The gold provenance push stored in a task (a JSON string, so its key order survives)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return dict(value) if isinstance(value, dict) else None


def _read_set(path: Path) -> AnnotationSet | None:
    try:
        return AnnotationSet.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _with_provenance(layers: AnnotationSet, provenance: dict[str, Any]) -> AnnotationSet:
    return dataclasses.replace(layers, provenance=provenance)


def annotator_name(who: str) -> str:
    """A filesystem-safe form of a Label Studio email or username: ``ana@example.org`` -> ``ana-at-example.org``.

    A name that needs other changes (``علي``, ``a/b``) gets a short digest of the original, so two
    people never share a file."""
    plain = who.strip().lower().replace("@", "-at-")
    name = re.sub(r"[^a-z0-9._-]+", "-", plain).strip(".-")
    if name != plain:  # characters were lost: keep names apart with a digest of the original
        name = f"{name or 'user'}-{hashlib.sha256(who.encode('utf-8')).hexdigest()[:8]}"
    return name
