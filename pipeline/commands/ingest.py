"""``gazette ingest``: parse and load files or folders, through the Prefect flow or in-process (--direct)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pipeline.commands.common import DbOption, app, errors, fail, print_result, print_totals
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


@app.command()
def ingest(
    # readable=False: an unreadable file is that file's failure (pipeline.read.sources), not a usage error
    paths: list[Path] = typer.Argument(..., help="PDF or text files, or folders of them.", readable=False),
    db: Path = DbOption,
    parsed_dir: Path = typer.Option(DEFAULT_PARSED_DIR, "--parsed-dir", help="Where to write <issue_id>.json."),
    max_pages: int = typer.Option(DEFAULT_MAX_PAGES, "--max-pages", help="Refuse PDFs with more pages than this."),
    direct: bool = typer.Option(
        False, "--direct", envvar="GAZETTE_DIRECT",
        help="Run the stages in this process without Prefect (no run log, no temporary server).",
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
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Threads or processes for parsing (default: cores - 1 threads)."),
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
    """Parse and load gazette issues (or single documents) into the warehouse, through the Prefect flow.

    A bad file gets one line on stderr and a row in the ingest_errors table,
    and is skipped on later runs (quarantined) until --retry-failed."""
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
        if direct:  # each file's line is printed as it finishes
            results = _ingest_direct(found, db, options)
        else:
            results = _ingest_flow(paths, db, options, task_runner, dask_address, workers)
            for result in results:
                print_result(result)
    except warehouse.WarehouseError as error:
        fail(str(error))
    print_totals(db, wait)
    if any(result.status == "failed" for result in results):
        raise typer.Exit(1)


def _ingest_direct(found: Found, db: Path, options: IngestOptions) -> list:
    from pipeline.ingest import ingest_sources

    with Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=errors, transient=True, disable=len(found.sources) < 2,
    ) as progress:
        task = progress.add_task("ingesting", total=len(found.sources) + len(found.faults))

        def advance(result) -> None:
            progress.update(task, advance=1, description=f"ingesting {result.path.name}")
            print_result(result)  # as it happens: a run stopped by a busy warehouse still shows what it did

        return ingest_sources(found.sources, db, options, on_file=advance, faults=found.faults).results


def _ingest_flow(paths: list[Path], db: Path, options: IngestOptions, runner: str, address: str | None,
                 workers: int | None = None) -> list:
    # Prefect's console log repeats, per task, what the summary below says; its run history keeps it all.
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    import flows

    if runner not in ("threads", "processes", "dask"):
        fail(f"unknown task runner {runner!r}: use threads, processes or dask")
    flow = flows.with_runner(flows.ingest_paths, runner, address, workers)
    with flows.command_settings():
        report = flow(paths=list(paths), db=db, parsed_dir=options.parsed_dir, max_pages=options.max_pages, ocr=options.ocr,
                      wait=options.wait, retry_failed=options.retry_failed, quarantine_dir=options.quarantine_dir,
                      max_page_pixels=options.max_page_pixels, max_ocr_pages=options.max_ocr_pages,
                      max_text_bytes=options.max_text_bytes, max_pdf_bytes=options.max_pdf_bytes,
                      max_seconds=options.max_seconds, quarantine_max_bytes=options.quarantine_max_bytes)
    # On stderr: stdout carries the same summary as --direct, so the two can be compared or parsed alike.
    errors.print(f"run {report.run_id} (see `gazette sql \"SELECT * FROM run_files WHERE run_id = '{report.run_id}'\"`)",
                 highlight=False, soft_wrap=True)
    return report.results
