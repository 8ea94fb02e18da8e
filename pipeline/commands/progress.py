"""Progress of a `gazette ingest`, on stderr: files done of the total and, inside a PDF, its pages.

On a terminal, a rich progress display (a bar for files, one for the current
PDF's pages while it is read or recognised), gone when the ingest ends.
When stderr is not a terminal (a log file, a pipe, CI), plain lines instead, few
and deterministic, so stderr stays mostly what went wrong: one per OCR'd page
(seconds each; never text-layer pages, milliseconds each), and "k/n files done"
at each tenth of a batch of more than ``PLAIN_MIN_FILES`` files (a smaller batch's
per-file result lines on stdout already show its progress).
Both callbacks may be called from worker threads (the flow's task runner).
"""

from __future__ import annotations

import threading
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

PAGE_WORDS = {"read": "reading", "ocr": "OCR"}
PLAIN_MIN_FILES = 20  # batches above this get "k/n files done" lines when not on a terminal
PLAIN_STEPS = 10  # that many such lines per batch


class IngestProgress:
    """``file_done(result)`` after each file, ``page_done(path, what, done, total)`` inside a PDF."""

    def __init__(self, total_files: int, console: Console) -> None:
        self.total = total_files
        self.done = 0
        self.loaded = 0  # files loaded or replaced so far
        self.console = console
        self.live = console.is_terminal
        self._lock = threading.Lock()
        self._bar: Progress | None = None
        self._files: TaskID | None = None
        self._pages: dict[Path, TaskID] = {}

    def __enter__(self) -> IngestProgress:
        if self.live:
            self._bar = Progress(
                TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), console=self.console, transient=True,
            )
            self._bar.start()
            if self.total > 1:
                self._files = self._bar.add_task("files", total=self.total)
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def file_done(self, result) -> None:  # noqa: ANN001 - pipeline.ingest.FileResult
        with self._lock:
            self.done += 1
            self.loaded += result.status in ("loaded", "replaced")
            pages = self._pages.pop(Path(result.path), None)
            if self._bar is not None:
                if pages is not None:
                    self._bar.remove_task(pages)
                if self._files is not None:
                    self._bar.update(self._files, completed=self.done, description=f"files ({Path(result.path).name})")
            elif not self.live and self.total > PLAIN_MIN_FILES and self._at_a_tenth():
                self._plain(f"ingest: {self.done}/{self.total} files done")

    def page_done(self, path: Path, what: str, done: int, total: int) -> None:
        with self._lock:
            if self._bar is not None:
                description = f"{PAGE_WORDS.get(what, what)} {Path(path).name}"
                task = self._pages.get(Path(path))
                if task is None:
                    self._pages[Path(path)] = self._bar.add_task(description, total=total, completed=done)
                else:
                    self._bar.update(task, description=description, total=total, completed=done)
            elif not self.live and what == "ocr":
                self._plain(f"ingest: {path}: OCR page {done}/{total}")

    def index_started(self, issues: int) -> None:
        """The search index update is about to index ``issues`` issues.  Said only when they are
        more than this run loaded: the others are earlier loads the index has not seen (a
        warehouse indexed by older code, a run stopped before its update), and their indexing,
        once, can take seconds where the run's own takes a fraction of one."""
        with self._lock:
            earlier = issues - self.loaded
            if earlier > 0:
                self._plain(f"search index: indexing {issues} issues, {earlier} of them loaded before and not yet "
                            "in the index (once)")

    def _at_a_tenth(self) -> bool:
        """Whether this file crosses one of the PLAIN_STEPS marks of the batch."""
        return self.done * PLAIN_STEPS // self.total > (self.done - 1) * PLAIN_STEPS // self.total

    def _plain(self, line: str) -> None:
        self.console.print(line, highlight=False, soft_wrap=True)
