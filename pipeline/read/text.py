"""Plain text (a .txt file, or text extracted from a PDF elsewhere) → Pages of one-line Blocks.

Decoding lives in ``pipeline.read.sources.read_text``; cleaning characters and
repairing broken lines is the parse layer's job (``pipeline.parse.normalize``).
"""

from __future__ import annotations

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
