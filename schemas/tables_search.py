"""The table behind full-text search: jieba tokens per searchable unit, and its row builder.

DuckDB's fts extension splits text on a regex, which cannot segment Chinese,
so the text is segmented here, at load time: one row per article, and one per
document for its text outside its articles (the whole text when it has none).
The BM25 index over it (schema ``fts_main_search_texts``) and the macro
``search_articles(q)`` are rebuilt by ``pipeline.store.search_index`` after
each batch of loads; they are not tables of this metadata.
"""

from __future__ import annotations

from sqlalchemy import Column, String, Table

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
    comment="Pre-segmented text for Chinese full-text search: one row per article and per document; indexed by DuckDB fts (BM25).",
)


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
