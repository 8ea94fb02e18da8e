"""The table behind full-text search (pipeline/search.py): jieba tokens per searchable unit.

The BM25 index over it (schema ``fts_main_search_texts``) and the macro
``search_articles(q)`` are rebuilt by ``pipeline.search.rebuild_index`` after
each batch of loads; they are not tables of this metadata.
"""

from __future__ import annotations

from sqlalchemy import Column, String, Table

from schemas.tables import metadata, register_rows


search_texts = Table(
    "search_texts",
    metadata,
    Column("unit_id", String, primary_key=True, comment="article_id of an article, doc_id for a document's text outside its articles."),
    Column("doc_id", String, comment="Document the unit belongs to."),
    Column("article_id", String, comment="Article of the unit; NULL for a document unit."),
    Column("kind", String, comment="'article', or 'document' (the whole text of a document without articles, else the text outside its articles)."),
    Column("title_tokens", String, comment="The document's title segmented by jieba (search mode), tokens joined by spaces."),
    Column("tokens", String, comment="The unit's text segmented by jieba (search mode, user dictionary extractors/data/jieba/), lower-cased, punctuation dropped, tokens joined by spaces."),
    comment="Pre-segmented text for Chinese full-text search: one row per article and per document; indexed by DuckDB fts (BM25).",
)


@register_rows("search_texts")
def search_rows(issue) -> list[dict]:
    from pipeline.search import issue_to_search_rows

    return issue_to_search_rows(issue)
