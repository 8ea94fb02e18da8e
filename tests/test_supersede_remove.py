"""Issue 14, item 6: two files of one issue settle on the newer one, stably; `gazette remove`.

The original and corrected copies come from tests/fixtures/make_hostile_files.py (the
corrected one an hour newer by mtime).  The repealing notice below is hand-written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipeline.ingest import ingest_sources
from pipeline.read.sources import paths_to_sources
from pipeline.store import warehouse
from tests.conftest import REPO
from tests.fixtures.make_hostile_files import make_hostile_files

ISSUE = "忻州市人民政府公报-2024-05"  # the sample's masthead: 忻州市人民政府公报, 2024年第5期

# Hand-written: a decision repealing the sample's first document by its 发文字号.
REPEALING_NOTICE = """某市人民政府关于废止部分规范性文件的决定
某政发〔2025〕3号
各县（市、区）人民政府，市直各单位：
经清理，市人民政府决定废止《忻州市人民政府关于深入贯彻落实山西省科学技术奖励办法的通知》（忻政发〔2024〕13号）。
本决定自公布之日起施行。
某市人民政府
2025年1月6日
"""


@pytest.fixture()
def copies(tmp_path) -> tuple[Path, Path]:
    files = make_hostile_files(tmp_path / "in", small=True)
    return files["original/xinzhou-2024-05.txt"], files["corrected/xinzhou-2024-05-corrected.txt"]


def _ingest(paths, db: Path):
    return ingest_sources(paths_to_sources(paths), db, parsed_dir=None, quarantine_dir=db.parent / "quarantine")


def _query(db: Path, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _statuses(report) -> dict[str, str]:
    return {r.path.name: r.status for r in report.results}


def test_newer_copy_wins_whatever_the_order_and_reruns_load_nothing(copies, tmp_path):
    original, corrected = copies
    db = tmp_path / "w.duckdb"
    first = _ingest([original, corrected], db)  # the older one first: the newer replaces it
    assert _statuses(first) == {original.name: "loaded", corrected.name: "replaced"}
    assert _query(db, "SELECT source_path FROM issues WHERE issue_id = ?", [ISSUE]) == [(str(corrected),)]
    [row] = _query(db, "SELECT source_path, stage, error_class, superseded_issue, quarantined, resolved_at, message "
                       "FROM ingest_errors")
    assert row[:6] == (str(original), "load", "SupersededError", ISSUE, False, None)
    assert f"superseded by {corrected}" in row[6]

    for paths in ([original, corrected], [corrected, original]):  # reruns, either order: nothing loads
        again = _ingest(paths, db)
        assert _statuses(again) == {original.name: "superseded", corrected.name: "skipped"}
        superseded = next(r for r in again.results if r.status == "superseded")
        assert superseded.issue_id == ISSUE and "(unchanged since)" in superseded.error
    assert _query(db, "SELECT source_path FROM issues") == [(str(corrected),)]
    assert _query(db, "SELECT count(*) FROM ingest_errors") == [(1,)]


def test_newer_copy_loaded_first_keeps_the_issue(copies, tmp_path):
    original, corrected = copies
    db = tmp_path / "w.duckdb"
    report = _ingest([corrected, original], db)
    assert _statuses(report) == {corrected.name: "loaded", original.name: "superseded"}
    assert "newest modification time wins" in report.results[1].error
    assert _query(db, "SELECT source_path FROM issues") == [(str(corrected),)]


def test_touching_the_older_copy_makes_it_the_newer(copies, tmp_path):
    original, corrected = copies
    db = tmp_path / "w.duckdb"
    _ingest([original, corrected], db)
    later = corrected.stat().st_mtime + 60
    os.utime(original, (later, later))
    report = _ingest([original, corrected], db)
    assert _statuses(report) == {original.name: "replaced", corrected.name: "superseded"}
    assert _query(db, "SELECT source_path FROM issues") == [(str(original),)]
    # the original's superseded row is resolved (it loaded); the corrected copy has one now
    rows = _query(db, "SELECT source_path, resolved_at IS NULL FROM ingest_errors ORDER BY source_path")
    assert sorted(rows) == sorted([(str(original), False), (str(corrected), True)])


def _load_with_repeal(tmp_path) -> tuple[Path, str]:
    notice = tmp_path / "notice.txt"
    notice.write_text(REPEALING_NOTICE, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    report = _ingest([REPO / "tests/fixtures/xinzhou-2024-05.txt", notice], db)
    notice_issue = report.results[1].issue_id
    # the link across issues is there before any removal
    assert _query(db, "SELECT cited_doc_id FROM doc_references WHERE doc_id = ?", [f"{notice_issue}/d01"]) == [(f"{ISSUE}/d01",)]
    assert _query(db, "SELECT repealed_by FROM documents WHERE doc_id = ?", [f"{ISSUE}/d01"]) == [(f"{notice_issue}/d01",)]
    return db, notice_issue


def _rows_of(db: Path, issue_id: str) -> dict[str, int]:
    from schemas import ROW_BUILDERS
    from schemas.tables import metadata

    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = {}
        for name in ROW_BUILDERS:
            where = warehouse._owned_by_issue(metadata.tables[name])
            if where:
                counts[name] = con.execute(f"SELECT count(*) FROM {name} WHERE {where}", [issue_id]).fetchone()[0]
        return counts
    finally:
        con.close()


def test_remove_deletes_every_row_of_the_issue_and_unlinks_citations(tmp_path):
    db, notice_issue = _load_with_repeal(tmp_path)
    assert _rows_of(db, ISSUE)["documents"] == 15
    con = warehouse.connect(db)
    try:
        deleted = warehouse.remove_issue(con, ISSUE)
    finally:
        con.close()
    assert deleted["issues"] == 1 and deleted["documents"] == 15 and deleted["articles"] == 193
    assert set(_rows_of(db, ISSUE).values()) == {0}
    # the citation from the other issue stays, without a target; the other issue is untouched
    assert _query(db, "SELECT cited_number, cited_doc_id FROM doc_references WHERE doc_id = ?", [f"{notice_issue}/d01"]) == [
        ("忻政发〔2024〕13号", None)]
    assert _query(db, "SELECT issue_id FROM issues") == [(notice_issue,)]


def test_remove_of_the_repealing_issue_clears_repealed_by(tmp_path):
    db, notice_issue = _load_with_repeal(tmp_path)
    run = subprocess.run([sys.executable, "-m", "pipeline.cli", "remove", "--db", str(db), notice_issue],
                         capture_output=True, text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"removed {notice_issue}: ") and "1 issues" in run.stdout and "1 documents" in run.stdout
    assert _query(db, "SELECT repealed_by FROM documents WHERE doc_id = ?", [f"{ISSUE}/d01"]) == [(None,)]


def test_remove_of_an_unknown_issue_fails_in_one_line(tmp_path):
    db, _ = _load_with_repeal(tmp_path)
    run = subprocess.run([sys.executable, "-m", "pipeline.cli", "remove", "--db", str(db), "no-such-issue"],
                         capture_output=True, text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
    assert run.returncode == 1
    assert run.stderr.strip() == f"error: no-such-issue: no such issue in {db}"
    assert _query(db, "SELECT count(*) FROM issues") == [(2,)]
