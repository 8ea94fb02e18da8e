"""What every ``gazette`` command shares: the typer app, consoles, one-line errors,
a read-only warehouse, and the lines an ingest prints.  Commands import this
module, never ``pipeline.cli`` (which only lists the commands)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from pipeline.store import sealed, warehouse

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn Chinese government gazettes (政府公报) into a DuckDB warehouse, and query it.",
)


@app.callback()
def _group() -> None:
    """No options of its own: it keeps `gazette` a group of commands when ``pipeline.cli``
    has imported only the one command a command line names (typer runs a lone command directly)."""


# Width of the console when stdout is a pipe or a file: wide enough that no value, title or
# summary line is ever cut or wrapped (a table takes only the width its values need).
PIPE_WIDTH = 1_000_000


def _stdout_console() -> Console:
    """The terminal's console; when stdout is not a terminal, one that never cuts or wraps."""
    terminal = Console()
    return terminal if terminal.is_terminal else Console(width=PIPE_WIDTH, soft_wrap=True)


console = _stdout_console()
errors = Console(stderr=True)

DbOption = typer.Option(warehouse.DEFAULT_DB, "--db", help="Warehouse file.")
# pipeline.ingest.DEFAULT_WAIT (tests/test_startup.py checks they agree), written here so that
# `gazette sql` need not import the ingest driver and what it imports just for this number.
INGEST_WAIT = 30.0
WaitOption = typer.Option(
    INGEST_WAIT, "--wait", min=0,
    help="Seconds to wait for an ingest holding the warehouse (as `gazette ingest --wait`).")


def fail(message: str, code: int = 1) -> None:
    errors.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def open_readonly(db: Path, *, wait: float = 0.0):
    """A read-only connection to the warehouse, or a one-line error and exit.  Not sealed: for
    commands that write files through DuckDB's COPY with their own SQL (export, register);
    never run an analyst's SQL on it (``open_sealed`` is for that)."""
    try:
        return warehouse.connect(db, read_only=True, wait=wait)
    except warehouse.WarehouseError as error:
        fail(str(error))


def open_sealed(db: Path, *, wait: float = 0.0):
    """A read-only connection that no SQL can use to change the warehouse or reach files
    or the network (pipeline.store.sealed), or a one-line error and exit."""
    try:
        return sealed.connect_sealed(db, wait=wait)
    except warehouse.WarehouseError as error:
        fail(str(error))


def print_result(result) -> None:
    if result.status == "failed":
        errors.print(f"[red]failed[/] {result.path}: {result.error} (stage: {result.stage})", highlight=False, soft_wrap=True)
    elif result.status == "quarantined":
        errors.print(f"[yellow]quarantined[/] {result.path}: {result.error} (stage: {result.stage})", highlight=False, soft_wrap=True)
    elif result.status == "superseded":
        console.print(f"[yellow]superseded[/] {result.path} ({result.issue_id}): {result.error}", highlight=False, soft_wrap=True)
    elif result.status == "skipped":
        console.print(f"unchanged {result.path} ({result.issue_id})", highlight=False)
    else:
        console.print(
            f"{result.status} {result.path} → {result.issue_id}: "
            f"{result.documents} documents, {result.articles} articles, {result.findings} findings"
            + (f" ({result.finding_errors} errors: `gazette check {result.issue_id}`)" if result.finding_errors else ""),
            highlight=False,
        )


def print_totals(db: Path, wait: float = 0.0, note: str = "") -> None:
    """The warehouse's totals on one line, with ``note`` (how the run ran) in brackets after them."""
    try:
        con = warehouse.connect(db, read_only=True, wait=wait)
    except warehouse.WarehouseError as error:  # another ingest took the warehouse meanwhile
        errors.print(f"totals not shown: {error}", highlight=False)
        return
    try:
        counts = {
            name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            for name in ("issues", "documents", "chapters", "articles", "clauses")
        }
    finally:
        con.close()
    line = "warehouse " + str(db) + ": " + ", ".join(f"{v} {k}" for k, v in counts.items())
    console.print(line + (f" ({note})" if note else ""), highlight=False)
