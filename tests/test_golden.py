"""Golden files: tests/fixtures/<case>.txt (or .pdf) next to <case>.expected.json.

One parametrised test discovers the pairs.  `pytest --update-golden` rewrites
the expected files from the current output after a deliberate change; review
the diff before committing it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import FIXTURES


def _has_source(expected: Path) -> bool:
    """A backbone golden file sits next to its .txt/.pdf; extractor golden files
    (<case>.<kind>.expected.json) have their own tests."""
    stem = expected.name.removesuffix(".expected.json")
    return any((FIXTURES / (stem + suffix)).exists() for suffix in (".txt", ".pdf"))


CASES = sorted(p for p in FIXTURES.glob("*.expected.json") if _has_source(p))


def issue_to_golden(issue) -> dict:
    """The projection of a parsed issue that the golden files pin down."""
    sections = []
    for entry in issue.toc:
        if entry.section and entry.section not in sections:
            sections.append(entry.section)
    return {
        "issue": {
            "kind": issue.kind,
            "gazette": issue.gazette,
            "year": issue.year,
            "number": issue.number,
            "cumulative_number": issue.cumulative_number,
            "published_on": issue.published_on.isoformat() if issue.published_on else None,
            "publisher": issue.publisher,
            "toc_entries": len(issue.toc),
            "toc_sections": sections,
        },
        "documents": [document_to_golden(d) for d in issue.documents],
    }


def document_to_golden(document) -> dict:
    row = {
        "seq": document.seq,
        "doc_number": document.doc_number,
        "issuer": document.issuer,
        "doc_type": document.doc_type,
        "section": document.section,
        "title": document.title,
        "signed_on": document.signed_on.isoformat() if document.signed_on else None,
        "signed_on_precision": document.signed_on_precision,
        "note": document.note,
        "instrument_title": document.instrument_title,
        "attachments": document.attachments,
        "chapters": len(document.chapters),
        "articles": len(document.articles),
    }
    points = sum(1 for c in document.clauses if c.kind == "point")
    if points:
        row["points"] = points
    return row


def parse_case(expected_path: Path):
    from pipeline.ingest import source_to_issue
    from pipeline.read.sources import source_of

    stem = expected_path.name.removesuffix(".expected.json")
    source = next(p for p in FIXTURES.glob(stem + ".*") if p.suffix in (".txt", ".pdf"))
    return source_to_issue(source_of(source))


@pytest.mark.parametrize("expected_path", CASES, ids=[p.name for p in CASES])
def test_golden(expected_path: Path, update_golden: bool):
    actual = issue_to_golden(parse_case(expected_path))
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    if update_golden:
        # The file is no longer hand-written: say so, so that review catches it.
        note = (
            f"REGENERATED from the parser's output on {date.today()} by --update-golden. Review every "
            "change against the source text, then rewrite this note to say who checked it."
        )
        expected_path.write_text(
            json.dumps({"_comment": note, **actual}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        return
    expected.pop("_comment", None)
    assert actual["issue"] == expected["issue"]
    assert len(actual["documents"]) == len(expected["documents"])
    for got, want in zip(actual["documents"], expected["documents"], strict=False):
        assert got == want, f"document {want['seq']} ({want['doc_number']})"
