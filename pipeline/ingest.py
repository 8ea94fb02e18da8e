"""The one per-file driver: triage → open → read → extract → write → settle.

    triage(con, source)        before any work: unchanged bytes are skipped, quarantined bytes wait
    STAGES                     open (preflight) → read (pages → Issue) → extract → write (JSON);
                               each a function Item → Item, run by ``batch.map_stage``, which keeps
                               a file's failure on its item instead of raising
    settle(con, item)          load the issue (one transaction) and clear its old errors, or record
                               its failure in ingest_errors and quarantine it when its bytes are at fault

Every caller runs the same functions: ``ingest_sources`` below (in-process, the
``--direct`` path), ``flows.py`` (the same stages as Prefect tasks over chunks of
files), and the scheduled fetch (flows.fetch_new_issues, which ingests what it
downloaded through flows).  Nothing here knows about Prefect.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import multiprocessing
import multiprocessing.connection
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from pipeline import batch
from pipeline.batch import Item
from pipeline.read.limits import (
    DEFAULT_MAX_OCR_PAGES,
    DEFAULT_MAX_PAGE_PIXELS,
    DEFAULT_MAX_PDF_BYTES,
    DEFAULT_MAX_SECONDS,
    DEFAULT_MAX_TEXT_BYTES,
    ReadLimits,
    check_time,
    remaining,
    time_budget,
)
from pipeline.read.preflight import source_to_preflight
from pipeline.read.sources import SourceFault, SourceFile, read_text
from pipeline.store import quarantine, runlog, warehouse
from schemas.long_lived import paused_gc

if TYPE_CHECKING:  # the parser, the schemas and the OCR stack load with the first file, not with the CLI
    from pipeline.ahead import Ahead, AheadResult
    from pipeline.read.ocr_modes import OcrMode
    from schemas import Issue, Page
    from schemas.models import PageInfo

DEFAULT_PARSED_DIR = Path("data/parsed")
DEFAULT_MAX_PAGES = 2000  # refuse absurd page counts rather than run for hours
DEFAULT_WAIT = 30.0  # seconds to wait for another process holding the warehouse
DEFAULT_OCR: OcrMode = "auto"
IN_PROCESS_FLOW = "ingest-paths (in-process)"  # runs.flow of a run without Prefect (flows.ingest_paths' name, marked)

# Progress, for a caller that shows it (neither is required):
FileCallback = Callable[["FileResult"], None]  # a file is done: its result
PageCallback = Callable[[Path, str, int, int], None]  # (file, "read" | "ocr", pages done, pages to do)
IndexCallback = Callable[[int], None]  # the search index update is about to (re)index this many issues

__all__ = [  # re-exported for the CLI
    "DEFAULT_MAX_OCR_PAGES", "DEFAULT_MAX_PAGE_PIXELS", "DEFAULT_MAX_PDF_BYTES", "DEFAULT_MAX_SECONDS",
    "DEFAULT_MAX_TEXT_BYTES",
]


@dataclass(frozen=True)
class IngestOptions:
    """How files are ingested; the same for every caller (CLI, flow, benchmark)."""

    parsed_dir: Path | None = DEFAULT_PARSED_DIR  # where <issue_id>.json goes; None: not written
    max_pages: int | None = DEFAULT_MAX_PAGES
    ocr: OcrMode = DEFAULT_OCR  # auto: pages without a usable text layer; always; never
    retry_failed: bool = False  # parse quarantined files again
    quarantine_dir: Path | None = None  # default: quarantine/ beside the warehouse
    quarantine_max_bytes: int | None = quarantine.DEFAULT_QUARANTINE_MAX_BYTES  # copies kept there; oldest go first
    wait: float = DEFAULT_WAIT  # seconds to wait for another process's warehouse lock
    # resource limits per file (pipeline.read.limits); None: no limit
    max_page_pixels: int | None = DEFAULT_MAX_PAGE_PIXELS  # a page's image for OCR
    max_ocr_pages: int | None = DEFAULT_MAX_OCR_PAGES  # pages recognised by OCR
    max_text_bytes: int | None = DEFAULT_MAX_TEXT_BYTES  # size of a .txt
    max_pdf_bytes: int | None = DEFAULT_MAX_PDF_BYTES  # size of a .pdf
    max_seconds: float | None = DEFAULT_MAX_SECONDS  # open to write, all stages together
    # Called as PDF pages are read and recognised; not an option of the result, so not compared.
    on_page: PageCallback | None = field(default=None, compare=False, repr=False)
    # Called with the number of issues the search index update (re)indexes, before it does.
    on_index: IndexCallback | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        from pipeline.read.ocr_modes import OCR_MODES

        if self.ocr not in OCR_MODES:
            raise ValueError(f"unknown OCR mode {self.ocr!r}: use {', '.join(OCR_MODES)}")

    @property
    def read_limits(self) -> ReadLimits:
        return ReadLimits(max_page_pixels=self.max_page_pixels, max_ocr_pages=self.max_ocr_pages)


@dataclass
class FileResult:
    path: Path
    status: str  # loaded | replaced | skipped | failed | quarantined (skipped: failed before) | superseded
    issue_id: str | None = None
    documents: int = 0
    articles: int = 0
    findings: int = 0  # rows of parse_findings (the structural self-check), every severity
    finding_errors: int = 0  # of which error-level (`gazette ingest --strict` fails on these)
    error: str | None = None
    stage: str | None = None
    quarantined: bool = False  # this failure quarantined the file (see pipeline.store.quarantine)


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    run_id: str | None = None  # its row in the run log (runs.run_id)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]


# ---------------------------------------------------------------------------
# Reading a source (pure: bytes on disk → Issue)


def source_to_pages(source: SourceFile, *, max_pages: int | None = DEFAULT_MAX_PAGES,
                    ocr: OcrMode = DEFAULT_OCR, limits: ReadLimits = ReadLimits(),
                    on_page: PageCallback | None = None, meanwhile: Callable[[], None] | None = None) -> list[Page]:
    """Read a source into pages; PDF pages without a usable text layer go through OCR per ``ocr``.
    A file holding two or more issues is refused (``MultipleIssuesError``): the parser reads one.
    ``on_page(path, "read" | "ocr", done, total)`` follows a PDF's pages; ``meanwhile`` runs in a
    thread while worker processes read them (``pipeline.read.pdf.iter_layouts``)."""
    from pipeline.read.text import check_single_issue, pages_to_issue_lines, text_to_issue_lines, text_to_pages

    if source.kind == "txt":
        text = read_text(source.path)
        check_single_issue(text_to_issue_lines(text))
        return text_to_pages(text)
    from pipeline.read.pdf import pdf_to_pages  # pypdfium2 and pdfplumber only for PDFs

    progress = None if on_page is None else (lambda what, done, total: on_page(source.path, what, done, total))
    pages = pdf_to_pages(source.path, max_pages=max_pages, ocr=ocr, limits=limits, on_page=progress, meanwhile=meanwhile)
    check_single_issue(pages_to_issue_lines(pages))
    return pages


def pages_to_info(pages: list[Page]) -> list[PageInfo]:
    """Per-page facts for the ``pages`` table: columns, printed number, OCR and its confidence."""
    from pipeline.read.ocr import is_low_confidence  # light: the OCR engine loads only when used
    from schemas.models import PageInfo

    return [
        PageInfo(
            page=page.number, printed_number=page.printed_number, columns=page.columns, ocr=page.ocr,
            ocr_confidence=page.ocr_confidence, low_confidence=page.ocr and is_low_confidence(page.ocr_confidence),
            ocr_lines=page.ocr_lines, warnings=page.warnings,
        )
        for page in pages
    ]


def read_source(source: SourceFile, *, max_pages: int | None = DEFAULT_MAX_PAGES, ocr: OcrMode = DEFAULT_OCR,
                limits: ReadLimits = ReadLimits(), on_page: PageCallback | None = None,
                meanwhile: Callable[[], None] | None = None) -> Issue:
    """A preflighted source → its parsed Issue (documents, chapters, articles; no entities yet).
    ``meanwhile``: see ``source_to_pages``."""
    pages = source_to_pages(source, max_pages=max_pages, ocr=ocr, limits=limits, on_page=on_page, meanwhile=meanwhile)
    from pipeline.parse.segment import SourceInfo, pages_to_issue  # after the read: its workers fork without it

    is_pdf = source.kind == "pdf"
    info = SourceInfo(
        path=str(source.path), sha256=source.sha256, kind=source.kind, page_count=len(pages) if is_pdf else None,
        ocr_pages=tuple(page.number for page in pages if page.ocr),
    )
    issue = pages_to_issue(pages, info)
    return issue.model_copy(update={"parsed_at": datetime.now(timezone.utc), "pages": pages_to_info(pages) if is_pdf else []})


def source_to_issue(source: SourceFile, *, max_pages: int | None = DEFAULT_MAX_PAGES, ocr: OcrMode = DEFAULT_OCR) -> Issue:
    """Preflight (not a PDF, truncated, encrypted, too many pages: a clear error) and read a source."""
    source_to_preflight(source, max_pages=max_pages)
    return read_source(source, max_pages=max_pages, ocr=ocr)


def extract_issue(issue: Issue) -> Issue:
    """Run every extractor over every document (extractors.EXTRACTORS, in order)."""
    import extractors  # spaCy and jieba load on first use, not at import of the CLI

    return extractors.extract_issue(issue)


def write_parsed(issue: Issue, parsed_dir: Path = DEFAULT_PARSED_DIR) -> Path:
    """data/parsed/<issue_id>.json: the whole parsed issue, readable by a person."""
    parsed_dir.mkdir(parents=True, exist_ok=True)
    path = parsed_dir / f"{issue.issue_id}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(issue.model_dump_json(indent=1), encoding="utf-8")
    tmp.replace(path)
    return path


# ---------------------------------------------------------------------------
# The per-file stages, Item → Item (a failure is kept on the item by batch.map_stage)


def open_item(item: Item, options: IngestOptions) -> Item:
    source_to_preflight(item.source, max_pages=options.max_pages, max_text_bytes=options.max_text_bytes,
                        max_pdf_bytes=options.max_pdf_bytes)
    return item


def read_item(item: Item, options: IngestOptions) -> Item:
    ahead = _ahead_for(item.source)
    if ahead is not None:  # the ahead child reads it (within the file's time budget); its failure: read here
        prepare_next_stages(extraction=False)  # what the load needs, while the child reads and extracts
        budget = remaining()
        if ahead.result(timeout=None if budget is None else max(budget, 0.0)).parsed is not None:
            return replace(item, issue=ahead.result().parsed)
    # In the main thread (the in-process driver), this process loads the next stages' models
    # while worker processes read a long PDF's pages; not in a flow's task threads, where another
    # thread may be forking a pool of its own while the loading holds an import lock.
    meanwhile = prepare_next_stages if _in_driver_thread() else None
    if item.source.kind == "pdf":
        _finish_early_preparation()  # no thread may hold an import lock when the reader forks
    issue = read_source(item.source, max_pages=options.max_pages, ocr=options.ocr, limits=options.read_limits,
                        on_page=options.on_page, meanwhile=meanwhile)
    return replace(item, issue=issue)


# ---------------------------------------------------------------------------
# Loading what the stages after the read need, ahead of them (the in-process driver's main thread)

# What prepare_next_stages has loaded in this process: "extraction", "load", "subject reader".
_prepared: set[str] = set()


def prepare_next_stages(*, subject_reader: bool = True, extraction: bool = True, load: bool = True) -> None:
    """The CPU work of the stages after the read that does not depend on the file.

    ``extraction``: import the parser (with cn2an, its numeral converter) and the extractors,
    and load jieba with its dictionaries and tagger; with ``subject_reader`` also the subject
    reader's spaCy pipeline (``extractors.preload``), which otherwise loads with the first
    amount or threshold whose subject is read (a text file: only when it holds one).
    ``load``: import the warehouse's table modules (SQLAlchemy, pyarrow) and ``pyarrow.dataset``,
    which DuckDB imports when the load inserts its first Arrow table, and load jieba (the
    search rows' tokens).  A ``pipeline.ahead`` child does the first while the driver does
    the second.

    Once per process and part.  Then every object made so far (modules, models, dictionaries, a few
    hundred thousand) moves to the garbage collector's permanent generation (``gc.freeze``):
    they live as long as the process, and each full collection over them cost about 0.1 s,
    a tenth of a short ingest (issue 12).  The collector is paused meanwhile, since its
    passes over the objects that imports make find nothing to free."""
    wanted = {part for part, on in (("extraction", extraction), ("load", load),
                                    ("subject reader", extraction and subject_reader)) if on}
    if threading.current_thread() is not _early_preparation:
        _finish_early_preparation()
    if wanted <= _prepared:
        return
    with paused_gc():
        from schemas.tokens import jieba_tagger

        jieba_tagger()
        if extraction:
            import cn2an  # noqa: F401

            import extractors
            import pipeline.parse.segment  # noqa: F401

            if subject_reader:
                extractors.preload()
        if load:
            import schemas

            schemas.ROW_BUILDERS  # noqa: B018 - imports every table module
            import pyarrow.dataset  # noqa: F401
        gc.freeze()
    _prepared.update(wanted)


_early_preparation: threading.Thread | None = None  # prepare_next_stages started by ingest_sources


def _start_early_preparation(sources: list[SourceFile]) -> None:
    """For a batch that starts with a text file, ``prepare_next_stages`` in a thread from the
    start, while this thread opens (or creates) the warehouse, triages the file and reads it:
    DuckDB's work runs without the GIL, so a short ingest's models load on the other core
    (about 0.1 s of a 1.5 s ingest of two pages).  Not when the batch starts with a PDF: its
    reader forks worker processes, and no thread may be importing then (``read_item`` starts
    the same loading once they are forked).  Joined before anything forks or extracts."""
    global _early_preparation
    if sources and sources[0].kind != "pdf" and _in_driver_thread() and not {"extraction", "load"} <= _prepared:
        _early_preparation = threading.Thread(target=_prepare_quietly, name="prepare-early", daemon=True)
        _early_preparation.start()


# A batch whose first file is a text file below this size has that file read and extracted by the
# child ``gazette ingest`` forked first thing, while this process opens the warehouse (pipeline.ahead).
# Larger files take long enough that the models' loading is a small part of them, and their
# extraction and search rows are split between two processes by ``RowsAside`` instead.
AHEAD_MAX_BYTES = 256 * 1024
_ahead: Ahead | None = None  # the child working on the batch's first file, until that file is done


def _start_ahead(sources: list[SourceFile], options: IngestOptions) -> bool:
    """Give the batch's first file to the child ``start_ahead`` forked, if any, when it is a
    short text file (otherwise stop that child); whether a child now works on it."""
    global _ahead
    from pipeline import ahead

    first = sources[0] if sources else None
    if (first is None or first.kind != "txt" or first.size is None or first.size >= AHEAD_MAX_BYTES
            or not _in_driver_thread()):
        ahead.discard()
        return False
    child = ahead.take()
    if child is None:
        return False
    child.give(first, {"max_pages": options.max_pages, "ocr": options.ocr, "limits": options.read_limits})
    _ahead = child
    return True


def start_ahead() -> None:
    """Fork the ``pipeline.ahead`` child that ``ingest_sources`` gives its first file, when that
    is a short text file (``gazette ingest`` calls this first thing, before typer loads)."""
    from pipeline import ahead

    ahead.start(functools.partial(_prepare_quietly, load=False), _read_and_extract_ahead)


def _read_and_extract_ahead(source: SourceFile, read_options: dict) -> AheadResult:
    """In the ahead child: the read and extract stages' results for ``source``, up to the first
    that fails (the driver runs that one itself, and reports its failure)."""
    from pipeline.ahead import AheadResult

    parsed = extracted = None
    with contextlib.suppress(Exception):
        parsed = read_source(source, **read_options)
        extracted = extract_issue(parsed)
    return AheadResult(source, parsed, extracted)


def _ahead_for(source: SourceFile) -> Ahead | None:
    """The ahead child's work, if it is on ``source`` (only in the driver's main thread)."""
    return _ahead if _ahead is not None and _ahead.source == source and _in_driver_thread() else None


def _drop_ahead() -> None:
    """Stop the ahead child, if any (its file is done, or was skipped, or the batch ends)."""
    global _ahead
    ahead, _ahead = _ahead, None
    if ahead is not None:
        ahead.cancel()


def _prepare_quietly(*, load: bool = True) -> None:
    """``prepare_next_stages`` ahead of need: in the early thread, or in the ahead child (``load=False``)."""
    with contextlib.suppress(Exception):  # met again, and reported, when the stages load it themselves
        prepare_next_stages(subject_reader=False, load=load)  # as extract_item would: spaCy only when a subject is read


def _finish_early_preparation() -> None:
    """Wait for ``_start_early_preparation``'s thread, if any (its failure is met again when the
    models load on first use)."""
    global _early_preparation
    thread, _early_preparation = _early_preparation, None
    if thread is not None:
        thread.join()


def _in_driver_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def extract_item(item: Item, options: IngestOptions) -> Item:
    ahead = _ahead_for(item.source)
    if ahead is not None and ahead.result().parsed is item.issue and ahead.result().extracted is not None:
        return replace(item, issue=ahead.result().extracted)
    if _in_driver_thread():  # when the read did not do it meanwhile (a flow's threads load on first use)
        prepare_next_stages(subject_reader=False)
    aside = None
    if _may_fork() and _is_large(item.issue):
        with contextlib.suppress(OSError):  # no fork to be had (memory, process limits): the load builds them
            aside = RowsAside.start(item.issue, share=ROWS_SHARE_ASIDE)
    try:
        issue = _extract_in_driver(item.issue) if _in_driver_thread() else extract_issue(item.issue)
    except BaseException:
        if aside:
            aside.cancel()  # else it would wait forever to send rows nobody reads
        raise
    return replace(item, issue=issue, prebuilt=aside.collect(item.issue, issue) if aside else None)


def _extract_in_driver(issue: Issue) -> Issue:
    """``extract_issue`` with the garbage collector paused: extraction makes no reference cycles
    to free (none on the sample), and the collector's passes would walk the subject reader's
    spaCy pipeline, which an extraction loads on first use; that pipeline is then frozen out of
    later passes like the rest of the models (``prepare_next_stages``)."""
    had_spacy = "spacy" in sys.modules
    with paused_gc():
        extracted = extract_issue(issue)
        if not had_spacy and "spacy" in sys.modules:
            gc.freeze()
    return extracted


# Tables whose rows depend only on what extraction leaves unchanged (a document's title, text and
# articles: search_texts), so they can be built from the parsed issue while it is extracted.
ROWS_BEFORE_EXTRACTION = ("search_texts",)
# Fields of a Document that extraction sets (records, and what the enrichers return); rows
# built before extraction are used only when every other field is still the same.
EXTRACTED_FIELDS = frozenset({"records", "effective_on", "valid_years", "valid_until"})
LARGE_ISSUE_CHARS = 100_000  # below this, a forked process costs more than it saves
# The share of the documents (by characters) whose rows the forked process builds; this process
# builds the rest's once it has extracted.  Measured on the 200-page PDF (benchmarks/bench_ingest.py):
# search rows (jieba) cost about 2.9 µs a character, extraction about 0.9, so with the child
# taking (0.9 + 2.9) / (2 × 2.9) ≈ 0.65 of the rows both processes finish together.
ROWS_SHARE_ASIDE = 0.65


def _may_fork() -> bool:
    """The in-process driver's main thread (as in ``read_item``) on a system with fork, and not
    inside a daemonic worker process (a process pool's), which may not start processes."""
    return (_in_driver_thread() and "fork" in multiprocessing.get_all_start_methods()
            and not multiprocessing.current_process().daemon)


def _is_large(issue: Issue) -> bool:
    return sum(len(document.text) for document in issue.documents) >= LARGE_ISSUE_CHARS


@dataclass
class RowsAside:
    """The rows of ``ROWS_BEFORE_EXTRACTION`` built from the parsed issue while this process
    extracts: a forked child builds those of the first documents (``share`` of the text),
    and this process those of the others once its extraction is done, so that on two cores
    the search tokens (jieba) and the extractors end together.  The child inherits the
    issue and the loaded jieba by fork; only its rows come back, pickled through a pipe.
    Each document's rows depend on that document alone (``issue_to_search_rows``), so
    the rows of the two parts, in document order, are the rows of the whole issue."""

    process: multiprocessing.process.BaseProcess
    pipe: multiprocessing.connection.Connection
    split: int  # documents[:split] are the child's

    @classmethod
    def start(cls, issue: Issue, share: float = 1.0) -> RowsAside:
        split = documents_split(issue, share)
        reader, writer = multiprocessing.get_context("fork").Pipe(duplex=False)
        part = issue.model_copy(update={"documents": issue.documents[:split]})
        process = multiprocessing.get_context("fork").Process(target=_build_rows, args=(part, writer), daemon=True)
        process.start()
        writer.close()
        return cls(process, reader, split)

    def collect(self, parsed: Issue, extracted: Issue) -> dict[str, list[dict]] | None:
        """The rows of the whole issue: this process builds its part first, while the child
        finishes its own, then joins the child's; None (load_issue builds them itself) when the
        child failed or extraction changed a field other than ``EXTRACTED_FIELDS``."""
        if not _only_extracted_changed(parsed, extracted):
            self.cancel()
            return None
        try:
            rest = _rows_before_extraction(parsed.model_copy(update={"documents": parsed.documents[self.split:]}))
        except BaseException:
            self.cancel()
            raise
        try:
            rows = self.pipe.recv()
        except (EOFError, OSError):
            rows = None
        finally:
            self.pipe.close()
            self.process.join()
        return None if rows is None else {name: rows[name] + rest[name] for name in rows}

    def cancel(self) -> None:
        self.pipe.close()
        self.process.terminate()
        self.process.join()


def documents_split(issue: Issue, share: float) -> int:
    """How many of the issue's first documents hold ``share`` of its text (at least one
    when ``share`` > 0, all of them when ``share`` >= 1)."""
    if share >= 1:
        return len(issue.documents)
    wanted, held = share * sum(len(document.text) for document in issue.documents), 0
    for count, document in enumerate(issue.documents):
        if held >= wanted and count:
            return count
        held += len(document.text)
    return len(issue.documents)


def _rows_before_extraction(issue: Issue) -> dict[str, list[dict]]:
    from schemas import ROW_BUILDERS

    return {name: list(ROW_BUILDERS[name](issue)) for name in ROWS_BEFORE_EXTRACTION if name in ROW_BUILDERS}


def _build_rows(issue: Issue, pipe: multiprocessing.connection.Connection) -> None:
    """In the child: the rows of ``ROWS_BEFORE_EXTRACTION`` (None on any error)."""
    try:
        rows = _rows_before_extraction(issue)
    except Exception:  # the parent builds them again and meets the error itself
        rows = None
    pipe.send(rows)
    pipe.close()


def _only_extracted_changed(parsed: Issue, extracted: Issue) -> bool:
    """Whether ``extracted`` differs from ``parsed`` only in its documents' ``EXTRACTED_FIELDS``
    (cheap: the other values are the same objects, which compare equal at once)."""
    if len(parsed.documents) != len(extracted.documents):
        return False
    return all(
        {k: v for k, v in a.__dict__.items() if k not in EXTRACTED_FIELDS} == {k: v for k, v in b.__dict__.items() if k not in EXTRACTED_FIELDS}
        for a, b in zip(parsed.documents, extracted.documents, strict=True)
    ) and parsed.model_copy(update={"documents": []}) == extracted.model_copy(update={"documents": []})


def write_item(item: Item, options: IngestOptions) -> Item:
    if options.parsed_dir is not None:
        write_parsed(item.issue, options.parsed_dir)
    return item


Stage = Callable[[Item, IngestOptions], Item]
# In order; the names are what ingest_errors.stage and run_files.stage record.
# open/read/extract failures come from the file's bytes (pipeline.store.quarantine).
PARSE_STAGES: tuple[tuple[str, Stage], ...] = (("open", open_item), ("read", read_item))
STAGES: tuple[tuple[str, Stage], ...] = (*PARSE_STAGES, ("extract", extract_item), ("write", write_item))


def run_stages(items: list[Item], stages: Iterable[tuple[str, Stage]], options: IngestOptions, *,
               reraise: Callable[[BaseException], bool] | None = None) -> list[Item]:
    """Each stage over every item that has not failed yet (pipeline.batch.map_stage), within
    the file's time budget (``options.max_seconds`` less what its earlier stages took)."""
    for name, stage in stages:
        items = batch.map_stage(items, name, lambda item, name=name, stage=stage: _budgeted(name, stage, item, options),
                                reraise=reraise)
    return items


def _budgeted(name: str, stage: Stage, item: Item, options: IngestOptions) -> Item:
    """Run one stage with the file's time budget set (pipeline.read.limits); a stage that
    finishes past it fails too, so the limit holds for stages that cannot check it inside."""
    with time_budget(options.max_seconds, spent=item.seconds):
        check_time(f"the start of stage {name}")
        result = stage(item, options)
        check_time(f"the end of stage {name}")
    return result


# ---------------------------------------------------------------------------
# Before and after the stages: the only steps that touch the warehouse


def triage(con: duckdb.DuckDBPyConnection, source: SourceFile, *, retry_failed: bool = False,
           options: IngestOptions | None = None) -> FileResult | None:
    """The result for a file that needs no work (unchanged bytes, quarantined bytes while
    ``retry_failed`` is off, bytes superseded by a newer file of their issue), or None when it
    is to be ingested.  Bytes quarantined by a limit (``--max-pages`` …) whose value in
    ``options`` has changed since are tried again by themselves."""
    loaded_as = warehouse.sha_is_loaded(con, source.sha256)
    if loaded_as:
        return FileResult(path=source.path, status="skipped", issue_id=loaded_as)
    held = quarantine.superseded(con, source.sha256)
    if held and not newer_wins(source.path, Path(held[1])):
        return FileResult(path=source.path, status="superseded", issue_id=held[0],
                          error=superseded_message(held[0], held[1]) + " (unchanged since)")
    earlier = None if retry_failed else quarantine.quarantined(con, source.sha256, source.kind)
    if earlier and options is not None and earlier.limit_changed(vars(options)):
        earlier = None
    if earlier:
        return FileResult(
            path=source.path, status="quarantined", stage=earlier.stage,
            error=f"{earlier.message} (quarantined {earlier.at:%Y-%m-%d %H:%M}; --retry-failed to try again)",
        )
    return None


def file_order(path: Path) -> tuple[float, str]:
    """How files of one issue are ranked: modification time, then path; a missing file ranks first."""
    try:
        mtime = Path(path).stat().st_mtime
    except OSError:
        mtime = float("-inf")
    return (mtime, str(path))


def newer_wins(incoming: Path, holder: Path) -> bool:
    """Whether ``incoming`` replaces the issue loaded from ``holder``, another file that parses to
    the same issue_id (an original and its corrected copy): the newer file wins, by modification
    time and then by path, so reruns over both settle on the same one."""
    return file_order(incoming) > file_order(holder)


def superseded_message(issue_id: str, winner: str) -> str:
    return f"superseded by {winner}, a newer file of the same issue {issue_id} (newest modification time wins)"


def load_item(con: duckdb.DuckDBPyConnection, item: Item) -> Item:
    """Load the item's issue in one transaction; its status is loaded, replaced or skipped, or
    superseded when another, newer file already holds its issue (``newer_wins``).  A file that
    takes an issue over from an older file records that file as superseded."""
    holder = warehouse.issue_source(con, item.issue.issue_id)
    other = holder is not None and holder[1] != str(item.source.path) and holder[0] != item.source.sha256
    if other and not newer_wins(item.source.path, Path(holder[1])):
        return replace(item, status="superseded", superseded_by=holder[1])
    status = warehouse.load_issue(con, item.issue, prebuilt=item.prebuilt)
    if other and status != "skipped":
        _record_superseded(con, holder, item.issue.issue_id, winner=str(item.source.path))
    return replace(item, status=status)


def _record_superseded(con: duckdb.DuckDBPyConnection, holder: tuple[str, str, str | None], issue_id: str, winner: str) -> None:
    """An ingest_errors row for a file another file of its issue has replaced (not quarantined)."""
    sha256, path, kind = holder
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = None
    quarantine.record_error(
        con, source_path=path, sha256=sha256, source_kind=kind, size=size, stage="load", error_class="SupersededError",
        message=superseded_message(issue_id, winner), quarantined=False, superseded_issue=issue_id,
    )


def settle(con: duckdb.DuckDBPyConnection, item: Item, *, quarantine_dir: Path | None = None,
           quarantine_max_bytes: int | None = quarantine.DEFAULT_QUARANTINE_MAX_BYTES) -> FileResult:
    """The file's result after its stages: a loaded item clears the file's outstanding
    errors; a failed one is recorded in ingest_errors (and quarantined when its bytes are at fault)."""
    if item.failed:
        return record_failure(con, item.source, item.stage, item.error, quarantine_dir=quarantine_dir,
                              error_class=item.error_class, over_limit=item.over_limit,
                              quarantine_max_bytes=quarantine_max_bytes)
    if item.status == "superseded":
        return _settle_superseded(con, item)
    quarantine.resolve(con, item.source.sha256, str(item.source.path))
    issue = item.issue
    return FileResult(path=item.source.path, status=item.status, issue_id=issue.issue_id,
                      documents=len(issue.documents), articles=sum(len(d.articles) for d in issue.documents),
                      findings=len(issue.findings), finding_errors=sum(f.severity == "error" for f in issue.findings))


def _settle_superseded(con: duckdb.DuckDBPyConnection, item: Item) -> FileResult:
    """A file a newer file of the same issue holds: an ingest_errors row (SupersededError, not
    quarantined: it is compared again when either file changes) and its ``superseded`` result."""
    source, issue_id = item.source, item.issue.issue_id
    message = superseded_message(issue_id, item.superseded_by)
    try:
        quarantine.record_error(
            con, source_path=str(source.path), sha256=source.sha256, source_kind=source.kind, size=source.size,
            stage="load", error_class="SupersededError", message=message, quarantined=False, superseded_issue=issue_id,
        )
    except (warehouse.WarehouseError, duckdb.Error) as record_error:
        message += f" [not recorded in ingest_errors: {batch.error_line(record_error)}]"
    return FileResult(path=source.path, status="superseded", issue_id=issue_id, error=message)


def record_failure(
    con: duckdb.DuckDBPyConnection, source: SourceFile, stage: str, error: str, *,
    quarantine_dir: Path | None = None, error_class: str | None = None, over_limit: str | None = None,
    quarantine_max_bytes: int | None = quarantine.DEFAULT_QUARANTINE_MAX_BYTES,
) -> FileResult:
    """Record a failed file in ingest_errors (its own transaction) and quarantine it when its
    bytes are at fault, keeping a copy in ``quarantine_dir`` (default: ``quarantine/``
    beside the warehouse); returns the ``failed`` result."""
    message = error.removeprefix(f"{source.path}: ")  # the path is printed first
    quarantined = stage in quarantine.QUARANTINE_STAGES
    kept = None
    try:
        if quarantined:
            kept = quarantine.quarantine_copy(source.path, source.sha256, quarantine_dir or quarantine.quarantine_dir_for(con),
                                              max_bytes=quarantine_max_bytes)
        quarantine.record_error(
            con, source_path=str(source.path), sha256=source.sha256, source_kind=source.kind, size=source.size,
            stage=stage, error_class=error_class or "Error", message=message, quarantined=quarantined, quarantine_path=kept,
            over_limit=over_limit,
        )
    except (warehouse.WarehouseError, duckdb.Error) as record_error:
        message += f" [not recorded in ingest_errors: {batch.error_line(record_error)}]"
    return FileResult(path=source.path, status="failed", error=message, stage=stage, quarantined=quarantined)


def record_fault(con: duckdb.DuckDBPyConnection, fault: SourceFault) -> FileResult:
    """Record a file discovery could not read (pipeline.read.sources.SourceFault) in
    ingest_errors at stage ``find``: no sha256 (its bytes are unknown), not quarantined
    (nothing to copy; it is tried again on every run); returns the ``failed`` result."""
    message = fault.error.removeprefix(f"{fault.path}: ")
    try:
        quarantine.record_error(
            con, source_path=str(fault.path), sha256=None, source_kind=fault.kind, size=fault.size, stage="find",
            error_class=fault.error_class, message=message, quarantined=False,
        )
    except (warehouse.WarehouseError, duckdb.Error) as record_error:
        message += f" [not recorded in ingest_errors: {batch.error_line(record_error)}]"
    return FileResult(path=fault.path, status="failed", error=message, stage="find")


# ---------------------------------------------------------------------------
# The in-process driver (gazette ingest --direct; tests; benchmarks)


def _is_warehouse_error(error: BaseException) -> bool:
    """The warehouse cannot be opened (held past ``wait``, not a DuckDB file): no fault of
    this file, nowhere to record it, and every later file would meet it too."""
    return isinstance(error, warehouse.WarehouseError)


def ingest_one(held: HeldWarehouse, source: SourceFile, options: IngestOptions) -> FileResult:
    """triage → stages → load → settle for one file.  The warehouse is released before a
    large file is parsed, and before any file once it has been held ``HOLD_SECONDS``
    (``HeldWarehouse.release_before_parsing``), so another process can use it in between."""
    done = triage(held.con(), source, retry_failed=options.retry_failed, options=options)
    if done is not None:
        _drop_ahead()
        return done
    held.release_before_parsing(source)
    try:
        [item] = run_stages([Item(source)], STAGES, options)
    finally:
        _drop_ahead()  # the first file's stages are done: its child's work is used or not needed
    con = held.con()
    if not item.failed:
        [item] = batch.map_stage([item], "load", lambda it: load_item(con, it), reraise=_is_warehouse_error)
    return settle(con, item, quarantine_dir=options.quarantine_dir, quarantine_max_bytes=options.quarantine_max_bytes)


def ingest_sources(
    sources: Iterable[SourceFile],
    db: Path = warehouse.DEFAULT_DB,
    options: IngestOptions | None = None,
    *,
    on_file: FileCallback | None = None,
    faults: Iterable[SourceFault] = (),
    **option_values,
) -> IngestReport:
    """Parse, extract and load each source in this process; one bad file never stops the batch.
    ``faults`` (files found but unreadable) each get their ingest_errors row and failed result.

    Options come as ``options`` or as keyword arguments (``parsed_dir=None``, ``max_pages``…).
    Each open of the warehouse waits up to ``options.wait`` seconds for another process's
    lock; only a warehouse that cannot be opened at all raises (``WarehouseError``).
    The batch is recorded in the run log (``runs``/``run_files``) like a flow run, with
    ``report.run_id`` as its id and ``flow = IN_PROCESS_FLOW``."""
    options = replace(options or IngestOptions(), **option_values)
    sources, faults = list(sources), list(faults)
    report = IngestReport(run_id=str(uuid.uuid4()))
    run = runlog.RunRecord(run_id=report.run_id, flow=IN_PROCESS_FLOW, task_runner="in-process",
                           parameters={"paths": [str(s.path) for s in sources] + [str(f.path) for f in faults], "db": str(db),
                                       "parsed_dir": str(options.parsed_dir)})
    held = HeldWarehouse(db, options.wait)
    # The ahead child (forked by the CLI) takes the first file, or this thread loads the models
    # beside the warehouse; both when more files follow.  The child was forked before any thread.
    if not _start_ahead(sources, options) or len(sources) > 1:
        _start_early_preparation(sources)
    try:
        con = _open_creating(held)  # fail early (and create it) when it cannot be opened at all
        runlog.start_run(con, run)  # 'running' until the end: a batch that dies stays on record as such
        for fault in faults:  # files discovery could not read: recorded, and the others go on
            result = record_fault(held.con(), fault)
            report.results.append(result)
            run.files.append(runlog.RunFile("ingest", str(fault.path), "failed", stage=result.stage, error=result.error,
                                            bytes=fault.size))
            if on_file:
                on_file(result)
        for source in sources:
            began = time.perf_counter()
            result = ingest_one(held, source, options)
            report.results.append(result)
            run.files.append(result_to_run_file(source, result, time.perf_counter() - began))
            if on_file:
                on_file(result)
        con = held.con()
        if any(r.status in ("loaded", "replaced") for r in report.results):
            from pipeline.store.search_index import rebuild_index

            rebuild_index(con, on_start=options.on_index)  # once per batch: the issues loaded since the last update only
        runlog.finish_run(con, run)
    finally:
        _drop_ahead()
        _finish_early_preparation()
        held.release()
    return report


def result_to_run_file(source: SourceFile, result: FileResult, seconds: float | None = None) -> runlog.RunFile:
    """A file's row in ``run_files``; the flows record the same (quarantined files as skipped)."""
    status = "skipped" if result.status == "quarantined" else result.status
    return runlog.RunFile("ingest", str(source.path), status, sha256=source.sha256, issue_id=result.issue_id,
                          stage=result.stage, error=result.error, bytes=source.size,
                          seconds=round(seconds, 4) if seconds and status != "skipped" else None)


# Warehouses whose tables this process has created or checked: reopening them
# for each file skips the DDL (an ingest opens the warehouse two or three times a file).
_SCHEMA_READY: set[str] = set()


def _open_creating(held: HeldWarehouse) -> duckdb.DuckDBPyConnection:
    """``held.con(create=True)`` with the garbage collector paused, and what it imported frozen
    after (as in ``prepare_next_stages``): creating the tables and views imports their modules
    (SQLAlchemy, pyarrow), which live as long as the process."""
    with paused_gc():
        con = held.con(create=True)
        gc.freeze()
    return con


# A batch keeps the warehouse open through the parsing of small files for at most this long, then
# releases it before the next file: each release is a checkpoint, which cost 70–120 ms a file and
# made a directory of small files 1.26× slower into a full warehouse than into an empty one
# (benchmarks/bench_command_growth.py; since then a checkpoint writes only the new rows, about
# 30 ms: "Checkpoints" in pipeline.store.warehouse).  Holding 2 s keeps the checkpoints a small
# part of the work; another process waits that long at most.
HOLD_SECONDS = 2.0
# Files at least this big (a long PDF, a whole issue as text) take long enough to parse that the
# warehouse is always released before them.
RELEASE_BEFORE_BYTES = 256 * 1024


class HeldWarehouse:
    """The in-process driver's warehouse at ``db``: opened when a step needs it and kept open
    through the steps that follow one another (start the run and triage the first file; load
    and settle a file and triage the next; rebuild the index and finish the run).  Before a
    file is parsed it is closed when the file is large or the warehouse has been held for
    ``HOLD_SECONDS``, so another process can use it meanwhile.  Each open is a connect and
    each close a checkpoint, a few hundredths of a second each."""

    def __init__(self, db: Path, wait: float) -> None:
        self.db, self.wait = Path(db), wait
        self._con: duckdb.DuckDBPyConnection | None = None
        self._opened_at = 0.0

    def release_before_parsing(self, source: SourceFile) -> None:
        """Close the connection when ``source`` is large or the warehouse has been held
        ``HOLD_SECONDS``; otherwise keep it for the file's load."""
        if source.size >= RELEASE_BEFORE_BYTES or time.monotonic() - self._opened_at >= HOLD_SECONDS:
            self.release()

    def con(self, *, create: bool = False) -> duckdb.DuckDBPyConnection:
        """The open connection, opened now if need be (creating or upgrading the tables when
        ``create``, or when this process has not done so for this warehouse yet)."""
        if self._con is None:
            key = str(self.db.resolve())
            self._con = warehouse.connect(self.db, wait=self.wait,
                                          create=create or key not in _SCHEMA_READY or not self.db.exists())
            _SCHEMA_READY.add(key)
            self._opened_at = time.monotonic()
        return self._con

    def release(self) -> None:
        """Close the connection, if open."""
        con, self._con = self._con, None
        if con is not None:
            warehouse.close(con)
