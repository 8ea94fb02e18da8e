"""``gazette report``: one issue as a self-contained HTML page."""

from __future__ import annotations

from pathlib import Path

import typer

from pipeline.analyst import report
from pipeline.commands.common import DbOption, app, console, fail, open_sealed


@app.command("report")
def report_command(
    issue_id: str = typer.Argument(..., help="The issue, e.g. 忻州市人民政府公报-2024-05."),
    out: Path = typer.Option(..., "--out", "-o", help="HTML file to write."),
    db: Path = DbOption,
) -> None:
    """Write an issue's documents, appointments, money, thresholds, references and a chart as one HTML file."""
    con = open_sealed(db)
    try:
        html = report.issue_to_html(con, issue_id)
    except report.ReportError as error:
        fail(str(error))
    finally:
        con.close()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html, encoding="utf-8")
    except OSError as error:
        fail(f"{out}: cannot write ({error.strerror})")
    console.print(f"wrote {out} ({len(html.encode('utf-8')) // 1024} KiB)", highlight=False)
