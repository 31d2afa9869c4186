"""A Label Studio ML backend that serves Furat's pre-annotations for any task when it is opened.

Label Studio asks a connected ML backend for predictions of a task that has none when an annotator
opens it (the project's "use predictions to pre-label"), so a task imported any other way than
``furat studio push`` gets them too. The backend speaks Label Studio's documented ML backend
protocol: ``GET /health`` (is it up), ``POST /setup`` (the model version), ``POST /predict`` (one
result list per task, ``{"results": [{"result": [...], "score": s, "model_version": v}, ...]}``);
``/webhook`` and ``/train`` are accepted and do nothing (the pre-annotator does not learn online).

The maintained ``label-studio-ml`` package on PyPI (1.0.9) pins Flask 1.1.2 and Jinja2 3.0.3, which
conflict with Furat's environment; the protocol is small, so the app is a Werkzeug WSGI application
served by Werkzeug's threaded server.

A task of a corpus document (``data.doc_id`` and the same text) is predicted with that document's
sentences; any other task is segmented on the fly. Names come from the curated list and every gold
file of the repository, read once at start.

Interactive help: connected with ``is_interactive`` (``furat studio up`` does), the backend also
answers Label Studio's interactive requests. With the **Auto-Annotation** toggle on, Label Studio's
labeling page sends every region an annotator draws to
``POST /api/ml/<id>/interactive-annotating``, which calls ``/predict`` with the task and
``params.context.result``, the drawn region and the others of its label. For each ``QUANTITY`` region
there whose value, low, high and unit are still empty, the recognizer reads the selected words in
their sentence, and the answer gives the region back, same id and span, with ``value``/``low``/
``high``, ``unit`` and ``approximate`` filled; the page merges it into the region (a text region takes
such suggestions at once). Other regions are left alone.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path
from statistics import fmean
from typing import Any

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from furat.annotate.preannotate import MODEL_VERSION, curated_gazetteer, gold_gazetteer, load_gold, predict_scored
from furat.annotate.quantities import find_quantities
from furat.core.annotation import Quantity
from furat.core.model import Document, Meta, Segment
from furat.corpus.segment import paragraph_spans, sentence_spans
from furat.studio.client import Studio, StudioSettings, fail
from furat.studio.config import APPROXIMATE_CHOICE, CONTROLS, QUANTITY_LABEL, TEXT_NAME
from furat.studio.convert import annotation_results, region_span
from furat.studio.tasks import documents

__all__ = [
    "BACKEND_TITLE",
    "Predictor",
    "connect_backend",
    "make_app",
    "quantity_fields",
    "recognize",
    "start_backend",
    "wait_backend",
]

BACKEND_TITLE = "Furat pre-annotator"
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Predictor:
    """Pre-annotations of Label Studio tasks, as Label Studio results with scores."""

    def __init__(self, root: Path) -> None:
        self.documents = documents(root) if (root / "corpus").is_dir() else {}
        self.names = {**curated_gazetteer(), **gold_gazetteer(load_gold(root).values())}

    def document(self, task: Mapping[str, Any]) -> Document | None:
        data = task.get("data") or {}
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            return None
        doc = self.documents.get(str(data.get("doc_id")))
        if doc is not None and doc.text == text:
            return doc
        paragraphs = paragraph_spans(text)
        sentences = sentence_spans(text, paragraphs)
        meta = Meta("", None, None, None, None, None, "", "")
        return Document(
            f"task{task.get('id', 0)}",
            text,
            meta,
            tuple(Segment(f"p{n}", s, e) for n, (s, e) in enumerate(paragraphs) if e > s),
            tuple(Segment(f"s{n}", s, e) for n, (s, e) in enumerate(sentences) if e > s),
        )

    def predict(self, task: Mapping[str, Any]) -> dict[str, Any]:
        """One prediction for a task: its results (entities with a score each, quantities), its score."""
        doc = self.document(task)
        if doc is None:
            return {"result": [], "score": 0.0, "model_version": MODEL_VERSION}
        annotations, scores = predict_scored(doc, self.names, rules=True)
        results = annotation_results(annotations, doc.text)
        for item in results:
            if item.get("id") in scores and item.get("type") == "labels":
                item["score"] = scores[item["id"]]
        overall = fmean(scores.values()) if scores else 1.0
        return {"result": results, "score": round(overall, 4), "model_version": MODEL_VERSION}

    def fill(self, task: Mapping[str, Any], context: Mapping[str, Any]) -> dict[str, Any]:
        """The answer to an interactive request: the drawn quantity regions with their fields filled."""
        doc = self.document(task)
        regions = context.get("result")
        results: list[dict[str, Any]] = []
        if doc is None or not isinstance(regions, list):
            return {"result": results, "score": 0.0, "model_version": MODEL_VERSION}
        fields = {CONTROLS[name] for name in ("value", "low", "high", "unit")}
        filled = {r.get("id") for r in regions if isinstance(r, dict) and r.get("from_name") in fields}
        for region in regions:
            if not isinstance(region, dict) or region.get("id") in filled:
                continue
            value = region.get("value")
            if region.get("from_name") != CONTROLS["quantity"] or not isinstance(value, dict):
                continue
            if QUANTITY_LABEL not in (value.get("labels") or []):
                continue
            span = region_span(doc.text, value)
            if not isinstance(span, tuple):
                continue
            found = recognize(doc, *span)
            if found is not None:
                results += quantity_fields(region, found)
        return {"result": results, "score": 1.0 if results else 0.0, "model_version": MODEL_VERSION}


def recognize(doc: Document, start: int, end: int) -> Quantity | None:
    """The quantity the words ``doc.text[start:end]`` state, read by the recognizer in their sentence.

    The recognized mention that overlaps the selection most wins; when none does (the sentence reads
    the words otherwise), the selected words alone are read."""
    sentence = next((s for s in doc.sentences if s.start <= start < s.end), None)
    lo, hi = (sentence.start, max(sentence.end, end)) if sentence else (0, len(doc.text))
    overlap = [(min(q.end, end - lo) - max(q.start, start - lo), q) for q in find_quantities(doc.text[lo:hi])]
    best = max(overlap, key=lambda pair: pair[0], default=None)
    if best is not None and best[0] > 0:
        return best[1]
    alone = find_quantities(doc.text[start:end])
    return alone[0] if alone else None


def quantity_fields(region: Mapping[str, Any], found: Quantity) -> list[dict[str, Any]]:
    """Label Studio results of one quantity region (its id and span as drawn) with ``found``'s fields."""
    span = {k: v for k, v in region["value"].items() if k != "labels"}

    def result(control: str, rtype: str, extra: dict[str, Any]) -> dict[str, Any]:
        return {"id": region["id"], "from_name": control, "to_name": TEXT_NAME, "type": rtype, "value": span | extra}

    out = [result(CONTROLS["quantity"], "labels", {"labels": [QUANTITY_LABEL]})]
    for name in ("value", "low", "high"):
        number = getattr(found, name)
        if number is not None:
            out.append(result(CONTROLS[name], "number", {"number": number}))
    out.append(result(CONTROLS["unit"], "choices", {"choices": [found.unit]}))
    if found.approximate:
        out.append(result(CONTROLS["approximate"], "choices", {"choices": [APPROXIMATE_CHOICE]}))
    return out


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status=status, mimetype="application/json")


def make_app(root: Path) -> WSGIApp:
    """The WSGI application of the backend for the repository at ``root``."""
    predictor = Predictor(root)
    urls = Map(
        [
            Rule("/", endpoint="health"),
            Rule("/health", endpoint="health"),
            Rule("/setup", endpoint="setup", methods=["POST"]),
            Rule("/predict", endpoint="predict", methods=["POST"]),
            Rule("/webhook", endpoint="ignored", methods=["POST"]),
            Rule("/train", endpoint="ignored", methods=["POST"]),
            Rule("/versions", endpoint="versions"),
        ]
    )

    def dispatch(request: Request) -> Response:
        endpoint, _ = urls.bind_to_environ(request.environ).match()
        if endpoint == "health":
            return _json({"status": "UP", "model_class": "FuratPreannotator"})
        if endpoint == "setup":
            return _json({"model_version": MODEL_VERSION})
        if endpoint == "versions":
            return _json({"versions": [MODEL_VERSION]})
        if endpoint == "ignored":
            return _json({"status": "ok"}, 201)
        body = request.get_json(silent=True) or {}
        tasks = body.get("tasks") if isinstance(body, dict) else None
        if not isinstance(tasks, list):
            return _json({"error": "the request has no list of tasks"}, 400)
        params = body.get("params")
        context = params.get("context") if isinstance(params, dict) else None
        if isinstance(context, dict) and context.get("result") is not None:  # an interactive request
            return _json({"results": [predictor.fill(t, context) for t in tasks if isinstance(t, dict)]})
        return _json({"results": [predictor.predict(t) for t in tasks if isinstance(t, dict)]})

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = dispatch(request)
        except NotFound:
            response = _json({"error": f"no such endpoint: {request.path}"}, 404)
        except HTTPException as exc:
            response = _json({"error": exc.description}, exc.code or 500)
        result: Iterable[bytes] = response(environ, start_response)
        return result

    return app


def serve(root: Path, host: str, port: int) -> None:
    from werkzeug.serving import make_server

    make_server(host, port, make_app(root), threaded=True).serve_forever()


def start_backend(root: Path, port: int, log: Path, host: str = "127.0.0.1") -> subprocess.Popen[bytes]:
    """Start the backend for ``root`` on ``host:port`` in the background (its own process group)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "furat.studio.backend", "--root", str(root), "--host", host, "--port", str(port)]
    with open(log, "ab") as out:
        return subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_backend(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Wait until the backend answers ``/health``."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise fail("studio-backend", f"the ML backend exited with status {process.returncode} while starting")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() >= deadline:
            raise fail("studio-backend", f"the ML backend did not answer at {url} within {timeout:.0f} s")
        time.sleep(0.3)


def connect_backend(settings: StudioSettings, project_id: int, backend_url: str, interactive: bool = True) -> None:
    """Connect the backend to the project (once) and let the project pre-label tasks from it; with
    ``interactive``, the labeling page also asks it to fill the fields of a quantity an annotator draws."""
    studio = Studio(settings)
    client = studio.client
    backends = studio.call("list the ML backends", lambda: client.ml.list(project=project_id))
    same = [b for b in backends or [] if getattr(b, "url", None) == backend_url]
    for backend in same:
        if bool(getattr(backend, "is_interactive", False)) != interactive:
            studio.call(
                "set the ML backend's interactive help",
                partial(client.ml.update, id=backend.id, is_interactive=interactive),
            )
    if not same:
        stale = [b.id for b in backends or [] if getattr(b, "title", None) == BACKEND_TITLE]
        for backend_id in stale:  # a backend of an earlier run, on another port
            studio.call("remove an old ML backend", partial(client.ml.delete, id=backend_id))
        studio.call(
            "connect the ML backend",
            lambda: client.ml.create(
                project=project_id, url=backend_url, title=BACKEND_TITLE, is_interactive=interactive, auto_update=True
            ),
            idempotent=False,
        )
    studio.call(
        "use the backend's predictions",
        lambda: client.projects.update(id=project_id, show_collab_predictions=True, model_version=BACKEND_TITLE),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m furat.studio.backend", description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, help="the Furat repository")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    serve(Path(args.root).resolve(), args.host, args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
