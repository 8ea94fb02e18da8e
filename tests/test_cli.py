"""The backbone commands: one-line errors and non-zero exits, never a traceback."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.ingest import IngestOptions
from tests.conftest import SAMPLE_TXT

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("cli") / "w.duckdb"
    result = run("ingest", str(SAMPLE_TXT), "--db", str(db), "--direct", "--parsed-dir", str(db.parent / "parsed"))
    assert result.exit_code == 0, result.output
    return db


def one_line_error(result) -> str:
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


def test_bad_path(tmp_path):
    assert "no such file or directory" in one_line_error(run("ingest", str(tmp_path / "missing.pdf"), "--db", str(tmp_path / "w.duckdb")))


def test_unknown_ocr_mode(tmp_path):
    assert "--ocr" in one_line_error(run("ingest", str(SAMPLE_TXT), "--ocr", "sometimes", "--db", str(tmp_path / "w.duckdb")))


def test_ocr_mode_is_an_option_checked_once(monkeypatch, tmp_path):
    """The OCR mode travels as IngestOptions.ocr (it reaches Dask workers as a task parameter),
    not through os.environ; GAZETTE_OCR still sets the command's default."""
    assert IngestOptions().ocr == "auto"
    with pytest.raises(ValueError):
        IngestOptions(ocr="sometimes")
    monkeypatch.setenv("GAZETTE_OCR", "sometimes")
    assert "--ocr" in one_line_error(run("ingest", str(SAMPLE_TXT), "--direct", "--db", str(tmp_path / "w.duckdb")))


def test_sql_formats_and_bad_sql(sample_db):
    csv_out = run("sql", "SELECT doc_number FROM documents ORDER BY seq LIMIT 2", "--db", str(sample_db), "--format", "csv")
    assert csv_out.exit_code == 0 and csv_out.output.splitlines() == ["doc_number", "忻政发〔2024〕13号", "忻政发〔2024〕14号"]
    json_out = run("sql", "SELECT count(*) AS n FROM articles", "--db", str(sample_db), "--format", "json")
    assert json_out.exit_code == 0 and '"n": 193' in json_out.output
    assert "syntax error" in one_line_error(run("sql", "SELEKT 1", "--db", str(sample_db))).lower()


def test_sql_is_read_only(sample_db):
    error = one_line_error(run("sql", "DELETE FROM documents", "--db", str(sample_db)))
    assert "read-only" in error.lower() or "read only" in error.lower()


def test_show_issue_document_and_unknown_id(sample_db):
    issue = run("show", "忻州市人民政府公报-2024-05", "--db", str(sample_db))
    assert issue.exit_code == 0 and "忻政任〔2024〕21号" in issue.output and "人事任免文件" in issue.output
    document = run("show", "忻州市人民政府公报-2024-05/d02", "--db", str(sample_db))
    assert document.exit_code == 0 and "第一章 总则" in document.output and "第二十三条" in document.output
    assert "no issue or document" in one_line_error(run("show", "nope", "--db", str(sample_db)))


def test_missing_warehouse_is_a_clear_error(tmp_path):
    assert "no warehouse here yet" in one_line_error(run("sql", "SELECT 1", "--db", str(tmp_path / "none.duckdb")))


def test_ingest_says_when_the_index_update_takes_in_earlier_loads(tmp_path, sample_issue):
    """Issues loaded before, and missing from the search index (a warehouse indexed by older code,
    a run stopped before its update), are indexed by the next update: the command says so, once."""
    from pipeline.store import warehouse
    from tests.analyst_fixtures import HANDWRITTEN

    db = tmp_path / "w.duckdb"
    con = warehouse.connect(db)
    warehouse.load_issue(con, sample_issue)  # loaded, never indexed
    con.close()
    first, second = sorted(HANDWRITTEN.glob("*.txt"))[:2]
    said = run("ingest", str(first), "--db", str(db), "--direct", "--parsed-dir", str(tmp_path / "parsed"))
    assert said.exit_code == 0, said.output
    assert "search index: indexing 2 issues, 1 of them loaded before and not yet in the index (once)" in said.output
    quiet = run("ingest", str(second), "--db", str(db), "--direct", "--parsed-dir", str(tmp_path / "parsed"))
    assert quiet.exit_code == 0 and "search index:" not in quiet.output


def test_ctrl_c_during_a_query_ends_the_command_with_one_line(sample_db, tmp_path):
    """DuckDB turns Ctrl-C during a query into RuntimeError('Query interrupted'), which ended
    the command with a traceback; it ends with one line and the shell's code for SIGINT."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from pipeline.cli import INTERRUPTED
    from tests.conftest import REPO

    code = "import sys\nfrom pipeline.cli import main\nsys.argv = sys.argv[1:]\nmain()\n"
    slow = "SELECT count(*) FROM range(10000000000) t(i) WHERE i % 7 = 3"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "gazette", "sql", slow, "--db", str(sample_db)],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # a background job ignores SIGINT otherwise
    time.sleep(3)  # the query is running by then (the command starts in about 0.3 s)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == INTERRUPTED, err
    assert "Traceback" not in err and "─" not in err
    assert err.strip().splitlines() == ["interrupted (Ctrl-C): nothing half-loaded is kept (each issue loads in one transaction)"]
