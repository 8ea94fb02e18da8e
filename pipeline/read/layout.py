"""Page geometry → reading order and paragraphs, whatever the characters came from.

Shared by the text-layer reader (``pipeline.read.pdf``: pypdfium2 char boxes)
and OCR (``pipeline.read.ocr``: recognised lines turned into chars), so neither
imports the other.  Data flow, one page at a time (small pure functions,
pdfplumber style)::

    chars        → chars_to_rows        (runs in content order, clustered by vertical centre, sorted by x)
    rows         → rows_to_segments     (split a row at wide horizontal gaps)
    segments     → page_gutter          (one or two columns; "crop" by x; a second search for
                                         pages that mix full-width blocks and column blocks)
    segments     → segments_to_regions  (horizontal bands cut by rows spanning the gutter; each
                                         band two columns only if its columns sit side by side)
    regions      → segments_to_lines    (reading order: regions top down, columns left then right)
    lines        → strip_running_lines  (headers/footers across pages)
    lines        → lines_to_blocks      (paragraphs by indent, short lines, gaps, centring)

Coordinates are pdfplumber-like: ``x0``/``x1`` from the left, ``top``/``bottom``
from the top of the page, in PDF points.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate
from operator import attrgetter, itemgetter, sub
from statistics import median
from typing import NamedTuple

from schemas.models import Block
from schemas.patterns import ARTICLE_START, DOC_NUMBER_LINE, HIERARCHY_HEADING, TOC_HEADING, TOC_SECTION

# --- tunables (lengths in "em" are multiples of the line's median font size) ---
DEFAULT_ROW_TOLERANCE = 0.45  # em: chars whose vertical centres differ less are on one row
DEFAULT_SEGMENT_GAP = 1.5  # em: a wider horizontal gap splits a row into segments
DEFAULT_SPACE_GAP = 0.5  # em: a gap this wide inside a segment reads as a space
DEFAULT_GUTTER_WINDOW = (0.3, 0.7)  # fraction of page width searched for a column gutter
DEFAULT_GUTTER_MIN_WIDTH = 1.0  # em: narrowest gutter accepted
DEFAULT_GUTTER_MAX_CROSSING = 0.1  # fraction of segments allowed to cross the gutter
DEFAULT_MIN_COLUMN_SEGMENTS = 3  # each column needs at least this many segments
DEFAULT_REGION_MAX_CROSSING = 0.35  # second search: full-width blocks (titles, tables) between column blocks
DEFAULT_SIDE_BY_SIDE = 0.5  # a region is two columns when this fraction of its lines sits beside the other column
DEFAULT_EDGE_TOLERANCE = 0.2  # em: lines starting (ending) this close together share a column edge
DEFAULT_UNSURE_MARGIN = 0.3  # a side-by-side fraction this close to DEFAULT_SIDE_BY_SIDE is reported as unsure
DEFAULT_MARGIN_BAND = 0.12  # fraction of page height: header/footer bands at top and bottom
DEFAULT_MARGIN_LINES = 2  # at most this many lines per band are header/footer candidates
DEFAULT_MARGIN_GAP = 2.0  # a band line set off from the body by > this × its size is a header/footer
DEFAULT_REPEAT_MIN_PAGES = 3  # a band line repeated on this many pages is a running header
DEFAULT_REPEAT_MIN_FRACTION = 0.3  # … and on at least this fraction of the pages
DEFAULT_INDENT_RANGE = (1.2, 3.0)  # em: first-line indent of a paragraph (GB/T 9704: 2 chars)
DEFAULT_CENTER_MIN_OFFSET = 1.0  # em: a centred line starts at least this far in
DEFAULT_CENTER_TOLERANCE = 1.0  # em: |left offset - right offset| of a centred line (and ≤ 35 % of the offset)
DEFAULT_LINE_END_SLACK = 2.0  # em: a line ending closer than this to the right edge is full
DEFAULT_GAP_FACTOR = 1.25  # a vertical step > this × the usual step starts a paragraph
DEFAULT_SIZE_CHANGE = 0.12  # relative change of font size that starts a paragraph
DEFAULT_MIN_TEXT_CHARS = 10  # fewer printable chars: the page has no usable text layer
DEFAULT_MAX_GARBAGE_FRACTION = 0.2  # more undecodable chars than this: no usable text layer
DEFAULT_TABLE_MIN_RULES = 3  # vertical rules (in one column) needed to look for a table


class PdfReadError(ValueError):
    """The file is not a readable PDF (missing, empty, corrupt, encrypted)."""


# --- geometry records ----------------------------------------------------------


class Char(NamedTuple):
    """One character and its box.  A named tuple rather than a frozen dataclass:
    a page makes one per character (about a thousand), and a tuple is built in
    a fraction of the time."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def size(self) -> float:
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


# A ``Char`` from one (text, x0, x1, top, bottom) tuple, without the named tuple's
# ``__new__`` written in Python: half the cost, for loops making one per char of a page.
new_char: Callable[[tuple[str, float, float, float, float]], Char] = partial(tuple.__new__, Char)


class Segment(NamedTuple):
    """Chars of one row with no wide gap between them (a line, or a line piece).
    A named tuple, as ``Char``: a page makes one per line piece (about a hundred)."""

    chars: tuple[Char, ...]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # median char height ≈ font size
    row: int  # index of the row on its page

    @property
    def text(self) -> str:
        return chars_to_text(self.chars, self.size)


class PrintedLine(NamedTuple):
    """A visual line in reading order, within one column (``column`` 0 or 1) or
    spanning the page (``column`` -1).  A named tuple, as ``Char``: cheap to build,
    and to pickle from the reader processes to the main one (pipeline.read.pdf)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    column: int
    left: float = 0.0  # the column's left edge
    right: float = 0.0  # the column's right edge
    table_row: bool = False  # ``text`` is a table row, cells joined by "\t"


@dataclass(slots=True)
class PageLayout:
    """Intermediate result for one page, before cross-page header removal."""

    number: int
    width: float
    height: float
    lines: list[PrintedLine] = field(default_factory=list)
    columns: int = 1
    char_count: int = 0
    usable: bool = True  # the text layer could be read (else: OCR)
    warnings: list[str] = field(default_factory=list)  # what the reader could not decide for sure


# --- text helpers ----------------------------------------------------------------

# Latin letters and digits (ASCII and full-width): a space between two of them survives.
_LATINISH = re.compile(r"[0-9A-Za-z\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]")

# A printed page number alone on a line, in the usual dresses.
PAGE_NUMBER_RE = re.compile(
    r"""
    ^\s*
    (?:[-—–－‐―~·•]\s*)*          # leading dashes/dots: "— 3 —", "-3-", "·3·"
    (?:第\s*)?                    # 第3页
    (?P<num>\d{1,4})
    (?:\s*页)?
    (?:\s*[-—–－‐―~·•])*         # trailing dashes/dots
    \s*$
    """,
    re.VERBOSE,
)

_DIGITS = re.compile(r"\d+")
_WHITESPACE = re.compile(r"\s+")


def join_wrapped(left: str, right: str) -> str:
    """Join two wrapped lines of one paragraph: no space between CJK chars, one
    space where both sides are Latin letters or digits."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right:
        return left + right
    if _LATINISH.match(left[-1]) and _LATINISH.match(right[0]):
        return f"{left} {right}"
    return left + right


def chars_to_text(chars: Sequence[Char], size: float, space_gap: float = DEFAULT_SPACE_GAP) -> str:
    """Text of chars already sorted by x: a gap wider than ``space_gap`` em reads as
    one space; runs of spaces collapse to one."""
    parts: list[str] = []
    limit = space_gap * size
    prev_x1: float | None = None
    for text, x0, x1, _, _ in chars:
        if prev_x1 is not None and x0 - prev_x1 > limit and not text.isspace():
            parts.append(" ")
        parts.append(text)
        prev_x1 = x1
    return _WHITESPACE.sub(" ", "".join(parts)).strip()


def repeat_key(text: str) -> str:
    """Header comparison key: no whitespace, every digit run replaced by ``#``."""
    return _DIGITS.sub("#", _WHITESPACE.sub("", text))


def printed_page_number(text: str) -> int | None:
    match = PAGE_NUMBER_RE.match(text)
    return int(match["num"]) if match else None


def chars_to_runs(chars: Iterable[Char], gap: float = DEFAULT_SEGMENT_GAP) -> list[list[Char]]:
    """Split chars, in the content stream's order, into runs: maximal sequences
    that advance left to right along one line.

    A run is never split into two rows later, whatever its glyphs' boxes: loose
    boxes of flat glyphs (一, 二, 、) sit lower than their neighbours', and
    clustering single chars by centre cut "三重一大" into two lines where a
    line of the other column had its centre in between.  Content order that
    is not reading order only makes runs shorter (down to single chars).

    ``ch`` continues the run of ``prev`` (the char before it in content order)
    when it starts at about ``prev``'s right edge (from -0.25 to ``gap`` em
    after it) and the two overlap vertically by at least half the smaller height."""
    runs: list[list[Char]] = []
    run: list[Char] = []
    prev_x1 = prev_top = prev_bottom = 0.0  # the box of the char before (``run`` is empty before the first)
    for ch in chars:
        # inline, not a function call, and the box unpacked once: this loop sees every char of the page
        _, x0, x1, top, bottom = ch
        if run:
            prev_size, size = prev_bottom - prev_top, bottom - top
            larger = prev_size if prev_size > size else size
            if larger < 1.0:
                larger = 1.0
            lower = prev_bottom if prev_bottom < bottom else bottom
            upper = prev_top if prev_top > top else top
            if -0.25 * larger <= x0 - prev_x1 <= gap * larger and (
                lower - upper >= 0.5 * (prev_size if prev_size < size else size)
            ):
                run.append(ch)
                prev_x1, prev_top, prev_bottom = x1, top, bottom
                continue
        run = [ch]
        runs.append(run)
        prev_x1, prev_top, prev_bottom = x1, top, bottom
    return runs


def _median(values: list[float]) -> float:
    """``statistics.median`` of a non-empty list (the same value), without its checks
    and conversions: it runs once or twice for every run and segment of a page."""
    ordered = sorted(values)
    half = len(ordered) // 2
    return ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2


def chars_to_rows(chars: Iterable[Char], tolerance: float = DEFAULT_ROW_TOLERANCE) -> list[list[Char]]:
    """Cluster chars into rows by vertical centre; each row sorted by x.

    Whole runs (``chars_to_runs``) are clustered, by their median centre, so
    one printed line is one row.  Rows may hold text from several columns:
    columns share baselines."""
    # the median centre is half the median of top + bottom: halving a float is exact
    runs = [(_median([c.top + c.bottom for c in run]) / 2, run) for run in chars_to_runs(chars)]
    runs.sort(key=_FIRST)
    rows: list[list[Char]] = []
    row_middle = -math.inf
    for middle, run in runs:
        if rows:
            # within tolerance × max(the run's median char height, 1): the median only when needed
            offset = abs(middle - row_middle)
            if offset <= tolerance or offset <= tolerance * _median([c.bottom - c.top for c in run]):
                rows[-1].extend(run)
                continue
        rows.append(run)
        row_middle = middle
    for row in rows:
        row.sort(key=_X0)
    return rows


_FIRST = itemgetter(0)
_X0 = itemgetter(1)  # Char.x0


def _segment(chars: list[Char], row: int) -> Segment | None:
    """The segment of a row piece, or None when it has no printable char."""
    texts, _, x1s, tops, bottoms = zip(*chars, strict=True)  # the chars by field: one pass in C
    if not "".join(texts).strip():
        return None
    if any(map(str.isspace, texts)):  # the height of a space says nothing of the font size
        sizes = [bottom - top for text, top, bottom in zip(texts, tops, bottoms, strict=True) if not text.isspace()]
    else:
        sizes = list(map(sub, bottoms, tops))
    # chars, x0, x1, top, bottom, size, row
    return Segment(tuple(chars), chars[0].x0, max(x1s), min(tops), max(bottoms), _median(sizes or [chars[0].size]), row)


def rows_to_segments(rows: list[list[Char]], gap: float = DEFAULT_SEGMENT_GAP) -> list[Segment]:
    """Split each row where the horizontal gap exceeds ``gap`` em; drop blank pieces."""
    pieces: list[tuple[list[Char], int]] = []
    for index, row in enumerate(rows):
        piece: list[Char] = []
        piece_x1 = 0.0  # right edge of the piece's last char
        for ch in row:
            text, x0, x1, top, bottom = ch
            size = bottom - top
            if piece and x0 - piece_x1 > gap * (size if size > 1.0 else 1.0):
                pieces.append((piece, index))
                piece = []
            if not piece and text.isspace():
                continue
            piece.append(ch)
            piece_x1 = x1
        if piece:
            pieces.append((piece, index))
    segments = (_segment(piece, index) for piece, index in pieces)
    return [segment for segment in segments if segment is not None]


# --- columns ---------------------------------------------------------------------


def segments_to_gutter(
    segments: Sequence[Segment],
    width: float,
    *,
    window: tuple[float, float] = DEFAULT_GUTTER_WINDOW,
    min_width: float = DEFAULT_GUTTER_MIN_WIDTH,
    max_crossing: float = DEFAULT_GUTTER_MAX_CROSSING,
    min_segments: int = DEFAULT_MIN_COLUMN_SEGMENTS,
) -> float | None:
    """The x of the gutter between two columns, or None for a one-column page.

    Builds a coverage histogram (how many segments cover each point of x) and
    looks, inside the central ``window`` of the page, for the widest run of
    x crossed by at most ``max_crossing`` of the segments (headers, footers
    and full-width titles may cross).  It is a gutter when it is at least
    ``min_width`` em wide and enough segments lie wholly on each side of it."""
    if len(segments) < 2 * min_segments:
        return None
    size = median(s.size for s in segments)
    bins = int(width) + 2
    coverage = [0] * (bins + 1)
    for s in segments:  # difference array, then prefix sums
        coverage[max(0, int(s.x0))] += 1
        coverage[min(bins, int(math.ceil(s.x1)))] -= 1
    coverage = list(accumulate(coverage))
    lo, hi = int(width * window[0]), int(width * window[1])
    allowed = max_crossing * len(segments)
    best_start, best_len, start = 0, 0, None
    for x in range(lo, hi + 1):
        if x < hi and coverage[x] <= allowed:
            start = x if start is None else start
            continue
        if start is not None and x - start > best_len:
            best_start, best_len = start, x - start
        start = None
    if best_len < min_width * size:
        return None
    gutter = best_start + best_len / 2
    left = sum(1 for s in segments if s.x1 <= gutter)
    right = sum(1 for s in segments if s.x0 >= gutter)
    if left < min_segments or right < max(min_segments, 0.2 * left):
        return None
    return gutter


def _column_of(segment: Segment, gutter: float | None) -> int:
    if gutter is None:
        return 0
    if segment.x1 <= gutter:
        return 0
    if segment.x0 >= gutter:
        return 1
    return -1  # spans the gutter


def _merge_row(pieces: list[Segment], column: int, left: float, right: float) -> PrintedLine:
    """One line from the segments of one row inside one column (e.g. a TOC entry
    and its page reference), joined by a space."""
    if len(pieces) == 1:  # the usual row: one segment
        (piece,) = pieces
        return PrintedLine(piece.text, piece.x0, piece.x1, piece.top, piece.bottom, piece.size, column, left, right)
    pieces = sorted(pieces, key=lambda s: s.x0)
    text = " ".join(p.text for p in pieces)
    return PrintedLine(
        text=text,
        x0=pieces[0].x0,
        x1=max(p.x1 for p in pieces),
        top=min(p.top for p in pieces),
        bottom=max(p.bottom for p in pieces),
        size=median(p.size for p in pieces),
        column=column,
        left=left,
        right=right,
    )


def page_gutter(segments: Sequence[Segment], width: float) -> float | None:
    """The page's gutter: ``segments_to_gutter``, or, when that finds none, the
    same search allowing up to ``DEFAULT_REGION_MAX_CROSSING`` of the segments
    to cross it, as on a page where full-width titles or tables sit between
    two-column blocks (each title line crosses the gutter).  The second answer
    is kept only when at least one region of the page really is two columns
    side by side (``segments_to_regions``), so a one-column page, whose short
    lines (paragraph ends, signatures) leave gaps, stays one column."""
    gutter = segments_to_gutter(segments, width)
    if gutter is not None:
        return gutter
    gutter = segments_to_gutter(segments, width, max_crossing=DEFAULT_REGION_MAX_CROSSING)
    text = [s for s in segments if s.chars]  # table rows (no chars) are evidence, not text
    obstacles = [s for s in segments if not s.chars]
    if gutter is None or not any(region.columns == 2 for region in segments_to_regions(text, gutter, obstacles)):
        return None
    return gutter


@dataclass(frozen=True, slots=True)
class Region:
    """A horizontal band of a page: rows between two rows that span the gutter
    (``columns`` 1 or 2), or one spanning row (``columns`` 0)."""

    segments: tuple[Segment, ...]
    columns: int
    side_by_side: float = 1.0  # ``side_by_side`` of its two sides (1.0 for one side only)


def _within_side(segments: Sequence[Segment], others: Sequence[Segment]) -> list[Segment]:
    """The ``segments`` that are ``_within`` ``others`` (whose extent is measured once)."""
    if not others:
        return []
    top, bottom = min(o.top for o in others), max(o.bottom for o in others)
    return [s for s in segments if top <= s.top and s.bottom <= bottom]


def side_by_side(left: Sequence[Segment], right: Sequence[Segment]) -> float:
    """Of the segments of either side lying within the vertical extent of the
    other side, the fraction that overlap (vertically) a segment of the other
    side.  Two columns share (or interleave) their rows: near 1.  A
    one-column band where a short line ends left of the gutter and a
    signature sits right of it, on rows of their own: near 0.  Segments above
    or below the other side (a running header, a longer column's tail) are no
    evidence; with none, 1."""
    from_left, from_right = _within_side(left, right), _within_side(right, left)
    judged = len(from_left) + len(from_right)
    if not judged:
        return 1.0
    return (_count_beside(from_left, right) + _count_beside(from_right, left)) / judged


def _count_beside(segments: Sequence[Segment], others: Sequence[Segment]) -> int:
    """How many of ``segments`` overlap some segment of ``others`` vertically
    (``o.top < s.bottom and s.top < o.bottom``): of the others starting above
    ``s.bottom`` (sorted by top, found by bisection), the lowest bottom must lie below ``s.top``."""
    ordered = sorted(others, key=_TOP)
    tops = [o.top for o in ordered]
    lowest, deepest = [], -math.inf
    for o in ordered:
        deepest = o.bottom if o.bottom > deepest else deepest
        lowest.append(deepest)
    count = 0
    for s in segments:
        above = bisect_left(tops, s.bottom)  # others with top < s.bottom
        count += above > 0 and lowest[above - 1] > s.top
    return count


_TOP = attrgetter("top")


def band_to_region(band: Sequence[Segment], gutter: float, obstacles: Sequence[Segment] = ()) -> Region:
    """A band of rows between spanning rows: two columns when its sides sit
    side by side, counting the table rows (``obstacles``) that overlap it."""
    top, bottom = min(s.top for s in band), max(s.bottom for s in band)
    evidence = [*band, *(o for o in obstacles if o.top < bottom and top < o.bottom)]
    left = [s for s in evidence if _column_of(s, gutter) == 0]
    right = [s for s in evidence if _column_of(s, gutter) == 1]
    ratio = side_by_side(left, right)
    return Region(tuple(band), 2 if ratio >= DEFAULT_SIDE_BY_SIDE else 1, ratio)


def segments_to_regions(
    segments: Sequence[Segment], gutter: float | None, obstacles: Sequence[Segment] = ()
) -> list[Region]:
    """Cut the page into horizontal bands at the rows holding a segment that
    spans the gutter; each band is two columns when both sides have text
    sitting side by side (``side_by_side`` ≥ ``DEFAULT_SIDE_BY_SIDE``), else
    one column read row by row.  ``obstacles`` (one segment per table row,
    ``grids_to_segments``) are no lines of the band but count as its column's
    content: a table filling the left column sits beside the right column."""
    if gutter is None:
        return [Region(tuple(segments), 1)] if segments else []
    cuts = sorted({s.row for s in segments if _column_of(s, gutter) == -1})
    regions: list[Region] = []
    start = -1
    for cut in [*cuts, math.inf]:
        band = [s for s in segments if start < s.row < cut]
        if band:
            regions.append(band_to_region(band, gutter, obstacles))
        if cut != math.inf:
            regions.append(Region(tuple(s for s in segments if s.row == cut), 0))
            start = int(cut)
    return regions


def region_warnings(regions: Sequence[Region], gutter: float | None) -> list[str]:
    """What the reader could not decide for sure: a band with text on both
    sides of the gutter of which only some sits side by side (within
    ``DEFAULT_UNSURE_MARGIN`` of ``DEFAULT_SIDE_BY_SIDE``), so it may be two
    columns or one; it was read as ``columns``."""
    warnings = []
    for region in regions:
        if region.columns and gutter is not None and abs(region.side_by_side - DEFAULT_SIDE_BY_SIDE) < DEFAULT_UNSURE_MARGIN:
            sides = {_column_of(s, gutter) for s in region.segments}
            if sides >= {0, 1} and min(sum(_column_of(s, gutter) == c for s in region.segments) for c in (0, 1)) >= 2:
                warnings.append(
                    f"columns uncertain between y={region.segments[0].top:.0f} and y={max(s.bottom for s in region.segments):.0f}:"
                    f" {region.side_by_side:.0%} of the lines sit beside the other side's; read as {region.columns} column(s)"
                )
    return warnings


def _shared_extreme(values: Sequence[float], lowest: bool, tolerance: float) -> float:
    """The lowest (highest) value that another value lies within ``tolerance``
    of; the plain extreme when no two agree."""
    ordered = sorted(values, reverse=not lowest)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if abs(a - b) <= tolerance:
            return a
    return ordered[0]


def segments_to_edges(segments: Sequence[Segment], tolerance: float = DEFAULT_EDGE_TOLERANCE) -> tuple[float, float]:
    """Left and right edge of a column: the leftmost x0 that at least two
    lines share (within ``tolerance`` em), and the rightmost x1.  A page
    number at the outer corner or a running header set outside the column's
    padding is one line, and does not move the left edge (which would hide
    every indent).  The right edge of ragged text is its longest line: no two
    need share it."""
    size = median(s.size for s in segments)
    return _shared_extreme([s.x0 for s in segments], True, tolerance * size), max(s.x1 for s in segments)


def segments_to_lines(
    segments: Sequence[Segment], gutter: float | None, obstacles: Sequence[Segment] = ()
) -> list[PrintedLine]:
    """Lines in reading order.

    Rows spanning the gutter cut the page into regions (``segments_to_regions``);
    a two-column region is read left column first, then right column (the
    equivalent of cropping each column), a one-column region row by row, and
    spanning rows sit between regions.  Column edges are the extreme x of the
    column's segments on the whole page; a one-column region and a spanning
    row are measured against the whole text block (``column`` 0 and -1)."""
    return _regions_to_lines(segments, gutter, segments_to_regions(segments, gutter, obstacles))


def _regions_to_lines(segments: Sequence[Segment], gutter: float | None, regions: Sequence[Region]) -> list[PrintedLine]:
    """``segments_to_lines`` given the page's regions (``segments_to_regions``)."""
    edges: dict[int, tuple[float, float]] = {}
    for column in (0, 1):
        members = [s for s in segments if _column_of(s, gutter) == column]
        if members:
            edges[column] = segments_to_edges(members)
    whole = segments_to_edges(segments) if segments else (0.0, 0.0)
    lines: list[PrintedLine] = []
    for region in regions:
        if region.columns == 0:
            lines.append(_merge_row(list(region.segments), -1, *whole))
        elif region.columns == 1 and gutter is not None:
            lines.extend(_rows_to_lines(list(region.segments), 0, *whole))
        else:
            for column in (0, 1):
                members = [s for s in region.segments if _column_of(s, gutter) == column]
                lines.extend(_rows_to_lines(members, column, *edges.get(column, (0.0, 0.0))))
    return lines


def _rows_to_lines(segments: list[Segment], column: int, left: float, right: float) -> list[PrintedLine]:
    rows: dict[int, list[Segment]] = {}
    for s in segments:
        rows.setdefault(s.row, []).append(s)
    return [_merge_row(rows[r], column, left, right) for r in sorted(rows)]


@dataclass(frozen=True, slots=True)
class TableGrid:
    """A table found by pdfplumber: bbox and per row the cell boxes (None = merged)."""

    bbox: tuple[float, float, float, float]
    rows: tuple[tuple[tuple[float, float, float, float] | None, ...], ...]


def grids_to_segments(grids: Sequence[TableGrid], chars: Sequence[Char]) -> list[Segment]:
    """One text-less segment per table row, spanning the table's full width."""
    return _grids_to_segments(grids, [_chars_inside(chars, grid.bbox) for grid in grids])


def _grids_to_segments(grids: Sequence[TableGrid], grid_chars: Sequence[Sequence[Char]]) -> list[Segment]:
    """``grids_to_segments`` given each grid's chars (``_chars_inside`` its bbox)."""
    segments = []
    for grid, chars in zip(grids, grid_chars, strict=True):
        sizes = [c.size for c in chars if not c.text.isspace()]
        size = median(sizes) if sizes else 10.0
        for row in grid.rows:
            boxes = [box for box in row if box is not None]
            if boxes:
                top, bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)
                segments.append(Segment((), grid.bbox[0], grid.bbox[2], top, bottom, size, -1))
    return segments


def _chars_inside(chars: Iterable[Char], box: tuple[float, float, float, float]) -> list[Char]:
    """The chars whose centre lies in ``box`` (x0, top, x1, bottom), edges included."""
    left, top, right, bottom = box
    return [c for c in chars if left <= (c.x0 + c.x1) / 2 <= right and top <= (c.top + c.bottom) / 2 <= bottom]


def _centres_inside(centres: Iterable[tuple[float, float, Char]], box: tuple[float, float, float, float]) -> list[Char]:
    """``_chars_inside`` for chars given with their centres (x, y, char)."""
    left, top, right, bottom = box
    return [c for x, y, c in centres if left <= x <= right and top <= y <= bottom]


def cell_text(chars: Sequence[Char]) -> str:
    """Text of one table cell: its rows joined as wrapped lines."""
    text = ""
    for row in chars_to_rows(chars):
        size = median(c.size for c in row)
        text = join_wrapped(text, chars_to_text(row, size))
    return text


def tables_to_lines(grids: Sequence[TableGrid], chars: Sequence[Char], gutter: float | None) -> list[PrintedLine]:
    """One ``PrintedLine`` (``table_row=True``) per table row, cells joined by "\\t"."""
    return _tables_to_lines(grids, [_chars_inside(chars, grid.bbox) for grid in grids], gutter)


def _tables_to_lines(grids: Sequence[TableGrid], grid_chars: Sequence[Sequence[Char]], gutter: float | None) -> list[PrintedLine]:
    """``tables_to_lines`` given each grid's chars (``_chars_inside`` its bbox)."""
    lines = []
    for grid, table_chars in zip(grids, grid_chars, strict=True):
        centres = [((c.x0 + c.x1) / 2, (c.top + c.bottom) / 2, c) for c in table_chars]  # once, not per row and cell
        for row in grid.rows:
            boxes = [box for box in row if box is not None]
            if not boxes:
                continue
            top = min(b[1] for b in boxes)
            bottom = max(b[3] for b in boxes)
            # the row's band first (every cell lies in it), then each cell: the same chars, fewer tests
            row_centres = [centre for centre in centres if top <= centre[1] <= bottom]
            cells = [cell_text(_centres_inside(row_centres, box)) if box else "" for box in row]
            if gutter is None:
                column = 0
            else:
                column = 0 if grid.bbox[2] <= gutter else (1 if grid.bbox[0] >= gutter else -1)
            lines.append(
                PrintedLine(
                    text="\t".join(cells),
                    x0=grid.bbox[0],
                    x1=grid.bbox[2],
                    top=top,
                    bottom=bottom,
                    size=10.0,
                    column=column,
                    left=grid.bbox[0],
                    right=grid.bbox[2],
                    table_row=True,
                )
            )
    return lines


def reading_order(lines: Iterable[PrintedLine]) -> list[PrintedLine]:
    """Sort lines into reading order.

    Spanning lines (``column`` -1) cut the page into horizontal zones; inside
    a zone the left column is read before the right one, top to bottom."""
    lines = list(lines)
    cuts = sorted(line.top for line in lines if line.column == -1)

    def key(line: PrintedLine) -> tuple[int, int, float]:
        if line.column == -1:
            return (2 * bisect_left(cuts, line.top) + 1, 0, line.top)
        return (2 * bisect_left(cuts, line.top), line.column, line.top)

    return sorted(lines, key=key)


def chars_to_layout(
    chars: Sequence[Char], number: int, width: float, height: float, grids: Sequence[TableGrid] = ()
) -> PageLayout:
    """Rows → segments → columns → lines (+ table rows) from a page's chars,
    whether they come from the text layer or from OCR (pipeline.read.ocr)."""
    layout = PageLayout(number=number, width=width, height=height, char_count=len(chars))
    grid_chars = [_chars_inside(chars, grid.bbox) for grid in grids]
    if grids:
        inside = {id(c) for table_chars in grid_chars for c in table_chars}
        chars = [c for c in chars if id(c) not in inside]
    segments = rows_to_segments(chars_to_rows(chars))
    # Each table row takes part in the gutter search as one segment as wide as
    # its table: a table may fill a column (then it is that column's content),
    # or span both (then it crosses the gutter like a full-width title); the
    # gaps between its cells are no gutter.
    table_rows = _grids_to_segments(grids, grid_chars)
    gutter = page_gutter([*segments, *table_rows], width)
    layout.columns = 2 if gutter is not None else 1
    regions = segments_to_regions(segments, gutter, table_rows)
    layout.lines = _regions_to_lines(segments, gutter, regions)
    layout.warnings = region_warnings(regions, gutter)
    if grids:
        layout.lines = reading_order([*layout.lines, *_tables_to_lines(grids, grid_chars, gutter)])
    return layout


# --- text layer quality ------------------------------------------------------------

# Unicode categories no real text layer is made of: private use (a font
# without a ToUnicode map often decodes to U+E000…), unassigned, surrogates,
# control characters.
_GARBAGE_CATEGORIES = frozenset({"Co", "Cn", "Cs", "Cc"})


def is_garbage_char(ch: str) -> bool:
    """A char that says the text layer did not decode: U+FFFD, private use, unassigned, control."""
    return ch == "\ufffd" or (unicodedata.category(ch) in _GARBAGE_CATEGORIES and ch not in "\t\n\r")


def text_layer_is_usable(
    text: str,
    *,
    min_chars: int = DEFAULT_MIN_TEXT_CHARS,
    max_garbage: float = DEFAULT_MAX_GARBAGE_FRACTION,
) -> bool:
    """Whether a page's text layer can be read: at least ``min_chars``
    printable chars, of which at most ``max_garbage`` (a fraction) are
    replacement, private-use, unassigned or control chars."""
    printable = "".join(text.split())  # str.split drops what str.isspace calls whitespace
    if len(printable) < min_chars:
        return False
    if printable.isprintable() and "\ufffd" not in printable:
        return True  # no char of a garbage category (they are all unprintable): the usual page, judged in C
    garbage = sum(1 for ch in printable if is_garbage_char(ch))
    return garbage <= max_garbage * len(printable)


# --- running headers and footers -------------------------------------------------


def _band_candidates(layout: PageLayout, band: float, max_lines: int) -> list[int]:
    """Indexes of the first/last few lines of a page lying in the top/bottom band."""
    top_limit = layout.height * band
    bottom_limit = layout.height * (1 - band)
    by_top = sorted(range(len(layout.lines)), key=lambda i: layout.lines[i].top)
    head = [i for i in by_top[:max_lines] if layout.lines[i].bottom <= top_limit]
    foot = [i for i in by_top[-max_lines:] if layout.lines[i].top >= bottom_limit]
    return [i for i in dict.fromkeys(head + foot) if not layout.lines[i].table_row]


def _set_off(lines: Sequence[PrintedLine], index: int, gap: float = DEFAULT_MARGIN_GAP) -> bool:
    """Whether the topmost (bottommost) line is separated from all other lines
    below (above) it by more than ``gap`` times its size: a header (footer)
    even on a page whose header does not repeat elsewhere."""
    line = lines[index]
    others = [other for j, other in enumerate(lines) if j != index]
    if not others:
        return False
    if all(other.top > line.top for other in others):
        return min(other.top for other in others) - line.bottom > gap * line.size
    if all(other.bottom < line.bottom for other in others):
        return line.top - max(other.bottom for other in others) > gap * line.size
    return False


def is_document_structure(text: str) -> bool:
    """Headings of the document's own hierarchy are never running headers."""
    compact = "".join(text.split())
    return bool(HIERARCHY_HEADING.match(compact) or ARTICLE_START.match(text) or DOC_NUMBER_LINE.match(compact))


def strip_running_lines(
    layouts: Sequence[PageLayout],
    *,
    band: float = DEFAULT_MARGIN_BAND,
    max_lines: int = DEFAULT_MARGIN_LINES,
    min_pages: int = DEFAULT_REPEAT_MIN_PAGES,
    min_fraction: float = DEFAULT_REPEAT_MIN_FRACTION,
) -> dict[int, int | None]:
    """Remove running headers, footers and page numbers in place.

    A line in the top or bottom band of its page (one of the first/last
    ``max_lines`` lines) goes when it is a page number ("— 3 —", "-3-", "3",
    "第3页"), when its text, digits ignored, recurs in the bands of at least
    ``min_pages`` pages and ``min_fraction`` of all pages, or when it is the
    outermost line and set off from the body by a wide gap (``_set_off``).  Returns the printed
    page number found per physical page."""
    candidates = {layout.number: _band_candidates(layout, band, max_lines) for layout in layouts}
    counts: Counter[str] = Counter()
    for layout in layouts:
        counts.update({repeat_key(layout.lines[i].text) for i in candidates[layout.number]})
    threshold = max(min_pages, math.ceil(min_fraction * len(layouts)))
    printed: dict[int, int | None] = {}
    for layout in layouts:
        drop: set[int] = set()
        printed[layout.number] = None
        for i in candidates[layout.number]:
            text = layout.lines[i].text
            number = printed_page_number(text)
            if number is not None:
                printed[layout.number] = number
                drop.add(i)
            elif is_document_structure(text):
                continue  # 第一章 总则 recurs at the top of many pages, but it is content
            elif counts[repeat_key(text)] >= threshold or _set_off(layout.lines, i):
                drop.add(i)
        layout.lines = [line for i, line in enumerate(layout.lines) if i not in drop]
    return printed


# --- paragraphs ------------------------------------------------------------------


def _is_centered(line: PrintedLine) -> bool:
    """Inset on both sides by about the same amount.  A line reaching the right
    edge is never centred (that is an indented first line), nor is a line
    opening an article: 第七条 is set as an indented paragraph, and a short
    one ("第七条 大额资金使用事项主要包括：") can end as far from the right
    edge as its indent is from the left."""
    em = line.size
    left_off, right_off = line.x0 - line.left, line.right - line.x1
    if ARTICLE_START.match(line.text):
        return False
    return (
        left_off >= DEFAULT_CENTER_MIN_OFFSET * em
        and right_off > DEFAULT_LINE_END_SLACK * em
        and abs(left_off - right_off) <= min(DEFAULT_CENTER_TOLERANCE * em, 0.35 * left_off)
    )


def _is_indented(line: PrintedLine, centered: bool) -> bool:
    """Starts a paragraph's indent in (``centered``: ``_is_centered(line)``, judged once by the caller)."""
    lo, hi = DEFAULT_INDENT_RANGE
    return lo * line.size <= line.x0 - line.left <= hi * line.size and not centered


# A sentence (or a clause list) ends here: what follows may be a heading.
_SENTENCE_ENDS = ("。", "；", "！", "？", "：", ".", ";", "!", "?", ":")
# Chars that may not start a line (kinsoku): they travel with the char before.
_NO_LINE_START = "，。、；：！？）》」』】〕〉”’,.;:!?)]}%"
_LEADING_WORD = re.compile(r"[0-9A-Za-z.%\-/]+")


def _first_unit_width(line: PrintedLine) -> float:
    """Width of what the previous line could not take: a leading Latin word or
    number, or one char plus the closing punctuation glued to it."""
    match = _LEADING_WORD.match(line.text)
    if match:
        return len(match[0]) * line.size * 0.55
    glued = 1 + len(line.text[1:]) - len(line.text[1:].lstrip(_NO_LINE_START))
    return glued * line.size


def _ends_short(prev: PrintedLine, line: PrintedLine) -> bool:
    """The previous line stopped before the right edge for a reason other than
    the next line's first word not fitting."""
    room = prev.right - prev.x1
    return room > DEFAULT_LINE_END_SLACK * prev.size and room > _first_unit_width(line) + prev.size


def starts_paragraph(prev: PrintedLine | None, line: PrintedLine, step: float) -> bool:
    """Whether ``line`` starts a new paragraph after ``prev`` (same flow).

    ``step`` is the usual baseline-to-baseline distance for lines of this size.
    A paragraph may continue from the foot of one column to the head of the
    next; then the vertical gap says nothing."""
    return _starts_paragraph(prev, line, step, prev is not None and _is_centered(prev), _is_centered(line))


def _starts_paragraph(prev: PrintedLine | None, line: PrintedLine, step: float, prev_centered: bool, centered: bool) -> bool:
    """``starts_paragraph`` with ``_is_centered`` of both lines given (``lines_to_blocks``
    judges each line once, not once per neighbour)."""
    if prev is None or prev.table_row or line.table_row:
        return True
    if prev.column == line.column and not 0 < line.top - prev.top <= DEFAULT_GAP_FACTOR * step:
        return True
    if abs(line.size - prev.size) > DEFAULT_SIZE_CHANGE * max(line.size, prev.size):
        return True
    if centered and HIERARCHY_HEADING.match(line.text):
        # 第五章 附则, centred at the head of a column or page under a full line
        # of the last article: a heading is a line of its own (《立法法》 章/节)
        return True
    if prev.text.endswith(_SENTENCE_ENDS) and _stands_alone(line.text):
        # The same heading set flush left or off-centre, one size up (12 → 13.5 pt: the size
        # change alone is under DEFAULT_SIZE_CHANGE), after an article's last sentence.
        return True
    if centered and prev_centered:
        # a title broken over centred lines — but a 第X章 heading under a
        # centred instrument title is a line of its own (《立法法》 layout), and
        # so is a closed marker line: the 目录 heading and a 【栏目】 label
        return any(_stands_alone(text) for text in (line.text, prev.text))
    if centered:
        return _ends_short(prev, line)  # last line of a wrapped centred title, or a new title
    if prev_centered:
        return True
    if _is_indented(line, centered):
        return True
    return _ends_short(prev, line)


def _stands_alone(text: str) -> bool:
    """A centred line that is never one line of a wrapped title: a 第X章/节
    heading, the 目录 heading, or a gazette's 【栏目】 label (closed by its
    bracket).  Their spacing cannot tell them from a title's lines when the
    gap above a heading is about one heading leading."""
    compact = "".join(text.split())
    return bool(HIERARCHY_HEADING.match(text) or TOC_HEADING.match(compact) or TOC_SECTION.match(compact))


def leading_ratio(lines: Sequence[PrintedLine]) -> float:
    """Usual baseline step divided by font size, between consecutive lines of
    one column and one size (mostly body text).  A line's expected step is its
    size times this ratio, so headings get their own, larger step."""
    ratios = [
        (b.top - a.top) / b.size
        for a, b in zip(lines, lines[1:], strict=False)
        if a.column == b.column
        and not a.table_row
        and not b.table_row
        and b.top > a.top
        and abs(a.size - b.size) <= DEFAULT_SIZE_CHANGE * max(a.size, b.size)
    ]
    return median(ratios) if ratios else 1.5


def lines_to_blocks(lines: Sequence[PrintedLine], page: int, ratio: float | None = None) -> list[Block]:
    """Group visual lines into paragraphs; each table row is its own block.

    ``ratio`` is the usual line step over font size (``leading_ratio``); pass
    the document's, as a page with few lines estimates it badly."""
    ratio = leading_ratio(lines) if ratio is None else ratio
    paragraphs: list[tuple[str, bool, bool]] = []  # text, indented, centered of each block
    prev: PrintedLine | None = None
    prev_centered = False
    for line in lines:
        centered = _is_centered(line)
        if _starts_paragraph(prev, line, ratio * max(line.size, prev.size if prev else 0.0), prev_centered, centered):
            table_row = line.table_row
            paragraphs.append((line.text, not table_row and _is_indented(line, centered), not table_row and centered))
        else:
            text, indented, first_centered = paragraphs[-1]
            paragraphs[-1] = (join_wrapped(text, line.text), indented, first_centered)
        prev, prev_centered = line, centered
    return [Block(text=text, page=page, indented=indented, centered=centered) for text, indented, centered in paragraphs]
