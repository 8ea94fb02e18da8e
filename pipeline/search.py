"""Chinese full-text search over articles and documents: jieba + DuckDB fts (BM25).

DuckDB's fts extension splits text on a regex, which cannot segment Chinese, so
the text is segmented beforehand: ``search_texts`` (schemas/tables_search.py)
holds one row per searchable unit — every article, and for every document the
text outside its articles (the whole text when it has none) — with the jieba
tokens joined by spaces.  ``rebuild_index`` runs ``PRAGMA create_fts_index``
over that column and (re)creates the SQL macro ``search_articles(q)``.  The
index lives inside the warehouse (schema ``fts_main_search_texts``).

jieba runs in search mode (``cut_for_search``): a compound in the user
dictionary (extractors/data/jieba/*.txt), say 清洁取暖, is indexed whole *and*
as its parts 清洁 and 取暖, so a query for either finds it.  Queries are
segmented the same way.

The fts extension comes from the ``duckdb-ext-fts`` wheel: it ships
``duckdb_ext/extensions/v<duckdb version>/<platform>/fts.duckdb_extension``,
the layout of a DuckDB extension directory, so pointing ``extension_directory``
there (pipeline.warehouse.connect does) lets DuckDB autoload fts offline.

The fts index is not incremental: it is rebuilt over the whole table after a
batch of loads (pipeline.ingest), and ``search`` rebuilds it first when it is
stale (fingerprint of the loaded issues' sha256 differs from the one it was
built from).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb
import regex

from schemas import Issue

SEARCH_TABLE = "search_texts"
FTS_SCHEMA = f"fts_main_{SEARCH_TABLE}"
DEFAULT_LIMIT = 10
DEFAULT_SNIPPET_WIDTH = 80
# Characters the fts tokenizer treats as separators, for the pre-segmented
# column and for queries typed in SQL: whitespace, punctuation, symbols.
FTS_IGNORE = r"[\s\p{P}\p{S}]+"

# A token worth indexing has at least one letter or digit (Han included);
# jieba also returns punctuation and whitespace as tokens.
WORDLIKE = regex.compile(r"[\p{L}\p{N}]")


class SearchError(RuntimeError):
    """Search is unavailable (no fts extension, no index); the message is one line."""


# ---------------------------------------------------------------------------
# The extension


@lru_cache(maxsize=1)
def extension_directory() -> Path | None:
    """The extension directory shipped by the duckdb-ext-fts wheel, if installed
    and built for this DuckDB version and platform."""
    spec = importlib.util.find_spec("duckdb_ext")
    if spec is None or not spec.submodule_search_locations:
        return None
    platform = duckdb.execute("PRAGMA platform").fetchone()[0]
    for location in spec.submodule_search_locations:
        directory = Path(location) / "extensions"
        if (directory / f"v{duckdb.__version__}" / platform / "fts.duckdb_extension").is_file():
            return directory
    return None


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load fts explicitly (for connections not opened by pipeline.warehouse.connect)."""
    directory = extension_directory()
    if directory is None:
        raise SearchError(f"the DuckDB fts extension is not installed: pip install duckdb-ext-fts=={duckdb.__version__}")
    platform = con.execute("PRAGMA platform").fetchone()[0]
    path = directory / f"v{duckdb.__version__}" / platform / "fts.duckdb_extension"
    con.execute(f"LOAD '{path}'")


# ---------------------------------------------------------------------------
# Segmentation


def text_to_tokens(text: str) -> list[str]:
    """jieba search-mode tokens of ``text``, lower-cased, punctuation and spaces dropped."""
    from extractors._nlp import jieba_tokenizer

    jieba = jieba_tokenizer()
    return [token.lower() for token in jieba.cut_for_search(text) if WORDLIKE.search(token)]


def text_to_field(text: str | None) -> str:
    """The space-joined tokens stored in search_texts."""
    return " ".join(text_to_tokens(text or ""))


def query_to_terms(query: str) -> list[str]:
    """Segment a query the way the text was segmented; each distinct term once."""
    terms: list[str] = []
    for part in query.split():
        for token in text_to_tokens(part):
            if token not in terms:
                terms.append(token)
    return terms


def document_residue(text: str, spans: list[tuple[int, int]]) -> str:
    """The text of a document outside the given (start, end) spans (its articles)."""
    pieces, position = [], 0
    for start, end in sorted(spans):
        if start > position:
            pieces.append(text[position:start])
        position = max(position, end)
    pieces.append(text[position:])
    return "\n".join(piece for piece in pieces if piece.strip())


def issue_to_search_rows(issue: Issue) -> list[dict]:
    """One row per article and one per document (its text outside articles)."""
    rows = []
    for document in issue.documents:
        title = text_to_field(document.title)
        residue = document_residue(document.text, [(a.start, a.end) for a in document.articles if a.start is not None and a.end is not None])
        if residue.strip() or not document.articles:
            rows.append({
                "unit_id": document.doc_id, "doc_id": document.doc_id, "article_id": None, "kind": "document",
                "title_tokens": title, "tokens": text_to_field(residue),
            })
        for article in document.articles:
            rows.append({
                "unit_id": article.article_id, "doc_id": document.doc_id, "article_id": article.article_id,
                "kind": "article", "title_tokens": title, "tokens": text_to_field(article.text),
            })
    return rows


# ---------------------------------------------------------------------------
# The index


def _fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """Identifies the loaded content: every issue_id with the sha256 of its bytes."""
    return con.execute(
        "SELECT md5(coalesce(string_agg(issue_id || ':' || source_sha256, ',' ORDER BY issue_id), '')) FROM issues"
    ).fetchone()[0]


def _has_table(con: duckdb.DuckDBPyConnection, name: str, schema: str = "main") -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?", [schema, name]
    ).fetchone()[0])


def index_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the fts index was built from exactly the issues now loaded."""
    if not _has_table(con, "built_from", FTS_SCHEMA):
        return False
    built = con.execute(f"SELECT fingerprint FROM {FTS_SCHEMA}.built_from").fetchone()
    return bool(built) and built[0] == _fingerprint(con)


SEARCH_MACRO = f"""
CREATE OR REPLACE MACRO search_articles(q, n := 20) AS TABLE
SELECT s.score, s.kind, s.doc_id, s.article_id, d.doc_number, d.title, a.label,
       coalesce(a.text, d.text) AS text
FROM (SELECT unit_id, kind, doc_id, article_id, {FTS_SCHEMA}.match_bm25(unit_id, q) AS score
      FROM {SEARCH_TABLE}) s
JOIN documents d USING (doc_id)
LEFT JOIN articles a USING (article_id)
WHERE s.score IS NOT NULL
ORDER BY s.score DESC, s.unit_id
LIMIT n
"""


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


# ---------------------------------------------------------------------------
# Querying


@dataclass
class SearchHit:
    score: float
    kind: str
    doc_id: str
    article_id: str | None
    doc_number: str | None
    title: str | None
    label: str | None
    text: str
    terms: list[str] = field(default_factory=list)

    def snippet(self, width: int = DEFAULT_SNIPPET_WIDTH) -> list[tuple[str, bool]]:
        return text_to_snippet(self.text, self.terms, width)


def search(con: duckdb.DuckDBPyConnection, query: str, *, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
    """Ranked articles and documents matching ``query`` (BM25 over jieba tokens)."""
    terms = query_to_terms(query)
    if not terms:
        return []
    if not _has_table(con, "built_from", FTS_SCHEMA):
        raise SearchError("the warehouse has no search index yet (run `gazette ingest`)")
    rows = con.execute("SELECT * FROM search_articles(?, n := ?)", [" ".join(terms), limit]).fetchall()
    # highlight the words as typed (清洁取暖) before their parts (清洁, 取暖)
    marks = list(dict.fromkeys([part.lower() for part in query.split()] + terms))
    return [SearchHit(*row, terms=marks) for row in rows]


def _match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) of every occurrence of a term, longest term first."""
    taken = [False] * len(text)
    spans = []
    lowered = text.lower()
    for term in sorted(set(terms), key=len, reverse=True):
        start = lowered.find(term)
        while start != -1:
            end = start + len(term)
            if not any(taken[start:end]):
                spans.append((start, end))
                for i in range(start, end):
                    taken[i] = True
            start = lowered.find(term, end)
    return sorted(spans)


def text_to_snippet(text: str, terms: list[str], width: int = DEFAULT_SNIPPET_WIDTH) -> list[tuple[str, bool]]:
    """A window of about ``width`` characters around the densest cluster of terms,
    as (piece, is_match) segments; line breaks become spaces."""
    text = regex.sub(r"\s+", " ", text)
    spans = _match_spans(text, terms)
    if not spans:
        return [(text[:width] + ("…" if len(text) > width else ""), False)]
    lead = width // 4
    best, best_score = 0, None
    for start, _ in spans:
        window_start = max(0, start - lead)
        inside = {text[s:e].lower() for s, e in spans if s >= window_start and e <= window_start + width}
        score = (len(inside), -window_start)
        if best_score is None or score > best_score:
            best, best_score = window_start, score
    window_end = min(len(text), best + width)
    segments: list[tuple[str, bool]] = []
    position = best
    for start, end in spans:
        if start < best or end > window_end:
            continue
        if start > position:
            segments.append((text[position:start], False))
        segments.append((text[start:end], True))
        position = end
    if position < window_end:
        segments.append((text[position:window_end], False))
    if best > 0:
        segments.insert(0, ("…", False))
    if window_end < len(text):
        segments.append(("…", False))
    return segments


def snippet_to_text(segments: list[tuple[str, bool]], before: str = "【", after: str = "】") -> str:
    return "".join(f"{before}{piece}{after}" if hit else piece for piece, hit in segments)
