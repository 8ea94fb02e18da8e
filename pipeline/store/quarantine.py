"""Record failed files in ``ingest_errors`` and keep them out of later runs.

Quarantine is a *mark*, not a move: the row in ``ingest_errors`` (keyed by the
file's sha256) tells later runs to skip those bytes, and a copy of the file
goes to ``quarantine/<sha256[:12]>-<name>`` beside the warehouse
(``data/quarantine/`` for the default ``data/warehouse.duckdb``) so the evidence survives even
if the original is edited or replaced (a copy, not a hard link: an in-place
edit would change a hard link too).  The user's file is never moved or deleted.

Each function here runs its own short transaction on a connection the caller
opened; none of it goes through the per-issue load (a failed file has no issue).
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

DEFAULT_QUARANTINE_NAME = "quarantine"  # a folder beside the warehouse file: data/quarantine by default
DEFAULT_QUARANTINE_MAX_BYTES = 256 * 1024 * 1024  # copies kept in all; the oldest go first past this
# Failures of these stages come from the file's bytes: the same bytes fail the
# same way, so they are quarantined.  'write' and 'load' fail for reasons of the
# machine (disk full, warehouse locked) and are tried again on the next run.
QUARANTINE_STAGES = frozenset({"open", "read", "parse", "extract"})  # 'parse' is the flows' name for read


@dataclass(frozen=True)
class Quarantined:
    """The latest unresolved quarantine row for a sha256."""

    stage: str
    error_class: str
    message: str
    at: datetime
    over_limit: str | None = None  # 'max_pages=2000' when a limit refused it

    def limit_changed(self, settings: Mapping[str, object]) -> bool:
        """Whether the limit that refused these bytes has another value in ``settings`` now."""
        if not self.over_limit:
            return False
        name, _, value = self.over_limit.partition("=")
        return name in settings and str(settings[name]) != value


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def error_id_for(source_path: str, sha256: str | None, at: datetime) -> str:
    key = sha256[:12] if sha256 else hashlib.sha256(source_path.encode("utf-8")).hexdigest()[:12]
    return f"{key}-{at.strftime('%Y%m%dT%H%M%S.%f')}"


def quarantine_dir_for(con: duckdb.DuckDBPyConnection) -> Path:
    """The quarantine folder beside the warehouse file ``con`` is connected to."""
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return Path(row[0]).parent / DEFAULT_QUARANTINE_NAME if row and row[0] else Path(DEFAULT_QUARANTINE_NAME)


def quarantine_copy(path: Path, sha256: str, directory: Path, *,
                    max_bytes: int | None = DEFAULT_QUARANTINE_MAX_BYTES) -> Path | None:
    """Keep a copy of the bad file as ``<directory>/<sha256[:12]>-<name>``: one copy per
    sha256 (the same bytes under another name are not copied again), and at most
    ``max_bytes`` of copies in the folder, the oldest removed first (``prune``).

    Returns None when the file is gone, cannot be copied or is larger than ``max_bytes``
    alone: the row in ``ingest_errors`` is the quarantine; the copy is only evidence."""
    directory = Path(directory)
    kept = next((p for p in sorted(directory.glob(f"{sha256[:12]}-*")) if not p.name.endswith(".partial")), None)
    if kept is not None:
        return kept
    target = directory / f"{sha256[:12]}-{Path(path).name}"
    try:
        if max_bytes is not None and Path(path).stat().st_size > max_bytes:
            return None
        directory.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        shutil.copy2(path, partial)
        partial.replace(target)  # never leave a half copy under the final name
        target.touch()  # copy2 kept the file's own mtime; the folder is pruned by when copies were made
    except OSError:
        return None
    if max_bytes is not None:
        prune(directory, max_bytes, keep=target)
    return target


def prune(directory: Path, max_bytes: int, *, keep: Path | None = None) -> list[Path]:
    """Remove the oldest copies (by modification time, then name) until the folder holds at
    most ``max_bytes``; ``keep`` is never removed.  Returns the removed paths (their
    ``ingest_errors.quarantine_path`` then names a file that is gone)."""
    copies = []
    for copy in Path(directory).iterdir():
        try:
            if copy.is_file():
                copies.append((copy.stat().st_mtime, copy.name, copy.stat().st_size, copy))
        except OSError:
            continue
    total = sum(size for _, _, size, _ in copies)
    removed = []
    for _, _, size, copy in sorted(copies):
        if total <= max_bytes:
            break
        if copy == keep:
            continue
        try:
            copy.unlink()
        except OSError:
            continue
        total -= size
        removed.append(copy)
    return removed


def record_error(
    con: duckdb.DuckDBPyConnection,
    *,
    source_path: str,
    sha256: str | None,
    source_kind: str | None,
    size: int | None,
    stage: str,
    error_class: str,
    message: str,
    quarantined: bool,
    quarantine_path: Path | None = None,
    superseded_issue: str | None = None,
    over_limit: str | None = None,
) -> str:
    """Record a failure in its own transaction; returns the row's error_id.

    The open (unresolved) row of the same bytes and kind is updated — one
    more attempt, the latest message — rather than a new row added."""
    from schemas.models import PARSER_VERSION  # not at import: the CLI starts without the schemas

    at = _now()
    values = {
        "source_path": source_path, "size": size, "stage": stage, "error_class": error_class,
        "message": message, "failed_at": at, "quarantined": quarantined,
        "quarantine_path": str(quarantine_path) if quarantine_path else None, "parser_version": PARSER_VERSION,
        "superseded_issue": superseded_issue, "over_limit": over_limit,
    }
    con.execute("BEGIN TRANSACTION")
    try:
        row = con.execute(
            """SELECT error_id FROM ingest_errors
               WHERE sha256 IS NOT DISTINCT FROM ? AND source_kind IS NOT DISTINCT FROM ? AND resolved_at IS NULL
                 AND (sha256 IS NOT NULL OR source_path = ?)  -- unread files are told apart by path
               ORDER BY failed_at DESC LIMIT 1""",
            [sha256, source_kind, source_path],
        ).fetchone()
        if row:
            error_id = row[0]
            assignments = ", ".join(f"{name} = ?" for name in values)
            con.execute(
                f"UPDATE ingest_errors SET {assignments}, attempts = attempts + 1 WHERE error_id = ?",
                [*values.values(), error_id],
            )
        else:
            error_id = error_id_for(source_path, sha256, at)
            row_values = {"error_id": error_id, "sha256": sha256, "source_kind": source_kind, **values,
                          "first_failed_at": at, "attempts": 1}
            names = ", ".join(row_values)
            marks = ", ".join("?" for _ in row_values)
            con.execute(f"INSERT INTO ingest_errors ({names}) VALUES ({marks})", list(row_values.values()))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return error_id


def quarantined(con: duckdb.DuckDBPyConnection, sha256: str, source_kind: str) -> Quarantined | None:
    """The latest unresolved quarantine of these bytes read as this kind, if any."""
    row = con.execute(
        """SELECT stage, error_class, message, failed_at, over_limit FROM ingest_errors
           WHERE sha256 = ? AND source_kind = ? AND quarantined AND resolved_at IS NULL
           ORDER BY failed_at DESC LIMIT 1""",
        [sha256, source_kind],
    ).fetchone()
    return Quarantined(*row) if row else None


def superseded(con: duckdb.DuckDBPyConnection, sha256: str) -> tuple[str, str] | None:
    """(issue_id, path of the file now holding it) when these bytes were superseded by another
    file of the same issue and that file still holds the issue; None otherwise."""
    row = con.execute(
        """SELECT e.superseded_issue, i.source_path FROM ingest_errors e
           JOIN issues i ON i.issue_id = e.superseded_issue AND i.source_sha256 <> e.sha256
           WHERE e.sha256 = ? AND e.error_class = 'SupersededError' AND e.resolved_at IS NULL
           ORDER BY e.failed_at DESC LIMIT 1""",
        [sha256],
    ).fetchone()
    return (row[0], row[1]) if row else None


def resolve(con: duckdb.DuckDBPyConnection, sha256: str, source_path: str | None = None) -> int:
    """Mark earlier failures of these bytes resolved (they have now loaded), and those of the
    file at ``source_path`` whatever bytes it had then (a file fixed in place loads with new
    bytes: its old failure is over).  Returns how many."""
    where = "resolved_at IS NULL AND (sha256 = ? OR source_path = ?)"
    count = con.execute(f"SELECT count(*) FROM ingest_errors WHERE {where}", [sha256, source_path]).fetchone()[0]
    if count:
        con.execute(f"UPDATE ingest_errors SET resolved_at = ? WHERE {where}", [_now(), sha256, source_path])
    return count
