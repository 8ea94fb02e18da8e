"""Issue 14, items 3, 5 (workers) and 10: resource limits per file, OCR workers that die
with their parent, and no silent partial content (two issues in one file, an encoding
that does not fit).  The files come from tests/fixtures/make_hostile_files.py.

Memory is not measured here (benchmarks/bench_limits.py does), nor speed: these tests
check that each limit refuses with its one line and its ingest_errors row."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipeline.ingest import DEFAULT_MAX_OCR_PAGES, IngestOptions, ingest_sources
from pipeline.read.limits import TimeLimitError, time_budget
from pipeline.read.sources import SourceError, bytes_to_text, paths_to_sources
from pipeline.read.text import MultipleIssuesError, check_single_issue, text_to_issue_lines
from tests.conftest import REPO
from tests.fixtures.make_bad_files import MANY_PAGES, make_bad_files
from tests.fixtures.make_hostile_files import BIG5_LINES, BLANK_PAGES, HUGE_PAGE_POINTS, make_hostile_files


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    return make_hostile_files(tmp_path_factory.mktemp("hostile"), small=True)


def _ingest(path: Path, tmp_path: Path, **options):
    return ingest_sources(paths_to_sources([path]), tmp_path / "w.duckdb", parsed_dir=None,
                          quarantine_dir=tmp_path / "quarantine", **options)


def _error_rows(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT source_path, stage, error_class, message, quarantined FROM ingest_errors").fetchall()
    finally:
        con.close()


def _assert_refused(report, db: Path, path: Path, stage: str, error_class: str, *fragments: str) -> str:
    [result] = report.results
    assert result.status == "failed" and result.stage == stage, result
    assert "\n" not in result.error
    for fragment in fragments:
        assert fragment in result.error, result.error
    assert _error_rows(db) == [(str(path), stage, error_class, result.error, True)]
    return result.error


# --- item 3: limits ----------------------------------------------------------------------


def test_page_too_large_to_render_is_refused_before_rendering(hostile, tmp_path):
    path = hostile["huge-pages.pdf"]
    report = _ingest(path, tmp_path)
    # 14400 pt at 144 dpi (scale 2) is 28800 px a side: 829,440,000 px
    _assert_refused(report, tmp_path / "w.duckdb", path, "read", "ResourceLimitError",
                    f"page 1 is {HUGE_PAGE_POINTS} x {HUGE_PAGE_POINTS} pt", "829 Mpx", "over the limit of 10 Mpx",
                    "--max-page-pixels")


def test_too_many_pages_for_ocr_are_refused(hostile, tmp_path):
    path = hostile["blank-pages.pdf"]
    report = _ingest(path, tmp_path, max_pages=BLANK_PAGES)
    _assert_refused(report, tmp_path / "w.duckdb", path, "read", "ResourceLimitError",
                    f"{BLANK_PAGES} pages need OCR, over the limit of {DEFAULT_MAX_OCR_PAGES} per file", "--max-ocr-pages")


def test_text_over_the_byte_limit_is_refused_unread(hostile, tmp_path):
    path = hostile["one-line.txt"]
    size = path.stat().st_size
    report = _ingest(path, tmp_path, max_text_bytes=size - 1)
    _assert_refused(report, tmp_path / "w.duckdb", path, "open", "ResourceLimitError",
                    f"txt file of {size:,} bytes, over the limit of {size - 1:,}", "--max-text-bytes")


def test_pdf_over_the_byte_limit_is_refused(hostile, tmp_path):
    path = hostile["huge-pages.pdf"]
    report = _ingest(path, tmp_path, max_pdf_bytes=1000)
    _assert_refused(report, tmp_path / "w.duckdb", path, "open", "ResourceLimitError",
                    "over the limit of 1,000", "--max-pdf-bytes")


def test_file_over_its_time_budget_stops(tmp_path):
    path = make_bad_files(tmp_path / "bad")["many-pages.pdf"]  # 60 pages read one by one
    report = _ingest(path, tmp_path, max_pages=MANY_PAGES, max_seconds=0.01)
    error = _assert_refused(report, tmp_path / "w.duckdb", path, report.results[0].stage, "TimeLimitError",
                            "stopped after 0.01 s", "over the time limit per file", "--max-seconds")
    assert report.results[0].stage in ("open", "read"), error


def test_options_carry_the_documented_defaults():
    options = IngestOptions()
    assert (options.max_page_pixels, options.max_ocr_pages, options.max_text_bytes, options.max_pdf_bytes,
            options.max_seconds) == (10_000_000, 300, 4 * 1024 * 1024, 512 * 1024 * 1024, 1800.0)


@pytest.mark.slow
def test_ocr_pool_past_the_budget_is_killed(hostile):
    """The pool is not waited for past the budget: its workers are killed, none is left."""
    from pipeline.read.ocr import ocr_pages_to_layouts
    from tests.fixtures.make_hostile_files import blank_pdf

    path = blank_pdf(hostile["big5.txt"].parent / "two-blank.pdf", 2, (595, 842))
    earlier = set(multiprocessing.active_children())  # this process's other children are not this pool's
    began = time.monotonic()
    with time_budget(0.2), pytest.raises(TimeLimitError, match="OCR of page 1"):
        ocr_pages_to_layouts(path, [1, 2], workers=2)
    assert time.monotonic() - began < 10  # loading the models alone takes longer than the budget
    assert set(multiprocessing.active_children()) - earlier == set()


def test_cli_prints_one_line_for_a_limit(hostile, tmp_path):
    path = hostile["one-line.txt"]
    run = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "ingest", "--direct", "--db", str(tmp_path / "w.duckdb"),
         "--parsed-dir", str(tmp_path / "parsed"), "--max-text-bytes", "1000", str(path)],
        capture_output=True, text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120,
    )
    assert run.returncode == 1
    lines = [line for line in (run.stdout + run.stderr).splitlines() if "one-line.txt" in line]
    assert len(lines) == 1 and "over the limit of 1,000 (raise it with --max-text-bytes)" in lines[0], run.stderr


# --- item 5: OCR workers die with their parent ----------------------------------------------

_ORPHAN_SCRIPT = """
import os, sys, time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pipeline.read.ocr import die_with_parent

pool = ProcessPoolExecutor(1, mp_context=get_context("fork"), initializer=die_with_parent)
print(pool.submit(os.getpid).result(), flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl(PR_SET_PDEATHSIG) is Linux's")
def test_ocr_worker_dies_when_its_parent_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", _ORPHAN_SCRIPT], stdout=subprocess.PIPE, text=True,
                              cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    worker = int(parent.stdout.readline())
    os.kill(worker, 0)  # alive while its parent lives
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=10)
    for _ in range(100):
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        os.kill(worker, signal.SIGKILL)
        pytest.fail("the worker outlived its killed parent")


# --- item 10: no silent partial content ------------------------------------------------------


def test_two_issues_in_one_text_are_refused(hostile, tmp_path):
    path = hostile["two-issues.txt"]
    # the sample's masthead line 2024年第5期 is its line 9; synthetic issue 6 follows the sample's last line
    sample_lines = (REPO / "tests/fixtures/xinzhou-2024-05.txt").read_text(encoding="utf-8").count("\n") + 1
    report = _ingest(path, tmp_path)
    _assert_refused(report, tmp_path / "w.duckdb", path, "read", "MultipleIssuesError",
                    "holds 2 gazette issues (2024年第5期 at line 9, 2024年第6期 at line", "split it into one file per issue")
    assert f"2024年第6期 at line {sample_lines + 7}" in report.results[0].error  # its masthead is its 7th line


def test_issue_lines_see_one_issue_with_a_repeated_masthead_and_the_same_issue_twice():
    masthead = "某市人民政府公报\n\n2023年第2期\n（总第十二期）\n"
    one = masthead + "某市人民政府公报\n2023 年第 2 期\n目  录\n关于某事的通知\n正文。\n"
    assert text_to_issue_lines(one) == [("line 3", "2023年第2期")]  # cover and title page before the 目录: one issue
    check_single_issue(text_to_issue_lines(one))
    twice = one + one  # nine lines each: the second masthead line is 9 + 3
    assert [label for _, label in text_to_issue_lines(twice)] == ["2023年第2期", "2023年第2期"]
    # a 期号 quoted in a sentence, or alone but far from any gazette name, is no masthead
    assert text_to_issue_lines(one + "见《某市人民政府公报》2023年第3期。\n" + "\n".join(["正文"] * 9) + "\n2023年第3期\n") == [
        ("line 3", "2023年第2期")]
    with pytest.raises(MultipleIssuesError, match=r"holds 2 gazette issues \(2023年第2期 at line 3, 2023年第2期 at line 12\)"):
        check_single_issue(text_to_issue_lines(twice))


def test_big5_text_is_read_as_big5(hostile, tmp_path):
    text = bytes_to_text(hostile["big5.txt"].read_bytes())
    assert text.splitlines() == BIG5_LINES
    report = _ingest(hostile["big5.txt"], tmp_path)
    assert report.results[0].status == "loaded"


def test_gbk_text_is_still_read_as_gbk():
    text = "某市人民政府关于做好防汛工作的通知\n各县（市、区）人民政府：\n现就有关事项通知如下。"
    assert bytes_to_text(text.encode("gbk")) == text


def test_text_no_encoding_fits_is_refused(hostile, tmp_path):
    with pytest.raises(SourceError, match="cannot tell the text encoding"):
        bytes_to_text(hostile["undecodable.txt"].read_bytes())
    report = _ingest(hostile["undecodable.txt"], tmp_path)
    _assert_refused(report, tmp_path / "w.duckdb", hostile["undecodable.txt"], "read", "SourceError",
                    "cannot tell the text encoding", "save it as UTF-8")
