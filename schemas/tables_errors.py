"""``ingest_errors``: one row per bad file (per sha256 and kind) that failed to ingest, and why.

A file that fails again (``--retry-failed``) updates its row (``attempts``,
``failed_at``, the latest message) instead of adding one; once the same bytes
load, the row is closed (``resolved_at``) and a later failure opens a new one.

Not per-issue data: a failed file has no issue.  So the table has no row
builder (``ROW_BUILDERS`` is empty) and no ``issue_id``/``doc_id`` column, and the
per-issue load never touches it; ``pipeline.store.quarantine`` writes each row in a
short transaction of its own.  A row with ``quarantined`` true makes later
runs skip those bytes (same sha256) until ``gazette ingest --retry-failed``.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Table

from schemas.tables import PostLoadStep, RowBuilder, View, metadata

ingest_errors = Table(
    "ingest_errors",
    metadata,
    Column("error_id", String, primary_key=True, comment="Stable id '<sha256 prefix or path hash>-<UTC timestamp of the first failure>'."),
    Column("source_path", String, comment="Path of the file as given to `gazette ingest`."),
    Column("sha256", String, comment="SHA-256 of the file's bytes (NULL when the file could not be read at all)."),
    Column("source_kind", String, comment="'pdf' or 'txt': identical bytes are quarantined per kind (an empty .pdf and an empty .txt fail differently)."),
    Column("size", Integer, comment="Size of the file in bytes."),
    Column(
        "stage",
        String,
        comment="Stage that failed: 'open' (not a PDF, empty, encrypted, over the page limit), "
        "'read' (pages and segmentation; 'parse' when run by the Prefect flow), 'extract', 'write' (data/parsed) "
        "or 'load' (warehouse).",
    ),
    Column("error_class", String, comment="Python class of the error, e.g. EncryptedPdfError, PageLimitError, PdfReadError."),
    Column("message", String, comment="The one-line message printed by `gazette ingest`."),
    Column("failed_at", DateTime, comment="When the latest failure happened (UTC). (Not `at`: a reserved word in DuckDB, unusable unquoted.)"),
    Column("first_failed_at", DateTime, comment="When these bytes first failed (UTC)."),
    Column("attempts", Integer, comment="How many runs have failed on these bytes since the row was opened."),
    Column(
        "quarantined",
        Boolean,
        comment="True when the failure belongs to the file's bytes (stages open/read/extract): later runs skip this sha256 "
        "until --retry-failed. False for failures of the environment (write, load), retried on the next run.",
    ),
    Column(
        "quarantine_path",
        String,
        comment="Copy of the bad file kept for inspection, quarantine/<sha256[:12]>-<name> beside the warehouse; "
        "the original is never moved or deleted.",
    ),
    Column("parser_version", String, comment="Version of the parser that failed on the file."),
    Column(
        "superseded_issue",
        String,
        comment="For a file superseded by another file of the same issue (error_class SupersededError, stage 'load'): "
        "the issue_id both parse to. The newer file (by modification time, then by path) is the one loaded.",
    ),
    Column(
        "over_limit",
        String,
        comment="For a file refused by a limit: the setting and its value then, e.g. 'max_pages=2000'. "
        "A run with another value of that setting tries the file again by itself.",
    ),
    Column("resolved_at", DateTime, comment="When the same bytes later loaded (after --retry-failed with a fixed parser); NULL while unresolved."),
    comment="Files that failed to ingest: one row per bad file (sha256 and kind), written outside the per-issue load.",
)

# Not per-issue data (see above): no row builder, so the per-issue load never touches it.
ROW_BUILDERS: dict[str, RowBuilder] = {}
VIEWS: tuple[View, ...] = ()
POST_LOAD: tuple[PostLoadStep, ...] = ()
