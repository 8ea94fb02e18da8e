"""Issue 14, items 8 and 9, against a live `gazette serve` on a local port (its own Prefect
server, in a subprocess):

* a run asked for through the API with a warehouse outside the served paths fails before
  writing (no file at that path); a POST without a CSRF token is refused;
* SIGTERM stops serve within 15 s when idle and while a run is loading a slow file.

Each serve starts a real Prefect server (a cold start takes 15–60 s here), hence ``slow``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLE_TXT

pytestmark = pytest.mark.slow

STOP_PROMISE = 15.0  # seconds: the README's promise for SIGTERM in any state
READY_TIMEOUT = 240.0
ONE_LINE_UNIT = "本办法所称城市绿地，是指用于绿化的土地，包括公园绿地、防护绿地和附属绿地。"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Serve:
    """`gazette serve` in a subprocess with its own PREFECT_HOME and port."""

    def __init__(self, workdir: Path, root: Path, db: Path):
        self.port = free_port()
        self.api = f"http://127.0.0.1:{self.port}/api"
        self.log = workdir / f"serve-{self.port}.log"
        env = {**os.environ, "PYTHONPATH": str(REPO), "PREFECT_HOME": str(workdir / ".prefect")}
        env.pop("PREFECT_API_URL", None)
        env.pop("PREFECT_SERVER_CSRF_PROTECTION_ENABLED", None)
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "pipeline.cli", "serve", "--root", str(root), "--db", str(db),
                 "--port", str(self.port), "--cron", "0 0 1 1 *"],
                cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT,
            )

    def request(self, method: str, path: str, body: dict | None = None, csrf: bool = True) -> tuple[int, dict]:
        """One API call; a 503 (the server's database busy, as it is just after start-up) is asked again."""
        for _ in range(30):
            status, answer = self._request(method, path, body, csrf)
            if status != 503:
                return status, answer
            time.sleep(1)
        return status, answer

    def _request(self, method: str, path: str, body: dict | None, csrf: bool) -> tuple[int, dict]:
        headers = {"Content-Type": "application/json"}
        if csrf:
            client = str(uuid.uuid4())
            _, token = self.request("GET", f"/csrf-token?client={client}", csrf=False)
            headers |= {"Prefect-Csrf-Token": token["token"], "Prefect-Csrf-Client": client}
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.api + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def wait_ready(self) -> str:
        """The deployment's id, once serve has registered it."""
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text(errors="replace")
            try:
                status, body = self.request("GET", "/deployments/name/scheduled-ingest/gazette-daily", csrf=False)
                if status == 200:
                    return body["id"]
            except OSError:
                pass
            time.sleep(1)
        raise AssertionError(f"serve not ready in {READY_TIMEOUT} s: {self.log.read_text(errors='replace')}")

    def run(self, deployment: str, parameters: dict) -> str:
        status, body = self.request("POST", f"/deployments/{deployment}/create_flow_run", {"parameters": parameters})
        assert status == 201, body
        return body["id"]

    def wait_state(self, run_id: str, states: set[str], timeout: float = 180) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            _, body = self.request("GET", f"/flow_runs/{run_id}", csrf=False)
            if body["state_type"] in states:
                return body["state_type"]
            time.sleep(0.5)
        raise AssertionError(f"run {run_id} never reached {states}: {body['state_type']}")

    def stop(self) -> float:
        """SIGTERM; seconds until the process was gone."""
        began = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        seconds = time.monotonic() - began
        print(f"gazette serve stopped {seconds:.1f} s after SIGTERM")  # the figure the README quotes (-s)
        return seconds

    def port_closed(self) -> bool:
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", self.port)) != 0


@pytest.fixture()
def folder(tmp_path) -> tuple[Path, Path]:
    root = tmp_path / "raw"
    root.mkdir()
    (root / SAMPLE_TXT.name).write_bytes(SAMPLE_TXT.read_bytes())
    return root, tmp_path / "warehouse.duckdb"


def test_api_refuses_other_paths_and_requests_without_csrf_token_then_stops_when_idle(tmp_path, folder):
    root, db = folder
    serve = Serve(tmp_path, root, db)
    try:
        deployment = serve.wait_ready()
        elsewhere = tmp_path / "attacker" / "evil.duckdb"
        # no CSRF token: refused before it reaches the deployment
        status, _ = serve.request("POST", f"/deployments/{deployment}/create_flow_run",
                                  {"parameters": {"db": str(elsewhere)}}, csrf=False)
        assert status == 403
        # with a token but another warehouse: the run is created, and fails before writing anything
        run_id = serve.run(deployment, {"db": str(elsewhere)})
        assert serve.wait_state(run_id, {"FAILED", "CRASHED", "COMPLETED"}) == "FAILED"
        assert not elsewhere.exists() and not elsewhere.parent.exists()
        assert not db.exists()  # nothing ran against the served warehouse either
    finally:
        seconds = serve.stop()
    assert seconds < STOP_PROMISE, f"idle serve took {seconds:.1f} s to stop"
    assert serve.port_closed()  # its Prefect server went with it


def test_sigterm_mid_run_stops_within_the_promise_and_rolls_back(tmp_path, folder):
    root, db = folder
    (root / SAMPLE_TXT.name).unlink()
    unit = ONE_LINE_UNIT.encode("utf-8")
    size = 3 * 1024 * 1024  # under --max-text-bytes (4 MiB), a minute of parsing here
    (root / "slow.txt").write_bytes(unit * (size // len(unit)))
    serve = Serve(tmp_path, root, db)
    try:
        deployment = serve.wait_ready()
        run_id = serve.run(deployment, {})
        serve.wait_state(run_id, {"RUNNING"})
        time.sleep(1)  # into the run: parsing or loading the slow file
        _, body = serve.request("GET", f"/flow_runs/{run_id}", csrf=False)
        assert body["state_type"] == "RUNNING"
    finally:
        seconds = serve.stop()
    assert seconds < STOP_PROMISE, f"serve took {seconds:.1f} s to stop mid-run"
    assert serve.port_closed()
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:  # opens: no process holds it any more
        assert con.execute("SELECT count(*) FROM issues").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM runs WHERE status = 'completed'").fetchone() == (0,)
