"""Contracts between the pipeline's stages: pydantic models and warehouse tables.

The warehouse's tables live in the modules of ``TABLE_MODULES``: ``tables``
(the backbone) and one ``tables_<topic>`` per group.  Each declares, beside its
tables, what it contributes to the load: ``ROW_BUILDERS``, ``VIEWS`` and
``POST_LOAD`` (see ``schemas.tables``).  The registries below combine them in
the order of ``TABLE_MODULES``, so a view may use the views of modules listed
before its own.  Adding a table module is adding it to that tuple.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

from schemas import (
    tables,
    tables_appointments,
    tables_entities,
    tables_errors,
    tables_findings,
    tables_in_force,
    tables_ocr,
    tables_runs,
    tables_search,
    tables_views,
)
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
TABLE_MODULES: tuple[ModuleType, ...] = (
    tables,
    tables_appointments,
    tables_entities,
    tables_errors,
    tables_findings,
    tables_ocr,
    tables_runs,
    tables_search,
    tables_views,
    tables_in_force,
)


def modules_to_row_builders(modules: Iterable[ModuleType]) -> dict[str, RowBuilder]:
    """Every module's ``ROW_BUILDERS`` in one dict; a table built twice, or not
    in ``metadata``, is an error."""
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


# The per-issue load (pipeline.store.warehouse) uses these.
ROW_BUILDERS: dict[str, RowBuilder] = modules_to_row_builders(TABLE_MODULES)
VIEWS: tuple[View, ...] = modules_to_views(TABLE_MODULES)
POST_LOAD: tuple[PostLoadStep, ...] = modules_to_post_load(TABLE_MODULES)
