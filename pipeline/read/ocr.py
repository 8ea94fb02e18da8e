"""OCR for pages without a usable text layer: render with pypdfium2, recognise
with RapidOCR, and hand the lines to the same layout analysis as the text layer.

Engine: RapidOCR (``rapidocr-onnxruntime``), whose PP-OCR Chinese detection,
direction and recognition models ship inside the wheel and run offline on
onnxruntime.  It returns one entry per detected text line: a quadrilateral
box, the text, and a confidence.

Data flow for one page::

    pdfium page → render (``OcrSettings.scale`` × 72 dpi) → RapidOCR lines (``recognise_image``)
    lines       → OcrLine (box in PDF points, top-based, like pipeline.read.pdf)
    lines       → ocr_lines_to_chars  (each line's box shared among its chars)
    chars       → pipeline.read.layout.chars_to_layout (rows, columns, reading order)

so that columns, running headers, paragraphs (indent, centring, short lines)
are found by exactly the code that reads text-layer pages.

Pages run in parallel in a small process pool; each worker loads the models
once (``_init_worker``).  Models and rendering are CPU-bound: one worker per
core, each with one onnxruntime thread.  ``OcrSettings`` holds what trades time
for accuracy (render scale, angle classifier, detection size, recognition
batch); the defaults and what was measured for each are beside their constants
(benchmarks/bench_ocr.py measures them against the previous settings).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from statistics import median

from pipeline.read.layout import Char, PageLayout, PdfReadError, chars_to_layout
from pipeline.read.limits import DEFAULT_MAX_PAGE_PIXELS, ResourceLimitError, check_time, remaining, time_limit_error
from schemas.models import OcrLine

# Speed/accuracy settings, measured with benchmarks/bench_ocr.py on the sample's pages 4, 16, 19, 20
# (5,602 chars) against their text layer, CPU seconds a page in one single-threaded process; the
# recogniser (rec) is about 75% of the time, detection (det) 20%, rendering under 1%:
#   scale 2.0, angle classifier on (the settings before issue 12)   CER 0.0071, 7.8 s
#   scale 2.0, classifier off                                       CER 0.0071, 7.5 s
#   scale 1.5 / 1.0, classifier off                                 CER 0.0082 / 0.0104, 7.1 / 6.7 s
#   scale 2.78 (200 dpi), classifier off                            CER 0.0071, 8.7 s
#   scale 2.0, classifier off, rec batches of 1 instead of 6         CER 0.0077, 5.6 s
# and on pages 3, 4, 19, 20 (5,364 chars), in another run:
#   scale 2.0, classifier off                                       CER 0.0075, 7.4 s
#   the same with the graphs rewritten (pipeline.read.ocr_graph)    CER 0.0075, 5.4 s (the same text)
DEFAULT_OCR_SCALE = 2.0  # render at 144 dpi: lower loses characters (above), higher only costs detection time
DEFAULT_USE_CLS = False  # the 180° line classifier: same CER on upright pages; a page read with low
#                          confidence without it is read again with it (an upside-down scan: 0.75 → 0.99)
DEFAULT_DET_LIMIT_TYPE = "min"  # RapidOCR's default: detect at the render's resolution when its short
DEFAULT_DET_LIMIT_SIDE_LEN = 736  # side is ≥ 736 px (A4 at 144 dpi: 1190 px); "max" is ignored above 1500 px
DEFAULT_REC_BATCH_NUM = 6  # RapidOCR's default; batches of 1 cost a quarter less but changed 3 chars in 5,602
DEFAULT_SIMPLIFY_GRAPHS = True  # pipeline.read.ocr_graph: the same text for about 28% less CPU (det -35%, rec -27%)
DEFAULT_OCR_WORKERS = 2  # processes; each holds its own copy of the models (~150 MB)
# One onnxruntime thread per worker: one process with 2 threads took 8.5 CPU s a page against 4.9 with
# one (pages 19, 20, rewritten graphs), so on a shared 2-core machine two single-threaded workers read more.
DEFAULT_LOW_CONFIDENCE = 0.9  # a page whose mean line confidence is below this is flagged
DEFAULT_SIZE_TOLERANCE = 0.2  # line heights within this fraction of the page's median are one font size
HALF_WIDTH_EM = 0.5  # advance of a Latin letter, digit or ASCII punctuation, in em


@dataclass
class OcrPage:
    """One recognised page: its layout (for pipeline.read.pdf) and its provenance."""

    number: int
    layout: PageLayout
    lines: list[OcrLine]
    confidence: float | None  # None when nothing was recognised


def is_low_confidence(confidence: float | None, threshold: float = DEFAULT_LOW_CONFIDENCE) -> bool:
    """An OCR'd page to flag: nothing recognised, or a mean confidence below ``threshold``."""
    return confidence is None or confidence < threshold


# --- the engine -------------------------------------------------------------------


@dataclass(frozen=True)
class OcrSettings:
    """How a page is rendered and recognised: the render scale (pixels per point),
    RapidOCR's options that trade time for accuracy, and whether its models run as
    the rewritten copies of pipeline.read.ocr_graph (same results, less CPU)."""

    scale: float = DEFAULT_OCR_SCALE
    use_cls: bool = DEFAULT_USE_CLS
    det_limit_type: str = DEFAULT_DET_LIMIT_TYPE
    det_limit_side_len: int = DEFAULT_DET_LIMIT_SIDE_LEN
    rec_batch_num: int = DEFAULT_REC_BATCH_NUM
    simplify_graphs: bool = DEFAULT_SIMPLIFY_GRAPHS

    def engine_options(self) -> dict[str, object]:
        """Keyword arguments of ``rapidocr_onnxruntime.RapidOCR`` for these settings."""
        options: dict[str, object] = {
            "use_cls": self.use_cls,
            "det_limit_type": self.det_limit_type,
            "det_limit_side_len": self.det_limit_side_len,
            "rec_batch_num": self.rec_batch_num,
        }
        if self.simplify_graphs:
            options.update(simplified_model_paths())
        return options


@lru_cache(maxsize=1)
def simplified_model_paths() -> dict[str, str]:
    """RapidOCR's detection and recognition models rewritten by pipeline.read.ocr_graph
    (made once, cached on disk; the originals when that cannot be done)."""
    from rapidocr_onnxruntime.main import DEFAULT_CFG_PATH, root_dir
    from rapidocr_onnxruntime.utils import read_yaml

    from pipeline.read.ocr_graph import simplified_model

    config = read_yaml(str(DEFAULT_CFG_PATH))
    return {f"{part.lower()}_model_path": str(simplified_model(root_dir / config[part]["model_path"])) for part in ("Det", "Rec")}


DEFAULT_OCR_SETTINGS = OcrSettings()


@lru_cache(maxsize=1)
def _engine(threads: int = -1, settings: OcrSettings = DEFAULT_OCR_SETTINGS):  # noqa: ANN202 - rapidocr_onnxruntime.RapidOCR
    """The RapidOCR engine of this process, loaded once (about 1 s)."""
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1 if threads > 0 else -1,
                    **settings.engine_options())


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent() -> None:
    """Linux: have the kernel send SIGKILL to this process when its parent dies, so OCR
    workers never outlive a killed ingest (elsewhere: nothing; the pool ends them on exit)."""
    import ctypes
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


def _init_worker(threads: int, settings: OcrSettings) -> None:
    die_with_parent()
    _engine.cache_clear()  # an engine inherited through fork has lost its threads
    _engine(threads, settings)


def result_to_lines(result: Sequence | None, scale: float) -> list[OcrLine]:
    """RapidOCR's ``[(quad, text, score), …]`` → ``OcrLine``s in PDF points.

    The quadrilateral becomes its axis-aligned bounding box; pixels are
    divided by ``scale`` (render scale: pixels per point)."""
    lines = []
    for quad, text, score in result or []:
        text = text.strip()
        if not text:
            continue
        xs = [float(point[0]) / scale for point in quad]
        ys = [float(point[1]) / scale for point in quad]
        lines.append(OcrLine(text=text, x0=min(xs), top=min(ys), x1=max(xs), bottom=max(ys), confidence=float(score)))
    return lines


def recognise_page(path: str, index: int, settings: OcrSettings = DEFAULT_OCR_SETTINGS,
                   threads: int = -1) -> tuple[float, float, list[OcrLine]]:
    """Render page ``index`` (0-based) of ``path`` and recognise it.  Returns
    the page size in points and the recognised lines."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path)
    try:
        page = doc[index]
        width, height = page.get_size()
        image = page.render(scale=settings.scale).to_numpy()
        page.close()
    finally:
        doc.close()
    return width, height, recognise_image(_engine(threads, settings), image, settings)


def recognise_image(engine: Callable, image: object, settings: OcrSettings = DEFAULT_OCR_SETTINGS) -> list[OcrLine]:
    """One page image → its lines, through ``engine`` (a RapidOCR).

    Without the angle classifier (``settings.use_cls`` False) lines printed upside down
    come out as a few low-confidence scraps; a page read with low confidence is therefore
    read again with the classifier, and the reading with the higher confidence is kept."""
    result, _elapsed = engine(image, use_cls=settings.use_cls)
    lines = result_to_lines(result, settings.scale)
    if settings.use_cls or not lines or not is_low_confidence(page_confidence(lines)):
        return lines
    again = result_to_lines(engine(image, use_cls=True)[0], settings.scale)
    return again if (page_confidence(again) or 0) > (page_confidence(lines) or 0) else lines


# --- lines → chars → layout -------------------------------------------------------


def _advance(ch: str) -> float:
    """Width of a char in em: full-width (CJK, full-width forms) 1, others ½."""
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else HALF_WIDTH_EM


def ocr_lines_to_chars(lines: Sequence[OcrLine], tolerance: float = DEFAULT_SIZE_TOLERANCE) -> list[Char]:
    """Spread each line's box over its chars by their advance (CJK 1 em, Latin ½).

    OCR boxes differ in height by a few points from line to line; a height
    within ``tolerance`` of the page's median is taken as the median, so that
    the paragraph rules (a change of font size starts a paragraph) see one
    body size.  Chars come out in line order, so each line is one run."""
    if not lines:
        return []
    body = median(line.bottom - line.top for line in lines)
    chars: list[Char] = []
    for line in lines:
        height = line.bottom - line.top
        size = body if abs(height - body) <= tolerance * body else height
        middle = (line.top + line.bottom) / 2
        units = [_advance(ch) for ch in line.text]
        em = (line.x1 - line.x0) / sum(units)
        x = line.x0
        for ch, unit in zip(line.text, units, strict=False):
            chars.append(Char(ch, x, x + unit * em, middle - size / 2, middle + size / 2))
            x += unit * em
    return chars


def page_confidence(lines: Sequence[OcrLine]) -> float | None:
    """Mean line confidence weighted by the number of chars."""
    total = sum(len(line.text) for line in lines)
    if not total:
        return None
    return sum(line.confidence * len(line.text) for line in lines) / total


def lines_to_ocr_page(number: int, width: float, height: float, lines: list[OcrLine]) -> OcrPage:
    layout = chars_to_layout(ocr_lines_to_chars(lines), number, width, height)
    return OcrPage(number=number, layout=layout, lines=lines, confidence=page_confidence(lines))


# --- many pages -----------------------------------------------------------------------


def check_render_sizes(path: Path, numbers: Sequence[int], scale: float, max_pixels: int | None) -> None:
    """Refuse (``ResourceLimitError``) before rendering when a page's image at ``scale``
    would exceed ``max_pixels``: memory for rendering and recognising grows with the pixels."""
    if max_pixels is None:
        return
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        for number in numbers:
            width, height = doc.get_page_size(number - 1)
            pixels = int(width * scale) * int(height * scale)
            if pixels > max_pixels:
                raise ResourceLimitError(
                    f"page {number} is {width:.0f} x {height:.0f} pt: its OCR image would be {pixels / 1e6:,.0f} Mpx, "
                    f"over the limit of {max_pixels / 1e6:g} Mpx (raise it with --max-page-pixels)",
                    setting="max_page_pixels", value=max_pixels,
                )
    finally:
        doc.close()


def _recognise_in_pool(source: str, numbers: list[int], settings: OcrSettings, workers: int, threads: int,
                       on_page: Callable[[str, int, int], None] | None = None) -> list:
    """Pages in a pool of ``workers`` processes, waiting only as long as the file's time
    budget allows; past it, the workers are killed and ``TimeLimitError`` raised.
    ``on_page("ocr", done, total)`` as each page comes back, in page order."""
    # fork: spawn/forkserver would re-import the caller's __main__, which breaks
    # scripts without a main guard; the workers open the PDF and load the models themselves
    context = get_context("fork" if "fork" in get_all_start_methods() else "spawn")
    if settings.simplify_graphs:
        simplified_model_paths()  # once, before the workers fork: they inherit the paths
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(threads, settings))
    results: list = []
    try:
        futures = [pool.submit(recognise_page, source, n - 1, settings, threads) for n in numbers]
        for number, future in zip(numbers, futures, strict=True):
            left = remaining()
            try:
                results.append(future.result(timeout=None if left is None else max(left, 0.001)))
            except TimeoutError as error:
                raise time_limit_error(f"OCR of page {number}") from error
            if on_page is not None:
                on_page("ocr", len(results), len(numbers))
    except BaseException:
        processes = list((getattr(pool, "_processes", None) or {}).values())
        manager = getattr(pool, "_executor_manager_thread", None)  # shutdown forgets it
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:  # a page being recognised is not waited for
            process.kill()
        for process in processes:
            process.join(timeout=5)
        # The pool's manager thread reaps the killed workers too; a waitpid it wins leaves the
        # join above without the exit code for a moment, so let it finish before returning.
        if manager is not None:
            manager.join(timeout=5)
        raise
    pool.shutdown(wait=True)
    return results


def ocr_pages_to_layouts(
    path: Path,
    numbers: Sequence[int],
    *,
    workers: int | None = None,
    settings: OcrSettings = DEFAULT_OCR_SETTINGS,
    on_page: Callable[[str, int, int], None] | None = None,
    max_page_pixels: int | None = DEFAULT_MAX_PAGE_PIXELS,
) -> dict[int, OcrPage]:
    """Recognise pages ``numbers`` (1-based) of ``path``; pages in parallel.

    ``workers`` processes (default ``min(DEFAULT_OCR_WORKERS, cores, pages)``);
    with one worker the pages are read in this process.  ``on_page("ocr", done, total)``,
    when given, is called as each page's recognition comes back (in page order).  A page
    whose image would exceed ``max_page_pixels`` is refused before anything is rendered,
    and the file's time budget (pipeline.read.limits) bounds the wait."""
    numbers = list(numbers)
    if not numbers:
        return {}
    check_render_sizes(path, numbers, settings.scale, max_page_pixels)
    cores = os.cpu_count() or 1
    workers = max(1, min(workers or DEFAULT_OCR_WORKERS, cores, len(numbers)))
    threads = max(1, cores // workers)
    source = str(path)
    try:
        if workers == 1:
            results = []
            for n in numbers:
                check_time(f"OCR of page {n}")
                results.append(recognise_page(source, n - 1, settings, threads))
                if on_page is not None:
                    on_page("ocr", len(results), len(numbers))
        else:
            results = _recognise_in_pool(source, numbers, settings, workers, threads, on_page)
    except ImportError as exc:  # the OCR extra is not installed
        raise PdfReadError(f"{path}: pages {numbers} have no usable text layer and OCR is unavailable ({exc})") from exc
    return {n: lines_to_ocr_page(n, width, height, lines) for n, (width, height, lines) in zip(numbers, results, strict=False)}
