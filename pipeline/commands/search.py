"""``gazette search``: ranked articles (and documents) for a Chinese query, with highlighted snippets."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb
import typer
from rich.markup import escape

from pipeline.commands.common import DbOption, app, console, errors, fail
from pipeline.store import warehouse

# pipeline.analyst.search.DEFAULT_LIMIT, not imported from there: the search modules load the
# schemas, which `gazette` should not pay for on every command (tests/test_startup.py checks they agree).
DEFAULT_LIMIT = 10


@app.command("search")
def search_command(
    query: str = typer.Argument(..., help="Words to look for, e.g. \"清洁取暖 补贴\" (segmented with jieba)."),
    limit: int = typer.Option(DEFAULT_LIMIT, "--limit", "-n", min=1, help="Most hits to show."),
    db: Path = DbOption,
    format: str = typer.Option("text", "--format", "-f", help="text or json."),
    any_word: bool = typer.Option(False, "--any", help="Match articles with any of the words (default: every word)."),
) -> None:
    """Full-text search (BM25) over articles and documents holding every word (--any: any word):
    document number, article label, snippet."""
    from pipeline.analyst import search as fts

    if format not in ("text", "json"):
        fail(f"unknown format {format!r}: use text or json")
    if not fts.query_to_terms(query):
        fail(f"nothing to search for in {query!r}")
    try:
        hits = _search(db, query, limit, any_word)
    except (warehouse.WarehouseError, fts.SearchError) as error:
        fail(str(error))
    if not hits:
        _print_no_match(db, query, any_word)
    if format == "json":
        rows = [{
            "rank": rank, "score": round(hit.score, 4), "doc_id": hit.doc_id, "article_id": hit.article_id,
            "doc_number": hit.doc_number, "title": hit.title, "label": hit.label,
            "snippet": fts.snippet_to_text(hit.snippet()),
        } for rank, hit in enumerate(hits, start=1)]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    for rank, hit in enumerate(hits, start=1):
        where = " ".join(part for part in (hit.doc_number or hit.doc_id, hit.label) if part)
        console.print(f"[bold]{rank}. {escape(where)}[/]  [dim]{escape(hit.title or '')} · {hit.score:.2f}[/]", highlight=False)
        snippet = "".join(f"[bold red]{escape(piece)}[/]" if match else escape(piece) for piece, match in hit.snippet())
        console.print("   " + snippet, highlight=False, soft_wrap=True)


def _print_no_match(db: Path, query: str, any_word: bool) -> None:
    """One line on stderr (stdout stays empty, or [] for json): why nothing matched."""
    from pipeline.analyst import search as fts
    from pipeline.store import sealed

    con = sealed.connect_sealed(db)
    try:
        errors.print(fts.no_match_note(con, query, any_word=any_word), highlight=False, soft_wrap=True)
    finally:
        con.close()


def _search(db: Path, query: str, limit: int, any_word: bool = False) -> list:
    """Search on a sealed read-only connection; when the index is missing or stale, rebuild it
    first (needs write access; no user SQL runs there, the query is a bound parameter)."""
    from pipeline.analyst import search as fts
    from pipeline.store import sealed, search_index

    con = sealed.connect_sealed(db)
    try:
        current = search_index.index_is_current(con)
        if current:
            return fts.search(con, query, limit=limit, any_word=any_word)
    finally:
        con.close()
    errors.print("rebuilding the search index …", highlight=False)
    con = warehouse.connect(db)
    try:
        search_index.rebuild_index(con)
        return fts.search(con, query, limit=limit, any_word=any_word)
    except duckdb.Error as error:
        raise fts.SearchError(str(error).splitlines()[0]) from error
    finally:
        warehouse.close(con)
