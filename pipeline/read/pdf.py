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

import contextlib
import ctypes
import gc
import itertools
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import current_process, get_all_start_methods, get_context
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
    new_char,
    strip_running_lines,
    text_layer_is_usable,
)
from pipeline.read.limits import ReadLimits, ResourceLimitError, check_time
from pipeline.read.ocr_modes import OCR_MODES, OcrMode
from pipeline.read.pdfium_fonts import enter_text_only_fonts, text_only_fonts
from schemas.models import Page

# --- chars, rows, segments -------------------------------------------------------


def page_to_chars(textpage: pdfium.PdfTextPage, page_height: float) -> list[Char]:
    """All printable chars of a pdfium text page with loose boxes, top-based.

    pdfium inserts generated spaces and CR/LF between its own lines; those are
    dropped (spaces are re-derived from gaps in ``chars_to_text``).  pdfium has
    no bulk char-box call, so this loop makes one C call per char and is kept
    lean: the boxes come from ``_LOOSE_CHAR_BOX`` into one reused rectangle
    (the ``get_charbox`` wrapper's per-call allocation was a third of this
    function's time), and each ``Char`` is built as a tuple (``new_char``)."""
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # surrogate pairs etc.: fetch one by one
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(count))
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    raw = textpage.raw
    loose_box, is_generated = _LOOSE_CHAR_BOX, pdfium_c.FPDFText_IsGenerated
    chars: list[Char] = []
    append = chars.append
    for index, char in enumerate(text):
        if char in _NOT_CHARS or (char.isspace() and is_generated(raw, index)):
            continue
        if not loose_box(raw, index, rect_ref):
            raise pdfium.PdfiumError(f"no box for char {index}")
        top, bottom = rect.top, rect.bottom
        if top > bottom:
            append(new_char((char, rect.left, rect.right, page_height - top, page_height - bottom)))
    return chars


# ``FPDFText_GetLooseCharBox(text_page, index, rect)`` through a prototype that declares
# no argument types: pypdfium2's binding converts each argument with its declared type's
# ``from_param`` on every call (two thirds of the call's cost).  Undeclared, the arguments
# go by ctypes' own rules, which fit this signature exactly: the text page's pointer
# object as that pointer, the index (a Python int) as a C int, ``byref(rect)`` as the
# rectangle's address.  The same C function; pass nothing else to it.
_LOOSE_CHAR_BOX = ctypes.cast(pdfium_c.FPDFText_GetLooseCharBox, ctypes.CFUNCTYPE(ctypes.c_int))


_NOT_CHARS = frozenset("\r\n\x00\ufffe\uffff")  # pdfium's line breaks and markers, never printed


# --- tables ----------------------------------------------------------------------


def page_has_rules(page: pdfium.PdfPage, height: float, min_rules: int = DEFAULT_TABLE_MIN_RULES) -> bool:
    """Whether the page draws enough vertical rules to hold a ruled table.

    Cheap pre-check with pdfium page objects, so that pdfplumber (slow) is
    only opened for pages that may hold a table.  The path objects on the page
    and in the forms drawn on it, as ``page.get_objects(filter=[path],
    max_depth=2)`` yields them, through pdfium's raw calls: the helper wraps
    every object of the page (each line of text is one) in a Python object."""
    vertical = 0
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    bounds = [ctypes.byref(value) for value in (left, bottom, right, top)]
    for obj in _path_objects(page.raw):
        if not pdfium_c.FPDFPageObj_GetBounds(obj, *bounds):
            raise pdfium.PdfiumError("Failed to locate pageobject.")
        wide, tall = right.value - left.value, top.value - bottom.value
        if wide < 3 and tall > 6:
            vertical += 1
        elif wide > 6 and tall > 6:  # a rectangle/grid drawn as one path
            vertical += 2
        if vertical >= min_rules:
            return True
    return False


def _path_objects(page_raw: pdfium_c.FPDF_PAGE) -> Iterator[pdfium_c.FPDF_PAGEOBJECT]:
    """The path objects of a page, and in the place of each form object on it, the
    form's own (one level down, not forms within forms)."""
    for obj in _objects(page_raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject):
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            yield obj
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            for child in _objects(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject):
                if pdfium_c.FPDFPageObj_GetType(child) == pdfium_c.FPDF_PAGEOBJ_PATH:
                    yield child


def _objects(parent, count_objects, get_object) -> Iterator[pdfium_c.FPDF_PAGEOBJECT]:  # noqa: ANN001 - pdfium handle and calls
    """The objects of a page or form, failing as ``PdfPage.get_objects`` does."""
    count = count_objects(parent)
    if count < 0:
        raise pdfium.PdfiumError("Failed to get number of pageobjects.")
    for index in range(count):
        obj = get_object(parent, index)
        if not obj:
            raise pdfium.PdfiumError("Failed to get pageobject.")
        yield obj


def find_table_grids(plumber_page) -> list[TableGrid]:  # noqa: ANN001 - pdfplumber.Page or PdfiumEdges
    """Ruled tables on a page (pdfplumber's ``TableFinder``, line strategies)."""
    from pdfplumber.table import TableFinder

    grids = []
    for table in TableFinder(plumber_page).tables:
        rows = tuple(tuple(cell for cell in row.cells) for row in table.rows)
        grids.append(TableGrid(bbox=tuple(table.bbox), rows=rows))
    return grids


@dataclass
class PdfiumEdges:
    """The part of a ``pdfplumber.Page`` that its ``TableFinder`` reads with
    line strategies (``edges`` and ``bbox``), built from pdfium's path objects.

    pdfplumber would parse the whole content stream with pdfminer (text
    included) to get these: about half a second a page, most of the read time
    of a PDF with tables.  Edges are each straight path segment, in
    pdfplumber's top-based coordinates; duplicates and overlaps are merged by
    the finder as usual."""

    bbox: tuple[float, float, float, float]
    edges: list[dict]


def _segment_edge(p0: tuple[float, float], p1: tuple[float, float]) -> dict:
    """One path segment as a pdfplumber edge (as ``utils.curve_to_edges`` makes it)."""
    (x0, y0), (x1, y1) = p0, p1
    orientation = "v" if x0 == x1 else ("h" if y0 == y1 else None)
    return {
        "object_type": "curve_edge",
        "x0": min(x0, x1), "x1": max(x0, x1), "top": min(y0, y1), "bottom": max(y0, y1),
        "width": abs(x0 - x1), "height": abs(y0 - y1), "orientation": orientation,
    }


def _path_points(obj: pdfium.PdfObject, left: float, top: float) -> list[list[tuple[float, float]]] | None:
    """The subpaths of a path object as point lists (page coordinates, top-based),
    or None when it has curves (Bézier segments: left to pdfplumber)."""
    a, b, c, d, e, f = obj.get_matrix().get()
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float]]] = []
    for index in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO or not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
            return None
        point = (a * x.value + c * y.value + e - left, top - (b * x.value + d * y.value + f))
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([point])
        else:
            subpaths[-1].append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            subpaths[-1].append(subpaths[-1][0])
    return subpaths


def page_to_edges(page: pdfium.PdfPage) -> PdfiumEdges | None:
    """Table-finding edges of a page from pdfium, or None when the page draws
    something this does not translate (curves, paths inside form XObjects):
    then pdfplumber reads the page itself."""
    left, bottom, right, top = page.get_mediabox()
    edges: list[dict] = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM], max_depth=1):
        if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
            return None
        subpaths = _path_points(obj, left, top)
        if subpaths is None:
            return None
        edges.extend(_segment_edge(p0, p1) for points in subpaths for p0, p1 in itertools.pairwise(points))
    return PdfiumEdges(bbox=(0.0, 0.0, right - left, top - bottom), edges=edges)


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
    if not text_layer_is_usable("".join([c.text for c in chars])):
        return PageLayout(number=number, width=width, height=height, char_count=len(chars), usable=False)
    grids: list[TableGrid] = []
    if plumber_page_factory is not None and page_has_rules(page, height):
        grids = find_table_grids(page_to_edges(page) or plumber_page_factory(number - 1))
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


# Pages are read in worker processes when the PDF has at least this many pages
# (forking a worker and opening the PDF there costs about as much as reading
# a few pages; benchmarks/bench_ingest.py measures the whole ingest).
PARALLEL_MIN_PAGES = 16
READ_CHUNK_PAGES = 4  # pages per task: small, so that slow table pages spread over the workers


def default_read_workers() -> int:
    """One reader process per core this process may run on; 1 inside a daemonic
    worker process (a process pool's), which may not start processes of its own."""
    if current_process().daemon:
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _read_page(doc: pdfium.PdfDocument, plumber: _LazyPlumber, path: Path, index: int) -> PageLayout:
    page = doc[index]
    try:
        return page_to_layout(page, index + 1, plumber.page)
    except pdfium.PdfiumError as exc:
        raise PdfReadError(f"{path}: page {index + 1} unreadable ({exc})") from exc
    finally:
        page.close()


_WORKER_PDF: tuple[pdfium.PdfDocument, _LazyPlumber] | None = None  # this worker's open copy


def _init_reader(path: str) -> None:
    """Worker start: open the PDF once (it stays open until the worker exits).

    First the objects inherited from the parent leave the cyclic garbage collector's
    view (``gc.freeze``): the pages' many small objects trigger full collections (four
    in a 200-page read), and each would walk the parent's whole heap (and copy the
    memory pages it touches, shared with the parent until then): 0.13 s of CPU against
    0.03 s frozen.  They are the parent's objects, long-lived there; the worker's own
    are collected as usual."""
    gc.freeze()
    enter_text_only_fonts()  # a reader process never renders (pipeline.read.pdfium_fonts)
    global _WORKER_PDF
    _WORKER_PDF = (_open_pdfium(Path(path)), _LazyPlumber(Path(path)))


def _read_range(path: str, start: int, stop: int) -> list[PageLayout]:
    """Layouts of pages ``start``..``stop - 1`` (0-based), in a worker."""
    doc, plumber = _WORKER_PDF
    return [_read_page(doc, plumber, Path(path), index) for index in range(start, stop)]


def _page_count(path: Path, max_pages: int | None) -> int:
    doc = _open_pdfium(path)
    try:
        return len(doc) if max_pages is None else min(len(doc), max_pages)
    finally:
        doc.close()


def _iter_layouts_here(path: Path, count: int) -> Iterator[PageLayout]:
    # This document is only read, never rendered (pipeline.read.pdfium_fonts).  The switch is on in
    # this thread while the generator is suspended too: its consumer must not render in between
    # (pdf_to_pages reads every page before OCR renders any).
    with text_only_fonts():
        doc = _open_pdfium(path)
        plumber = _LazyPlumber(Path(path))
        try:
            for index in range(count):
                check_time(f"page {index + 1}")
                yield _read_page(doc, plumber, path, index)
        finally:
            plumber.close()
            doc.close()


def _iter_layouts_pooled(path: Path, count: int, workers: int, meanwhile: Callable[[], None] | None = None,
                         ) -> Iterator[PageLayout]:
    """Pages in ``workers`` processes, chunks of ``READ_CHUNK_PAGES``, yielded in
    page order; at most two chunks per worker are in flight, so memory stays
    bounded however long the PDF is.  ``meanwhile`` runs in a thread of this
    process while the workers read (``iter_layouts``)."""
    # fork (as in pipeline.read.ocr): spawn would re-import the caller's __main__
    context = get_context("fork" if "fork" in get_all_start_methods() else "spawn")
    chunks = deque((start, min(start + READ_CHUNK_PAGES, count)) for start in range(0, count, READ_CHUNK_PAGES))
    side: threading.Thread | None = None
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_reader, initargs=(str(path),)) as pool:
        pending: deque[Future] = deque()
        try:
            while chunks or pending:
                while chunks and len(pending) < 2 * workers:
                    pending.append(pool.submit(_read_range, str(path), *chunks.popleft()))
                if side is None and meanwhile is not None:
                    # Only now: the first submit has forked every worker (a fork pool starts them all
                    # at once), so no fork of this pool happens while the thread holds an import lock.
                    side = threading.Thread(target=_quietly, args=(meanwhile,), name="read-meanwhile", daemon=True)
                    side.start()
                yield from pending.popleft().result()
        finally:
            if side is not None:
                side.join()  # before anything else forks (the OCR pool) and before its work is used


def _quietly(work: Callable[[], None]) -> None:
    """Run side work whose failure is not this read's: the caller meets it again when it
    uses what the work was to prepare (a model that failed to load fails to load again)."""
    with contextlib.suppress(Exception):
        work()


def iter_layouts(
    path: Path,
    *,
    max_pages: int | None = None,
    on_page: PageProgress | None = None,
    workers: int | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> Iterator[PageLayout]:
    """Per-page layouts in page order (lines in reading order, headers not yet removed).

    PDFs of ``PARALLEL_MIN_PAGES`` pages or more are read in ``workers``
    processes (default: one per core), each opening the file itself; shorter
    ones, or ``workers=1``, in this process.

    ``meanwhile``: work for this process while worker processes read, such as
    loading what the next stages need (the extractors' NLP models), run in a
    thread started once the workers are forked and joined when the reading
    ends; its exceptions are dropped.  Not run when the pages are read here."""
    count = _page_count(Path(path), max_pages)
    workers = max(1, min(workers or default_read_workers(), -(-count // READ_CHUNK_PAGES)))
    if workers > 1 and count >= PARALLEL_MIN_PAGES:
        layouts = _iter_layouts_pooled(Path(path), count, workers, meanwhile)
    else:
        layouts = _iter_layouts_here(Path(path), count)
    try:
        for layout in layouts:
            check_time(f"page {layout.number}")  # the file's time budget (pipeline.read.limits), also for pooled pages
            if on_page is not None:
                on_page("read", layout.number, count)
            yield layout
    finally:
        layouts.close()  # a reader stopped early (time budget, an error) shuts its worker pool down now, not at GC


def pdf_to_pages(
    path: Path,
    *,
    max_pages: int | None = None,
    ocr: OcrMode = "auto",
    ocr_workers: int | None = None,
    on_page: PageProgress | None = None,
    limits: ReadLimits = ReadLimits(),
    meanwhile: Callable[[], None] | None = None,
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
    ``meanwhile``: this process's work while worker processes read (``iter_layouts``);
    it is over before OCR starts its own processes.

    Raises ``PdfReadError`` for files that are not readable PDFs, ``ValueError``
    for an unknown ``ocr`` mode."""
    if ocr not in OCR_MODES:
        raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {ocr!r}")
    layouts = list(iter_layouts(path, max_pages=max_pages, on_page=on_page, meanwhile=meanwhile))
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
    with text_only_fonts():
        return _page_char_counts(path, max_pages)


def _page_char_counts(path: Path, max_pages: int | None) -> list[int]:
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
