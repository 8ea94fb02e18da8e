"""Plain text (a .txt file, or text extracted from a PDF elsewhere) → Pages of one-line Blocks.

Decoding lives in ``pipeline.read.sources.read_text``; cleaning characters and
repairing broken lines is the parse layer's job (``pipeline.parse.normalize``).
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from schemas import Block, Page


def text_to_pages(text: str) -> list[Page]:
    """Plain text → pages.  Form feeds separate pages where a converter kept
    them; otherwise the text is one page of unknown number (page 0 is not
    used: pages are None until the table of contents tells them)."""
    chunks = text.split("\f") if "\f" in text else [text]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        page_no = number if len(chunks) > 1 else None
        blocks = [Block(text=line, page=page_no) for line in chunk.splitlines() if line.strip()]
        pages.append(Page(number=number, blocks=blocks))
    return pages


# --- one issue per file ------------------------------------------------------------

# A gazette's masthead (刊头): the gazette's name on a line of its own, ending in 公报
# (e.g. 忻州市人民政府公报), and within a few lines the issue line, 年份 + 期号
# (2024年第5期), alone on its line save an optional cumulative number in brackets
# ((总第57期), （总第三百期）).
_GAZETTE_NAME_LINE = regex.compile(r"^\p{Han}{2,30}公报$")
_ISSUE_LINE = regex.compile(
    r"""^(?P<year>(?:19|20)\d{2})年第(?P<number>\d{1,3})期   # 年份 and 期号, as the masthead prints them
        (?:[(（]总第[^)）]{1,8}期[)）])?$                       # optional (总第N期), Arabic or Chinese numerals
    """,
    regex.VERBOSE,
)
_TOC_LINE = regex.compile(r"^目录$")  # the 目录 heading, spaces removed
MASTHEAD_WINDOW = 8  # non-empty lines between the gazette's name and its issue line


class MultipleIssuesError(ValueError):
    """A text file holds more than one gazette issue; the message is one line for the user."""


def lines_to_issue_starts(lines: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Where each issue starts among ``lines`` of (location, text): (location, '2024年第5期')
    of the first masthead of each issue.

    A masthead starts a new issue when its 期号 differs from the current issue's, or when a
    目录 heading has come since the current issue's masthead (the same issue twice over);
    a cover and an inner title page repeating the masthead before the 目录 are one issue."""
    compacted = [(where, regex.sub(r"[\s\u3000]+", "", text)) for where, text in lines]
    compacted = [(where, text) for where, text in compacted if text]
    starts: list[tuple[str, str]] = []
    current: tuple[int, int] | None = None
    toc_seen = False
    for index, (where, line) in enumerate(compacted):
        if _TOC_LINE.match(line):
            toc_seen = True
            continue
        match = _ISSUE_LINE.match(line)
        if not match or not any(_GAZETTE_NAME_LINE.match(text) for _, text in compacted[max(0, index - MASTHEAD_WINDOW):index]):
            continue
        key = (int(match["year"]), int(match["number"]))
        if key != current or toc_seen:
            starts.append((where, f"{key[0]}年第{key[1]}期"))
            current, toc_seen = key, False
    return starts


def text_to_issue_lines(text: str) -> list[tuple[str, str]]:
    """``lines_to_issue_starts`` over a text file's lines: ('line 9', '2024年第5期')."""
    return lines_to_issue_starts((f"line {number}", line) for number, line in enumerate(text.splitlines(), start=1))


def pages_to_issue_lines(pages: list[Page]) -> list[tuple[str, str]]:
    """``lines_to_issue_starts`` over a PDF's blocks: ('page 3', '2024年第5期')."""
    return lines_to_issue_starts((f"page {block.page or page.number}", block.text) for page in pages for block in page.blocks)


def check_single_issue(starts: list[tuple[str, str]]) -> None:
    """Refuse a file holding two or more issues (``MultipleIssuesError``), given where its
    issues start: the parser reads one issue per file and would load the first alone,
    silently dropping the rest."""
    if len(starts) > 1:
        where = ", ".join(f"{label} at {location}" for location, label in starts)
        raise MultipleIssuesError(f"holds {len(starts)} gazette issues ({where}): split it into one file per issue")
