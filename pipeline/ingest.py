"""The pipeline's stages as plain functions, and a plain driver that chains them.

    source_to_pages → pages_to_issue → extract_issue → write_parsed → load_issue

``flows.py`` wraps the same functions as Prefect tasks; the CLI's ``ingest``
uses ``ingest_sources`` directly.  Nothing here knows about Prefect.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pipeline import warehouse
from pipeline.normalize import text_to_pages
from pipeline.segment import SourceInfo, pages_to_issue
from pipeline.sources import SourceFile, SourceError, read_text
from schemas import Issue, Page
from schemas.models import PageInfo

DEFAULT_PARSED_DIR = Path("data/parsed")
DEFAULT_MAX_PAGES = 2000  # refuse absurd page counts rather than run for hours


class ParseError(ValueError):
    """The file was read but could not be parsed; the message is one line."""


def source_to_pages(source: SourceFile, *, max_pages: int | None = DEFAULT_MAX_PAGES) -> tuple[list[Page], int | None]:
    """Read a source into pages.  Returns (pages, page_count or None for text)."""
    if source.kind == "txt":
        return text_to_pages(read_text(source.path)), None
    from pipeline.pdf import pdf_to_pages  # pdfplumber is only imported for PDFs

    pages = pdf_to_pages(source.path, max_pages=max_pages)
    return pages, len(pages)


def source_to_issue(source: SourceFile, *, max_pages: int | None = DEFAULT_MAX_PAGES) -> Issue:
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
    from pipeline.ocr import is_low_confidence  # light: the OCR engine loads only when used

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
    status: str  # loaded | replaced | skipped | failed
    issue_id: str | None = None
    documents: int = 0
    articles: int = 0
    error: str | None = None
    stage: str | None = None


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
) -> IngestReport:
    """Parse, extract and load each source; one bad file never stops the batch."""
    report = IngestReport()
    con = warehouse.connect(db)
    try:
        for source in sources:
            result = ingest_one(con, source, parsed_dir=parsed_dir, max_pages=max_pages)
            report.results.append(result)
            if on_file:
                on_file(result)
        if any(r.status in ("loaded", "replaced") for r in report.results):
            from pipeline.search import rebuild_index

            rebuild_index(con)  # the fts index is not incremental: once per batch
    finally:
        con.close()
    return report


def ingest_one(con, source: SourceFile, *, parsed_dir: Path | None, max_pages: int | None) -> FileResult:
    existing = warehouse.sha_is_loaded(con, source.sha256)
    if existing:
        return FileResult(path=source.path, status="skipped", issue_id=existing)
    stage = "read"
    try:
        issue = source_to_issue(source, max_pages=max_pages)
        stage = "extract"
        issue = extract_issue(issue)
        if parsed_dir is not None:
            stage = "write"
            write_parsed(issue, parsed_dir)
        stage = "load"
        status = warehouse.load_issue(con, issue)
    except (SourceError, ParseError, ValueError, OSError, RuntimeError) as error:
        message = str(error).splitlines()[0] if str(error) else error.__class__.__name__
        return FileResult(path=source.path, status="failed", error=message, stage=stage)
    return FileResult(
        path=source.path, status=status, issue_id=issue.issue_id, documents=len(issue.documents),
        articles=sum(len(d.articles) for d in issue.documents),
    )
