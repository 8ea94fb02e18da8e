"""What keeps an issue's load flat as the warehouse grows (issue 12, target 5): the
per-issue tables have no ART index, their keys are checked by the loader instead,
and the links across issues are recomputed only where the loaded issue can change
them, with the same result as a full recompute."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.store import warehouse
from schemas import Document, Issue


def make_issue(issue_id: str, documents: list[tuple[str | None, str, date | None]]) -> Issue:
    """An issue of (doc_number, text, signed_on) documents, doc_ids ``<issue_id>/dNN``."""
    docs = [
        Document(doc_id=f"{issue_id}/d{seq:02d}", issue_id=issue_id, seq=seq, doc_number=number,
                 text=text, signed_on=signed_on, signed_on_precision="day" if signed_on else None)
        for seq, (number, text, signed_on) in enumerate(documents, 1)
    ]
    return Issue(issue_id=issue_id, kind="single", source_path=f"{issue_id}.txt",
                 source_sha256=(issue_id * 64)[:64], source_kind="txt", documents=docs)


def test_per_issue_tables_have_no_primary_key_index(tmp_path):
    """DuckDB rewrites a PRIMARY KEY's whole ART index at every checkpoint; the tables
    loaded per issue have none (tables written once per run or failure keep theirs)."""
    con = warehouse.connect(tmp_path / "w.duckdb")
    keyed = {row[0] for row in con.execute(
        "SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'").fetchall()}
    con.close()
    assert keyed.isdisjoint({"issues", "documents", "chapters", "sections", "articles", "clauses", "search_texts"})
    assert {"ingest_errors", "runs"} <= keyed


def test_a_key_twice_in_one_issue_is_refused_and_nothing_is_loaded(tmp_path):
    issue = make_issue("gz-2024-01", [("晋政发〔2024〕1号", "通知一", None), ("晋政发〔2024〕2号", "通知二", None)])
    twice = issue.model_copy(update={"documents": [issue.documents[0], issue.documents[0]]})
    con = warehouse.connect(tmp_path / "w.duckdb")
    with pytest.raises(warehouse.WarehouseError, match=r"documents key doc_id = \('gz-2024-01/d01',\) is not unique"):
        warehouse.load_issue(con, twice)
    assert con.execute("SELECT count(*) FROM issues").fetchone() == (0,)
    con.close()


def test_a_key_outside_the_issue_is_refused(tmp_path):
    """A doc_id not under the issue's id could be another issue's row: refused, as the
    PRIMARY KEY would have refused it once the other issue held it."""
    issue = make_issue("gz-2024-02", [("晋政发〔2024〕3号", "通知", None)])
    stray = issue.model_copy(update={"documents": [issue.documents[0].model_copy(update={"doc_id": "gz-2024-01/d01"})]})
    con = warehouse.connect(tmp_path / "w.duckdb")
    with pytest.raises(warehouse.WarehouseError, match="not the issue's"):
        warehouse.load_issue(con, stray)
    con.close()


def test_a_missing_key_is_refused():
    from schemas.tables import metadata

    with pytest.raises(warehouse.WarehouseError, match="is missing"):
        warehouse.check_keys(metadata.tables["articles"], [{"article_id": None}], "gz-2024-03")


def test_reloading_changed_bytes_still_replaces_every_row(tmp_path):
    """The deletes are skipped only for an issue the warehouse does not hold."""
    first = make_issue("gz-2024-04", [("晋政发〔2024〕4号", "第一条 甲。\n第二条 乙。", None)])
    second = make_issue("gz-2024-04", [("晋政发〔2024〕4号", "第一条 甲。", None)]).model_copy(
        update={"source_sha256": "f" * 64})
    con = warehouse.connect(tmp_path / "w.duckdb")
    assert warehouse.load_issue(con, first) == "loaded"
    assert warehouse.load_issue(con, second) == "replaced"
    assert con.execute("SELECT count(*), min(source_sha256) FROM issues").fetchone() == (1, "f" * 64)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (1,)
    con.close()

