"""What analysts pipe or open in Excel (issue 13): no value cut or wrapped when stdout is not a
terminal, and a UTF-8 byte-order mark on request for CSV."""

from __future__ import annotations

import openpyxl
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.ingest import ingest_sources
from pipeline.read.sources import paths_to_sources
from tests.conftest import SAMPLE_TXT


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("pipes") / "w.duckdb"
    ingest_sources(paths_to_sources([SAMPLE_TXT]), path, parsed_dir=None)
    return path


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_a_long_title_is_one_unbroken_line_when_piped(db):
    result = run("sql", "SELECT title FROM documents ORDER BY length(title) DESC LIMIT 1", "--db", str(db))
    assert result.exit_code == 0, result.output
    longest = [line for line in result.output.splitlines() if "忻州" in line]
    assert len(longest) == 1  # one row, one line: not wrapped onto a second
    title = longest[0].strip(" │|")
    assert title.strip() == title.strip().rstrip("…") and len(title.strip()) > 40


def test_the_ingest_summary_is_not_wrapped_when_piped(tmp_path):
    folder = tmp_path / ("gazettes-of-忻州市人民政府-downloaded-for-the-analysts" * 2)
    folder.mkdir()
    sample = folder / SAMPLE_TXT.name
    sample.write_bytes(SAMPLE_TXT.read_bytes())
    result = run("ingest", str(sample), "--direct", "--db", str(tmp_path / "w.duckdb"), "--parsed-dir", str(tmp_path / "p"))
    assert result.exit_code == 0, result.output
    [loaded] = [line for line in result.stdout.splitlines() if line.startswith("loaded ")]
    assert len(loaded) > 120 and str(sample) in loaded and "193 articles" in loaded  # path, counts: one line


def test_the_register_table_keeps_whole_posts_when_piped(db):
    result = run("register", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "忻州市人民政府国防动员办公室主任" in result.output  # a post of 16 characters, uncut


def test_sql_csv_with_bom_for_excel(db):
    plain = run("sql", "SELECT doc_number FROM documents ORDER BY seq LIMIT 1", "--db", str(db), "--format", "csv")
    marked = run("sql", "SELECT doc_number FROM documents ORDER BY seq LIMIT 1", "--db", str(db), "--format", "csv", "--bom")
    assert plain.exit_code == marked.exit_code == 0, marked.output
    assert not plain.stdout.startswith("\ufeff")
    assert marked.stdout == "\ufeff" + plain.stdout
    assert run("sql", "SELECT 1", "--db", str(db), "--bom").exit_code != 0  # --bom without csv: a one-line error


def test_register_csv_with_bom_file_and_stdout(db, tmp_path):
    out = tmp_path / "register.csv"
    assert run("register", "--db", str(db), "--format", "csv", "--out", str(out), "--bom").exit_code == 0
    data = out.read_bytes()
    assert data.startswith("\ufeff".encode()) and "肖进军".encode() in data
    piped = run("register", "--db", str(db), "--format", "csv", "--bom")
    assert piped.stdout.startswith("\ufeffeffective_on,")


def test_register_xlsx_goes_through_the_export_writer(db, tmp_path):
    out = tmp_path / "register.xlsx"
    assert run("register", "--db", str(db), "--format", "xlsx", "--out", str(out)).exit_code == 0
    sheet = openpyxl.load_workbook(out)["register"]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert header[:3] == ["effective_on", "doc_number", "person"]
    assert sheet.max_row == 1 + 41  # the sample's 41 appointment records
