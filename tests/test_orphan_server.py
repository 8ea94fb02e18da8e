"""Issue 14, item 5: a `gazette ingest --flow` killed with kill -9 leaves no temporary Prefect
server behind (before: one listening server per killed run)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.children import descendants
from tests.conftest import REPO, SAMPLE_TXT

pytestmark = [pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's PR_SET_PDEATHSIG")]


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def alive(pid: int) -> bool:
    """Running, not a zombie waiting for its (dead) parent to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_kill_9_of_a_flow_run_takes_its_temporary_server_along(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / SAMPLE_TXT.name).write_bytes(SAMPLE_TXT.read_bytes())
    env = {**os.environ, "PYTHONPATH": str(REPO), "PREFECT_HOME": str(tmp_path / ".prefect")}
    env.pop("PREFECT_API_URL", None)
    ingest = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "ingest", "raw", "--flow", "--db", "w.duckdb"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    servers: list[int] = []
    try:
        deadline = time.monotonic() + 180
        while not servers and time.monotonic() < deadline and ingest.poll() is None:
            servers = [pid for pid in descendants(ingest.pid) if "uvicorn" in cmdline(pid)]
            time.sleep(0.1)
        assert servers, "the flow run never started its temporary Prefect server"
        os.kill(ingest.pid, signal.SIGKILL)
        ingest.wait()
        gone_by = time.monotonic() + 10
        while any(alive(pid) for pid in servers) and time.monotonic() < gone_by:
            time.sleep(0.1)
        left = [pid for pid in servers if alive(pid)]
        assert not left, f"temporary Prefect server(s) {left} outlived the killed ingest"
    finally:
        if ingest.poll() is None:
            ingest.kill()
        for pid in servers:  # whatever the outcome, leave no server behind
            if alive(pid) and "uvicorn" in cmdline(pid):
                os.kill(pid, signal.SIGKILL)
