"""Write the run log (``runs``, ``run_files``; see schemas/tables_runs.py).

Each write is its own short transaction on the warehouse's one writer
connection, separate from the per-issue loads.  Nothing here knows about
Prefect: ``flows.py`` passes in the flow run id, and a run without Prefect
may use any unique id.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timezone

import duckdb

from pipeline.store.warehouse import rows_to_arrow


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass
class RunFile:
    action: str  # fetch | ingest
    path: str
    status: str
    url: str | None = None
    sha256: str | None = None
    issue_id: str | None = None
    stage: str | None = None
    error: str | None = None
    bytes: int | None = None
    seconds: float | None = None


@dataclass
class RunRecord:
    run_id: str
    flow: str
    parameters: dict
    task_runner: str
    deployment: str | None = None
    started_at: datetime = field(default_factory=utcnow)
    files: list[RunFile] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        ingest = [f for f in self.files if f.action == "ingest"]
        fetches = [f for f in self.files if f.action == "fetch"]
        return {
            "files_seen": len(ingest),
            "files_skipped": sum(f.status == "skipped" for f in ingest),
            "files_ingested": sum(f.status in ("loaded", "replaced") for f in ingest),
            "files_failed": sum(f.status == "failed" for f in ingest),
            "downloads_ok": sum(f.status != "failed" for f in fetches),
            "downloads_failed": sum(f.status == "failed" for f in fetches),
        }


def process_is_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists on this host (a recycled pid reads as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def mark_crashed(con: duckdb.DuckDBPyConnection, *, host: str | None = None) -> list[str]:
    """Mark 'crashed' the runs still 'running' on this host whose process is gone (killed, or
    the machine restarted), and those recorded before runs had a pid; returns their run_ids.
    Runs of other hosts are left alone: their processes cannot be seen from here."""
    host = host or socket.gethostname()
    rows = con.execute("SELECT run_id, pid FROM runs WHERE status = 'running' AND (host = ? OR host IS NULL)",
                       [host]).fetchall()
    stale = [run_id for run_id, pid in rows if pid is None or not process_is_alive(pid)]
    if stale:
        con.execute("UPDATE runs SET status = 'crashed' WHERE list_contains(?, run_id)", [stale])
    return stale


def start_run(con: duckdb.DuckDBPyConnection, run: RunRecord) -> list[str]:
    """Insert the run as 'running' (with this host and process id), so a run that dies is still
    on record; first mark earlier runs whose process died 'crashed' (``mark_crashed``), whose
    run_ids it returns."""
    con.execute("BEGIN TRANSACTION")
    try:
        crashed = mark_crashed(con)
        con.execute("DELETE FROM run_files WHERE run_id = ?", [run.run_id])  # a retried flow run starts afresh
        con.execute("DELETE FROM runs WHERE run_id = ?", [run.run_id])
        con.execute(
            "INSERT INTO runs (run_id, flow, deployment, parameters, task_runner, status, started_at, host, pid) "
            "VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?)",
            [run.run_id, run.flow, run.deployment, json.dumps(run.parameters, ensure_ascii=False, default=str),
             run.task_runner, run.started_at, socket.gethostname(), os.getpid()],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return crashed


def finish_run(con: duckdb.DuckDBPyConnection, run: RunRecord, ended_at: datetime | None = None) -> dict[str, int]:
    """Record the end, the counts and one row per file, in one transaction."""
    from schemas.tables_runs import run_files  # not at import: the CLI starts without the schemas

    counts = run.counts()
    status = "failed" if any(f.status == "failed" for f in run.files) else "completed"  # incl. the search index
    rows = [{"run_id": run.run_id, "seq": seq, **vars(f)} for seq, f in enumerate(run.files, start=1)]
    con.execute("BEGIN TRANSACTION")
    try:
        assignments = ", ".join(f"{name} = ?" for name in counts)
        con.execute(
            f"UPDATE runs SET status = ?, ended_at = ?, {assignments} WHERE run_id = ?",
            [status, ended_at or utcnow(), *counts.values(), run.run_id],
        )
        if rows:
            con.register("_run_files", rows_to_arrow(run_files, rows))
            names = ", ".join(f'"{c.name}"' for c in run_files.columns)
            con.execute(f"INSERT INTO run_files ({names}) SELECT {names} FROM _run_files")
            con.unregister("_run_files")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return counts | {"status": status}

