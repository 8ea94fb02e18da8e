"""Atomicity and concurrency, with real processes.

* kill -9 in the middle of an issue's load leaves the warehouse as it was
  before that issue (DuckDB writes a transaction to its WAL only at COMMIT);
* two ingests started at once on one warehouse both finish, waiting for each
  other's lock, and no row is lost or doubled;
* a process holding the warehouse (an ingest, an analyst's session) gives the
  other side a clear one-line message naming its PID.

The "mid-load" moment is reached with a hook installed by the child process
itself (``LOAD_HOOK`` below), not by timing: the child signals through a file
and sleeps, and the test kills it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipeline.ingest import ingest_sources
from pipeline.read.sources import paths_to_sources
from tests.conftest import REPO, SAMPLE_TXT

ENV = {**os.environ, "PYTHONPATH": str(REPO), "GAZETTE_DIRECT": "1"}  # the CLI without Prefect: no temporary server per process
TABLES = ("issues", "toc_entries", "documents", "chapters", "sections", "articles", "clauses")
SAMPLE_SHA_QUERY = "SELECT source_sha256 FROM issues WHERE issue_id = '忻州市人民政府公报-2024-05'"

# Run in the child: ingest argv[1] into argv[2]; at the hook point write the
# number of articles the open transaction sees into argv[3] and hang.
LOAD_HOOK = r"""
import sys, time
from pathlib import Path
from pipeline.store import warehouse
from pipeline.ingest import ingest_sources
from pipeline.read.sources import paths_to_sources

source, db, marker, where = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]

def hang(con):
    seen = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    marker.write_text(str(seen))
    time.sleep(600)

if where == "after-deletes":  # the first Arrow conversion comes after every DELETE, before any INSERT
    real = warehouse.rows_to_arrow
    def rows_to_arrow(table, rows):
        hang(warehouse_con[0])
        return real(table, rows)
    real_load = warehouse.load_issue
    warehouse_con = [None]
    def load_issue(con, issue, prebuilt=None):
        warehouse_con[0] = con
        return real_load(con, issue, prebuilt)
    warehouse.rows_to_arrow = rows_to_arrow
    warehouse.load_issue = load_issue
else:  # after every INSERT, before COMMIT
    warehouse.POST_LOAD = (*warehouse.POST_LOAD, lambda con, issue: hang(con))

ingest_sources(paths_to_sources([source]), db, parsed_dir=None)
"""

# Run in the child: hold a connection to argv[1] (read-only if argv[2] == "ro") until stdin closes.
HOLDER = r"""
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
print("holding", flush=True)
sys.stdin.read()
con.close()
"""


def counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def scalar(db: Path, sql: str):
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(sql).fetchone()
        return row[0] if row else None
    finally:
        con.close()


def gazette(*args: str, cwd: Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, env=ENV, cwd=cwd, timeout=300, **kw
    )


def wait_for(path: Path, process: subprocess.Popen, timeout: float = 180) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return path.read_text()
        if process.poll() is not None:
            raise AssertionError(f"child exited early: {process.communicate()}")
        time.sleep(0.05)
    raise AssertionError("child never reached the hook")


def shortened_sample(tmp_path: Path) -> Path:
    """A corrected re-issue of the sample: its last article (第二十一条 of the last document) dropped."""
    copy = tmp_path / "reissue.txt"
    text = SAMPLE_TXT.read_text(encoding="utf-8")
    copy.write_text(text[: text.rindex("第二十一条 本办法自2024年8月4日起施行")], encoding="utf-8")
    return copy


@pytest.mark.parametrize("where", ["after-deletes", "after-inserts"])
def test_kill_9_during_a_replacing_load_leaves_the_previous_issue(tmp_path, where):
    db = tmp_path / "w.duckdb"
    ingest_sources(paths_to_sources([SAMPLE_TXT]), db, parsed_dir=None)
    before = counts(db)
    sha_before = scalar(db, SAMPLE_SHA_QUERY)
    assert before["articles"] == 193

    marker = tmp_path / "mid-load"
    child = subprocess.Popen(
        [sys.executable, "-c", LOAD_HOOK, str(shortened_sample(tmp_path)), str(db), str(marker), where],
        env=ENV, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        seen = int(wait_for(marker, child))
        # inside the open transaction: every old row of the issue deleted, or all 192 new ones in
        assert seen == {"after-deletes": 0, "after-inserts": 192}[where]

        # an analyst meanwhile gets a clear message, not a hang or a traceback
        query = gazette("sql", "SELECT count(*) FROM articles", "--db", str(db), cwd=tmp_path)
        assert query.returncode == 1
        assert f"another process (PID {child.pid}) is writing to the warehouse" in query.stderr
        assert "Traceback" not in query.stderr
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate()
    assert child.returncode == -signal.SIGKILL

    assert counts(db) == before
    assert scalar(db, SAMPLE_SHA_QUERY) == sha_before
    # and the warehouse still takes writes: the re-issue replaces the issue cleanly
    [result] = ingest_sources(paths_to_sources([shortened_sample(tmp_path)]), db, parsed_dir=None).results
    assert result.status == "replaced"
    assert counts(db)["articles"] == 192


def test_kill_9_during_a_first_load_leaves_an_empty_warehouse(tmp_path):
    db = tmp_path / "w.duckdb"
    marker = tmp_path / "mid-load"
    child = subprocess.Popen(
        [sys.executable, "-c", LOAD_HOOK, str(SAMPLE_TXT), str(db), str(marker), "after-inserts"],
        env=ENV, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        assert int(wait_for(marker, child)) == 193
    finally:
        child.kill()
        child.communicate()
    assert counts(db) == dict.fromkeys(TABLES, 0)
    [result] = ingest_sources(paths_to_sources([SAMPLE_TXT]), db, parsed_dir=None).results
    assert result.status == "loaded" and counts(db)["articles"] == 193


def test_two_ingests_at_once_both_finish_and_lose_nothing(tmp_path):
    db = tmp_path / "w.duckdb"
    # Hand-written second input: a two-article regulation (not from any real source).
    other = tmp_path / "other.txt"
    other.write_text(
        "某县农村公路养护办法\n第一条 为规范农村公路养护，制定本办法。\n第二条 本办法自2024年1月1日起施行。\n",
        encoding="utf-8",
    )
    sample_copy = tmp_path / "sample.txt"
    shutil.copy(SAMPLE_TXT, sample_copy)
    common = ["--db", str(db), "--wait", "120", "--quarantine-dir", str(tmp_path / "q")]
    # both processes load the sample (same bytes) and one more file each
    first = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "ingest", str(sample_copy), str(other), "--parsed-dir", str(tmp_path / "p1"), *common],
        env=ENV, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    second = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "ingest", str(other), str(sample_copy), "--parsed-dir", str(tmp_path / "p2"), *common],
        env=ENV, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    outputs = [first.communicate(timeout=300), second.communicate(timeout=300)]
    assert first.returncode == 0 and second.returncode == 0, outputs
    for _stdout, stderr in outputs:
        assert "Traceback" not in stderr and "failed" not in stderr
    final = counts(db)
    assert final["issues"] == 2 and final["articles"] == 193 + 2
    assert scalar(db, "SELECT count(*) - count(DISTINCT article_id) FROM articles") == 0
    assert scalar(db, "SELECT count(*) FROM ingest_errors") == 0


def test_ingest_waits_for_a_held_warehouse_or_fails_clearly(tmp_path):
    db = tmp_path / "w.duckdb"
    ingest_sources(paths_to_sources([SAMPLE_TXT]), db, parsed_dir=None)
    before = counts(db)
    other = tmp_path / "other.txt"
    other.write_text("某县农村公路养护办法\n第一条 为规范农村公路养护，制定本办法。\n", encoding="utf-8")

    for mode in ("ro", "rw"):  # an analyst's read-only session; another writer
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(db), mode], env=ENV, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        try:
            assert holder.stdout.readline().strip() == "holding"
            refused = gazette("ingest", str(other), "--db", str(db), "--wait", "0.5", "--parsed-dir", str(tmp_path / "p"), cwd=tmp_path)
            assert refused.returncode == 1
            message = " ".join(refused.stderr.split())
            assert f"the warehouse is in use by another process (PID {holder.pid}) (waited 0.5 s)" in message
            assert "Traceback" not in refused.stderr
        finally:
            holder.stdin.close()
            holder.wait(timeout=60)
        assert counts(db) == before

    # with a longer wait, the ingest outlasts a holder that lets go
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), "ro"], env=ENV, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "holding"
    waiting = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "ingest", str(other), "--db", str(db), "--wait", "120", "--parsed-dir", str(tmp_path / "p")],
        env=ENV, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(1.0)  # let it start and meet the lock (if it has not yet, it simply finds the file free)
    holder.stdin.close()
    holder.wait(timeout=60)
    stdout, stderr = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, stderr
    assert counts(db)["issues"] == before["issues"] + 1


def test_a_warehouse_that_stays_busy_stops_the_batch_after_what_was_done(tmp_path, monkeypatch):
    """A lock held past --wait is no fault of any file: the run stops with the
    lock's message (not a quarantine, not an ingest_errors row), and the files
    loaded before it stay loaded."""
    from pipeline import ingest
    from pipeline.store import warehouse

    monkeypatch.setattr(ingest, "HOLD_SECONDS", 0.0)  # released before every file, so another process may take it
    first = tmp_path / "first.txt"
    first.write_text("某县农村公路养护办法\n第一条 为规范农村公路养护，制定本办法。\n", encoding="utf-8")
    second = tmp_path / "second.txt"
    second.write_text("某县城市绿化办法\n第一条 为加强城市绿化，制定本办法。\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    real_connect = warehouse.connect
    done: list[str] = []

    def busy_after_first_file(path, **kw):
        if done:
            raise warehouse.WarehouseError(f"{path}: the warehouse is in use by another process (PID 4242) (waited 0.1 s)")
        return real_connect(path, **kw)

    monkeypatch.setattr(warehouse, "connect", busy_after_first_file)
    with pytest.raises(warehouse.WarehouseError, match="PID 4242"):
        ingest_sources(
            paths_to_sources([first, second]), db, parsed_dir=None, quarantine_dir=tmp_path / "q",
            on_file=lambda result: done.append(result.status),
        )
    monkeypatch.undo()
    assert done == ["loaded"]
    assert counts(db)["issues"] == 1
    assert scalar(db, "SELECT count(*) FROM ingest_errors") == 0
    assert not (tmp_path / "q").exists()
