"""Write every warehouse table to Parquet, CSV or an Excel workbook, for pandas, polars or Excel.

* parquet: ``DIR/<table>/gazette=<gazette>/issue_year=<year>/data_0.parquet``
  (hive partitioning; DuckDB URL-encodes the Chinese gazette name in the path
  and pyarrow, polars and DuckDB decode it).  ``gazette`` and ``issue_year``
  come from the row's issue (through ``issue_id`` or ``doc_id``); a single
  document has no gazette and lands under ``gazette=__HIVE_DEFAULT_PARTITION__``
  (Hive's NULL, which pyarrow and polars read back as NULL).  The issue's year is
  called ``issue_year`` because some tables have a ``year`` of their own
  (doc_numbers.year is the year inside a document number).
* csv: ``DIR/<table>.csv`` with a header; lists are written as ``[a, b]``.
* xlsx: ``DIR/gazette.xlsx``, one sheet per table; lists joined with "; ",
  text longer than Excel's 32,767 characters per cell cut with a final "…".

``search_texts`` (jieba tokens) and the search index over them are not exported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

FORMATS = ("parquet", "csv", "xlsx")
SKIP_TABLES = {"search_texts", "search_postings", "search_units", "search_indexed_issues"}
XLSX_NAME = "gazette.xlsx"
# Hive's name for a NULL partition value, which pyarrow (pandas) and polars read
# back as NULL; DuckDB's own "NULL" would come back as the string 'NULL'.
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
XLSX_MAX_CELL = 32767
XLSX_MAX_ROWS = 1_048_575  # one row is the header


class ExportError(RuntimeError):
    """The export cannot be written; the message is one line."""


@dataclass
class Exported:
    table: str
    rows: int
    path: Path


def tables_to_export(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every base table of the main schema, except internal ones, in name order."""
    names = [row[0] for row in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal ORDER BY table_name"
    ).fetchall()]
    return [name for name in names if name not in SKIP_TABLES]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [row[0] for row in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ? ORDER BY column_index", [table]
    ).fetchall()]


def partitioned_select(con: duckdb.DuckDBPyConnection, table: str) -> str | None:
    """SELECT of ``table`` with its issue's ``gazette`` and ``issue_year``; None when rows have no issue."""
    columns = _columns(con, table)
    null = f"'{NULL_PARTITION}'"
    if table == "issues":
        return (f"SELECT * EXCLUDE (gazette), coalesce(gazette, {null}) AS gazette, "
                f"coalesce(CAST(year AS VARCHAR), {null}) AS issue_year FROM issues")
    if "issue_id" in columns:
        link = "LEFT JOIN issues i ON i.issue_id = t.issue_id"
    elif "doc_id" in columns:
        link = "LEFT JOIN documents d ON d.doc_id = t.doc_id LEFT JOIN issues i ON i.issue_id = d.issue_id"
    else:
        return None
    return (f"SELECT t.*, coalesce(i.gazette, {null}) AS gazette, coalesce(CAST(i.year AS VARCHAR), {null}) AS issue_year "
            f'FROM "{table}" t {link}')


def _quote_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export_parquet(con: duckdb.DuckDBPyConnection, table: str, out: Path) -> Path:
    target = out / table
    if target.exists():
        import shutil

        shutil.rmtree(target)  # a re-export must not leave rows of issues since removed
    select = partitioned_select(con, table)
    count = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    if select is None or count == 0:
        # nothing to partition: one file, so readers still get the columns
        target.mkdir(parents=True)
        con.execute(f"COPY ({select or f'SELECT * FROM {table}'}) TO {_quote_path(target / 'data_0.parquet')} (FORMAT parquet)")
    else:
        con.execute(f"COPY ({select}) TO {_quote_path(target)} (FORMAT parquet, PARTITION_BY (gazette, issue_year))")
    return target


def export_csv(con: duckdb.DuckDBPyConnection, table: str, out: Path) -> Path:
    target = out / f"{table}.csv"
    con.execute(f'COPY "{table}" TO {_quote_path(target)} (FORMAT csv, HEADER)')
    return target


def value_to_cell(value):
    """A DuckDB value as something openpyxl writes and Excel accepts."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, list):
        value = "; ".join("" if v is None else str(v) for v in value)
    elif isinstance(value, dict):
        value = str(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(value) > XLSX_MAX_CELL:
            value = value[: XLSX_MAX_CELL - 1] + "…"
    return value


UTF8_BOM = "\ufeff".encode()  # Excel opens a CSV as UTF-8 only when it starts with this
ONE_FILE_FORMATS = ("csv", "parquet", "xlsx")


def rows_to_sheet(sheet, columns: list[str], rows) -> None:  # noqa: ANN001 - an openpyxl worksheet
    """A header and rows appended to an openpyxl sheet, each value made writable (value_to_cell)."""
    sheet.append(list(columns))
    for row in rows:
        sheet.append([value_to_cell(v) for v in row])


def arrow_to_file(result, out: Path, fmt: str, *, sheet: str = "data", bom: bool = False) -> Path:  # noqa: ANN001 - pyarrow.Table
    """One query's result (an Arrow table) as one file: csv (with a header; ``bom``: a UTF-8
    byte-order mark first, for Excel) and parquet through DuckDB's COPY on a private in-memory
    connection, so the warehouse connection stays read-only; xlsx through openpyxl, one sheet.
    The same writers as the whole-warehouse export (``gazette register`` uses this)."""
    if fmt not in ONE_FILE_FORMATS:
        raise ExportError(f"unknown format {fmt!r}: use " + ", ".join(ONE_FILE_FORMATS))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        rows_to_sheet(workbook.create_sheet(title=sheet[:31]), result.column_names, (row.values() for row in result.to_pylist()))
        workbook.save(out)
        return out
    con = duckdb.connect()
    try:
        con.register("result", result)
        options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
        con.execute(f"COPY result TO {_quote_path(out)} ({options})")
    finally:
        con.close()
    if bom and fmt == "csv":
        out.write_bytes(UTF8_BOM + out.read_bytes())
    return out


def _cursor_rows(cursor, batch: int = 2000):  # noqa: ANN001, ANN202 - a DuckDB cursor; a generator of rows
    """A cursor's rows, fetched ``batch`` at a time (a whole table never sits in memory)."""
    while rows := cursor.fetchmany(batch):
        yield from rows


def export_xlsx(con: duckdb.DuckDBPyConnection, tables: list[str], out: Path) -> list[Exported]:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    done = []
    for table in tables:
        count = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        if count > XLSX_MAX_ROWS:
            raise ExportError(f"{table} has {count} rows, more than an Excel sheet holds; use --format parquet or csv")
        cursor = con.execute(f'SELECT * FROM "{table}"')
        rows_to_sheet(workbook.create_sheet(title=table[:31]), [d[0] for d in cursor.description], _cursor_rows(cursor))
        done.append(Exported(table, count, out / XLSX_NAME))
    workbook.save(out / XLSX_NAME)
    return done


def export_warehouse(con: duckdb.DuckDBPyConnection, out: Path, fmt: str) -> list[Exported]:
    """Write every table of the warehouse under ``out`` in ``fmt``."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: use " + ", ".join(FORMATS))
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"{out}: cannot create ({error.strerror})") from error
    tables = tables_to_export(con)
    if fmt == "xlsx":
        return export_xlsx(con, tables, out)
    write = export_parquet if fmt == "parquet" else export_csv
    done = []
    for table in tables:
        rows = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        done.append(Exported(table, rows, write(con, table, out)))
    return done
