"""Warehouse tables for what the PDF reader learnt per page, OCR included.

``pages``: one row per physical page of a PDF source — columns, printed page
number, whether its text came from OCR, the OCR confidence and a
``low_confidence`` flag for pages an analyst should check against the scan.

``ocr_lines``: every line the OCR recognised, with its box on the page and its
confidence: the provenance of OCR'd text (find the line an extracted record
came from by page and text).

Both are replaced per issue (``issue_id``) by the transactional load.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, Integer, String, Table

from schemas.models import Issue
from schemas.tables import PostLoadStep, RowBuilder, View, metadata

pages = Table(
    "pages",
    metadata,
    Column("issue_id", String, comment="Issue (source file) the page belongs to."),
    Column("page", Integer, comment="Physical page in the source PDF, from 1."),
    Column("printed_number", Integer, comment="Page number printed in the footer (— 3 —), NULL where none was found."),
    Column("column_count", Integer, comment="Text columns found on the page: 1 or 2."),
    Column("ocr", Boolean, comment="True when the page's text came from OCR (no usable text layer, or OCR forced)."),
    Column("ocr_confidence", Float, comment="Mean OCR line confidence (0–1) weighted by characters; NULL for text-layer pages."),
    Column(
        "low_confidence",
        Boolean,
        comment="True for an OCR'd page whose confidence is below pipeline.read.ocr.DEFAULT_LOW_CONFIDENCE (0.9) or that yielded no text: check it against the scan.",
    ),
    Column("ocr_lines", Integer, comment="Number of lines the OCR recognised on the page (0 for text-layer pages)."),
    comment="One row per physical page of a PDF source: layout facts and OCR quality.",
)

ocr_lines = Table(
    "ocr_lines",
    metadata,
    Column("issue_id", String, comment="Issue (source file) the line belongs to."),
    Column("page", Integer, comment="Physical page in the source PDF, from 1."),
    Column("line_no", Integer, comment="Order of the line in the recogniser's output on that page, from 1."),
    Column("text", String, comment="Recognised text of the line."),
    Column("x0", Float, comment="Left edge of the line's box, in PDF points from the left of the page."),
    Column("top", Float, comment="Top edge of the line's box, in PDF points from the top of the page."),
    Column("x1", Float, comment="Right edge of the line's box, in PDF points from the left of the page."),
    Column("bottom", Float, comment="Bottom edge of the line's box, in PDF points from the top of the page."),
    Column("confidence", Float, comment="Recogniser's confidence for the line (0–1)."),
    comment="Lines recognised by OCR with their boxes: provenance of text that did not come from a text layer.",
)


def page_rows(issue: Issue) -> list[dict]:
    return [
        {
            "issue_id": issue.issue_id,
            "page": info.page,
            "printed_number": info.printed_number,
            "column_count": info.columns,
            "ocr": info.ocr,
            "ocr_confidence": info.ocr_confidence,
            "low_confidence": info.low_confidence,
            "ocr_lines": len(info.ocr_lines),
        }
        for info in issue.pages
    ]


def ocr_line_rows(issue: Issue) -> list[dict]:
    return [
        {
            "issue_id": issue.issue_id,
            "page": info.page,
            "line_no": number,
            "text": line.text,
            "x0": line.x0,
            "top": line.top,
            "x1": line.x1,
            "bottom": line.bottom,
            "confidence": line.confidence,
        }
        for info in issue.pages
        for number, line in enumerate(info.ocr_lines, start=1)
    ]


ROW_BUILDERS: dict[str, RowBuilder] = {pages.name: page_rows, ocr_lines.name: ocr_line_rows}
VIEWS: tuple[View, ...] = ()
POST_LOAD: tuple[PostLoadStep, ...] = ()
