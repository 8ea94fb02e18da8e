"""``gazette sql``: run SQL on a read-only connection and print the rows (table, csv or json)."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import typer
from rich.table import Table as RichTable

from pipeline.commands.common import DbOption, app, console, fail, open_readonly


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
