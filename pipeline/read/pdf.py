"""PDF → ``Page``/``Block``: column-aware reading of text-layer PDFs.

Backend choice
--------------
Characters and their boxes come from **pypdfium2** (one ``FPDFText`` page per
page, loose char boxes); the layout analysis is ``pipeline.read.layout``,
shared with OCR.  ``benchmarks/bench_ingest.py`` measures the whole ingest of
the fixture PDF against pdfplumber's bare ``extract_text`` in the same run.
**pdfplumber** is opened lazily, and only for pages whose vector graphics look
like a ruled table, to run ``find_tables`` there.  Pages without a usable text
layer go to ``pipeline.read.ocr``.

    pdfium page  → page_to_chars → layout.chars_to_layout → … → Page
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.read.layout import (
    DEFAULT_MIN_TEXT_CHARS,
    DEFAULT_TABLE_MIN_RULES,
    Char,
    PageLayout,
    PdfReadError,
    TableGrid,
    chars_to_layout,
    leading_ratio,
    lines_to_blocks,
    strip_running_lines,
    text_layer_is_usable,
)
from pipeline.read.limits import ReadLimits, ResourceLimitError, check_time
from pipeline.read.ocr import OCR_MODES, OcrMode
from schemas.models import Page

# --- chars, rows, segments -------------------------------------------------------


def page_to_chars(textpage: pdfium.PdfTextPage, page_height: float) -> list[Char]:
    """All printable chars of a pdfium text page with loose boxes, top-based.

    pdfium inserts generated spaces and CR/LF between its own lines; those are
    dropped (spaces are re-derived from gaps in ``chars_to_text``)."""
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # surrogate pairs etc.: fetch one by one
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(count))
    chars: list[Char] = []
    for index, char in enumerate(text):
        if char in "\r\n\x00\ufffe\uffff":
            continue
        if char.isspace() and pdfium_c.FPDFText_IsGenerated(textpage, index):
            continue
        left, bottom, right, top = textpage.get_charbox(index, loose=True)
        if top - bottom <= 0:
            continue
        chars.append(Char(char, left, right, page_height - top, page_height - bottom))
    return chars


# --- tables ----------------------------------------------------------------------


def page_has_rules(page: pdfium.PdfPage, height: float, min_rules: int = DEFAULT_TABLE_MIN_RULES) -> bool:
    """Whether the page draws enough vertical rules to hold a ruled table.

    Cheap pre-check with pdfium page objects, so that pdfplumber (slow) is
    only opened for pages that may hold a table."""
    vertical = 0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        if right - left < 3 and top - bottom > 6:
            vertical += 1
        elif right - left > 6 and top - bottom > 6:  # a rectangle/grid drawn as one path
            vertical += 2
        if vertical >= min_rules:
            return True
    return False


def find_table_grids(plumber_page) -> list[TableGrid]:  # noqa: ANN001 - pdfplumber.Page
    """Ruled tables on a pdfplumber page (``find_tables`` with line strategies)."""
    grids = []
    for table in plumber_page.find_tables():
        rows = tuple(tuple(cell for cell in row.cells) for row in table.rows)
        grids.append(TableGrid(bbox=tuple(table.bbox), rows=rows))
    return grids


# --- page layout -----------------------------------------------------------------


def page_to_layout(
    page: pdfium.PdfPage,
    number: int,
    plumber_page_factory=None,  # noqa: ANN001 - callable(index) -> pdfplumber.Page
) -> PageLayout:
    """Chars → rows → segments → columns → lines (+ table rows) for one page.

    A page without a usable text layer (``text_layer_is_usable``) comes back
    with no lines and ``usable=False``: OCR's turn (pipeline.read.ocr)."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        chars = page_to_chars(textpage, height)
    finally:
        textpage.close()
    if not text_layer_is_usable("".join(c.text for c in chars)):
        return PageLayout(number=number, width=width, height=height, char_count=len(chars), usable=False)
    grids: list[TableGrid] = []
    if plumber_page_factory is not None and page_has_rules(page, height):
        grids = find_table_grids(plumber_page_factory(number - 1))
    return chars_to_layout(chars, number, width, height, grids)


# --- public API ------------------------------------------------------------------


def _open_pdfium(path: Path) -> pdfium.PdfDocument:
    path = Path(path)
    if not path.is_file():
        raise PdfReadError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise PdfReadError(f"{path}: empty file, not a PDF")
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise PdfReadError(f"{path}: cannot read PDF ({exc})") from exc


class _LazyPlumber:
    """Opens the file with pdfplumber on first use (only pages with tables need it)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pdf = None

    def page(self, index: int):  # noqa: ANN201 - pdfplumber.Page
        if self.pdf is None:
            import pdfplumber

            try:
                self.pdf = pdfplumber.open(self.path)
            except Exception as exc:  # pdfminer raises many unrelated types
                raise PdfReadError(f"{self.path}: cannot read PDF ({type(exc).__name__}: {exc})") from exc
        return self.pdf.pages[index]

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


# Progress through a PDF: (what, pages done, pages to do); what is "read" (text layer) or "ocr".
PageProgress = Callable[[str, int, int], None]


def iter_layouts(path: Path, *, max_pages: int | None = None, on_page: PageProgress | None = None) -> Iterator[PageLayout]:
    """Per-page layouts (lines in reading order, headers not yet removed)."""
    doc = _open_pdfium(path)
    plumber = _LazyPlumber(Path(path))
    try:
        count = len(doc) if max_pages is None else min(len(doc), max_pages)
        for index in range(count):
            check_time(f"page {index + 1}")
            page = doc[index]
            try:
                layout = page_to_layout(page, index + 1, plumber.page)
            except pdfium.PdfiumError as exc:
                raise PdfReadError(f"{path}: page {index + 1} unreadable ({exc})") from exc
            finally:
                page.close()
            if on_page is not None:
                on_page("read", index + 1, count)
            yield layout
    finally:
        plumber.close()
        doc.close()




def pdf_to_pages(
    path: Path,
    *,
    max_pages: int | None = None,
    ocr: OcrMode = "auto",
    ocr_workers: int | None = None,
    on_page: PageProgress | None = None,
    limits: ReadLimits = ReadLimits(),
) -> list[Page]:
    """Read a PDF into ``Page``s of paragraph ``Block``s.

    Column-aware (one or two columns per page), running headers/footers and
    page numbers removed (the printed number is kept in ``printed_number``),
    ruled tables emitted one row per block with cells joined by "\\t".

    ``ocr`` says which pages are recognised from their image (pipeline.read.ocr,
    RapidOCR) instead of read from the text layer:

    * ``"auto"`` (default): pages without a usable text layer — no chars, or
      mostly replacement/private-use/unassigned chars (``text_layer_is_usable``);
    * ``"always"``: every page, whatever its text layer says;
    * ``"never"``: none; pages without a usable text layer have no blocks.

    OCR'd pages get ``ocr=True``, ``ocr_confidence`` and ``ocr_lines`` (per-line
    boxes), and go through the same column, header and paragraph analysis.
    They run in a process pool of ``ocr_workers`` (default: up to
    ``pipeline.read.ocr.DEFAULT_OCR_WORKERS``).

    ``on_page(what, done, total)``, when given, is called after each page is read
    from its text layer (``"read"``) and after each page is recognised (``"ocr"``).
    ``limits`` bounds OCR: pages to recognise per file, pixels per rendered page
    (``ResourceLimitError``, before any page is rendered).

    Raises ``PdfReadError`` for files that are not readable PDFs, ``ValueError``
    for an unknown ``ocr`` mode."""
    if ocr not in OCR_MODES:
        raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {ocr!r}")
    layouts = list(iter_layouts(path, max_pages=max_pages, on_page=on_page))
    recognised = {}
    targets = [layout.number for layout in layouts if ocr == "always" or (ocr == "auto" and not layout.usable)]
    if limits.max_ocr_pages is not None and len(targets) > limits.max_ocr_pages:
        raise ResourceLimitError(
            f"{len(targets)} pages need OCR, over the limit of {limits.max_ocr_pages} per file (raise it with --max-ocr-pages)",
            setting="max_ocr_pages", value=limits.max_ocr_pages,
        )
    if targets:
        from pipeline.read.ocr import ocr_pages_to_layouts

        recognised = ocr_pages_to_layouts(path, targets, workers=ocr_workers, on_page=on_page,
                                          max_page_pixels=limits.max_page_pixels)
        layouts = [recognised[layout.number].layout if layout.number in recognised else layout for layout in layouts]
    printed = strip_running_lines(layouts)
    ratio = leading_ratio([line for layout in layouts for line in layout.lines])
    pages = []
    for layout in layouts:
        page = Page(
            number=layout.number,
            printed_number=printed.get(layout.number),
            blocks=lines_to_blocks(layout.lines, layout.number, ratio),
            columns=layout.columns,
            warnings=list(layout.warnings),
        )
        if layout.number in recognised:
            result = recognised[layout.number]
            page.ocr, page.ocr_confidence, page.ocr_lines = True, result.confidence, result.lines
        pages.append(page)
    return pages


def page_char_counts(path: Path, *, max_pages: int | None = None) -> list[int]:
    """Printable characters in each page's text layer (fast; for OCR triage)."""
    doc = _open_pdfium(path)
    try:
        count = len(doc) if max_pages is None else min(len(doc), max_pages)
        counts = []
        for index in range(count):
            page = doc[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            counts.append(sum(1 for ch in text if not ch.isspace()))
            textpage.close()
            page.close()
        return counts
    finally:
        doc.close()


def page_has_text_layer(char_count: int, *, min_chars: int = DEFAULT_MIN_TEXT_CHARS) -> bool:
    """Whether a page with ``char_count`` printable chars has a usable text layer."""
    return char_count >= min_chars
