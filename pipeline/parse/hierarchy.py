"""A document's lines → its hierarchy: 编/章/节/条/款/项/目, or the points of a notice.

《立法法》第六十五条: 编、章、节、条 are numbered in Chinese numerals; 款 are
unnumbered paragraphs; 项 are numbered （一）; 目 are numbered 1.  Amending
documents insert 第X条之一.

A line only opens a chapter or an article when its number is the next one in
sequence.  That keeps a page-break artefact (a line that happens to start with
第三十条规定…) or a mention (《规划纲要》第三章) from creating a unit, and is
how a reader of the printed page decides too.  Text the parser cannot place
stays in the document text; nothing is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import regex

from schemas import Article, Chapter, Clause, Line, Section
from schemas import patterns as p
from schemas.patterns import compact


@dataclass
class Hierarchy:
    chapters: list[Chapter] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _article_key(num: int, sub: int | None) -> tuple[int, int]:
    return (num, sub or 0)


def is_next_article(previous: tuple[int, int] | None, num: int, sub: int | None, *, strong: bool) -> bool:
    """第N条 follows 第N-1条 (or any first article); 第N条之k follows 第N条之k-1.

    A ``strong`` heading (label followed by a space, as laid out in print) may
    also skip numbers — a lost page must not swallow every later article —
    but never goes backwards.
    """
    if previous is None:
        return sub is None
    prev_num, prev_sub = previous
    if sub is None:
        return num == prev_num + 1 or (strong and num > prev_num + 1)
    return num == prev_num and sub == prev_sub + 1


# Articles run together on one line, separated by a space after the previous
# sentence: `…制定本规则。 第二条 凡辖有…` (the corpus's 飞行基本规则 lost its line breaks).
INLINE_ARTICLE = regex.compile(rf"(?<=[。；;：:！？”）)])[ \u3000]+(?=第{p.NUM}条(?:之{p.CN_NUM})?[ \u3000])")


def split_inline_articles(lines: list[Line]) -> list[Line]:
    """Split lines that hold several articles into one line per article (offsets kept)."""
    out: list[Line] = []
    for line in lines:
        cuts = [m for m in INLINE_ARTICLE.finditer(line.text)]
        if not cuts:
            out.append(line)
            continue
        begin = 0
        for cut in cuts:
            piece = line.text[begin : cut.start()]
            if piece:
                out.append(Line(text=piece, start=line.start + begin, end=line.start + cut.start(), page=line.page))
            begin = cut.end()
        out.append(Line(text=line.text[begin:], start=line.start + begin, end=line.end, page=line.page))
    return out


# ---------------------------------------------------------------------------
# 编, 章, 节: the divisions above the articles


@dataclass(frozen=True)
class DivisionHeading:
    """A 第X编/章/节 heading line that opens a division."""

    num: int
    label: str  # 第一章, as printed
    title: str  # 总则 (spaces removed)
    line: Line


Numbers = dict[str, int | None]  # the open division of each kind: 编/章/节 → its number
BuildDivision = Callable[[str, DivisionHeading, Numbers], Chapter | Section]


def _chapter(doc_id: str, heading: DivisionHeading, numbers: Numbers) -> Chapter:
    return Chapter(
        chapter_id=f"{doc_id}/chp_{heading.num}", part_no=numbers["编"], chapter_no=heading.num,
        label=heading.label, title=heading.title, start=heading.line.start, end=-1, page=heading.line.page,
    )


def _section(doc_id: str, heading: DivisionHeading, numbers: Numbers) -> Section:
    chapter_no = numbers["章"]
    prefix = f"{doc_id}/chp_{chapter_no}" if chapter_no else doc_id
    return Section(
        section_id=f"{prefix}/sec_{heading.num}", chapter_no=chapter_no, section_no=heading.num,
        label=heading.label, title=heading.title, start=heading.line.start, end=-1, page=heading.line.page,
    )


@dataclass(frozen=True)
class DivisionKind:
    """One kind of division: how its headings are numbered and what they open."""

    unit: str  # the character after the number: 第一编 / 第一章 / 第一节
    parent: str | None  # the kind whose opening closes this one and restarts its numbering
    may_skip: bool  # a heading may skip numbers (a heading lost to a bad page), never go back
    build: BuildDivision | None  # the record a heading opens; None: the division is only counted

    def follows(self, previous: int | None, num: int) -> bool:
        """Whether heading number ``num`` may come after ``previous`` (None: the first of its kind).

        A kind that may skip may also open at a later number than 一: a
        regulation whose 第一章 line was lost keeps 第二章 … 第六章 (the
        self-check reports the gap) instead of losing every chapter."""
        return num == (previous or 0) + 1 or (self.may_skip and num > (previous or 0))


# 编 are counted (a chapter records its part) but close nothing: chapters are
# numbered through the whole law.  A 节 lives inside a 章.
DIVISIONS: dict[str, DivisionKind] = {
    kind.unit: kind
    for kind in (
        DivisionKind(unit="编", parent=None, may_skip=False, build=None),
        DivisionKind(unit="章", parent=None, may_skip=True, build=_chapter),
        DivisionKind(unit="节", parent="章", may_skip=False, build=_section),
    )
}


def _within(unit: str) -> list[str]:
    """``unit`` and every kind nested inside it (章 → 章, 节)."""
    return [unit] + [inner for inner, kind in DIVISIONS.items() if kind.parent == unit for inner in _within(inner)]


# ---------------------------------------------------------------------------
# One pass over the lines


@dataclass
class _Walk:
    """The state of one pass: open divisions, the open article and what is done."""

    doc_id: str
    last_end: int  # end offset of the last line placed in a unit
    numbers: Numbers = field(default_factory=lambda: dict.fromkeys(DIVISIONS))
    divisions: dict[str, list] = field(default_factory=lambda: {unit: [] for unit in DIVISIONS})
    last_article: tuple[int, int] | None = None
    article: tuple[Article, list[Line]] | None = None  # the open article and its lines
    articles: list[tuple[Article, list[Line]]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def open_division(self, line: Line) -> bool:
        """Open a 编/章/节 if ``line`` is its heading and its number is the next one."""
        heading = p.HIERARCHY_HEADING.match(line.text)
        if not heading:
            return False
        kind = DIVISIONS[heading["unit"]]
        num = p.cn_to_int_or_none(heading["num"]) or -1  # a malformed numeral opens nothing
        if not kind.follows(self.numbers[kind.unit], num):
            return False
        self.close_article()
        self.close_divisions(_within(kind.unit), self.last_end)
        for inner in _within(kind.unit):
            self.numbers[inner] = None
        self.numbers[kind.unit] = num
        if kind.build is not None:
            label = f"第{heading['num']}{kind.unit}"
            found = DivisionHeading(num=num, label=label, title=compact(heading["title"] or ""), line=line)
            self.divisions[kind.unit].append(kind.build(self.doc_id, found, self.numbers))
        return True

    def close_divisions(self, units: list[str], end: int) -> None:
        for unit in units:
            opened = self.divisions[unit]
            if opened and opened[-1].end < 0:
                opened[-1].end = end

    def open_article(self, line: Line) -> bool:
        """Open an article if ``line`` starts with 第X条 and X is the next number."""
        start = p.ARTICLE_START.match(line.text)
        if not start:
            return False
        num = p.cn_to_int_or_none(start["num"]) or -1
        sub = (p.cn_to_int_or_none(start["sub"]) or -1) if start["sub"] else None
        strong = bool(start["sep"].strip() == "" and start["sep"])
        if not is_next_article(self.last_article, num, sub, strong=strong):
            return False
        if self.last_article and sub is None and num > self.last_article[0] + 1:
            self.warnings.append(f"{self.doc_id}: article numbers jump from {self.last_article[0]} to {num}")
        self.close_article()
        self.last_article = _article_key(num, sub)
        label = f"第{start['num']}条" + (f"之{start['sub']}" if sub else "")
        suffix = f"-{sub}" if sub else ""
        article = Article(
            article_id=f"{self.doc_id}/art_{num}{suffix}", chapter_no=self.numbers["章"], section_no=self.numbers["节"],
            article_no=num, sub_no=sub, label=label, text="", start=line.start, end=line.end, page=line.page,
        )
        self.article = (article, [line])
        return True

    def close_article(self) -> None:
        if self.article is not None:
            article, body = self.article
            article.end = body[-1].end
            article.text = "\n".join(line.text for line in body)
            self.articles.append(self.article)
            self.article = None


def lines_to_hierarchy(doc_id: str, lines: list[Line], *, first: int = 0) -> Hierarchy:
    """Find chapters, sections and articles in ``lines[first:]``, then the 款/项/目 of each article."""
    lines = lines[:first] + split_inline_articles(lines[first:])
    walk = _Walk(doc_id=doc_id, last_end=lines[first].start if first < len(lines) else 0)
    for index in range(first, len(lines)):
        line = lines[index]
        if walk.open_division(line) or walk.open_article(line):
            walk.last_end = line.end
        elif walk.article is not None:
            if p.ATTACHMENT_START.match(line.text) or _starts_signature(lines, index):
                break  # 附件说明 or the signature block (发文机关署名 + 成文日期) ends the articles
            walk.article[1].append(line)
            walk.last_end = line.end
    walk.close_article()
    walk.close_divisions(list(DIVISIONS), walk.last_end)

    result = Hierarchy(chapters=walk.divisions["章"], sections=walk.divisions["节"], warnings=walk.warnings)
    for article, body in walk.articles:
        result.articles.append(article)
        result.clauses.extend(article_to_clauses(doc_id, article, body))
    result.clauses = unique_ids(result.clauses)
    return result


def _starts_signature(lines: list[Line], index: int) -> bool:
    """An issuer line followed by a date line, or a date line alone, closes the body."""
    text = lines[index].text
    if p.DATE_LINE.match(text):
        return True
    if index + 1 < len(lines) and p.DATE_LINE.match(lines[index + 1].text):
        return len(text) <= 40 and not p.ends_sentence(text)
    return False


def article_to_clauses(doc_id: str, article: Article, body: list[Line]) -> list[Clause]:
    """款 are the article's paragraphs; 项 （一） hang under the 款 before them; 目 1. under the 项."""
    clauses: list[Clause] = []
    paragraph: Clause | None = None
    item: Clause | None = None
    paragraph_count = 0
    for position, line in enumerate(body):
        text = line.text
        if position == 0:
            label_end = p.ARTICLE_START.match(text).end()
            offset = line.start + label_end
            text = text[label_end:]
        else:
            offset = line.start
        item_match = p.PAREN_ITEM.match(text) if position else None
        digit_match = p.DIGIT_ITEM.match(text) if position else None
        if item_match and paragraph is not None and p.cn_to_int_or_none(item_match["num"]):
            number = p.cn_to_int(item_match["num"])
            item = Clause(
                clause_id=f"{paragraph.clause_id}/item_{number}", article_id=article.article_id,
                parent_id=paragraph.clause_id, kind="item", number=number, label=item_match.group(),
                text=text, start=offset, end=line.end, page=line.page,
            )
            clauses.append(item)
            _extend(paragraph, line)
        elif digit_match and paragraph is not None:
            number = int(digit_match["num"])
            parent = item or paragraph
            sub = Clause(
                clause_id=f"{parent.clause_id}/sub_{number}", article_id=article.article_id,
                parent_id=parent.clause_id, kind="subitem", number=number, label=digit_match.group(),
                text=text, start=offset, end=line.end, page=line.page,
            )
            clauses.append(sub)
            if item is not None:
                _extend(item, line)
            _extend(paragraph, line)
        else:
            paragraph_count += 1
            item = None
            paragraph = Clause(
                clause_id=f"{article.article_id}/para_{paragraph_count}", article_id=article.article_id,
                parent_id=None, kind="paragraph", number=paragraph_count, label=None,
                text=text, start=offset, end=line.end, page=line.page,
            )
            clauses.append(paragraph)
    return clauses


def unique_ids(clauses: list[Clause]) -> list[Clause]:
    """Clause ids are keys: a number written twice under one parent (a list
    restarting at 1.) gets a ~2, ~3 suffix rather than a duplicate id, and the
    clauses below it follow their parent's new id.  Clauses come in document
    order, so a parent is always renamed before its children."""
    seen: dict[str, int] = {}
    renamed: dict[str, str] = {}  # id as built → id given, for the latest clause built with it
    for clause in clauses:
        built = clause.clause_id
        if clause.parent_id in renamed:
            clause.parent_id = renamed[clause.parent_id]
            clause.clause_id = clause.parent_id + built[built.rindex("/"):]
        count = seen.get(clause.clause_id, 0) + 1
        seen[clause.clause_id] = count
        if count > 1:
            clause.clause_id = f"{clause.clause_id}~{count}"
        if clause.clause_id != built:
            renamed[built] = clause.clause_id
        else:
            renamed.pop(built, None)
    return clauses


def _extend(clause: Clause, line: Line) -> None:
    clause.text = clause.text + "\n" + line.text
    clause.end = line.end


@dataclass(frozen=True)
class PointLevel:
    """One level of a notice's numbered points."""

    kind: str  # Clause.kind
    pattern: regex.Pattern  # the line-start marker, with its number in group ``num``
    short: str  # the id segment: pt_1, sub_1, subsub_1


POINT_LEVELS = (
    PointLevel(kind="point", pattern=p.CN_POINT, short="pt"),  # 一、
    PointLevel(kind="subpoint", pattern=p.PAREN_ITEM, short="sub"),  # （一）
    PointLevel(kind="subsubpoint", pattern=p.DIGIT_ITEM, short="subsub"),  # 1.
)


@dataclass
class _Points:
    """The points found so far and the open point at each level."""

    doc_id: str
    clauses: list[Clause] = field(default_factory=list)
    open_at: dict[str, Clause | None] = field(default_factory=lambda: dict.fromkeys(level.kind for level in POINT_LEVELS))

    def place(self, line: Line) -> None:
        """Open a point at the first level whose marker starts ``line`` in
        sequence; otherwise the line continues every open point."""
        for depth, level in enumerate(POINT_LEVELS):
            if (clause := self._next_point(level, depth, line)) is not None:
                self._open(clause, depth, line)
                return
        self._extend_open(POINT_LEVELS, line)

    def _next_point(self, level: PointLevel, depth: int, line: Line) -> Clause | None:
        """The point ``line`` opens at ``level``, if its number is the next one under the open parent."""
        match = level.pattern.match(line.text)
        number = p.cn_to_int_or_none(match["num"]) if match else None
        if number is None:
            return None
        parent = next((self.open_at[a.kind] for a in reversed(POINT_LEVELS[:depth]) if self.open_at[a.kind] is not None), None)
        parent_id = parent.clause_id if parent else None
        siblings = [c for c in self.clauses if c.kind == level.kind and c.parent_id == parent_id]
        if number != (siblings[-1].number + 1 if siblings else 1):
            return None
        return Clause(
            clause_id=f"{parent_id or self.doc_id}/{level.short}_{number}", article_id=None,
            parent_id=parent_id, kind=level.kind, number=number,
            label=match.group(), text=line.text, start=line.start, end=line.end, page=line.page,
        )

    def _open(self, clause: Clause, depth: int, line: Line) -> None:
        self.clauses.append(clause)
        self.open_at[clause.kind] = clause
        for deeper in POINT_LEVELS[depth + 1 :]:
            self.open_at[deeper.kind] = None
        self._extend_open(POINT_LEVELS[:depth], line)

    def _extend_open(self, levels: tuple[PointLevel, ...], line: Line) -> None:
        for level in levels:
            if (clause := self.open_at[level.kind]) is not None:
                _extend(clause, line)


def lines_to_points(doc_id: str, lines: list[Line], first: int, last: int) -> list[Clause]:
    """The numbered points of a notice without articles: 一、 → （一） → 1.

    A point opens only when its number follows the previous one at its level,
    so a sentence that happens to begin with 1、 inside running text does not
    open a point out of sequence.
    """
    points = _Points(doc_id=doc_id)
    for line in lines[first:last]:
        points.place(line)
    return unique_ids(points.clauses)
