"""The pipeline's stages as plain functions, and a plain driver that chains them.

    source_to_pages → pages_to_issue → extract_issue → write_parsed → load_issue

``flows.py`` wraps the same functions as Prefect tasks; the CLI's ``ingest``
uses ``ingest_sources`` directly.  Nothing here knows about Prefect.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from pipeline.parse.segment import SourceInfo, pages_to_issue
from pipeline.read.preflight import source_to_preflight
from pipeline.read.sources import SourceFile, read_text
from pipeline.read.text import text_to_pages
from pipeline.store import quarantine, warehouse
from schemas import Issue, Page
from schemas.models import PageInfo

DEFAULT_PARSED_DIR = Path("data/parsed")
DEFAULT_MAX_PAGES = 2000  # refuse absurd page counts rather than run for hours
DEFAULT_WAIT = 30.0  # seconds to wait for another process holding the warehouse


class ParseError(ValueError):
    """The file was read but could not be parsed; the message is one line."""


OCR_MODES = ("auto", "always", "never")


def default_ocr_mode() -> str:
    """OCR mode for PDFs: GAZETTE_OCR (auto|always|never), auto when unset.

    An environment variable rather than a parameter threaded through every
    layer, so the CLI's --ocr reaches the flow's task workers too."""
    mode = os.environ.get("GAZETTE_OCR", "auto").strip().lower() or "auto"
    if mode not in OCR_MODES:
        raise ValueError(f"GAZETTE_OCR={mode!r}: use auto, always or never")
    return mode


def source_to_pages(source: SourceFile, *, max_pages: int | None = DEFAULT_MAX_PAGES) -> tuple[list[Page], int | None]:
    """Read a source into pages.  Returns (pages, page_count or None for text).

    PDF pages without a usable text layer are recognised by OCR
    (``default_ocr_mode``: auto = only those pages)."""
    if source.kind == "txt":
        return text_to_pages(read_text(source.path)), None
    from pipeline.read.pdf import pdf_to_pages  # pdfplumber is only imported for PDFs

    pages = pdf_to_pages(source.path, max_pages=max_pages, ocr=default_ocr_mode())
    return pages, len(pages)


def source_to_issue(source: SourceFile, *, max_pages: int | None = DEFAULT_MAX_PAGES) -> Issue:
    source_to_preflight(source, max_pages=max_pages)  # encrypted, not a PDF, over the page limit: a clear error
    pages, page_count = source_to_pages(source, max_pages=max_pages)
    info = SourceInfo(
        path=str(source.path), sha256=source.sha256, kind=source.kind, page_count=page_count,
        ocr_pages=tuple(page.number for page in pages if page.ocr),
    )
    issue = pages_to_issue(pages, info)
    page_info = pages_to_info(pages) if source.kind == "pdf" else []
    return issue.model_copy(update={"parsed_at": datetime.now(timezone.utc), "pages": page_info})


def pages_to_info(pages: list[Page]) -> list[PageInfo]:
    """Per-page facts for the ``pages`` table: columns, printed number, OCR and its confidence."""
    from pipeline.read.ocr import is_low_confidence  # light: the OCR engine loads only when used

    return [
        PageInfo(
            page=page.number, printed_number=page.printed_number, columns=page.columns, ocr=page.ocr,
            ocr_confidence=page.ocr_confidence, low_confidence=page.ocr and is_low_confidence(page.ocr_confidence),
            ocr_lines=page.ocr_lines,
        )
        for page in pages
    ]


def extract_issue(issue: Issue) -> Issue:
    """Run every registered extractor over every document (extractors.REGISTRY)."""
    import extractors

    return extractors.extract_issue(issue)


def write_parsed(issue: Issue, parsed_dir: Path = DEFAULT_PARSED_DIR) -> Path:
    """data/parsed/<issue_id>.json: the whole parsed issue, readable by a person."""
    parsed_dir.mkdir(parents=True, exist_ok=True)
    path = parsed_dir / f"{issue.issue_id}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(issue.model_dump_json(indent=1), encoding="utf-8")
    tmp.replace(path)
    return path


def read_parsed(path: Path) -> Issue:
    return Issue.model_validate_json(Path(path).read_text(encoding="utf-8"))


@dataclass
class FileResult:
    path: Path
    status: str  # loaded | replaced | skipped | failed | quarantined (skipped: failed before)
    issue_id: str | None = None
    documents: int = 0
    articles: int = 0
    error: str | None = None
    stage: str | None = None
    quarantined: bool = False  # this failure quarantined the file (see pipeline.store.quarantine)


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]


def ingest_sources(
    sources: Iterable[SourceFile],
    db: Path = warehouse.DEFAULT_DB,
    *,
    parsed_dir: Path | None = DEFAULT_PARSED_DIR,
    max_pages: int | None = DEFAULT_MAX_PAGES,
    on_file: Callable[[FileResult], None] | None = None,
    wait: float = DEFAULT_WAIT,
    retry_failed: bool = False,
    quarantine_dir: Path | None = None,
) -> IngestReport:
    """Parse, extract and load each source; one bad file never stops the batch.

    The warehouse is opened only for the moments it is needed (the sha256
    check, the load, an error row), not while a file is parsed, so another
    ingest or an analyst's query can use it in between; each open waits up to
    ``wait`` seconds for another process's lock."""
    report = IngestReport()
    warehouse.connect(db, wait=wait).close()  # fail early (and create it) when it cannot be opened at all
    _SCHEMA_READY.add(str(Path(db).resolve()))
    for source in sources:
        result = ingest_one(
            db, source, parsed_dir=parsed_dir, max_pages=max_pages, wait=wait,
            retry_failed=retry_failed, quarantine_dir=quarantine_dir,
        )
        report.results.append(result)
        if on_file:
            on_file(result)
    if any(r.status in ("loaded", "replaced") for r in report.results):
        from pipeline.store.search_index import rebuild_index

        with _opened(db, wait) as con:
            rebuild_index(con)  # the fts index is not incremental: once per batch
    return report


# Warehouses whose tables this process has created or checked: reopening them
# for each file skips the DDL (an ingest opens the warehouse two or three times a file).
_SCHEMA_READY: set[str] = set()


@contextmanager
def _opened(con: duckdb.DuckDBPyConnection | Path | str, wait: float) -> Iterator[duckdb.DuckDBPyConnection]:
    """Use the caller's connection, or open the warehouse at that path just for this block."""
    if isinstance(con, (str, Path)):
        key = str(Path(con).resolve())
        opened = warehouse.connect(con, wait=wait, create=key not in _SCHEMA_READY or not Path(con).exists())
        _SCHEMA_READY.add(key)
        try:
            yield opened
        finally:
            opened.close()
    else:
        yield con


def _one_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else error.__class__.__name__


def ingest_one(
    con: duckdb.DuckDBPyConnection | Path | str,
    source: SourceFile,
    *,
    parsed_dir: Path | None,
    max_pages: int | None,
    wait: float = DEFAULT_WAIT,
    retry_failed: bool = False,
    quarantine_dir: Path | None = None,
) -> FileResult:
    """Ingest one source.  ``con`` is an open warehouse connection, or the
    warehouse's path (opened briefly for each step that needs it).

    Any failure becomes a ``failed`` result and a row in ``ingest_errors``;
    failures of the file's own bytes quarantine it (``pipeline.store.quarantine``),
    and a quarantined sha256 is skipped until ``retry_failed``.  Only
    ``WarehouseError`` (the warehouse cannot be opened within ``wait``) is raised."""
    with _opened(con, wait) as c:
        existing = warehouse.sha_is_loaded(c, source.sha256)
        earlier = None if existing or retry_failed else quarantine.quarantined(c, source.sha256, source.kind)
    if existing:
        return FileResult(path=source.path, status="skipped", issue_id=existing)
    if earlier:
        return FileResult(
            path=source.path, status="quarantined", stage=earlier.stage,
            error=f"{earlier.message} (quarantined {earlier.at:%Y-%m-%d %H:%M}; --retry-failed to try again)",
        )
    stage = "open"
    try:
        source_to_preflight(source, max_pages=max_pages)
        stage = "read"
        issue = source_to_issue(source, max_pages=max_pages)
        stage = "extract"
        issue = extract_issue(issue)
        if parsed_dir is not None:
            stage = "write"
            write_parsed(issue, parsed_dir)
        stage = "load"
        with _opened(con, wait) as c:
            status = warehouse.load_issue(c, issue)
            quarantine.resolve(c, source.sha256)
    except warehouse.WarehouseError:
        # the warehouse cannot be opened (held past ``wait``, not a DuckDB file): no fault
        # of this file, nowhere to record it, and every later file would meet it too
        raise
    except Exception as error:  # noqa: BLE001 - one bad file must never stop the batch
        return record_failure(con, source, stage, error, wait=wait, quarantine_dir=quarantine_dir)
    return FileResult(
        path=source.path, status=status, issue_id=issue.issue_id, documents=len(issue.documents),
        articles=sum(len(d.articles) for d in issue.documents),
    )


def record_failure(
    con, source: SourceFile, stage: str, error: BaseException | str, *, wait: float, quarantine_dir: Path | None,
    error_class: str | None = None,
) -> FileResult:
    """Record a failed file in ingest_errors (its own transaction) and quarantine it when its
    bytes are at fault, keeping a copy in ``quarantine_dir`` (default: ``quarantine/``
    beside the warehouse); returns the ``failed`` result.  ``flows`` calls this too."""
    message = (error if isinstance(error, str) else _one_line(error)).removeprefix(f"{source.path}: ")  # the path is printed first
    error_class = error_class or (type(error).__name__ if not isinstance(error, str) else "Error")
    quarantined = stage in quarantine.QUARANTINE_STAGES
    kept = None
    try:
        with _opened(con, wait) as c:
            if quarantined:
                kept = quarantine.quarantine_copy(source.path, source.sha256, quarantine_dir or quarantine.quarantine_dir_for(c))
            quarantine.record_error(
                c, source_path=str(source.path), sha256=source.sha256,
                source_kind=source.kind, size=source.size, stage=stage,
                error_class=error_class, message=message, quarantined=quarantined, quarantine_path=kept,
            )
    except (warehouse.WarehouseError, duckdb.Error) as record_error:
        message += f" [not recorded in ingest_errors: {_one_line(record_error)}]"
    return FileResult(path=source.path, status="failed", error=message, stage=stage, quarantined=quarantined)
