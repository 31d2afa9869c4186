"""A local Label Studio server: its own virtualenv, credentials, start, readiness and stop.

The server (``label-studio``, pinned) lives in its own virtualenv under ``.studio/venv`` because it
pins many packages; Furat's own environment talks to it only through ``label-studio-sdk``. Data go to
``.studio/data`` (SQLite) unless ``FURAT_STUDIO_DB=postgresql`` selects PostgreSQL, configured with
Label Studio's own ``POSTGRE_NAME``, ``POSTGRE_USER``, ``POSTGRE_PASSWORD``, ``POSTGRE_HOST`` and
``POSTGRE_PORT``.

The admin user and its API token come from ``FURAT_STUDIO_USERNAME`` / ``FURAT_STUDIO_PASSWORD`` /
``FURAT_STUDIO_TOKEN`` (or Label Studio's ``LABEL_STUDIO_USERNAME`` / ``LABEL_STUDIO_PASSWORD`` /
``LABEL_STUDIO_USER_TOKEN``), or are generated once and kept in ``.studio/credentials.json``
(mode 0600, in ``.studio/``, mode 0700); they reach the server through its environment, never its
command line, and a password is never printed (only where it is kept). Legacy API tokens are off
by default since Label Studio 1.17; a headless start turns them on
(``LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true``) so the token given here works at once.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from furat.core.findings import Finding, FuratError

__all__ = [
    "LABEL_STUDIO_VERSION",
    "Credentials",
    "ServerProcess",
    "credentials",
    "ensure_server_installed",
    "first_env",
    "free_port",
    "port_in_use",
    "private_dir",
    "server_env",
    "start_server",
    "stop_server",
    "wait_ready",
]

LABEL_STUDIO_VERSION = "1.23.2"
# Label Studio 1.23.2's default banned subnets (core/utils/io.py, validate_ip) without 127.0.0.0/8.
BANNED_SUBNETS = (
    "0.0.0.0/8 10.0.0.0/8 100.64.0.0/10 169.254.0.0/16 172.16.0.0/12 192.0.0.0/24 192.0.2.0/24 192.88.99.0/24 "
    "192.168.0.0/16 198.18.0.0/15 198.51.100.0/24 203.0.113.0/24 224.0.0.0/4 233.252.0.0/24 240.0.0.0/4 "
    "255.255.255.255/32 ::/128 ::1/128 ::ffff:0:0/96 ::ffff:0:0:0/96 64:ff9b::/96 64:ff9b:1::/48 100::/64 "
    "2001:0000::/32 2001:20::/28 2001:db8::/32 2002::/16 fc00::/7 fe80::/10 ff00::/8"
).split()
DEFAULT_USERNAME = "admin@furat.local"


def _error(code: str, message: str, where: str = "furat studio", exit_code: int = 2) -> FuratError:
    return FuratError([Finding(where, 0, code, message)], exit_code)


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str
    token: str


def private_dir(studio_dir: Path) -> Path:
    """``.studio/``, made (or kept) a real folder only its owner can enter: it holds credentials and a database."""
    if studio_dir.is_symlink():
        raise _error("studio-credentials", f"{studio_dir} is a symbolic link; remove it (it holds credentials)")
    studio_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(studio_dir, 0o700)
    return studio_dir


def first_env(*names: str) -> str | None:
    """The value of the first of ``names`` set (and not empty) in the environment."""
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    return None


def credentials(studio_dir: Path) -> Credentials:
    """The admin's credentials: from the environment, else ``.studio/credentials.json`` (made once, 0600)."""
    path = studio_dir / "credentials.json"
    stored: dict[str, str] = {}
    if path.is_file():
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise _error("studio-credentials", f"{path} is not valid JSON ({exc}); delete it to make new ones") from exc
    username = first_env("FURAT_STUDIO_USERNAME", "LABEL_STUDIO_USERNAME") or stored.get("username") or DEFAULT_USERNAME
    password = first_env("FURAT_STUDIO_PASSWORD", "LABEL_STUDIO_PASSWORD") or stored.get("password")
    token = first_env("FURAT_STUDIO_TOKEN", "LABEL_STUDIO_USER_TOKEN") or stored.get("token")
    if not password or not token:  # make what is missing, once; values from the environment are not written
        made = dict(stored)
        made.setdefault("username", username)
        if not password:
            password = made["password"] = secrets.token_urlsafe(12)
        if not token:
            token = made["token"] = secrets.token_hex(20)
        private_dir(studio_dir)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(made, handle, indent=2)
            handle.write("\n")
        os.chmod(path, 0o600)
    if len(token) < 8:
        raise _error("studio-credentials", "the API token must have at least 8 characters (40 hex digits are usual)")
    return Credentials(username, password, token)


def ensure_server_installed(venv: Path, version: str = LABEL_STUDIO_VERSION, quiet: bool = True) -> Path:
    """Install ``label-studio==version`` into its own virtualenv ``venv`` (once); return its executable."""
    executable = venv / "bin" / "label-studio"
    stamp = venv / f".furat-label-studio-{version}"
    if executable.is_file() and stamp.is_file():
        return executable
    python = venv / "bin" / "python"
    try:
        if not python.is_file():
            print(f"creating {venv} for the Label Studio server", file=sys.stderr)
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        print(f"installing label-studio=={version} into {venv} (a few minutes, once)", file=sys.stderr)
        pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
        _run_filtered([*pip, *(["--quiet"] if quiet else []), f"label-studio=={version}"])
    except (OSError, subprocess.CalledProcessError) as exc:
        raise _error("studio-install", f"could not install label-studio=={version} into {venv}: {exc}") from exc
    if not executable.is_file():
        raise _error("studio-install", f"{executable} is missing after the install")
    stamp.write_text(version + "\n", encoding="utf-8")
    return executable


def _run_filtered(command: list[str]) -> None:
    """Run ``command``, passing its output on without pip's notes about configured package locations."""
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if not line.startswith("WARNING: Location"):
                print(line, end="", file=sys.stderr)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        return sock.connect_ex((host, port)) == 0


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on now (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def server_env(
    creds: Credentials, data_dir: Path, base: Mapping[str, str] | None = None, database: str | None = None
) -> dict[str, str]:
    """The environment of a headless, offline Label Studio with this admin and token."""
    env = dict(os.environ if base is None else base)
    # Plain HOST, PORT, USERNAME... are read by Label Studio as fallbacks: set its own names explicitly.
    database = database or os.environ.get("FURAT_STUDIO_DB", "sqlite")
    env |= {
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
        "LABEL_STUDIO_USERNAME": creds.username,
        "LABEL_STUDIO_PASSWORD": creds.password,
        "LABEL_STUDIO_USER_TOKEN": creds.token,
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LABEL_STUDIO_HOST": "",
        "LABEL_STUDIO_LATEST_VERSION_CHECK": "false",
        "LABEL_STUDIO_COLLECT_ANALYTICS": "false",
        "LABEL_STUDIO_SENTRY_DSN": "",
        "LABEL_STUDIO_FRONTEND_SENTRY_DSN": "",
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
        # Furat's ML backend (furat.studio.backend) runs beside the server on 127.0.0.1: Label Studio's
        # SSRF guard (the ML backend's URL and its webhook) keeps every reserved network but IPv4 loopback.
        "USE_DEFAULT_BANNED_SUBNETS": "false",
        "USER_ADDITIONAL_BANNED_SUBNETS": ",".join(BANNED_SUBNETS),
        "DJANGO_DB": "postgresql" if database in ("postgresql", "postgres") else "sqlite",
        "PYTHONUNBUFFERED": "1",
    }
    return env


@dataclass
class ServerProcess:
    process: subprocess.Popen[bytes]
    url: str
    log: Path


def start_server(
    executable: Path,
    creds: Credentials,
    data_dir: Path,
    port: int,
    log: Path,
    host: str = "127.0.0.1",
    env: Mapping[str, str] | None = None,
) -> ServerProcess:
    """Start ``label-studio start`` on ``host:port`` in the background (its own process group)."""
    if port_in_use("127.0.0.1" if host in ("0.0.0.0", "") else host, port):
        raise _error(
            "studio-port-in-use",
            f"port {port} is in use by another program; set FURAT_STUDIO_PORT (Label Studio would silently move)",
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [
        str(executable),
        "start",
        "--no-browser",
        "--internal-host",
        host,
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
        # The admin's email, password and token go by the environment (server_env), never on the command
        # line, which every local user can read (ps, /proc/<pid>/cmdline).
        "--enable-legacy-api-token",
        "--log-level",
        "WARNING",
    ]
    with open(log, "ab") as out:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=dict(env) if env is not None else server_env(creds, data_dir),
            start_new_session=True,
        )
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    return ServerProcess(process, f"http://{shown}:{port}", log)


_EXCEPTION = re.compile(r"^(?:[\w.]+\.)?(\w+(?:Error|Exception))(?::\s*(.*))?$")
_DATABASE = re.compile(r"OperationalError|could not connect|connection refused|connection to server|psycopg", re.I)


def _tail(path: Path, lines: int = 15) -> str:
    """Why the server stopped, in a line or two (its last exception), never its whole traceback."""
    try:
        log = path.read_text(encoding="utf-8", errors="replace").splitlines()[-200:]
    except OSError:
        return ""
    for line in reversed(log):
        found = _EXCEPTION.match(line.strip())
        if found:
            what = " ".join(line.split())[:300]
            if _DATABASE.search(line):
                return f"the database is unreachable: {what}\n(the whole log: {path})"
            return f"{what}\n(the whole log: {path})"
    last = [line.strip() for line in log if line.strip()][-3:]
    return "\n".join(line[:300] for line in last) + f"\n(the whole log: {path})"


def wait_ready(
    url: str, timeout: float = 300.0, process: subprocess.Popen[bytes] | None = None, log: Path | None = None
) -> None:
    """Poll ``url/health`` until the server answers, the process dies, or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    delay = 0.5
    while True:
        if process is not None and process.poll() is not None:
            tail = _tail(log) if log else ""
            raise _error("studio-start", f"Label Studio exited with status {process.returncode} while starting\n{tail}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError, ValueError):
            pass
        if time.monotonic() >= deadline:
            tail = _tail(log) if log else ""
            raise _error("studio-timeout", f"Label Studio did not answer at {url} within {timeout:.0f} s\n{tail}")
        time.sleep(delay)
        delay = min(delay * 1.5, 3.0)


def stop_server(process: subprocess.Popen[bytes], grace: float = 20.0) -> None:
    """Terminate the server's process group, then kill it if it does not stop within ``grace`` seconds."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
        process.wait(timeout=grace)


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
