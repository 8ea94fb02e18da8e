"""Loading: one transaction per issue, idempotent by sha256, replace on change."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from pipeline.ingest import ingest_sources, source_to_issue
from pipeline.read.sources import paths_to_sources, source_of
from pipeline.store import warehouse
from tests.conftest import SAMPLE_TXT


def counts(db) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("issues", "documents", "chapters", "articles", "clauses")}
    finally:
        con.close()


def test_ingest_sample_then_reingest_is_a_noop(tmp_path):
    db = tmp_path / "w.duckdb"
    first = ingest_sources(paths_to_sources([SAMPLE_TXT]), db, parsed_dir=tmp_path / "parsed")
    assert [r.status for r in first.results] == ["loaded"]
    after_first = counts(db)
    assert after_first == {"issues": 1, "documents": 15, "chapters": 48, "articles": 193, "clauses": after_first["clauses"]}
    assert after_first["clauses"] > 193
    con = duckdb.connect(str(db), read_only=True)
    stamp = con.execute("SELECT ingested_at FROM issues").fetchone()[0]
    con.close()

    second = ingest_sources(paths_to_sources([SAMPLE_TXT]), db, parsed_dir=tmp_path / "parsed")
    assert [r.status for r in second.results] == ["skipped"]
    assert counts(db) == after_first
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT ingested_at FROM issues").fetchone()[0] == stamp
    con.close()
    assert (tmp_path / "parsed" / "忻州市人民政府公报-2024-05.json").exists()


def test_changed_file_replaces_its_issue(tmp_path):
    db = tmp_path / "w.duckdb"
    copy = tmp_path / "issue.txt"
    shutil.copy(SAMPLE_TXT, copy)
    ingest_sources(paths_to_sources([copy]), db, parsed_dir=None)
    # a corrected re-issue of the same gazette issue: one article fewer in the last document
    text = copy.read_text(encoding="utf-8")
    last_article = text.rindex("第二十一条 本办法自2024年8月4日起施行")
    copy.write_text(text[:last_article], encoding="utf-8")
    report = ingest_sources(paths_to_sources([copy]), db, parsed_dir=None)
    assert [r.status for r in report.results] == ["replaced"]
    after = counts(db)
    assert after["issues"] == 1 and after["documents"] == 15 and after["articles"] == 192


def test_failed_load_leaves_the_warehouse_as_it_was(tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    ingest_sources(paths_to_sources([SAMPLE_TXT]), db, parsed_dir=None)
    before = counts(db)
    issue = source_to_issue(source_of(SAMPLE_TXT)).model_copy(update={"source_sha256": "changed"})

    def explode(_issue):
        raise RuntimeError("disk full while building clause rows")

    monkeypatch.setitem(warehouse.ROW_BUILDERS, "clauses", explode)
    con = warehouse.connect(db)
    with pytest.raises(RuntimeError):
        warehouse.load_issue(con, issue)
    con.close()
    assert counts(db) == before

    # and a failure half-way through the inserts rolls back the deletes too
    monkeypatch.undo()
    con = warehouse.connect(db)
    real_rows_to_arrow = warehouse.rows_to_arrow
    calls = {"n": 0}

    def fail_on_third(table, rows):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("simulated crash mid-load")
        return real_rows_to_arrow(table, rows)

    monkeypatch.setattr(warehouse, "rows_to_arrow", fail_on_third)
    with pytest.raises(RuntimeError):
        warehouse.load_issue(con, issue)
    con.close()
    assert counts(db) == before


def test_every_table_and_column_has_a_comment(tmp_path):
    con = warehouse.connect(tmp_path / "w.duckdb")
    missing_tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE comment IS NULL OR comment = ''").fetchall()
    missing_columns = con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE internal = false AND (comment IS NULL OR comment = '')"
    ).fetchall()
    con.close()
    assert missing_tables == [] and missing_columns == []


def test_generated_ddl_file_is_current():
    from pathlib import Path

    ddl = (Path(__file__).parent.parent / "schemas" / "warehouse.sql").read_text(encoding="utf-8")
    assert ddl == warehouse.ddl_script(), "run: gazette schema --sql > schemas/warehouse.sql"


def test_a_new_warehouse_from_the_generated_ddl_equals_one_built_from_the_metadata(tmp_path, monkeypatch):
    """A new warehouse runs schemas/warehouse.sql; one missing tables gets them from the
    SQLAlchemy metadata. Both give the same catalog: tables, columns, types, comments, keys."""
    catalog = (
        "SELECT table_name, column_name, data_type, comment FROM duckdb_columns() ORDER BY ALL",
        "SELECT table_name, comment FROM duckdb_tables() ORDER BY ALL",
        "SELECT table_name, constraint_type, constraint_column_names FROM duckdb_constraints() ORDER BY ALL",
        "SELECT view_name, comment, sql FROM duckdb_views() WHERE NOT internal ORDER BY ALL",
    )

    def described(db):
        con = warehouse.connect(db)
        try:
            return [con.execute(query).fetchall() for query in catalog]
        finally:
            con.close()

    from_script = described(tmp_path / "script.duckdb")
    monkeypatch.setattr(warehouse, "GENERATED_DDL", tmp_path / "absent.sql")
    from_metadata = described(tmp_path / "metadata.duckdb")
    assert from_script == from_metadata and len(from_script[0]) > 100


def _upgrades_on_reopen(db, monkeypatch) -> bool:
    """Whether opening ``db`` for writing runs the upgrade (it makes the views again)."""
    made = []
    original = warehouse.create_views
    monkeypatch.setattr(warehouse, "create_views", lambda con: made.append(1) or original(con))
    warehouse.close(warehouse.connect(db))
    return bool(made)


def test_a_warehouse_at_the_current_ddl_opens_without_the_upgrade(tmp_path, monkeypatch):
    """The upgrade (every table module imported, every view made again) runs only when the
    recorded DDL hash differs, the record is missing, or an object of the DDL is gone."""
    db = tmp_path / "w.duckdb"
    warehouse.close(warehouse.connect(db))  # new: the generated DDL, with its hash recorded
    assert not _upgrades_on_reopen(db, monkeypatch)

    def tamper(sql):
        con = duckdb.connect(str(db))
        con.execute(sql)
        con.close()

    tamper("UPDATE warehouse_schema SET ddl_sha256 = 'from an older parser'")
    assert _upgrades_on_reopen(db, monkeypatch)  # and records the current hash again:
    assert not _upgrades_on_reopen(db, monkeypatch)

    view = warehouse.GENERATED_DDL.read_text(encoding="utf-8").split("CREATE OR REPLACE VIEW ")[1].split()[0]
    tamper(f"DROP VIEW {view}")
    assert _upgrades_on_reopen(db, monkeypatch)
    con = warehouse.connect(db, create=False)
    assert con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = ?", [view]).fetchone() == (1,)
    con.close()

    tamper("DROP TABLE warehouse_schema")  # a warehouse made before the record existed
    assert _upgrades_on_reopen(db, monkeypatch)
    con = warehouse.connect(db, create=False)
    recorded = con.execute("SELECT ddl_sha256 FROM warehouse_schema").fetchall()
    con.close()
    assert recorded == [(warehouse.ddl_fingerprint(warehouse.GENERATED_DDL.read_text(encoding="utf-8")),)]


def test_an_upgrade_in_a_new_process_makes_the_tables_of_every_table_module(tmp_path):
    """The upgrade reads the SQLAlchemy metadata, which holds a table once its module is
    imported: a process that has imported no table module yet (a command's first connection)
    must still make a missing table of any module, not only the backbone's."""
    import subprocess
    import sys

    db = tmp_path / "w.duckdb"
    warehouse.close(warehouse.connect(db))
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE durations")  # tables_entities: a warehouse from before that table
    con.close()
    subprocess.run([sys.executable, "-c", "import sys; from pipeline.store import warehouse; "
                    "assert 'schemas.tables_entities' not in sys.modules; "
                    f"warehouse.close(warehouse.connect({str(db)!r}))"], check=True)
    con = duckdb.connect(str(db), read_only=True)
    tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    con.close()
    assert {"durations", "warehouse_schema"} <= tables


def test_single_documents_with_the_same_name_in_two_folders_do_not_replace_each_other(tmp_path):
    for folder, body in (("x", "甲"), ("y", "乙")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notice.txt").write_text(f"某县人民政府关于{body}事项的通知\n各乡镇：\n现就{body}事项通知如下。\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    report = ingest_sources(paths_to_sources([tmp_path / "x", tmp_path / "y"]), db, parsed_dir=None)
    assert [r.status for r in report.results] == ["loaded", "loaded"]
    assert len({r.issue_id for r in report.results}) == 2
    assert counts(db)["documents"] == 2


def test_malformed_input_never_fails_an_issue(tmp_path):
    """Numerals and dates that are no numbers or dates (OCR slips) lose that fact, not the issue."""
    text = (
        "某市人民政府关于任免工作人员的通知\n某政任〔2024〕3号\n各县人民政府：\n"
        "经市人民政府2024年13月45日第4次常务会议通过，决定任命：\n张伟为某市财政局副局长，任职时间从2023年13月算起；\n"
        "某办法\n第十百条 罚款99999999999999999999亿元以上。\n（十百）第一项。\n国务院令第百百号\n"
        "某市人民政府\n2024年2月30日\n"
    )
    path = tmp_path / "bad.txt"
    path.write_text(text, encoding="utf-8")
    report = ingest_sources(paths_to_sources([path]), tmp_path / "w.duckdb", parsed_dir=None)
    assert [r.status for r in report.results] == ["loaded"], report.results[0].error
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    person, decided_on, tenure = con.execute("SELECT person, decided_on, tenure_from FROM appointments").fetchone()
    signed = con.execute("SELECT signed_on FROM documents").fetchone()[0]
    amounts = con.execute("SELECT count(*) FROM amounts").fetchone()[0]
    con.close()
    assert (person, decided_on, tenure, signed, amounts) == ("张伟", None, None, None, 0)


def test_a_newer_parser_parses_old_loads_again(tmp_path, monkeypatch):
    """Same bytes, older parser_version: parsed again and replaced, so new tables fill for old issues."""
    db = tmp_path / "w.duckdb"
    ingest_sources(paths_to_sources([SAMPLE_TXT]), db, parsed_dir=None)
    con = duckdb.connect(str(db))
    con.execute("UPDATE issues SET parser_version = '0.0.1'")
    con.execute("DELETE FROM appointments")  # as if the table had arrived with the newer parser
    con.close()
    report = ingest_sources(paths_to_sources([SAMPLE_TXT]), db, parsed_dir=None)
    assert [r.status for r in report.results] == ["replaced"]
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM appointments").fetchone()[0] == 41
    con.close()
    again = ingest_sources(paths_to_sources([SAMPLE_TXT]), db, parsed_dir=None)
    assert [r.status for r in again.results] == ["skipped"]


# --- storage format (pipeline.store.warehouse.STORAGE_CONFIG; benchmarks/bench_load_growth.py) ---


def _storage_version(con, db) -> str:
    return con.execute("SELECT tags['storage_version'] FROM duckdb_databases() WHERE path = ?", [str(db)]).fetchone()[0]


def _load_and_close(db, issue) -> None:
    con = warehouse.connect(db)
    try:
        assert warehouse.load_issue(con, issue) == "loaded"
    finally:
        con.close()  # checkpoints: the rows are written in the file's format


def test_a_new_warehouse_is_written_in_v1_2_format_without_zstd(tmp_path, sample_issue):
    db = tmp_path / "w.duckdb"
    _load_and_close(db, sample_issue)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert _storage_version(con, db) == "v1.2.0+"
        compressions = {row[0] for row in con.execute(
            "SELECT DISTINCT compression FROM pragma_storage_info('documents') WHERE column_name = 'text'").fetchall()}
        assert compressions and "ZSTD" not in compressions
    finally:
        con.close()


def test_a_warehouse_in_duckdbs_default_format_keeps_it_and_holds_the_same_rows(tmp_path, sample_issue):
    """A warehouse created before STORAGE_CONFIG (DuckDB's default format) still loads, keeps its
    format, and holds exactly the rows a new-format warehouse holds (load times aside)."""
    old, new = tmp_path / "old.duckdb", tmp_path / "new.duckdb"
    duckdb.connect(str(old)).close()  # created in DuckDB's default format, as warehouses were
    _load_and_close(old, sample_issue)
    _load_and_close(new, sample_issue)
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{old}' AS old (READ_ONLY)")
        con.execute(f"ATTACH '{new}' AS new (READ_ONLY)")
        assert _storage_version(con, old) == "v1.0.0+"
        assert _storage_version(con, new) == "v1.2.0+"
        for table in warehouse.ROW_BUILDERS:
            columns = ", ".join(f'"{name}"' for (name,) in con.execute(
                """SELECT column_name FROM duckdb_columns() WHERE database_name = 'new' AND table_name = ?
                   AND data_type <> 'TIMESTAMP' ORDER BY column_index""", [table]).fetchall())
            differ = con.execute(
                f"""SELECT count(*) FROM ((SELECT {columns} FROM old.{table} EXCEPT ALL SELECT {columns} FROM new.{table})
                    UNION ALL (SELECT {columns} FROM new.{table} EXCEPT ALL SELECT {columns} FROM old.{table}))""").fetchone()[0]
            assert differ == 0, table
        assert con.execute("SELECT count(*) FROM new.documents").fetchone()[0] == 15
    finally:
        con.close()
