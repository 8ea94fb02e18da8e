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
    Section,
    TocEntry,
)
from schemas.tables import metadata  # noqa: F401
