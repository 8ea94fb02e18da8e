"""``gazette export``: every table as Parquet (partitioned by gazette and year), CSV or an Excel workbook."""

from __future__ import annotations

from pathlib import Path

import duckdb
import typer

from pipeline.analyst import export
from pipeline.commands.common import DbOption, app, console, fail, open_readonly


@app.command("export")
def export_command(
    format: str = typer.Option("parquet", "--format", "-f", help="parquet, csv or xlsx."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder to write into (created if missing)."),
    db: Path = DbOption,
) -> None:
    """Write every warehouse table for pandas, polars or Excel."""
    if format not in export.FORMATS:
        fail(f"unknown format {format!r}: use " + ", ".join(export.FORMATS))
    con = open_readonly(db)
    try:
        done = export.export_warehouse(con, out, format)
    except (export.ExportError, OSError) as error:
        fail(str(error))
    except duckdb.Error as error:
        fail(str(error).splitlines()[0])
    finally:
        con.close()
    for item in done:
        console.print(f"{item.table}: {item.rows} rows → {item.path}", highlight=False)
