"""The search index (pipeline.store.search_index): BM25 as written in the textbook, and an update
after a load, a reload or a removal that touches only those issues yet equals a full rebuild."""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

import pytest

from pipeline.store import search_index, warehouse
from tests.analyst_fixtures import HANDWRITTEN

# Three hand-made units of one issue: (unit_id, doc_id, tokens, title_tokens)
UNITS = [
    ("t/d01", "t/d01", "补贴 标准 补贴", "取暖 补贴"),
    ("t/d02", "t/d02", "标准 发放", "取暖 补贴"),
    ("t/d03", "t/d03", "演练", "应急"),
]


def _tiny_warehouse(path):
    con = warehouse.connect(path)
    con.execute("INSERT INTO issues (issue_id, source_sha256, ingested_at) VALUES ('t', 'sha-t', ?)", [datetime(2025, 1, 1)])
    for unit_id, doc_id, tokens, title in UNITS:
        con.execute("INSERT INTO documents (doc_id, issue_id, title, text) VALUES (?, 't', ?, ?)", [doc_id, title, tokens])
        con.execute("INSERT INTO search_texts (unit_id, doc_id, kind, title_tokens, tokens) VALUES (?, ?, 'document', ?, ?)",
                    [unit_id, doc_id, title, tokens])
    return con


def okapi_bm25(tf: int, df: int, length: int, n_units: int, avg_length: float, k1: float = 1.2, b: float = 0.75) -> float:
    """Okapi BM25 of one term, written out: idf = log10((N - df + 0.5) / (df + 0.5) + 1)."""
    idf = math.log10((n_units - df + 0.5) / (df + 0.5) + 1)
    return idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / avg_length))


def test_scores_are_okapi_bm25_over_text_and_title(tmp_path):
    from pipeline.analyst import search

    con = _tiny_warehouse(tmp_path / "tiny.duckdb")
    try:
        assert not search_index.has_index(con)
        with pytest.raises(search_index.SearchError, match="no search index yet"):
            search.search(con, "补贴")
        assert search_index.rebuild_index(con) == 1
        assert search_index.has_index(con) and search_index.index_is_current(con)
        every = con.execute("SELECT doc_id, score FROM search_articles('补贴')").fetchall()
        anyword = con.execute("SELECT doc_id, score FROM search_articles('补贴', match_any := true)").fetchall()
        pair = con.execute("SELECT doc_id, score FROM search_articles('补贴 发放', match_any := true)").fetchall()
    finally:
        con.close()
    # lengths: 3 + 2, 2 + 2, 1 + 1 terms (text and title together); 补贴 is in two of the three units
    average = (5 + 4 + 2) / 3
    d01 = okapi_bm25(tf=3, df=2, length=5, n_units=3, avg_length=average)
    d02 = okapi_bm25(tf=1, df=2, length=4, n_units=3, avg_length=average)
    # by default 补贴 must be in the unit's own text: d02 has it only in its title
    assert [doc for doc, _ in every] == ["t/d01"] and every[0][1] == pytest.approx(d01)
    assert anyword == [("t/d01", pytest.approx(d01)), ("t/d02", pytest.approx(d02))]
    # 发放 (only in d02, df 1) adds its own term's score to d02's
    d02_pair = d02 + okapi_bm25(tf=1, df=1, length=4, n_units=3, avg_length=average)
    assert dict(pair) == {"t/d01": pytest.approx(d01), "t/d02": pytest.approx(d02_pair)}


def _index_rows(con) -> dict[str, list[tuple]]:
    return {
        "postings": con.execute("SELECT issue_id, unit_id, term, tf, in_text FROM search_postings ORDER BY ALL").fetchall(),
        "units": con.execute("SELECT issue_id, unit_id, n_terms FROM search_units ORDER BY ALL").fetchall(),
        "issues": con.execute("SELECT issue_id, source_sha256, ingested_at FROM search_indexed_issues ORDER BY ALL").fetchall(),
    }


def _full_index_rows(con) -> dict[str, list[tuple]]:
    search_index.rebuild_index(con, full=True)
    return _index_rows(con)


def test_an_update_touches_only_the_changed_issues_and_equals_a_full_rebuild(tmp_path, sample_issue):
    from pipeline.ingest import source_to_issue
    from pipeline.read.sources import source_of

    notices = [source_to_issue(source_of(path)) for path in sorted(HANDWRITTEN.glob("*.txt"))]
    con = warehouse.connect(tmp_path / "w.duckdb")
    try:
        warehouse.load_issue(con, sample_issue)
        assert search_index.rebuild_index(con) == 1
        assert search_index.index_is_current(con)
        for notice in notices:
            warehouse.load_issue(con, notice)
        assert not search_index.index_is_current(con)
        assert search_index.rebuild_index(con) == len(notices)  # not the sample again
        assert search_index.rebuild_index(con) == 0
        incremental = _index_rows(con)
        assert incremental == _full_index_rows(con)
        assert {row[0] for row in incremental["issues"]} == {sample_issue.issue_id, *(n.issue_id for n in notices)}

        # a reload (new bytes, same issue) and a removal: each issue re-indexed or dropped once
        reloaded = notices[0].model_copy(update={"source_sha256": "0" * 64})
        assert warehouse.load_issue(con, reloaded) == "replaced"
        warehouse.remove_issue(con, notices[1].issue_id)
        assert search_index.rebuild_index(con) == 2
        incremental = _index_rows(con)
        assert notices[1].issue_id not in {row[0] for row in incremental["postings"]}
        assert incremental == _full_index_rows(con)
        hits = con.execute("SELECT doc_id FROM search_articles('清洁 取暖 补贴')").fetchall()
        assert hits and all(doc.startswith(sample_issue.issue_id) for (doc,) in hits)
    finally:
        con.close()


def fts_extension_file():
    """fts from the duckdb-ext-fts wheel, when it holds one for this DuckDB and platform."""
    import importlib.util

    import duckdb

    spec = importlib.util.find_spec("duckdb_ext")
    if spec is None or not spec.submodule_search_locations:
        return None
    platform = duckdb.execute("PRAGMA platform").fetchone()[0]
    for location in spec.submodule_search_locations:
        extension = Path(location) / "extensions" / f"v{duckdb.__version__}" / platform / "fts.duckdb_extension"
        if extension.is_file():
            return extension
    return None


def load_fts(con) -> None:
    """Load DuckDB's fts (the old index, and the reference BM25) into ``con``, or skip the test."""
    extension = fts_extension_file()
    if extension is None:
        pytest.skip("no duckdb-ext-fts wheel for this DuckDB (a test extra)")
    con.execute(f"LOAD '{extension}'")


def test_the_first_update_drops_the_old_fts_index(tmp_path):
    con = _tiny_warehouse(tmp_path / "old.duckdb")
    try:
        load_fts(con)
        con.execute("PRAGMA create_fts_index('search_texts', 'unit_id', 'tokens', overwrite = 1)")
        assert con.execute("SELECT count(*) FROM duckdb_schemas() WHERE schema_name = ?", [search_index.LEGACY_FTS_SCHEMA]).fetchone()[0]
        search_index.rebuild_index(con)
        assert not con.execute("SELECT count(*) FROM duckdb_schemas() WHERE schema_name = ?", [search_index.LEGACY_FTS_SCHEMA]).fetchone()[0]
    finally:
        con.close()


def test_scores_equal_duckdb_fts_bm25_on_the_sample(tmp_path, analyst_db):
    """The index replaced DuckDB's fts extension: over the same units its match_bm25 gives the same
    score to every unit holding any of the words (the extension comes from a test extra, duckdb-ext-fts)."""
    import shutil

    db = tmp_path / "fts.duckdb"
    shutil.copy(analyst_db, db)
    con = warehouse.connect(db)
    try:
        load_fts(con)
        con.execute(f"PRAGMA create_fts_index('search_texts', 'unit_id', 'tokens', 'title_tokens', stemmer = 'none', "
                    f"stopwords = 'none', ignore = '{search_index.TERM_SEPARATORS}', strip_accents = 0, lower = 1)")
        for query in ("应急 预案 应急预案 演练", "清洁 取暖 补贴", "优抚 对象 公交", "废止 配套 奖励"):
            fts = dict(con.execute(
                "SELECT unit_id, score FROM (SELECT unit_id, fts_main_search_texts.match_bm25(unit_id, ?) AS score "
                "FROM search_texts) WHERE score IS NOT NULL", [query]).fetchall())
            ours = dict(con.execute(
                "SELECT coalesce(article_id, doc_id), score FROM search_articles(?, n := 100000, match_any := true)",
                [query]).fetchall())
            assert fts and ours.keys() == fts.keys(), query
            assert all(ours[unit] == pytest.approx(fts[unit]) for unit in fts), query
    finally:
        con.close()
