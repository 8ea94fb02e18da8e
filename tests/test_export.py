"""gazette export: Parquet partitioned by gazette and issue year, CSV, and an Excel workbook."""

from __future__ import annotations

import csv

import pyarrow.dataset as ds
from typer.testing import CliRunner

from pipeline.analyst import export
from pipeline.cli import app
from pipeline.store import warehouse


def table_counts(db) -> dict[str, int]:
    con = warehouse.connect(db, read_only=True)
    try:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in export.tables_to_export(con)}
    finally:
        con.close()


def test_parquet_is_partitioned_by_gazette_and_issue_year(tmp_path, analyst_db):
    result = CliRunner().invoke(app, ["export", "--format", "parquet", "--out", str(tmp_path), "--db", str(analyst_db)])
    assert result.exit_code == 0, result.output
    counts = table_counts(analyst_db)
    assert "search_texts" not in counts and {"documents", "articles", "appointments"} <= set(counts)
    for table, rows in counts.items():
        assert ds.dataset(tmp_path / table, format="parquet", partitioning="hive").count_rows() == rows, table
    documents = ds.dataset(tmp_path / "documents", format="parquet", partitioning="hive").to_table().to_pylist()
    by_gazette = {}
    for row in documents:
        by_gazette.setdefault((row["gazette"], row["issue_year"]), []).append(row["doc_id"])
    # 15 documents of 忻州市人民政府公报 2024年第5期; the two hand-written single notices have no gazette
    assert len(by_gazette[("忻州市人民政府公报", 2024)]) == 15
    assert len(by_gazette[(None, None)]) == 2
    # a table's own `year` (the year inside a document number) survives next to the issue's year
    numbers = ds.dataset(tmp_path / "doc_numbers", format="parquet", partitioning="hive").to_table().to_pylist()
    assert [(r["canonical"], r["year"], r["issue_year"]) for r in numbers] == [("忻政发〔2018〕35号", 2018, 2024)]


def test_csv_writes_one_file_per_table_with_a_header(tmp_path, analyst_db):
    con = warehouse.connect(analyst_db, read_only=True)
    try:
        export.export_warehouse(con, tmp_path, "csv")
    finally:
        con.close()
    with (tmp_path / "appointments.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 7 and rows[0]["person"] == "肖进军"
    assert {p.stem for p in tmp_path.glob("*.csv")} == set(table_counts(analyst_db))


def test_xlsx_has_a_sheet_per_table(tmp_path, analyst_db):
    from openpyxl import load_workbook

    con = warehouse.connect(analyst_db, read_only=True)
    try:
        export.export_warehouse(con, tmp_path, "xlsx")
    finally:
        con.close()
    workbook = load_workbook(tmp_path / export.XLSX_NAME, read_only=True)
    counts = table_counts(analyst_db)
    assert set(workbook.sheetnames) == set(counts)
    rows = list(workbook["documents"].iter_rows(values_only=True))
    assert len(rows) == counts["documents"] + 1 and rows[0][0] == "doc_id"


def test_cells_fit_excel():
    assert export.value_to_cell(["附件1", None, "附件2"]) == "附件1; ; 附件2"
    long = export.value_to_cell("字" * 40000)
    assert len(long) == export.XLSX_MAX_CELL and long.endswith("…")
    assert export.value_to_cell("a\x01b") == "ab"  # control characters Excel refuses


def test_unknown_format_is_one_line(tmp_path, analyst_db):
    result = CliRunner().invoke(app, ["export", "--format", "json", "--out", str(tmp_path), "--db", str(analyst_db)])
    assert result.exit_code == 1 and "unknown format" in result.output
