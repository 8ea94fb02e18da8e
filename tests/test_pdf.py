"""Tests for pipeline.read.pdf on PDFs rendered from the sample gazette text."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import pdfplumber
import pytest

from pipeline.read.layout import PdfReadError, join_wrapped, printed_page_number
from pipeline.read.pdf import page_char_counts, page_has_text_layer, pdf_to_pages
from schemas.models import Block, Page
from tests.fixtures.make_pdf import DEFAULT_HEADER, DEFAULT_TXT, render_one_column_pdf, render_sample_pdf

# Measured parity of block texts with the txt lines (see test_block_parity).
MIN_PARITY = 0.93


@pytest.fixture(scope="session")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_sample_pdf(DEFAULT_TXT, tmp_path_factory.mktemp("pdf") / "sample.pdf")


@pytest.fixture(scope="session")
def sample_pages(sample_pdf: Path) -> list[Page]:
    return pdf_to_pages(sample_pdf)


def _norm(text: str) -> str:
    """Compare without whitespace; a table row keeps its cells (trailing empty cells dropped)."""
    if "\t" in text:
        cells = [re.sub(r"\s+", "", cell) for cell in text.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        return "\t".join(cells)
    return re.sub(r"\s+", "", text)


def _join_page_breaks(pages: list[Page]) -> list[Block]:
    """What normalize will do: a page's first paragraph that is neither indented
    nor centred continues the previous page's last paragraph."""
    blocks: list[Block] = []
    for page in pages:
        for index, block in enumerate(page.blocks):
            continues = (
                index == 0
                and blocks
                and "\t" not in block.text
                and "\t" not in blocks[-1].text
                and not block.indented
                and not block.centered
            )
            if continues:
                blocks[-1] = blocks[-1].model_copy(update={"text": join_wrapped(blocks[-1].text, block.text)})
            else:
                blocks.append(block)
    return blocks


def _parity(pages: list[Page]) -> tuple[float, int, int]:
    expected = [_norm(line) for line in DEFAULT_TXT.read_text(encoding="utf-8").splitlines() if line.strip()]
    got = [_norm(block.text) for block in _join_page_breaks(pages)]
    matcher = difflib.SequenceMatcher(None, expected, got, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matched / len(expected), matched, len(expected)


def test_block_parity(sample_pages: list[Page]) -> None:
    ratio, matched, total = _parity(sample_pages)
    print(f"parity: {matched}/{total} txt lines = {ratio:.3f}")
    assert ratio >= MIN_PARITY


def test_two_columns_after_cover(sample_pages: list[Page]) -> None:
    assert sample_pages[0].columns == 1
    body = sample_pages[1:]
    two = sum(page.columns == 2 for page in body)
    # the last page may hold too little text in its right column to tell
    assert two >= len(body) - 1
    assert all(page.columns == 2 for page in body[:-1])


def test_headers_and_page_numbers_stripped(sample_pages: list[Page]) -> None:
    header = re.sub(r"\s+", "", DEFAULT_HEADER)
    for page in sample_pages:
        assert page.printed_number == page.number
        for block in page.blocks:
            assert header not in re.sub(r"\s+", "", block.text)
            assert printed_page_number(block.text) is None or "\t" in block.text


def test_blocks_carry_page_and_geometry(sample_pages: list[Page]) -> None:
    blocks = [block for page in sample_pages for block in page.blocks]
    assert all(block.page is not None for block in blocks)
    assert sum(bool(block.indented) for block in blocks) > len(blocks) / 2
    assert any(block.centered for block in blocks)


def test_naive_extract_text_interleaves(sample_pdf: Path, sample_pages: list[Page]) -> None:
    """The problem is real: pdfplumber's extract_text mixes the two columns."""
    with pdfplumber.open(sample_pdf) as pdf:
        naive = re.sub(r"\s+", "", pdf.pages[2].extract_text())
    long_blocks = [b.text for b in sample_pages[2].blocks if len(b.text) > 60 and "\t" not in b.text]
    assert long_blocks
    assert not any(re.sub(r"\s+", "", text) in naive for text in long_blocks)


def test_one_column_pdf(tmp_path: Path) -> None:
    paragraphs = [
        "关于印发某市政府规章的通知",
        "第一条 为了规范行政规范性文件管理，根据有关法律法规，结合本市实际，制定本办法。" * 3,
        "第二条 本办法适用于本市各级行政机关制定的行政规范性文件，包括 Key Laboratory of Testing 等英文名称。",
        "第三条 本办法自印发之日起施行。",
    ]
    pdf = render_one_column_pdf(tmp_path / "one.pdf", paragraphs)
    pages = pdf_to_pages(pdf)
    assert [page.columns for page in pages] == [1]
    assert [_norm(b.text) for b in pages[0].blocks] == [_norm(p) for p in paragraphs]
    assert "Key Laboratory of Testing" in pages[0].blocks[2].text
    assert pages[0].blocks[0].centered and not pages[0].blocks[1].centered
    assert pages[0].printed_number == 1


def test_max_pages(sample_pdf: Path) -> None:
    assert [page.number for page in pdf_to_pages(sample_pdf, max_pages=3)] == [1, 2, 3]


def test_char_counts(sample_pdf: Path) -> None:
    counts = page_char_counts(sample_pdf)
    assert len(counts) == len(pdfplumber.open(sample_pdf).pages)
    assert all(page_has_text_layer(count) for count in counts)
    assert not page_has_text_layer(0)


@pytest.mark.parametrize("content", [b"", os.urandom(4096), b"%PDF-1.7\n garbage"])
def test_bad_input_raises(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(PdfReadError):
        pdf_to_pages(path)


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(PdfReadError):
        pdf_to_pages(tmp_path / "nope.pdf")


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [("市科技局负", "责组织", "市科技局负责组织"), ("GONG", "BAO", "GONG BAO"), ("2024年", "8月", "2024年8月"), ("第27", "号", "第27号")],
)
def test_join_wrapped(left: str, right: str, joined: str) -> None:
    assert join_wrapped(left, right) == joined


@pytest.mark.parametrize(
    ("text", "number"),
    [("— 3 —", 3), ("-3-", 3), ("3", 3), ("第3页", 3), ("· 12 ·", 12), ("第三章", None), ("2024年", None)],
)
def test_printed_page_number(text: str, number: int | None) -> None:
    assert printed_page_number(text) == number


# --- the fast paths give what the slow ones gave -----------------------------------


def test_pages_read_in_worker_processes_equal_pages_read_here(sample_pdf: Path) -> None:
    """The sample PDF (31 pages) is past PARALLEL_MIN_PAGES, so workers=2 reads it in
    a process pool; the layouts must be the ones a single process reads, in page order."""
    from pipeline.read.pdf import PARALLEL_MIN_PAGES, iter_layouts

    here = list(iter_layouts(sample_pdf, workers=1))
    assert len(here) >= PARALLEL_MIN_PAGES
    pooled = list(iter_layouts(sample_pdf, workers=2))
    assert [layout.number for layout in pooled] == list(range(1, len(here) + 1))
    assert pooled == here


def test_side_work_runs_in_a_thread_here_while_workers_read(sample_pdf: Path) -> None:
    """``meanwhile`` runs once, in another thread of this process, while the pool reads;
    it is over when the pages are, its error is dropped, and the layouts are unchanged."""
    import threading

    from pipeline.read.pdf import iter_layouts

    seen: list[tuple[int, str]] = []

    def side_work() -> None:
        seen.append((os.getpid(), threading.current_thread().name))
        raise RuntimeError("a model that fails to load fails again where it is used")

    pooled = list(iter_layouts(sample_pdf, workers=2, meanwhile=side_work))
    assert seen == [(os.getpid(), "read-meanwhile")]
    assert pooled == list(iter_layouts(sample_pdf, workers=2))
    seen.clear()
    list(iter_layouts(sample_pdf, workers=1, meanwhile=side_work))  # read here: nothing to overlap
    assert seen == []


def test_table_grids_from_pdfium_paths_equal_pdfplumbers(sample_pdf: Path) -> None:
    """Every page of the sample that draws a ruled table gets the same grid (rows,
    cells, boxes within float32 rounding) from pdfium's path objects as from
    pdfplumber's own page parse."""
    import pypdfium2 as pdfium

    from pipeline.read.pdf import find_table_grids, page_has_rules, page_to_edges

    doc = pdfium.PdfDocument(str(sample_pdf))
    compared = 0
    with pdfplumber.open(sample_pdf) as plumber:
        for index in range(len(doc)):
            page = doc[index]
            if not page_has_rules(page, page.get_size()[1]):
                continue
            ours, theirs = find_table_grids(page_to_edges(page)), find_table_grids(plumber.pages[index])
            assert [len(grid.rows) for grid in ours] == [len(grid.rows) for grid in theirs]
            assert [[len(row) for row in grid.rows] for grid in ours] == [[len(row) for row in grid.rows] for grid in theirs]
            for grid, expected in zip(ours, theirs, strict=True):
                assert grid.bbox == pytest.approx(expected.bbox, abs=0.01)
            compared += 1
    doc.close()
    assert compared >= 3  # the sample prints its 附件 tables on several pages


def test_pdf_read_inside_a_daemonic_pool_worker_stays_in_that_process(sample_pdf: Path, sample_pages: list[Page]) -> None:
    """multiprocessing.Pool workers are daemonic and may not start processes:
    there the reader must not try its own pool (it would raise), and reads the same pages."""
    from multiprocessing import get_all_start_methods, get_context

    from pipeline.read.pdf import default_read_workers

    context = get_context("fork" if "fork" in get_all_start_methods() else "spawn")
    with context.Pool(1) as pool:
        assert pool.apply(default_read_workers) == 1
        pages = pool.apply(pdf_to_pages, (sample_pdf,))
    assert [page.model_dump() for page in pages] == [page.model_dump() for page in sample_pages]
