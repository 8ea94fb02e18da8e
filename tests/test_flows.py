"""The Prefect flows (flows.py): wiring, skipping, concurrency, the one writer, retries, the run log, Dask.

All Prefect tests here share one temporary server (prefect_test_harness, ~11 s,
once for this module, stopped with it).  The pipeline's own tests call the stages directly and
never start Prefect.
"""

from __future__ import annotations

import importlib.util
import shutil
import threading
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLE_TXT

# Hand-written single documents in the shape of a municipal 办法 and a notice (not from any real gazette).
MEASURE_TXT = """某某市人民政府办公室关于印发某某市公共资源交易管理办法的通知
某政办发〔2023〕7号
各县（市、区）人民政府，市直各单位：
《某某市公共资源交易管理办法》已经市人民政府同意，现印发给你们，请认真贯彻执行。
某某市人民政府办公室
2023年3月1日
某某市公共资源交易管理办法
第一章 总 则
第一条 为规范公共资源交易活动，制定本办法。
第二条 本办法适用于本市行政区域内的公共资源交易活动。
第二章 附 则
第三条 本办法自2023年4月1日起施行，有效期五年。
"""

NOTICE_TXT = """某某县人民政府关于做好防汛工作的通知
某政发〔2022〕15号
各乡（镇）人民政府，县直各有关单位：
一、提高认识。各单位要充分认识防汛工作的重要性。
二、落实责任。各乡（镇）要落实防汛责任制。
某某县人民政府
2022年6月1日
"""


@pytest.fixture(scope="module")
def prefect_server():
    """One temporary Prefect server for every flow test (Prefect starts one per process anyway).
    Stopped with this module: while it runs, Prefect's events client pings it over a websocket,
    drawing from the global ``random`` in its own thread, and a ping during a Hypothesis draw in
    a later module (tests/test_fuzz.py) made Hypothesis warn of ``random`` used in strategies."""
    from prefect.testing.utilities import prefect_test_harness

    import flows  # noqa: F401 - sets PREFECT_HOME / DO_NOT_TRACK before Prefect is imported

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def flows(prefect_server):
    import flows as module

    return module


@pytest.fixture
def raw(tmp_path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    shutil.copy(SAMPLE_TXT, folder / SAMPLE_TXT.name)
    (folder / "measure.txt").write_text(MEASURE_TXT, encoding="utf-8")
    return folder


def query(db: Path, sql: str, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def run_ingest(flows, paths, tmp_path, **options):
    return flows.ingest_paths(paths=paths, db=tmp_path / "w.duckdb", parsed_dir=tmp_path / "parsed", **options)


def test_ingest_loads_new_skips_unchanged_and_logs_runs(flows, raw, tmp_path, monkeypatch):
    (raw / "empty.txt").write_bytes(b"")
    report = run_ingest(flows, [raw], tmp_path)
    statuses = {r.path.name: r.status for r in report.results}
    assert statuses == {"empty.txt": "failed", "measure.txt": "loaded", SAMPLE_TXT.name: "loaded"}
    db = tmp_path / "w.duckdb"
    assert query(db, "SELECT count(*) FROM issues")[0][0] == 2
    assert (tmp_path / "parsed" / "忻州市人民政府公报-2024-05.json").exists()
    (run,) = query(db, "SELECT run_id, flow, status, files_seen, files_skipped, files_ingested, files_failed, "
                       "ended_at >= started_at, task_runner FROM runs")
    assert run == (report.run_id, "ingest-paths", "failed", 3, 0, 2, 1, True, "threads")
    failed = query(db, "SELECT path, stage, error FROM run_files WHERE run_id = ? AND status = 'failed'", [report.run_id])
    assert len(failed) == 1 and failed[0][0].endswith("empty.txt") and failed[0][1] == "open"
    assert "empty" in failed[0][2]

    # Second run: unchanged files are skipped without being parsed again, and so is the
    # empty file, quarantined by its failure (pipeline.store.quarantine) until retry_failed.
    parsed_paths = []
    from pipeline import ingest as driver

    real = driver.source_to_preflight  # the first stage every file goes through
    monkeypatch.setattr(driver, "source_to_preflight", lambda source, **kw: parsed_paths.append(source.path.name) or real(source, **kw))
    again = run_ingest(flows, [raw], tmp_path)
    assert parsed_paths == []
    assert {r.path.name: r.status for r in again.results} == {
        "empty.txt": "quarantined", "measure.txt": "skipped", SAMPLE_TXT.name: "skipped"}
    assert query(db, "SELECT files_seen, files_skipped, files_ingested, files_failed FROM runs WHERE run_id = ?",
                 [again.run_id]) == [(3, 3, 0, 0)]
    retried = run_ingest(flows, [raw / "empty.txt"], tmp_path, retry_failed=True)
    assert parsed_paths == ["empty.txt"] and [r.status for r in retried.results] == ["failed"]
    assert query(db, "SELECT stage, error_class, attempts, quarantined FROM ingest_errors") == [("open", "EmptyFileError", 2, True)]
    assert query(db, "SELECT count(*) FROM runs")[0][0] == 3

    # A changed file replaces its issue.
    (raw / "measure.txt").write_text(MEASURE_TXT.replace("有效期五年", "有效期三年"), encoding="utf-8")
    third = run_ingest(flows, [raw / "measure.txt"], tmp_path)
    assert [r.status for r in third.results] == ["replaced"]
    measure = "SELECT count(*) FROM articles WHERE doc_id LIKE 'measure-%' AND text LIKE ?"
    assert query(db, measure, ["%有效期三年%"])[0][0] == 1
    assert query(db, measure, ["%有效期五年%"])[0][0] == 0


def test_flow_loads_what_the_direct_stages_load(flows, raw, tmp_path):
    from pipeline.ingest import ingest_sources
    from pipeline.read.sources import paths_to_sources

    (raw / "notice.txt").write_text(NOTICE_TXT, encoding="utf-8")
    run_ingest(flows, [raw], tmp_path)
    direct_db = tmp_path / "direct.duckdb"
    ingest_sources(paths_to_sources([raw]), direct_db, parsed_dir=None)
    for table in ("issues", "documents", "chapters", "articles", "clauses", "toc_entries"):
        key = {"issues": "issue_id", "toc_entries": "issue_id, seq"}.get(table, "doc_id")
        sql = f"SELECT {key}, count(*) FROM {table} GROUP BY ALL ORDER BY ALL"
        assert query(tmp_path / "w.duckdb", sql) == query(direct_db, sql), table


def test_parsing_is_concurrent_and_loading_has_one_writer(flows, raw, tmp_path, monkeypatch):
    # Two parses must be in progress at once to pass the barrier; a serial runner would break it.
    barrier = threading.Barrier(2, timeout=20)
    from pipeline import ingest as driver

    real_parse = driver.read_source

    def parse_together(source, **kw):
        barrier.wait()
        return real_parse(source, **kw)

    active, peak, lock = [0], [0], threading.Lock()
    real_load = flows.warehouse.load_issue

    def load_alone(con, issue, prebuilt=None):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        try:
            threading.Event().wait(0.05)  # give an overlapping load the chance to show itself
            return real_load(con, issue, prebuilt)
        finally:
            with lock:
                active[0] -= 1

    monkeypatch.setattr(driver, "read_source", parse_together)
    monkeypatch.setattr(flows.warehouse, "load_issue", load_alone)
    flow = flows.with_runner(flows.ingest_paths, "threads", workers=2)  # the default on 3 cores or more
    report = flow(paths=[raw], db=tmp_path / "w.duckdb", parsed_dir=tmp_path / "parsed")
    assert [r.status for r in report.results] == ["loaded", "loaded"]
    assert peak[0] == 1


def test_transient_errors_are_retried_and_parse_errors_are_not(flows, raw, tmp_path, monkeypatch):
    from pipeline import ingest as driver

    calls = {"load": 0, "parse": 0}
    real_load = flows.warehouse.load_issue

    def locked_once(con, issue, prebuilt=None):
        calls["load"] += 1
        if calls["load"] == 1:
            raise flows.warehouse.WarehouseError("w.duckdb: another process is writing to the warehouse; try again")
        return real_load(con, issue, prebuilt)

    def unparseable(source, **kw):
        calls["parse"] += 1
        raise ValueError(f"{source.path}: no documents found")

    monkeypatch.setattr(flows.warehouse, "load_issue", locked_once)
    monkeypatch.setattr(flows, "load", flows.load.with_options(retry_delay_seconds=0))
    report = run_ingest(flows, [raw / "measure.txt"], tmp_path)
    assert [r.status for r in report.results] == ["loaded"] and calls["load"] == 2

    monkeypatch.setattr(driver, "read_source", unparseable)
    report = run_ingest(flows, [raw / SAMPLE_TXT.name], tmp_path)
    assert [(r.status, r.stage) for r in report.results] == [("failed", "read")]
    assert calls["parse"] == 1


def one_chunk(monkeypatch, flows):
    """Every file in one chunk (small test batches would otherwise get a chunk each)."""
    monkeypatch.setattr(flows.batch, "chunk_size", lambda files, workers: max(1, files))


def test_a_retried_chunk_does_not_load_its_files_twice(flows, raw, tmp_path, monkeypatch):
    # measure.txt loads, notice.txt meets a locked warehouse once: the load task is retried,
    # measure.txt is not loaded again (it would come back 'skipped' instead of 'loaded').
    (raw / SAMPLE_TXT.name).unlink()
    (raw / "notice.txt").write_text(NOTICE_TXT, encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    one_chunk(monkeypatch, flows)
    calls = []
    real_load = flows.warehouse.load_issue

    def locked_once(con, issue, prebuilt=None):
        calls.append(issue.issue_id)
        if issue.issue_id.startswith("notice") and calls.count(issue.issue_id) == 1:
            raise flows.warehouse.WarehouseError("w.duckdb: another process is writing to the warehouse; try again")
        return real_load(con, issue, prebuilt)

    monkeypatch.setattr(flows.warehouse, "load_issue", locked_once)
    monkeypatch.setattr(flows, "load", flows.load.with_options(retry_delay_seconds=0))
    report = run_ingest(flows, [raw], tmp_path)
    assert [(r.path.name, r.status, r.stage) for r in report.results] == [
        ("empty.txt", "failed", "open"), ("measure.txt", "loaded", None), ("notice.txt", "loaded", None),
    ]
    assert [c.split("/")[0].rsplit("-", 1)[0] for c in calls] == ["measure", "notice", "notice"]  # id = stem-<folder hash>


def test_a_transient_error_that_outlasts_the_retries_fails_that_file_only(flows, raw, tmp_path, monkeypatch):
    (raw / SAMPLE_TXT.name).unlink()
    (raw / "notice.txt").write_text(NOTICE_TXT, encoding="utf-8")
    one_chunk(monkeypatch, flows)
    calls = []
    real_load = flows.warehouse.load_issue

    def always_locked(con, issue, prebuilt=None):
        calls.append(issue.issue_id.split("/")[0].rsplit("-", 1)[0])  # id = stem-<folder hash>
        if issue.issue_id.startswith("notice"):
            raise flows.warehouse.WarehouseError("w.duckdb: another process is writing to the warehouse; try again")
        return real_load(con, issue, prebuilt)

    monkeypatch.setattr(flows.warehouse, "load_issue", always_locked)
    monkeypatch.setattr(flows, "load", flows.load.with_options(retry_delay_seconds=0))
    report = run_ingest(flows, [raw], tmp_path)
    assert [(r.path.name, r.status, r.stage) for r in report.results] == [
        ("measure.txt", "loaded", None), ("notice.txt", "failed", "load"),
    ]
    assert "another process" in report.results[1].error
    assert calls == ["measure", "notice", "notice", "notice"]  # 1 try + DEFAULT_RETRIES, measure once
    assert query(tmp_path / "w.duckdb", "SELECT status, files_ingested, files_failed FROM runs") == [("failed", 1, 1)]


def test_the_flow_rebuilds_the_search_index_once_per_run_that_loads(flows, raw, tmp_path, monkeypatch):
    from pipeline.analyst import search
    from pipeline.store import search_index, warehouse

    rebuilds = []
    real_rebuild = search_index.rebuild_index
    monkeypatch.setattr(search_index, "rebuild_index",
                        lambda con, **options: rebuilds.append(1) or real_rebuild(con, **options))
    (raw / "notice.txt").write_text(NOTICE_TXT, encoding="utf-8")
    run_ingest(flows, [raw], tmp_path)
    assert rebuilds == [1]  # three issues loaded, one rebuild
    con = warehouse.connect(tmp_path / "w.duckdb", read_only=True)
    try:
        assert search_index.index_is_current(con)
        # 公共资源交易 (whole) is in the hand-written 办法's title and its 第一条/第二条 only
        hits = search.search(con, "公共资源交易", limit=10)
        assert hits and hits[0].doc_id.startswith("measure-")
        assert not search.search(con, "抗旱", limit=10)
    finally:
        con.close()

    run_ingest(flows, [raw], tmp_path)  # nothing new: no rebuild
    assert rebuilds == [1]
    (raw / "notice.txt").write_text(NOTICE_TXT.replace("防汛", "抗旱"), encoding="utf-8")
    run_ingest(flows, [raw / "notice.txt"], tmp_path)  # replaced: rebuilt, and finds the new words
    assert rebuilds == [1, 1]
    con = warehouse.connect(tmp_path / "w.duckdb", read_only=True)
    try:
        assert search_index.index_is_current(con)
        hits = search.search(con, "抗旱", limit=10)
        assert hits and {h.doc_id.split("/")[0].rsplit("-", 1)[0] for h in hits} == {"notice"}
    finally:
        con.close()


def test_the_flow_reports_how_many_issues_the_index_update_takes_in(flows, raw, tmp_path, sample_issue):
    """``reporting(on_index=…)`` hears the update's issue count: this run's load and an earlier,
    never-indexed one (the command says so when there are such issues)."""
    from pipeline.store import warehouse

    con = warehouse.connect(tmp_path / "w.duckdb")
    warehouse.load_issue(con, sample_issue)
    con.close()
    heard = []
    with flows.reporting(on_index=heard.append):
        run_ingest(flows, [raw / "measure.txt"], tmp_path)
    assert heard == [2]


def test_a_failed_search_rebuild_is_logged_and_the_loads_stand(flows, raw, tmp_path, monkeypatch):
    from pipeline.analyst import search
    from pipeline.store import search_index

    def broken(con, **options):
        raise search.SearchError("fts extension not found\ndetails")

    monkeypatch.setattr(search_index, "rebuild_index", broken)
    report = run_ingest(flows, [raw / "measure.txt"], tmp_path)
    assert [r.status for r in report.results] == ["loaded"]
    db = tmp_path / "w.duckdb"
    assert query(db, "SELECT count(*) FROM issues")[0][0] == 1
    assert query(db, "SELECT action, status, stage, error FROM run_files WHERE action = 'index'") == [
        ("index", "failed", "index", "fts extension not found"),
    ]
    assert query(db, "SELECT status, files_ingested, files_failed FROM runs") == [("failed", 1, 0)]


def test_is_transient():
    import flows
    from pipeline.read.fetch import FetchError, TransientFetchError
    from pipeline.store.warehouse import WarehouseError

    assert flows.is_transient(TransientFetchError("x: HTTP 503"))
    assert flows.is_transient(WarehouseError("w: another process is writing to the warehouse"))
    assert flows.is_transient(TimeoutError("read timed out"))
    assert not flows.is_transient(FetchError("x: HTTP 404"))
    assert not flows.is_transient(ValueError("no documents"))
    assert not flows.is_transient(FileNotFoundError("gone"))
    assert not flows.is_transient(WarehouseError("w: cannot open (not a database file)"))


# Dask pickles the task (by value: its name in flows is the Task object, not the function) with
# the globals it uses; a module-level probe is pickled by reference and found again on the worker.
DASK_PROBE: dict = {}


def parse_on_worker(source, **kw):
    from distributed import get_worker

    DASK_PROBE["workers"].add(get_worker().address)
    DASK_PROBE["barrier"].wait()  # both workers parse at once
    return DASK_PROBE["parse"](source, **kw)


def test_dask_cluster_of_two_workers(flows, raw, tmp_path, monkeypatch):
    from distributed import LocalCluster

    from pipeline import ingest as driver

    DASK_PROBE.update(workers=set(), barrier=threading.Barrier(2, timeout=30), parse=driver.read_source)
    monkeypatch.setattr(driver, "read_source", parse_on_worker)
    # Threads, not processes: process workers would each start their own temporary Prefect server.
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp://", host="127.0.0.1",
                      dashboard_address=None) as cluster:
        flow = flows.with_runner(flows.ingest_paths, "dask", cluster.scheduler_address)
        report = flow(paths=[raw], db=tmp_path / "w.duckdb", parsed_dir=tmp_path / "parsed")
    assert [r.status for r in report.results] == ["loaded", "loaded"]
    assert len(DASK_PROBE["workers"]) == 2
    (runner,) = query(tmp_path / "w.duckdb", "SELECT task_runner FROM runs")[0]
    assert runner == f"dask {cluster.scheduler_address}"


# --- fetch + schedule -------------------------------------------------------------


def write_sources(tmp_path, site) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(
        f'timeout = 10\n[[source]]\ngazette = "测试市人民政府公报"\nindex = "{site.url("/zfgb/")}"\n',
        encoding="utf-8",
    )
    return path


def serve_index(site):
    from tests.http_fixture import make_pdf

    site.route("/zfgb/", (
        '<html><body><a href="2024/gb05.pdf">2024年第5期</a> <a href="2024/gb06.pdf">2024年第6期</a>'
        '<a href="about.html">关于</a></body></html>'
    ).encode(), content_type="text/html; charset=utf-8")
    site.route("/zfgb/2024/gb05.pdf", make_pdf(["测试市人民政府公报", "2024年第5期"]))
    site.route("/zfgb/2024/gb06.pdf", b"<html>500 Internal Server Error</html>", content_type="text/html")


def test_fetch_new_issues_downloads_ingests_and_logs(flows, tmp_path, site):
    serve_index(site)
    dest, db = tmp_path / "raw", tmp_path / "w.duckdb"
    report = flows.fetch_new_issues(write_sources(tmp_path, site), dest=dest, db=db, parsed_dir=tmp_path / "parsed")
    assert {(d.path.name, d.status) for d in report.downloads} == {("gb05.pdf", "downloaded"), ("gb06.pdf", "failed")}
    assert (dest / "测试市人民政府公报" / "2024" / "gb05.pdf").exists()
    assert not (dest / "测试市人民政府公报" / "2024" / "gb06.pdf").exists()
    rows = query(db, "SELECT action, status, stage FROM run_files WHERE run_id = ? ORDER BY seq", [report.run_id])
    assert rows[:2] == [("fetch", "downloaded", None), ("fetch", "failed", "download")]
    assert [row[0] for row in rows[2:]] == ["ingest"]  # the good download went on to ingestion
    if importlib.util.find_spec("pipeline.read.pdf") is None:
        assert rows[2][1:] == ("failed", "read")  # no PDF reader on this branch yet: recorded, not raised
    assert query(db, "SELECT downloads_ok, downloads_failed, files_seen, status FROM runs") == [(1, 1, 1, "failed")]


def test_scheduled_ingest_fetches_then_ingests_the_folder_in_one_run(flows, tmp_path, site):
    serve_index(site)
    root, db = tmp_path / "raw", tmp_path / "w.duckdb"
    root.mkdir()
    (root / "measure.txt").write_text(MEASURE_TXT, encoding="utf-8")
    report = flows.scheduled_ingest(root=root, source=write_sources(tmp_path, site), db=db, parsed_dir=tmp_path / "p")
    assert query(db, "SELECT flow, downloads_ok, downloads_failed, files_seen, files_ingested FROM runs") == [
        ("scheduled-ingest", 1, 1, 2, 1 + (importlib.util.find_spec("pipeline.read.pdf") is not None)),
    ]
    assert {r.path.name for r in report.results} == {"measure.txt", "gb05.pdf"}


def test_serve_builds_a_cron_deployment(prefect_server, tmp_path):
    from pipeline.commands.serve import build_deployment

    deployment = build_deployment("0 6 * * *", "Asia/Shanghai", tmp_path / "raw", tmp_path / "s.toml",
                                  tmp_path / "w.duckdb", "gazette-daily")
    (schedule,) = deployment.schedules
    assert schedule.schedule.cron == "0 6 * * *" and schedule.schedule.timezone == "Asia/Shanghai"
    assert deployment.parameters == {"root": str(tmp_path / "raw"), "db": str(tmp_path / "w.duckdb"),
                                     "source": str(tmp_path / "s.toml")}
    assert deployment.entrypoint.endswith("flows.py:scheduled_ingest")


# --- the CLI runs through the flow -------------------------------------------------


def test_cli_ingest_runs_the_flow_and_prints_the_summary(prefect_server, raw, tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    db = tmp_path / "cli.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(raw), "--db", str(db), "--flow", "--parsed-dir", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    assert "loaded" in result.output and "忻州市人民政府公报-2024-05" in result.output
    assert "2 issues" in " ".join(result.output.split())
    (run_id,) = query(db, "SELECT run_id FROM runs")[0]
    assert run_id in result.output

    assert f"(Prefect flow run {run_id}, temporary server)" in " ".join(result.stdout.split())  # the summary says how it ran

    direct_db = tmp_path / "dir.duckdb"  # as long as cli.duckdb, so rich wraps both summaries alike
    direct = CliRunner().invoke(app, ["ingest", str(raw), "--db", str(direct_db), "--direct", "--parsed-dir", str(tmp_path / "p")])
    assert direct.exit_code == 0, direct.output
    # no flow, but the same run log
    assert query(direct_db, "SELECT flow, status FROM runs") == [("ingest-paths (in-process)", "completed")]
    assert "(in-process run " in direct.stdout
    assert query(direct_db, "SELECT count(*) FROM issues")[0][0] == 2
    # Same summary on stdout either way (but for the warehouse's name, and the note on how it ran).
    def summary(out: str, db: Path) -> str:
        return " ".join(out.split()).replace(str(db), "DB").split(" (Prefect flow run ")[0].split(" (in-process run ")[0]

    assert summary(direct.stdout, direct_db) == summary(result.stdout, db)
    assert "DB: 2 issues" in summary(direct.stdout, direct_db)


def test_an_unreadable_file_fails_alone_in_the_flow(flows, raw, tmp_path, monkeypatch):
    """Issue 14 item 2: one unreadable file (simulated: as root chmod 000 does not stop reads)
    gets its failed line, run_files and ingest_errors rows; the others load."""
    import errno

    from pipeline.read import sources

    (raw / "locked.txt").write_text(NOTICE_TXT, encoding="utf-8")
    real = sources.sha256_of

    def sha256_of(path):
        if path.name == "locked.txt":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(sources, "sha256_of", sha256_of)
    report = run_ingest(flows, [raw], tmp_path)
    assert {r.path.name: (r.status, r.stage) for r in report.results} == {
        "locked.txt": ("failed", "find"), "measure.txt": ("loaded", None), SAMPLE_TXT.name: ("loaded", None)}
    db = tmp_path / "w.duckdb"
    assert query(db, "SELECT count(*) FROM issues")[0][0] == 2
    assert query(db, "SELECT stage, error_class, message, quarantined FROM ingest_errors") == [
        ("find", "PermissionError", "cannot read (Permission denied)", False)]
    assert query(db, "SELECT stage FROM run_files WHERE status = 'failed'") == [("find",)]
