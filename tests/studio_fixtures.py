"""A real Label Studio server for the studio and browser tests, started once per test session.

The server runs from its own virtualenv (``.studio/venv``, made by ``scripts/setup-studio``; or
``FURAT_STUDIO_VENV``) on a free loopback port with a fresh temporary data dir, and is always
stopped (terminate, then kill) at the end of the session. Without the server, or without Debian's
chromium for the browser test, the tests are skipped; when ``CI`` is set they fail instead, saying
what to install.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from furat.core.findings import FuratError
from furat.corpus.ingest import write_corpus
from furat.studio.backend import start_backend, wait_backend
from furat.studio.client import Studio, StudioSettings
from furat.studio.server import Credentials, ServerProcess, free_port, start_server, stop_server, wait_ready

ROOT = Path(__file__).resolve().parents[1]
SERVER_VENV = Path(os.environ.get("FURAT_STUDIO_VENV") or ROOT / ".studio" / "venv")
CHROMIUM = Path(os.environ.get("FURAT_CHROMIUM") or "/usr/bin/chromium")
ARTIFACTS = ROOT / ".studio" / "artifacts"
START_TIMEOUT = float(os.environ.get("FURAT_STUDIO_START_TIMEOUT", "420"))

EMOJI_DOC = "900_emoji_test"
EMOJI_TEXT = (
    "صواريخ 🚀 فوق الفرات.. والتحالف يعلن النصر\n"
    "قال المتحدث باسم التحالف 🇺🇸 إن قوات سوريا الديمقراطية سيطرت على الباغوز، وإن نحو 200 مقاتل من داعش استسلموا.\n"
    "وحذّر أليكس يونجر 😟 من أن الهزيمة العسكرية لا تعني نهاية التهديد.\n"
)


def unavailable(what: str, fix: str) -> None:
    """Skip locally; in CI, fail: these tests must run there."""
    if os.environ.get("CI"):
        pytest.fail(f"{what}; CI must run the studio and browser tests: {fix}", pytrace=False)
    pytest.skip(f"{what} ({fix})")


@dataclass
class Server:
    url: str
    creds: Credentials
    handle: ServerProcess
    log: Path

    def settings(self, project: str) -> StudioSettings:
        return StudioSettings(self.url, self.creds.token, project, timeout=60.0)

    def client(self) -> Any:
        """The label-studio-sdk client, as a script would use it."""
        return Studio(self.settings("unused")).client


_SERVER: Server | None = None


def _start(tmp: Path) -> Server:
    executable = SERVER_VENV / "bin" / "label-studio"
    if not executable.is_file():
        unavailable(f"the Label Studio server is not installed at {SERVER_VENV}", "run scripts/setup-studio")
    creds = Credentials("admin@furat.local", secrets.token_urlsafe(12), secrets.token_hex(20))
    failure: FuratError | None = None
    for attempt in (1, 2):  # a port taken between choosing and binding it costs one more try
        log = tmp / f"label-studio-{attempt}.log"
        handle = start_server(executable, creds, tmp / f"data-{attempt}", free_port(), log)
        try:
            wait_ready(handle.url, timeout=START_TIMEOUT, process=handle.process, log=log)
            server = Server(handle.url, creds, handle, log)
            Studio(server.settings("check")).whoami()  # our server, with our token
            return server
        except FuratError as exc:
            stop_server(handle.process)
            save_artifact(log, f"label-studio-{attempt}.log")
            failure = exc
        except BaseException:
            stop_server(handle.process)
            raise
    assert failure is not None
    raise failure


@pytest.fixture(scope="session")
def studio_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One Label Studio for the whole session (modules importing this fixture share it)."""
    global _SERVER
    if _SERVER is None or _SERVER.handle.process.poll() is not None:
        _SERVER = _start(tmp_path_factory.mktemp("label-studio"))
    yield _SERVER
    stop_server(_SERVER.handle.process)


@pytest.fixture()
def ml_backend(repo: Path, tmp_path: Path) -> Iterator[str]:
    """Furat's ML backend for ``repo`` (``python -m furat.studio.backend``) on a free loopback port: its URL."""
    port = free_port()
    process = start_backend(repo, port, tmp_path / "backend.log")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_backend(url, process)
        yield url
    finally:
        stop_server(process)


def project_title(request: pytest.FixtureRequest) -> str:
    """A project of its own for each test, so tests sharing the server do not meet."""
    return "furat-" + hashlib.sha256(request.node.nodeid.encode("utf-8")).hexdigest()[:12]


def add_emoji_document(repo: Path) -> str:
    """A seed whose text has emoji (astral characters) before the spans, ingested into ``repo``."""
    seed = repo / "seeds" / f"{EMOJI_DOC}.txt"
    seed.write_text(EMOJI_TEXT, encoding="utf-8")
    manifest_path = repo / "seeds" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["documents"].append(
        {
            "id": EMOJI_DOC,
            "file": seed.name,
            "sha256": hashlib.sha256(EMOJI_TEXT.encode("utf-8")).hexdigest(),
            "language": "ar",
            "title": EMOJI_TEXT.splitlines()[0],
            "outlet": None,
            "author": None,
            "published": None,
            "section": None,
            "url": None,
            "split": "test",
        }
    )
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_corpus(repo)
    return EMOJI_DOC


def corpus_text(repo: Path, doc_id: str) -> str:
    text: str = json.loads((repo / "corpus" / f"{doc_id}.json").read_text(encoding="utf-8"))["text"]
    return text


def studio_env(settings: StudioSettings) -> dict[str, str]:
    """The environment that points ``furat studio`` at ``settings`` (the variables settings_from_env reads)."""
    return {
        "FURAT_STUDIO_URL": settings.url,
        "FURAT_STUDIO_TOKEN": settings.token,
        "FURAT_STUDIO_PROJECT": settings.project,
    }


def run_studio(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``furat studio ...`` as a user runs it (``python -m furat`` is the same command).

    A leading ``--root DIR`` is furat's own option: it goes before ``studio``."""
    options = list(args[:2]) if args[:1] == ("--root",) else []
    return subprocess.run(
        [sys.executable, "-m", "furat", *options, "studio", *args[len(options) :]],
        cwd=cwd or ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def save_artifact(path: Path, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / name
    shutil.copyfile(path, target)
    return target
