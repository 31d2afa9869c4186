"""``furat studio``: Label Studio for annotators — start a server, push tasks, pull annotations.

- ``furat studio up``: install the server into ``.studio/venv`` (once), start it on 127.0.0.1 with
  SQLite under ``.studio/data``, create the admin and its API token, push the project, print the URL.
- ``furat studio push``: create or update the project; one task per document (see README.md, For annotators),
  carrying ``doc_id``, ``offset`` and ``sha256`` of its text; existing gold as annotations and
  pre-annotations (``furat.annotate.preannotate``) as predictions. Idempotent.
- ``furat studio pull``: export with ``label-studio-sdk``, convert each region to document offsets
  (checked against the corpus text), write each annotator's raw pass to
  ``annotations/passes/<doc_id>/<annotator>.json`` and the gold to ``annotations/<doc_id>.json``,
  all files or none. A file changed both locally and on the server since the last pull is a conflict.
- ``furat studio config``: print the labeling config generated from ``schema/labels.json``.

Failures are findings with stable codes (``studio-unreachable``, ``studio-auth``, ``studio-timeout``,
``studio-task-stale``, ``studio-conflict``, ...), never tracebacks.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from furat.core.annotation import AnnotationSet, text_sha256
from furat.core.findings import Finding, FuratError
from furat.core.jsonio import dumps, write_files_atomically
from furat.core.labels import load_labels
from furat.core.model import Document
from furat.studio.config import INSTRUCTIONS_HTML, label_config
from furat.studio.convert import Problem, annotation_results, build_layers, layers_digest, parse_regions
from furat.studio.server import (
    LABEL_STUDIO_VERSION,
    _env,
)

__all__ = [
    "CODES",
    "PullReport",
    "PushReport",
    "Studio",
    "StudioSettings",
    "annotator_name",
    "pull",
    "push",
    "settings_from_env",
]

T = TypeVar("T")

# code -> what it means (exit 2 for the server and the connection, 1 for the data)
CODES: dict[str, str] = {
    "studio-unreachable": "no Label Studio answers at the URL (not started, wrong URL or port)",
    "studio-timeout": "Label Studio did not answer in time",
    "studio-auth": "Label Studio refused the API token (or no token is set)",
    "studio-server": "Label Studio answered with a server error",
    "studio-rejected": "Label Studio rejected a request (the message says why)",
    "studio-no-project": "the project does not exist on the server; run `furat studio push`",
    "studio-install": "the Label Studio server could not be installed into .studio/venv",
    "studio-start": "the Label Studio server exited while starting (see .studio/server.log)",
    "studio-port-in-use": "the port is taken by another program",
    "studio-credentials": ".studio/credentials.json cannot be read",
    "studio-task-stale": "a task whose text no longer matches the corpus document",
    "studio-gold-stale": "gold annotations made on another version of the text (not pushed)",
    "studio-span-mismatch": "a region whose offsets do not land on the text it covers",
    "studio-incomplete": "a region without what its layer needs (a unit, a target, a label, a link)",
    "studio-conflict": "a file changed both locally and on the server since the last pull",
}

STUDIO_DIR = ".studio"
STATE_FILE = "state.json"
DEFAULT_PORT = 8080
DEFAULT_PROJECT = "Furat"
_RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0)


def _finding(code: str, message: str, where: str = "furat studio", level: str = "error") -> Finding:
    return Finding(where, 0, code, message, level)


def _fail(code: str, message: str, where: str = "furat studio", exit_code: int = 2) -> FuratError:
    return FuratError([_finding(code, message, where)], exit_code)


# --- settings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StudioSettings:
    """Where the server is, how to authenticate, which project, and how patient to be."""

    url: str
    token: str
    project: str = DEFAULT_PROJECT
    timeout: float = 30.0
    retry_delays: tuple[float, ...] = _RETRY_DELAYS


def _port() -> int:
    raw = os.environ.get("FURAT_STUDIO_PORT", str(DEFAULT_PORT))
    try:
        return int(raw)
    except ValueError as exc:
        raise _fail("usage", f"FURAT_STUDIO_PORT={raw!r} is not a port number") from exc


def settings_from_env(
    root: Path, url: str | None = None, token: str | None = None, project: str | None = None
) -> StudioSettings:
    """Settings from arguments, then ``FURAT_STUDIO_*`` / ``LABEL_STUDIO_*`` variables, then ``.studio/``."""
    url = url or _env("FURAT_STUDIO_URL", "LABEL_STUDIO_URL") or f"http://127.0.0.1:{_port()}"
    token = token or _env("FURAT_STUDIO_TOKEN", "LABEL_STUDIO_API_KEY", "LABEL_STUDIO_USER_TOKEN")
    if not token:
        stored = root / STUDIO_DIR / "credentials.json"
        try:
            token = json.loads(stored.read_text(encoding="utf-8")).get("token")
        except (OSError, ValueError, AttributeError):
            token = None
    if not token:
        message = "no API token: set FURAT_STUDIO_TOKEN, or start the local server with `furat studio up`"
        raise _fail("studio-auth", message)
    try:
        timeout = float(os.environ.get("FURAT_STUDIO_TIMEOUT", "30"))
        retries = int(os.environ.get("FURAT_STUDIO_RETRIES", str(len(_RETRY_DELAYS))))
    except ValueError as exc:
        raise _fail("usage", f"FURAT_STUDIO_TIMEOUT and FURAT_STUDIO_RETRIES take numbers: {exc}") from exc
    delays = tuple(min(0.5 * 2**i, 8.0) for i in range(max(retries, 0)))
    title = project or _env("FURAT_STUDIO_PROJECT") or DEFAULT_PROJECT
    return StudioSettings(url.rstrip("/"), token, title, timeout, delays)


# --- the client ----------------------------------------------------------------------------------


def _sdk() -> Any:
    import label_studio_sdk

    return label_studio_sdk


class Studio:
    """``label-studio-sdk`` with Furat's error codes, and retries with backoff where they are safe."""

    def __init__(self, settings: StudioSettings) -> None:
        self.settings = settings
        # The SDK's own retries would repeat a POST after a server error; ours know what is safe.
        self.client: Any = _sdk().LabelStudio(
            base_url=settings.url, api_key=settings.token, timeout=settings.timeout, max_retries=0
        )

    def call(self, what: str, fn: Callable[[], T], idempotent: bool = True) -> T:
        """Run one request; retry connection failures (and, when ``idempotent``, timeouts and 5xx)."""
        import httpx
        from label_studio_sdk.core.api_error import ApiError

        url = self.settings.url
        delays = list(self.settings.retry_delays)
        while True:
            try:
                return fn()
            except httpx.ConnectError as exc:
                if delays:  # nothing reached the server: always safe to repeat
                    time.sleep(delays.pop(0))
                    continue
                message = f"no Label Studio at {url} ({what}: {exc}); start it with scripts/studio"
                raise _fail("studio-unreachable", message) from exc
            except httpx.TimeoutException as exc:
                if idempotent and delays:
                    time.sleep(delays.pop(0))
                    continue
                wait = self.settings.timeout
                message = f"no answer from {url} within {wait:g} s ({what}); FURAT_STUDIO_TIMEOUT sets the limit"
                raise _fail("studio-timeout", message) from exc
            except httpx.HTTPError as exc:
                if idempotent and delays:
                    time.sleep(delays.pop(0))
                    continue
                raise _fail("studio-unreachable", f"{url}: {what} failed: {exc}") from exc
            except ApiError as exc:
                status = exc.status_code or 0
                if status in (401, 403):
                    message = f"{url} refused the API token ({status}) for {what}; check FURAT_STUDIO_TOKEN"
                    raise _fail("studio-auth", message) from exc
                if (status >= 500 or status == 429) and idempotent and delays:
                    time.sleep(delays.pop(0))
                    continue
                body = exc.body if isinstance(exc.body, str) else json.dumps(exc.body, ensure_ascii=False, default=str)
                code = "studio-server" if status >= 500 else "studio-rejected"
                raise _fail(code, f"{url}: {what} failed with HTTP {status}: {body[:500]}") from exc
            except (ValueError, TypeError) as exc:  # an answer that is not Label Studio's JSON
                message = f"{url} answered {what} with something that is not Label Studio's API: {exc}"[:600]
                raise _fail("studio-server", message) from exc

    def version(self) -> str:
        info = self.call("version", lambda: self.client.versions.get())
        return str(getattr(info, "release", None) or LABEL_STUDIO_VERSION)

    def whoami(self) -> Any:
        return self.call("check the token", lambda: self.client.users.whoami())

    def users(self) -> dict[int, str]:
        """User id -> email (or username) of everyone in the organization."""
        people = self.call("list users", lambda: list(self.client.users.list()))
        return {int(u.id): str(u.email or u.username or f"user-{u.id}") for u in people}

    def find_project(self, title: str, known_id: int | None = None) -> int | None:
        """The id of the project called ``title``: the one remembered if it still is, else the oldest."""
        from label_studio_sdk.core.api_error import ApiError

        if known_id is not None:
            try:
                project = self.call("read the project", lambda: self.client.projects.get(id=known_id))
                if project.title == title:
                    return known_id
            except FuratError as exc:
                cause = exc.__cause__
                if not (isinstance(cause, ApiError) and cause.status_code == 404):
                    raise
        projects = self.call("list projects", lambda: list(self.client.projects.list(title=title)))
        ids = sorted(int(p.id) for p in projects if p.title == title)
        return ids[0] if ids else None

    def add_gold(self, task_id: int, data: dict[str, Any], results: list[dict[str, Any]]) -> None:
        """Record the gold's provenance in the task and import the gold as its (ground truth) annotation."""
        self.call("add gold to a task", lambda: self.client.tasks.update(id=str(task_id), data=data))
        self.call(
            "import gold as an annotation",
            lambda: self.client.annotations.create(id=task_id, result=results, ground_truth=True),
            idempotent=False,
        )

    def add_prediction(self, task_id: int, results: list[dict[str, Any]], model_version: str | None) -> None:
        self.call(
            "add a prediction",
            lambda: self.client.predictions.create(task=task_id, result=results, model_version=model_version),
            idempotent=False,
        )

    def prediction_versions(self, project_id: int) -> dict[int, set[str]]:
        """Task id -> the model versions of its predictions."""
        found = self.call("list predictions", lambda: list(self.client.predictions.list(project=project_id)))
        versions: dict[int, set[str]] = {}
        for p in found:
            versions.setdefault(int(p.task), set()).add(str(p.model_version or ""))
        return versions

    def export(self, project_id: int) -> list[dict[str, Any]]:
        """Every task of the project with its annotations and predictions (Label Studio's JSON export)."""
        data = self.call("export the project", lambda: self.client.projects.exports.as_json(project_id))
        return list(data)


# --- state (.studio/state.json) ------------------------------------------------------------------


@dataclass
class _ProjectState:
    """What the last push or pull left, per project on a server: the canonical sha256 of each file as
    last synchronised, and the Label Studio region id -> Furat id map of each file."""

    project: int
    files: dict[str, str] = field(default_factory=dict)
    ids: dict[str, dict[str, str]] = field(default_factory=dict)


def _state_path(root: Path) -> Path:
    return root / STUDIO_DIR / STATE_FILE


def _load_state(root: Path) -> dict[str, Any]:
    try:
        data = json.loads(_state_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"servers": {}}
    return data if isinstance(data, dict) and isinstance(data.get("servers"), dict) else {"servers": {}}


def _project_state(state: dict[str, Any], url: str, title: str) -> _ProjectState | None:
    entry = state["servers"].get(f"{url}#{title}")
    if not isinstance(entry, dict) or not isinstance(entry.get("project"), int):
        return None
    return _ProjectState(entry["project"], dict(entry.get("files", {})), dict(entry.get("ids", {})))


def _state_text(state: dict[str, Any], url: str, title: str, entry: _ProjectState) -> str:
    state["servers"][f"{url}#{title}"] = {"project": entry.project, "files": entry.files, "ids": entry.ids}
    return json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical_sha(path: Path) -> str | None:
    """The sha256 of a file's canonical form (``dumps`` of its AnnotationSet), of its bytes if it has none."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError:
        return None
    except UnicodeDecodeError:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        return _sha(dumps(AnnotationSet.from_json(json.loads(raw)).to_json()))
    except (ValueError, KeyError, TypeError):
        return _sha(raw)


# --- the repository ------------------------------------------------------------------------------


def _documents(root: Path) -> dict[str, Document]:
    docs: dict[str, Document] = {}
    for path in sorted((root / "corpus").glob("*.json")):
        try:
            doc = Document.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            message = f"cannot read it: {exc}; run `furat validate`"
            raise _fail("io-error", message, f"corpus/{path.name}") from exc
        docs[doc.id] = doc
    return docs


def _gold(root: Path, doc_id: str) -> AnnotationSet | None:
    path = root / "annotations" / f"{doc_id}.json"
    if not path.is_file():
        return None
    try:
        return AnnotationSet.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        message = f"cannot read it: {exc}; run `furat validate`"
        raise _fail("io-error", message, f"annotations/{doc_id}.json", 1) from exc


def _predictions(root: Path) -> tuple[dict[str, AnnotationSet], str | None]:
    """Pre-annotations from ``furat.annotate.preannotate.predictions(root)``."""
    from furat.annotate.preannotate import MODEL_VERSION, predictions

    return dict(predictions(root)), MODEL_VERSION


def annotator_name(who: str) -> str:
    """A filesystem-safe form of a Label Studio email or username: ``ana@example.org`` -> ``ana-at-example.org``.

    A name that needs other changes (``علي``, ``a/b``) gets a short digest of the original, so two
    people never share a file."""
    plain = who.strip().lower().replace("@", "-at-")
    name = re.sub(r"[^a-z0-9._-]+", "-", plain).strip(".-")
    if name != plain:  # characters were lost: keep names apart with a digest of the original
        name = f"{name or 'user'}-{hashlib.sha256(who.encode('utf-8')).hexdigest()[:8]}"
    return name


# --- push ----------------------------------------------------------------------------------------


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


def _task_matches(task: Mapping[str, Any], doc: Document) -> bool:
    """Whether a task's text is the document's text at its offset, as its sha256 says."""
    data = task.get("data") or {}
    text, offset = data.get("text"), data.get("offset", 0)
    if not isinstance(text, str) or not isinstance(offset, int) or offset < 0:
        return False
    return (
        data.get("sha256") == text_sha256(text)
        and doc.text[offset : offset + len(text)] == text
        and (offset, len(text)) == (0, len(doc.text))
    )


def push(root: Path, settings: StudioSettings, echo: Callable[[str], None] = print) -> PushReport:
    """Create or update the project and its tasks; change nothing annotators did."""
    root = root.resolve()
    labels = load_labels(root / "schema" / "labels.json")
    config = label_config(labels, root / "schema")
    docs = _documents(root)
    studio = Studio(settings)
    studio.whoami()
    state = _load_state(root)
    entry = _project_state(state, settings.url, settings.project)
    project_id = studio.find_project(settings.project, entry.project if entry else None)
    report = PushReport(project=-1, url=settings.url)
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
    report.project = project_id
    if entry is None or entry.project != project_id:
        entry = _ProjectState(project_id)

    tasks = studio.export(project_id)
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for task in tasks:
        by_doc.setdefault(str((task.get("data") or {}).get("doc_id")), []).append(task)
    predictions, model_version = _predictions(root)
    versions = studio.prediction_versions(project_id) if predictions and tasks else {}

    new_tasks: list[dict[str, Any]] = []
    synced: dict[str, str] = {}  # gold files now on the server as they are locally
    for doc_id, doc in docs.items():
        gold = _gold(root, doc_id)
        gold_rel = f"annotations/{doc_id}.json"
        if gold is not None and gold.text_sha256 != text_sha256(doc.text):
            message = "made on another version of the text: not pushed (run `furat validate`)"
            report.warnings.append(_finding("studio-gold-stale", message, gold_rel, "warning"))
            gold = None
        results = annotation_results(gold, doc.text) if gold else []
        prediction = predictions.get(doc_id)
        existing = by_doc.get(doc_id, [])
        current = [t for t in existing if _task_matches(t, doc)]
        for task in existing:
            if task not in current:
                message = (
                    f"task {task.get('id')} was made on another version of {doc_id}'s text; "
                    "a new task carries the current text"
                    if not current
                    else f"task {task.get('id')} was made on another version of {doc_id}'s text"
                )
                where = _task_url(settings, project_id, task)
                report.warnings.append(_finding("studio-task-stale", message, where, "warning"))
        if not current:
            item: dict[str, Any] = {"data": _task_data(doc, gold)}
            if results:
                item["annotations"] = [{"result": results, "ground_truth": True}]
                synced[gold_rel] = _canonical_sha(root / gold_rel) or ""
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
            synced[gold_rel] = _canonical_sha(root / gold_rel) or ""
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
    write_files_atomically({_state_path(root): _state_text(state, settings.url, settings.project, entry)})
    for line in report.lines():
        echo(line)
    return report


def _task_url(settings: StudioSettings, project_id: int, task: Mapping[str, Any]) -> str:
    return f"{settings.url}/projects/{project_id}/data?task={task.get('id')}"


# --- pull ----------------------------------------------------------------------------------------


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
    docs = _documents(root)
    studio = Studio(settings)
    me = _user_id(getattr(studio.whoami(), "id", None))
    state = _load_state(root)
    entry = _project_state(state, settings.url, settings.project)
    project_id = studio.find_project(settings.project, entry.project if entry else None)
    if project_id is None:
        raise _fail("studio-no-project", f"no project {settings.project!r} at {settings.url}; run `furat studio push`")
    if entry is None or entry.project != project_id:
        entry = _ProjectState(project_id)
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
    for doc_id in sorted(by_doc):
        doc = docs.get(doc_id)
        current = [t for t in by_doc[doc_id] if doc is not None and _task_matches(t, doc)]
        for task in by_doc[doc_id]:
            if task in current or all(a.get("was_cancelled") for a in task.get("annotations") or []):
                continue
            why = "no corpus document has this id" if doc is None else "its text is not the corpus text any more"
            message = f"task {task.get('id')} ({doc_id}): {why}; its annotations are not pulled"
            where = _task_url(settings, project_id, task)
            if skip_stale:
                report.warnings.append(_finding("studio-task-stale", message, where, "warning"))
            else:
                findings.append(_finding("studio-task-stale", message + " (--skip-stale pulls the rest)", where))
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
                    findings.append(_finding(problem.code, message, _task_url(settings, project_id, task)))
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
        # Gold: the adjudicated annotation (ground truth) if any, else the latest submitted one.
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
            method = "ground truth (adjudicated)" if ground_truth else "latest submitted annotation"
            provenance = {
                "status": "gold",
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
        new_sha, last, local = _sha(content), entry.files.get(rel), _canonical_sha(path)
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
            findings.append(_finding("studio-conflict", message, rel))
            continue
        writes[path] = content
        entry.files[rel] = new_sha
        if rel in ids_used:
            entry.ids[rel] = ids_used[rel]
        report.written.append(rel)
    if any(f.level == "error" for f in findings):
        raise FuratError(findings, 1)
    writes[_state_path(root)] = _state_text(state, settings.url, settings.project, entry)
    write_files_atomically(writes)
    for finding in report.warnings:
        echo(finding.text())
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


# --- the command line ----------------------------------------------------------------------------
