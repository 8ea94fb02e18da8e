"""Discovery faults per file (issue 14 item 2): an unreadable file among good ones gets its
one line and ingest_errors row, and the others load.  (The flow path: tests/test_flows.py.)

As root, chmod 000 does not stop reads, so unreadability is simulated by making the
fingerprinting read raise PermissionError; the chmod case runs only as another user."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.ingest import ingest_sources
from pipeline.read import sources
from tests.conftest import SAMPLE_TXT

LOCKED = "locked.txt"


@pytest.fixture
def folder(tmp_path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE_TXT, raw / SAMPLE_TXT.name)
    shutil.copy(SAMPLE_TXT, raw / LOCKED)
    (raw / LOCKED).write_text("另一份\n" + SAMPLE_TXT.read_text(encoding="utf-8"), encoding="utf-8")
    return raw


@pytest.fixture
def unreadable(monkeypatch):
    """Reading a file named locked.txt fails as a mode-000 file does for a normal user."""
    real = sources.sha256_of

    def sha256_of(path: Path) -> str:
        if path.name == LOCKED:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(sources, "sha256_of", sha256_of)


def query(db: Path, sql: str):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_discovery_keeps_going_past_an_unreadable_file(folder, unreadable):
    found = sources.paths_to_found([folder])
    assert [s.path.name for s in found.sources] == [SAMPLE_TXT.name]
    [fault] = found.faults
    assert fault.path.name == LOCKED and fault.error_class == "PermissionError" and fault.kind == "txt"
    assert fault.error == f"{folder / LOCKED}: cannot read (Permission denied)"
    with pytest.raises(sources.SourceError):  # the all-or-nothing form still refuses
        sources.paths_to_sources([folder])


def test_direct_ingest_records_the_fault_and_loads_the_rest(folder, unreadable, tmp_path):
    db = tmp_path / "w.duckdb"
    found = sources.paths_to_found([folder])
    report = ingest_sources(found.sources, db, parsed_dir=None, faults=found.faults)
    assert {r.path.name: (r.status, r.stage) for r in report.results} == {
        LOCKED: ("failed", "find"), SAMPLE_TXT.name: ("loaded", None)}
    assert query(db, "SELECT count(*) FROM issues") == [(1,)]
    rows = query(db, "SELECT source_path, sha256, stage, error_class, message, quarantined, attempts FROM ingest_errors")
    assert rows == [(str(folder / LOCKED), None, "find", "PermissionError", "cannot read (Permission denied)", False, 1)]


def test_two_unreadable_files_get_a_row_each_and_a_fixed_file_resolves_its_row(folder, unreadable, tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(folder / LOCKED, other / LOCKED)
    for _ in range(2):  # a second run counts another attempt on the same rows
        found = sources.paths_to_found([folder, other])
        ingest_sources(found.sources, db, parsed_dir=None, faults=found.faults)
    assert sorted(query(db, "SELECT source_path, attempts FROM ingest_errors")) == sorted([
        (str(folder / LOCKED), 2), (str(other / LOCKED), 2)])
    monkeypatch.undo()  # readable again: it loads and its row is resolved
    later = (folder / SAMPLE_TXT.name).stat().st_mtime + 60  # newer than the sample's copy, whatever the clock's grain
    os.utime(folder / LOCKED, (later, later))
    found = sources.paths_to_found([folder / LOCKED])
    [result] = ingest_sources(found.sources, db, parsed_dir=None, faults=found.faults).results
    assert result.status in ("loaded", "replaced")
    # the other copy stays unreadable; and the locked file parses to the sample's issue, so the
    # newer of the two (it, written after the sample's copy) holds it: the copy is superseded (issue 14, item 6)
    assert sorted(query(db, "SELECT source_path, stage, error_class FROM ingest_errors WHERE resolved_at IS NULL")) == sorted([
        (str(other / LOCKED), "find", "PermissionError"), (str(folder / SAMPLE_TXT.name), "load", "SupersededError")])


def test_cli_direct_one_line_per_unreadable_file(folder, unreadable, tmp_path):
    db = tmp_path / "w.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(folder), "--direct", "--db", str(db), "--parsed-dir", str(tmp_path / "p")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    [line] = [line for line in result.output.splitlines() if LOCKED in line]
    assert line.startswith("failed") and "Permission denied" in line
    assert query(db, "SELECT count(*) FROM issues") == [(1,)]


def test_naming_an_unreadable_file_gives_one_line_not_a_usage_box(folder, unreadable, tmp_path, monkeypatch):
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, *a, **kw: Path(path).name != LOCKED and real_access(path, mode, *a, **kw))
    db = tmp_path / "w.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(folder / LOCKED), "--direct", "--db", str(db), "--parsed-dir", str(tmp_path / "p")])
    assert result.exit_code == 1
    assert "╭" not in result.output and "Usage" not in result.output and "Traceback" not in result.output
    [line] = [line for line in result.output.splitlines() if LOCKED in line or "Permission" in line]
    assert "cannot read (Permission denied)" in line
    assert query(db, "SELECT stage FROM ingest_errors") == [("find",)]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="as root, chmod 000 does not stop reads")
def test_mode_000_file_for_real(folder, tmp_path):
    (folder / LOCKED).chmod(0)
    try:
        found = sources.paths_to_found([folder])
    finally:
        (folder / LOCKED).chmod(0o644)
    assert [f.path.name for f in found.faults] == [LOCKED]
    assert [s.path.name for s in found.sources] == [SAMPLE_TXT.name]
