"""Contracts between the pipeline's stages: pydantic models and warehouse tables."""

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
    Record,  # noqa: F401
    Section,
    TocEntry,
)
from schemas.tables import metadata  # noqa: F401


def _import_table_modules() -> None:
    """Import every schemas/tables_*.py so their tables, row builders and views register."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("tables_"):
            importlib.import_module(f"{__name__}.{module.name}")


_import_table_modules()
