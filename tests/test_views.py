"""The analysts' views (schemas/tables_views.py) over a warehouse with hand-written entity rows."""

from __future__ import annotations

from decimal import Decimal

from pipeline.store import warehouse
from tests.analyst_fixtures import NEW, OLD, S, build_analyst_warehouse

ENTITY_VIEWS = {"money_by_document", "thresholds_by_subject", "citations"}


def views_of(con) -> set[str]:
    return {row[0] for row in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}


def test_views_needing_missing_tables_are_skipped_without_error(tmp_path, sample_issue):
    """A build without the entity modules: drop their tables, recreate the views."""
    path = build_analyst_warehouse(tmp_path / "bare.duckdb", sample_issue, entities=False)
    con = warehouse.connect(path)
    try:
        for view in ENTITY_VIEWS:
            con.execute(f"DROP VIEW IF EXISTS {view}")
        for table in ("amounts", "thresholds", "doc_references"):
            con.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
        skipped = warehouse.create_views(con)
        views = views_of(con)
        assert ENTITY_VIEWS <= set(skipped)
        assert "document_index" in views and "repeal_chain" in views
        assert not ENTITY_VIEWS & views
        # document_index keeps its columns: the count of a missing entity table is NULL
        row = con.execute("SELECT n_articles, n_amounts FROM document_index WHERE doc_id = ?", [S + "04"]).fetchone()
        assert row == (14, None)  # 第一条 … 第十四条
    finally:
        con.close()


def test_entity_views_exist_when_their_tables_do(analyst_db):
    con = warehouse.connect(analyst_db, read_only=True)
    try:
        assert ENTITY_VIEWS | {"document_index", "repeal_chain"} <= views_of(con)
    finally:
        con.close()


def fetch(db, sql, params=()):
    con = warehouse.connect(db, read_only=True)
    try:
        cursor = con.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=False)) for row in cursor.fetchall()]
    finally:
        con.close()


def test_document_index_counts(analyst_db):
    rows = {r["doc_id"]: r for r in fetch(analyst_db, "SELECT * FROM document_index")}
    assert len(rows) == 17  # 15 in the sample + 2 hand-written
    d04 = rows[S + "04"]
    assert (d04["doc_number"], d04["n_articles"], d04["n_amounts"], d04["n_appointments"]) == ("忻政办发〔2024〕38号", 14, 2, 0)
    assert (rows[S + "09"]["n_appointments"], rows[S + "10"]["n_appointments"]) == (5, 2)
    assert (rows[S + "01"]["n_references"], rows[S + "01"]["repealed_by"]) == (2, NEW)
    assert rows[S + "06"]["n_tables"] == 1
    assert rows[S + "01"]["gazette"] == "忻州市人民政府公报" and rows[S + "01"]["issue_year"] == 2024
    assert rows[OLD]["gazette"] is None  # a single document belongs to no gazette


def test_money_by_document_never_sums_rates(analyst_db):
    rows = {r["doc_id"]: r for r in fetch(analyst_db, "SELECT * FROM money_by_document")}
    # 30万 + 10万 + 5万 of lump-sum awards
    assert rows[S + "01"]["lump_sum_yuan"] == Decimal("450000.00") and rows[S + "01"]["n_rates"] == 0
    # 300元/户 and 500元/户 per heating season: rates, not a total
    d04 = rows[S + "04"]
    assert (d04["n_amounts"], d04["n_rates"], d04["lump_sum_yuan"], d04["max_yuan"]) == (2, 2, None, Decimal("500.00"))
    assert d04["subjects"] == ["煤改气居民用户运行补贴", "煤改电居民用户运行补贴"]


def test_thresholds_by_subject_groups_across_documents(analyst_db):
    rows = {(r["subject"], r["unit"]): r for r in fetch(analyst_db, "SELECT * FROM thresholds_by_subject")}
    area = rows[("场所面积", "平方米")]
    assert (area["n_thresholds"], area["n_documents"], area["min_value"], area["max_value"]) == (2, 2, 200, 500)
    assert [t["doc_number"] for t in area["thresholds"]] == ["忻科规〔2024〕3号", "忻科规〔2024〕4号"]
    assert rows[("配套奖励", "元")]["ops"] == ["<="]


def test_citations_are_edges_with_mentions(analyst_db):
    edges = fetch(analyst_db, "SELECT * FROM citations ORDER BY from_doc_id, to_doc_number")
    d03 = [e for e in edges if e["from_doc_id"] == S + "03"]
    assert len(d03) == 1 and d03[0]["mentions"] == 2 and d03[0]["to_doc_id"] is None
    assert d03[0]["to_doc_number"] == "忻政办发〔2016〕78号"
    new = [e for e in edges if e["from_doc_id"] == NEW]
    assert [(e["to_doc_id"], e["to_doc_number"], e["relation"]) for e in new] == [(S + "01", "忻政发〔2024〕13号", "repeals")]


def test_repeal_chain_follows_successors_to_the_document_in_force(analyst_db):
    rows = {r["doc_id"]: r for r in fetch(analyst_db, "SELECT * FROM repeal_chain")}
    assert set(rows) == {OLD, S + "01"}
    old = rows[OLD]
    assert old["chain"] == [OLD, S + "01", NEW] and old["depth"] == 2
    assert (old["repealed_by_number"], old["in_force_doc_number"]) == ("忻政发〔2024〕13号", "忻政发〔2025〕2号")
    assert rows[S + "01"]["chain"] == [S + "01", NEW]


def test_repeal_chain_stops_on_a_cycle(tmp_path, sample_issue):
    path = build_analyst_warehouse(tmp_path / "cycle.duckdb", sample_issue, entities=False)
    con = warehouse.connect(path)
    try:
        # a data error: two documents each said to repeal the other
        con.execute("UPDATE documents SET repealed_by = ? WHERE doc_id = ?", [S + "03", S + "02"])
        con.execute("UPDATE documents SET repealed_by = ? WHERE doc_id = ?", [S + "02", S + "03"])
        chains = dict(con.execute("SELECT doc_id, chain FROM repeal_chain").fetchall())
    finally:
        con.close()
    assert chains[S + "02"] == [S + "02", S + "03"]
    assert chains[S + "03"] == [S + "03", S + "02"]
