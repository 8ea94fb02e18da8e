"""What `gazette` imports at start, which path `gazette ingest` takes, and how it shows progress.

Timings are in benchmarks/bench_startup.py; these tests check the causes (what
is imported, which path runs), not the seconds.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from tests.conftest import REPO, SAMPLE_TXT

HEAVY = ("prefect", "spacy", "jieba", "pypdfium2")


def _loaded_after(code: str, env: dict | None = None) -> set[str]:
    """Top-level packages in sys.modules after running ``code`` in a fresh interpreter."""
    script = code + "\nimport sys, json\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    out = subprocess.run([sys.executable, "-c", script], env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_the_cli_imports_no_heavy_package() -> None:
    loaded = _loaded_after("from pipeline.cli import app")  # every command module
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_gazette_sql_imports_only_the_sql_command(tmp_path: Path) -> None:
    import duckdb

    db = tmp_path / "w.duckdb"
    duckdb.connect(str(db)).close()
    code = ("import sys\nfrom pipeline import cli\n"
            "cli.exit_without_teardown = sys.exit  # the usual exit, so that the imports can be listed after it\n"
            f"sys.argv = ['gazette', 'sql', 'SELECT 42', '--db', {str(db)!r}]\n"
            "try:\n    cli.main()\nexcept SystemExit as stop:\n    assert not stop.code, stop.code\n")
    loaded = _loaded_after(code)
    # the warehouse's table modules (SQLAlchemy, pyarrow) and the parsing layers are other commands' imports
    assert not loaded & {*HEAVY, "schemas", "extractors", "sqlalchemy", "pyarrow", "regex"}, loaded


def test_a_command_line_imports_the_module_of_its_command() -> None:
    from pipeline.cli import COMMANDS, argv_to_commands

    assert argv_to_commands(["sql", "SELECT 1"]) == ("sql",)
    assert argv_to_commands(["ingest", "a.pdf", "--direct"]) == ("ingest",)
    assert argv_to_commands([]) == COMMANDS  # `gazette`: the help lists them all
    assert argv_to_commands(["--help"]) == COMMANDS
    assert argv_to_commands(["sqll"]) == COMMANDS  # typer's "No such command 'sqll'. Did you mean 'sql'?"


def test_the_app_of_pipeline_cli_has_every_command() -> None:
    from typer.main import get_command

    from pipeline.cli import COMMANDS, app

    assert sorted(get_command(app).commands) == sorted(COMMANDS)


def test_default_ingest_without_a_prefect_api_does_not_import_prefect(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")  # no `gazette serve` announced there
    code = (
        "from typer.testing import CliRunner\nfrom pipeline.cli import app\n"
        f"r = CliRunner().invoke(app, ['ingest', {str(SAMPLE_TXT)!r}, '--db', {str(tmp_path / 'w.duckdb')!r}, "
        f"'--parsed-dir', {str(tmp_path / 'p')!r}])\n"
        "assert r.exit_code == 0, r.output\nassert '(in-process run ' in r.stdout, r.stdout\n"
    )
    script = code + "import sys, json\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    out = subprocess.run([sys.executable, "-c", script], env={**env, "PYTHONPATH": str(REPO)}, cwd=REPO,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "prefect" not in set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_the_wait_shown_by_sql_and_remove_is_the_ingests_own() -> None:
    from pipeline.commands.common import INGEST_WAIT
    from pipeline.ingest import DEFAULT_WAIT

    assert INGEST_WAIT == DEFAULT_WAIT


def test_the_search_limit_shown_by_the_cli_is_the_searchs_own() -> None:
    from pipeline.analyst.search import DEFAULT_LIMIT
    from pipeline.commands import search

    assert search.DEFAULT_LIMIT == DEFAULT_LIMIT


# --- which path ----------------------------------------------------------------------


@pytest.fixture
def no_api(monkeypatch, tmp_path):
    monkeypatch.setenv("PREFECT_API_URL", "")  # recorded, so choose_mode's own setting is undone too
    monkeypatch.delenv("PREFECT_API_URL")
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    return tmp_path


def _announce(home: Path, pid: int, url: str = "http://127.0.0.1:4999/api") -> None:
    from pipeline.commands.serve import SERVE_FILE

    (home / SERVE_FILE).write_text(json.dumps({"url": url, "pid": pid}), encoding="utf-8")


def test_no_api_runs_in_process(no_api) -> None:
    from pipeline.commands.ingest import choose_mode

    assert choose_mode(direct=False, flow=False) == "in-process"
    assert choose_mode(direct=False, flow=True) == "flow"


def test_a_configured_api_runs_the_flow_unless_direct(no_api, monkeypatch) -> None:
    from pipeline.commands.ingest import choose_mode

    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4999/api")
    assert choose_mode(direct=False, flow=False) == "flow"
    assert choose_mode(direct=True, flow=False) == "in-process"


def test_a_running_serve_is_found_and_a_dead_one_ignored(no_api, monkeypatch) -> None:
    from pipeline.commands.ingest import choose_mode

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    _announce(no_api, dead.pid)
    assert choose_mode(direct=False, flow=False) == "in-process"
    _announce(no_api, os.getpid(), "http://127.0.0.1:4998/api")  # this process stands in for a live serve
    assert choose_mode(direct=False, flow=False) == "flow"
    assert os.environ["PREFECT_API_URL"] == "http://127.0.0.1:4998/api"


def test_serve_announces_itself_while_it_runs(no_api) -> None:
    from pipeline.commands.serve import SERVE_FILE, running_serve_url, serve_file

    with serve_file("http://127.0.0.1:4997/api"):
        assert running_serve_url() == "http://127.0.0.1:4997/api"
    assert not (no_api / SERVE_FILE).exists()
    assert running_serve_url() is None


def test_an_in_process_ingest_is_in_the_run_log(tmp_path) -> None:
    import duckdb

    from pipeline.ingest import IN_PROCESS_FLOW, ingest_sources
    from pipeline.read.sources import paths_to_sources

    db = tmp_path / "w.duckdb"
    report = ingest_sources(paths_to_sources([SAMPLE_TXT]), db, parsed_dir=None)
    again = ingest_sources(paths_to_sources([SAMPLE_TXT]), db, parsed_dir=None)
    con = duckdb.connect(str(db), read_only=True)
    try:
        runs = con.execute("SELECT run_id, flow, status, files_seen, files_ingested, files_skipped FROM runs ORDER BY started_at").fetchall()
        files = con.execute("SELECT run_id, status, issue_id FROM run_files ORDER BY run_id").fetchall()
    finally:
        con.close()
    assert runs == [(report.run_id, IN_PROCESS_FLOW, "completed", 1, 1, 0), (again.run_id, IN_PROCESS_FLOW, "completed", 1, 0, 1)]
    issue_id = report.results[0].issue_id
    assert sorted(files) == sorted([(report.run_id, "loaded", issue_id), (again.run_id, "skipped", issue_id)])


# --- progress ----------------------------------------------------------------------------


def _plain_console() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=False, width=200), buffer


def test_progress_off_a_terminal_is_few_plain_lines(tmp_path) -> None:
    from pipeline.commands.progress import IngestProgress
    from pipeline.ingest import FileResult

    console, buffer = _plain_console()
    with IngestProgress(2, console) as progress:  # a small batch: its result lines on stdout suffice
        progress.page_done(tmp_path / "a.pdf", "read", 1, 40)  # text-layer pages: too quick to mention
        progress.page_done(tmp_path / "a.pdf", "ocr", 3, 40)
        progress.file_done(FileResult(path=tmp_path / "a.pdf", status="loaded"))
        progress.file_done(FileResult(path=tmp_path / "b.txt", status="skipped"))
    assert buffer.getvalue().splitlines() == [f"ingest: {tmp_path / 'a.pdf'}: OCR page 3/40"]

    console, buffer = _plain_console()
    with IngestProgress(45, console) as progress:  # a large one: a line at each tenth
        for k in range(45):
            progress.file_done(FileResult(path=tmp_path / f"{k}.txt", status="loaded"))
    assert buffer.getvalue().splitlines() == [f"ingest: {k}/45 files done" for k in (5, 9, 14, 18, 23, 27, 32, 36, 41, 45)]


def test_ocr_reports_each_page(monkeypatch) -> None:
    from pipeline.read import ocr

    monkeypatch.setattr(ocr, "recognise_page", lambda path, index, scale, threads: (595.0, 842.0, []))
    seen = []
    pages = ocr.ocr_pages_to_layouts(Path("scan.pdf"), [2, 5, 7], workers=1, on_page=lambda *args: seen.append(args),
                                     max_page_pixels=None)  # no file to measure: the recogniser is stubbed
    assert sorted(pages) == [2, 5, 7]
    assert seen == [("ocr", 1, 3), ("ocr", 2, 3), ("ocr", 3, 3)]


def test_pdf_pages_are_reported_through_the_driver(tmp_path) -> None:
    from pipeline.ingest import source_to_pages
    from pipeline.read.sources import paths_to_sources
    from tests.fixtures.make_pdf import render_one_column_pdf

    pdf = render_one_column_pdf(tmp_path / "two.pdf", ["第一条 本办法自发布之日起施行。"] * 60)
    seen = []
    [source] = paths_to_sources([pdf])
    pages = source_to_pages(source, ocr="never", on_page=lambda *args: seen.append(args))
    assert len(pages) >= 2
    assert seen == [(pdf, "read", n, len(pages)) for n in range(1, len(pages) + 1)]


def test_spacy_is_imported_without_its_command_line() -> None:
    """extractors.subject imports spaCy with stand-ins for spacy.cli (a third of its import),
    gone afterwards: spacy.cli imports for real when asked for, and spacy.info is the real one."""
    code = (
        "import sys\nfrom extractors.subject.patterns import import_spacy, words_of\n"
        "spacy = import_spacy()\nassert 'spacy.cli' not in sys.modules and not hasattr(spacy, 'cli')\n"
        "labels = [(w.text, w.label) for w in words_of('注册资本不低于500万元')]\n"
        "assert ('低于', 'CMP') in labels, labels  # jieba: 不|低于\n"
        "import spacy.cli\nassert spacy.cli.info.__module__ == 'spacy.cli.info'\n"
        "assert 'spacy.cli.debug_diff' in sys.modules  # the real package, whole\n"
        "assert spacy.info.__name__ == '_spacy_info' and callable(spacy.info)\n"
    )
    _loaded_after(code)


def test_a_document_without_amounts_or_thresholds_does_not_load_spacy() -> None:
    """spaCy (the subject EntityRuler) loads only for a number whose subject is read."""
    code = (
        "from schemas import Document\nimport extractors\n"
        "doc = Document(doc_id='t/d01', issue_id='t', seq=1, text='各县（市、区）人民政府：\\n现将有关事项通知如下。\\n请认真贯彻执行。')\n"
        "done = extractors.extract_document(doc)\n"
        "assert not done.records['amounts'] and not done.records['thresholds'], done.records\n"
        "import sys\nassert 'spacy' not in sys.modules\n"
        "doc = Document(doc_id='t/d02', issue_id='t', seq=2, text='注册资本不低于500万元。')\n"
        "done = extractors.extract_document(doc)\n"
        "assert done.records['amounts'] or done.records['thresholds'], done.records\n"
        "assert 'spacy' in sys.modules\n"
    )
    _loaded_after(code)


def test_a_spacy_needing_more_of_its_command_line_is_imported_whole() -> None:
    """Stand-ins without ``info`` make spaCy's own ``from .cli.info import info`` fail, as a
    spaCy taking more from spacy.cli would: import_spacy then imports it the plain way."""
    code = (
        "import sys, types\nfrom extractors.subject import patterns\n"
        "class Deaf(types.ModuleType):\n    def __setattr__(self, name, value):\n        pass\n"
        "patterns.ModuleType = Deaf\n"
        "spacy = patterns.import_spacy()\n"
        "assert 'spacy.cli' in sys.modules and not isinstance(sys.modules['spacy.cli'], Deaf)\n"
        "assert ('低于', 'CMP') in [(w.text, w.label) for w in patterns.words_of('注册资本不低于500万元')]\n"
    )
    _loaded_after(code)


# --- what a PDF's reader processes and the models cost ---------------------------------------


def test_the_reader_processes_fork_without_the_warehouse_tables_or_the_extractors() -> None:
    # pipeline.read.pdf is what the reader workers run; they fork from a process that has
    # imported it, so what it imports is what the read waits for (issue 12, start-up)
    loaded = _loaded_after("import pipeline.read.pdf")
    assert not loaded & {"sqlalchemy", "pyarrow", "cn2an", "spacy", "jieba", "extractors", "duckdb"}, loaded


def test_a_new_warehouse_is_made_without_the_table_modules(tmp_path: Path) -> None:
    """The generated DDL holds the views too, so making a new warehouse (what an ingest does
    before its reader processes fork) imports neither SQLAlchemy nor the table modules."""
    code = f"from pipeline.store import warehouse\nwarehouse.connect({str(tmp_path / 'new.duckdb')!r}).close()"
    loaded = _loaded_after(code)
    assert not loaded & {"sqlalchemy", "pyarrow", "cn2an", "duckdb_engine"}, loaded
    import duckdb

    con = duckdb.connect(str(tmp_path / "new.duckdb"), read_only=True)
    views = {row[0] for row in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    con.close()
    assert {"document_index", "appointments_register"} <= views, views


def test_the_models_of_schemas_import_without_the_tables() -> None:
    loaded = _loaded_after("from schemas import Issue, Document, Page, PARSER_VERSION")
    assert not loaded & {"sqlalchemy", "pyarrow", "cn2an"}, loaded


def test_the_registries_of_schemas_hold_every_table_module() -> None:
    import schemas

    tables = sorted(path.stem for path in (REPO / "schemas").glob("tables*.py"))
    assert sorted(module.__name__.removeprefix("schemas.") for module in schemas.TABLE_MODULES) == tables
    assert set(schemas.ROW_BUILDERS) <= set(schemas.metadata.tables)
    assert "documents" in schemas.ROW_BUILDERS and "search_texts" in schemas.ROW_BUILDERS
    assert [view.name for view in schemas.VIEWS] == [v.name for m in schemas.TABLE_MODULES for v in m.VIEWS]
    with pytest.raises(AttributeError):
        schemas.NoSuchName  # noqa: B018


def test_an_in_process_ingest_freezes_its_models_and_leaves_the_collector_on(tmp_path: Path) -> None:
    """The models and imports move to the collector's permanent generation once (no full
    collection walks them again); the collector is on again afterwards."""
    code = (
        "import gc\nfrom pipeline.ingest import ingest_sources\nfrom pipeline.read.sources import paths_to_sources\n"
        f"report = ingest_sources(paths_to_sources([__import__('pathlib').Path({str(SAMPLE_TXT)!r})]), "
        f"__import__('pathlib').Path({str(tmp_path / 'w.duckdb')!r}), parsed_dir=None)\n"
        "assert [r.status for r in report.results] == ['loaded'], report.results\n"
        "print(gc.get_freeze_count(), gc.isenabled())\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    frozen, enabled = out.stdout.split()
    assert int(frozen) > 10_000  # the objects (containers) of the imports: the parser, jieba, the table modules
    assert enabled == "True"


def test_the_warehouse_is_free_while_a_file_is_parsed(tmp_path: Path, monkeypatch) -> None:
    """The driver keeps the warehouse open across adjacent steps but closes it before
    parsing once it has held it ``HOLD_SECONDS`` (here at once): another process can write
    to it during the read and the extraction."""
    from pipeline import ingest
    from pipeline.read.sources import paths_to_sources

    monkeypatch.setattr(ingest, "HOLD_SECONDS", 0.0)

    db = tmp_path / "w.duckdb"
    opened: list[str] = []
    probe = "import duckdb, sys\nduckdb.connect(sys.argv[1]).close()\nprint('opened')"

    def another_process_opens() -> None:
        out = subprocess.run([sys.executable, "-c", probe, str(db)], capture_output=True, text=True, timeout=120)
        opened.append(out.stdout.strip() or out.stderr.strip().splitlines()[-1])

    real_read, real_extract = ingest.read_source, ingest.extract_issue

    def read(*args, **kwargs):
        another_process_opens()
        return real_read(*args, **kwargs)

    def extract(issue):
        another_process_opens()
        return real_extract(issue)

    monkeypatch.setattr(ingest, "read_source", read)
    monkeypatch.setattr(ingest, "extract_issue", extract)
    other = tmp_path / "other.txt"
    other.write_text("某县农村公路养护办法\n第一条 为规范农村公路养护，制定本办法。\n", encoding="utf-8")
    report = ingest.ingest_sources(paths_to_sources([SAMPLE_TXT, other]), db, parsed_dir=None)
    assert [r.status for r in report.results] == ["loaded", "loaded"]
    assert opened == ["opened"] * 4


def test_a_batch_of_small_files_keeps_the_warehouse_and_releases_it_before_a_large_one(tmp_path: Path, monkeypatch) -> None:
    """Each release is a checkpoint: small files in a row share one connection (for at most
    HOLD_SECONDS), and the warehouse is released before a file of RELEASE_BEFORE_BYTES or more."""
    from pipeline import ingest
    from pipeline.read.sources import paths_to_sources
    from pipeline.store import warehouse

    files = []
    for number in range(4):
        path = tmp_path / f"rule{number}.txt"
        path.write_text(f"某县第{number + 1}号管理办法\n第一条 为规范管理，制定本办法。\n", encoding="utf-8")
        files.append(path)
    connects: list[str] = []
    real_connect = warehouse.connect

    def counted(db, **kwargs):
        connects.append(str(db))
        return real_connect(db, **kwargs)

    monkeypatch.setattr(warehouse, "connect", counted)
    monkeypatch.setattr(ingest, "HOLD_SECONDS", 3600.0)
    report = ingest.ingest_sources(paths_to_sources(files), tmp_path / "w.duckdb", parsed_dir=None)
    assert [r.status for r in report.results] == ["loaded"] * 4
    assert len(connects) == 1  # one connection for the run, the four files, the index

    connects.clear()
    monkeypatch.setattr(ingest, "RELEASE_BEFORE_BYTES", min(path.stat().st_size for path in files))
    for path in files:
        path.write_text(path.read_text(encoding="utf-8") + "第二条 本办法自发布之日起施行。\n", encoding="utf-8")
    report = ingest.ingest_sources(paths_to_sources(files), tmp_path / "w.duckdb", parsed_dir=None)
    assert [r.status for r in report.results] == ["replaced"] * 4
    assert len(connects) == 5  # the run's, then one after each file's parse


# --- a text file's ingest: what it leaves out, what it loads beside the warehouse -----------


def test_a_text_ingest_imports_neither_the_pdf_reader_nor_the_ocr_stack(tmp_path: Path) -> None:
    code = (
        "from typer.testing import CliRunner\nfrom pipeline.cli import app\n"
        f"r = CliRunner().invoke(app, ['ingest', {str(SAMPLE_TXT)!r}, '--ocr', 'never', '--db', {str(tmp_path / 'w.duckdb')!r}, "
        f"'--parsed-dir', {str(tmp_path / 'p')!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "import sys\nprint(sorted(m for m in ('pypdfium2', 'pipeline.read.pdf', 'pipeline.read.ocr', 'pipeline.read.layout') if m in sys.modules))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    out = subprocess.run([sys.executable, "-c", code], env={**env, "PYTHONPATH": str(REPO), "PREFECT_HOME": str(tmp_path / "ph")},
                         cwd=REPO, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_a_text_batch_loads_the_models_beside_the_warehouse_and_waits_for_them(tmp_path: Path, monkeypatch) -> None:
    """The models load in a thread from the batch's start (``_start_early_preparation``), and
    extraction begins only once that thread is done."""
    import threading
    import time

    from pipeline import ingest
    from pipeline.read.sources import paths_to_sources

    started: list[str] = []
    real_prepare, real_extract = ingest.prepare_next_stages, ingest.extract_issue

    def slow_prepare(**parts: bool) -> None:
        started.append(threading.current_thread().name)
        if threading.current_thread().name == "prepare-early":
            time.sleep(0.5)  # still loading when the main thread has read the file, unless waited for
        real_prepare(**parts)

    threads_at_extraction: list[list[str]] = []

    def spy_extract(issue):  # noqa: ANN001, ANN202
        threads_at_extraction.append([thread.name for thread in threading.enumerate()])
        return real_extract(issue)

    monkeypatch.setattr(ingest, "prepare_next_stages", slow_prepare)
    monkeypatch.setattr(ingest, "extract_issue", spy_extract)
    monkeypatch.setattr(ingest, "_prepared", set())  # as in a new process: nothing loaded yet
    report = ingest.ingest_sources(paths_to_sources([SAMPLE_TXT]), tmp_path / "w.duckdb", parsed_dir=None)
    assert [r.status for r in report.results] == ["loaded"]
    assert started[0] == "prepare-early"
    assert threads_at_extraction and "prepare-early" not in threads_at_extraction[0]
    assert ingest._early_preparation is None


def test_a_batch_starting_with_a_pdf_loads_the_models_only_once_its_reader_has_forked(tmp_path: Path) -> None:
    from pipeline import ingest
    from pipeline.read.sources import SourceFile

    ingest._start_early_preparation([SourceFile(tmp_path / "a.pdf", "0" * 64, "pdf", 1)])
    assert ingest._early_preparation is None  # read_item's meanwhile does it, after the fork
