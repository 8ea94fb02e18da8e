"""Entity extractors: one module per kind, each exposing ``KIND`` and
``extract(document) -> list[Record]``.

``EXTRACTOR_MODULES`` lists them in the order they run; adding an extractor is
adding its module there.  ``REGISTRY`` maps each kind to its extractor, and
``ENRICHERS`` holds the optional ``enrich(document, records) -> dict`` hooks in
the same order: each sees the Document as updated by the ones before it, so
``durations`` (valid_until) finds the effective_on that ``dates`` set.
``extract_issue`` runs them all over every document; the records travel on
``Document.records`` to ``data/parsed/<issue_id>.json`` and from there to one
warehouse table per kind.  Reference lists (issuer codes, organ names, units,
post titles) live in ``extractors/data/``.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from extractors import (
    appointments,
    dates,
    doc_numbers,
    durations,
    money,
    references,
    tables,
    thresholds,
)
from schemas import Document, Issue, Record

# Run order; dates before durations, whose enrich needs effective_on.
EXTRACTOR_MODULES: tuple[ModuleType, ...] = (
    doc_numbers,
    references,
    dates,
    durations,
    money,
    thresholds,
    tables,
    appointments,
)

Extractor = Callable[[Document], list[Record]]
# The dict an enricher returns updates the Document (lifecycle columns such as
# effective_on, valid_until).
Enricher = Callable[[Document, dict[str, list[Record]]], dict]

REGISTRY: dict[str, Extractor] = {module.KIND: module.extract for module in EXTRACTOR_MODULES}
ENRICHERS: tuple[Enricher, ...] = tuple(module.enrich for module in EXTRACTOR_MODULES if hasattr(module, "enrich"))


def preload() -> None:
    """Load now what the extractors otherwise load on first use: jieba with the user
    dictionaries, jieba's part-of-speech tagger and the subject reader's spaCy pipeline
    (about 1.5 s of CPU together), so that a caller can have it done while it waits for
    something else (``pipeline.ingest`` does it while worker processes read a PDF's pages)."""
    from extractors.subject.patterns import subject_pipeline
    from schemas.tokens import jieba_tagger

    jieba_tagger()
    subject_pipeline()


def extract_document(document: Document) -> Document:
    """A copy of ``document`` with every extractor's records and enrichments."""
    records = {kind: extract(document) for kind, extract in REGISTRY.items()}
    update: dict = {}
    for enrich in ENRICHERS:
        update.update(enrich(document.model_copy(update=update), records))
    return document.model_copy(update={**update, "records": records})


def extract_issue(issue: Issue) -> Issue:
    """Run every extractor over every document of ``issue``."""
    documents = [extract_document(document) for document in issue.documents]
    return issue.model_copy(update={"documents": documents})
