"""Prefect 3 flows over the pipeline's plain stage functions.

    ingest_paths(paths)        files or folders → find (sha256) → skip unchanged → per chunk of files:
                               parse → extract → write (concurrent, on the task runner) → load (serial)
                               → rebuild the search index once, if anything was loaded
    ingest_folder(root)        ingest_paths([root]); the flow `gazette serve` schedules
    ingest_issue(path)         one file, the same tasks
    fetch_new_issues(source)   download what a source file lists (pipeline.read.fetch), then ingest it
    scheduled_ingest(...)      fetch (when a source file is given) and ingest the folder

Every per-file step is the one driver's (pipeline/ingest.py: ``triage``, the
``STAGES`` open → read → extract → write, ``load_item``, ``settle``), the same
functions ``gazette ingest --direct`` runs in-process; downloads are
``pipeline.read.fetch``.  This module only wraps them as tasks and wires them.  Each file stage is one task run over a
chunk of files (pipeline.batch), a file's failure kept on its item, because
Prefect's cost per task run (its engine's bookkeeping and its server's
recording of each state) outweighed parsing a small issue.  Parsing and extraction of several chunks
run concurrently on the flow's task runner (threads by default; a Dask
cluster with ``task_runner="dask"``); loading runs in the flow's own thread
on one DuckDB connection, so the warehouse has exactly one writer.  Unchanged
files (sha256 already in ``issues``) are skipped before parsing: that is the
cache.  Each run writes a row to ``runs`` and one per file to ``run_files``.

Prefect's state lives in ``./.prefect`` (PREFECT_HOME) and telemetry is off,
unless the environment says otherwise; both are set before Prefect is imported.
With no PREFECT_API_URL, Prefect starts a temporary local server once per
process (7–15 s here), so a command pays it once, not once per file.
"""

from __future__ import annotations

import os
from pathlib import Path

# Before `import prefect`: Prefect reads its settings once, at import.
os.environ.setdefault("PREFECT_HOME", str(Path.cwd() / ".prefect"))
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")

import json  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass, field, replace  # noqa: E402
from typing import Literal  # noqa: E402

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.futures import as_completed  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402
from prefect.utilities.annotations import opaque, quote  # noqa: E402

from pipeline import batch  # noqa: E402
from pipeline.batch import Item  # noqa: E402
from pipeline.children import die_with_parent  # noqa: E402
from pipeline.ingest import (  # noqa: E402
    DEFAULT_MAX_OCR_PAGES,
    DEFAULT_MAX_PAGE_PIXELS,
    DEFAULT_MAX_PAGES,
    DEFAULT_MAX_PDF_BYTES,
    DEFAULT_MAX_SECONDS,
    DEFAULT_MAX_TEXT_BYTES,
    DEFAULT_OCR,
    DEFAULT_PARSED_DIR,
    DEFAULT_WAIT,
    PARSE_STAGES,
    FileCallback,
    FileResult,
    IndexCallback,
    IngestOptions,
    PageCallback,
    extract_item,
    load_item,
    record_fault,
    run_stages,
    settle,
    triage,
    write_item,
)
from pipeline.read import fetch as fetching  # noqa: E402
from pipeline.read.ocr_modes import OcrMode  # noqa: E402 - a real import: Prefect validates the flow's parameters against it
from pipeline.read.sources import Found, SourceError, SourceFault, SourceFile, paths_to_found  # noqa: E402
from pipeline.store import quarantine, runlog, warehouse  # noqa: E402

DEFAULT_RAW_DIR = Path("data/raw")
DEFAULT_RETRIES = 2
DEFAULT_RETRY_DELAY = 2  # seconds; the warehouse lock or a flaky server usually clears quickly
TaskRunnerKind = Literal["threads", "processes", "dask"]


# ---------------------------------------------------------------------------
# Retry policy: retry what may pass (I/O, a locked warehouse, a flaky server),
# not what will fail the same way again (a file that does not parse).


def is_transient(error: BaseException) -> bool:
    if isinstance(error, fetching.TransientFetchError):
        return True
    if isinstance(error, (fetching.FetchError, SourceError, FileNotFoundError, IsADirectoryError, PermissionError)):
        return False
    if isinstance(error, warehouse.WarehouseError):
        return "another process" in str(error)
    if isinstance(error, OSError):
        return True
    try:
        import duckdb

        return isinstance(error, duckdb.IOException)
    except ImportError:  # pragma: no cover
        return False


def _retry_if_transient(task, task_run, state) -> bool:
    try:
        state.result()
    except Exception as error:  # noqa: BLE001 - we classify whatever the task raised
        return is_transient(error)
    return False


def _stage_task(name: str, **options):
    return task(
        name=name, retries=DEFAULT_RETRIES, retry_delay_seconds=DEFAULT_RETRY_DELAY,
        retry_condition_fn=_retry_if_transient, cache_policy=NO_CACHE, **options,
    )


# ---------------------------------------------------------------------------
# Tasks: each one calls one plain function.


@_stage_task("find")
def find_sources(paths: list[Path]) -> Found:
    return paths_to_found(paths)


# The file stages run over a chunk of files each (pipeline.batch): one task run per chunk,
# not per file, so Prefect's fixed cost per task run is shared by the chunk's files.


def _reraise():
    """While the task has retries left, transient errors propagate (Prefect retries the chunk);
    on its last attempt they are recorded on the file like any other error."""
    from prefect.context import TaskRunContext

    context = TaskRunContext.get()
    if context is None:  # called as a plain function (task.fn)
        return None
    return is_transient if context.task_run.run_count <= context.task.retries else None


@_stage_task("parse")
def parse(items: list[Item], options: IngestOptions) -> list[Item]:
    return run_stages(items, PARSE_STAGES, options, reraise=_reraise())


@_stage_task("extract")
def extract(items: list[Item], options: IngestOptions) -> list[Item]:
    return run_stages(items, [("extract", extract_item)], options, reraise=_reraise())


@_stage_task("write")
def write(items: list[Item], options: IngestOptions) -> list[Item]:
    return run_stages(items, [("write", write_item)], options, reraise=_reraise())


@_stage_task("load")
def load(con, items: list[Item], done: dict) -> list[Item]:
    """Each issue in its own transaction; ``done`` keeps what an earlier attempt loaded."""
    return batch.map_stage(items, "load", lambda item: load_item(con, item), reraise=_reraise(), done=done)


@_stage_task("index")
def index(con) -> int:
    from pipeline.store.search_index import rebuild_index

    return rebuild_index(con, on_start=_LISTENERS.on_index)


@_stage_task("list-source")
def list_source(source: fetching.SourceConfig, timeout: float, user_agent: str) -> list[fetching.RemoteFile]:
    with fetching.make_client(timeout, user_agent) as client:
        return fetching.list_source(source, client)


@_stage_task("download")
def download(remote: fetching.RemoteFile, dest: Path, timeout: float, user_agent: str, max_bytes: int,
             force: bool = False) -> fetching.DownloadResult:
    with fetching.make_client(timeout, user_agent) as client:
        return fetching.download(remote, fetching.remote_to_path(remote, dest), client, max_bytes=max_bytes, force=force)


# ---------------------------------------------------------------------------
# Wiring shared by the flows (runs inside a flow, submits tasks, holds no stage logic)


@dataclass
class FlowReport:
    run_id: str
    results: list[FileResult] = field(default_factory=list)
    downloads: list[fetching.DownloadResult] = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]


def _run_context(parameters: dict, task_runner: str) -> runlog.RunRecord:
    from prefect.runtime import deployment, flow_run

    run_id = str(flow_run.id or uuid.uuid4())
    return runlog.RunRecord(
        run_id=run_id, flow=flow_run.flow_name, parameters=parameters, task_runner=task_runner,
        deployment=deployment.name,
    )


def _describe_runner() -> str:
    from prefect.context import FlowRunContext

    runner = FlowRunContext.get().task_runner
    name = type(runner).__name__
    if name == "DaskTaskRunner":
        return f"dask {getattr(runner, 'address', None) or 'local cluster'}"
    return {"ThreadPoolTaskRunner": "threads", "ProcessPoolTaskRunner": "processes"}.get(name, name)


def _workers() -> int:
    """How many tasks the flow's task runner runs at once (to size the chunks)."""
    from prefect.context import FlowRunContext

    runner = FlowRunContext.get().task_runner
    threads = getattr(runner, "_max_workers", None)  # ThreadPoolTaskRunner, ProcessPoolTaskRunner
    if isinstance(threads, int) and 0 < threads < 4096:
        return threads
    try:  # DaskTaskRunner: the cluster's threads
        return max(1, sum(runner._client.nthreads().values()))
    except Exception:  # noqa: BLE001 - not started, or another runner: guess from this machine
        return os.cpu_count() or 2


def _run_file(item: Item, result: FileResult) -> runlog.RunFile:
    return runlog.RunFile("ingest", str(item.source.path), result.status, sha256=item.source.sha256,
                          issue_id=result.issue_id, stage=result.stage, error=result.error,
                          bytes=item.source.size, seconds=round(item.seconds, 4) if item.seconds else None)


# ---------------------------------------------------------------------------
# Progress: a command running a flow in its own process (`gazette ingest`) follows it here.
# Not flow parameters: those go to the Prefect server, and a callback is not data.


@dataclass
class Listeners:
    on_file: FileCallback | None = None  # each file as it is settled (skipped ones at triage)
    on_page: PageCallback | None = None  # PDF pages read and recognised (thread task runner only)
    on_index: IndexCallback | None = None  # issues the search index update is about to index


_LISTENERS = Listeners()


@contextmanager
def reporting(on_file: FileCallback | None = None, on_page: PageCallback | None = None,
              on_index: IndexCallback | None = None):
    """Call ``on_file``/``on_page``/``on_index`` for the flow runs started in this process during the block."""
    global _LISTENERS
    before, _LISTENERS = _LISTENERS, Listeners(on_file, on_page, on_index)
    try:
        yield
    finally:
        _LISTENERS = before


def _with_listeners(options: IngestOptions) -> IngestOptions:
    """The page listener rides on the options to the stages when they run in this process's
    threads; process and Dask workers would get a copy that reports to nobody."""
    if _LISTENERS.on_page is None or _describe_runner() != "threads":
        return options
    return replace(options, on_page=_LISTENERS.on_page)


def _ingest_sources(con, run: runlog.RunRecord, sources: list[SourceFile], options: IngestOptions) -> list[FileResult]:
    """triage each file; parse/extract/write chunks of files concurrently; load each chunk as it
    is ready, one at a time, and settle its files; rebuild the search index once if anything loaded."""
    outcomes: dict[Path, tuple[FileResult, runlog.RunFile]] = {}
    todo = []
    notify = _LISTENERS.on_file or (lambda result: None)
    for source in sources:
        done = triage(con, source, retry_failed=options.retry_failed, options=options)
        if done is None:
            todo.append(Item(source))
        else:
            outcomes[source.path] = (done, replace(_run_file(Item(source), done), status="skipped"))
            notify(done)
    for item in _staged_and_loaded(con, todo, _with_listeners(options)):
        result = settle(con, item, quarantine_dir=options.quarantine_dir, quarantine_max_bytes=options.quarantine_max_bytes)
        outcomes[item.source.path] = (result, _run_file(item, result))
        notify(result)
    ordered = [outcomes[source.path] for source in sources]  # report in input order
    run.files += [record for _, record in ordered]
    if any(result.status in ("loaded", "replaced") for result, _ in ordered):
        indexed = _outcome(index(quote(con), return_state=True))
        if isinstance(indexed, BaseException):  # the loads stand; search lags until the next rebuild
            run.files.append(runlog.RunFile("index", str(run.parameters.get("db")), "failed", stage="index",
                                            error=batch.error_line(indexed)))
    return [result for result, _ in ordered]


def _staged_and_loaded(con, todo: list[Item], options: IngestOptions) -> Iterator[Item]:
    """Submit parse → extract → write per chunk (stage by stage, not chunk by chunk: a pool worker
    given extract(i) before parse(i+1) would sit waiting on its upstream while the next parse
    queues behind it); load chunks in the order they finish, one at a time; yield their items."""
    chunks = batch.chunk(todo, batch.chunk_size(len(todo), _workers()))
    handoff = _handoff()
    parsed = [parse.submit(items, options) for items in chunks]
    extracted = [extract.submit(handoff(future), options) for future in parsed]
    written = [write.submit(handoff(future), options) for future in extracted]
    chains = {w: (items, {"parse": p, "extract": e, "write": w}) for items, p, e, w in
              zip(chunks, parsed, extracted, written, strict=True)}
    for future in as_completed(list(chains)):
        items, upstream = chains[future]
        ready = _outcome(future)
        if isinstance(ready, BaseException):
            ready = _chunk_failed(items, upstream)
        else:
            loaded = _outcome(load(quote(con), opaque(future), quote({}), return_state=True))
            ready = _chunk_failed(items, {"load": loaded}) if isinstance(loaded, BaseException) else loaded
        yield from ready


def _outcome(future_or_state):
    """A task's result, or the exception it ended with (also for an upstream that never ran)."""
    try:
        return future_or_state.result()
    except Exception as error:  # noqa: BLE001 - the caller records it against the chunk's files
        return error


def _handoff():
    """How a chunk's result is passed to its next stage.  opaque(): resolved, but Prefect does not
    walk every issue inside it looking for futures (that walk cost more than the stage's own work
    per small issue).  Not on Dask: prefect-dask swaps the future inside the annotation for a Dask
    future, and Dask then hands the task a bare tuple; there the walk happens on the workers."""
    from prefect.context import FlowRunContext

    on_dask = type(FlowRunContext.get().task_runner).__name__ == "DaskTaskRunner"
    return (lambda future: future) if on_dask else opaque


def _chunk_failed(items: list[Item], stages: dict) -> list[Item]:
    """A chunk's task itself failed (not one file in it): every file of the chunk failed at the
    first stage whose task failed.  ``stages`` maps stage names to futures or to an exception."""
    for stage, outcome in stages.items():
        if not isinstance(outcome, BaseException):
            outcome = _outcome(outcome)
        if isinstance(outcome, BaseException):
            return [replace(item, stage=stage, error=batch.error_line(outcome)) for item in items]
    raise AssertionError("_chunk_failed called for a chunk with no failed stage")


def _find(paths: list[Path], run: runlog.RunRecord) -> Found:
    """Find and fingerprint inputs.  An unreadable file is a fault of its own (the caller records
    it); a path that does not exist is recorded in the run here; the rest go on."""
    state = find_sources(paths, return_state=True)
    found = state.result(raise_on_failure=False)
    if not isinstance(found, BaseException):
        return found
    found = Found()  # a path failed as a whole: take the paths one by one to find it
    for path in paths:
        try:
            found += paths_to_found([path])
        except SourceError as error:
            run.files.append(runlog.RunFile("ingest", str(path), "failed", stage="find", error=batch.error_line(error)))
    return found


def _record_faults(con, run: runlog.RunRecord, faults: list[SourceFault]) -> list[FileResult]:
    """Each unreadable file gets its ingest_errors row and its line in the run."""
    results = [record_fault(con, fault) for fault in faults]
    run.files += [runlog.RunFile("ingest", str(r.path), r.status, stage=r.stage, error=r.error, bytes=f.size)
                  for r, f in zip(results, faults, strict=True)]
    return results


def _run(parameters: dict, db: Path, *, fetch=None, ingest=None, wait: float = DEFAULT_WAIT) -> FlowReport:
    """Record the run's start; ``fetch(run)`` (no warehouse lock held while downloading);
    then open the one writer for ``ingest(con, run, report)``; record the end."""
    run = _run_context(parameters, _describe_runner())
    con = warehouse.connect(db, wait=wait)
    try:
        runlog.start_run(con, run)
        report = FlowReport(run.run_id)
        if fetch is not None:
            warehouse.close(con)  # analysts keep read access while files come in
            report.downloads = fetch(run)
            con = warehouse.connect(db, wait=wait)
        if ingest is not None:
            report.results = ingest(con, run, report)
        report.counts = runlog.finish_run(con, run)
    finally:
        warehouse.close(con)
    return report


def _ingest_step(paths_of, options: IngestOptions):
    """The ingest part of a run: find the files ``paths_of(report)`` names, then _ingest_sources."""

    def step(con, run, report):
        paths = paths_of(report)
        found = _find(paths, run) if paths else Found()
        not_found = [FileResult(path=Path(f.path), status="failed", error=f.error, stage=f.stage)
                     for f in run.files if f.stage == "find"]
        unreadable = _record_faults(con, run, found.faults)
        return not_found + unreadable + _ingest_sources(con, run, found.sources, options)

    return step


# ---------------------------------------------------------------------------
# Flows


def default_workers() -> int:
    """Threads for parsing and extraction: one per core, less the core the loader (the flow's own
    thread, tokenising for search) keeps busy.  The stages are pure Python, so threads interleave
    under the GIL rather than run in parallel: on 2 cores a second parsing thread only added
    contention (benchmarks/bench_flows.py --workers 2).  Parallel parsing is what
    ``processes`` or ``dask`` are for."""
    return max(1, (os.cpu_count() or 2) - 1)


def _default_runner() -> ThreadPoolTaskRunner:
    return ThreadPoolTaskRunner(max_workers=default_workers())


@flow(name="ingest-paths", task_runner=_default_runner())
def ingest_paths(
    paths: list[Path],
    db: Path = warehouse.DEFAULT_DB,
    parsed_dir: Path | None = DEFAULT_PARSED_DIR,
    max_pages: int | None = DEFAULT_MAX_PAGES,
    wait: float = DEFAULT_WAIT,
    retry_failed: bool = False,
    quarantine_dir: Path | None = None,
    ocr: OcrMode = DEFAULT_OCR,
    max_page_pixels: int | None = DEFAULT_MAX_PAGE_PIXELS,
    max_ocr_pages: int | None = DEFAULT_MAX_OCR_PAGES,
    max_text_bytes: int | None = DEFAULT_MAX_TEXT_BYTES,
    max_pdf_bytes: int | None = DEFAULT_MAX_PDF_BYTES,
    max_seconds: float | None = DEFAULT_MAX_SECONDS,
    quarantine_max_bytes: int | None = quarantine.DEFAULT_QUARANTINE_MAX_BYTES,
) -> FlowReport:
    """Ingest files or folders: new or changed files are parsed and loaded, unchanged ones skipped;
    files quarantined by an earlier failure are skipped unless ``retry_failed``.  The parameters
    are pipeline.ingest.IngestOptions, spelled out so a deployment can set them."""
    options = IngestOptions(parsed_dir=parsed_dir, max_pages=max_pages, ocr=ocr, retry_failed=retry_failed,
                            quarantine_dir=quarantine_dir, wait=wait, max_page_pixels=max_page_pixels,
                            max_ocr_pages=max_ocr_pages, max_text_bytes=max_text_bytes, max_pdf_bytes=max_pdf_bytes,
                            max_seconds=max_seconds, quarantine_max_bytes=quarantine_max_bytes)
    parameters = {"paths": [str(p) for p in paths], "db": str(db), "parsed_dir": str(parsed_dir)}
    step = _ingest_step(lambda report: [Path(p) for p in paths], options)
    return _run(parameters, db, ingest=step, wait=wait)


@flow(name="ingest-folder", task_runner=_default_runner())
def ingest_folder(root: Path = DEFAULT_RAW_DIR, db: Path = warehouse.DEFAULT_DB,
                  parsed_dir: Path | None = DEFAULT_PARSED_DIR) -> FlowReport:
    """Ingest every new or changed .pdf/.txt under ``root`` (sha256 decides)."""
    return ingest_paths.fn([Path(root)], db=db, parsed_dir=parsed_dir)


@flow(name="ingest-issue", task_runner=_default_runner())
def ingest_issue(path: Path, db: Path = warehouse.DEFAULT_DB,
                 parsed_dir: Path | None = DEFAULT_PARSED_DIR) -> FlowReport:
    """Ingest one file: parse → extract → write → load, each a task with retries on transient errors."""
    return ingest_paths.fn([Path(path)], db=db, parsed_dir=parsed_dir)


def _fetch_step(config: fetching.SourceFileConfig, dest: Path, force: bool):
    """List every source, download concurrently, record each download in the run."""

    def step(run: runlog.RunRecord) -> list[fetching.DownloadResult]:
        listings = [(s, list_source.submit(s, config.timeout, config.user_agent)) for s in config.source]
        downloads, results = [], []
        for source, listing in listings:
            remotes = listing.result(raise_on_failure=False)
            if isinstance(remotes, BaseException):
                results.append(fetching.DownloadResult(source.index or source.gazette, dest, "failed", error=batch.error_line(remotes)))
                run.files.append(runlog.RunFile("fetch", str(dest / source.gazette), "failed", url=source.index,
                                                stage="list", error=batch.error_line(remotes)))
                continue
            for remote in remotes:
                future = download.submit(remote, dest, config.timeout, config.user_agent, config.max_bytes, force)
                downloads.append((remote, future, time.perf_counter()))
        for remote, future, began in downloads:
            outcome = future.result(raise_on_failure=False)
            path = fetching.remote_to_path(remote, dest)
            if isinstance(outcome, BaseException):
                outcome = fetching.DownloadResult(remote.url, path, "failed", error=batch.error_line(outcome))
            results.append(outcome)
            run.files.append(runlog.RunFile(
                "fetch", str(path), outcome.status, url=remote.url, stage="download" if outcome.error else None,
                error=outcome.error, bytes=outcome.bytes or None, seconds=round(time.perf_counter() - began, 4),
            ))
        return results

    return step


def _downloaded(report: FlowReport) -> list[Path]:
    return [d.path for d in report.downloads if d.status != "failed"]


@flow(name="fetch-new-issues", task_runner=_default_runner())
def fetch_new_issues(
    source: Path,
    dest: Path = DEFAULT_RAW_DIR,
    db: Path = warehouse.DEFAULT_DB,
    parsed_dir: Path | None = DEFAULT_PARSED_DIR,
    ingest: bool = True,
    force: bool = False,
) -> FlowReport:
    """Download the issues a source file lists into dest/<gazette>/<year>/, then ingest them."""
    config = fetching.load_source_file(Path(source))
    parameters = {"source": str(source), "dest": str(dest), "db": str(db), "ingest": ingest, "force": force}
    step = _ingest_step(_downloaded, IngestOptions(parsed_dir=parsed_dir)) if ingest else None
    return _run(parameters, db, fetch=_fetch_step(config, Path(dest), force), ingest=step)


# `gazette serve` fixes the paths its deployment may run with (JSON: parameter → path); a run
# asked for with others (a POST to the API naming another root or db) is refused before any write.
SERVED_PATHS_ENV = "GAZETTE_SERVED_PATHS"


def served_paths(parameters: dict[str, object]) -> str:
    """The value of SERVED_PATHS_ENV for these parameters (paths resolved; None kept)."""
    return json.dumps({name: str(Path(value).resolve()) if value is not None else None
                       for name, value in parameters.items()}, ensure_ascii=False)


def check_served_parameters(parameters: dict[str, object]) -> None:
    """Under `gazette serve`, refuse (ValueError, one line) a run whose paths differ from the
    served ones; elsewhere (SERVED_PATHS_ENV unset) nothing is checked."""
    fixed = os.environ.get(SERVED_PATHS_ENV)
    if not fixed:
        return
    allowed = json.loads(fixed)
    for name, value in parameters.items():
        if name not in allowed:
            continue
        asked = str(Path(value).resolve()) if value is not None else None
        if asked != allowed[name]:
            raise ValueError(f"parameter {name}={value!s} refused: this server runs only with {name}={allowed[name]}")


@flow(name="scheduled-ingest", task_runner=_default_runner())
def scheduled_ingest(
    root: Path = DEFAULT_RAW_DIR,
    source: Path | None = None,
    db: Path = warehouse.DEFAULT_DB,
    parsed_dir: Path | None = DEFAULT_PARSED_DIR,
) -> FlowReport:
    """What `gazette serve` runs on its schedule: fetch what a source file lists into ``root``
    (when one is given), then ingest every new or changed file under ``root``.  Under `gazette
    serve`, only with the paths it was started with (``check_served_parameters``)."""
    check_served_parameters({"root": root, "source": source, "db": db, "parsed_dir": parsed_dir})
    parameters = {"root": str(root), "source": str(source) if source else None, "db": str(db)}
    fetch_step = None
    if source is not None:
        fetch_step = _fetch_step(fetching.load_source_file(Path(source)), Path(root), False)
    step = _ingest_step(lambda report: [Path(root)], IngestOptions(parsed_dir=parsed_dir))
    return _run(parameters, db, fetch=fetch_step, ingest=step)


# ---------------------------------------------------------------------------
# Running a flow from a command


@contextmanager
def command_settings():
    """Settings for one flow run started by a command (``gazette ingest``, the benchmark).

    With no PREFECT_API_URL, the flow reports to a temporary server that lives and dies
    with this process, so flow-run heartbeats (which let a server notice a crashed run)
    can tell nobody anything; and Prefect joins the heartbeat thread at the end of every
    run while it sleeps in 1 s steps, which cost ~1 s per run here.  So: heartbeats off
    for a temporary server, left as configured for a real one (``gazette serve``).
    """
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    if PREFECT_API_URL.value():
        yield
        return
    _temporary_server_dies_with_us()
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


class _SubprocessDyingWithParent:
    """Stands in for the ``subprocess`` module inside ``prefect.server.api.server``, whose
    SubprocessASGIServer starts the temporary server with a plain Popen and offers no hook:
    this Popen adds ``die_with_parent`` (Linux kills the server when the command dies, kill -9
    included; before, each killed `gazette ingest --flow` left its server listening)."""

    def __getattr__(self, name: str):
        return getattr(subprocess, name)

    @staticmethod
    def Popen(*args, **kwargs):  # noqa: N802 - the name it replaces
        kwargs.setdefault("preexec_fn", die_with_parent())
        return subprocess.Popen(*args, **kwargs)


def _temporary_server_dies_with_us() -> None:
    from prefect.server.api import server

    if not isinstance(server.subprocess, _SubprocessDyingWithParent):
        server.subprocess = _SubprocessDyingWithParent()


# ---------------------------------------------------------------------------
# Task runners


def make_task_runner(kind: TaskRunnerKind = "threads", address: str | None = None, workers: int | None = None):
    """threads (one machine, default) | processes (one machine, all cores) | dask (a cluster at ``address``).

    ``dask`` without an address starts a local cluster of threads (processes=False): process
    workers would each start their own temporary Prefect server unless PREFECT_API_URL points
    at a real one.  Workers of a remote cluster need PREFECT_API_URL too, and the project
    installed.
    """
    if kind == "threads":
        return ThreadPoolTaskRunner(max_workers=workers or default_workers())
    if kind == "processes":
        from prefect.task_runners import ProcessPoolTaskRunner

        return ProcessPoolTaskRunner(max_workers=workers)
    if kind == "dask":
        from prefect_dask import DaskTaskRunner

        if address:
            return DaskTaskRunner(address=address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers or 2, "processes": False, "threads_per_worker": 1})
    raise ValueError(f"unknown task runner {kind!r}: use threads, processes or dask")


def with_runner(flow_obj, kind: TaskRunnerKind = "threads", address: str | None = None, workers: int | None = None):
    """``flow_obj`` with its task runner swapped; the flow's code stays the same."""
    if kind == "threads" and not workers:
        return flow_obj
    return flow_obj.with_options(task_runner=make_task_runner(kind, address, workers))

