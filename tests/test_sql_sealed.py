"""``gazette sql`` cannot change the warehouse or reach files or the network, whatever
the SQL (issue 14 item 1); where its query comes from, and how it prints (issue 13)."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.store import sealed, warehouse

runner = CliRunner()


@pytest.fixture
def db(analyst_db, tmp_path):
    """A private copy of the analysts' warehouse: an attack that got through must not spoil other tests."""
    copy = tmp_path / "w.duckdb"
    shutil.copyfile(analyst_db, copy)
    return copy


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sql(*args: str, input: str | None = None):
    return runner.invoke(app, ["sql", *args], input=input)


def one_line_error(result) -> str:
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


def attacks(db) -> dict[str, str]:
    other_spelling = str(db.parent) + "//" + db.name  # the same file, not the same string
    return {
        "copy over the warehouse": f"COPY (SELECT 1 AS x) TO '{db}' (FORMAT csv)",
        "copy elsewhere": f"COPY documents TO '{db.parent / 'out.csv'}'",
        "export": f"EXPORT DATABASE '{db.parent / 'dump'}'",
        "attach read-write": f"ATTACH '{other_spelling}' AS rw (READ_WRITE)",
        "attach then delete": f"ATTACH '{other_spelling}' AS rw (READ_WRITE); DELETE FROM rw.documents",
        "several statements": "SELECT 1; SELECT 2",
        "read a file": "SELECT * FROM read_csv('/etc/passwd')",
        "read text": "SELECT * FROM read_text('/etc/hostname')",
        "glob": "SELECT * FROM glob('/etc/*')",
        "install": "INSTALL httpfs",
        "load": "LOAD httpfs",
        "unseal": "SET enable_external_access = true",
        "reset": "RESET enable_external_access",
        "delete": "DELETE FROM documents",
        "temp table": "CREATE TEMP TABLE t AS SELECT 1",
        "checkpoint": "CHECKPOINT",
        "checkpoint function": "SELECT * FROM force_checkpoint()",
        "transaction": "BEGIN TRANSACTION",
        "use": "USE memory",
    }


ATTACKS = list(attacks(Path("/w/w.duckdb")))


@pytest.mark.parametrize("name", ATTACKS)
def test_attack_is_refused_and_the_warehouse_bytes_stay(db, name):
    before = sha256(db)
    error = one_line_error(sql(attacks(db)[name], "--db", str(db)))
    assert error.startswith("error:")
    assert sha256(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["w.duckdb"]  # no file written beside it


def test_copy_points_to_export(db):
    assert "gazette export" in one_line_error(sql(f"COPY documents TO '{db.parent / 'x.csv'}'", "--db", str(db)))


def test_script_of_queries_from_file_runs_each(db, tmp_path):
    script = tmp_path / "q.sql"
    script.write_text("-- two queries\nSELECT 1 AS a;\nSELECT 2 AS b;\n", encoding="utf-8")
    result = sql("--file", str(script), "--db", str(db), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output == "a\n1\n\nb\n2\n"


def test_script_with_a_write_is_refused_before_anything_runs(db, tmp_path):
    before = sha256(db)
    script = tmp_path / "q.sql"
    script.write_text(f"SELECT 1;\nCOPY documents TO '{tmp_path / 'x.csv'}';\n", encoding="utf-8")
    assert "gazette export" in one_line_error(sql("--file", str(script), "--db", str(db)))
    assert not (tmp_path / "x.csv").exists() and sha256(db) == before


def test_sealed_connection_still_searches(db):
    con = sealed.connect_sealed(db)
    try:
        assert con.execute("SELECT count(*) FROM search_articles('补贴')").fetchone()[0] > 0
    finally:
        con.close()


def test_check_statements_allows_queries_only():
    con = duckdb.connect()
    for query in ("SELECT 1", "FROM range(3)", "WITH a AS (SELECT 1) SELECT * FROM a", "DESCRIBE SELECT 1",
                  "SHOW TABLES", "EXPLAIN SELECT 1", "-- note\nSELECT 1"):
        assert [c.kind for c in sealed.check_statements(con, query)] in (["SELECT"], ["EXPLAIN"])
    for query in ("UPDATE t SET a = 1", "SET threads = 1", "PRAGMA force_checkpoint", "DETACH x", "VACUUM"):
        with pytest.raises(sealed.RefusedStatement):
            sealed.check_statements(con, query)


# --- where the query comes from (issue 13)


def test_query_with_leading_comment_lines_as_argument(db):
    result = sql("-- how many documents\n-- (a = b in a comment)\nSELECT count(*) AS n FROM documents", "--db", str(db),
                 "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "n"


def test_query_after_double_dash(db):
    result = sql("--db", str(db), "--format", "csv", "--", "SELECT 7 AS seven")
    assert result.exit_code == 0, result.output
    assert result.output == "seven\n7\n"


def test_query_from_stdin(db):
    result = sql("-", "--db", str(db), "--format", "csv", input="-- from a pipe\nSELECT 8 AS eight\n")
    assert result.exit_code == 0, result.output
    assert result.output == "eight\n8\n"


@pytest.mark.parametrize("args, stdin", [(("",), None), (("  \n ",), None), (("-",), ""), ((), None), (("-- only a comment",), None)])
def test_empty_query_is_one_line(db, args, stdin):
    assert one_line_error(sql(*args, "--db", str(db), input=stdin)).startswith("error:")


def test_argument_and_file_together_is_one_line(db, tmp_path):
    script = tmp_path / "q.sql"
    script.write_text("SELECT 1", encoding="utf-8")
    one_line_error(sql("SELECT 1", "--file", str(script), "--db", str(db)))


# --- output for pipes (issue 13)


def test_booleans_print_the_same_in_every_format(db):
    query = "SELECT true AS yes, false AS no"
    csv_out = sql(query, "--db", str(db), "--format", "csv").output
    json_out = json.loads(sql(query, "--db", str(db), "--format", "json").output)
    table_out = sql(query, "--db", str(db)).output
    assert csv_out == "yes,no\ntrue,false\n"
    assert json_out == [{"yes": True, "no": False}]
    assert "true" in table_out and "false" in table_out and "True" not in table_out


def test_piped_table_never_cuts_or_wraps(db):
    long_value = "忻州市" * 60 + "x" * 150
    result = sql(f"SELECT '{long_value}' AS v, 'second' AS w", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert any(long_value in line and "second" in line for line in result.output.splitlines())


def test_markup_in_values_is_printed_as_is(db):
    result = sql("SELECT '[bold]x[/bold]' AS v", "--db", str(db))
    assert "[bold]x[/bold]" in result.output


# --- --wait (issue 14 item 11)


def test_wait_outlasts_a_writer(db):
    """A writer in another process holds the lock for a moment; --wait rides it out, no --wait fails at once."""
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('held', flush=True); time.sleep(3)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        assert "writing to the warehouse" in one_line_error(sql("SELECT 1", "--db", str(db), "--wait", "0"))
        started = time.monotonic()
        result = sql("SELECT 1 AS one", "--db", str(db), "--wait", "30", "--format", "csv")
        assert result.exit_code == 0, result.output
        assert result.output == "one\n1\n"
        assert time.monotonic() - started < 30
    finally:
        holder.wait(timeout=30)


def test_connect_sealed_missing_warehouse(tmp_path):
    with pytest.raises(warehouse.WarehouseError):
        sealed.connect_sealed(tmp_path / "missing.duckdb")
