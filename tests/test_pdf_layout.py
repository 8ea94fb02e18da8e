"""Layout rules of pipeline.read.pdf on hand-made inputs (not the sample).

Synthetic chars/segments for the geometry rules, and small hand-written
texts rendered with the fixture renderer for the table-in-a-column case.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.read.layout import (
    Char,
    PrintedLine,
    Segment,
    TableGrid,
    chars_to_rows,
    chars_to_runs,
    grids_to_segments,
    page_gutter,
    region_warnings,
    segments_to_gutter,
    segments_to_lines,
    segments_to_regions,
    starts_paragraph,
    tables_to_lines,
)
from pipeline.read.pdf import pdf_to_pages
from tests.fixtures.make_pdf import render_sample_pdf


def _line(text: str, x0: float, top: float, size: float = 12.0, low: str = "") -> list[Char]:
    """Chars of one printed line; glyphs in ``low`` get a box that starts 1.2 pt
    lower, as pdfium's loose boxes of 一/二/、 do."""
    chars = []
    for i, ch in enumerate(text):
        drop = 1.2 if ch in low else 0.0
        chars.append(Char(ch, x0 + i * size, x0 + (i + 1) * size, top + drop, top + size + 0.1))
    return chars


def test_runs_follow_content_order() -> None:
    left = _line("第一条本办法", 60, 100, size=11)
    right = _line("第二章总则", 320, 105, size=13)
    runs = chars_to_runs([*left, *right])
    assert ["".join(c.text for c in run) for run in runs] == ["第一条本办法", "第二章总则"]


def test_a_low_glyph_stays_on_its_line() -> None:
    """A line of the other column whose centre lies between the title's chars
    and its flat glyph (一) must not cut the title in two."""
    other_column = _line("补充完善有关内容的", 60, 101.6, size=11.6)  # centre 107.45
    title = _line("三重一大议事规则", 320, 102.5, size=13.2, low="一")  # centres 109.15, 一 at 109.75
    rows = chars_to_rows([*other_column, *title])
    texts = ["".join(c.text for c in row if c.x0 >= 300) for row in rows]
    assert "三重一大议事规则" in texts


def test_rows_still_separate_lines_of_one_column() -> None:
    lines = [*_line("第一行文字", 60, 100), *_line("第二行文字", 60, 116)]
    rows = chars_to_rows(lines)
    assert ["".join(c.text for c in row) for row in rows] == ["第一行文字", "第二行文字"]


def _segments(x0: float, x1: float, tops: range, size: float = 11.0) -> list[Segment]:
    return [Segment((), x0, x1, top, top + size, size, i) for i, top in enumerate(tops)]


def _grid(x0: float, x1: float, tops: list[float]) -> TableGrid:
    mid = (x0 + x1) / 2
    rows = tuple(((x0, top, mid, top + 20), (mid, top, x1, top + 20)) for top in tops)
    return TableGrid(bbox=(x0, tops[0], x1, tops[-1] + 20), rows=rows)


def test_table_filling_one_column_belongs_to_it() -> None:
    """Left column all table, right column text: the gutter lies between the
    columns, not between two of the table's cell columns."""
    grid = _grid(60, 280, [60 + 20 * i for i in range(30)])
    right = _segments(320, 535, range(60, 760, 16))
    gutter = segments_to_gutter([*right, *grids_to_segments([grid], [])], 595)
    assert gutter is not None and 280 <= gutter <= 320
    rows = tables_to_lines([grid], [], gutter)
    assert {line.column for line in rows} == {0}


def test_full_width_table_spans_both_columns() -> None:
    grid = _grid(60, 535, [400 + 20 * i for i in range(4)])
    left = _segments(60, 280, range(60, 380, 16))
    right = _segments(320, 535, range(60, 380, 16))
    gutter = segments_to_gutter([*left, *right, *grids_to_segments([grid], [])], 595)
    assert gutter is not None and 280 <= gutter <= 320
    assert {line.column for line in tables_to_lines([grid], [], gutter)} == {-1}


# Hand-written text (not from the sample): a notice whose indicator table runs
# over three columns, so that on page 3 the left column holds nothing but
# table rows and the next document starts in the right column beside them.
# Its narrow last column ("约束性") has few segments: the old gutter search
# took the blank strip from there to the right column for the gutter, cut the
# table in two and interleaved its rows with the right column's lines.
_TABLE_ROWS = [
    f"{n}\t示例地区重点河流断面水质达标比例（%）\t{n}.5\t完成上级下达的年度目标任务\t约束性" for n in range(1, 61)
]
_HAND_WRITTEN = "\n".join(
    [
        "示例市人民政府公报",
        "2025年第1期",
        "（总第1期）",
        "示例市人民政府办公室主办",
        "示例市人民政府办公室关于印发指标表的通知",
        "各县人民政府，市直各单位：",
        "现将指标表印发给你们，请认真执行。",
        "序号\t指标\t现状值\t目标值\t属性",
        *_TABLE_ROWS,
        "示例市人民政府关于做好夏季防汛工作的通知",
        *[f"第{n}段 各县要切实做好夏季防汛工作，落实防汛责任，加强巡查值守，确保安全度汛，不得有误。" for n in range(1, 25)],
    ]
)


def test_table_rows_stay_in_their_column(tmp_path: Path) -> None:
    txt = tmp_path / "hand.txt"
    txt.write_text(_HAND_WRITTEN, encoding="utf-8")
    pages = pdf_to_pages(render_sample_pdf(txt, tmp_path / "hand.pdf"))
    blocks = [b.text for page in pages[1:] for b in page.blocks]
    rows = [i for i, text in enumerate(blocks) if "\t" in text]
    paragraphs = [i for i, text in enumerate(blocks) if re.match(r"第\d+段", text)]
    assert len(rows) == len(_TABLE_ROWS) + 1
    # the table is read through before the other document starts: no paragraph
    # of the right column is interleaved with its rows
    assert not [i for i in paragraphs if rows[0] < i < rows[-1]]
    numbers = [int(blocks[i].split("\t")[0]) for i in rows[1:]]
    assert numbers == list(range(1, len(_TABLE_ROWS) + 1))


# --- reading order by region (hand-made pages) ---------------------------------


def _seg(text: str, x0: float, top: float, row: int, size: float = 10.0) -> Segment:
    chars = tuple(Char(ch, x0 + i * size, x0 + (i + 1) * size, top, top + size) for i, ch in enumerate(text))
    return Segment(chars, x0, x0 + len(text) * size, top, top + size, size, row)


def _column_block(first_row: int, top: float, left: list[str], right: list[str]) -> list[Segment]:
    """Two columns sharing baselines: left text at x 60, right text at x 320 (gutter ≈ 300)."""
    segments = []
    for i in range(max(len(left), len(right))):
        if i < len(left):
            segments.append(_seg(left[i], 60, top + 16 * i, first_row + i))
        if i < len(right):
            segments.append(_seg(right[i], 320, top + 16 * i, first_row + i))
    return segments


def test_mixed_page_reads_region_by_region() -> None:
    """Full-width titles between two-column blocks (each title row crosses the
    gutter, too many for the strict search): each block is read left column
    then right column, and the titles sit between the blocks."""
    block_a = _column_block(0, 60, [f"甲左{i}号行文字内容示例" for i in range(4)], [f"甲右{i}号行文字内容示例" for i in range(4)])
    titles = [_seg("乙文件的标题跨越两栏居中排印的一行文字内容", 90, 140 + 22 * i, 4 + i, size=12) for i in range(4)]
    block_b = _column_block(8, 240, [f"乙左{i}号行文字内容示例" for i in range(5)], [f"乙右{i}号行文字内容示例" for i in range(5)])
    segments = [*block_a, *titles, *block_b]
    assert segments_to_gutter(segments, 595) is None  # the strict search gives up
    gutter = page_gutter(segments, 595)
    assert gutter is not None and 230 < gutter < 320
    order = [line.text[:3] for line in segments_to_lines(segments, gutter)]
    want = [f"甲左{i}" for i in range(4)] + [f"甲右{i}" for i in range(4)] + ["乙文件"] * 4
    want += [f"乙左{i}" for i in range(5)] + [f"乙右{i}" for i in range(5)]
    assert order == want


def test_one_column_band_is_read_row_by_row() -> None:
    """Under a two-column block, a short last line (left), a signature and a
    date (right) and a 附注 (left) on rows of their own are one column: read
    top to bottom, not left lines first."""
    block = _column_block(0, 60, [f"左栏{i}文字内容示例" for i in range(6)], [f"右栏{i}文字内容示例" for i in range(6)])
    cut = _seg("跨越两栏的一行文字内容示例跨越两栏的一行文字", 60, 160, 6)
    tail = [_seg("最后一行。", 60, 180, 7), _seg("某市人民政府", 380, 200, 8), _seg("2024年8月29日", 380, 216, 9),
            _seg("（此件公开发布）", 80, 232, 10)]
    segments = [*block, cut, *tail]
    gutter = segments_to_gutter(segments, 595)
    assert gutter is not None
    regions = segments_to_regions(segments, gutter)
    assert [r.columns for r in regions] == [2, 0, 1]
    order = [line.text for line in segments_to_lines(segments, gutter)][-4:]
    assert order == ["最后一行。", "某市人民政府", "2024年8月29日", "（此件公开发布）"]
    assert region_warnings(regions, gutter) == []


def test_half_side_by_side_band_is_reported() -> None:
    """A band where only half the lines sit beside the other side: the reader
    cannot tell one column from two, and says so."""
    left = [_seg(f"左边第{i}行文字内容", 60, 60 + 32 * i, 2 * i) for i in range(6)]
    right = [_seg(f"右边第{i}行文字", 320, 60 + 32 * i, 2 * i) for i in range(0, 6, 2)]
    right += [_seg(f"右边插行{i}文字", 320, 76 + 32 * i, 2 * i + 1) for i in range(1, 5, 2)]  # between left rows
    segments = [*left, *right]
    regions = segments_to_regions(segments, 300.0)
    assert len(regions) == 1 and 0.2 < regions[0].side_by_side < 0.8
    warnings = region_warnings(regions, 300.0)
    assert len(warnings) == 1 and "columns uncertain" in warnings[0]


def _centred(text: str, top: float, size: float = 13.5, width: float = 480.0) -> PrintedLine:
    """A line centred between column edges 60 and 60 + ``width``."""
    x0 = 60 + (width - len(text) * size) / 2
    return PrintedLine(text, x0, x0 + len(text) * size, top, top + size, size, 0, left=60, right=60 + width)


def test_toc_heading_and_section_label_stand_alone() -> None:
    """The centred 目 录 heading and a 【栏目】 label under it, one heading
    leading apart, are two paragraphs (closed marker lines), while the two
    centred lines of a wrapped title the same distance apart are one."""
    step = 22.5
    toc, label = _centred("目 录", 100), _centred("【某市人民政府文件】", 100 + step)
    assert starts_paragraph(toc, label, step)
    title_a, title_b = _centred("某市人民政府关于印发某某管理办法", 200), _centred("的通知", 200 + step)
    assert not starts_paragraph(title_a, title_b, step)


def _flush(text: str, top: float, size: float, x0: float = 60.0, width: float = 220.0) -> PrintedLine:
    """A line from ``x0`` in a column from 60 to 60 + ``width``, ``size`` pt a char."""
    return PrintedLine(text, x0, min(x0 + len(text) * size, 60 + width), top, top + size, size, 0, left=60, right=60 + width)


def test_heading_off_centre_after_a_finished_sentence_stands_alone() -> None:
    """A 第X章 heading set one size up (12 → 13.5 pt: under the size-change threshold) and
    neither centred nor indented starts a block after an article's last sentence; the same
    words after an unfinished line, as a wrapped line of a sentence, continue it."""
    step = 12 * 1.4
    full = "热居民用户，每个采暖季补贴500元／户。"
    heading = _flush("第三章 补贴资金拨付及清算", 100 + step, 13.5, x0=60 + 1.1 * 13.5)
    assert starts_paragraph(_flush(full, 100, 12), heading, step)
    unfinished = _flush("热居民用户，每个采暖季补贴500元／户，依照", 100, 12)
    assert not starts_paragraph(unfinished, heading, step)
