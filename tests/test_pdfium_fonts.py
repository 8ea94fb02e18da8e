"""pipeline.read.pdfium_fonts: pdfium reads text with the reading font, and renders with the system's.

The PDFs here use reportlab's STSong-Light, which they name but do not embed: the case the
reading font is for."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipeline.read import pdf as pdf_reader
from pipeline.read import pdfium_fonts
from pipeline.read.layout import PageLayout
from pipeline.read.pdf import page_to_chars, page_to_layout
from pipeline.read.pdfium_fonts import text_only_fonts
from scripts import make_reading_font
from tests.fixtures.make_pdf import DEFAULT_TXT, render_one_column_pdf, render_sample_pdf

# The comparisons need a system CJK font to compare with (scripts/test.sh installs fonts-noto-cjk).
HAS_SYSTEM_CJK_FONT = any(
    any(Path(folder).glob(pattern)) for folder in ("/usr/share/fonts", "/usr/local/share/fonts")
    for pattern in ("**/*CJK*", "**/wqy*", "**/*[Ss]ong*", "**/*[Hh]ei*")
)
needs_system_cjk_font = pytest.mark.skipif(not HAS_SYSTEM_CJK_FONT, reason="no system CJK font to compare the reading font with")

MIXED_PARAGRAPHS = [
    "第一条 为了规范政府投资行为，根据《中华人民共和国预算法》，制定本办法。",
    "第二条 项目总投资3000万元以上（含3000万元）的，报市人民政府审批；GDP增长7.5%，PM2.5浓度下降。",
    "Latin text: illicit fill-in, 1,234.56 yuan; ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３。",
    "忻州市人民政府办公室 2024年8月28日",
]


@pytest.fixture(scope="module")
def mixed_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_one_column_pdf(tmp_path_factory.mktemp("fonts") / "mixed.pdf", MIXED_PARAGRAPHS * 8)


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_sample_pdf(DEFAULT_TXT, tmp_path_factory.mktemp("fonts") / "sample.pdf")


def _read(path: Path, *, reading_font: bool) -> list[tuple[list, PageLayout]]:
    """(chars, layout) of every page, read in this thread with or without the switch."""
    with text_only_fonts() if reading_font else contextlib.nullcontext():
        doc = pdfium.PdfDocument(str(path))
        plumber = pdf_reader._LazyPlumber(path)  # for the ruled tables' pages
        try:
            pages = []
            for index in range(len(doc)):
                page = doc[index]
                textpage = page.get_textpage()
                chars = page_to_chars(textpage, page.get_size()[1])
                textpage.close()
                pages.append((chars, page_to_layout(page, index + 1, plumber.page)))
                page.close()
            return pages
        finally:
            plumber.close()
            doc.close()


def _dark_pixels(path: Path, index: int = 0) -> int:
    doc = pdfium.PdfDocument(str(path))
    try:
        page = doc[index]
        image = page.render(scale=1).to_numpy()
        page.close()
        return int((image < 128).sum())
    finally:
        doc.close()


@needs_system_cjk_font
def test_reading_font_reads_the_same_characters_in_the_same_boxes(mixed_pdf: Path) -> None:
    """The same characters in the same order, each box inside the system font's horizontally
    and at its foot:
    the reading font's box is the PDF's own (where it puts the character, the advance it gives),
    while a substitute's ink may overhang it (Noto's "a" by 0.13 em past STSong-Light's advance)."""
    system, reading = _read(mixed_pdf, reading_font=False), _read(mixed_pdf, reading_font=True)
    assert sum(len(chars) for chars, _ in system) > 500
    for (system_chars, _), (reading_chars, _) in zip(system, reading, strict=True):
        assert [c.text for c in reading_chars] == [c.text for c in system_chars]
        for ours, theirs in zip(reading_chars, system_chars, strict=True):
            assert theirs.x0 - 0.01 <= ours.x0 < ours.x1 <= theirs.x1 + 0.01, ours.text
            assert ours.bottom <= theirs.bottom + 0.01  # the font's descent; a glyph's ink may go lower


def _pages(path: Path, monkeypatch: pytest.MonkeyPatch, *, reading_font: bool) -> list[dict]:
    """``pdf_to_pages`` read in this process, with the reading font or with system fonts."""
    with monkeypatch.context() as patch:
        patch.setattr(pdf_reader, "default_read_workers", lambda: 1)
        if not reading_font:
            patch.setattr(pdf_reader, "text_only_fonts", contextlib.nullcontext)
        return [page.model_dump() for page in pdf_reader.pdf_to_pages(path, ocr="never")]


@needs_system_cjk_font
def test_reading_font_gives_the_same_pages_on_the_sample(sample_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole sample issue (two columns, ruled tables, headings, running heads): the same
    paragraphs, page by page, as with the system's CJK font."""
    system = _pages(sample_pdf, monkeypatch, reading_font=False)
    reading = _pages(sample_pdf, monkeypatch, reading_font=True)
    assert len(system) > 20
    for system_page, reading_page in zip(system, reading, strict=True):
        assert [b["text"] for b in reading_page["blocks"]] == [b["text"] for b in system_page["blocks"]]
        assert reading_page["columns"] == system_page["columns"]
        assert reading_page["printed_number"] == system_page["printed_number"]


@needs_system_cjk_font
def test_rendering_keeps_the_system_fonts(mixed_pdf: Path) -> None:
    """Outside the switch a page renders as before reading; inside it, glyphs are the reading
    font's rectangles (so the switch is what changes pdfium's fonts, and only while held)."""
    before = _dark_pixels(mixed_pdf)
    with text_only_fonts():
        inside = _dark_pixels(mixed_pdf)
    after = _dark_pixels(mixed_pdf)
    assert before > 0
    assert after == before
    assert inside != before


def test_the_switch_is_per_thread_and_nests() -> None:
    held, release = threading.Event(), threading.Event()
    seen_in_other_thread: list[bool] = []

    def hold() -> None:
        with text_only_fonts(), text_only_fonts():
            held.set()
            release.wait(10)
        seen_in_other_thread.append(pdfium_fonts._reading_text())

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(10)
    assert not pdfium_fonts._reading_text()  # this thread renders with system fonts meanwhile
    release.set()
    thread.join(10)
    assert seen_in_other_thread == [False]  # left both levels


def test_reader_processes_and_in_process_reads_use_the_reading_font(mixed_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every text read goes through the switch: a worker's start turns it on for the worker's
    life, and the in-process reader holds it while its document is open."""
    monkeypatch.setattr(pdfium_fonts, "_switch", threading.local())
    seen: list[bool] = []
    real_read_page = pdf_reader._read_page

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        seen.append(pdfium_fonts._reading_text())
        return real_read_page(*args, **kwargs)

    monkeypatch.setattr(pdf_reader, "_read_page", spy)
    layouts = list(pdf_reader.iter_layouts(mixed_pdf, workers=1))
    assert layouts and seen == [True] * len(layouts)
    assert not pdfium_fonts._reading_text()
    pdf_reader._init_reader(str(mixed_pdf))  # as in a worker process
    try:
        assert pdfium_fonts._reading_text()
    finally:
        pdfium_fonts._switch.depth = 0
        pdf_reader._WORKER_PDF[0].close()


def test_committed_font_is_what_the_script_makes() -> None:
    """pipeline/read/reading_font.ttf holds the script's ranges and rectangles."""
    font_tools = pytest.importorskip("fontTools.ttLib")
    font = font_tools.TTFont(str(make_reading_font.OUTPUT))
    [subtable] = font["cmap"].tables
    assert subtable.format == 13
    ranges = make_reading_font.glyph_ranges()
    assert len(subtable.cmap) == sum(last - first + 1 for first, last, _ in ranges)
    for first, last, glyph in ranges:
        assert {subtable.cmap[first], subtable.cmap[last], subtable.cmap[(first + last) // 2]} == {glyph}
    assert subtable.cmap[ord("忻")] == "wide" and subtable.cmap[ord("，")] == "wide" and subtable.cmap[ord("7")] == "narrow"
    glyphs = font["glyf"]
    for name, box in (("wide", make_reading_font.WIDE_BOX), ("narrow", make_reading_font.NARROW_BOX)):
        glyph = glyphs[name]
        assert (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax) == box
    assert font["hhea"].ascent == make_reading_font.ASCENT and font["hhea"].descent == make_reading_font.DESCENT
    assert pdfium_fonts.READING_FONT == make_reading_font.OUTPUT.read_bytes()


def test_a_pdfium_without_the_font_info_calls_reads_with_system_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    """An older pdfium build: one warning, then the reader goes on (the switch still counts)."""
    monkeypatch.setattr(pdfium_fonts, "_installed", None)
    monkeypatch.setattr(pdfium_fonts, "_unavailable", None)
    monkeypatch.delattr(pdfium_fonts.pdfium_c, "FPDF_GetDefaultSystemFontInfo")
    with pytest.warns(UserWarning, match="reading with system fonts"), text_only_fonts():
        pass
    assert pdfium_fonts._unavailable
    with text_only_fonts():  # said once
        assert pdfium_fonts._reading_text()
