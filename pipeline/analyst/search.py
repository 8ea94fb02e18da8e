"""Chinese full-text search over articles and documents: jieba + BM25 in DuckDB.

The text is segmented at load time (``search_texts``, schemas/tables_search.py)
and indexed by ``pipeline.store.search_index``; this module is the reading
side: a query is segmented the same way (jieba search mode, schemas.tokens),
ranked by BM25, and shown as snippets with the matched words marked.  jieba's
search mode indexes a compound of the user dictionary, say 清洁取暖, whole
*and* as its parts 清洁 and 取暖, so a query for either finds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import regex

from pipeline.store.search_index import SearchError, has_index, unknown_terms
from schemas.tokens import text_to_tokens

DEFAULT_LIMIT = 10
DEFAULT_SNIPPET_WIDTH = 80


# ---------------------------------------------------------------------------
# Segmentation


def query_to_terms(query: str) -> list[str]:
    """Segment a query the way the text was segmented; each distinct term once."""
    terms: list[str] = []
    for part in query.split():
        for token in text_to_tokens(part):
            if token not in terms:
                terms.append(token)
    return terms


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


def search(con: duckdb.DuckDBPyConnection, query: str, *, limit: int = DEFAULT_LIMIT, any_word: bool = False) -> list[SearchHit]:
    """Ranked articles and documents matching ``query`` (BM25 over jieba tokens).

    By default a unit must contain every term of the query in its text (each
    word as jieba segments it, so 应急预案 needs 应急, 预案 and 应急预案, which
    the text's own segmentation gives wherever 应急预案 is written);
    ``any_word`` keeps units with any term, in their text or their title."""
    terms = query_to_terms(query)
    if not terms:
        return []
    if not has_index(con):
        raise SearchError("the warehouse has no search index yet (run `gazette ingest`)")
    rows = con.execute(
        "SELECT * FROM search_articles(?, n := ?, match_any := ?)", [" ".join(terms), limit, any_word]
    ).fetchall()
    # highlight the words as typed (清洁取暖) before their parts (清洁, 取暖)
    marks = list(dict.fromkeys([part.lower() for part in query.split()] + terms))
    return [SearchHit(*row, terms=marks) for row in rows]


def no_match_note(con: duckdb.DuckDBPyConnection, query: str, *, any_word: bool = False) -> str:
    """One line saying why ``query`` found nothing: which of its words occur nowhere, and the other mode."""
    terms = query_to_terms(query)
    unknown = unknown_terms(con, terms)
    nowhere = f" ({', '.join(unknown)}: in no article or document)" if unknown else ""
    if any_word or len(terms) == 1:
        return f"no matches for {query}{nowhere}"
    return f"no article contains every word of {query}{nowhere}; --any finds those with any of them"


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
