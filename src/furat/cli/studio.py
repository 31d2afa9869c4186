"""``furat studio up|push|pull|config|install|down``: Label Studio for annotators."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from furat.cli.common import Subparsers, root_of
from furat.core.findings import FuratError, format_findings
from furat.core.paths import find_root
from furat.studio.client import (
    DEFAULT_PROJECT,
    STUDIO_DIR,
    StudioSettings,
    fail,
    port_from_env,
    record_server,
    settings_from_env,
)
from furat.studio.config import label_config
from furat.studio.pull import pull
from furat.studio.push import push
from furat.studio.server import (
    LABEL_STUDIO_VERSION,
    Credentials,
    credentials,
    ensure_server_installed,
    first_env,
    free_port,
    port_in_use,
    private_dir,
    start_server,
    stop_server,
    wait_ready,
)


def _cmd_config(args: argparse.Namespace) -> int:
    root = find_root()
    given = getattr(args, "root", None)
    schema = Path(given).resolve() / "schema" if given else (root / "schema" if root else None)
    print(label_config(schema_dir=schema), end="")
    return 0


def _cmd_push(args: argparse.Namespace) -> int:
    root = root_of(args)
    report = push(root, settings_from_env(root, args.url, args.token, args.project))
    if report.warnings:
        print(format_findings(report.warnings), file=sys.stderr)
    return 0


def _cmd_pull(args: argparse.Namespace) -> int:
    root = root_of(args)
    settings = settings_from_env(root, args.url, args.token, args.project)
    pull(root, settings, force=args.force, skip_stale=args.skip_stale)
    return 0


def _cmd_install(args: argparse.Namespace) -> int:
    root = root_of(args)
    executable = ensure_server_installed(root / STUDIO_DIR / "venv", quiet=not args.verbose)
    print(f"Label Studio {LABEL_STUDIO_VERSION}: {executable}")
    return 0


def _answers_with_token(url: str, token: str) -> bool:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(f"{url}/api/current-user/whoami", headers={"Authorization": f"Token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _banner(url: str, creds: Credentials, root: Path, stored: bool) -> str:
    # Where the password is, never the password: terminals are logged, shared and screen-shot.
    source = next((n for n in ("FURAT_STUDIO_PASSWORD", "LABEL_STUDIO_PASSWORD") if os.environ.get(n)), None)
    where = 'in .studio/credentials.json ("password")' if stored or source is None else f"the one you set in {source}"
    return "\n".join(
        [
            "",
            f"Label Studio is ready: {url}",
            f"  log in with  email: {creds.username}",
            f"               password: {where}",
            f"  the project: {url}/projects/ (open 'Furat', then 'Label All Tasks')",
            "  when you are done: furat studio pull   (then: furat validate)",
            "",
        ]
    )


def _start_backend(root: Path, settings: StudioSettings, project_id: int) -> subprocess.Popen[bytes]:
    """Start the ML backend (``furat.studio.backend``) and connect it to the project."""
    from furat.studio.backend import connect_backend, start_backend, wait_backend

    studio_dir = root / STUDIO_DIR
    port = int(os.environ.get("FURAT_STUDIO_BACKEND_PORT") or free_port())
    url = f"http://127.0.0.1:{port}"
    process = start_backend(root, port, studio_dir / "backend.log")
    (studio_dir / "backend.pid").write_text(f"{process.pid}\n", encoding="utf-8")
    try:
        wait_backend(url, process)
        connect_backend(settings, project_id, url)
    except FuratError:
        stop_server(process)
        (studio_dir / "backend.pid").unlink(missing_ok=True)
        raise
    print(f"ML backend at {url} serves pre-annotations for any task when it is opened (log in .studio/backend.log)")
    return process


def _backend_running(root: Path) -> bool:
    return _recorded_process(root / STUDIO_DIR / "backend.pid", "furat.studio.backend") is not None


def _recorded_process(pid_file: Path, marker: str) -> int | None:
    """The pid recorded in ``pid_file`` if that process is still running ``marker``."""
    try:
        pid = int(pid_file.read_text(encoding="utf-8").split()[0])
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except (OSError, ValueError, IndexError):
        return None
    return pid if marker in command else None


def _cmd_up(args: argparse.Namespace) -> int:
    root = root_of(args)
    studio_dir = private_dir(root / STUDIO_DIR)
    creds = credentials(studio_dir)
    stored = not (first_env("FURAT_STUDIO_PASSWORD", "LABEL_STUDIO_PASSWORD"))
    port = args.port or port_from_env()
    bind = os.environ.get("FURAT_STUDIO_BIND", "127.0.0.1")
    url = f"http://127.0.0.1:{port}"
    settings = StudioSettings(url, creds.token, args.project or first_env("FURAT_STUDIO_PROJECT") or DEFAULT_PROJECT)
    if port_in_use("127.0.0.1", port):
        if not _answers_with_token(url, creds.token):
            message = f"port {port} is taken by another program; use --port or FURAT_STUDIO_PORT"
            raise fail("studio-port-in-use", message)
        print(f"Label Studio is already running at {url}")
        record_server(root, url)
        if not args.no_push:
            report = push(root, settings)
            if not args.no_backend and not _backend_running(root):
                _start_backend(root, settings, report.project)
        print(_banner(url, creds, root, stored))
        return 0
    venv = studio_dir / "venv"
    if args.no_install:
        executable = venv / "bin" / "label-studio"
        if not executable.is_file():
            raise fail("studio-install", f"{executable} is missing; run scripts/setup-studio (or drop --no-install)")
    else:
        executable = ensure_server_installed(venv)
    log = studio_dir / "server.log"
    print(f"starting Label Studio on {url} (data in .studio/data, log in .studio/server.log)")
    # From here on, kill -TERM of this command stops the server as Ctrl-C does (no orphan, no stale pid).
    previous = signal.signal(signal.SIGTERM, _interrupt)
    pid_file = studio_dir / "server.pid"
    server = None
    backend = None
    try:
        server = start_server(executable, creds, studio_dir / "data", port, log, host=bind)
        pid_file.write_text(f"{server.process.pid}\n", encoding="utf-8")
        wait_ready(url, timeout=args.timeout, process=server.process, log=log)
        record_server(root, url)
        if not args.no_push:
            report = push(root, settings)
            if not args.no_backend:
                backend = _start_backend(root, settings, report.project)
        print(_banner(url, creds, root, stored))
        if args.detach:
            print(f"running in the background (pid {server.process.pid}); stop it with: furat studio down")
            server = backend = None  # they outlive this command; `furat studio down` stops both
            return 0
        print("press Ctrl-C to stop the server", flush=True)
        try:
            server.process.wait()
        except KeyboardInterrupt:
            print("\nstopping Label Studio")
        return 0
    finally:
        if backend is not None:
            stop_server(backend)
            (studio_dir / "backend.pid").unlink(missing_ok=True)
        if server is not None:
            stop_server(server.process)
            pid_file.unlink(missing_ok=True)
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _cmd_down(args: argparse.Namespace) -> int:
    root = root_of(args)
    backend_pid = _recorded_process(root / STUDIO_DIR / "backend.pid", "furat.studio.backend")
    if backend_pid is not None:
        os.killpg(backend_pid, signal.SIGTERM)
        print(f"stopped the ML backend (pid {backend_pid})")
    (root / STUDIO_DIR / "backend.pid").unlink(missing_ok=True)
    pid_file = root / STUDIO_DIR / "server.pid"
    try:
        pid = int(pid_file.read_text(encoding="utf-8").split()[0])
    except (OSError, ValueError, IndexError):
        print("no Label Studio started by `furat studio up --detach` is recorded in .studio/server.pid")
        return 0
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        command = ""
    if "label-studio" not in command:
        pid_file.unlink(missing_ok=True)
        print(f"process {pid} is not running Label Studio any more")
        return 0
    os.killpg(pid, signal.SIGTERM)
    for _ in range(40):
        if not Path(f"/proc/{pid}").exists():
            break
        time.sleep(0.5)
    else:
        os.killpg(pid, signal.SIGKILL)
    pid_file.unlink(missing_ok=True)
    print(f"stopped Label Studio (pid {pid})")
    return 0


def _server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", help="the server (default: FURAT_STUDIO_URL or http://127.0.0.1:8080)")
    parser.add_argument("--token", help="API token (default: FURAT_STUDIO_TOKEN or .studio/credentials.json)")
    parser.add_argument("--project", help=f"project title (default: FURAT_STUDIO_PROJECT or {DEFAULT_PROJECT!r})")


def add_commands(subparsers: Subparsers) -> None:
    """Add ``studio`` with its subcommands to a ``furat`` command line."""
    studio = subparsers.add_parser("studio", help="Label Studio: start a local server, push tasks, pull annotations")
    sub = studio.add_subparsers(dest="studio_command", required=True, metavar="SUBCOMMAND")

    up = sub.add_parser("up", help="install and start a local Label Studio, push the project, print how to log in")
    up.add_argument("--port", type=int, help="port on 127.0.0.1 (default: FURAT_STUDIO_PORT or 8080)")
    up.add_argument("--project", help=f"project title (default: {DEFAULT_PROJECT!r})")
    up.add_argument("--detach", action="store_true", help="leave the server running in the background")
    up.add_argument("--no-install", action="store_true", help="do not install the server; fail if it is missing")
    up.add_argument("--no-push", action="store_true", help="start the server only")
    up.add_argument("--no-backend", action="store_true", help="do not start the ML backend that pre-labels tasks")
    up.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for the server (default 300)")
    up.set_defaults(func=_cmd_up)

    push_parser = sub.add_parser("push", help="create or update the project, its tasks, gold and pre-annotations")
    _server_options(push_parser)
    push_parser.set_defaults(func=_cmd_push)

    pull_parser = sub.add_parser("pull", help="export annotations to annotations/ (passes and gold)")
    _server_options(pull_parser)
    pull_parser.add_argument("--force", action="store_true", help="take the server's version of conflicting files")
    pull_parser.add_argument("--skip-stale", action="store_true", help="pull the rest when some tasks are stale")
    pull_parser.set_defaults(func=_cmd_pull)

    config = sub.add_parser("config", help="print the labeling config generated from schema/labels.json")
    config.set_defaults(func=_cmd_config)

    install = sub.add_parser("install", help=f"install label-studio {LABEL_STUDIO_VERSION} into .studio/venv")
    install.add_argument("--verbose", action="store_true", help="show pip's output")
    install.set_defaults(func=_cmd_install)

    down = sub.add_parser("down", help="stop a server started with `furat studio up --detach`")
    down.set_defaults(func=_cmd_down)
