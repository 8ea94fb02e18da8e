"""``gazette ingest``: parse and load files or folders, in-process or through the Prefect flow.

Which one (``choose_mode``): the Prefect flow (``flows.ingest_paths``, a run in the
Prefect UI) when a Prefect API is there to record it — PREFECT_API_URL is set, or a
`gazette serve` is running (it announces its server in PREFECT_HOME, see
``pipeline.commands.serve.running_serve_url``) — and otherwise the same stage
functions in this process (``pipeline.ingest.ingest_sources``), which costs no
Prefect import and no temporary server.  ``--direct`` forces in-process,
``--flow`` forces the flow (with a temporary server when there is no API).
Both write the run log (``runs``/``run_files``) and print the same summary on
stdout, whose last line says which ran and the run's id.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal, Optional

import typer

from pipeline.commands.common import DbOption, app, errors, fail, print_result, print_totals
from pipeline.commands.progress import IngestProgress
from pipeline.commands.serve import running_serve_url
from pipeline.ingest import (
    DEFAULT_MAX_OCR_PAGES,
    DEFAULT_MAX_PAGE_PIXELS,
    DEFAULT_MAX_PAGES,
    DEFAULT_MAX_PDF_BYTES,
    DEFAULT_MAX_SECONDS,
    DEFAULT_MAX_TEXT_BYTES,
    DEFAULT_OCR,
    DEFAULT_PARSED_DIR,
    DEFAULT_WAIT,
    IngestOptions,
)
from pipeline.read.sources import Found, SourceError, paths_to_found
from pipeline.store import warehouse
from pipeline.store.quarantine import DEFAULT_QUARANTINE_MAX_BYTES

Mode = Literal["in-process", "flow"]
IN_PROCESS_HINT = "set PREFECT_API_URL or run `gazette serve` to record runs in Prefect"


def choose_mode(direct: bool, flow: bool) -> Mode:
    """--direct / --flow when given; otherwise the flow only when a Prefect API is configured or
    a `gazette serve` is running (then PREFECT_API_URL is set to its server for this process)."""
    if direct and flow:
        fail("--direct and --flow exclude each other")
    if direct or flow:
        return "flow" if flow else "in-process"
    if os.environ.get("PREFECT_API_URL"):
        return "flow"
    url = running_serve_url()
    if url:
        os.environ["PREFECT_API_URL"] = url  # before Prefect is imported: it reads its settings once
        return "flow"
    return "in-process"


@app.command()
def ingest(
    # readable=False: an unreadable file is that file's failure (pipeline.read.sources), not a usage error
    paths: list[Path] = typer.Argument(..., help="PDF or text files, or folders of them.", readable=False),
    db: Path = DbOption,
    parsed_dir: Path = typer.Option(DEFAULT_PARSED_DIR, "--parsed-dir", help="Where to write <issue_id>.json."),
    max_pages: int = typer.Option(DEFAULT_MAX_PAGES, "--max-pages", help="Refuse PDFs with more pages than this."),
    direct: bool = typer.Option(
        False, "--direct", envvar="GAZETTE_DIRECT",
        help="Run the stages in this process, even when a Prefect API is configured.",
    ),
    flow: bool = typer.Option(
        False, "--flow", help="Run the Prefect flow even with no Prefect API configured (starts a temporary server, 7–15 s).",
    ),
    task_runner: str = typer.Option("threads", "--task-runner", help="threads, processes, or dask (Prefect flow only)."),
    dask_address: Optional[str] = typer.Option(None, "--dask-address", help="Scheduler of an existing Dask cluster, tcp://host:8786."),
    wait: float = typer.Option(DEFAULT_WAIT, "--wait", help="Seconds to wait for another process holding the warehouse."),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="Try again files quarantined by an earlier failure."),
    quarantine_dir: Optional[Path] = typer.Option(
        None, "--quarantine-dir", help="Where copies of bad files are kept (default: quarantine/ beside the warehouse)."),
    ocr: str = typer.Option(
        DEFAULT_OCR, "--ocr", envvar="GAZETTE_OCR",
        help="OCR for PDF pages: auto (pages without a usable text layer), always, or never.",
    ),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Threads or processes for parsing (Prefect flow only; default: cores - 1 threads)."),
    strict: bool = typer.Option(
        False, "--strict", help="Exit non-zero when the self-check raised an error-level finding on a loaded file (see `gazette check`)."),
    max_page_pixels: int = typer.Option(DEFAULT_MAX_PAGE_PIXELS, "--max-page-pixels", min=1,
                                        help="Refuse a PDF with a page whose OCR image would exceed this many pixels."),
    max_ocr_pages: int = typer.Option(DEFAULT_MAX_OCR_PAGES, "--max-ocr-pages", min=0,
                                      help="Refuse a PDF with more pages needing OCR than this."),
    max_text_bytes: int = typer.Option(DEFAULT_MAX_TEXT_BYTES, "--max-text-bytes", min=1, help="Refuse larger .txt files."),
    max_pdf_bytes: int = typer.Option(DEFAULT_MAX_PDF_BYTES, "--max-pdf-bytes", min=1, help="Refuse larger .pdf files."),
    max_seconds: float = typer.Option(DEFAULT_MAX_SECONDS, "--max-seconds", min=1,
                                      help="Stop work on a file after this many seconds (checked between pages)."),
    quarantine_max_bytes: int = typer.Option(DEFAULT_QUARANTINE_MAX_BYTES, "--quarantine-max-bytes", min=0,
                                             help="Bytes of copies kept in the quarantine folder; the oldest go first."),
) -> None:
    """Parse and load gazette issues (or single documents) into the warehouse.

    Runs the Prefect flow (recorded in the Prefect UI) when PREFECT_API_URL is
    set or a `gazette serve` is running; otherwise runs the same stages in this
    process, without Prefect.  --direct and --flow force one or the other.
    Either way the run is recorded in the runs and run_files tables.

    A bad file gets one line on stderr and a row in the ingest_errors table,
    and is skipped on later runs (quarantined) until --retry-failed."""
    mode = choose_mode(direct, flow)
    if mode == "flow":  # the flow reads and extracts in its own tasks: the CLI's ahead child is not needed
        from pipeline import ahead

        ahead.discard()
    if task_runner not in ("threads", "processes", "dask"):
        fail(f"unknown task runner {task_runner!r}: use threads, processes or dask")
    try:
        options = IngestOptions(parsed_dir=parsed_dir, max_pages=max_pages, ocr=ocr.strip().lower(), retry_failed=retry_failed,
                                quarantine_dir=quarantine_dir, wait=wait, max_page_pixels=max_page_pixels,
                                max_ocr_pages=max_ocr_pages, max_text_bytes=max_text_bytes, max_pdf_bytes=max_pdf_bytes,
                                max_seconds=max_seconds, quarantine_max_bytes=quarantine_max_bytes)
    except ValueError as error:
        fail(f"--ocr: {error}")
    try:
        found = paths_to_found(paths)
    except SourceError as error:
        fail(str(error))
    if not found.sources and not found.faults:
        fail("no .pdf or .txt files found in " + ", ".join(str(p) for p in paths))
    try:
        with IngestProgress(len(found.sources) + len(found.faults), errors) as progress:
            if mode == "in-process":
                results, note = _ingest_in_process(found, db, options, progress)
            else:
                results, note = _ingest_flow(paths, db, options, task_runner, dask_address, workers, progress)
    except warehouse.WarehouseError as error:
        fail(str(error))
    print_totals(db, wait, note)
    if any(result.status == "failed" for result in results):
        raise typer.Exit(1)
    if strict and any(result.finding_errors for result in results):
        errors.print("--strict: the self-check raised error-level findings (`gazette check` lists them)", highlight=False)
        raise typer.Exit(2)


def _ingest_in_process(found: Found, db: Path, options: IngestOptions, progress: IngestProgress) -> tuple[list, str]:
    from dataclasses import replace

    from pipeline.ingest import ingest_sources

    def advance(result) -> None:
        progress.file_done(result)
        print_result(result)  # as it happens: a run stopped by a busy warehouse still shows what it did

    report = ingest_sources(found.sources, db, replace(options, on_page=progress.page_done, on_index=progress.index_started),
                            on_file=advance, faults=found.faults)
    return report.results, f"in-process run {report.run_id}; {IN_PROCESS_HINT}"


def _ingest_flow(paths: list[Path], db: Path, options: IngestOptions, runner: str, address: str | None,
                 workers: int | None, progress: IngestProgress) -> tuple[list, str]:
    # Prefect's console log repeats, per task, what the summary below says; its run history keeps it all.
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    import flows

    flow = flows.with_runner(flows.ingest_paths, runner, address, workers)
    with flows.command_settings(), flows.reporting(on_file=progress.file_done, on_page=progress.page_done,
                                                       on_index=progress.index_started):
        report = flow(paths=list(paths), db=db, parsed_dir=options.parsed_dir, max_pages=options.max_pages, ocr=options.ocr,
                      wait=options.wait, retry_failed=options.retry_failed, quarantine_dir=options.quarantine_dir,
                      max_page_pixels=options.max_page_pixels, max_ocr_pages=options.max_ocr_pages,
                      max_text_bytes=options.max_text_bytes, max_pdf_bytes=options.max_pdf_bytes,
                      max_seconds=options.max_seconds, quarantine_max_bytes=options.quarantine_max_bytes)
    progress.stop()  # the summary below, in input order like the in-process one, after the bar is gone
    for result in report.results:
        print_result(result)
    api = os.environ.get("PREFECT_API_URL")
    return report.results, f"Prefect flow run {report.run_id}" + (f" at {api.removesuffix('/api')}" if api else ", temporary server")
