"""`gazette check` lists the self-check's findings from the warehouse; the ingest
line counts them; `gazette ingest --strict` fails on an error-level finding."""

from __future__ import annotations

from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import SAMPLE_TXT

runner = CliRunner()

# A regulation whose 第二章 heading is lost: a chapter gap (error) the self-check must report.
DAMAGED = """示范管理条例

第一章 总则

第一条 为了规范示范管理,制定本条例。

第二条 县级以上人民政府负责示范管理工作。

第三章 附则

第三条 本条例自2025年1月1日起施行。
"""


def run(*args: str):
    return runner.invoke(app, list(args))


def test_ingest_line_check_and_strict(tmp_path):
    db, parsed = str(tmp_path / "w.duckdb"), str(tmp_path / "parsed")
    clean = run("ingest", str(SAMPLE_TXT), "--db", db, "--direct", "--parsed-dir", parsed, "--strict")
    assert clean.exit_code == 0, clean.output
    assert "15 documents, 193 articles, 0 findings" in " ".join(clean.output.split())

    listed = run("check", "忻州市人民政府公报-2024-05", "--db", db)
    assert listed.exit_code == 0 and "1 issues checked: 0 error" in listed.output

    damaged = tmp_path / "示范管理条例.txt"
    damaged.write_text(DAMAGED, encoding="utf-8")
    strict = run("ingest", str(damaged), "--db", db, "--direct", "--parsed-dir", parsed, "--strict")
    assert strict.exit_code == 2, strict.output
    assert "1 documents, 3 articles, 4 findings (1 errors" in " ".join(strict.output.split())

    every = run("check", "--db", db, "--severity", "warning")
    assert every.exit_code == 1
    lines = [" ".join(line.split()) for line in every.output.splitlines() if line.strip()]
    assert any(line.startswith("error") and "chapter_sequence: chapters jump from 1 to 3: heading of chapter 2 missing" in line
               for line in lines), every.output
    assert lines[-1] == "2 issues checked: 1 error"


def test_check_unknown_issue(tmp_path):
    db = str(tmp_path / "w.duckdb")
    assert run("ingest", str(SAMPLE_TXT), "--db", db, "--direct", "--parsed-dir", str(tmp_path / "p")).exit_code == 0
    result = run("check", "no-such-issue", "--db", db)
    assert result.exit_code != 0 and "no issue with this id" in result.output
