"""OCR of pages without a usable text layer (pipeline.read.ocr).

Fast tests cover the pure pieces on hand-made input.  The slow test rasterises
the pages of the sample's appointment notices (忻政任〔2024〕20–23号) into
images without a text layer, ingests the whole issue and requires the same
documents and the same appointments as the text path.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipeline.ingest import source_to_issue
from pipeline.read.layout import text_layer_is_usable
from pipeline.read.ocr import (
    OcrSettings,
    is_low_confidence,
    lines_to_ocr_page,
    ocr_lines_to_chars,
    page_confidence,
    recognise_image,
    result_to_lines,
)
from pipeline.read.pdf import pdf_to_pages
from pipeline.read.sources import source_of
from pipeline.store import warehouse
from schemas import Issue
from schemas.models import OcrLine, PageInfo
from schemas.tables_ocr import ocr_line_rows, page_rows
from tests.fixtures.make_pdf import DEFAULT_TXT, rasterise_pages, render_sample_pdf

# --- the text layer's quality ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "usable"),
    [
        ("第一条 为了规范行政规范性文件管理，制定本办法。", True),
        ("", False),
        ("— 3 —", False),  # a page number alone: too few chars to read a page by
        ("\ue001\ue002\ue003\ue004\ue005\ue006\ue007\ue008\ue009\ue00a\ue00b", False),  # font without ToUnicode
        ("\ufffd" * 30 + "第一条", False),
        ("第一条 本办法自公布之日起施行。\ue000", True),  # one stray private-use glyph
    ],
)
def test_text_layer_is_usable(text: str, usable: bool) -> None:
    assert text_layer_is_usable(text) is usable


def test_unknown_ocr_mode_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="ocr must be one of"):
        pdf_to_pages(tmp_path / "any.pdf", ocr="sometimes")


# --- recogniser output → lines → chars → layout ---------------------------------------


def test_result_to_lines_scales_quads_to_points() -> None:
    result = [
        ([[200, 100], [600, 102], [600, 130], [200, 128]], " 决定任命： ", 0.98),
        ([[10, 10], [20, 10], [20, 20], [10, 20]], "  ", 0.5),  # blank: dropped
    ]
    [line] = result_to_lines(result, scale=2.0)
    assert (line.text, line.x0, line.top, line.x1, line.bottom) == ("决定任命：", 100, 50, 300, 65)
    assert line.confidence == pytest.approx(0.98)
    assert result_to_lines(None, 2.0) == []


class FakeEngine:
    """Stands in for RapidOCR: one result without the angle classifier, another with it."""

    def __init__(self, without_cls: list, with_cls: list) -> None:
        self.results = {False: without_cls, True: with_cls}
        self.calls: list[bool] = []

    def __call__(self, image: object, use_cls: bool) -> tuple[list, list[float]]:
        self.calls.append(use_cls)
        return self.results[use_cls], [0.0]


QUAD = [[0, 0], [100, 0], [100, 20], [0, 20]]


def test_a_confident_page_is_read_once_without_the_classifier() -> None:
    engine = FakeEngine([(QUAD, "决定任命：", 0.97)], [(QUAD, "unused", 0.99)])
    lines = recognise_image(engine, None, OcrSettings(scale=2.0, use_cls=False))
    assert [line.text for line in lines] == ["决定任命："] and engine.calls == [False]


def test_a_low_confidence_page_is_read_again_with_the_classifier() -> None:
    """An upside-down scan read without the classifier: a few scraps at 0.75."""
    engine = FakeEngine([(QUAD, "王王(", 0.75)], [(QUAD, "决定免去：", 0.98), (QUAD, "张三的职务", 0.96)])
    lines = recognise_image(engine, None, OcrSettings(use_cls=False))
    assert [line.text for line in lines] == ["决定免去：", "张三的职务"] and engine.calls == [False, True]


def test_the_second_reading_is_kept_only_when_more_confident() -> None:
    engine = FakeEngine([(QUAD, "模糊", 0.8)], [(QUAD, "模湖", 0.6)])
    assert [line.text for line in recognise_image(engine, None, OcrSettings(use_cls=False))] == ["模糊"]
    blank = FakeEngine(None, None)  # nothing detected: nothing to turn round
    assert recognise_image(blank, None, OcrSettings(use_cls=False)) == [] and blank.calls == [False]
    with_cls = FakeEngine([(QUAD, "x", 0.2)], [(QUAD, "y", 0.2)])
    recognise_image(with_cls, None, OcrSettings(use_cls=True))
    assert with_cls.calls == [True]


def test_settings_become_rapidocr_options() -> None:
    settings = OcrSettings(scale=1.5, use_cls=True, det_limit_type="max", det_limit_side_len=960, rec_batch_num=1,
                           simplify_graphs=False)
    assert settings.engine_options() == {"use_cls": True, "det_limit_type": "max", "det_limit_side_len": 960, "rec_batch_num": 1}


def test_the_default_engine_runs_the_rewritten_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.read import ocr

    monkeypatch.setenv("GAZETTE_CACHE_DIR", str(tmp_path))
    ocr.simplified_model_paths.cache_clear()
    try:
        options = OcrSettings().engine_options()
    finally:
        ocr.simplified_model_paths.cache_clear()
    paths = [Path(str(options[key])) for key in ("det_model_path", "rec_model_path")]
    assert [path.parent for path in paths] == [tmp_path / "ocr-models"] * 2
    assert all(path.stat().st_size > 1_000_000 for path in paths)


def test_chars_share_the_box_by_advance() -> None:
    line = OcrLine(text="第3条", x0=100, top=50, x1=125, bottom=60, confidence=0.9)
    chars = ocr_lines_to_chars([line])
    assert [c.text for c in chars] == ["第", "3", "条"]
    widths = [round(c.x1 - c.x0, 3) for c in chars]
    assert widths == [10, 5, 10]  # CJK 1 em, digit ½ em
    assert chars[-1].x1 == pytest.approx(125)


def test_near_body_heights_become_one_size() -> None:
    lines = [
        OcrLine(text="甲" * 10, x0=60, top=100 + 16 * i, x1=180, bottom=111 + 16 * i + (i % 2) * 2, confidence=0.99)
        for i in range(6)
    ]
    title = OcrLine(text="关于做好防汛工作的通知", x0=80, top=40, x1=260, bottom=58, confidence=0.99)
    chars = ocr_lines_to_chars([title, *lines])
    sizes = {round(c.size, 3) for c in chars if c.text == "甲"}
    assert len(sizes) == 1
    assert max(c.size for c in chars if c.text == "关") > 1.3 * sizes.pop()


def test_two_columns_of_ocr_lines_are_read_column_by_column() -> None:
    """Hand-made geometry: two columns of text lines of one body size; the
    left column is read to its end before the right one."""
    left = [f"左栏第{n}行文字内容左栏第{n}行文字" for n in range(1, 13)]
    right = [f"右栏第{n}行文字内容右栏第{n}行文字" for n in range(1, 13)]
    lines = []
    for i, (a, b) in enumerate(zip(left, right, strict=False)):
        top = 60 + 16 * i
        lines.append(OcrLine(text=a, x0=63, top=top, x1=283, bottom=top + 12, confidence=0.99))
        lines.append(OcrLine(text=b, x0=318, top=top, x1=538, bottom=top + 12, confidence=0.97))
    page = lines_to_ocr_page(5, 595, 842, lines)
    assert page.layout.columns == 2
    assert [line.text for line in page.layout.lines] == [*left, *right]
    assert page.confidence == pytest.approx(0.98)


def test_confidence_is_weighted_by_chars() -> None:
    lines = [
        OcrLine(text="一" * 30, x0=0, top=0, x1=1, bottom=1, confidence=1.0),
        OcrLine(text="二" * 10, x0=0, top=0, x1=1, bottom=1, confidence=0.6),
    ]
    assert page_confidence(lines) == pytest.approx(0.9)
    assert page_confidence([]) is None
    assert is_low_confidence(0.85) and not is_low_confidence(0.95) and is_low_confidence(None)


def test_page_rows_flag_low_confidence() -> None:
    line = OcrLine(text="决定免去：", x0=1, top=2, x1=3, bottom=4, confidence=0.7)
    issue = Issue(
        issue_id="demo-2025-01", kind="gazette", source_path="demo.pdf", source_sha256="0" * 64, source_kind="pdf",
        pages=[
            PageInfo(page=1, printed_number=1, columns=1),
            PageInfo(page=2, printed_number=2, columns=2, ocr=True, ocr_confidence=0.7, low_confidence=True, ocr_lines=[line]),
        ],
    )
    rows = page_rows(issue)
    assert [(r["page"], r["ocr"], r["low_confidence"], r["ocr_lines"]) for r in rows] == [(1, False, False, 0), (2, True, True, 1)]
    assert [(r["page"], r["line_no"], r["text"]) for r in ocr_line_rows(issue)] == [(2, 1, "决定免去：")]


# --- the sample's appointment notices as a scan (slow: ~10 s a page) ---------------------------

# What counts as an appointment line: the lead-ins (决定任命：/决定免去：) and the
# items under them (某某为…职务 / 某某的…职务 / …试用期满正式任职).
APPOINTMENT_LINE = re.compile(r"决定任命|决定免去|^\S{2,4}为|^\S{2,4}的.*职务|正式任职")
APPOINTMENT_NUMBERS = [f"忻政任〔2024〕{n}号" for n in (20, 21, 22, 23)]


def _pages_holding(pdf: Path, needles: list[str]) -> set[int]:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        found = set()
        for index in range(len(doc)):
            text = doc[index].get_textpage().get_text_range()
            if any(needle in text for needle in needles) or "决定任命" in text or "决定免去" in text:
                found.add(index + 1)
        return found
    finally:
        doc.close()


def _appointment_text(document) -> str:
    lines = [line for line in document.text.splitlines() if APPOINTMENT_LINE.search(line)]
    return re.sub(r"\s", "", "".join(lines))


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Issue, set[int]]:
    tmp = tmp_path_factory.mktemp("ocr")
    pdf = render_sample_pdf(DEFAULT_TXT, tmp / "sample.pdf")
    # the notices' pages, found in the rendered text layer, not hard-coded;
    # the table of contents on page 2 names them too but is no notice page
    pages = {page for page in _pages_holding(pdf, APPOINTMENT_NUMBERS) if page > 2}
    assert 1 <= len(pages) <= 3  # keep the test to a few pages
    scan = rasterise_pages(pdf, tmp / "scan.pdf", pages)
    return source_to_issue(source_of(scan)), pages


@pytest.mark.slow
def test_scanned_pages_are_recognised(scanned: tuple[Issue, set[int]]) -> None:
    issue, pages = scanned
    assert issue.ocr_pages == sorted(pages)
    by_page = {info.page: info for info in issue.pages}
    for page in pages:
        info = by_page[page]
        assert info.ocr and info.ocr_lines and info.columns == 2
        assert info.ocr_confidence is not None and 0 < info.ocr_confidence <= 1
        assert info.printed_number == page  # the footer "— N —" is read off the image
    assert not any(info.ocr for number, info in by_page.items() if number not in pages)


@pytest.mark.slow
def test_scanned_issue_has_the_same_documents(scanned: tuple[Issue, set[int]], sample_issue: Issue) -> None:
    issue, _ = scanned
    assert [d.doc_number for d in issue.documents] == [d.doc_number for d in sample_issue.documents]
    assert [d.title for d in issue.documents] == [d.title for d in sample_issue.documents]


@pytest.mark.slow
def test_scanned_notices_keep_their_appointments(scanned: tuple[Issue, set[int]], sample_issue: Issue) -> None:
    import extractors

    issue, _ = scanned
    text_docs = {d.doc_number: d for d in sample_issue.documents}
    ocr_docs = {d.doc_number: d for d in issue.documents}
    extract = extractors.REGISTRY.get("appointments")
    for number in APPOINTMENT_NUMBERS:
        want, got = text_docs[number], ocr_docs[number]
        expected_text, ocr_text = _appointment_text(want), _appointment_text(got)
        assert len(expected_text) > 20, number  # the notice has appointment lines at all
        similarity = difflib.SequenceMatcher(None, expected_text, ocr_text, autojunk=False).ratio()
        print(f"{number}: appointment lines similarity {similarity:.3f}")
        assert similarity >= 0.95, (number, expected_text, ocr_text)
        if extract is not None:  # the appointments extractor is merged: same people, same actions
            expected = [(r.person, r.action) for r in extract(want)]
            assert expected, number
            assert [(r.person, r.action) for r in extract(got)] == expected


@pytest.mark.slow
def test_scanned_pages_load_into_the_warehouse(scanned: tuple[Issue, set[int]], tmp_path: Path) -> None:
    issue, pages = scanned
    con = warehouse.connect(tmp_path / "w.duckdb")
    try:
        warehouse.load_issue(con, issue)
        rows = con.execute("SELECT page FROM pages WHERE ocr ORDER BY page").fetchall()
        assert [r[0] for r in rows] == sorted(pages)
        lines = con.execute("SELECT count(*), min(confidence) FROM ocr_lines").fetchone()
        assert lines[0] > 40 and 0 < lines[1] <= 1
        total = con.execute("SELECT count(*) FROM pages").fetchone()[0]
        assert total == len(issue.pages)
    finally:
        con.close()
