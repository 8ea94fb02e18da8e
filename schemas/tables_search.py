"""The tables behind full-text search: jieba tokens per searchable unit, and the index over them.

A regex cannot segment Chinese, so the text is segmented here, at load time:
``search_texts`` holds one row per article, and one per document for its text
outside its articles (the whole text when it has none); it is a per-issue
table like the others (``ROW_BUILDERS``).

The BM25 index is three more tables, kept per issue by
``pipeline.store.search_index.rebuild_index`` after each batch of loads (not by
the row builders: it is derived from ``search_texts`` in SQL, for the issues
loaded, replaced or removed since the last update only): ``search_postings``
(each distinct term of a unit with its count), ``search_units`` (each unit's
length in terms) and ``search_indexed_issues`` (which load of each issue the
index holds).  Document frequencies and the average length are counted at
query time over those tables, so no statistic has to be kept up to date.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Table

from schemas.models import Issue
from schemas.tables import PostLoadStep, RowBuilder, View, metadata
from schemas.tokens import text_to_field

SEARCH_TABLE = "search_texts"


search_texts = Table(
    SEARCH_TABLE,
    metadata,
    Column("unit_id", String, primary_key=True, comment="article_id of an article, doc_id for a document's text outside its articles."),
    Column("doc_id", String, comment="Document the unit belongs to."),
    Column("article_id", String, comment="Article of the unit; NULL for a document unit."),
    Column("kind", String, comment="'article', or 'document' (the whole text of a document without articles, else the text outside its articles)."),
    Column("title_tokens", String, comment="The document's title segmented by jieba (search mode), tokens joined by spaces."),
    Column("tokens", String, comment="The unit's text segmented by jieba (search mode, user dictionary schemas/data/jieba/), lower-cased, punctuation dropped, tokens joined by spaces."),
    comment="Pre-segmented text for Chinese full-text search: one row per article and per document; indexed (BM25) in search_postings and search_units.",
)

search_postings = Table(
    "search_postings",
    metadata,
    Column("issue_id", String, comment="Issue of the unit (the index is updated one issue at a time)."),
    Column("unit_id", String, comment="The unit (search_texts.unit_id) holding the term."),
    Column("term", String, comment="A term of the unit: its tokens and its title's, split as search queries are (on spaces, punctuation and symbols), lower-cased."),
    Column("tf", Integer, comment="How often the term occurs in the unit's text and its document's title together (BM25's term frequency)."),
    Column("in_text", Boolean, comment="True when the term occurs in the unit's own text, not only in the title (a search for every word needs each in the text)."),
    comment="The full-text index: one row per distinct term of each search unit; rebuilt per issue after each batch of loads.",
)

search_units = Table(
    "search_units",
    metadata,
    Column("issue_id", String, comment="Issue of the unit."),
    Column("unit_id", String, comment="The unit (search_texts.unit_id)."),
    Column("n_terms", Integer, comment="Terms in the unit's text and its title, repeats counted (BM25's document length)."),
    comment="The length of every search unit, for BM25's length normalisation and the unit count; kept with search_postings.",
)

search_indexed_issues = Table(
    "search_indexed_issues",
    metadata,
    Column("issue_id", String, comment="An issue whose units are in the index."),
    Column("source_sha256", String, comment="issues.source_sha256 of the load indexed."),
    Column("ingested_at", DateTime, comment="issues.ingested_at of the load indexed: an issue loaded again since then is indexed again."),
    Column("indexed_at", DateTime, comment="When the issue was indexed (UTC)."),
    comment="Which load of each issue the search index holds; an issue of `issues` missing here, or loaded since, is indexed at the next update.",
)

# The index's tables, derived from search_texts (not exported, not loaded by the row builders).
INDEX_TABLES = ("search_postings", "search_units", "search_indexed_issues")


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


ROW_BUILDERS: dict[str, RowBuilder] = {SEARCH_TABLE: issue_to_search_rows}
VIEWS: tuple[View, ...] = ()
POST_LOAD: tuple[PostLoadStep, ...] = ()
