"""``gazette check``: the structural self-check's findings (table parse_findings), per issue."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from pipeline.commands.common import DbOption, app, console, fail, open_readonly

SEVERITIES = ("error", "warning", "info")
_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


@app.command()
def check(
    issue: Optional[str] = typer.Argument(None, help="An issue_id; all issues when omitted."),
    db: Path = DbOption,
    severity: str = typer.Option("info", "--severity", "-s", help="Lowest severity shown: error, warning or info."),
) -> None:
    """List what the self-check found after parsing: numbering gaps, lost headings, unmatched 目录 entries…

    Exits 1 when an error-level finding is listed."""
    if severity not in SEVERITIES:
        fail(f"unknown severity {severity!r}: use {', '.join(SEVERITIES)}")
    shown = SEVERITIES[: SEVERITIES.index(severity) + 1]
    con = open_readonly(db)
    try:
        if issue is not None and not con.execute("SELECT 1 FROM issues WHERE issue_id = ?", [issue]).fetchone():
            fail(f"{issue}: no issue with this id (see `gazette sql 'select issue_id from issues'`)")
        rows = con.execute(
            f"""SELECT issue_id, doc_id, severity, check_name, page, detail FROM parse_findings
                WHERE (? IS NULL OR issue_id = ?) AND severity IN ({', '.join('?' * len(shown))})
                ORDER BY issue_id, seq""",
            [issue, issue, *shown],
        ).fetchall()
        issues = con.execute("SELECT count(*) FROM issues WHERE ? IS NULL OR issue_id = ?", [issue, issue]).fetchone()[0]
    finally:
        con.close()
    _print_findings(rows, issues)
    if any(row[2] == "error" for row in rows):
        raise typer.Exit(1)


def _print_findings(rows: list[tuple], issues: int) -> None:
    for issue_id, doc_id, severity, check_name, page, detail in rows:
        where = escape(doc_id or issue_id) + (f" p.{page}" if page is not None else "")
        console.print(f"[{_STYLE[severity]}]{severity:<7}[/] {where} [bold]{check_name}[/]: {escape(detail)}", highlight=False, soft_wrap=True)
    counts = {s: sum(row[2] == s for row in rows) for s in SEVERITIES}
    console.print(f"{issues} issues checked: " + ", ".join(f"{n} {s}" for s, n in counts.items() if n or s == "error"), highlight=False)
