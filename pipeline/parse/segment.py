"""Pages → an ``Issue``: cover metadata, table of contents, documents, hierarchy.

The layers, in the manner of bluebell (laws-africa):

1. ``blocks_to_raw_lines``: cleaned lines, nothing joined yet;
2. ``find_toc`` / ``front_matter_to_metadata`` / ``toc_lines_to_entries``: the
   cover and the 目录, read from raw lines (joining would merge cover lines);
3. ``blocks_to_lines`` (normalize): the body with page-break damage repaired;
4. ``body_to_document_spans``: where each document begins — a line that is
   only a 发文字号 (GB/T 9704-2012 7.2.4), a full title after the signature
   block that ends the document before, or a table-of-contents title — and
   where the back matter (编委会, 简介) begins;
5. ``lines_to_document``: the elements of one document (标题, 发文字号,
   主送机关, 成文日期, 附注, 附件说明, the issued instrument) and its hierarchy.

A file that has no cover or table of contents is split the same way when it
holds several titled documents (``kind='collection'``: a batch of notices),
else it is one document (``kind='single'``), as are the regulations in the
corpus.  The 目录, when there is one, is a cross-check of the split: the
self-check (``pipeline.parse.selfcheck``) runs last and reports what did not
add up as ``Issue.findings``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import regex

from pipeline.parse.hierarchy import Hierarchy, lines_to_hierarchy, lines_to_points
from pipeline.parse.normalize import JoinedLine, blocks_to_lines, clean_line, pages_to_blocks, printed_line
from pipeline.parse.selfcheck import ParseContext, StrayLine, issue_to_findings
from schemas import Block, Document, Issue, Line, Page, PageSpan, TocEntry
from schemas import patterns as p
from schemas.models import DatePrecision
from schemas.patterns import compact


@dataclass(frozen=True)
class SourceInfo:
    path: str
    sha256: str
    kind: str  # 'pdf' | 'txt'
    page_count: int | None = None
    ocr_pages: tuple[int, ...] = ()


@dataclass
class RawLine:
    text: str  # cleaned
    page: int | None
    block: Block  # the source block, with the PDF reader's indent/centre hints


# ---------------------------------------------------------------------------
# Small helpers


def canonical_doc_number(raw: str) -> str | None:
    """忻政发 [2024] 13 号 → 忻政发〔2024〕13号; 国务院令 第 656 号 → 国务院令第656号."""
    raw = raw.strip().strip("（()）").strip()
    if match := p.DOC_NUMBER.fullmatch(raw):
        return p.format_doc_number(match["code"], int(match["year"]), int(match["serial"]))
    if match := p.ORDER_NUMBER.fullmatch(raw):
        return p.format_doc_number(match["code"], None, int(match["serial"]))
    return None


def parse_date(text: str) -> tuple[date, DatePrecision] | None:
    """A 成文日期 line: 2024年8月29日 → (2024-08-29, 'day'); 2024年9月 → (2024-09-01, 'month')."""
    return p.date_text_to_date(text) if p.DATE_LINE.match(text) else None


def doc_type_from_title(title: str | None) -> str | None:
    """The 文种 is the last word of the title (…的通知 → 通知)."""
    if not title:
        return None
    stripped = title.rstrip("）)】 ")
    for doc_type in p.DOC_TYPES:
        if stripped.endswith(doc_type):
            return doc_type
    return None


_ISSUER_SPLIT = regex.compile(r"[\s、]+")


def issuer_from_title(raw_title: str) -> str | None:
    """发文机关 from the title: the organs before 关于 (joint documents list several)."""
    head, sep, _ = raw_title.partition("关于")
    if not sep:
        order = regex.match(r"^(?P<organ>\p{Han}{2,30}?)令", compact(raw_title))
        return order["organ"] if order else None
    organs = [organ for organ in _ISSUER_SPLIT.split(head.strip()) if organ]
    return "、".join(organs) or None


_ISSUES_INSTRUMENT = regex.compile(
    r"(?:印发|发布|颁布|公布|转发)(?P<instrument>.+?)(?:的)?(?:通知|决定|命令|令|公告|通告)$"
)


def instrument_from_title(title: str | None) -> str | None:
    """关于印发《X》的通知 → X (the instrument a notice issues)."""
    if not title:
        return None
    match = _ISSUES_INSTRUMENT.search(title)
    if not match:
        return None
    instrument = match["instrument"].strip()
    if instrument.startswith("《") and instrument.endswith("》") and instrument.count("《") == 1:
        instrument = instrument[1:-1]
    return instrument or None


_DATED_LINE = regex.compile(r"^[（(]?\s*(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年")

# Lines that start like something other than a title: a date, a note, a unit
# of the hierarchy, a 发文字号, a point, an attachment, a closing formula, or a
# promulgation line (2014年11月24日 中华人民共和国国务院令第656号公布), or a
# form's blank date (年 月 日 at the foot of an attached 申请表, above the next
# document's title).
_NOT_TITLE_START = (
    p.DATE_LINE, p.BLANK_DATE_LINE, p.NOTE_LINE, p.ARTICLE_START, p.HIERARCHY_HEADING, p.DOC_NUMBER_LINE,
    p.CN_POINT, p.PAREN_ITEM, p.ATTACHMENT_START, p.CLOSING_FORMULA, _DATED_LINE,
)


def is_title_like(text: str) -> bool:
    """Could this line be (part of) a title?  Short, Han, no sentence end, not a unit marker."""
    if not text or len(text) > 60 or "\t" in text or not regex.search(r"\p{Han}", text):
        return False
    if p.ends_sentence(text) or p.ORDER_NUMBER.search(text):
        return False
    return not any(pattern.match(text) for pattern in _NOT_TITLE_START)


# ---------------------------------------------------------------------------
# Front matter


def blocks_to_raw_lines(pages: list[Page]) -> list[RawLine]:
    lines = []
    for block in pages_to_blocks(pages):
        text = clean_line(block.text)
        if text:
            lines.append(RawLine(text=text, page=block.page, block=block))
    return lines


DEFAULT_COVER_LINES = 40  # the cover and its masthead fit in this many lines
DEFAULT_TOC_WINDOW = 600  # a table of contents is at most this many lines long


def find_toc(lines: list[RawLine]) -> tuple[int, int] | None:
    """(index of 目录, index of its last entry line), or None."""
    heading = next(
        (i for i, line in enumerate(lines[: DEFAULT_COVER_LINES * 2]) if p.TOC_HEADING.match(line.text)), None
    )
    if heading is None:
        return None
    last = None
    for index in range(heading + 1, min(len(lines), heading + DEFAULT_TOC_WINDOW)):
        if p.TOC_LEADER.match(lines[index].text):
            last = index
    return (heading, last) if last is not None else None


_GAZETTE_NAME = regex.compile(r"^(?P<name>\p{Han}{2,30}公报)$")
_YEAR_NUMBER = regex.compile(r"(?P<year>(?:19|20)\d{2})\s*年\s*第\s*(?P<number>\d{1,3})\s*期")
_CUMULATIVE = regex.compile(rf"总\s*第\s*(?P<number>\d{{1,5}}|{p.CN_NUM})\s*期")
_PUBLISHED = regex.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*(?:出版|印发|发行)")
_PUBLISHER = regex.compile(r"^(?P<organ>\p{Han}{4,40}?)\s*(?:主办|编印|主管主办|编辑出版)$")


@dataclass
class Cover:
    gazette: str | None = None
    year: int | None = None
    number: int | None = None
    cumulative_number: int | None = None
    published_on: date | None = None
    publisher: str | None = None

    @property
    def found(self) -> bool:
        return self.gazette is not None and (self.year is not None or self.number is not None)


def front_matter_to_metadata(lines: list[RawLine]) -> Cover:
    cover = Cover()
    for line in lines:
        text = line.text
        if cover.gazette is None and (match := _GAZETTE_NAME.match(compact(text))):
            cover.gazette = match["name"]
        if cover.year is None and (match := _YEAR_NUMBER.search(text)):
            cover.year, cover.number = int(match["year"]), int(match["number"])
        if cover.cumulative_number is None and (match := _CUMULATIVE.search(text)):
            cover.cumulative_number = p.cn_to_int_or_none(match["number"])
        if cover.published_on is None and (match := _PUBLISHED.search(text)) and (published := p.date_text_to_date(match.group())):
            cover.published_on = published[0]
        if cover.publisher is None and (match := _PUBLISHER.match(text)):
            cover.publisher = compact(match["organ"])
    return cover


_TITLE_WITH_NUMBER = regex.compile(
    rf"^(?P<title>.+?)[（(](?P<number>(?:{p.DOC_NUMBER.pattern}|{p.ORDER_NUMBER.pattern}))[）)]$", regex.VERBOSE
)


def toc_lines_to_entries(lines: list[RawLine]) -> list[TocEntry]:
    """Entries are title lines closed by a line with leader dots and a page number."""
    entries: list[TocEntry] = []
    section: str | None = None
    pending: list[str] = []
    for line in lines:
        text = line.text
        if match := p.TOC_SECTION.match(text):
            section, pending = compact(match["name"]), []
            continue
        leader = p.TOC_LEADER.match(text)
        if not leader:
            pending.append(text)
            continue
        head = leader["text"].strip()
        number = canonical_doc_number(head.strip("（()）")) if head else None
        if number:
            title, raw_number = compact("".join(pending)), head.strip("（()）")
        else:
            title, raw_number = compact("".join(pending) + head), None
            # 山西省河道采砂管理办法（省政府令第310号）: the number in brackets after the title
            if bracketed := _TITLE_WITH_NUMBER.match(title):
                raw_number = bracketed["number"]
                number = canonical_doc_number(raw_number)
                title = bracketed["title"]
        entries.append(
            TocEntry(section=section, title=title, doc_number=number, doc_number_raw=raw_number, page=int(leader["page"]))
        )
        pending = []
    return entries


# ---------------------------------------------------------------------------
# Documents in the body

_BACK_MATTER = regex.compile(r"^《[^》]{2,30}公报》\s*(?:编委会|编辑委员会|编辑部|简介|征订|启事)")


@dataclass
class DocumentSpan:
    first: int  # index of the first title line
    number_line: int | None  # index of the 发文字号 line
    end: int  # index one past the last line
    toc: TocEntry | None = None


def title_start(lines: Sequence[JoinedLine | RawLine], anchor: int, floor: int) -> int:
    """Walk back from a 发文字号 line over the title lines (at most 3)."""
    start = anchor
    while start - 1 >= floor and anchor - (start - 1) <= 3 and is_title_like(lines[start - 1].text):
        start -= 1
    return start


def body_to_document_spans(lines: list[JoinedLine], toc: list[TocEntry]) -> tuple[list[DocumentSpan], list[int]]:
    """Where each document starts and ends, and the editorial pages' first lines
    (``_BACK_MATTER``: the 编委会 list, the 简介).

    An editorial page ends the document before it. Usually it is the back matter and
    nothing follows; a document anchored after it is still read (a gazette may print its
    编委会 page between the 目录 and the first document, or a file may join two runs of
    documents), so the pages are returned for ``editorial_to_context`` to report."""
    editorial = [i for i, line in enumerate(lines) if _BACK_MATTER.match(line.text)]
    spans: list[DocumentSpan] = []
    floor = 0
    for index, number_line in document_anchors(lines, toc):
        after_editorial = [i for i in editorial if floor <= i < index]
        if after_editorial:
            floor = after_editorial[-1] + 1
        first = title_start(lines, index, floor) if number_line is not None else index
        if spans and not after_editorial:
            spans[-1].end = first
        spans.append(DocumentSpan(first=first, number_line=number_line, end=_next_editorial(editorial, index, len(lines))))
        floor = index + 1
    _attach_toc_entries(spans, lines, toc)
    return spans, editorial


def _next_editorial(editorial: list[int], after: int, default: int) -> int:
    return next((i for i in editorial if i > after), default)


def spans_to_stray_and_inner_editorial(
    body: list[JoinedLine], spans: list[DocumentSpan], editorial: list[int]
) -> tuple[list[StrayLine], list[StrayLine]]:
    """The body lines before the first document that are not an editorial page (no document
    took them), and the first line of each editorial page that lies between two documents."""
    if not spans:
        return _stray(body), []
    front = [i for i in editorial if i < spans[0].first]
    stray = _stray(body[: front[0] if front else spans[0].first])
    inner = [i for i in editorial if spans[0].first < i < spans[-1].first]
    return stray, _stray([body[i] for i in inner])


def document_anchors(lines: list[JoinedLine], toc: list[TocEntry]) -> list[tuple[int, int | None]]:
    """(anchor line, 发文字号 line) of each document, in order: every line that
    is only a 发文字号; for documents without one, a full title line right after
    the previous document's signature block, and their table-of-contents title."""
    anchors: list[tuple[int, int | None]] = [
        (index, index) for index, line in enumerate(lines) if p.DOC_NUMBER_LINE.match(line.text)
    ]
    anchors += [(index, None) for index in title_anchors(lines, [i for i, _ in anchors])]
    numbered = {number_key(canonical_doc_number(lines[i].text)) for i, n in anchors if n is not None}
    for entry in toc:
        if entry.doc_number and number_key(entry.doc_number) in numbered:
            continue
        for index, line in enumerate(lines):
            if compact(line.text) == entry.title and all(a[0] != index for a in anchors):
                anchors.append((index, None))
                break
    return sorted(anchors)


def ends_document(text: str) -> bool:
    """GB/T 9704-2012 7.3.5/7.3.6: the 成文日期 (under the 发文机关署名) and the 附注
    after it are the last elements of a document's body."""
    return bool(p.DATE_LINE.match(text) or p.NOTE_LINE.match(text))


def title_anchors(lines: Sequence[JoinedLine | RawLine], number_lines: list[int]) -> list[int]:
    """Documents with no 发文字号 line: a full title (organ + 关于…的 + 文种,
    ``p.FULL_TITLE``) that follows a signature block, or opens the body, and is
    not the title above a 发文字号 already found."""
    taken = {i for n in number_lines for i in range(title_start(lines, n, 0), n + 1)}
    return [
        index for index, line in enumerate(lines)
        if index not in taken and p.FULL_TITLE.match(line.text) and (index == 0 or ends_document(lines[index - 1].text))
    ]


def number_key(number: str | None) -> tuple | None:
    """What identifies a number across its spellings: (代字, year, serial), or
    ('令', serial) for orders, whose TOC entry often shortens the organ
    (省政府令第310号 for 山西省人民政府令第310号)."""
    if not number:
        return None
    if match := p.DOC_NUMBER.fullmatch(number):
        return (match["code"], int(match["year"]), int(match["serial"]))
    if match := p.ORDER_NUMBER.fullmatch(number):
        return ("令", int(match["serial"]))
    return None


def _attach_toc_entries(spans: list[DocumentSpan], lines: list[JoinedLine], toc: list[TocEntry]) -> None:
    by_number = {number_key(entry.doc_number): entry for entry in toc if entry.doc_number}
    by_title = {entry.title: entry for entry in toc}
    for span in spans:
        if span.number_line is not None:
            span.toc = by_number.get(number_key(canonical_doc_number(lines[span.number_line].text)))
        if span.toc is None:
            title = compact("".join(line.text for line in lines[span.first : (span.number_line or span.first + 1)]))
            span.toc = by_title.get(title)


# ---------------------------------------------------------------------------
# One document


def joined_to_text(lines: list[JoinedLine]) -> tuple[str, list[Line], list[PageSpan]]:
    """Lines → the document text, each line's offsets, and page spans."""
    out_lines: list[Line] = []
    spans: list[PageSpan] = []
    offset = 0
    for joined in lines:
        start = offset
        pieces = [(0, joined.page), *joined.page_breaks]
        for piece_offset, page in pieces:
            if page is None:
                continue
            absolute = start + piece_offset
            if not spans or spans[-1].page != page:
                if spans:
                    spans[-1].end = absolute
                spans.append(PageSpan(page=page, start=absolute, end=absolute))
        out_lines.append(Line(text=joined.text, start=start, end=start + len(joined.text), page=joined.page))
        offset = start + len(joined.text) + 1
    text = "\n".join(line.text for line in out_lines)
    if spans:
        spans[-1].end = len(text)
    return text, out_lines, spans


@dataclass(frozen=True)
class Head:
    """The elements above the body (GB/T 9704-2012 7.2.4, 7.3.1, 7.3.2)."""

    raw_title: str  # 标题 as printed, lines joined by spaces ('' when there is none)
    doc_number: str | None  # 发文字号, canonical
    doc_number_raw: str | None  # 发文字号 as printed
    recipients: str | None  # 主送机关, without its colon
    end: int  # index of the first line after the head

    @property
    def title(self) -> str | None:
        return compact(self.raw_title) or None


@dataclass(frozen=True)
class Signing:
    """成文日期 (7.3.5) and the 附注 after it (7.3.6)."""

    signed_on: date | None
    precision: DatePrecision | None
    line: int | None  # index of the date line
    note: str | None


def lines_to_title(lines: list[Line], title_lines: int, number_line: int | None) -> str:
    """标题: the first ``title_lines`` lines; an order (山西省人民政府令 / 第310号 on
    one line) is titled by its own 令."""
    raw_title = " ".join(line.text for line in lines[:title_lines])
    if not raw_title and number_line == 0 and (order := p.ORDER_NUMBER.search(lines[0].text)):
        raw_title = order["code"]
    return raw_title


def line_to_doc_number(lines: list[Line], number_line: int | None) -> tuple[str | None, str | None]:
    """发文字号: (canonical, as printed) of the number line, without its brackets."""
    if number_line is None:
        return None, None
    raw = lines[number_line].text.strip().strip("（()）").strip()
    return canonical_doc_number(raw), raw


def line_to_recipients(text: str) -> str | None:
    """主送机关: a line ending in a colon right under the head (not an article or heading)."""
    if (
        text.endswith(("：", ":"))
        and len(text) < 300
        and not p.ARTICLE_START.match(text)
        and not p.HIERARCHY_HEADING.match(text)
    ):
        return text.rstrip("：:")
    return None


def lines_to_head(lines: list[Line], number_line: int | None, title_lines: int) -> Head:
    """标题, 发文字号 and 主送机关, read in the order they are printed."""
    raw_title = lines_to_title(lines, title_lines, number_line)
    doc_number, doc_number_raw = line_to_doc_number(lines, number_line)
    end = max(title_lines, (number_line + 1) if number_line is not None else 0)
    recipients = line_to_recipients(lines[end].text) if end < len(lines) else None
    if recipients is not None:
        end += 1
    return Head(raw_title=raw_title, doc_number=doc_number, doc_number_raw=doc_number_raw, recipients=recipients, end=end)


NOTE_WINDOW = 4  # the 附注 is at most this many lines below the 成文日期


def lines_to_signing(lines: list[Line], first: int) -> Signing:
    """成文日期: the first line after the head that is only a date; 附注: a
    bracketed note on that line or the few after it (after the head if undated)."""
    signed_on = precision = date_line = None
    for index in range(first, len(lines)):
        if parsed := parse_date(lines[index].text):
            (signed_on, precision), date_line = parsed, index
            break
    search_from = date_line if date_line is not None else first
    note = next(
        (match["note"] for line in lines[search_from : search_from + NOTE_WINDOW] if (match := p.NOTE_LINE.match(line.text))),
        None,
    )
    return Signing(signed_on=signed_on, precision=precision, line=date_line, note=note)


def lines_to_instrument_title(lines: list[Line], hierarchy: Hierarchy, signing: Signing, title: str | None) -> str | None:
    """The issued instrument's title: a title-like line right above its first
    chapter or article (below the 成文日期), else the 《X》 the title issues."""
    if hierarchy.articles or hierarchy.chapters:
        first_unit = min([a.start for a in hierarchy.articles[:1]] + [c.start for c in hierarchy.chapters[:1]])
        above = [line for line in lines if line.end < first_unit]
        date_start = lines[signing.line].start if signing.line is not None else -1
        if above and is_title_like(above[-1].text) and above[-1].start > date_start:
            return compact(above[-1].text)
    return instrument_from_title(title)


def page_range(
    page_spans: list[PageSpan], page_hint: tuple[int | None, int | None], text: str
) -> tuple[int | None, int | None, list[PageSpan]]:
    """First and last page, and the page spans: from the text's page breaks, or
    (text input) the table of contents' pages, the whole text on the first."""
    page_start, page_end = page_hint
    if page_spans:
        return page_spans[0].page, page_spans[-1].page, page_spans
    if page_start is not None:
        return page_start, page_end, [PageSpan(page=page_start, start=0, end=len(text))]
    return page_start, page_end, page_spans


def lines_to_document(
    joined: list[JoinedLine],
    *,
    issue_id: str,
    seq: int,
    number_line: int | None,
    title_lines: int,
    toc: TocEntry | None = None,
    page_hint: tuple[int | None, int | None] = (None, None),
) -> Document:
    """Read the elements of one document (GB/T 9704-2012 §7) and its hierarchy.

    ``number_line`` is the index of the 发文字号 line (None if it has none);
    ``title_lines`` how many lines at the top are the title.
    """
    doc_id = f"{issue_id}/d{seq:02d}"
    text, lines, page_spans = joined_to_text(joined)
    head = lines_to_head(lines, number_line, title_lines)
    printed_title = compact(" ".join(j.printed or j.text for j in joined[:title_lines])) or head.title
    signing = lines_to_signing(lines, head.end)
    hierarchy = lines_to_hierarchy(doc_id, lines, first=head.end)
    points = [] if hierarchy.articles else lines_to_points(doc_id, lines, head.end, signing.line or len(lines))
    page_start, page_end, page_spans = page_range(page_spans, page_hint, text)
    for unit in [*hierarchy.chapters, *hierarchy.sections, *hierarchy.articles, *hierarchy.clauses, *points]:
        if unit.page is None:
            unit.page = page_start

    return Document(
        doc_id=doc_id,
        issue_id=issue_id,
        seq=seq,
        section=toc.section if toc else None,
        title=printed_title,
        title_key=head.title,
        doc_number=head.doc_number,
        doc_number_raw=head.doc_number_raw,
        issuer=issuer_from_title(head.raw_title) if head.raw_title else None,
        doc_type=doc_type_from_title(head.title),
        recipients=head.recipients,
        instrument_title=lines_to_instrument_title(lines, hierarchy, signing, head.title),
        signed_on=signing.signed_on,
        signed_on_precision=signing.precision,
        note=signing.note,
        attachments=lines_to_attachments(lines, head.end),
        page_start=page_start,
        page_end=page_end,
        text=text,
        pages=page_spans,
        chapters=hierarchy.chapters,
        sections=hierarchy.sections,
        articles=hierarchy.articles,
        clauses=[*hierarchy.clauses, *points],
        warnings=list(hierarchy.warnings),
    )


_ATTACHMENT_LIST = regex.compile(r"^附\s*件\s*[:：]\s*(?P<first>.*)$")  # 附件说明: no number before the colon
_LIST_NUMBER = regex.compile(r"^\d{1,2}\s*[.．、]\s*")


def lines_to_attachments(lines: list[Line], first: int) -> list[str]:
    """附件说明 (GB/T 9704-2012 7.3.4): 附件：1.… then 2.… on the following lines."""
    for index in range(first, len(lines)):
        match = _ATTACHMENT_LIST.match(lines[index].text)
        if not match:
            continue
        items = []
        if match["first"]:
            items.append(_LIST_NUMBER.sub("", match["first"]).strip())
        for follower in lines[index + 1 :]:
            if not _LIST_NUMBER.match(follower.text):
                break
            items.append(_LIST_NUMBER.sub("", follower.text).strip())
        return [item for item in items if item]
    return []


# ---------------------------------------------------------------------------
# The whole file


def issue_id_for(cover: Cover, source_path: str) -> str:
    """'<gazette>-<year>-<number>' when the cover says so, else ``single_issue_id``."""
    if cover.found and cover.year and cover.number:
        return f"{cover.gazette}-{cover.year}-{cover.number:02d}"
    return single_issue_id(source_path)


def single_issue_id(source_path: str | Path) -> str:
    """A file holding one document: its stem plus a short hash of its folder.

    The same file changed in place keeps its id (and replaces its rows);
    two files that share a name in different folders (x/notice.txt,
    y/notice.txt) get different ids instead of replacing each other.
    """
    path = Path(source_path)
    folder = hashlib.sha1(str(path.resolve().parent).encode("utf-8")).hexdigest()[:6]
    return regex.sub(r"[\s/\\]+", "_", path.stem) + "-" + folder


@dataclass
class Segmented:
    """A file's documents as segmented, with what the self-check needs to know about them."""

    kind: str  # Issue.kind
    toc: list[TocEntry]
    documents: list[Document]
    warnings: list[str]
    toc_matches: list[int | None] = field(default_factory=list)  # per document: index of its 目录 entry
    stray_lines: list[StrayLine] = field(default_factory=list)
    inner_editorial: list[StrayLine] = field(default_factory=list)  # editorial pages between documents


def pages_to_issue(pages: list[Page], source: SourceInfo) -> Issue:
    """A file's pages → its issue: a gazette (cover, 目录, documents), several
    documents without cover or 目录, or a single document; then the self-check."""
    raw = blocks_to_raw_lines(pages)
    toc_bounds = find_toc(raw)
    cover_end = toc_bounds[0] if toc_bounds else min(len(raw), DEFAULT_COVER_LINES)
    cover = front_matter_to_metadata(raw[:cover_end])
    is_gazette = toc_bounds is not None or cover.found
    issue_id = issue_id_for(cover, source.path)
    if is_gazette:
        segmented = gazette_to_documents(raw, toc_bounds, cover, issue_id)
    else:
        segmented = collection_to_documents(raw, issue_id) or single_file_to_documents(raw, issue_id)
    context = ParseContext(issue_id=issue_id, kind=segmented.kind, toc=segmented.toc,
                           toc_matches=segmented.toc_matches, stray_lines=segmented.stray_lines,
                           inner_editorial=segmented.inner_editorial,
                           page_warnings=[(page.number, warning) for page in pages for warning in page.warnings])
    documents = segmented.documents
    return Issue(
        issue_id=issue_id,
        kind=segmented.kind,  # type: ignore[arg-type]
        gazette=cover.gazette if is_gazette else None,
        year=cover.year,
        number=cover.number,
        cumulative_number=cover.cumulative_number,
        published_on=cover.published_on,
        publisher=cover.publisher,
        source_path=source.path,
        source_sha256=source.sha256,
        source_kind=source.kind,  # type: ignore[arg-type]
        page_count=source.page_count,
        ocr_pages=list(source.ocr_pages),
        toc=segmented.toc,
        documents=documents,
        warnings=segmented.warnings + [w for d in documents for w in d.warnings],
        findings=issue_to_findings(documents, context),
    )


def single_file_to_documents(raw: list[RawLine], issue_id: str) -> Segmented:
    """A file without cover or 目录: one document, with a warning when nothing in it was recognised."""
    document = single_file_to_document(raw, issue_id)
    warnings = []
    if not document.articles and not document.doc_number and not document.title and not document.signed_on:
        warnings.append("no gazette or document structure found: loaded as one untitled document")
    return Segmented(kind="single", toc=[], documents=[document], warnings=warnings)


DEFAULT_MIN_COLLECTION = 2  # documents a file without cover or 目录 must hold to be split


def collection_to_documents(raw: list[RawLine], issue_id: str) -> Segmented | None:
    """A file of several documents and no cover or 目录 (a scanned batch of
    notices, a 政府信息公开 download): split where each document begins — its
    发文字号 line under its title, or a full title after the signature block
    (发文机关署名 + 成文日期, GB/T 9704-2012 7.3.5) that ends the one before.
    None when fewer than two titled documents are found (then it is one document)."""
    body = blocks_to_lines([line.block for line in raw])
    spans, editorial = body_to_document_spans(body, [])
    titled = [span for span in spans if span.number_line is None or span.first < span.number_line]
    if len(titled) < DEFAULT_MIN_COLLECTION:
        return None
    documents = [span_to_document(body, span, [], issue_id, seq) for seq, span in enumerate(spans, start=1)]
    stray, inner_editorial = spans_to_stray_and_inner_editorial(body, spans, editorial)
    return Segmented(kind="collection", toc=[], documents=documents, warnings=[],
                     stray_lines=stray, inner_editorial=inner_editorial)


def _stray(lines: Sequence[JoinedLine]) -> list[StrayLine]:
    return [StrayLine(text=line.text, page=line.page) for line in lines]


def gazette_to_documents(raw: list[RawLine], toc_bounds: tuple[int, int] | None, cover: Cover, issue_id: str) -> Segmented:
    """A gazette's 目录 entries, the documents of its body, and what did not add up."""
    toc = toc_lines_to_entries(raw[toc_bounds[0] + 1 : toc_bounds[1] + 1]) if toc_bounds else []
    body_start = toc_bounds[1] + 1 if toc_bounds else _first_body_line(raw)
    body = blocks_to_lines([line.block for line in raw[body_start:]])
    spans, editorial = body_to_document_spans(body, toc)
    documents = [span_to_document(body, span, toc, issue_id, seq) for seq, span in enumerate(spans, start=1)]
    warnings = []
    if toc and len(documents) != len(toc):
        warnings.append(f"table of contents lists {len(toc)} documents, body has {len(documents)}")
    if not documents:
        warnings.append("gazette cover found but no documents in the body")
    toc_index = {id(entry): index for index, entry in enumerate(toc)}
    stray, inner_editorial = spans_to_stray_and_inner_editorial(body, spans, editorial)
    return Segmented(
        kind="gazette", toc=toc, documents=documents, warnings=warnings,
        toc_matches=[toc_index.get(id(span.toc)) for span in spans],
        stray_lines=stray, inner_editorial=inner_editorial,
    )


def span_to_document(body: list[JoinedLine], span: DocumentSpan, toc: list[TocEntry], issue_id: str, seq: int) -> Document:
    """One document of a gazette's body: its title is the lines above its 发文字号 (else its first line)."""
    number_line = span.number_line - span.first if span.number_line is not None else None
    return lines_to_document(
        body[span.first : span.end], issue_id=issue_id, seq=seq, number_line=number_line,
        title_lines=number_line if number_line is not None else 1,
        toc=span.toc, page_hint=_toc_pages(span.toc, toc),
    )


def _toc_pages(entry: TocEntry | None, toc: list[TocEntry]) -> tuple[int | None, int | None]:
    """Printed pages of a document from the table of contents (text input has no pages)."""
    if entry is None or entry.page is None:
        return None, None
    later = [e.page for e in toc[toc.index(entry) + 1 :] if e.page is not None]
    end = max(entry.page, later[0] - 1) if later else entry.page
    if later and later[0] == entry.page:
        end = entry.page
    return entry.page, end


def _first_body_line(raw: list[RawLine]) -> int:
    """Without a 目录, the body begins at the first 发文字号 line's title."""
    for index, line in enumerate(raw):
        if p.DOC_NUMBER_LINE.match(line.text):
            return title_start(raw, index, 0)
    return min(len(raw), DEFAULT_COVER_LINES)


# What the title of a standalone official document ends with: a 文种
# (《党政机关公文处理工作条例》) or the name of an instrument (《立法法》,
# 《行政法规制定程序条例》第五条: 条例、规定、办法), maybe followed by (试行)/(草案).
_INSTRUMENT_TITLE_END = regex.compile(
    r"(?:" + "|".join(p.DOC_TYPES) + r"|条例|规定|办法|细则|规则|决议|章程|规划|纲要|方案|目录|标准|批复|守则|准则|制度)"
    r"(?:[（(][^）)]{1,12}[）)])?$"
)


def _looks_like_document_title(lines: list[RawLine], count: int) -> bool:
    if count == 0:
        return False
    title = compact("".join(line.text for line in lines[:count]))
    if _INSTRUMENT_TITLE_END.search(title):
        return True
    follower = lines[count].text if count < len(lines) else ""
    return bool(p.DOC_NUMBER_LINE.match(follower) or p.DATE_LINE.match(follower))


def single_file_to_document(raw: list[RawLine], issue_id: str) -> Document:
    """A file holding one document: a regulation (title, promulgation lines, articles) or a lone notice."""
    blocks_lines = [JoinedLine(text=line.text, page=line.page, printed=printed_line(line.block.text)) for line in raw]
    # Join page-break damage in the body but not in the title block.
    title_count = 0
    while title_count < min(3, len(raw)) and is_title_like(raw[title_count].text):
        title_count += 1
    if not _looks_like_document_title(raw, title_count):
        title_count = 0  # no title: the text is loaded as one untitled document
    number_line = None
    if title_count < len(raw) and p.DOC_NUMBER_LINE.match(raw[title_count].text):
        number_line = title_count
    head = blocks_lines[: title_count + (1 if number_line is not None else 0)]
    rest = blocks_to_lines([line.block for line in raw[len(head):]])  # keeps a PDF's indent hints
    document = lines_to_document(
        head + rest, issue_id=issue_id, seq=1, number_line=number_line, title_lines=max(title_count, 0)
    )
    return _promulgation_details(document)


_PROMULGATION = regex.compile(
    r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日\s*(?P<what>.*?(?:公布|发布|修订|施行|通过|批准))"
)


# A 题注 event whose order promulgates this text: its date, then the order (2018年11月6日
# 中华人民共和国国务院令第706号公布; 2018年12月18日 中华人民共和国国务院令第707号第四次修订, 个人所得税法
# 实施条例). Under 《立法法》第七十七条 and 《行政法规制定程序条例》第二十七条 a regulation is promulgated
# by an order of the State Council; a full revision is promulgated by a new order (专利代理条例: 第76号
# in 1991, 第706号 in 2018), so the latest such event gives the number and the date of the text in force.
_PROMULGATING_ORDER = regex.compile(
    rf"""(?P<date>\d{{4}}年\d{{1,2}}月\d{{1,2}}日)    # the event's date, first on its line
        [^\n《》（）()]{{0,12}}?                       # a space, at most a short issuer-free gap
        (?P<order>{p.ORDER_TEXT})                      # the order: 中华人民共和国国务院令第706号
        (?:、{p.ORDER_TEXT})*                           # a joint order's others (国家教育委员会令第10号、
                                                        # 卫生部令第1号发布, 学校卫生工作条例): the first leads
        (?=[^\S\n]*(?:(?:第[一二三四五六七八九十]+次)?(?:公布|发布|颁布|修订|修正)|$))  # …公布 / …第四次修订,
                                                        # or nothing (2017年11月22日 …令第692号, 反间谍法实施细则)
    """,
    regex.VERBOSE | regex.MULTILINE,
)


def _promulgation_details(document: Document) -> Document:
    """Regulations: 2014年11月24日 中华人民共和国国务院令第656号公布 before the articles.  Of several
    orders in the 题注 (an original and its revisions), the latest gives the number and the
    signing date (``_PROMULGATING_ORDER``); an order cited by an amending decision's title
    (根据《国务院关于修改…的决定》（国务院令第666号）修订) is not one of them."""
    first_unit = document.articles[0].start if document.articles else len(document.text)
    preamble = document.text[:first_unit]
    updates: dict = {}
    orders = list(_PROMULGATING_ORDER.finditer(preamble))
    latest = orders[-1] if orders else None
    order = p.ORDER_NUMBER.search(latest["order"] if latest else preamble)
    if document.doc_number is None and order:
        updates["doc_number_raw"] = order.group()
        updates["doc_number"] = canonical_doc_number(order.group())
        if document.issuer is None:
            updates["issuer"] = order["code"][:-1] or None
    promulgated = latest["date"] if latest else (match.group() if (match := _PROMULGATION.search(preamble)) else None)
    if document.signed_on is None and promulgated and (signed := p.date_text_to_date(promulgated)):
        updates["signed_on"], updates["signed_on_precision"] = signed
    return document.model_copy(update=updates) if updates else document
