"""The Label Studio client: settings, the ``Studio`` wrapper of ``label-studio-sdk``, and error findings.

Failures are findings with stable codes (``studio-unreachable``, ``studio-auth``, ``studio-timeout``,
``studio-task-stale``, ``studio-conflict``, ...), never tracebacks.
"""

from __future__ import annotations

import html
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from furat.core.codes import Level
from furat.core.findings import Finding, FuratError
from furat.studio.server import LABEL_STUDIO_VERSION, first_env

__all__ = [
    "DEFAULT_PORT",
    "DEFAULT_PROJECT",
    "STUDIO_DIR",
    "Studio",
    "StudioSettings",
    "fail",
    "finding",
    "port_from_env",
    "settings_from_env",
]

T = TypeVar("T")


STUDIO_DIR = ".studio"
DEFAULT_PORT = 8080
DEFAULT_PROJECT = "Furat"
_RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0)


def finding(code: str, message: str, where: str = "furat studio", level: Level = "error") -> Finding:
    """A finding of ``furat studio``; its code is one of the ``studio`` stage in ``furat.core.codes``."""
    return Finding(where, 0, code, message, level)


def fail(code: str, message: str, where: str = "furat studio", exit_code: int = 2) -> FuratError:
    """The error to raise for one finding (exit 2 for the server and the connection, 1 for the data)."""
    return FuratError([finding(code, message, where)], exit_code)


# --- settings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StudioSettings:
    """Where the server is, how to authenticate, which project, and how patient to be."""

    url: str
    token: str
    project: str = DEFAULT_PROJECT
    timeout: float = 30.0
    retry_delays: tuple[float, ...] = _RETRY_DELAYS
    url_from: str = "--url"  # where the URL came from, for the message when nothing answers there


def port_from_env() -> int:
    """The local server's port: ``FURAT_STUDIO_PORT``, else 8080."""
    raw = os.environ.get("FURAT_STUDIO_PORT", str(DEFAULT_PORT))
    try:
        return int(raw)
    except ValueError as exc:
        raise fail("usage", f"FURAT_STUDIO_PORT={raw!r} is not a port number") from exc


def started_url(root: Path) -> str | None:
    """The URL of the server ``furat studio up`` last started for this repository (``.studio/state.json``)."""
    try:
        url = json.loads((root / STUDIO_DIR / "state.json").read_text(encoding="utf-8")).get("server")
    except (OSError, ValueError, AttributeError):
        return None
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else None


def record_server(root: Path, url: str) -> None:
    """Remember in ``.studio/state.json`` the server ``furat studio up`` started, for push and pull."""
    path = root / STUDIO_DIR / "state.json"
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    state = state if isinstance(state, dict) else {}
    state.setdefault("servers", {})
    state["server"] = url
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _url(root: Path, given: str | None) -> tuple[str, str]:
    if given:
        return given, "--url"
    if env := first_env("FURAT_STUDIO_URL", "LABEL_STUDIO_URL"):
        return env, "FURAT_STUDIO_URL or LABEL_STUDIO_URL"
    if started := started_url(root):
        return started, "the server `furat studio up` started, recorded in .studio/state.json"
    source = "FURAT_STUDIO_PORT" if "FURAT_STUDIO_PORT" in os.environ else f"the default port {DEFAULT_PORT}"
    return f"http://127.0.0.1:{port_from_env()}", source


def settings_from_env(
    root: Path, url: str | None = None, token: str | None = None, project: str | None = None
) -> StudioSettings:
    """Settings from arguments, then ``FURAT_STUDIO_*`` / ``LABEL_STUDIO_*`` variables, then ``.studio/``
    (the server ``furat studio up`` started, and its token)."""
    url, url_from = _url(root, url)
    token = token or first_env("FURAT_STUDIO_TOKEN", "LABEL_STUDIO_API_KEY", "LABEL_STUDIO_USER_TOKEN")
    if not token:
        stored = root / STUDIO_DIR / "credentials.json"
        try:
            token = json.loads(stored.read_text(encoding="utf-8")).get("token")
        except (OSError, ValueError, AttributeError):
            token = None
    if not token:
        message = "no API token: set FURAT_STUDIO_TOKEN, or start the local server with `furat studio up`"
        raise fail("studio-auth", message)
    try:
        timeout = float(os.environ.get("FURAT_STUDIO_TIMEOUT", "30"))
        retries = int(os.environ.get("FURAT_STUDIO_RETRIES", str(len(_RETRY_DELAYS))))
    except ValueError as exc:
        raise fail("usage", f"FURAT_STUDIO_TIMEOUT and FURAT_STUDIO_RETRIES take numbers: {exc}") from exc
    delays = tuple(min(0.5 * 2**i, 8.0) for i in range(max(retries, 0)))
    title = project or first_env("FURAT_STUDIO_PROJECT") or DEFAULT_PROJECT
    return StudioSettings(url.rstrip("/"), token, title, timeout, delays, url_from)


# --- the client ----------------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")
_DATABASE = re.compile(
    r"OperationalError|could not connect|connection refused|connection to server|psycopg|database is locked"
    r"|no such table|server closed the connection",
    re.I,
)
_EXCEPTION_LINE = re.compile(r"^\s*(?:[\w.]+\.)?(\w+(?:Error|Exception|Exit))(?::\s*(.*))?$")


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(html.unescape(_TAG.sub(" ", text)).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _health(url: str) -> int | None:
    """The HTTP status of ``url/health``, or None when nothing answers."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, OSError, ValueError):
        return None


def server_fault(body: Any) -> str:
    """What failed, in one short line, from a Label Studio error answer (JSON, a Django HTML page, a traceback).

    A database that cannot be reached is named as such; HTML and tracebacks are never passed on whole.
    """
    if isinstance(body, dict):
        detail = body.get("detail") or body.get("message") or body.get("error")
        text = json.dumps(body, ensure_ascii=False, default=str)
        exc_info = str(body.get("exc_info") or "")
    else:
        text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False, default=str)
        detail, exc_info = None, text
    if _DATABASE.search(text):
        for line in reversed(exc_info.splitlines() or text.splitlines()):
            found = _EXCEPTION_LINE.match(_one_line(line, 400))
            if found and _DATABASE.search(line):
                return f"the database is unreachable or failing ({_one_line(line)})"
        title = re.search(r"<title>(.*?)</title>", text, re.S | re.I)
        where = _one_line(title.group(1)) if title else _one_line(str(detail or text), 120)
        return f"the database is unreachable or failing ({where})"
    if detail:
        return _one_line(str(detail))
    title = re.search(r"<title>(.*?)</title>", text, re.S | re.I)
    if title:
        return _one_line(title.group(1))
    return _one_line(text) or "no explanation given"


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
                message = (
                    f"no Label Studio answers at {url} (from {self.settings.url_from}); start one with "
                    f"`furat studio up`, or point elsewhere with --url URL or FURAT_STUDIO_URL ({what}: {exc})"
                )
                raise fail("studio-unreachable", message) from exc
            except httpx.TimeoutException as exc:
                if idempotent and delays:
                    time.sleep(delays.pop(0))
                    continue
                wait = self.settings.timeout
                message = f"no answer from {url} within {wait:g} s ({what}); FURAT_STUDIO_TIMEOUT sets the limit"
                raise fail("studio-timeout", message) from exc
            except httpx.HTTPError as exc:
                if idempotent and delays:
                    time.sleep(delays.pop(0))
                    continue
                raise fail("studio-unreachable", f"{url}: {what} failed: {exc}") from exc
            except ApiError as exc:
                status = exc.status_code or 0
                if status in (401, 403):
                    message = f"{url} refused the API token ({status}) for {what}; check FURAT_STUDIO_TOKEN"
                    raise fail("studio-auth", message) from exc
                if (status >= 500 or status == 429) and idempotent and delays:
                    time.sleep(delays.pop(0))
                    continue
                code = "studio-server" if status >= 500 else "studio-rejected"
                cause = server_fault(exc.body)
                if status >= 500 and not cause.startswith("the database"):
                    # Django's bare error page says nothing. A server that answers HTTP but fails even its
                    # /health page has lost what every request needs: its database (PostgreSQL on a team server).
                    health = _health(url)
                    if health is not None and health >= 500:
                        cause = (
                            f"{cause}: Label Studio answers but fails every request, even /health; check its database"
                        )
                    elif health == 200:
                        cause = f"{cause}: Label Studio runs (/health answers) but failed inside this request"
                message = f"{url}: {what} failed with HTTP {status}: {cause}"
                if status >= 500:
                    message += " (details in Label Studio's log, .studio/server.log for `furat studio up`)"
                raise fail(code, message) from exc
            except (ValueError, TypeError) as exc:  # an answer that is not Label Studio's JSON
                message = f"{url} answered {what} with something that is not Label Studio's API: {exc}"[:600]
                raise fail("studio-server", message) from exc

    def version(self) -> str:
        info = self.call("version", lambda: self.client.versions.get())
        return str(getattr(info, "release", None) or LABEL_STUDIO_VERSION)

    def whoami(self) -> Any:
        return self.call("ask whom the API token belongs to", lambda: self.client.users.whoami())

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
