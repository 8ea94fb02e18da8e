"""Load parsed issues into the DuckDB warehouse, one transaction per issue.

* The DDL is compiled from ``schemas.tables.metadata`` (SQLAlchemy Core) for
  DuckDB, with a COMMENT ON for every table and column.
* ``load_issue`` replaces everything an issue owns inside one transaction:
  a crash halfway leaves the warehouse as it was.  Loading identical bytes
  again (same sha256) changes nothing.
* Rows go in through Arrow (``INSERT … SELECT`` from a registered Arrow
  table): DuckDB's row-by-row ``executemany`` is orders of magnitude slower.
* The per-issue tables (those of ``ROW_BUILDERS``) have no PRIMARY KEY
  constraint in DuckDB: DuckDB keeps one as an ART index and rewrites the whole
  index at every checkpoint, so each checkpoint cost more as the warehouse
  grew (measured: 0.2 s → 1.3 s per checkpoint over the 683 regulations; see
  benchmarks/bench_load_growth.py).  The key declared in ``schemas`` is checked
  by ``load_issue`` instead (``check_keys``): unique in the issue and prefixed
  with the issue's id, so no other issue can hold it.  Warehouses made before
  keep their constraints (DuckDB cannot drop one), which only costs time.
* Checkpoints (DuckDB moves its WAL into the file when a write connection
  closes, and whenever the WAL passes 16 MB).  Rows added since the last
  checkpoint form new row groups, and by default DuckDB's checkpoint then
  merges a table's small row groups (under 2,048 rows) and rewrites every row
  of the merge.  For ``documents`` (one row per document, its whole text,
  14 KB on average in the regulations corpus) that was a sawtooth: while the
  table's trailing row groups held fewer than 2,048 documents, each one-file
  ingest rewrote all of their texts (26 ms of CPU at 653 regulations, 78 ms at
  1,500, 3 ms just past 2,048), so a checkpoint cost 1.7–1.8× more in the
  653-regulation warehouse than in an empty one.  Write connections set
  ``max_vacuum_tasks`` to 0 (``CHECKPOINT_CONFIG``): a checkpoint writes the
  new rows and leaves the others.  Never merging costs more than it saves,
  though: each checkpoint leaves every table a row group and some partly
  filled blocks, so over 300 one-file loads the file grew to 885 MB (36 MB
  merging) and a checkpoint from 56 to 273 ms.  So ``close`` lets every
  ``COMPACT_EVERY``-th checkpoint merge (and the one after ``gazette remove``,
  whose deletes leave holes in row groups shared with other issues): over
  the same 300 loads, 66 ms a checkpoint on average against 113 ms merging
  each time, growing 1.1× from the first 30 to the last 30 against 1.45×,
  for a file of 77 MB against 35 MB (what a merge frees, the checkpoints
  after it reuse, so the extra does not grow with the warehouse).  A merge
  needs a checkpoint, and DuckDB skips the checkpoint of a connection that
  changed nothing: an ingest run always writes at its end (its row in
  ``runs``), and ``gazette remove`` deletes.  New
  warehouses are written in v1.2.0's storage format (``STORAGE_CONFIG``): in
  DuckDB's default format every checkpoint also converts the distinct-count
  sketch of every column of every table, changed or not (after one appended
  row, 23 ms of CPU against 6 ms at 653 regulations).

The tables, their row builders, the views and the post-load steps come from
the table modules listed in ``schemas.TABLE_MODULES``, combined there into
``schemas.ROW_BUILDERS``, ``schemas.VIEWS`` and ``schemas.POST_LOAD``.
"""

from __future__ import annotations

import hashlib
import re
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:  # pyarrow, SQLAlchemy and the schemas load on first use: `gazette sql` starts without them
    from collections.abc import Mapping

    import pyarrow as pa
    from sqlalchemy import Table

    from schemas import Issue, View

DEFAULT_DB = Path("data/warehouse.duckdb")
_FROM_SCHEMAS = ("PARSER_VERSION", "POST_LOAD", "ROW_BUILDERS", "VIEWS")


def __getattr__(name: str):
    """``warehouse.ROW_BUILDERS`` and the other registries of ``schemas``, imported on first use."""
    if name in _FROM_SCHEMAS:
        import schemas

        return getattr(schemas, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

class WarehouseError(RuntimeError):
    """The warehouse cannot be opened or written; the message is one line."""


# ---------------------------------------------------------------------------
# DDL


def _dialect():
    from duckdb_engine import Dialect

    return Dialect()


def ddl_statements() -> list[str]:
    """CREATE TABLE and COMMENT ON statements for every table, in dependency order, then
    the views and macros of ``schemas.VIEWS`` over those tables, in their order."""
    from sqlalchemy.schema import SetColumnComment, SetTableComment

    from schemas import VIEWS
    from schemas.tables import metadata

    dialect = _dialect()
    statements = []
    for table in metadata.sorted_tables:
        statements.append(create_table_sql(table, dialect, if_not_exists=True))
        if table.comment:
            statements.append(str(SetTableComment(table).compile(dialect=dialect)))
        for column in table.columns:
            if column.comment:
                statements.append(str(SetColumnComment(column).compile(dialect=dialect)))
    every_table = set(metadata.tables)
    for view in VIEWS:
        statements.extend(view_statements(view, every_table))
    return statements


_PRIMARY_KEY_CLAUSE = re.compile(r",\s*PRIMARY KEY \([^)]*\)")


def create_table_sql(table: Table, dialect, *, if_not_exists: bool = False) -> str:  # noqa: ANN001
    """CREATE TABLE for ``table``; a per-issue table (one of ``ROW_BUILDERS``) without
    its PRIMARY KEY clause (its key is checked by ``load_issue``; see the module doc).
    The key columns stay NOT NULL."""
    from sqlalchemy.schema import CreateTable

    from schemas import ROW_BUILDERS

    create = str(CreateTable(table, if_not_exists=if_not_exists).compile(dialect=dialect)).strip()
    if table.name in ROW_BUILDERS:
        create = _PRIMARY_KEY_CLAUSE.sub("", create)
    return create


def ddl_script() -> str:
    """The whole DDL as one script (written to schemas/warehouse.sql)."""
    header = "-- Generated from schemas/tables.py by `gazette schema --sql`; do not edit by hand.\n"
    return header + "".join(statement.rstrip() + ";\n" for statement in ddl_statements())


# DuckDB's memory for a writing connection (loads, links, the search index); past it DuckDB
# spills to its temp directory. Its default, 80% of RAM, let a 2,000-page issue's index
# update hold 225 MB more than it needed (1.0 GB peak for the ingest, 0.83 GB with this).
WRITE_MEMORY_LIMIT = "256MB"
# The warehouse needs no DuckDB extension (search is plain SQL): never try to download one.
OFFLINE_CONFIG = {"autoinstall_known_extensions": False}
# How a writing connection stores data (see "Checkpoints" in the module doc; measured side by side
# by benchmarks/bench_load_growth.py --storage). v1.2.0's format stores each column's distinct-count
# sketch as it is. ZSTD, new in that format, stays off: it made the rewrite of documents.text at
# each checkpoint 3x slower. The format of a warehouse is fixed when it is created (one made before
# keeps DuckDB's default); DuckDB 1.2 or later opens it.
STORAGE_CONFIG = {"storage_compatibility_version": "v1.2.0", "disabled_compression_methods": "zstd"}
# A write connection's checkpoints write the rows added since the last one and nothing else: no
# merging of small row groups, except at every COMPACT_EVERY-th (``close``; see "Checkpoints" in
# the module doc).  Runtime settings: they apply to any warehouse, whenever it was made.
CHECKPOINT_CONFIG = {"max_vacuum_tasks": 0}
DUCKDB_VACUUM_TASKS = 100  # DuckDB's own max_vacuum_tasks: a checkpoint that merges again
# Checkpoints between merges (``benchmarks/bench_load_growth.py --closes 300``, one-file loads of
# regulations, a checkpoint each): merging every 8th, 52 ms a checkpoint (1.2× from the first 30
# to the last 30), 52 MB; every 16th, 56–66 ms (1.0–1.1×), 77 MB; DuckDB's every one, 105–113 ms
# (1.4×), 36 MB; none, 273 ms at the end, 885 MB.
COMPACT_EVERY = 16
DEFAULT_WAIT = 0.0  # seconds to wait for another process's lock before giving up
_LOCK_HOLDER = re.compile(r"\(PID (\d+)\)")


def connect(
    db: Path | str = DEFAULT_DB, *, read_only: bool = False, wait: float = DEFAULT_WAIT, create: bool = True
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; create it (and its tables and views) when writing.

    DuckDB lets one process write a database file, and no other process open
    it meanwhile (read-only opens need every holder to be read-only).  When the
    file is locked, retry with exponential backoff for up to ``wait`` seconds,
    then raise ``WarehouseError`` naming the process that holds the lock.
    ``create=False`` skips creating/upgrading tables and views (for a caller
    that reopens a warehouse it has already opened once)."""
    db = Path(db)
    if read_only and not db.exists():
        raise WarehouseError(f"{db}: no warehouse here yet (run `gazette ingest` first)")
    if not read_only:
        db.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + max(wait, 0.0)
    delay = 0.05
    while True:
        try:
            config = OFFLINE_CONFIG if read_only else {
                **OFFLINE_CONFIG, "memory_limit": WRITE_MEMORY_LIMIT, **STORAGE_CONFIG, **CHECKPOINT_CONFIG}
            con = duckdb.connect(str(db), read_only=read_only, config=config)
            break
        except duckdb.IOException as error:
            message = str(error).splitlines()[0]
            if "lock" not in message.lower():
                raise WarehouseError(f"{db}: cannot open ({message})") from error
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WarehouseError(lock_message(db, message, read_only=read_only, wait=wait)) from error
            time.sleep(min(delay, remaining))
            delay = min(delay * 2, 1.0)
    if not read_only and create:
        ensure_schema(con)
    return con


def close(con: duckdb.DuckDBPyConnection, *, compact: bool = False) -> None:
    """Close a write connection, which checkpoints; that checkpoint also merges the small row
    groups left by the checkpoints before it when ``compact`` (after deletes) or ``merge_due``."""
    try:
        if compact or merge_due(con):
            con.execute(f"SET max_vacuum_tasks = {DUCKDB_VACUUM_TASKS}")
    except duckdb.Error:
        pass  # a connection that failed mid-transaction still closes; a later close merges
    con.close()


def checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """CHECKPOINT now, merging as ``close`` would, and keep the connection as it was."""
    merge = merge_due(con)
    if merge:
        con.execute(f"SET max_vacuum_tasks = {DUCKDB_VACUUM_TASKS}")
    try:
        con.execute("CHECKPOINT")
    finally:
        if merge:
            con.execute(f"SET max_vacuum_tasks = {CHECKPOINT_CONFIG['max_vacuum_tasks']}")


def merge_due(con: duckdb.DuckDBPyConnection) -> bool:
    """COMPACT_EVERY checkpoints have added issues since the last merge: each left ``issues``
    (one row per issue) a row group of its own, and a merge leaves it one, so the checkpoints
    since the last merge are its row groups."""
    return con.execute("SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('issues')").fetchone()[0] >= COMPACT_EVERY


GENERATED_DDL = Path(__file__).resolve().parents[2] / "schemas" / "warehouse.sql"  # package data of schemas


def lock_message(db: Path, duckdb_message: str, *, read_only: bool, wait: float) -> str:
    """One line saying who holds the warehouse and what to do."""
    match = _LOCK_HOLDER.search(duckdb_message)
    holder = f"another process (PID {match[1]})" if match else "another process"
    waited = f" (waited {wait:g} s)" if wait > 0 else ""
    if read_only:
        return (
            f"{db}: {holder} is writing to the warehouse{waited}; "
            "queries can run when it finishes (DuckDB allows no readers while a process writes)"
        )
    return (
        f"{db}: the warehouse is in use by {holder}{waited}: an ingest, or an open `gazette sql`/duckdb session; "
        "try again when it finishes, or pass --wait SECONDS"
    )


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create what is missing: a new warehouse runs the generated DDL (``schemas/warehouse.sql``:
    tables and views, kept equal to ``ddl_script()`` by tests/test_warehouse.py; compiling it
    from SQLAlchemy instead was a fifth of a short ingest's start-up, and importing the table
    modules for the views delayed a long PDF's reader processes by 0.25 s); an existing one gets
    the missing tables and columns from the metadata, then the views again; either records the
    DDL's hash in ``warehouse_schema``.  An existing warehouse whose recorded hash is this
    DDL's, and which has every table and view it creates, is left as it is: the upgrade
    (SQLAlchemy and every table module imported, every view made again) made opening an
    existing warehouse 0.44 s instead of 0.03 s for every later command that writes (issue 12)."""
    existing = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    ddl = GENERATED_DDL.read_text(encoding="utf-8") if GENERATED_DDL.is_file() else None
    if ddl is not None and not existing:  # tables and views: no SQLAlchemy, no table module imported
        con.execute("BEGIN")
        con.execute(ddl)
        _record_schema(con, ddl)
        con.execute("COMMIT")
        return
    if ddl is not None and schema_is_current(con, existing, ddl):
        return
    from schemas import TABLE_MODULES  # noqa: F401 - each table module puts its tables on the metadata
    from schemas.tables import metadata

    con.execute("BEGIN")
    for table in metadata.sorted_tables:
        if table.name not in existing:
            _create_table(con, table)
        else:
            _add_missing_columns(con, table)
    con.execute("COMMIT")
    if not create_views(con) and ddl is not None:  # every view made: the warehouse is what the DDL makes
        con.execute("BEGIN")
        _record_schema(con, ddl)
        con.execute("COMMIT")


# What a DDL script creates: tables, views and table macros (groups: kind, name).
_DDL_OBJECT = re.compile(r"""
    ^CREATE\s+(?:OR\s+REPLACE\s+)?
    (TABLE|VIEW|MACRO)          # kind (a table macro is `CREATE OR REPLACE MACRO name(...) AS TABLE`)
    \s+(?:IF\s+NOT\s+EXISTS\s+)?
    (\w+)                       # its name
""", re.MULTILINE | re.VERBOSE)


def ddl_fingerprint(ddl: str) -> str:
    return hashlib.sha256(ddl.encode("utf-8")).hexdigest()


def schema_is_current(con: duckdb.DuckDBPyConnection, tables: set[str], ddl: str) -> bool:
    """``ensure_schema`` made or upgraded this warehouse to ``ddl`` (its hash is recorded), and
    every table, view and macro ``ddl`` creates is still there (a view dropped by hand is made
    again)."""
    if "warehouse_schema" not in tables:
        return False
    recorded = con.execute("SELECT ddl_sha256 FROM warehouse_schema").fetchall()
    if recorded != [(ddl_fingerprint(ddl),)]:
        return False
    present = tables | {row[0] for row in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal "
        "UNION ALL SELECT function_name FROM duckdb_functions() WHERE function_type = 'table_macro'").fetchall()}
    return all(match[2] in present for match in _DDL_OBJECT.finditer(ddl))


def _record_schema(con: duckdb.DuckDBPyConnection, ddl: str) -> None:
    con.execute("DELETE FROM warehouse_schema")
    con.execute("INSERT INTO warehouse_schema VALUES (?, now() AT TIME ZONE 'UTC')", [ddl_fingerprint(ddl)])


def create_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """(Re)create the views of ``schemas.VIEWS`` in order; return the names skipped.

    A view whose tables are missing (its module's tables are not in this build,
    or an earlier view it uses was skipped) is dropped and skipped without
    error.  A view whose select is a function gets the set of existing tables
    and returns its SELECT (or None to skip), so it can adapt to optional tables.
    Any other error (a misspelt column) is a bug and is raised.

    All in one transaction when no view is skipped: a commit per statement
    made this 0.8 s of every write connection, one commit 0.12 s (measured
    on a new warehouse).  When a view must be skipped the transaction is
    rolled back (DuckDB aborts it at the error) and the views are made again
    one statement at a time.
    """
    con.execute("BEGIN")
    try:
        skipped = _create_views(con, skip_missing=False)
    except duckdb.CatalogException:
        con.execute("ROLLBACK")
        return _create_views(con, skip_missing=True)
    con.execute("COMMIT")
    return skipped


def _create_views(con: duckdb.DuckDBPyConnection, *, skip_missing: bool) -> list[str]:
    from schemas import VIEWS

    skipped = []
    for view in VIEWS:
        tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()} if callable(view.select) else set()
        kind = "MACRO TABLE" if view.parameters else "VIEW"
        statements = view_statements(view, tables)
        try:
            for statement in statements:
                con.execute(statement)
            if statements:
                continue
        except duckdb.CatalogException as error:
            if not skip_missing or "does not exist" not in str(error):
                raise
        con.execute(f"DROP {kind} IF EXISTS {view.name}")
        skipped.append(view.name)
    return skipped


def view_statements(view: View, tables: set[str]) -> list[str]:
    """CREATE OR REPLACE of a view (or table macro) and its COMMENTs, over the warehouse's
    ``tables`` (a select that is a function of them may skip the view: no statement)."""
    select_sql = view.select(tables) if callable(view.select) else view.select
    if select_sql is None:
        return []
    if view.parameters:
        statements = [f"CREATE OR REPLACE MACRO {view.name}({', '.join(view.parameters)}) AS TABLE {select_sql}"]
        kind = "MACRO TABLE"
    else:
        statements = [f"CREATE OR REPLACE VIEW {view.name} AS {select_sql}"]
        kind = "VIEW"
    if view.comment:
        statements.append(f"COMMENT ON {kind} {view.name} IS " + _sql_string(view.comment))
    if not view.parameters:  # a macro's columns have no catalog entry to comment on
        statements.extend(f'COMMENT ON COLUMN {view.name}."{column}" IS ' + _sql_string(text)
                          for column, text in view.columns.items())
    return statements


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _create_table(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    from sqlalchemy.schema import SetColumnComment, SetTableComment

    dialect = _dialect()
    con.execute(create_table_sql(table, dialect))
    if table.comment:
        con.execute(str(SetTableComment(table).compile(dialect=dialect)))
    for column in table.columns:
        if column.comment:
            con.execute(str(SetColumnComment(column).compile(dialect=dialect)))


def _add_missing_columns(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    """A newer parser may add columns; older warehouses gain them (NULL for old rows)."""
    from sqlalchemy.schema import SetColumnComment

    have = {row[0] for row in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [table.name]).fetchall()}
    dialect = _dialect()
    for column in table.columns:
        if column.name not in have:
            type_sql = column.type.compile(dialect=dialect)
            con.execute(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {type_sql}')
            if column.comment:
                con.execute(str(SetColumnComment(column).compile(dialect=dialect)))


# ---------------------------------------------------------------------------
# Arrow conversion


def _arrow_type(column) -> pa.DataType:
    import pyarrow as pa
    from sqlalchemy.sql import sqltypes

    kind = column.type
    if isinstance(kind, sqltypes.ARRAY):
        item = kind.item_type
        return pa.list_(pa.int64() if isinstance(item, sqltypes.Integer) else pa.string())
    if isinstance(kind, sqltypes.Boolean):
        return pa.bool_()
    if isinstance(kind, sqltypes.Integer):
        return pa.int64()
    if isinstance(kind, sqltypes.Numeric) and not isinstance(kind, sqltypes.Float):
        return pa.decimal128(kind.precision or 18, kind.scale if kind.scale is not None else 2)
    if isinstance(kind, sqltypes.Float):
        return pa.float64()
    if isinstance(kind, sqltypes.DateTime):
        return pa.timestamp("us")
    if isinstance(kind, sqltypes.Date):
        return pa.date32()
    return pa.string()


def rows_to_arrow(table: Table, rows: list[dict]) -> pa.Table:
    import pyarrow as pa

    columns = {}
    for column in table.columns:
        values = [row.get(column.name) for row in rows]
        arrow_type = _arrow_type(column)
        if pa.types.is_decimal(arrow_type):
            values = [Decimal(str(v)) if v is not None and not isinstance(v, Decimal) else v for v in values]
        columns[column.name] = pa.array(values, type=arrow_type)
    return pa.table(columns)


# ---------------------------------------------------------------------------
# Loading


def issue_state(con: duckdb.DuckDBPyConnection, issue_id: str) -> tuple[str, str] | None:
    """(sha256, parser_version) the warehouse holds for ``issue_id``, if any."""
    row = con.execute("SELECT source_sha256, parser_version FROM issues WHERE issue_id = ?", [issue_id]).fetchone()
    return (row[0], row[1]) if row else None


def sha_is_loaded(con: duckdb.DuckDBPyConnection, sha256: str) -> str | None:
    """The issue_id already loaded from these exact bytes by this parser version, if any.

    Bytes loaded by an older parser are parsed again, so an upgrade fills new
    tables and columns for old issues (the reload replaces their rows)."""
    from schemas import PARSER_VERSION

    row = con.execute(
        "SELECT issue_id FROM issues WHERE source_sha256 = ? AND parser_version = ?", [sha256, PARSER_VERSION]
    ).fetchone()
    return row[0] if row else None


def issue_source(con: duckdb.DuckDBPyConnection, issue_id: str) -> tuple[str, str, str | None] | None:
    """(source_sha256, source_path, source_kind) of the file ``issue_id`` was loaded from, if loaded."""
    row = con.execute("SELECT source_sha256, source_path, source_kind FROM issues WHERE issue_id = ?", [issue_id]).fetchone()
    return (row[0], row[1], row[2]) if row else None


def _owned_by_issue(table: Table) -> str | None:
    """The WHERE clause selecting an issue's rows in ``table`` (``?`` the issue_id)."""
    if "issue_id" in table.columns:
        return "issue_id = ?"
    if "doc_id" in table.columns:
        return "doc_id IN (SELECT doc_id FROM documents WHERE issue_id = ?)"
    return None


def load_issue(con: duckdb.DuckDBPyConnection, issue: Issue, prebuilt: Mapping[str, list[dict]] | None = None) -> str:
    """Replace ``issue``'s rows in one transaction.  Returns 'skipped', 'replaced' or 'loaded'.
    ``prebuilt``: rows of some tables already built from ``issue`` (by table name; pipeline.ingest
    builds the search rows in another process while it extracts); the others are built here."""
    from schemas.tables import metadata

    # Read as this module's attributes (schemas' registries unless a caller swapped them, as tests do).
    ROW_BUILDERS, POST_LOAD = sys.modules[__name__].ROW_BUILDERS, sys.modules[__name__].POST_LOAD  # noqa: N806
    previous = issue_state(con, issue.issue_id)
    if previous == (issue.source_sha256, issue.parser_version):
        return "skipped"
    tables = [metadata.tables[name] for name in ROW_BUILDERS]
    prebuilt = dict(prebuilt or {})  # popped as used, so each table's rows are freed once inserted
    con.execute("BEGIN TRANSACTION")
    try:
        if previous:  # an issue without its issues row owns no rows (loads and removals are transactions)
            _delete_issue_rows(con, issue.issue_id)
        for table in tables:
            # One table's rows at a time: a 2,000-page issue's rows of every table held together
            # were the peak of its ingest's memory. A bad key rolls the whole issue back.
            rows = list(prebuilt.pop(table.name) if table.name in prebuilt else ROW_BUILDERS[table.name](issue))
            check_keys(table, rows, issue.issue_id)
            if not rows:
                continue
            con.register("_incoming", rows_to_arrow(table, rows))
            del rows
            names = ", ".join(f'"{c.name}"' for c in table.columns)
            con.execute(f"INSERT INTO {table.name} ({names}) SELECT {names} FROM _incoming")
            con.unregister("_incoming")
        for step in POST_LOAD:  # a new issue: the links it can change; a replaced one: all (its old rows are gone)
            step(con, None if previous else issue)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return "replaced" if previous else "loaded"


def check_keys(table: Table, rows: list[dict], issue_id: str) -> None:
    """Raise ``WarehouseError`` unless every row's key (the primary key declared in
    ``schemas``) is set, unique among ``rows`` and the issue's own: ``issue_id`` itself
    or an id under it (``<issue_id>/…``), which no other issue can hold.  This is the
    check a PRIMARY KEY constraint made (see the module doc for why there is none)."""
    names = [column.name for column in table.primary_key.columns]
    if not names:
        return
    seen: set[tuple] = set()
    prefix = issue_id + "/"
    for row in rows:
        key = tuple(row.get(name) for name in names)
        problem = (
            "is missing" if None in key
            else "is not unique in the issue" if key in seen
            else "is not the issue's (not under its issue_id)"
            if not all(isinstance(v, str) and (v == issue_id or v.startswith(prefix)) for v in key)
            else None
        )
        if problem:
            raise WarehouseError(f"{issue_id}: {table.name} key {', '.join(names)} = {key!r} {problem}")
        seen.add(key)


def _delete_issue_rows(con: duckdb.DuckDBPyConnection, issue_id: str) -> dict[str, int]:
    """Delete every row ``issue_id`` owns (inside the caller's transaction); rows deleted per table.
    The issue's doc_ids are read once, not joined against documents in every table's delete."""
    from schemas.tables import metadata

    tables = [metadata.tables[name] for name in sys.modules[__name__].ROW_BUILDERS]
    doc_ids = [row[0] for row in con.execute("SELECT doc_id FROM documents WHERE issue_id = ?", [issue_id]).fetchall()]
    deleted = {}
    for table in tables:
        if "issue_id" in table.columns:
            where, key = "issue_id = ?", issue_id
        elif "doc_id" in table.columns:
            where, key = "doc_id IN (SELECT unnest(?::VARCHAR[]))", doc_ids
        else:
            continue
        deleted[table.name] = con.execute(f"DELETE FROM {table.name} WHERE {where}", [key]).fetchone()[0]
    return deleted


def remove_issue(con: duckdb.DuckDBPyConnection, issue_id: str) -> dict[str, int]:
    """Delete all of ``issue_id``'s rows in one transaction and recompute the links across
    issues (``POST_LOAD`` steps, called with None): citations of its documents from other
    issues lose their ``cited_doc_id`` (or find another document of the same number), and
    documents it repealed lose ``repealed_by``.  Returns rows deleted per table (all zero
    when the issue is not loaded).  The search index is the caller's to rebuild."""
    con.execute("BEGIN TRANSACTION")
    try:
        deleted = _delete_issue_rows(con, issue_id)
        if any(deleted.values()):
            for step in sys.modules[__name__].POST_LOAD:  # read at call time: tests swap the registry
                step(con, None)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return deleted
