"""Resource limits per file: what a hostile (or absurd) file may cost before it is refused.

A gazette issue is tens of A4 pages and a few hundred KB of text; the limits sit
far above that and far below what would exhaust a worker:

    DEFAULT_MAX_PAGE_PIXELS   a page rendered for OCR (a 14400 pt page at 144 dpi is 829 Mpx, ~2.5 GB)
    DEFAULT_MAX_OCR_PAGES     pages recognised by OCR in one file (about 2 s each per core)
    DEFAULT_MAX_TEXT_BYTES    a .txt file (parsing costs ~100 bytes of memory per byte of text)
    DEFAULT_MAX_PDF_BYTES     a .pdf file
    DEFAULT_MAX_SECONDS       work on one file, all stages together

Each is refused with a ``ResourceLimitError`` (one line naming the limit and its
option), which pipeline.ingest records in ``ingest_errors`` like any bad file.

The time limit is cooperative: ``time_budget`` sets a deadline for the stages of
one file (a context variable, so threads of a flow each keep their own) and
``check_time`` raises once it has passed; the readers call it between pages and
the extract stage between documents, and OCR waits for its pool only as long as
the budget allows (pipeline.read.ocr), then ends its workers.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

DEFAULT_MAX_PAGE_PIXELS = 10_000_000  # A2 at 144 dpi is 8 Mpx; OCR at 10 Mpx peaked at 0.95 GB (A4: 0.69 GB)
DEFAULT_MAX_OCR_PAGES = 300  # a thick scanned issue; ~10 min on two cores
DEFAULT_MAX_TEXT_BYTES = 4 * 1024 * 1024  # a year of a gazette as text is about 2 MB
DEFAULT_MAX_PDF_BYTES = 512 * 1024 * 1024  # a scanned issue at 300 dpi is tens of MB
DEFAULT_MAX_SECONDS = 1800.0  # a whole file, open to write


class ResourceLimitError(ValueError):
    """The file would cost more than a configured limit; the message is one line for the user.

    ``over_limit`` ('max_pages=2000') names the setting and the value that refused it, so
    that a later run with another value tries the file again by itself (pipeline.ingest.triage)."""

    def __init__(self, message: str, *, setting: str | None = None, value: object = None) -> None:
        super().__init__(message)
        self.over_limit = f"{setting}={value}" if setting else None


class TimeLimitError(ResourceLimitError):
    """Work on the file went past ``--max-seconds``."""


@dataclass(frozen=True)
class ReadLimits:
    """Limits the readers enforce (None: no limit)."""

    max_page_pixels: int | None = DEFAULT_MAX_PAGE_PIXELS
    max_ocr_pages: int | None = DEFAULT_MAX_OCR_PAGES


@dataclass(frozen=True)
class _Budget:
    deadline: float  # time.monotonic()
    limit: float  # seconds, for the message


_BUDGET: ContextVar[_Budget | None] = ContextVar("gazette_time_budget", default=None)


@contextmanager
def time_budget(limit: float | None, spent: float = 0.0) -> Iterator[None]:
    """Within this block ``check_time`` raises once ``limit - spent`` seconds have passed."""
    if limit is None:
        yield
        return
    token = _BUDGET.set(_Budget(deadline=time.monotonic() + limit - spent, limit=limit))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def remaining() -> float | None:
    """Seconds left in the current budget (None: no budget)."""
    budget = _BUDGET.get()
    return None if budget is None else budget.deadline - time.monotonic()


def time_limit_error(where: str) -> TimeLimitError:
    budget = _BUDGET.get()
    limit = budget.limit if budget else 0
    return TimeLimitError(f"stopped after {limit:g} s at {where}: over the time limit per file (raise it with --max-seconds)",
                          setting="max_seconds", value=limit)


def check_time(where: str) -> None:
    """Raise ``TimeLimitError`` when the current file's budget is spent; ``where`` says how far it got."""
    left = remaining()
    if left is not None and left <= 0:
        raise time_limit_error(where)


def check_bytes(kind: str, size: int, *, max_text_bytes: int | None, max_pdf_bytes: int | None) -> None:
    """Refuse a file larger than the limit for its kind."""
    limit, setting = (max_pdf_bytes, "max_pdf_bytes") if kind == "pdf" else (max_text_bytes, "max_text_bytes")
    if limit is not None and size > limit:
        raise ResourceLimitError(f"{kind} file of {size:,} bytes, over the limit of {limit:,} (raise it with --{setting.replace('_', '-')})",
                                 setting=setting, value=limit)
