"""The full-text search index inside the warehouse: DuckDB fts (BM25) over ``search_texts``.

``search_texts`` (schemas/tables_search.py) holds jieba tokens per article and
per document, loaded with each issue.  ``rebuild_index`` runs ``PRAGMA
create_fts_index`` over it and (re)creates the SQL macro ``search_articles(q)``;
the index lives in the schema ``fts_main_search_texts``.  DuckDB's fts index is
not incremental, so it is rebuilt once after a batch of loads (pipeline.ingest),
and the analysts' search (pipeline.analyst.search) rebuilds it first when it is
stale (the loaded issues' fingerprint differs from the one it was built from).

The fts extension comes from the ``duckdb-ext-fts`` wheel: it ships
``duckdb_ext/extensions/v<duckdb version>/<platform>/fts.duckdb_extension``,
the layout of a DuckDB extension directory, so pointing ``extension_directory``
there (pipeline.store.warehouse.connect does) lets DuckDB autoload fts offline.
"""

from __future__ import annotations

import duckdb

from pipeline.store.extensions import extension_directory  # noqa: F401 - re-exported
from schemas.tables_search import SEARCH_TABLE

FTS_SCHEMA = f"fts_main_{SEARCH_TABLE}"
# Characters the fts tokenizer treats as separators, for the pre-segmented
# column and for queries typed in SQL: whitespace, punctuation, symbols.
FTS_IGNORE = r"[\s\p{P}\p{S}]+"


class SearchError(RuntimeError):
    """Search is unavailable (no fts extension, no index); the message is one line."""


def _fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """Identifies the loaded content: every issue_id with the sha256 of its bytes."""
    return con.execute(
        "SELECT md5(coalesce(string_agg(issue_id || ':' || source_sha256, ',' ORDER BY issue_id), '')) FROM issues"
    ).fetchone()[0]


def _has_table(con: duckdb.DuckDBPyConnection, name: str, schema: str = "main") -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?", [schema, name]
    ).fetchone()[0])


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    """True when an fts index has been built in this warehouse (current or not)."""
    return _has_table(con, "built_from", FTS_SCHEMA)


def index_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the fts index was built from exactly the issues now loaded."""
    if not _has_table(con, "built_from", FTS_SCHEMA):
        return False
    built = con.execute(f"SELECT fingerprint FROM {FTS_SCHEMA}.built_from").fetchone()
    return bool(built) and built[0] == _fingerprint(con)


# Ranked by BM25 over the unit's tokens and its document's title.  By default a unit must hold
# every word of q among its own tokens (a word only in the title does not count), checked on the
# units BM25 found (a list test costs half as much as a second, conjunctive match_bm25);
# match_any := true keeps units with any word, in the text or the title.  q is split as fts splits it.
SEARCH_MACRO = f"""
CREATE OR REPLACE MACRO search_articles(q, n := 20, match_any := false) AS TABLE
SELECT s.score, s.kind, s.doc_id, s.article_id, d.doc_number, d.title, a.label,
       coalesce(a.text, d.text) AS text
FROM (SELECT unit_id, kind, doc_id, article_id, tokens, {FTS_SCHEMA}.match_bm25(unit_id, q) AS score
      FROM {SEARCH_TABLE}) s
JOIN documents d USING (doc_id)
LEFT JOIN articles a USING (article_id)
WHERE s.score IS NOT NULL
  AND (match_any OR list_has_all(string_split(s.tokens, ' '),
                                 list_filter(regexp_split_to_array(lower(q), '{FTS_IGNORE}'), w -> w <> '')))
ORDER BY s.score DESC, s.unit_id
LIMIT n
"""


def unknown_terms(con: duckdb.DuckDBPyConnection, terms: list[str]) -> list[str]:
    """The terms that occur nowhere in the index (its dictionary of tokens), in query order."""
    if not terms:
        return []
    known = {row[0] for row in con.execute(
        f"SELECT term FROM {FTS_SCHEMA}.dict WHERE list_contains(?, term)", [[term.lower() for term in terms]]
    ).fetchall()}
    return [term for term in terms if term.lower() not in known]


def rebuild_index(con: duckdb.DuckDBPyConnection) -> int:
    """(Re)build the BM25 index over search_texts and the search_articles macro.

    Returns the number of units indexed.  Runs in its own transaction.
    """
    if not _has_table(con, SEARCH_TABLE):
        raise SearchError(f"no {SEARCH_TABLE} table in this warehouse")
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            f"PRAGMA create_fts_index('{SEARCH_TABLE}', 'unit_id', 'tokens', 'title_tokens', "
            f"stemmer = 'none', stopwords = 'none', ignore = '{FTS_IGNORE}', "
            "strip_accents = 0, lower = 1, overwrite = 1)"
        )
        con.execute(f"CREATE OR REPLACE TABLE {FTS_SCHEMA}.built_from AS SELECT ? AS fingerprint, now() AS built_at", [_fingerprint(con)])
        con.execute(SEARCH_MACRO)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return con.execute(f"SELECT count(*) FROM {SEARCH_TABLE}").fetchone()[0]


