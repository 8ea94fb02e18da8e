"""The ``gazette`` command line: a thin layer over pipeline.ingest and pipeline.store.warehouse.

Every command turns expected failures (bad path, unreadable file, locked or
missing warehouse, bad SQL) into one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable
from rich.tree import Tree

from pipeline.read.sources import SourceError, paths_to_sources
from pipeline.store import warehouse

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn Chinese government gazettes (政府公报) into a DuckDB warehouse, and query it.",
)
console = Console()
errors = Console(stderr=True)

DbOption = typer.Option(warehouse.DEFAULT_DB, "--db", help="Warehouse file.")


def fail(message: str, code: int = 1) -> None:
    errors.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def open_readonly(db: Path, *, wait: float = 0.0):
    """A read-only connection to the warehouse, or a one-line error and exit."""
    try:
        return warehouse.connect(db, read_only=True, wait=wait)
    except warehouse.WarehouseError as error:
        fail(str(error))


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="PDF or text files, or folders of them."),
    db: Path = DbOption,
    parsed_dir: Path = typer.Option(Path("data/parsed"), "--parsed-dir", help="Where to write <issue_id>.json."),
    max_pages: int = typer.Option(2000, "--max-pages", help="Refuse PDFs with more pages than this."),
    direct: bool = typer.Option(
        False, "--direct", envvar="GAZETTE_DIRECT",
        help="Run the stages in this process without Prefect (no run log, no temporary server).",
    ),
    task_runner: str = typer.Option("threads", "--task-runner", help="threads, processes, or dask (Prefect flow only)."),
    dask_address: Optional[str] = typer.Option(None, "--dask-address", help="Scheduler of an existing Dask cluster, tcp://host:8786."),
    wait: float = typer.Option(30.0, "--wait", help="Seconds to wait for another process holding the warehouse."),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="Try again files quarantined by an earlier failure."),
    quarantine_dir: Optional[Path] = typer.Option(
        None, "--quarantine-dir", help="Where copies of bad files are kept (default: quarantine/ beside the warehouse)."),
    ocr: str = typer.Option(
        "auto", "--ocr", envvar="GAZETTE_OCR",
        help="OCR for PDF pages: auto (pages without a usable text layer), always, or never.",
    ),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Threads or processes for parsing (default: cores - 1 threads)."),
) -> None:
    """Parse and load gazette issues (or single documents) into the warehouse, through the Prefect flow.

    A bad file gets one line on stderr and a row in the ingest_errors table,
    and is skipped on later runs (quarantined) until --retry-failed."""
    robust = {"wait": wait, "retry_failed": retry_failed, "quarantine_dir": quarantine_dir}
    if ocr not in ("auto", "always", "never"):
        fail(f"unknown --ocr {ocr!r}: use auto, always or never")
    os.environ["GAZETTE_OCR"] = ocr  # read by pipeline.ingest.source_to_pages, in this process and its task threads
    try:
        sources = paths_to_sources(paths)
    except SourceError as error:
        fail(str(error))
    if not sources:
        fail("no .pdf or .txt files found in " + ", ".join(str(p) for p in paths))
    try:
        if direct:  # each file's line is printed as it finishes
            results = _ingest_direct(sources, db, parsed_dir, max_pages, **robust)
        else:
            results = _ingest_flow(paths, db, parsed_dir, max_pages, task_runner, dask_address, workers, **robust)
            for result in results:
                _print_result(result)
    except warehouse.WarehouseError as error:
        fail(str(error))
    _print_totals(db, wait)
    if any(result.status == "failed" for result in results):
        raise typer.Exit(1)


def _ingest_direct(sources, db: Path, parsed_dir: Path, max_pages: int, **robust) -> list:
    from pipeline.ingest import ingest_sources

    with Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=errors, transient=True, disable=len(sources) < 2,
    ) as progress:
        task = progress.add_task("ingesting", total=len(sources))

        def advance(result) -> None:
            progress.update(task, advance=1, description=f"ingesting {result.path.name}")
            _print_result(result)  # as it happens: a run stopped by a busy warehouse still shows what it did

        return ingest_sources(sources, db, parsed_dir=parsed_dir, max_pages=max_pages, on_file=advance, **robust).results


def _ingest_flow(paths: list[Path], db: Path, parsed_dir: Path, max_pages: int, runner: str, address: str | None,
                 workers: int | None = None, **robust) -> list:
    import os

    # Prefect's console log repeats, per task, what the summary below says; its run history keeps it all.
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    import flows

    if runner not in ("threads", "processes", "dask"):
        fail(f"unknown task runner {runner!r}: use threads, processes or dask")
    flow = flows.with_runner(flows.ingest_paths, runner, address, workers)
    with flows.command_settings():
        report = flow(paths=list(paths), db=db, parsed_dir=parsed_dir, max_pages=max_pages, **robust)
    # On stderr: stdout carries the same summary as --direct, so the two can be compared or parsed alike.
    errors.print(f"run {report.run_id} (see `gazette sql \"SELECT * FROM run_files WHERE run_id = '{report.run_id}'\"`)",
                 highlight=False, soft_wrap=True)
    return report.results


def _print_result(result) -> None:
    if result.status == "failed":
        errors.print(f"[red]failed[/] {result.path}: {result.error} (stage: {result.stage})", highlight=False, soft_wrap=True)
    elif result.status == "quarantined":
        errors.print(f"[yellow]quarantined[/] {result.path}: {result.error} (stage: {result.stage})", highlight=False, soft_wrap=True)
    elif result.status == "skipped":
        console.print(f"unchanged {result.path} ({result.issue_id})", highlight=False)
    else:
        console.print(
            f"{result.status} {result.path} → {result.issue_id}: "
            f"{result.documents} documents, {result.articles} articles",
            highlight=False,
        )


def _print_totals(db: Path, wait: float = 0.0) -> None:
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
    console.print("warehouse " + str(db) + ": " + ", ".join(f"{v} {k}" for k, v in counts.items()), highlight=False)


@app.command()
def sql(
    query: str = typer.Argument(..., help="SQL to run (read-only)."),
    db: Path = DbOption,
    format: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
) -> None:
    """Run SQL on a read-only connection to the warehouse."""
    import duckdb

    if format not in ("table", "csv", "json"):
        fail(f"unknown format {format!r}: use table, csv or json")
    con = open_readonly(db)
    try:
        cursor = con.execute(query)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        rows = cursor.fetchall() if columns else []
    except duckdb.Error as error:
        fail(str(error).splitlines()[0])
    finally:
        con.close()
    _print_rows(columns, rows, format)


def _print_rows(columns: list[str], rows: list[tuple], format: str) -> None:
    if format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        sys.stdout.write(buffer.getvalue())
    elif format == "json":
        sys.stdout.write(json.dumps([dict(zip(columns, row, strict=False)) for row in rows], ensure_ascii=False, default=str, indent=1) + "\n")
    else:
        table = RichTable(*columns, show_lines=False)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        console.print(table)


@app.command()
def show(
    target: str = typer.Argument(..., help="An issue_id or a doc_id (see `gazette sql 'select doc_id, title from documents'`)."),
    db: Path = DbOption,
) -> None:
    """Print the outline of an issue (its documents) or of a document (chapters, articles)."""
    con = open_readonly(db)
    try:
        issue = con.execute(
            "SELECT issue_id, gazette, year, number, cumulative_number, published_on FROM issues WHERE issue_id = ?", [target]
        ).fetchone()
        if issue:
            _show_issue(con, issue)
            return
        doc = con.execute(
            "SELECT doc_id, title, doc_number, signed_on, page_start, page_end FROM documents WHERE doc_id = ?", [target]
        ).fetchone()
        if doc:
            _show_document(con, doc)
            return
    finally:
        con.close()
    fail(f"{target}: no issue or document with this id")


def _show_issue(con, issue) -> None:
    issue_id, gazette, year, number, cumulative, published = issue
    head = f"{issue_id}" + (f" — {gazette} {year}年第{number}期 (总第{cumulative}期), {published}" if gazette else "")
    tree = Tree(head)
    rows = con.execute(
        """SELECT d.doc_id, d.section, d.doc_number, d.title, d.signed_on,
                  (SELECT count(*) FROM articles a WHERE a.doc_id = d.doc_id),
                  (SELECT count(*) FROM chapters c WHERE c.doc_id = d.doc_id)
           FROM documents d WHERE d.issue_id = ? ORDER BY d.seq""",
        [issue_id],
    ).fetchall()
    sections: dict = {}
    for doc_id, section, number, title, signed, n_articles, n_chapters in rows:
        parent = sections.setdefault(section, tree.add(section or "(no section)"))
        detail = f"{n_chapters} chapters, {n_articles} articles" if n_articles else "no articles"
        parent.add(f"[bold]{doc_id}[/] {number or ''} {title} [dim]{signed or ''} · {detail}[/]")
    console.print(tree)


def _show_document(con, doc) -> None:
    doc_id, title, number, signed, page_start, page_end = doc
    tree = Tree(f"[bold]{title}[/] {number or ''} {signed or ''} (pp. {page_start}–{page_end})")
    chapters = {
        row[0]: tree.add(f"{row[1]} {row[2]}")
        for row in con.execute("SELECT chapter_no, label, title FROM chapters WHERE doc_id = ? ORDER BY chapter_no", [doc_id]).fetchall()
    }
    for chapter_no, label, text in con.execute(
        "SELECT chapter_no, label, text FROM articles WHERE doc_id = ? ORDER BY start", [doc_id]
    ).fetchall():
        first_line = text.split("\n", 1)[0]
        snippet = first_line[len(label):].strip()[:24]
        (chapters.get(chapter_no) or tree).add(f"{label} [dim]{snippet}…[/]")
    points = con.execute(
        "SELECT label, text FROM clauses WHERE doc_id = ? AND kind = 'point' ORDER BY start", [doc_id]
    ).fetchall()
    for label, text in points:
        tree.add(f"{text.split(chr(10), 1)[0][:50]}")
    console.print(tree)


@app.command()
def schema(
    sql_ddl: bool = typer.Option(False, "--sql", help="Print the DDL instead of the data dictionary."),
    db: Optional[Path] = typer.Option(None, "--db", help="Warehouse to take an example value per column from."),
    markdown: bool = typer.Option(False, "--markdown", help="Rewrite the schema section of the README (between its markers)."),
    readme: Path = typer.Option(Path("README.md"), "--readme", help="README to rewrite with --markdown ('-' prints to stdout)."),
) -> None:
    """Print the warehouse's data dictionary (tables, columns, types, meaning, an example value)."""
    from pipeline.analyst import dictionary

    if sql_ddl:
        sys.stdout.write(warehouse.ddl_script())
        return
    tables, views = dictionary.table_docs(), dictionary.view_docs()
    if markdown:
        block = dictionary.dictionary_to_markdown(tables, views)
        if str(readme) == "-":
            sys.stdout.write(block + "\n")
            return
        try:
            readme.write_text(dictionary.readme_with_block(readme.read_text(encoding="utf-8"), block), encoding="utf-8")
        except OSError as error:
            fail(f"{readme}: cannot rewrite ({error.strerror})")
        console.print(f"rewrote the schema section of {readme}", highlight=False)
        return
    if db is not None and db.exists():
        con = open_readonly(db)
        try:
            dictionary.add_examples(con, tables)
        finally:
            con.close()
    for table in tables:
        console.print(f"\n[bold]{table.name}[/] — {table.comment}", highlight=False)
        grid = RichTable("column", "type", "meaning", "example", show_header=True)
        for column in table.columns:
            grid.add_row(column.name, column.type, column.meaning, column.example)
        console.print(grid)
    grid = RichTable("view", "what it gives", show_header=True, title="views")
    for name, description in views:
        grid.add_row(name, description)
    console.print(grid)


def _import_command_modules() -> None:
    import importlib
    import pkgutil

    import pipeline.commands

    for module in pkgutil.iter_modules(pipeline.commands.__path__):
        importlib.import_module(f"pipeline.commands.{module.name}")


_import_command_modules()


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
