"""Issue 14, item 5: a run left 'running' by a dead process is marked 'crashed' at the next start."""

from __future__ import annotations

import subprocess
import sys

from pipeline.store import runlog, warehouse


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _status(con) -> dict[str, str]:
    return dict(con.execute("SELECT run_id, status FROM runs").fetchall())


def test_stale_running_runs_are_marked_crashed_at_the_next_start(tmp_path):
    con = warehouse.connect(tmp_path / "w.duckdb")
    try:
        for run_id in ("killed", "alive", "elsewhere", "legacy"):
            runlog.start_run(con, runlog.RunRecord(run_id, "ingest-paths", {}, "threads"))
        con.execute("UPDATE runs SET pid = ? WHERE run_id = 'killed'", [_dead_pid()])
        con.execute("UPDATE runs SET host = 'another-machine', pid = ? WHERE run_id = 'elsewhere'", [_dead_pid()])
        con.execute("UPDATE runs SET host = NULL, pid = NULL WHERE run_id = 'legacy'")  # before runs had a pid
        crashed = runlog.start_run(con, runlog.RunRecord("next", "ingest-paths", {}, "threads"))
        assert sorted(crashed) == ["killed", "legacy"]
        assert _status(con) == {"killed": "crashed", "legacy": "crashed", "alive": "running",  # this process: alive
                                "elsewhere": "running", "next": "running"}
        assert con.execute("SELECT ended_at FROM runs WHERE run_id = 'killed'").fetchone() == (None,)
    finally:
        con.close()


def test_a_finished_run_is_never_marked(tmp_path):
    con = warehouse.connect(tmp_path / "w.duckdb")
    try:
        run = runlog.RunRecord("done", "ingest-paths", {}, "threads")
        runlog.start_run(con, run)
        runlog.finish_run(con, run)
        con.execute("UPDATE runs SET pid = ? WHERE run_id = 'done'", [_dead_pid()])
        assert runlog.start_run(con, runlog.RunRecord("next", "ingest-paths", {}, "threads")) == []
        assert _status(con)["done"] == "completed"
    finally:
        con.close()
