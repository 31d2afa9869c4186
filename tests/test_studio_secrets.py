"""Label Studio: credentials stay out of command lines and terminals; faults read as what they are."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from furat.cli.studio import _banner
from furat.studio.client import server_fault
from furat.studio.server import Credentials, credentials
from tests.conftest import ROOT
from tests.studio_fixtures import SERVER_VENV, Server, studio_server, unavailable  # noqa: F401 - the fixture


def _group_command_lines(pgid: int) -> list[str]:
    lines = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if os.getpgid(int(proc.name)) == pgid:
                lines.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except (OSError, ProcessLookupError):
            continue
    return lines


def test_studio_server_gets_its_credentials_by_environment_not_arguments(studio_server: Server) -> None:  # noqa: F811
    lines = _group_command_lines(studio_server.handle.process.pid)
    assert lines and any("label-studio" in line for line in lines)
    for line in lines:
        assert studio_server.creds.password not in line and studio_server.creds.token not in line
    studio_server.client().users.whoami()  # and the token given by environment works


def test_studio_banner_says_where_the_password_is_never_what_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    creds = Credentials("admin@furat.local", "s3cret-password", "t" * 40)
    monkeypatch.setenv("FURAT_STUDIO_PASSWORD", creds.password)
    supplied = _banner("http://127.0.0.1:8080", creds, ROOT, stored=False)
    assert "s3cret-password" not in supplied and "FURAT_STUDIO_PASSWORD" in supplied
    monkeypatch.delenv("FURAT_STUDIO_PASSWORD")
    generated = _banner("http://127.0.0.1:8080", creds, ROOT, stored=True)
    assert "s3cret-password" not in generated and ".studio/credentials.json" in generated


def test_studio_folder_is_private_and_credentials_0600(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FURAT_STUDIO_PASSWORD", "LABEL_STUDIO_PASSWORD", "FURAT_STUDIO_TOKEN", "LABEL_STUDIO_USER_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    credentials(tmp_path / ".studio")
    assert (tmp_path / ".studio").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / ".studio" / "credentials.json").stat().st_mode & 0o777 == 0o600


DJANGO_500 = (
    """<!DOCTYPE html><html lang="en"><head><title>OperationalError at /api/current-user/whoami</title>
<style>body{}</style></head><body><div id="summary"><h1>OperationalError at /api/current-user/whoami</h1>
<pre class="exception_value">connection to server at &quot;127.0.0.1&quot;, port 5432 failed: Connection refused
	Is the server running on that host and accepting TCP/IP connections?</pre></div>"""
    + "<p>x</p>" * 200
)


def test_studio_server_errors_name_the_failing_service_without_html() -> None:
    said = server_fault(DJANGO_500)
    assert said.startswith("the database is unreachable") and "<" not in said and len(said) < 300
    traceback = {
        "status_code": 500,
        "detail": "connection to server at 127.0.0.1, port 5432 failed",
        "exc_info": 'Traceback (most recent call last):\n  File "x.py", line 1\n'
        "django.db.utils.OperationalError: connection to server at 127.0.0.1, port 5432 failed: Connection refused",
    }
    said = server_fault(traceback)
    assert "database is unreachable" in said and "Traceback" not in said and "OperationalError" in said
    assert (
        server_fault({"detail": "Project matching query does not exist."}) == "Project matching query does not exist."
    )


def test_studio_up_stops_its_server_on_sigterm(tmp_path: Path) -> None:
    if not (SERVER_VENV / "bin" / "label-studio").is_file():
        unavailable(f"the Label Studio server is not installed at {SERVER_VENV}", "run scripts/setup-studio")
    repo = tmp_path / "repo"
    for part in ("seeds", "schema", "corpus"):
        shutil.copytree(ROOT / part, repo / part)
    (repo / ".studio").mkdir(mode=0o700)
    (repo / ".studio" / "venv").symlink_to(SERVER_VENV)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = ["studio", "up", "--no-push", "--no-install", "--port", str(port)]
    up = subprocess.Popen(
        [sys.executable, "-m", "furat", "--root", str(repo), *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert up.stdout is not None
    pid_file = repo / ".studio" / "server.pid"
    output = []
    for line in up.stdout:
        output.append(line)
        if "press Ctrl-C" in line:
            break
    assert pid_file.is_file(), "".join(output)
    server = int(pid_file.read_text(encoding="utf-8").split()[0])
    up.send_signal(signal.SIGTERM)
    assert up.wait(timeout=60) in (0, 130)  # 130 when the signal comes before the wait: stopped all the same
    for _ in range(60):
        if not Path(f"/proc/{server}").exists():
            break
        time.sleep(0.5)
    assert not Path(f"/proc/{server}").exists() and not pid_file.exists()
    assert "s3cret" not in "".join(output)
