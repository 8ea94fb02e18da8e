"""``gazette fetch SOURCE``: download the issues a source file lists, then ingest them (Prefect flow)."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from pipeline.commands.common import app, console, errors, fail, print_totals
from pipeline.store import warehouse


@app.command()
def fetch(
    source: Path = typer.Argument(..., help="Source file (TOML): gazettes, index pages, URLs. See README."),
    dest: Path = typer.Option(Path("data/raw"), "--dest", help="Downloads go to DEST/<gazette>/<year>/."),
    db: Path = typer.Option(warehouse.DEFAULT_DB, "--db", help="Warehouse file."),
    ingest: bool = typer.Option(True, "--ingest/--no-ingest", help="Ingest what was downloaded (or already present)."),
    force: bool = typer.Option(False, "--force", help="Download again even when a verified file is present."),
) -> None:
    """Download new gazette issues (resumable, verified PDFs) and ingest them."""
    from pipeline.read.fetch import FetchError, load_source_file

    try:
        load_source_file(source)
    except FetchError as error:
        fail(str(error))
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    import flows

    try:
        with flows.command_settings():
            report = flows.fetch_new_issues(source, dest=dest, db=db, ingest=ingest, force=force)
    except warehouse.WarehouseError as error:
        fail(str(error))
    for item in report.downloads:
        if item.status == "failed":
            errors.print(f"[red]failed[/] {item.url}: {item.error}", highlight=False, soft_wrap=True)
        else:
            console.print(f"{item.status} {item.path} ({item.bytes} bytes)", highlight=False, soft_wrap=True)
    for result in report.results:
        if result.status == "failed":
            errors.print(f"[red]failed[/] {result.path}: {result.error} (stage: {result.stage})", highlight=False)
        else:
            console.print(f"{result.status} {result.path} → {result.issue_id}", highlight=False, soft_wrap=True)
    console.print(f"run {report.run_id}", highlight=False)
    if ingest:
        print_totals(db)
    if report.counts.get("status") == "failed":
        raise typer.Exit(1)
