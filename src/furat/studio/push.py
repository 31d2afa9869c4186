"""``furat studio push``: create or update the project; one task per document (see README.md, For annotators),
carrying ``doc_id``, ``offset`` and ``sha256`` of its text; existing gold as annotations and
pre-annotations (``furat.annotate.preannotate``) as predictions. Idempotent.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from furat.core.annotation import AnnotationSet, text_sha256
from furat.core.findings import Finding
from furat.core.jsonio import write_files_atomically
from furat.core.labels import load_labels
from furat.core.model import Document
from furat.core.progress import tracked
from furat.studio.client import Studio, StudioSettings, fail, finding
from furat.studio.config import INSTRUCTIONS_HTML, label_config
from furat.studio.convert import annotation_results, layers_digest
from furat.studio.state import ProjectState, canonical_sha, load_state, project_state, state_path, state_text
from furat.studio.tasks import documents, task_matches, task_url

__all__ = ["PushReport", "push"]


@dataclass
class PushReport:
    project: int
    url: str
    created_tasks: int = 0
    existing_tasks: int = 0
    gold_imported: int = 0
    predictions_added: int = 0
    config_updated: bool = False
    warnings: list[Finding] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"project {self.project} at {self.url}/projects/{self.project}/data",
            f"tasks: {self.created_tasks} created, {self.existing_tasks} already there"
            f"; gold imported for {self.gold_imported}, predictions added to {self.predictions_added}",
        ]
        if self.config_updated:
            out.append("labeling config updated from schema/labels.json")
        return out


def _task_data(doc: Document, gold: AnnotationSet | None) -> dict[str, Any]:
    return {
        "text": doc.text,
        "doc_id": doc.id,
        "offset": 0,
        "sha256": text_sha256(doc.text),
        "title": doc.meta.title,
        "gold_digest": layers_digest(gold) if gold else None,
        # as a string: a PostgreSQL server keeps task data as jsonb, which reorders an object's keys
        "gold_provenance": json.dumps(gold.provenance, ensure_ascii=False) if gold else None,
    }


def push(root: Path, settings: StudioSettings, echo: Callable[[str], None] = print) -> PushReport:
    """Create or update the project and its tasks; change nothing annotators did."""
    root = root.resolve()
    labels = load_labels(root / "schema" / "labels.json")
    config = label_config(labels, root / "schema")
    docs = documents(root)
    studio = Studio(settings)
    studio.whoami()
    state = load_state(root)
    entry = project_state(state, settings.url, settings.project)
    project_id = studio.find_project(settings.project, entry.project if entry else None)
    report = PushReport(project=-1, url=settings.url)
    predictions, model_version = _predictions(root)
    # The project names the pre-annotations' model version and turns predictions on, so the labeling
    # view has them to show (Label Studio's model_version and show_collab_predictions).
    shown = {"show_collab_predictions": True, "model_version": model_version} if predictions else {}
    if project_id is None:
        created = studio.call(
            "create the project",
            lambda: studio.client.projects.create(
                title=settings.project,
                description="Furat: Arabic news annotated for entities, quantities and stance",
                label_config=config,
                expert_instruction=INSTRUCTIONS_HTML,
                show_instruction=False,
                show_skip_button=True,
                enable_empty_annotation=True,
                **shown,
            ),
            idempotent=False,
        )
        project_id = int(created.id)
    else:
        current = studio.call("read the project", lambda: studio.client.projects.get(id=project_id))
        if (current.label_config or "").strip() != config.strip():
            studio.call(
                "update the labeling config",
                lambda: studio.client.projects.update(
                    id=project_id, label_config=config, expert_instruction=INSTRUCTIONS_HTML
                ),
            )
            report.config_updated = True
        if shown and getattr(current, "model_version", None) != model_version:
            studio.call("show the pre-annotations", lambda: studio.client.projects.update(id=project_id, **shown))
    report.project = project_id
    if entry is None or entry.project != project_id:
        entry = ProjectState(project_id)

    tasks = studio.export(project_id)
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for task in tasks:
        by_doc.setdefault(str((task.get("data") or {}).get("doc_id")), []).append(task)
    versions = studio.prediction_versions(project_id) if predictions and tasks else {}

    new_tasks: list[dict[str, Any]] = []
    synced: dict[str, str] = {}  # gold files now on the server as they are locally
    for doc_id, doc in tracked(docs.items(), "studio push", len(docs), "doc"):
        gold = _gold(root, doc_id)
        gold_rel = f"annotations/{doc_id}.json"
        if gold is not None and gold.text_sha256 != text_sha256(doc.text):
            message = "made on another version of the text: not pushed (run `furat validate`)"
            report.warnings.append(finding("studio-gold-stale", message, gold_rel, "warning"))
            gold = None
        results = annotation_results(gold, doc.text) if gold else []
        prediction = predictions.get(doc_id)
        existing = by_doc.get(doc_id, [])
        current = [t for t in existing if task_matches(t, doc)]
        for task in existing:
            if task not in current:
                message = (
                    f"task {task.get('id')} was made on another version of {doc_id}'s text; "
                    "a new task carries the current text"
                    if not current
                    else f"task {task.get('id')} was made on another version of {doc_id}'s text"
                )
                where = task_url(settings, project_id, task)
                report.warnings.append(finding("studio-task-stale", message, where, "warning"))
        if not current:
            item: dict[str, Any] = {"data": _task_data(doc, gold)}
            if results:
                item["annotations"] = [{"result": results, "ground_truth": True}]
                synced[gold_rel] = canonical_sha(root / gold_rel) or ""
                report.gold_imported += 1
            if prediction is not None:
                predicted = annotation_results(prediction, doc.text)
                item["predictions"] = [{"result": predicted, "model_version": model_version}]
                report.predictions_added += 1
            new_tasks.append(item)
            continue
        report.existing_tasks += 1
        task = current[0]
        task_id = int(task["id"])
        annotated = any(t.get("annotations") or t.get("drafts") for t in current)
        if results and not annotated:  # nobody has worked on it: the gold can go in without touching anyone's work
            studio.add_gold(task_id, _task_data(doc, gold), results)
            synced[gold_rel] = canonical_sha(root / gold_rel) or ""
            report.gold_imported += 1
        if prediction is not None and not any(model_version in versions.get(int(t["id"]), set()) for t in current):
            studio.add_prediction(task_id, annotation_results(prediction, doc.text), model_version)
            report.predictions_added += 1
    if new_tasks:
        studio.call(
            "import tasks",
            lambda: studio.client.projects.import_tasks(id=project_id, request=new_tasks, return_task_ids=True),
            idempotent=False,
        )
        report.created_tasks = len(new_tasks)
    entry.files.update(synced)
    write_files_atomically({state_path(root): state_text(state, settings.url, settings.project, entry)})
    for line in report.lines():
        echo(line)
    return report


def _gold(root: Path, doc_id: str) -> AnnotationSet | None:
    path = root / "annotations" / f"{doc_id}.json"
    if not path.is_file():
        return None
    try:
        return AnnotationSet.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        message = f"cannot read it: {exc}; run `furat validate`"
        raise fail("io-error", message, f"annotations/{doc_id}.json", 1) from exc


def _predictions(root: Path) -> tuple[dict[str, AnnotationSet], str | None]:
    """Pre-annotations from ``furat.annotate.preannotate.predictions(root)``."""
    from furat.annotate.preannotate import MODEL_VERSION, predictions

    return dict(predictions(root)), MODEL_VERSION
