"""``gazette serve``: run fetch + ingest on a schedule (Prefect ``flow.serve``).

The process stays up and starts a ``scheduled-ingest`` flow run at every
cron tick: download what ``--source`` lists into ``--root`` (when given), then
ingest every new or changed file under ``--root``.

Schedules need a real Prefect server: Prefect's temporary per-process server
does not run the scheduler service.  With PREFECT_API_URL set, serve uses that
server (its UI shows the deployment and every run).  Without it, serve starts
``prefect server start`` on 127.0.0.1 as a child process (state in
PREFECT_HOME, ./.prefect by default) and stops it on exit.

While it serves, it writes the server's API URL and its own pid to
``$PREFECT_HOME/gazette-serve.json`` (``SERVE_FILE``) and removes it on exit:
that is how `gazette ingest`, started from another shell, knows a Prefect
server is up and runs its flow there (``running_serve_url``).

Stopping (SIGTERM, as systemd sends it): the runner cancels a run in progress (its load, one
DuckDB transaction per issue, rolls back) and serve stops its server.  Whatever hangs, serve
is gone ``STOP_DEADLINE`` seconds after the signal: a timer then SIGKILLs every process below
it and exits (``arm_stop_deadline``).  The Prefect server it starts dies with it even on
``kill -9`` (``pipeline.children.die_with_parent``).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer

from pipeline.children import die_with_parent, kill_descendants
from pipeline.commands.common import app, fail
from pipeline.store import warehouse

DEFAULT_CRON = "0 6 * * *"
DEFAULT_TIMEZONE = "Asia/Shanghai"  # gazettes are published on Beijing time
DEFAULT_SERVER_PORT = 4200
DEFAULT_SERVER_STARTUP = 120.0  # seconds; a cold start took 7–15 s here
SERVE_FILE = "gazette-serve.json"  # in PREFECT_HOME, while `gazette serve` runs: {"url": …, "pid": …}
STOP_DEADLINE = 10.0  # seconds from SIGTERM to a forced stop (the promise is 15 s)
SERVER_STOP_WAIT = 5.0  # seconds the Prefect server gets to stop before it is killed
DRAIN_WAIT = 3.0  # seconds Prefect's log and event queues get to reach the server before it stops


def prefect_home() -> Path:
    """PREFECT_HOME as the project sets it (flows.py, serve): ./.prefect unless the environment says otherwise."""
    return Path(os.environ.get("PREFECT_HOME") or Path.cwd() / ".prefect")


@contextmanager
def serve_file(url: str):
    """Announce the running serve's API URL in ``SERVE_FILE`` for the duration."""
    path = prefect_home() / SERVE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"url": url, "pid": os.getpid()}), encoding="utf-8")
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def running_serve_url() -> str | None:
    """The API URL of a `gazette serve` that is still running (its ``SERVE_FILE``, its pid alive), or None."""
    try:
        announced = json.loads((prefect_home() / SERVE_FILE).read_text(encoding="utf-8"))
        os.kill(int(announced["pid"]), 0)  # signal 0: only asks whether the process exists
    except (OSError, ValueError, KeyError, TypeError):  # no file, a stale one, or a dead serve
        return None
    return str(announced["url"])


@contextmanager
def local_prefect_server(port: int, timeout: float = DEFAULT_SERVER_STARTUP):
    """Run ``prefect server start`` on 127.0.0.1:port for the duration; set PREFECT_API_URL to it."""
    os.environ.setdefault("PREFECT_HOME", str(Path.cwd() / ".prefect"))
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # state-changing API calls need a CSRF token (Prefect's clients fetch one themselves)
    os.environ.setdefault("PREFECT_SERVER_CSRF_PROTECTION_ENABLED", "true")
    url = f"http://127.0.0.1:{port}/api"
    child = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=die_with_parent(),
    )
    import urllib.request  # here, not at the top: `gazette ingest` imports this module for running_serve_url

    try:
        deadline = time.monotonic() + timeout
        while True:
            if child.poll() is not None:
                raise RuntimeError(f"prefect server exited with code {child.returncode} (port {port} in use?)")
            try:
                with urllib.request.urlopen(url + "/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"prefect server did not answer on {url} within {timeout:.0f} s") from None
                time.sleep(0.5)
        os.environ["PREFECT_API_URL"] = url
        yield url
    finally:
        child.terminate()
        try:
            child.wait(timeout=SERVER_STOP_WAIT)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def build_deployment(cron: str, timezone: str, root: Path, source: Path | None, db: Path, name: str):
    """The RunnerDeployment ``serve`` runs; separate so it can be checked without serving."""
    from prefect.schedules import Cron

    import flows

    parameters = {"root": str(root), "db": str(db), "source": str(source) if source else None}
    return flows.scheduled_ingest.to_deployment(
        name=name, schedules=[Cron(cron, timezone=timezone)], parameters=parameters,
        description="Fetch new gazette issues and ingest new or changed files into the warehouse.",
        tags=["gazette"],
    )


@app.command()
def serve(
    cron: str = typer.Option(DEFAULT_CRON, "--cron", help="When to run, as a cron expression."),
    timezone: str = typer.Option(DEFAULT_TIMEZONE, "--timezone", help="IANA time zone of the cron expression."),
    source: Optional[Path] = typer.Option(None, "--source", help="Source file (TOML) of gazettes to fetch before ingesting."),
    root: Path = typer.Option(Path("data/raw"), "--root", help="Folder to fetch into and ingest from."),
    db: Path = typer.Option(warehouse.DEFAULT_DB, "--db", help="Warehouse file."),
    name: str = typer.Option("gazette-daily", "--name", help="Deployment name shown in Prefect."),
    port: int = typer.Option(DEFAULT_SERVER_PORT, "--port", help="Port of the Prefect server serve starts when PREFECT_API_URL is unset."),
) -> None:
    """Serve the fetch-and-ingest flow on a schedule until stopped (Ctrl-C, SIGTERM)."""
    from pipeline.read.fetch import FetchError, load_source_file

    signal.signal(signal.SIGTERM, _stop_on_sigterm)  # until the runner starts and takes over (_serve)
    if source is not None:
        try:
            load_source_file(source)  # fail now, not at 06:00
        except FetchError as error:
            fail(str(error))

    if os.environ.get("PREFECT_API_URL"):
        with serve_file(os.environ["PREFECT_API_URL"]):
            _serve(cron, timezone, root, source, db, name)
        return
    try:
        with local_prefect_server(port) as url, serve_file(url):
            typer.echo(f"Prefect server (UI and API) at {url.removesuffix('/api')}", err=True)
            _serve(cron, timezone, root, source, db, name)
    except RuntimeError as error:
        fail(str(error))


def _serve(cron, timezone, root, source, db, name) -> None:
    try:
        deployment = build_deployment(cron, timezone, root, source, db, name)
    except ValueError as error:
        fail(f"bad schedule: {str(error).splitlines()[0]}")
    from prefect.exceptions import TerminationSignal
    from prefect.runner import Runner

    import flows

    # the flow runs (in this process's children) refuse other roots, warehouses or sources
    os.environ[flows.SERVED_PATHS_ENV] = flows.served_paths(
        {"root": root, "source": source, "db": db, "parsed_dir": flows.DEFAULT_PARSED_DIR})
    runner = Runner(pause_on_shutdown=True)
    runner.add_deployment(deployment)
    graceful = runner.handle_sigterm  # cancels the runs in progress, then lets start() return

    def on_sigterm(*args) -> None:
        arm_stop_deadline()
        graceful(*args)

    runner.handle_sigterm = on_sigterm  # start() installs it as the SIGTERM handler
    typer.echo(f"serving scheduled-ingest/{name} ({cron}, {timezone}); stop with Ctrl-C or SIGTERM", err=True)
    import asyncio  # here: see urllib.request above

    try:
        asyncio.run(runner.start())
    except (KeyboardInterrupt, TerminationSignal):
        pass
    finally:
        _drain_prefect_queues()


def _drain_prefect_queues() -> None:
    """Send Prefect's queued logs and events now, while the server still answers.  Left to
    interpreter exit (Prefect's own hook), they were sent to a server already stopped, retrying
    for minutes: the 3-minute stop as a run was starting.  (A private API of Prefect 3.)"""
    try:
        from prefect._internal.concurrency.services import QueueService
    except ImportError:  # pragma: no cover - another Prefect: the stop deadline still holds
        return
    QueueService.drain_all(timeout=DRAIN_WAIT, at_exit=False)


def _stop_on_sigterm(signum, frame) -> None:
    """SIGTERM before the runner runs (starting the server, building the deployment): unwind, so
    the server started so far is stopped, within the deadline."""
    arm_stop_deadline()
    raise SystemExit(128 + signum)


_deadline_armed = threading.Event()


def arm_stop_deadline(seconds: float = STOP_DEADLINE) -> None:
    """From now, this process has ``seconds`` to stop by itself; then ``_force_stop``. Once only."""
    if _deadline_armed.is_set():
        return
    _deadline_armed.set()
    timer = threading.Timer(seconds, _force_stop, args=(seconds,))
    timer.daemon = True  # a process that stops in time does not wait for it
    timer.start()


def _force_stop(seconds: float) -> None:
    """Past the deadline: SIGKILL the children (a flow run mid-load rolls back; the Prefect server),
    withdraw the serve file, exit at once."""
    killed = kill_descendants()
    path = prefect_home() / SERVE_FILE
    try:
        if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
            path.unlink()
    except (OSError, ValueError, AttributeError):
        pass
    sys.stderr.write(f"gazette serve: still stopping {seconds:.0f} s after SIGTERM: "
                     f"killed {len(killed)} child process(es) and exited\n")
    sys.stderr.flush()
    os._exit(1)
