"""The full-text search index inside the warehouse: BM25 in SQL over per-issue postings.

``search_texts`` (schemas/tables_search.py) holds jieba tokens per article and
per document, loaded with each issue.  ``rebuild_index`` derives the index from
it, for the issues loaded, replaced or removed since its last run only:
``search_postings`` (the distinct terms of each unit with their counts),
``search_units`` (each unit's length) and ``search_indexed_issues`` (which load
of each issue is indexed).  It runs once after a batch of loads
(pipeline.ingest, flows.py, ``gazette remove``), and the analysts' search
(pipeline.analyst.search) runs it first when the index is stale.

The macro ``search_articles(q)`` ranks by Okapi BM25 as DuckDB's fts extension
did before (the same formula and constants, k1 = 1.2, b = 0.75, idf = log10((N -
df + 0.5) / (df + 0.5) + 1); the text and the title counted as one field); the
document frequencies, the unit count N and the average length are counted at
query time from the index's tables, which is fast since a query reads only the
postings of its own terms.  The fts extension's index could not be updated: its
``create_fts_index`` re-reads every unit of the warehouse (7.4 s over the 683
regulations), and every ``gazette ingest`` ran it, even for one new issue.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from schemas.tables_search import INDEX_TABLES, SEARCH_TABLE

# Characters a query and the indexed tokens are split on (besides the spaces between jieba
# tokens): whitespace, punctuation, symbols.  jieba keeps 3.5 or COVID-19 as one token; split
# here, 3.5 is found by the query 3.5 (split the same way), as with the fts extension before.
TERM_SEPARATORS = r"[\s\p{P}\p{S}]+"
# BM25's constants, the usual ones (and the fts extension's defaults).
BM25_K1 = 1.2
BM25_B = 0.75
# The old fts extension's index, dropped by the first update of a warehouse that still has it.
LEGACY_FTS_SCHEMA = f"fts_main_{SEARCH_TABLE}"


class SearchError(RuntimeError):
    """Search is unavailable (no index yet); the message is one line."""


# Text that needs TERM_SEPARATORS: any whitespace but a single space, punctuation or a symbol.
# jieba's tokens rarely hold any (1,332 of 68,304 units of bench_queries.py's warehouse), and
# splitting the others on spaces alone takes 0.3 s instead of 9.5 s for the regex over them all.
_NEEDS_REGEX = r"[^\S ]|[\p{P}\p{S}]"


def _terms_sql(column: str) -> str:
    """The SQL list of terms of a text column (or parameter), split as the index splits."""
    by_regex = f"string_split_regex(regexp_replace(lower({column}), '{TERM_SEPARATORS}', ' ', 'g'), '\\s+')"
    by_space = f"string_split(lower({column}), ' ')"
    return (f"list_filter(CASE WHEN regexp_matches({column}, '{_NEEDS_REGEX}') THEN {by_regex} ELSE {by_space} END, "
            "w -> w <> '')")


def _has_table(con: duckdb.DuckDBPyConnection, name: str, schema: str = "main") -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?", [schema, name]
    ).fetchone()[0])


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the index's tables and the search macro exist (current or not).

    The macro is looked for by calling it with nothing to find (3 ms) rather than in
    duckdb_functions(), which lists every built-in function (40-70 ms, on each search)."""
    tables = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND list_contains(?, table_name)", [list(INDEX_TABLES)]
    ).fetchone()[0]
    if tables < len(INDEX_TABLES):
        return False
    try:
        con.execute("SELECT 1 FROM search_articles('', n := 0) LIMIT 0").fetchall()
    except duckdb.CatalogException:
        return False
    return True


# Issues whose indexed load is not the one in `issues`: loaded or replaced since (left side), or
# removed since (right side).
_STALE_ISSUES = """
SELECT coalesce(i.issue_id, x.issue_id) AS issue_id, i.issue_id IS NOT NULL AS loaded
FROM issues i
FULL JOIN search_indexed_issues x
  ON x.issue_id = i.issue_id AND x.source_sha256 IS NOT DISTINCT FROM i.source_sha256
 AND x.ingested_at IS NOT DISTINCT FROM i.ingested_at
WHERE i.issue_id IS NULL OR x.issue_id IS NULL
"""


def stale_issues(con: duckdb.DuckDBPyConnection) -> list[tuple[str, bool]]:
    """(issue_id, still loaded) of every issue the index does not hold as loaded now."""
    return [(row[0], row[1]) for row in con.execute(_STALE_ISSUES).fetchall()]


def index_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the index holds exactly the issues now loaded, each as last loaded."""
    return has_index(con) and not stale_issues(con)


# Ranked by BM25 over the unit's terms and its document's title's, computed over the postings of
# q's terms only.  By default a unit must hold every term of q in its own text (a term only in
# the title does not count); match_any := true keeps units with any term, in the text or the
# title.  q is split as the index is (spaces, punctuation, symbols), its repeated terms once.
# (The fts version checked every word against the unit's tokens split on spaces only, so a
# query for 3.5, split into 3 and 5, missed a unit holding the token 3.5; now both are split.)
# The postings are selected with list_contains rather than a join on a table of q's terms: the
# scan then filters the term column before reading the others (0.10 s instead of 0.15 s a query
# over the 4.9 M postings of 683 regulations and 200 sample issues, bench_queries.py).
_QUERY_TERMS = f"list_distinct({_terms_sql('q')})"
SEARCH_MACRO = f"""
CREATE OR REPLACE MACRO search_articles(q, n := 20, match_any := false) AS TABLE
WITH stats AS (SELECT count(*) AS n_units, avg(n_terms) AS avg_terms FROM search_units),
     hits AS (SELECT p.unit_id, p.tf, p.in_text, count(*) OVER (PARTITION BY p.term) AS df
              FROM search_postings p WHERE list_contains({_QUERY_TERMS}, p.term)),
     scored AS (SELECT h.unit_id,
                       sum(log((stats.n_units - h.df + 0.5) / (h.df + 0.5) + 1)
                           * (h.tf * ({BM25_K1} + 1))
                           / (h.tf + {BM25_K1} * (1 - {BM25_B} + {BM25_B} * u.n_terms / stats.avg_terms))) AS score,
                       count(*) FILTER (WHERE h.in_text) AS n_in_text
                FROM hits h JOIN search_units u USING (unit_id) CROSS JOIN stats
                GROUP BY h.unit_id),
     top AS (SELECT unit_id, score FROM scored
             WHERE match_any OR n_in_text = len({_QUERY_TERMS})
             ORDER BY score DESC, unit_id
             LIMIT n)
SELECT t.score, s.kind, s.doc_id, s.article_id, d.doc_number, d.title, a.label,
       coalesce(a.text, d.text) AS text
FROM top t
JOIN {SEARCH_TABLE} s USING (unit_id)
JOIN documents d ON d.doc_id = s.doc_id
LEFT JOIN articles a ON a.article_id = s.article_id
ORDER BY t.score DESC, t.unit_id
"""


def unknown_terms(con: duckdb.DuckDBPyConnection, terms: list[str]) -> list[str]:
    """The terms that occur nowhere in the index, in query order."""
    if not terms:
        return []
    known = {row[0] for row in con.execute(
        "SELECT DISTINCT term FROM search_postings WHERE term IN (SELECT unnest(?))", [[term.lower() for term in terms]]
    ).fetchall()}
    return [term for term in terms if term.lower() not in known]


def _index_issues(con: duckdb.DuckDBPyConnection) -> None:
    """Index every unit of the issues in the temporary table _reindex (inside the caller's transaction)."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _unit_terms AS
        SELECT d.issue_id, s.unit_id, unnest({_terms_sql('s.tokens')}) AS term, true AS in_text
        FROM {SEARCH_TABLE} s JOIN documents d ON d.doc_id = s.doc_id
        WHERE d.issue_id IN (SELECT issue_id FROM _reindex)
        UNION ALL
        SELECT d.issue_id, s.unit_id, unnest({_terms_sql('s.title_tokens')}), false
        FROM {SEARCH_TABLE} s JOIN documents d ON d.doc_id = s.doc_id
        WHERE d.issue_id IN (SELECT issue_id FROM _reindex)
    """)
    con.execute("""
        INSERT INTO search_postings (issue_id, unit_id, term, tf, in_text)
        SELECT issue_id, unit_id, term, count(*), bool_or(in_text) FROM _unit_terms GROUP BY issue_id, unit_id, term
    """)
    con.execute(f"""
        INSERT INTO search_units (issue_id, unit_id, n_terms)
        SELECT d.issue_id, s.unit_id, coalesce(c.n, 0)
        FROM {SEARCH_TABLE} s JOIN documents d ON d.doc_id = s.doc_id
        LEFT JOIN (SELECT unit_id, count(*) AS n FROM _unit_terms GROUP BY unit_id) c ON c.unit_id = s.unit_id
        WHERE d.issue_id IN (SELECT issue_id FROM _reindex)
    """)
    con.execute("""
        INSERT INTO search_indexed_issues (issue_id, source_sha256, ingested_at, indexed_at)
        SELECT issue_id, source_sha256, ingested_at, now() AT TIME ZONE 'UTC' FROM issues
        WHERE issue_id IN (SELECT issue_id FROM _reindex)
    """)
    con.execute("DROP TABLE _unit_terms")


def rebuild_index(con: duckdb.DuckDBPyConnection, *, full: bool = False,
                  on_start: Callable[[int], None] | None = None) -> int:
    """Bring the search index up to date with the loaded issues, and (re)create ``search_articles``.

    Only the issues loaded, replaced or removed since the last update are (re)indexed or
    dropped, so the cost follows what changed, not the size of the warehouse; ``full``
    re-indexes every issue (after a change to the tokenisation, or to measure it).
    ``on_start`` is called with that number of issues before the work (a command says so when
    they are more than it loaded: a warehouse indexed by older code gets every issue indexed
    at its first update, 8 s at 883 issues).
    Returns the number of issues (re)indexed or dropped.  Runs in its own transaction.
    """
    if not _has_table(con, SEARCH_TABLE):
        raise SearchError(f"no {SEARCH_TABLE} table in this warehouse")
    con.execute("BEGIN TRANSACTION")
    try:
        if full:
            for name in INDEX_TABLES:
                con.execute(f"DELETE FROM {name}")
        con.execute(f"CREATE OR REPLACE TEMP TABLE _stale AS {_STALE_ISSUES}")
        for name in ("search_postings", "search_units", "search_indexed_issues"):
            con.execute(f"DELETE FROM {name} WHERE issue_id IN (SELECT issue_id FROM _stale)")
        con.execute("CREATE OR REPLACE TEMP TABLE _reindex AS SELECT issue_id FROM _stale WHERE loaded")
        changed = con.execute("SELECT count(DISTINCT issue_id) FROM _stale").fetchone()[0]
        if on_start is not None:
            on_start(changed)
        if con.execute("SELECT count(*) FROM _reindex").fetchone()[0]:
            _index_issues(con)
        con.execute("DROP TABLE _stale")
        con.execute("DROP TABLE _reindex")
        con.execute(f"DROP SCHEMA IF EXISTS {LEGACY_FTS_SCHEMA} CASCADE")
        con.execute(SEARCH_MACRO)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return changed
