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


def test_a_stop_past_its_deadline_kills_the_children_and_exits(tmp_path):
    """The last resort of `gazette serve`'s stop: a process that does not stop by itself is gone
    at the deadline, its children with it."""
    script = (
        "import subprocess, sys, time\n"
        "from pipeline.commands.serve import arm_stop_deadline\n"
        "child = subprocess.Popen(['sleep', '120'])\n"
        "print(child.pid, flush=True)\n"
        "arm_stop_deadline(1.0)\n"
        "time.sleep(120)  # hangs, as Prefect's exit hook did\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO), "PREFECT_HOME": str(tmp_path / ".prefect")}
    began = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    child = int(proc.stdout.readline())
    try:
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert time.monotonic() - began < 30  # the import takes a few seconds; the hang would take 120
    assert proc.returncode == 1
    assert "still stopping 1 s after SIGTERM: killed 1 child process(es)" in proc.stderr.read()
    time.sleep(0.2)
    assert not alive(child)
