"""The data dictionary (gazette schema) and the README: generated from one source, kept in step."""

from __future__ import annotations

import regex
from typer.testing import CliRunner

from pipeline.analyst import dictionary
from pipeline.cli import app
from tests.conftest import REPO

README = REPO / "README.md"


def test_readme_schema_section_matches_the_code():
    block = dictionary.readme_block(README.read_text(encoding="utf-8"))
    assert block is not None, "README.md has no <!-- schema:start --> … <!-- schema:end --> block"
    expected = dictionary.dictionary_to_markdown(dictionary.table_docs(), dictionary.view_docs())
    assert block == expected, "README's schema section is out of date: run `gazette schema --markdown`"


def test_every_table_view_and_column_is_described():
    """No blank: every table, view and table macro, and every column of each (a view's columns as
    DuckDB derives them, so a column added to a view's SELECT without a meaning fails here)."""
    blank = []
    for table in dictionary.table_docs():
        blank += [table.name] * (not table.comment.strip())
        blank += [f"{table.name}.{column.name}" for column in table.columns if not column.meaning.strip()]
    views = dictionary.view_docs()
    assert {"appointments_register", "post_holders", "document_index", "documents_in_force"} <= {v.name for v in views}
    for view in views:
        assert view.columns, view.name
        blank += [view.name] * (not view.comment.strip())
        blank += [f"{view.name}.{column.name}" for column in view.columns if not column.meaning.strip()]
    assert blank == [], f"undescribed in the data dictionary: {blank}"


def test_view_meanings_name_only_real_columns():
    """A meaning written for a column the view does not have is a stale entry."""
    from schemas import VIEWS

    derived = {view.name: {column.name for column in view.columns} for view in dictionary.view_docs()}
    stale = [f"{view.name}.{name}" for view in VIEWS for name in view.columns if name not in derived[view.name]]
    assert stale == []


def test_square_brackets_survive_the_terminal_formatting():
    """rich reads [start:end] as markup and drops it unless escaped."""
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    assert "documents.text[start:end]." in result.output  # amounts.raw and the other entity tables
    assert "quarantine/<sha256[:12]>-<name>" in result.output  # ingest_errors.quarantine_path
    assert "documents_in_force(day) (table macro)" in result.output


def command_names() -> list[str]:
    names = []
    for command in app.registered_commands:
        names.append(command.name or command.callback.__name__.replace("_", "-"))
    return names


def test_every_command_is_documented_in_the_readme():
    readme = README.read_text(encoding="utf-8")
    names = command_names()
    assert {"ingest", "sql", "show", "schema", "search", "export", "report"} <= set(names)
    undocumented = [name for name in names if not regex.search(rf"gazette {regex.escape(name)}\b", readme)]
    assert undocumented == [], f"commands missing from README.md: {undocumented}"


def test_markdown_rewrites_only_the_marked_block(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# title\n\n<!-- schema:start -->\nSTALE-BLOCK\n<!-- schema:end -->\n\n## after\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["schema", "--markdown", "--readme", str(readme)])
    assert result.exit_code == 0, result.output
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# title\n\n<!-- schema:start -->\n<!-- generated") and text.endswith("<!-- schema:end -->\n\n## after\n")
    assert "STALE-BLOCK" not in text and "#### `documents`" in text and "| `search_articles`" not in text


def test_schema_shows_an_example_value_from_the_warehouse(analyst_db):
    result = CliRunner().invoke(app, ["schema", "--db", str(analyst_db)], terminal_width=250)
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if "│ signed_on_precision" in line)
    assert "│ day" in line  # every document in the warehouse is dated to the day
    bare = CliRunner().invoke(app, ["schema"], terminal_width=250)
    line = next(line for line in bare.output.splitlines() if "│ signed_on_precision" in line)
    assert "│ day" not in line


def test_examples_are_one_short_line():
    assert dictionary.value_to_example("第一条\n  为了") == "第一条 为了"
    long = dictionary.value_to_example("字" * 100)
    assert len(long) == dictionary.EXAMPLE_WIDTH and long.endswith("…")
    assert dictionary.value_to_example(None) == ""
