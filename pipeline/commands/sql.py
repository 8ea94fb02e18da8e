"""``gazette sql``: run queries on a sealed read-only connection and print the rows (table, csv or json).

The query comes from the argument, from stdin (``-``) or from ``--file PATH``.
An argument holds one statement; a file may hold a script of queries, each
printed in turn.  Whatever the SQL, the warehouse, other files and the network
are untouched (pipeline.store.sealed): anything but a query is refused with one line.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from pipeline.commands.common import PIPE_WIDTH, DbOption, WaitOption, app, console, fail, open_sealed
from pipeline.store import sealed

FORMATS = ("table", "csv", "json")
UTF8_BOM = "\ufeff"  # Excel opens a CSV as UTF-8 only when it starts with this


@dataclass(frozen=True)
class ResultSet:
    """The rows one statement returned."""

    columns: list[str]
    rows: list[tuple]


@app.command(context_settings={"ignore_unknown_options": True})
def sql(
    query: Optional[str] = typer.Argument(
        None, help="One SQL query, or - to read it from stdin. A query may start with -- comment lines."),
    file: Optional[Path] = typer.Option(
        None, "--file", help="Read the SQL from this file; it may hold several queries (each printed in turn).",
        dir_okay=False, readable=False),
    db: Path = DbOption,
    format: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
    bom: bool = typer.Option(
        False, "--bom", help="With --format csv: start with a UTF-8 byte-order mark, so Excel reads the Chinese right "
        "(or export to xlsx: gazette export --format xlsx)."),
    wait: float = WaitOption,
) -> None:
    """Run read-only SQL on the warehouse (queries only: no COPY, ATTACH, INSTALL, SET…)."""
    if format not in FORMATS:
        fail(f"unknown format {format!r}: use table, csv or json")
    if bom and format != "csv":
        fail("--bom goes with --format csv")
    text, script = sql_source_to_text(query, file)
    results = _run(db, text, script=script, wait=wait)
    if bom:
        sys.stdout.write(UTF8_BOM)
    for number, result in enumerate(results):
        if number and format != "json":
            sys.stdout.write("\n")
        _print_rows(result, format)


def sql_source_to_text(query: str | None, file: Path | None) -> tuple[str, bool]:
    """The SQL to run and whether it may be a script (only from --file); one-line errors otherwise."""
    if query is not None and file is not None:
        fail("give the SQL as an argument, as - (stdin) or with --file, not two of them")
    if file is not None:
        try:
            return file.read_text(encoding="utf-8-sig"), True
        except (OSError, UnicodeDecodeError) as error:
            fail(f"{file}: cannot read ({getattr(error, 'strerror', None) or error})")
    if query is None:
        fail("no SQL given: pass a query, - to read it from stdin, or --file PATH")
    text = sys.stdin.read() if query == "-" else query
    if not text.strip():
        fail("the SQL is empty")
    return text, False


def _run(db: Path, text: str, *, script: bool, wait: float) -> list[ResultSet]:
    import duckdb

    con = open_sealed(db, wait=wait)
    try:
        results = []
        for checked in sealed.check_statements(con, text, script=script):
            cursor = con.execute(checked.statement)
            columns = [d[0] for d in cursor.description] if cursor.description else []
            results.append(ResultSet(columns, cursor.fetchall() if columns else []))
        return results
    except (duckdb.Error, sealed.RefusedStatement) as error:
        fail(str(error).splitlines()[0])
    finally:
        con.close()


def value_to_cell(value) -> str:
    """A value as table and csv print it: booleans as JSON spells them, NULL as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _print_rows(result: ResultSet, format: str) -> None:
    if format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([value_to_cell(v) for v in row] for row in result.rows)
        sys.stdout.write(buffer.getvalue())
    elif format == "json":
        records = [dict(zip(result.columns, row, strict=False)) for row in result.rows]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, default=str, indent=1) + "\n")
    else:
        table = RichTable(*result.columns, show_lines=False)
        for row in result.rows:
            table.add_row(*(Text(value_to_cell(v)) for v in row))
        _table_console().print(table)


def _table_console() -> Console:
    """The terminal's console; when stdout is a pipe or file, one that never cuts or wraps
    a value (as wide as the table needs: pipeline.commands.common.PIPE_WIDTH)."""
    if console.is_terminal:
        return console
    return Console(file=sys.stdout, width=PIPE_WIDTH, color_system=None, highlight=False)
