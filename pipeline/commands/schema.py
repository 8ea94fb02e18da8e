"""``gazette schema``: the data dictionary, or the DDL, or the README's schema section."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table as RichTable

from pipeline.commands.common import app, console, fail, open_sealed
from pipeline.store import warehouse


@app.command()
def schema(
    sql_ddl: bool = typer.Option(False, "--sql", help="Print the DDL instead of the data dictionary."),
    db: Optional[Path] = typer.Option(None, "--db", help="Warehouse to take an example value per column from."),
    markdown: bool = typer.Option(False, "--markdown", help="Rewrite the schema section of the README (between its markers)."),
    readme: Path = typer.Option(Path("README.md"), "--readme", help="README to rewrite with --markdown ('-' prints to stdout)."),
) -> None:
    """Print the warehouse's data dictionary (tables, columns, types, meaning, an example value)."""
    from pipeline.analyst import dictionary

    if sql_ddl:
        sys.stdout.write(warehouse.ddl_script())
        return
    tables, views = dictionary.table_docs(), dictionary.view_docs()
    if markdown:
        block = dictionary.dictionary_to_markdown(tables, views)
        if str(readme) == "-":
            sys.stdout.write(block + "\n")
            return
        try:
            readme.write_text(dictionary.readme_with_block(readme.read_text(encoding="utf-8"), block), encoding="utf-8")
        except OSError as error:
            fail(f"{readme}: cannot rewrite ({error.strerror})")
        console.print(f"rewrote the schema section of {readme}", highlight=False)
        return
    if db is not None and db.exists():
        con = open_sealed(db)
        try:
            dictionary.add_examples(con, tables)
        finally:
            con.close()
    # Comments hold square brackets (documents.text[start:end]): escape them from rich markup.
    for table in tables:
        console.print(f"\n[bold]{escape(table.name)}[/] — {escape(table.comment)}", highlight=False)
        grid = RichTable("column", "type", "meaning", "example", show_header=True)
        for column in table.columns:
            grid.add_row(*(escape(text) for text in (column.name, column.type, column.meaning, column.example)))
        console.print(grid)
    for view in views:
        kind = "table macro" if view.parameters else "view"
        console.print(f"\n[bold]{escape(view.call)}[/] ({kind}) — {escape(view.comment)}", highlight=False)
        grid = RichTable("column", "type", "meaning", show_header=True)
        for column in view.columns:
            grid.add_row(*(escape(text) for text in (column.name, column.type, column.meaning)))
        console.print(grid)
