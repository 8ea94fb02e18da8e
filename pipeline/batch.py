"""Run one stage over a chunk of files, each file's failure kept as data.

Prefect pays a fixed cost per task run (state changes sent to its server,
parameter inspection, a thread hand-off), so ``flows.py`` runs each stage as
one task over a *chunk* of files rather than one task per file.  This module
is the plain, Prefect-free part of that: an ``Item`` is one file on its way
through the stages, ``map_stage`` applies a stage function to every item of a
chunk that has not failed yet, and ``chunk`` cuts a batch into chunks.

A file that fails is recorded on its item (stage and first line of the
error) and the rest of the chunk goes on, so a chunk never fails because of
one bad file.  Errors the caller calls transient (``reraise``) propagate
instead, so the task's retries run the chunk again; the last attempt passes
no ``reraise`` and records them like any other error.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from pipeline.read.sources import SourceFile

if TYPE_CHECKING:  # the schemas load with the stages that use them, not with the CLI
    from schemas import Issue

T = TypeVar("T")

MAX_CHUNK = 32  # files; bounds the wait before the first load and what a retry repeats
CHUNKS_PER_WORKER = 2  # two chunks per worker: a slow chunk does not leave the others idle for long


@dataclass(frozen=True)
class Item:
    """One file on its way through parse → extract → write → load."""

    source: SourceFile
    issue: Issue | None = None
    status: str | None = None  # load's answer: loaded | replaced | skipped
    stage: str | None = None  # where it failed
    error: str | None = None
    error_class: str | None = None  # the exception's class name, for ingest_errors
    seconds: float = 0.0  # time spent in the stages so far
    over_limit: str | None = None  # a failure by a limit: 'max_pages=2000' (pipeline.read.limits)
    superseded_by: str | None = None  # status 'superseded': the path of the newer file holding its issue
    # warehouse rows of some tables built ahead of the load (pipeline.ingest.extract_item), by table name
    prebuilt: dict[str, list[dict]] | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


def error_line(error: BaseException) -> str:
    """The first line of an error's message, or its class name when it has none."""
    text = str(error)
    return text.splitlines()[0] if text else error.__class__.__name__


def map_stage(
    items: Sequence[Item],
    stage: str,
    step: Callable[[Item], Item],
    *,
    reraise: Callable[[BaseException], bool] | None = None,
    done: dict | None = None,
) -> list[Item]:
    """``step`` over every item that has not failed; a file's error is recorded on its item.

    ``reraise(error)`` true: the error propagates (the caller will retry the chunk).
    ``done``: outcomes of an earlier attempt at the same chunk, keyed by path, reused
    rather than repeated and filled in as items finish (for stages with side effects,
    such as loading, whose first attempt may have got part-way).
    """
    out = []
    for item in items:
        key = item.source.path
        if done is not None and key in done:
            out.append(done[key])
            continue
        if item.failed:
            out.append(item)
            continue
        began = time.perf_counter()
        try:
            result = step(item)
        except Exception as error:  # noqa: BLE001 - one file's failure is data, not the chunk's end
            if reraise is not None and reraise(error):
                raise
            result = replace(item, stage=stage, error=error_line(error), error_class=type(error).__name__,
                             over_limit=getattr(error, "over_limit", None))
        result = replace(result, seconds=item.seconds + time.perf_counter() - began)
        if done is not None:
            done[key] = result
        out.append(result)
    return out


def chunk_size(files: int, workers: int, *, per_worker: int = CHUNKS_PER_WORKER, largest: int = MAX_CHUNK) -> int:
    """Files per chunk: about ``per_worker`` chunks for each worker, at most ``largest`` files."""
    if files <= 0:
        return 1
    return max(1, min(largest, math.ceil(files / (max(1, workers) * per_worker))))


def chunk(items: Sequence[T], size: int) -> list[list[T]]:
    """Consecutive slices of ``size`` (the last may be shorter), in order."""
    size = max(1, size)
    return [list(items[i:i + size]) for i in range(0, len(items), size)]
