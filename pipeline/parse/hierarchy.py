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

from dataclasses import dataclass, field

import regex

from schemas import Article, Chapter, Clause, Line, Section
from schemas import patterns as p


@dataclass
class Hierarchy:
    chapters: list[Chapter] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    end_line: int | None = None  # index of the first line after the hierarchy


def _compact(text: str) -> str:
    return "".join(text.split())


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


def lines_to_hierarchy(doc_id: str, lines: list[Line], *, first: int = 0) -> Hierarchy:
    """Find chapters, sections and articles in ``lines[first:]``, then the 款/项/目 of each article."""
    result = Hierarchy()
    lines = lines[:first] + split_inline_articles(lines[first:])
    chapter_no: int | None = None
    section_no: int | None = None
    part_no: int | None = None
    last_article: tuple[int, int] | None = None
    article_lines: list[tuple[Article, list[Line]]] = []
    open_article: tuple[Article, list[Line]] | None = None

    def close_article() -> None:
        nonlocal open_article
        if open_article is not None:
            article, body = open_article
            article.end = body[-1].end
            article.text = "\n".join(line.text for line in body)
            article_lines.append((article, body))
            open_article = None

    def close_chapter_and_section(end: int) -> None:
        if result.chapters and result.chapters[-1].end < 0:
            result.chapters[-1].end = end
        if result.sections and result.sections[-1].end < 0:
            result.sections[-1].end = end

    last_end = lines[first].start if first < len(lines) else 0
    index = first
    while index < len(lines):
        line = lines[index]
        text = line.text
        heading = p.HIERARCHY_HEADING.match(text)
        if heading:
            unit = heading["unit"]
            num = p.cn_to_int_or_none(heading["num"]) or -1  # a malformed numeral opens nothing
            title = _compact(heading["title"] or "")
            # chapters count up by one; once the document has chapters, a
            # heading may skip one (a heading lost to a bad page) but never go back
            if unit == "章" and (num == (chapter_no or 0) + 1 or (chapter_no and num > chapter_no)):
                close_article()
                close_chapter_and_section(last_end)
                chapter_no, section_no = num, None
                result.chapters.append(
                    Chapter(
                        chapter_id=f"{doc_id}/chp_{num}", part_no=part_no, chapter_no=num,
                        label=f"第{heading['num']}章", title=title, start=line.start, end=-1, page=line.page,
                    )
                )
                last_end = line.end
                index += 1
                continue
            if unit == "节" and num == (section_no or 0) + 1:
                close_article()
                if result.sections and result.sections[-1].end < 0:
                    result.sections[-1].end = last_end
                section_no = num
                prefix = f"{doc_id}/chp_{chapter_no}" if chapter_no else doc_id
                result.sections.append(
                    Section(
                        section_id=f"{prefix}/sec_{num}", chapter_no=chapter_no, section_no=num,
                        label=f"第{heading['num']}节", title=title, start=line.start, end=-1, page=line.page,
                    )
                )
                last_end = line.end
                index += 1
                continue
            if unit == "编" and num == (part_no or 0) + 1:
                close_article()
                part_no = num
                last_end = line.end
                index += 1
                continue

        start = p.ARTICLE_START.match(text)
        if start:
            num = p.cn_to_int_or_none(start["num"]) or -1
            sub = (p.cn_to_int_or_none(start["sub"]) or -1) if start["sub"] else None
            strong = bool(start["sep"].strip() == "" and start["sep"])
            if is_next_article(last_article, num, sub, strong=strong):
                if last_article and sub is None and num > last_article[0] + 1:
                    result.warnings.append(f"{doc_id}: article numbers jump from {last_article[0]} to {num}")
                close_article()
                last_article = _article_key(num, sub)
                label = f"第{start['num']}条" + (f"之{start['sub']}" if sub else "")
                suffix = f"-{sub}" if sub else ""
                article = Article(
                    article_id=f"{doc_id}/art_{num}{suffix}", chapter_no=chapter_no, section_no=section_no,
                    article_no=num, sub_no=sub, label=label, text="", start=line.start, end=line.end, page=line.page,
                )
                open_article = (article, [line])
                last_end = line.end
                index += 1
                continue

        if open_article is not None:
            if p.ATTACHMENT_START.match(text) or _starts_signature(lines, index):
                # 附件说明 or the signature block (发文机关署名 + 成文日期) ends the articles
                close_article()
                result.end_line = index
                break
            open_article[1].append(line)
            last_end = line.end
        index += 1

    close_article()
    close_chapter_and_section(last_end)
    for article, body in article_lines:
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


def lines_to_points(doc_id: str, lines: list[Line], first: int, last: int) -> list[Clause]:
    """The numbered points of a notice without articles: 一、 → （一） → 1.

    A point opens only when its number follows the previous one at its level,
    so a sentence that happens to begin with 1、 inside running text does not
    open a point out of sequence.
    """
    clauses: list[Clause] = []
    open_at: dict[str, Clause | None] = {"point": None, "subpoint": None, "subsubpoint": None}
    levels = (("point", p.CN_POINT), ("subpoint", p.PAREN_ITEM), ("subsubpoint", p.DIGIT_ITEM))
    for line in lines[first:last]:
        placed = False
        for depth, (kind, pattern) in enumerate(levels):
            match = pattern.match(line.text)
            if not match:
                continue
            number = p.cn_to_int_or_none(match["num"])
            if number is None:
                continue
            parent = None
            for parent_kind, _ in reversed(levels[:depth]):
                if open_at[parent_kind] is not None:
                    parent = open_at[parent_kind]
                    break
            siblings = [c for c in clauses if c.kind == kind and c.parent_id == (parent.clause_id if parent else None)]
            expected = siblings[-1].number + 1 if siblings else 1
            if number != expected:
                continue
            base = parent.clause_id if parent else doc_id
            short = {"point": "pt", "subpoint": "sub", "subsubpoint": "subsub"}[kind]
            clause = Clause(
                clause_id=f"{base}/{short}_{number}", article_id=None,
                parent_id=parent.clause_id if parent else None, kind=kind, number=number,
                label=match.group(), text=line.text, start=line.start, end=line.end, page=line.page,
            )
            clauses.append(clause)
            open_at[kind] = clause
            for deeper, _ in levels[depth + 1:]:
                open_at[deeper] = None
            for ancestor_kind, _ in levels[:depth]:
                if open_at[ancestor_kind] is not None:
                    _extend(open_at[ancestor_kind], line)
            placed = True
            break
        if not placed:
            for kind, _ in levels:
                if open_at[kind] is not None:
                    _extend(open_at[kind], line)
    return unique_ids(clauses)
