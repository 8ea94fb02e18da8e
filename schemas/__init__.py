"""Contracts between the pipeline's stages: pydantic models and warehouse tables.

The warehouse's tables live in the modules of ``TABLE_MODULES``: ``tables``
(the backbone) and one ``tables_<topic>`` per group.  Each declares, beside its
tables, what it contributes to the load: ``ROW_BUILDERS``, ``VIEWS`` and
``POST_LOAD`` (see ``schemas.tables``).  The registries below combine them in
the order of ``TABLE_MODULES``, so a view may use the views of modules listed
before its own.  Adding a table module is adding it to ``TABLE_MODULE_NAMES``.

Everything here is imported on first use (PEP 562 ``__getattr__``): ``from schemas
import Issue`` imports the pydantic models (``schemas.models``) only, and the table
modules (SQLAlchemy, pyarrow, the person keys) load with the first use of
``TABLE_MODULES``, the registries or ``metadata``: a PDF's reader processes start
without them, and a command that never touches the warehouse's tables never pays
for them (issue 12, start-up).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from schemas.models import (  # noqa: F401
        PARSER_VERSION,
        Article,
        Block,
        Chapter,
        Clause,
        Document,
        Issue,
        Line,
        Page,
        PageSpan,
        ParseFinding,
        Record,
        Section,
        TocEntry,
    )
    from schemas.tables import PostLoadStep, RowBuilder, View, metadata  # noqa: F401

# In view order: tables_views' views read the appointments and entity tables.
TABLE_MODULE_NAMES: tuple[str, ...] = (
    "tables",
    "tables_appointments",
    "tables_entities",
    "tables_errors",
    "tables_findings",
    "tables_ocr",
    "tables_runs",
    "tables_search",
    "tables_views",
    "tables_in_force",
)

# Names this package re-exports, by the module that defines them.
_FROM_MODELS = frozenset({
    "PARSER_VERSION", "Article", "Block", "Chapter", "Clause", "Document", "Issue", "Line", "Page", "PageSpan",
    "ParseFinding", "Record", "Section", "TocEntry",
})
_FROM_TABLES = frozenset({"PostLoadStep", "RowBuilder", "View", "metadata"})
_REGISTRIES = ("TABLE_MODULES", "ROW_BUILDERS", "VIEWS", "POST_LOAD")

def modules_to_row_builders(modules: Iterable[ModuleType]) -> dict[str, RowBuilder]:
    """Every module's ``ROW_BUILDERS`` in one dict; a table built twice, or not
    in ``metadata``, is an error."""
    from schemas.tables import metadata

    builders: dict[str, RowBuilder] = {}
    for module in modules:
        for table, builder in module.ROW_BUILDERS.items():
            if table not in metadata.tables:
                raise ValueError(f"{module.__name__}: row builder for undeclared table {table}")
            if table in builders:
                raise ValueError(f"{module.__name__}: second row builder for {table}")
            builders[table] = builder
    return builders


def modules_to_views(modules: Iterable[ModuleType]) -> tuple[View, ...]:
    """Every module's ``VIEWS``, in module order; a view name used twice is an error."""
    views = tuple(view for module in modules for view in module.VIEWS)
    names = [view.name for view in views]
    if len(set(names)) != len(names):
        raise ValueError(f"view declared twice: {sorted(n for n in set(names) if names.count(n) > 1)}")
    return views


def modules_to_post_load(modules: Iterable[ModuleType]) -> tuple[PostLoadStep, ...]:
    """Every module's ``POST_LOAD`` steps, in module order."""
    return tuple(step for module in modules for step in module.POST_LOAD)


def _registries() -> dict[str, object]:
    """``TABLE_MODULES`` and the registries the per-issue load (pipeline.store.warehouse) uses."""
    modules = tuple(importlib.import_module(f"{__name__}.{name}") for name in TABLE_MODULE_NAMES)
    return {"TABLE_MODULES": modules, "ROW_BUILDERS": modules_to_row_builders(modules),
            "VIEWS": modules_to_views(modules), "POST_LOAD": modules_to_post_load(modules)}


def __getattr__(name: str):
    """The models, the table helpers and the registries, imported on first use and then kept
    as attributes of this package (so ``__getattr__`` runs once per name)."""
    if name in _FROM_MODELS:
        value = getattr(importlib.import_module(f"{__name__}.models"), name)
    elif name in _FROM_TABLES:
        value = getattr(importlib.import_module(f"{__name__}.tables"), name)
    elif name in _REGISTRIES:
        registries = _registries()
        globals().update(registries)
        return registries[name]
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value
