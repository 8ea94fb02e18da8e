"""``gazette register``: print or export the appointments register.

    gazette register [--person NAME] [--post TEXT] [--since DATE]
                     [--format table|csv|xlsx|parquet] [--out FILE] [--db FILE]

Reads the ``appointments_register`` view (each appointment record with its
document number, signing date and issue).  ``--post`` matches part of the post
or of the canonical post_key (市应急管理局副局长 finds 忻州市… too); ``--person``
the exact name or person_key (张伟@某县教育局); ``--since`` keeps records that
took effect on or after the date.  csv and parquet go through DuckDB's COPY;
xlsx through openpyxl.  csv without ``--out`` is written to stdout.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Optional

import typer

from pipeline.analyst import export
from pipeline.commands.common import DbOption, app, console, fail, open_readonly

COLUMNS = (
    "effective_on", "doc_number", "person", "gender", "action", "post", "organization", "title",
    "rank_note", "probation_months", "concurrent", "tenure_from", "decided_by", "decided_on",
    "signed_on", "issue_id", "doc_id", "seq", "page",
    "post_key", "person_key", "person_key_basis", "secondment", "reason",
)
TABLE_COLUMNS = ("effective_on", "doc_number", "person", "action", "post", "probation_months", "tenure_from")
FORMATS = ("table", "csv", "xlsx", "parquet")


def register_query(person: str | None, post: str | None, since: date | None) -> tuple[str, list]:
    """The SELECT over appointments_register for these filters, and its parameters."""
    where, params = [], []
    if person:
        where.append("(person = ? OR person_key = ?)")
        params += [person, person]
    if post:
        where.append("(post LIKE ? OR post_key LIKE ?)")
        params += [f"%{post}%", f"%{post}%"]
    if since:
        where.append("effective_on >= ?")
        params.append(since)
    sql = f"SELECT {', '.join(COLUMNS)} FROM appointments_register"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql + " ORDER BY effective_on, doc_id, seq", params


@app.command()
def register(
    person: Optional[str] = typer.Option(None, "--person", help="Exact name or person_key of a person."),
    post: Optional[str] = typer.Option(None, "--post", help="Part of a post or of its post_key, e.g. 应急管理局副局长."),
    since: Optional[str] = typer.Option(None, "--since", help="Only records in effect from this date (YYYY-MM-DD)."),
    format: str = typer.Option("table", "--format", "-f", help="table, csv, xlsx or parquet."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write to this file (required for xlsx and parquet)."),
    bom: bool = typer.Option(False, "--bom", help="With --format csv: a UTF-8 byte-order mark first, so Excel reads the Chinese right."),
    db: Path = DbOption,
) -> None:
    """Print or export the appointments register (who was appointed to or removed from which post)."""
    import duckdb

    if format not in FORMATS:
        fail(f"unknown format {format!r}: use {', '.join(FORMATS)}")
    if format in ("xlsx", "parquet") and out is None:
        fail(f"--format {format} needs --out FILE")
    since_date = None
    if since:
        try:
            since_date = date.fromisoformat(since)
        except ValueError:
            fail(f"--since {since!r}: expected a date like 2024-09-01")
    con = open_readonly(db)
    try:
        sql, params = register_query(person, post, since_date)
        try:
            result = con.execute(sql, params).fetch_arrow_table()
        except duckdb.Error as error:
            fail(str(error).splitlines()[0])
    finally:
        con.close()
    if format == "table":
        _print_table(result)
    elif out is None:  # csv to stdout
        _csv_to_stdout(result, bom)
    else:
        export.arrow_to_file(result, out, format, sheet="register", bom=bom)
    if out is not None:
        console.print(f"{result.num_rows} records → {out}", highlight=False)


def _print_table(result) -> None:
    from rich.table import Table as RichTable

    table = RichTable(*TABLE_COLUMNS)
    for row in result.select(list(TABLE_COLUMNS)).to_pylist():
        table.add_row(*("" if row[c] is None else str(row[c]) for c in TABLE_COLUMNS))
    console.print(table)
    console.print(f"{result.num_rows} records", highlight=False)


def _csv_to_stdout(result, bom: bool) -> None:
    """csv through the same writer as a file (pipeline.analyst.export), then to stdout."""
    with tempfile.TemporaryDirectory() as folder:
        path = export.arrow_to_file(result, Path(folder) / "register.csv", "csv", bom=bom)
        sys.stdout.write(path.read_text(encoding="utf-8"))  # "utf-8", not "utf-8-sig": a BOM asked for stays
