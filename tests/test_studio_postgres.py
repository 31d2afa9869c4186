"""The team server of the README: Label Studio on PostgreSQL, for real; and what a user sees when the database goes.

A private PostgreSQL cluster (Debian's ``postgresql``, which scripts/test installs as root) is made in a
temporary folder, on a free port, for this module only. Where PostgreSQL cannot run (no package, not
root), the test skips locally and fails in CI, like the other real-server tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from furat.core.findings import FuratError
from furat.studio.client import Studio, StudioSettings
from furat.studio.server import Credentials, free_port, server_env, start_server, stop_server, wait_ready
from tests.studio_fixtures import SERVER_VENV, START_TIMEOUT, run_studio, studio_env, unavailable

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Cluster:
    folder: Path
    port: int
    bin: Path

    def ctl(self, *args: str) -> None:
        pg_ctl = [str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), *args]
        subprocess.run(["runuser", "-u", "postgres", "--", *pg_ctl], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self.ctl("-o", options, "-l", str(self.folder / "log"), "-w", "start")

    def stop(self) -> None:
        self.ctl("-m", "fast", "-w", "stop")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found or os.geteuid() != 0 or shutil.which("runuser") is None:
        unavailable(
            "PostgreSQL cannot run here (no Debian postgresql package, or not root)", "run scripts/test as root"
        )
    if not (SERVER_VENV / "bin" / "label-studio").is_file():
        unavailable(f"the Label Studio server is not installed at {SERVER_VENV}", "run scripts/setup-studio")
    folder = Path(tempfile.mkdtemp(prefix="furat-pg-"))
    shutil.chown(folder, "postgres", "postgres")
    bin_dir = found[-1].parent
    initdb = [str(bin_dir / "initdb"), "-D", str(folder / "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8"]
    subprocess.run(["runuser", "-u", "postgres", "--", *initdb], check=True, capture_output=True, timeout=300)
    pg = Cluster(folder, free_port(), bin_dir)
    pg.start()
    try:
        yield pg
    finally:
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(bin_dir / "pg_ctl"),
                "-D",
                str(folder / "data"),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)


def _env(creds: Credentials, data: Path, pg: Cluster) -> dict[str, str]:
    return server_env(creds, data, database="postgresql") | {
        "POSTGRE_HOST": "127.0.0.1",
        "POSTGRE_PORT": str(pg.port),
        "POSTGRE_USER": "postgres",
        "POSTGRE_PASSWORD": "",
        "POSTGRE_NAME": "postgres",
    }


def test_studio_on_postgresql_works_and_a_database_outage_reads_as_one(cluster: Cluster, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for part in ("seeds", "schema", "corpus"):
        shutil.copytree(ROOT / part, repo / part)
    creds = Credentials("admin@furat.local", "pg-password-1", "p" * 40)
    executable = SERVER_VENV / "bin" / "label-studio"
    log = tmp_path / "server.log"
    server = start_server(
        executable, creds, tmp_path / "data", free_port(), log, env=_env(creds, tmp_path / "data", cluster)
    )
    try:
        wait_ready(server.url, timeout=START_TIMEOUT, process=server.process, log=log)
        settings = StudioSettings(server.url, creds.token, "Furat on PostgreSQL", timeout=60.0, retry_delays=())
        assert Studio(settings).whoami() is not None
        pushed = run_studio("--root", str(repo), "push", env=studio_env(settings))
        assert pushed.returncode == 0, pushed.stderr
        cluster.stop()  # the database goes away under a running server
        pulled = run_studio("--root", str(repo), "pull", env=studio_env(settings) | {"FURAT_STUDIO_RETRIES": "0"})
        assert pulled.returncode == 2, pulled.stderr
        # Label Studio's answer is a bare "500" page: Furat says what that means without passing it on.
        assert "error[studio-server]" in pulled.stderr and "check its database" in pulled.stderr
        assert "<html" not in pulled.stderr.lower() and "Traceback" not in pulled.stderr
        assert len(pulled.stderr) < 1000
    finally:
        stop_server(server.process)
    # Starting a server while the database is down: one line saying so, not Label Studio's traceback.
    log = tmp_path / "server-2.log"
    down = start_server(
        executable, creds, tmp_path / "data", free_port(), log, env=_env(creds, tmp_path / "data", cluster)
    )
    try:
        with pytest.raises(FuratError) as caught:
            wait_ready(down.url, timeout=START_TIMEOUT, process=down.process, log=log)
    finally:
        stop_server(down.process)
        cluster.start()
    [finding] = caught.value.findings
    assert finding.code == "studio-start" and "database is unreachable" in finding.message
    assert "Traceback" not in finding.message and 'File "' not in finding.message
