"""Plain text (a .txt file, or text extracted from a PDF elsewhere) → Pages of one-line Blocks.

Decoding lives in ``pipeline.read.sources.read_text``; cleaning characters and
repairing broken lines is the parse layer's job (``pipeline.parse.normalize``).
"""

from __future__ import annotations

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


def text_to_issue_lines(text: str) -> list[tuple[int, str]]:
    """Where each issue in ``text`` starts: (line number, '2024年第5期') of its first masthead.

    A masthead starts a new issue when its 期号 differs from the current issue's, or when a
    目录 heading has come since the current issue's masthead (the same issue twice over);
    a cover and an inner title page repeating the masthead before the 目录 are one issue."""
    lines = [(number, regex.sub(r"[\s\u3000]+", "", line)) for number, line in enumerate(text.splitlines(), start=1)]
    lines = [(number, line) for number, line in lines if line]
    starts: list[tuple[int, str]] = []
    current: tuple[int, int] | None = None
    toc_seen = False
    for index, (number, line) in enumerate(lines):
        if _TOC_LINE.match(line):
            toc_seen = True
            continue
        match = _ISSUE_LINE.match(line)
        if not match or not any(_GAZETTE_NAME_LINE.match(earlier) for _, earlier in lines[max(0, index - MASTHEAD_WINDOW):index]):
            continue
        key = (int(match["year"]), int(match["number"]))
        if key != current or toc_seen:
            starts.append((number, f"{key[0]}年第{key[1]}期"))
            current, toc_seen = key, False
    return starts


def check_single_issue(text: str) -> None:
    """Refuse a text holding two or more issues (``MultipleIssuesError``): the parser reads one
    issue per file and would load the first alone, silently dropping the rest."""
    issues = text_to_issue_lines(text)
    if len(issues) > 1:
        where = ", ".join(f"{label} at line {number}" for number, label in issues)
        raise MultipleIssuesError(f"holds {len(issues)} gazette issues ({where}): split it into one file per issue")
