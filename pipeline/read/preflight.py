"""Cheap checks before a file is read: refuse clearly what cannot or should not be parsed.

``source_to_preflight`` opens a PDF with pypdfium2 (milliseconds, no layout
work) to tell an encrypted PDF, a file that is not a PDF, a PDF with no pages
and one over the page limit apart, each with a one-line message.  The PDF
reader (``pipeline.read.pdf``) would stop silently at ``max_pages``; checking the
page count first turns that truncation into an error the user sees.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.read.limits import DEFAULT_MAX_PDF_BYTES, DEFAULT_MAX_TEXT_BYTES, ResourceLimitError, check_bytes
from pipeline.read.sources import SourceFile


class BadInputError(ValueError):
    """The file cannot be ingested as it is; the message is one line for the user."""


class EmptyFileError(BadInputError):
    """Zero bytes (or only whitespace)."""


class NotAPdfError(BadInputError):
    """Named .pdf (or starts like one) but PDFium cannot parse it: random bytes, a bare header, a truncated file."""


class EncryptedPdfError(BadInputError):
    """Encrypted with a user password: it cannot be opened without it."""


class PageLimitError(BadInputError, ResourceLimitError):
    """More pages than the configured limit (``--max-pages``)."""


def _pdfium_reason(error: Exception) -> str:
    """'Data format error' from 'Failed to load document (PDFium: Data format error).'"""
    text = str(error)
    if "PDFium:" in text:
        return text.split("PDFium:", 1)[1].strip(" .)")
    return text


def pdf_page_count(path: Path) -> int:
    """Pages of a PDF, or a ``BadInputError`` saying why it cannot be opened.

    A PDF encrypted with an owner password only (permissions, no user
    password) opens normally: PDFium decrypts it with the empty user password."""
    import pypdfium2 as pdfium  # only for PDFs: a text-only ingest (and the CLI) starts without it

    path = Path(path)
    if path.stat().st_size == 0:
        raise EmptyFileError("empty file (0 bytes), not a PDF")
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        reason = _pdfium_reason(error)
        if "password" in reason.lower():
            raise EncryptedPdfError("encrypted PDF: needs a password") from error
        with path.open("rb") as handle:
            head = handle.read(1024)
        what = "damaged or truncated PDF" if b"%PDF-" in head else "not a PDF"
        raise NotAPdfError(f"{what} (PDFium: {reason})") from error
    try:
        return len(document)
    finally:
        document.close()


def source_to_preflight(
    source: SourceFile, *, max_pages: int | None,
    max_text_bytes: int | None = DEFAULT_MAX_TEXT_BYTES, max_pdf_bytes: int | None = DEFAULT_MAX_PDF_BYTES,
) -> int | None:
    """Check a source before reading it; returns the PDF's page count (None for text).
    A file over the size limit for its kind is refused (``ResourceLimitError``) unread."""
    check_bytes(source.kind, source.size, max_text_bytes=max_text_bytes, max_pdf_bytes=max_pdf_bytes)
    if source.kind != "pdf":
        if source.size == 0:
            raise EmptyFileError("empty file (0 bytes)")
        return None
    pages = pdf_page_count(source.path)
    if pages == 0:
        raise NotAPdfError("PDF has no pages")
    if max_pages is not None and pages > max_pages:
        raise PageLimitError(f"PDF has {pages} pages, over the limit of {max_pages} (raise it with --max-pages)",
                             setting="max_pages", value=max_pages)
    return pages
