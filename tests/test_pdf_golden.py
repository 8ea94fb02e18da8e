"""The PDF path gives the same issue as the text path.

The sample text is rendered into a two-column A4 PDF with a running header
and page numbers (tests/fixtures/make_pdf.py), read back through
``source_to_issue`` and projected with the golden projection of
tests/test_golden.py; the projection must equal the hand-written expected
file, document by document.  Below the projection, the number of clauses
(款/项/目) per article is compared with the text path's.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipeline.ingest import source_to_issue
from pipeline.read.sources import source_of
from schemas import Issue
from tests.conftest import FIXTURES
from tests.fixtures.make_pdf import DEFAULT_TXT, render_sample_pdf
from tests.test_golden import issue_to_golden

EXPECTED = FIXTURES / "xinzhou-2024-05.expected.json"
# One article of 196 still differs: 第六条 of 忻政办发〔2024〕38号, where the
# re-typeset text breaks a page right after "。" and the next page's first
# line ("如") is a continuation that only its missing indent tells apart;
# normalize does not join after a full stop (see the report in the PR).
MAX_CLAUSE_MISMATCHES = 1


@pytest.fixture(scope="session")
def sample_pdf_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_sample_pdf(DEFAULT_TXT, tmp_path_factory.mktemp("pdf_golden") / "xinzhou-2024-05.pdf")


@pytest.fixture(scope="session")
def pdf_issue(sample_pdf_path: Path) -> Issue:
    return source_to_issue(source_of(sample_pdf_path))


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def test_issue_fields_match(pdf_issue: Issue, expected: dict) -> None:
    assert issue_to_golden(pdf_issue)["issue"] == expected["issue"]


def test_same_documents(pdf_issue: Issue, expected: dict) -> None:
    got = issue_to_golden(pdf_issue)["documents"]
    assert [d["doc_number"] for d in got] == [d["doc_number"] for d in expected["documents"]]


@pytest.mark.parametrize("index", range(len(json.loads(EXPECTED.read_text(encoding="utf-8"))["documents"])))
def test_document_matches_golden(pdf_issue: Issue, expected: dict, index: int) -> None:
    """Titles, numbers, dates, attachments, chapter and article counts."""
    want = expected["documents"][index]
    got = issue_to_golden(pdf_issue)["documents"][index]
    assert got == want


def test_clauses_per_article_match_text_path(pdf_issue: Issue, sample_issue: Issue) -> None:
    mismatches = []
    total = 0
    for text_doc, pdf_doc in zip(sample_issue.documents, pdf_issue.documents, strict=True):
        want = Counter(c.article_id for c in text_doc.clauses)
        got = Counter(c.article_id for c in pdf_doc.clauses)
        for key in sorted(set(want) | set(got), key=str):
            total += 1
            if want[key] != got[key]:
                mismatches.append((key, want[key], got[key]))
    print(f"clause counts per article (or per document without articles): {total - len(mismatches)}/{total} match")
    assert total > 150
    assert len(mismatches) <= MAX_CLAUSE_MISMATCHES, mismatches


def test_document_text_matches_text_path(pdf_issue: Issue, sample_issue: Issue) -> None:
    """Same characters in the same order, line breaks aside."""
    for text_doc, pdf_doc in zip(sample_issue.documents, pdf_issue.documents, strict=True):
        assert re.sub(r"\s", "", pdf_doc.text) == re.sub(r"\s", "", text_doc.text), text_doc.doc_number


def test_renderer_drops_no_character(sample_pdf_path: Path) -> None:
    """Every character of the text is in the PDF's text layer (reportlab drops
    a cell's text when the cell is too narrow; a font without a glyph shows
    nothing)."""
    wanted = Counter(re.sub(r"\s", "", DEFAULT_TXT.read_text(encoding="utf-8")))
    doc = pdfium.PdfDocument(str(sample_pdf_path))
    try:
        layer = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()
    missing = wanted - Counter(re.sub(r"\s", "", layer))
    assert not missing
