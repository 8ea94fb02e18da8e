"""Tables in the text: rows of tab-separated cells become doc_tables rows.

The text layer of a PDF table (忻政办函〔2024〕68号's indicator table, the forms
attached to 忻政办发〔2024〕40号) comes out one row per line with the cells
separated by tabs.  A run of such lines is one table; each cell becomes a record
(table_no, row_no, col_no from 1, cell text) with its offsets, so the entity
extractors can leave these lines alone (``_common.table_line_spans``).
"""

from __future__ import annotations

import regex

from extractors.common import make_record, table_line_spans
from schemas import Document
from schemas.records_entities import TableCellRecord

KIND = "doc_tables"
EXTRACTOR = "tables/v1"
# ``5 森林覆盖率（%）``: the text layer sometimes joins a row's 序号 and its first
# cell with a space where other rows have a tab (``7\t湿地保护率（%）``).
JOINED_SERIAL = regex.compile(r"(?P<serial>\d{1,3})[ \u3000]+(?=\S)")


def line_to_cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each cell of the table line ``text[start:end]``, stripped; empty cells kept."""
    cells = []
    col_start = start
    for index, cell in enumerate(text[start:end].split("\t")):
        cell_end = col_start + len(cell)
        lead = len(cell) - len(cell.lstrip())
        trail = len(cell) - len(cell.rstrip())
        a, b = col_start + lead, max(col_start + lead, cell_end - trail)
        joined = JOINED_SERIAL.match(text, a, b) if index == 0 else None
        if joined:
            cells.append((a, a + len(joined["serial"])))
            a = joined.end()
        cells.append((a, b))
        col_start = cell_end + 1
    return cells


def rows_to_tables(text: str) -> list[list[tuple[int, int]]]:
    """Group table lines into tables: consecutive tab lines (no other line between)."""
    tables: list[list[tuple[int, int]]] = []
    previous_end = None
    for start, end in table_line_spans(text):
        if previous_end is not None and start == previous_end + 1:
            tables[-1].append((start, end))
        else:
            tables.append([(start, end)])
        previous_end = end
    return tables


def extract(document: Document) -> list[TableCellRecord]:
    text = document.text
    records = []
    for table_no, rows in enumerate(rows_to_tables(text), start=1):
        for row_no, (line_start, line_end) in enumerate(rows, start=1):
            for col_no, (a, b) in enumerate(line_to_cells(text, line_start, line_end), start=1):
                if a < b:
                    records.append(make_record(
                        TableCellRecord, document, a, b, EXTRACTOR,
                        table_no=table_no, row_no=row_no, col_no=col_no, text=text[a:b],
                    ))
    return records
