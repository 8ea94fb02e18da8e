"""pdfium with a reading font instead of system fonts while it reads text: ``text_only_fonts``.

When a PDF names a font without embedding it (STSong-Light, the CJK font of iText's
iTextAsian and of reportlab; 宋体 or 仿宋_GB2312 left out by an office suite), pdfium
substitutes a system font, and while it lays out a page (``FPDF_LoadPage``) and its text
(``FPDFText_LoadPage``) it loads each character's glyph outline from that font to compute
the character's tight box.  With Noto CJK installed (CFF outlines in a 20 MB collection)
that is nearly all of a bare text pass: 3.0 s against 0.3 s with the reading font, over the
200 pages of ``benchmarks/bench_ingest.py``'s PDF, whose CJK font is STSong-Light.  Without
any CJK font on the machine it is worse: pdfium falls back to its built-in Latin font, whose
empty CJK glyphs make it take characters for duplicates and drop them (367 of 330,162 on
those pages, digits and ideographs among them).

Reading needs no outlines: a character's Unicode comes from the PDF's encoding and ToUnicode
map, and its place and advance from the PDF's positions and widths.  The glyph only feeds
the box: pdfium's loose box (``pipeline.read.pdf.page_to_chars``) is the union of the box the
font's metrics give and the glyph's own box.  So while a thread holds ``text_only_fonts()``,
every font the PDF does not embed is substituted by ``reading_font.ttf``, whose glyphs are
two rectangles kept inside the boxes a real face's glyphs would have
(``scripts/make_reading_font.py`` says where and why): FreeType loads them in microseconds,
and the reading no longer depends on which fonts the machine has.

What differs from a system font: a box no longer grows by a substitute's ink where that
overhangs the PDF's advance or descent (Noto's "a" is 0.13 em wider than STSong-Light's
advance), and a CJK character's top is the reading font's rather than its ink's.
``tests/test_pdfium_fonts.py`` holds the characters, their order and the sample issue's
paragraphs equal.  On the 2,928 pages of the test and benchmark PDFs (34 files), the
paragraphs of two pages changed, both for the better: a sentence no longer cut in two
mid-word, and the items (二) and (三) of an article now apart.  One rule of the reader came
from it: a 第X章 heading after a finished sentence starts a block even when it is not
centred (``pipeline.read.layout``), since a heading one size up (12 → 13.5 pt) differs by
less than the size-change threshold once boxes no longer carry a substitute's ink.

Rendering (OCR) keeps the system fonts: the switch is per thread, and on only inside the
context.  A document keeps the fonts it loaded, so a document read under the switch must not
be rendered.  pdfium's hook is one process-wide ``FPDF_SYSFONTINFO``; the one installed here
delegates every call to pdfium's default (``FPDF_GetDefaultSystemFontInfo``) except a font
lookup under the switch, which gets the reading font.
"""

from __future__ import annotations

import contextlib
import ctypes
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import pypdfium2.raw as pdfium_c

# The substitute: rectangles for glyphs (scripts/make_reading_font.py writes it, and says why
# each rectangle is where it is).
READING_FONT = (Path(__file__).parent / "reading_font.ttf").read_bytes()
READING_FACE = b"GazetteReading"
_reading_font = ctypes.create_string_buffer(READING_FONT, len(READING_FONT))
# pdfium's handle for it: the address of its bytes, which no handle of pdfium's default can be.
READING_HANDLE = ctypes.addressof(_reading_font)

_SYSFONTINFO = pdfium_c.FPDF_SYSFONTINFO
_CALLBACK_TYPES = dict(_SYSFONTINFO._fields_)
_switch = threading.local()  # .depth: how many text_only_fonts() this thread is inside
_install_lock = threading.Lock()


def _reading_text() -> bool:
    return getattr(_switch, "depth", 0) > 0


def _copy_out(data: bytes, buffer, size: int) -> int:  # noqa: ANN001 - a C buffer
    """pdfium's convention: copy ``data`` when the buffer can hold it; return its length either way."""
    if buffer and size >= len(data):
        ctypes.memmove(buffer, data, len(data))
    return len(data)


class _ReadingFontInfo:
    """The ``FPDF_SYSFONTINFO`` installed for the process: each callback forwards to pdfium's
    default font info, except a font lookup (``MapFont``, ``GetFont``) inside
    ``text_only_fonts``, which gets the reading font (``READING_HANDLE``), and the calls pdfium
    then makes about that handle.  Lives as long as the process: pdfium keeps its addresses."""

    def __init__(self) -> None:
        self.default = pdfium_c.FPDF_GetDefaultSystemFontInfo()
        if not self.default:
            raise RuntimeError("pdfium has no default system font info")
        self.inner = self.default.contents
        self.struct = _SYSFONTINFO()
        self.struct.version = 1
        # Every field but the first (``version``) is a callback, implemented below under its name.
        self.callbacks = {name: _CALLBACK_TYPES[name](getattr(self, name)) for name in list(_CALLBACK_TYPES)[1:]}
        for name, callback in self.callbacks.items():
            setattr(self.struct, name, callback)

    def Release(self, _this) -> None:  # noqa: ANN001, N802 - pdfium's callback names and signatures
        return None  # never released: installed for the process's life

    def EnumFonts(self, _this, mapper) -> None:  # noqa: ANN001, N802
        if self.inner.EnumFonts:
            self.inner.EnumFonts(self.default, mapper)

    def MapFont(self, _this, weight, italic, charset, pitch_family, face, exact):  # noqa: ANN001, ANN201, N802, PLR0913
        if _reading_text():
            return READING_HANDLE
        return self.inner.MapFont(self.default, weight, italic, charset, pitch_family, face, exact)

    def GetFont(self, _this, face):  # noqa: ANN001, ANN201, N802
        if _reading_text():
            return READING_HANDLE
        return self.inner.GetFont(self.default, face) if self.inner.GetFont else None

    def GetFontData(self, _this, font, table, buffer, size) -> int:  # noqa: ANN001, N802
        if font == READING_HANDLE:
            return _copy_out(READING_FONT, buffer, size) if table == 0 else 0  # 0: the whole file
        return self.inner.GetFontData(self.default, font, table, buffer, size)

    def GetFaceName(self, _this, font, buffer, size) -> int:  # noqa: ANN001, N802
        if font == READING_HANDLE:
            return _copy_out(READING_FACE + b"\0", buffer, size)
        return self.inner.GetFaceName(self.default, font, buffer, size) if self.inner.GetFaceName else 0

    def GetFontCharset(self, _this, font) -> int:  # noqa: ANN001, N802
        if font == READING_HANDLE:
            return 1  # DEFAULT_CHARSET
        return self.inner.GetFontCharset(self.default, font) if self.inner.GetFontCharset else 0

    def DeleteFont(self, _this, font) -> None:  # noqa: ANN001, N802
        if font != READING_HANDLE:
            self.inner.DeleteFont(self.default, font)


_installed: _ReadingFontInfo | None = None


_unavailable: str | None = None  # why this pdfium build could not take the font info, if it could not


def _install() -> None:
    """Install the font info once per process (a forked child inherits it).  A pdfium build
    without the font-info calls keeps its system fonts: slower, the same text; said once."""
    global _installed, _unavailable
    with _install_lock:
        if _installed is None and _unavailable is None:
            try:
                installed = _ReadingFontInfo()
                pdfium_c.FPDF_SetSystemFontInfo(ctypes.byref(installed.struct))
            except (AttributeError, RuntimeError) as error:
                _unavailable = str(error)
                warnings.warn(f"pdfium cannot take the reading font ({error}); reading with system fonts", stacklevel=3)
                return
            _installed = installed


@contextlib.contextmanager
def text_only_fonts() -> Iterator[None]:
    """Inside: fonts that pdfium loads in this thread for PDFs that do not embed them get no
    system glyphs (the module's docstring says why and what it changes).  Open and read the
    document inside; nest freely."""
    enter_text_only_fonts()
    try:
        yield
    finally:
        _switch.depth -= 1


def enter_text_only_fonts() -> None:
    """``text_only_fonts`` for the rest of this thread's life: a reader worker process, which
    never renders."""
    _install()
    _switch.depth = getattr(_switch, "depth", 0) + 1
