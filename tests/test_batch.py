"""pipeline.batch: a stage over a chunk of files, each file's failure kept as data (no Prefect here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.batch import Item, chunk, chunk_size, error_line, map_stage
from pipeline.read.sources import SourceFile


def items(*names: str) -> list[Item]:
    return [Item(SourceFile(Path(name), sha256=name * 8, kind="txt", size=1)) for name in names]


class Flaky(OSError):
    """Stands in for a transient error (a locked file, a dropped connection)."""


def test_one_file_failing_leaves_the_others_and_later_stages_skip_it():
    seen = []

    def step(item: Item) -> Item:
        seen.append(item.source.path.name)
        if item.source.path.name == "b.txt":
            raise ValueError("b.txt: no documents found\nsecond line of detail")
        return item

    out = map_stage(items("a.txt", "b.txt", "c.txt"), "parse", step)
    assert seen == ["a.txt", "b.txt", "c.txt"]
    assert [(i.source.path.name, i.stage, i.error) for i in out] == [
        ("a.txt", None, None), ("b.txt", "parse", "b.txt: no documents found"), ("c.txt", None, None),
    ]
    assert [i.failed for i in out] == [False, True, False]

    later = []
    again = map_stage(out, "extract", lambda item: later.append(item.source.path.name) or item)
    assert later == ["a.txt", "c.txt"]  # the failed file is carried along, not run again
    assert again[1].stage == "parse"


def test_errors_the_caller_calls_transient_propagate_the_rest_are_recorded():
    def step(item: Item) -> Item:
        raise Flaky("disk busy") if item.source.path.name == "a.txt" else ValueError("bad")

    with pytest.raises(Flaky):
        map_stage(items("a.txt"), "load", step, reraise=lambda error: isinstance(error, Flaky))
    out = map_stage(items("b.txt"), "load", step, reraise=lambda error: isinstance(error, Flaky))
    assert (out[0].stage, out[0].error) == ("load", "bad")
    # the last attempt passes no reraise: the transient error is recorded like any other
    out = map_stage(items("a.txt"), "load", step)
    assert (out[0].stage, out[0].error) == ("load", "disk busy")


def test_done_keeps_an_earlier_attempts_outcomes_so_a_retry_does_not_repeat_them():
    calls: list[str] = []
    done: dict = {}

    def load(item: Item) -> Item:
        calls.append(item.source.path.name)
        if item.source.path.name == "b.txt" and calls.count("b.txt") == 1:
            raise Flaky("warehouse locked")
        return Item(item.source, status="loaded")

    chunk_items = items("a.txt", "b.txt", "c.txt")
    with pytest.raises(Flaky):
        map_stage(chunk_items, "load", load, reraise=lambda error: True, done=done)
    out = map_stage(chunk_items, "load", load, reraise=lambda error: True, done=done)
    assert calls == ["a.txt", "b.txt", "b.txt", "c.txt"]  # a.txt loaded once, not 'skipped' on the retry
    assert [i.status for i in out] == ["loaded", "loaded", "loaded"]


def test_seconds_add_up_over_stages():
    out = map_stage(items("a.txt"), "parse", lambda item: item)
    out = map_stage(out, "extract", lambda item: item)
    assert out[0].seconds > 0


def test_error_line_is_the_first_line_or_the_class_name():
    assert error_line(ValueError("first\nsecond")) == "first"
    assert error_line(KeyError()) == "KeyError"


@pytest.mark.parametrize(("files", "workers", "size"), [
    (0, 2, 1),      # nothing to do: any size
    (1, 2, 1),      # one issue: one chunk of one (ingest_issue: one task per stage)
    (10, 2, 3),     # 10 / (2 workers × 2) → 3 per chunk, 4 chunks
    (100, 2, 25),   # 4 chunks: 2 per worker
    (100, 1, 32),   # 50 would be too big: capped, 4 chunks
    (5000, 8, 32),  # capped: a retry repeats at most 32 files, loading starts early
])
def test_chunk_size_gives_a_few_chunks_per_worker_within_a_cap(files, workers, size):
    assert chunk_size(files, workers) == size


def test_chunk_keeps_order_and_every_item():
    assert chunk(list(range(7)), 3) == [[0, 1, 2], [3, 4, 5], [6]]
    assert chunk([], 3) == []
