"""``gazette show``: the outline of an issue (its documents) or of a document (chapters, articles)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.tree import Tree

from pipeline.commands.common import DbOption, app, console, fail, open_sealed


@app.command()
def show(
    target: str = typer.Argument(..., help="An issue_id or a doc_id (see `gazette sql 'select doc_id, title from documents'`)."),
    db: Path = DbOption,
) -> None:
    """Print the outline of an issue (its documents) or of a document (chapters, articles)."""
    con = open_sealed(db)
    try:
        issue = con.execute(
            "SELECT issue_id, gazette, year, number, cumulative_number, published_on FROM issues WHERE issue_id = ?", [target]
        ).fetchone()
        if issue:
            _show_issue(con, issue)
            return
        doc = con.execute(
            "SELECT doc_id, title, doc_number, signed_on, page_start, page_end FROM documents WHERE doc_id = ?", [target]
        ).fetchone()
        if doc:
            _show_document(con, doc)
            return
    finally:
        con.close()
    fail(f"{target}: no issue or document with this id")


def _show_issue(con, issue) -> None:
    issue_id, gazette, year, number, cumulative, published = issue
    head = f"{issue_id}" + (f" — {gazette} {year}年第{number}期 (总第{cumulative}期), {published}" if gazette else "")
    tree = Tree(head)
    rows = con.execute(
        """SELECT d.doc_id, d.section, d.doc_number, d.title, d.signed_on,
                  (SELECT count(*) FROM articles a WHERE a.doc_id = d.doc_id),
                  (SELECT count(*) FROM chapters c WHERE c.doc_id = d.doc_id)
           FROM documents d WHERE d.issue_id = ? ORDER BY d.seq""",
        [issue_id],
    ).fetchall()
    sections: dict[str | None, Tree] = {}
    for doc_id, section, number, title, signed, n_articles, n_chapters in rows:
        if section not in sections:  # one heading per section, made on its first document
            sections[section] = tree.add(escape(section or "(no section)"))
        detail = f"{n_chapters} chapters, {n_articles} articles" if n_articles else "no articles"
        sections[section].add(f"[bold]{escape(doc_id)}[/] {escape(number or '')} {escape(title or '')} [dim]{signed or ''} · {detail}[/]")
    console.print(tree)


def _show_document(con, doc) -> None:
    doc_id, title, number, signed, page_start, page_end = doc
    tree = Tree(f"[bold]{escape(title or '')}[/] {escape(number or '')} {signed or ''} (pp. {page_start}–{page_end})")
    chapters = {
        row[0]: tree.add(escape(f"{row[1]} {row[2]}"))
        for row in con.execute("SELECT chapter_no, label, title FROM chapters WHERE doc_id = ? ORDER BY chapter_no", [doc_id]).fetchall()
    }
    for chapter_no, label, text in con.execute(
        "SELECT chapter_no, label, text FROM articles WHERE doc_id = ? ORDER BY start", [doc_id]
    ).fetchall():
        first_line = text.split("\n", 1)[0]
        snippet = first_line[len(label):].strip()[:24]
        (chapters.get(chapter_no) or tree).add(f"{escape(label)} [dim]{escape(snippet)}…[/]")
    points = con.execute(
        "SELECT label, text FROM clauses WHERE doc_id = ? AND kind = 'point' ORDER BY start", [doc_id]
    ).fetchall()
    for _label, text in points:
        tree.add(escape(text.split("\n", 1)[0][:50]))
    console.print(tree)
