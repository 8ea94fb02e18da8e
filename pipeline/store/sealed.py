"""The analysts' sealed connection: whatever SQL runs on it, the warehouse, other
files and the network stay untouched.

Three locks, each closing what the others leave open (checked on DuckDB 1.4.4 by
tests/test_sql_sealed.py):

* the warehouse is opened read-only, so statements on it cannot write;
* ``enable_external_access = false`` refuses every file and URL (COPY … TO,
  read_csv('/etc/passwd'), INSTALL/LOAD, EXPORT DATABASE) and
  ``lock_configuration = true`` refuses any SET/RESET that would undo it;
* the SQL is parsed first and only queries run (``check_statements``): an
  ``ATTACH '<the same file by another spelling>' (READ_WRITE)`` is let through by
  the first two and would make the warehouse writable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.store import warehouse

# Statement types an analyst may run.  SELECT covers WITH, FROM-first, VALUES, DESCRIBE,
# SHOW, SUMMARIZE, PIVOT's query part and table PRAGMAs (table_info…); EXPLAIN cannot
# write, because nothing writable is attached.
READ_ONLY_TYPES = frozenset({"SELECT", "EXPLAIN"})
# Statement types that write files: the message points to the command that does it.
FILE_WRITING_TYPES = frozenset({"COPY", "EXPORT"})
QUERY_KINDS = "SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN"


class RefusedStatement(warehouse.WarehouseError):
    """SQL the sealed connection does not run; the message is one line."""


@dataclass(frozen=True)
class Checked:
    """A statement that passed ``check_statements``, ready for ``con.execute``."""

    statement: duckdb.Statement
    kind: str  # its StatementType name, e.g. SELECT


def seal(con: duckdb.DuckDBPyConnection) -> None:
    """Cut the connection off from files, the network and configuration changes for the
    rest of its life (the search macro needs no extension: pipeline.store.search_index)."""
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def connect_sealed(db: Path | str = warehouse.DEFAULT_DB, *, wait: float = warehouse.DEFAULT_WAIT) -> duckdb.DuckDBPyConnection:
    """A read-only, sealed connection to the warehouse (``WarehouseError`` when it cannot be opened)."""
    con = warehouse.connect(db, read_only=True, wait=wait)
    try:
        seal(con)
    except duckdb.Error as error:
        con.close()
        raise warehouse.WarehouseError(f"{db}: cannot seal the connection ({str(error).splitlines()[0]})") from error
    return con


def check_statements(con: duckdb.DuckDBPyConnection, sql: str, *, script: bool = False) -> list[Checked]:
    """Parse ``sql`` and return its statements when every one is a query; raise
    ``RefusedStatement`` otherwise.  Without ``script`` exactly one statement is allowed."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as error:
        raise RefusedStatement(str(error).splitlines()[0]) from error
    if not statements:
        raise RefusedStatement("no SQL statement given (only blanks or comments)")
    if len(statements) > 1 and not script:
        raise RefusedStatement(
            f"one statement per call ({len(statements)} given); for a script of queries use --file PATH")
    checked = [Checked(statement, statement.type.name) for statement in statements]
    for item in checked:
        refuse_unless_query(item.kind)
    return checked


def refuse_unless_query(kind: str) -> None:
    """Raise ``RefusedStatement`` for a statement type other than a query."""
    if kind in READ_ONLY_TYPES:
        return
    if kind in FILE_WRITING_TYPES:
        raise RefusedStatement(f"{kind} writes files, which `gazette sql` never does: use `gazette export` "
                               "(every table as Parquet, CSV or xlsx) or `gazette register --out`")
    raise RefusedStatement(f"`gazette sql` runs read-only queries only ({QUERY_KINDS}), not {kind} statements")
