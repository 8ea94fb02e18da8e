"""``gazette show``: the outline of an issue has one heading per section, each with its documents."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import SAMPLE_TXT

runner = CliRunner()
ISSUE = "忻州市人民政府公报-2024-05"

# Read off the sample's 目录 by hand: its four sections, in order, and the documents under each.
SECTIONS = {
    "忻州市人民政府文件": ["d01", "d02"],
    "忻州市人民政府办公室文件": ["d03", "d04", "d05", "d06", "d07"],
    "人事任免文件": ["d08", "d09", "d10", "d11"],
    "部门规范性文件": ["d12", "d13", "d14", "d15"],
}


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("show") / "w.duckdb"
    result = runner.invoke(app, ["ingest", str(SAMPLE_TXT), "--db", str(db), "--direct", "--parsed-dir", str(db.parent / "parsed")])
    assert result.exit_code == 0, result.output
    return db


def outline_to_sections(output: str) -> dict[str, list[str]]:
    """Top-level tree nodes (the section headings) → the doc_id suffixes printed under each."""
    sections: dict[str, list[str]] = {}
    heading = None
    for line in output.splitlines():
        if line.startswith(("├── ", "└── ")):
            heading = line[4:].strip()
            assert heading not in sections, f"section heading {heading!r} printed twice"
            sections[heading] = []
        elif heading is not None and f"{ISSUE}/d" in line:
            sections[heading].append(line.split(f"{ISSUE}/", 1)[1][:3])
    return sections


def test_issue_outline_has_each_section_once_with_its_documents(sample_db):
    result = runner.invoke(app, ["show", ISSUE, "--db", str(sample_db)])
    assert result.exit_code == 0, result.output
    assert outline_to_sections(result.output) == SECTIONS
