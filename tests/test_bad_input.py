"""Bad input: a clear one-line error, a row in ingest_errors, quarantine, and the batch goes on.

The files come from tests/fixtures/make_bad_files.py (generated, not committed).
Expected values below are written from the hand-written fixture text.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipeline import ingest as ingest_module
from pipeline.ingest import ingest_sources, source_to_issue
from pipeline.read.sources import paths_to_sources, read_text, source_of
from pipeline.store import warehouse
from tests.conftest import REPO
from tests.fixtures.make_bad_files import MANY_PAGES, make_bad_files

# case → (error class, fragment of the one-line message)
FAILING = {
    "empty.pdf": ("EmptyFileError", "empty file (0 bytes)"),
    "empty.txt": ("EmptyFileError", "empty file (0 bytes)"),
    "truncated.pdf": ("NotAPdfError", "damaged or truncated PDF"),
    "random.pdf": ("NotAPdfError", "not a PDF"),
    "header-only.pdf": ("NotAPdfError", "damaged or truncated PDF"),
    "encrypted-user.pdf": ("EncryptedPdfError", "encrypted PDF: needs a password"),
    "many-pages.pdf": ("PageLimitError", f"PDF has {MANY_PAGES} pages, over the limit of 50"),
    "random.txt": ("SourceError", "cannot tell the text encoding"),
}
STAGE = {"random.txt": "read"}  # the others are refused before reading
LOADING = {"encrypted-owner.pdf", "no-structure.pdf", "gbk.txt", "utf16.txt", "bom-crlf.txt"}
LIMIT = 50


@pytest.fixture(scope="module")
def bad_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("bad")
    make_bad_files(directory)
    return directory


def _ingest(paths, tmp_path, **kw):
    kw.setdefault("max_pages", LIMIT)
    return ingest_sources(
        paths_to_sources(paths), tmp_path / "w.duckdb", parsed_dir=None, quarantine_dir=tmp_path / "quarantine", **kw
    )


def _errors(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            """SELECT source_path, sha256, source_kind, stage, error_class, message, failed_at, quarantined,
                      quarantine_path, resolved_at
               FROM ingest_errors ORDER BY source_path, failed_at"""
        ).fetchall()
    finally:
        con.close()


def _issue_count(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM issues").fetchone()[0]
    finally:
        con.close()


def test_corpus_covers_every_case(bad_dir):
    assert {p.name for p in bad_dir.iterdir()} == set(FAILING) | LOADING


@pytest.mark.parametrize("name", sorted(FAILING))
def test_bad_file_fails_clearly_and_is_quarantined(bad_dir, tmp_path, name):
    error_class, fragment = FAILING[name]
    path = bad_dir / name
    original = path.read_bytes()
    report = _ingest([path], tmp_path)
    [result] = report.results
    assert result.status == "failed" and result.stage == STAGE.get(name, "open") and result.quarantined
    assert fragment in result.error and "\n" not in result.error
    assert str(path) not in result.error  # the CLI prints the path once, before the message

    [row] = _errors(tmp_path / "w.duckdb")
    source_path, sha, kind, stage, cls, message, failed_at, quarantined, kept, resolved = row
    assert (source_path, sha, stage, cls, message) == (str(path), source_of(path).sha256, result.stage, error_class, result.error)
    assert kind == ("txt" if name.endswith(".txt") else "pdf")
    assert failed_at is not None and quarantined is True and resolved is None
    # the evidence is kept, and the user's file is untouched
    assert Path(kept).name == f"{sha[:12]}-{name}" and Path(kept).read_bytes() == original
    assert path.read_bytes() == original
    assert _issue_count(tmp_path / "w.duckdb") == 0


def test_batch_goes_on_and_quarantine_skips_until_retry(bad_dir, tmp_path):
    db = tmp_path / "w.duckdb"
    first = _ingest([bad_dir], tmp_path)
    status = {r.path.name: r.status for r in first.results}
    assert {n for n, s in status.items() if s == "failed"} == set(FAILING)
    assert {n for n, s in status.items() if s == "loaded"} == LOADING
    assert _issue_count(db) == len(LOADING)
    assert len(_errors(db)) == len(FAILING)

    # the same bad bytes are not tried again on the next run …
    second = _ingest([bad_dir], tmp_path)
    status = {r.path.name: r.status for r in second.results}
    assert {n for n, s in status.items() if s == "quarantined"} == set(FAILING)
    assert {n for n, s in status.items() if s == "skipped"} == LOADING
    encrypted = next(r for r in second.results if r.path.name == "encrypted-user.pdf")
    assert "encrypted PDF: needs a password" in encrypted.error and "--retry-failed" in encrypted.error
    assert len(_errors(db)) == len(FAILING)

    # … until asked; a file that now loads (a higher page limit) resolves its failure,
    # and a file that fails again counts one more attempt on its row
    third = _ingest([bad_dir], tmp_path, retry_failed=True, max_pages=MANY_PAGES)
    status = {r.path.name: r.status for r in third.results}
    assert status["many-pages.pdf"] == "loaded"
    assert {n for n, s in status.items() if s == "failed"} == set(FAILING) - {"many-pages.pdf"}
    rows = _errors(db)
    assert len(rows) == len(FAILING)
    con = duckdb.connect(str(db), read_only=True)
    attempts = dict(con.execute("SELECT source_path, attempts FROM ingest_errors").fetchall())
    con.close()
    assert attempts == {str(bad_dir / n): (1 if n == "many-pages.pdf" else 2) for n in FAILING}
    resolved = {Path(row[0]).name for row in rows if row[-1] is not None}
    assert resolved == {"many-pages.pdf"}


def test_page_limit_is_an_error_not_a_silent_cut(bad_dir, tmp_path):
    [over] = _ingest([bad_dir / "many-pages.pdf"], tmp_path, max_pages=MANY_PAGES - 1).results
    assert over.status == "failed" and f"over the limit of {MANY_PAGES - 1}" in over.error
    [within] = _ingest([bad_dir / "many-pages.pdf"], tmp_path, max_pages=MANY_PAGES, retry_failed=True).results
    assert within.status == "loaded"
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    text, page_count = con.execute("SELECT d.text, i.page_count FROM documents d JOIN issues i USING (issue_id)").fetchone()
    con.close()
    assert page_count == MANY_PAGES
    assert f"第{MANY_PAGES}页的正文内容" in text  # the last page was read, not cut off


def test_encrypted_with_owner_password_only_is_read(bad_dir):
    issue = source_to_issue(source_of(bad_dir / "encrypted-owner.pdf"))
    [document] = issue.documents
    assert document.title == "某市人民政府办公室关于做好防汛工作的通知"
    assert document.doc_number == "某政办发〔2023〕7号"
    assert str(document.signed_on) == "2023-06-01"
    assert "对辖区内10座以上水库逐一排查" in document.text


PROSE = "春天的河边柳树发了新芽，早起的人们沿着堤岸散步，孩子们在草地上放风筝。"
NO_STRUCTURE = "no gazette or document structure found: loaded as one untitled document"


def test_pdf_without_gazette_structure_loads_as_one_untitled_document(bad_dir, tmp_path):
    issue = source_to_issue(source_of(bad_dir / "no-structure.pdf"))
    assert issue.kind == "single" and NO_STRUCTURE in issue.warnings
    [document] = issue.documents
    assert document.title is None and document.articles == [] and PROSE in document.text
    # the text path says the same about the same prose
    text_file = tmp_path / "prose.txt"
    text_file.write_text("春天的河边柳树发了新芽，\n早起的人们沿着堤岸散步，孩子们在草地上放风筝。\n", encoding="utf-8")
    text_issue = source_to_issue(source_of(text_file))
    assert NO_STRUCTURE in text_issue.warnings and text_issue.documents[0].title is None


@pytest.mark.parametrize("name", ["gbk.txt", "utf16.txt"])
def test_gbk_and_utf16_text_are_detected_and_decoded(bad_dir, name):
    path = bad_dir / name
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    assert read_text(path).startswith("某市人民政府办公室关于做好防汛工作的通知\n某政办发〔2023〕7号\n")
    [document] = source_to_issue(source_of(path)).documents
    assert document.title == "某市人民政府办公室关于做好防汛工作的通知"
    assert document.doc_number == "某政办发〔2023〕7号"
    assert document.recipients == "各县（市、区）人民政府，市直各单位"
    assert [c.label for c in document.clauses if c.kind == "point"] == ["一、", "二、"]


def test_bom_crlf_fullwidth_digits_and_spaces(bad_dir):
    raw = (bad_dir / "bom-crlf.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and "２０２４".encode() in raw and "\u3000".encode() in raw
    [document] = source_to_issue(source_of(bad_dir / "bom-crlf.txt")).documents
    assert not any(ch in document.text for ch in "\ufeff\r\u3000０１２３４５６７８９")
    assert document.title == "某市城市绿化管理办法"
    assert [(a.label, a.article_no) for a in document.articles] == [("第一条", 1), ("第二条", 2)]
    second = document.articles[1]
    assert second.text.startswith("第二条 绿地面积10万平方米以上的公园，应当设置管理机构。")
    assert document.text[second.start : second.end] == second.text
    assert "本办法自2024年3月1日起施行。" in document.text


def test_unexpected_parser_error_is_recorded_and_the_batch_goes_on(tmp_path, monkeypatch, bad_dir):
    real = ingest_module.extract_issue

    def explode_on_gbk(issue):
        if issue.source_path.endswith("gbk.txt"):
            raise KeyError("a bug in an extractor")
        return real(issue)

    monkeypatch.setattr(ingest_module, "extract_issue", explode_on_gbk)
    report = _ingest([bad_dir / "gbk.txt", bad_dir / "bom-crlf.txt"], tmp_path)
    assert [(r.status, r.stage) for r in report.results] == [("failed", "extract"), ("loaded", None)]
    [row] = _errors(tmp_path / "w.duckdb")
    assert row[3:6] == ("extract", "KeyError", "'a bug in an extractor'") and row[7] is True


def test_load_failure_is_recorded_but_not_quarantined(tmp_path, monkeypatch, bad_dir):
    def disk_full(con, issue, prebuilt=None):
        raise duckdb.IOException("No space left on device")

    monkeypatch.setattr(warehouse, "load_issue", disk_full)
    [failed] = _ingest([bad_dir / "gbk.txt"], tmp_path).results
    assert (failed.status, failed.stage, failed.quarantined) == ("failed", "load", False)
    [row] = _errors(tmp_path / "w.duckdb")
    assert row[3:5] == ("load", "IOException") and row[7] is False and row[8] is None
    monkeypatch.undo()
    # the machine's fault, not the file's: the next run tries again without --retry-failed
    [again] = _ingest([bad_dir / "gbk.txt"], tmp_path).results
    assert again.status == "loaded"


def test_cli_prints_one_line_per_bad_file(bad_dir, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO), "GAZETTE_DIRECT": "1"}  # without Prefect (tests/test_flows.py covers the flow)
    command = [
        sys.executable, "-m", "pipeline.cli", "ingest", str(bad_dir), "--db", str(tmp_path / "w.duckdb"),
        "--parsed-dir", str(tmp_path / "parsed"), "--quarantine-dir", str(tmp_path / "q"), "--max-pages", str(LIMIT),
    ]
    run = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert run.returncode == 1
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == len(FAILING)
    for name, (_, fragment) in FAILING.items():
        [line] = [line for line in lines if f"/{name}:" in line]
        assert line.startswith(f"failed {bad_dir / name}: ") and fragment in line
        assert line.endswith(f"(stage: {STAGE.get(name, 'open')})")
    assert f"{len(LOADING)} issues" in " ".join(run.stdout.split())  # rich wraps long lines at 80 columns
    # the second run names each quarantined file once, and succeeds
    again = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert again.returncode == 0
    quarantined = [line for line in again.stderr.splitlines() if line.startswith("quarantined ")]
    assert len(quarantined) == len(FAILING)
