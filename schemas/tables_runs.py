"""The run log: what each ingest or fetch run did, for analysts and operators.

These tables are not per-issue data: they have no row builder, so the
per-issue load (``pipeline.store.warehouse.load_issue``) never deletes or replaces
them.  ``pipeline.store.runlog`` writes them in their own short transactions, one
when a run starts (so a crashed run stays visible as ``running`` with no
``ended_at``) and one when it ends.  Beside them, ``warehouse_schema`` records
which DDL the warehouse's tables and views were made by
(``pipeline.store.warehouse.ensure_schema`` writes it).
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, Integer, String, Table

from schemas.tables import PostLoadStep, RowBuilder, View, metadata

runs = Table(
    "runs",
    metadata,
    Column("run_id", String, primary_key=True, comment="Prefect flow run id (a UUID; see it in the Prefect UI), or a fresh UUID for a run without Prefect."),
    Column("flow", String, comment="What ran: ingest-paths, ingest-folder, ingest-issue, fetch-new-issues or scheduled-ingest."),
    Column("deployment", String, comment="Deployment that scheduled the run (gazette serve), NULL for a run started by hand."),
    Column("parameters", String, comment="The run's parameters as JSON (paths, source file, warehouse, task runner)."),
    Column("task_runner", String, comment="Where parsing and extraction ran: 'threads', 'processes', or 'dask <address>'."),
    Column("status", String, comment="'running' until the run ends; then 'completed' (nothing failed) or 'failed' (a file, a download or the search index rebuild failed, see run_files); 'crashed' when its process died first (found by the next run on the same host)."),
    Column("started_at", DateTime, comment="When the run started (UTC)."),
    Column("host", String, comment="Host name of the machine the run's process ran on."),
    Column("pid", Integer, comment="Process id of the run on its host: a 'running' run whose process is gone is marked 'crashed' by the next run there."),
    Column("ended_at", DateTime, comment="When the run ended (UTC); NULL while running or if the process died."),
    Column("files_seen", Integer, comment="Input files found (after downloading, for a fetch run)."),
    Column("files_skipped", Integer, comment="Files whose sha256 was already loaded: not parsed again."),
    Column("files_ingested", Integer, comment="Files parsed and loaded (new issues, or changed files replacing their issue)."),
    Column("files_failed", Integer, comment="Files that failed at some stage; the error is in run_files."),
    Column("downloads_ok", Integer, comment="URLs downloaded, resumed, or already present and verified (fetch runs; 0 otherwise)."),
    Column("downloads_failed", Integer, comment="URLs or index pages that could not be fetched (fetch runs; 0 otherwise)."),
    comment="One row per ingest or fetch run (a Prefect flow run): when it ran and what it did.",
)

run_files = Table(
    "run_files",
    metadata,
    Column("run_id", String, comment="Run this row belongs to (runs.run_id)."),
    Column("seq", Integer, comment="Order within the run, from 1."),
    Column("action", String, comment="'fetch' for a download, 'ingest' for parsing and loading a file, 'index' for the full-text search rebuild after the loads (recorded only when it fails; path is the warehouse)."),
    Column("path", String, comment="Local file (the download target for a fetch)."),
    Column("url", String, comment="URL fetched (fetch rows only)."),
    Column("sha256", String, comment="SHA-256 of the file's bytes, when it could be read."),
    Column("status", String, comment="ingest: loaded, replaced, skipped (unchanged, quarantined or superseded bytes), superseded (a newer file holds its issue) or failed; fetch: downloaded, resumed, present or failed."),
    Column("issue_id", String, comment="Issue the file was loaded as (or already held, when skipped)."),
    Column("stage", String, comment="Stage that failed: find, parse, extract, write, load; list or download for fetches; index for the search rebuild."),
    Column("error", String, comment="One-line error message for a failure."),
    Column("bytes", Integer, comment="Bytes downloaded or read."),
    Column("seconds", Float, comment="Seconds spent on this file in its stages, parse to load (or the download); NULL when skipped."),
    comment="One row per file handled by a run: its outcome, and the error when it failed.",
)

warehouse_schema = Table(
    "warehouse_schema",
    metadata,
    Column("ddl_sha256", String, comment="SHA-256 of the DDL (schemas/warehouse.sql) the tables and views were last made or upgraded to; a write connection whose DDL has the same hash skips the upgrade."),
    Column("made_at", DateTime, comment="When they were (UTC)."),
    comment="One row: which version of the warehouse's DDL its tables and views match (written by every creation or upgrade of them).",
)

# Not per-issue data (see above): no row builders, so the per-issue load never touches them.
ROW_BUILDERS: dict[str, RowBuilder] = {}
VIEWS: tuple[View, ...] = ()
POST_LOAD: tuple[PostLoadStep, ...] = ()
