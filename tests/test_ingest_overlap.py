"""The in-process driver's overlaps (pipeline.ingest): the search rows built in a forked
process from the parsed issue while this one extracts must be the rows the load would
build from the extracted issue, and are dropped when extraction changed anything else."""

from __future__ import annotations

import pytest

from pipeline.ingest import ROWS_BEFORE_EXTRACTION, RowsAside, documents_split, extract_issue
from schemas import ROW_BUILDERS


@pytest.fixture(scope="module")
def extracted(sample_issue):
    return extract_issue(sample_issue)


@pytest.mark.parametrize("share", [1.0, 0.65, 0.3])
def test_rows_built_aside_equal_the_loads_own(sample_issue, extracted, share) -> None:
    """Whatever share of the documents the child takes, the two parts make the rows of the whole."""
    aside = RowsAside.start(sample_issue, share=share)
    assert (aside.split < len(sample_issue.documents)) == (share < 1)
    rows = aside.collect(sample_issue, extracted)
    assert rows is not None and set(rows) == set(ROWS_BEFORE_EXTRACTION)
    for name in ROWS_BEFORE_EXTRACTION:
        expected = list(ROW_BUILDERS[name](extracted))
        assert len(expected) > len(extracted.documents)  # one row per article and per document residue
        assert rows[name] == expected


def test_rows_built_aside_are_dropped_when_extraction_changed_a_title(sample_issue, extracted) -> None:
    """A field outside EXTRACTED_FIELDS that differs after extraction means the rows may
    be stale: collect gives None and the load builds them itself."""
    first = extracted.documents[0]
    retitled = extracted.model_copy(update={"documents": [first.model_copy(update={"title": first.title + "（修订）"}),
                                                          *extracted.documents[1:]]})
    assert RowsAside.start(sample_issue).collect(sample_issue, retitled) is None


def test_documents_split_by_their_text() -> None:
    """The child's part is the first documents holding the share of the characters."""
    from schemas.models import Document, Issue

    def issue_of(lengths):
        return Issue.model_construct(documents=[Document.model_construct(text="字" * n) for n in lengths])

    assert documents_split(issue_of([10, 10, 10, 10]), 0.5) == 2
    assert documents_split(issue_of([10, 10, 10, 10]), 0.51) == 3
    assert documents_split(issue_of([90, 5, 5]), 0.65) == 1  # one long document is a part by itself
    assert documents_split(issue_of([5, 5, 90]), 0.65) == 3  # the long one falls to the child: all of them
    assert documents_split(issue_of([10, 10]), 0.01) == 1  # at least one document
    assert documents_split(issue_of([10, 10]), 1.0) == 2
    assert documents_split(issue_of([]), 0.65) == 0


def test_a_failed_extraction_stops_the_rows_process(sample_issue, monkeypatch) -> None:
    """An extraction that raises leaves no child behind, blocked on rows nobody will read."""
    import multiprocessing

    import pipeline.ingest as ingest
    from pipeline.batch import Item
    from pipeline.read.sources import source_of
    from tests.conftest import SAMPLE_TXT

    def broken(issue):
        raise RuntimeError("an extractor failed")

    monkeypatch.setattr(ingest, "LARGE_ISSUE_CHARS", 0)  # the sample is below the size that forks
    monkeypatch.setattr(ingest, "extract_issue", broken)
    with pytest.raises(RuntimeError, match="an extractor failed"):
        ingest.extract_item(Item(source_of(SAMPLE_TXT), issue=sample_issue), ingest.IngestOptions(parsed_dir=None))
    assert multiprocessing.active_children() == []
