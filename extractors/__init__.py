"""Entity extractors: one module per kind, each exposing ``KIND`` and
``extract(document) -> list[Record]``.

``REGISTRY`` maps a kind to its extractor; it is filled by importing every
module of this package that defines ``KIND`` and ``extract`` (so adding an
extractor is adding a file).  ``extract_issue`` runs them all over every
document; the records travel on ``Document.records`` to
``data/parsed/<issue_id>.json`` and from there to one warehouse table per kind.
Reference lists (issuer codes, organ names, units, post titles) live in
``extractors/data/``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

from schemas import Document, Issue, Record

Extractor = Callable[[Document], list[Record]]
REGISTRY: dict[str, Extractor] = {}
# Optional ``enrich(document, records) -> dict`` hooks of extractor modules: the
# dict updates the Document (lifecycle columns such as effective_on, valid_until).
Enricher = Callable[[Document, dict[str, list[Record]]], dict]
ENRICHERS: list[Enricher] = []


def _discover() -> None:
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        kind = getattr(module, "KIND", None)
        extract = getattr(module, "extract", None)
        if kind and callable(extract):
            REGISTRY[kind] = extract
            if callable(getattr(module, "enrich", None)):
                ENRICHERS.append(module.enrich)


_discover()


def extract_document(document: Document) -> Document:
    """A copy of ``document`` with every registered extractor's records."""
    records = {kind: extract(document) for kind, extract in REGISTRY.items()}
    update: dict = {}
    for enrich in ENRICHERS:
        update.update(enrich(document.model_copy(update=update), records))
    return document.model_copy(update={**update, "records": records})


def extract_issue(issue: Issue) -> Issue:
    """Run every registered extractor over every document of ``issue``."""
    documents = [extract_document(document) for document in issue.documents]
    return issue.model_copy(update={"documents": documents})
