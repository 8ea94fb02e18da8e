"""``gazette remove ISSUE``: delete an issue and everything it owns from the warehouse.

    gazette remove 忻州市人民政府公报-2024-5 [--db FILE] [--wait SECONDS]

For an issue loaded from a file that is gone or wrong (a 期号 corrected in the file
leaves the old issue_id's rows behind; a file that should not have been loaded).
One transaction: the issue's rows in every per-issue table go, then the links across
issues are recomputed (``POST_LOAD``): citations of its documents from other issues
lose ``cited_doc_id`` (or point at another document of the same number), and documents
it repealed lose ``repealed_by``.  The search index is rebuilt.  ``ingest_errors`` and
the run log are kept (history).  A file still in an ingested folder loads again on the
next ingest: move it away, or it comes back.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import typer

from pipeline.commands.common import DbOption, WaitOption, app, console, fail
from pipeline.store import warehouse
from pipeline.store.search_index import rebuild_index


@app.command()
def remove(
    issue_id: str = typer.Argument(..., help="The issue_id to remove (see `gazette sql \"SELECT issue_id FROM issues\"`)."),
    db: Path = DbOption,
    wait: float = WaitOption,
) -> None:
    """Delete an issue's rows from every table, in one transaction, and relink citations across issues."""
    if not Path(db).exists():
        fail(f"{db}: no warehouse here yet (run `gazette ingest` first)")
    try:
        con = warehouse.connect(db, wait=wait)
    except warehouse.WarehouseError as error:
        fail(str(error))
    try:
        deleted = warehouse.remove_issue(con, issue_id)
        if not deleted.get("issues"):
            fail(f"{issue_id}: no such issue in {db}")
        rebuild_index(con)
    except duckdb.Error as error:
        fail(f"{issue_id}: not removed ({str(error).splitlines()[0]})")
    finally:
        warehouse.close(con, compact=True)  # the issue's rows may share row groups with others
    rows = ", ".join(f"{count} {table}" for table, count in deleted.items() if count)
    console.print(f"removed {issue_id}: {rows}", highlight=False)
