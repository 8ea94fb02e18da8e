"""The child that reads and extracts a short text file while ``gazette ingest`` starts
(pipeline.ahead, started by ``pipeline.ingest.start_ahead``): it gives the driver the same
results, a stage that fails in it is run and reported by the driver, and it never outlives
the file it was forked for."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipeline import ingest
from pipeline.read.sources import paths_to_sources
from tests.conftest import REPO, SAMPLE_TXT

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="the child is forked")

# The warehouse's content, less what differs between two loads of one file (run ids, load times).
CONTENT = {
    "documents": "SELECT * FROM documents ORDER BY doc_id",
    "articles": "SELECT article_id, text FROM articles ORDER BY article_id",
    "amounts": "SELECT * FROM amounts ORDER BY ALL",
    "appointments": "SELECT * FROM appointments ORDER BY ALL",
    "findings": "SELECT * FROM parse_findings ORDER BY ALL",
    "search": "SELECT * FROM search_texts ORDER BY ALL",
}


def _content(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {name: con.execute(sql).fetchall() for name, sql in CONTENT.items()}


def _ahead_children() -> list[multiprocessing.process.BaseProcess]:
    return [child for child in multiprocessing.active_children() if child.name == "ingest-ahead"]


@pytest.fixture(scope="module")
def without_child(tmp_path_factory) -> Path:
    """The sample loaded by the driver alone."""
    db = tmp_path_factory.mktemp("alone") / "w.duckdb"
    report = ingest.ingest_sources(paths_to_sources([SAMPLE_TXT]), db, parsed_dir=None)
    assert [r.status for r in report.results] == ["loaded"]
    return db


def test_the_sample_is_short_enough_for_the_child() -> None:
    assert SAMPLE_TXT.stat().st_size < ingest.AHEAD_MAX_BYTES  # else the tests below test nothing


def test_the_driver_loads_what_the_child_read_and_extracted(tmp_path: Path, monkeypatch, without_child: Path) -> None:
    ingest.start_ahead()
    assert len(_ahead_children()) == 1

    def not_here(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - the forked child keeps the real ones
        raise AssertionError("the driver read or extracted the file itself")

    monkeypatch.setattr(ingest, "read_source", not_here)
    monkeypatch.setattr(ingest, "extract_issue", not_here)
    report = ingest.ingest_sources(paths_to_sources([SAMPLE_TXT]), tmp_path / "w.duckdb", parsed_dir=tmp_path / "parsed")
    assert [r.status for r in report.results] == ["loaded"], report.results[0].error
    assert _content(tmp_path / "w.duckdb") == _content(without_child)
    assert (tmp_path / "parsed" / f"{report.results[0].issue_id}.json").exists()
    assert ingest._ahead is None and not _ahead_children()


@pytest.mark.parametrize("stage", ["read_source", "extract_issue"])
def test_a_stage_that_fails_in_the_child_is_run_by_the_driver(stage: str, tmp_path: Path, monkeypatch,
                                                              without_child: Path) -> None:
    driver, real = os.getpid(), getattr(ingest, stage)
    ran_here: list[str] = []

    def only_in_the_driver(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if os.getpid() != driver:
            raise RuntimeError("failed in the child")
        ran_here.append(stage)
        return real(*args, **kwargs)

    monkeypatch.setattr(ingest, stage, only_in_the_driver)  # before the fork: the child has it too
    ingest.start_ahead()
    assert len(_ahead_children()) == 1
    report = ingest.ingest_sources(paths_to_sources([SAMPLE_TXT]), tmp_path / "w.duckdb", parsed_dir=None)
    assert [r.status for r in report.results] == ["loaded"], report.results[0].error
    assert ran_here == [stage]
    assert _content(tmp_path / "w.duckdb") == _content(without_child)


def test_a_refused_file_fails_as_it_does_without_the_child(tmp_path: Path) -> None:
    """Two issues in one text file: the child's read fails, the driver's read meets the same
    error and records it (stage, class, message, quarantine) as it would alone."""
    path = tmp_path / "two-issues.txt"
    sample = SAMPLE_TXT.read_text(encoding="utf-8")
    path.write_text(sample[:8000] + "\n" + sample[:8000].replace("2024年第5期", "2024年第6期"), encoding="utf-8")
    alone = ingest.ingest_sources(paths_to_sources([path]), tmp_path / "alone.duckdb", parsed_dir=None).results[0]
    ingest.start_ahead()
    beside = ingest.ingest_sources(paths_to_sources([path]), tmp_path / "beside.duckdb", parsed_dir=None).results[0]
    assert alone.status == "failed" and alone.stage == "read" and "gazette issues" in alone.error
    assert (beside.status, beside.stage, beside.error, beside.quarantined) == (alone.status, alone.stage, alone.error, alone.quarantined)
    assert not _ahead_children()


def test_the_child_is_stopped_when_its_file_needs_no_work(tmp_path: Path, without_child: Path) -> None:
    db = tmp_path / "w.duckdb"
    db.write_bytes(without_child.read_bytes())
    ingest.start_ahead()
    report = ingest.ingest_sources(paths_to_sources([SAMPLE_TXT]), db, parsed_dir=None)
    assert [r.status for r in report.results] == ["skipped"]
    assert ingest._ahead is None and not _ahead_children()


def test_the_child_is_stopped_when_the_batch_starts_with_a_pdf(tmp_path: Path) -> None:
    pdf = tmp_path / "not-really.pdf"
    pdf.write_bytes(b"%PDF-1.4 truncated")
    ingest.start_ahead()
    assert len(_ahead_children()) == 1
    report = ingest.ingest_sources(paths_to_sources([pdf, SAMPLE_TXT]), tmp_path / "w.duckdb", parsed_dir=None)
    assert [r.status for r in report.results] == ["failed", "loaded"]
    assert ingest._ahead is None and not _ahead_children()


def test_the_flow_path_stops_the_child(tmp_path: Path, monkeypatch, without_child: Path) -> None:
    """`gazette ingest --flow` reads and extracts in the flow's tasks: the child is stopped
    before the flow starts."""
    from typer.testing import CliRunner

    from pipeline.cli import app
    from pipeline.commands import ingest as ingest_command

    children_at_flow: list[int] = []

    def flow_stand_in(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - no Prefect server in this test
        children_at_flow.append(len(_ahead_children()))
        return [], "flow stand-in"

    monkeypatch.setattr(ingest_command, "_ingest_flow", flow_stand_in)
    ingest.start_ahead()
    assert len(_ahead_children()) == 1
    result = CliRunner().invoke(app, ["ingest", str(SAMPLE_TXT), "--flow", "--db", str(without_child)])
    assert result.exit_code == 0, result.output
    assert children_at_flow == [0] and not _ahead_children()


def test_gazette_ingest_of_a_short_text_leaves_reading_and_extraction_to_the_child(tmp_path: Path) -> None:
    """The command's own process imports neither the extractors nor cn2an nor spaCy (the
    sample has amounts, whose subjects spaCy reads), and loads the file all the same."""
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(sorted(m for m in ('extractors', 'cn2an', 'spacy', 'pipeline.parse.segment')"
        " if m in sys.modules), flush=True))\n"
        f"sys.argv = ['gazette', 'ingest', {str(SAMPLE_TXT)!r}, '--db', {str(tmp_path / 'w.duckdb')!r},"
        f" '--parsed-dir', {str(tmp_path / 'p')!r}]\n"
        "from pipeline.cli import main\nmain()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    out = subprocess.run([sys.executable, "-c", code], env={**env, "PYTHONPATH": str(REPO), "PREFECT_HOME": str(tmp_path / "ph")},
                         cwd=REPO, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM amounts").fetchone()[0] > 0
