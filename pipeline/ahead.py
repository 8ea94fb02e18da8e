"""A child process that reads and extracts a short text file while ``gazette ingest`` starts
(issue 12, start-up: a 2-page text file in 1.5 s, whole process).

Most of a short ingest is imports and models, and every one of them holds the GIL: typer
and the CLI, DuckDB, SQLAlchemy and pyarrow for the load; cn2an, the parser, jieba and spaCy
for the read and the extraction.  A thread cannot run them side by side (a thread loading
the models beside the warehouse's connect won about 0.1 s of 1.45 s), a second process can.

So ``gazette ingest`` forks this child first thing (``pipeline.ingest.start_ahead``, from
``pipeline.cli.main``, before typer is imported).  The child runs the ``prepare`` the driver
handed it, loading what the read and the extraction need (``prepare_next_stages(load=False)``),
then waits for a file.  The driver, once it knows the batch (``pipeline.ingest.ingest_sources``),
gives it the first file when that is a short text file (``take``, ``Ahead.give``) and meanwhile
opens the warehouse, triages the file and loads what the load needs; its read and extract
stages then take the child's results (``Ahead.result``) instead of computing them.  Measured on
the 2-page file, whole command: 1.16–1.38 s against 1.49–1.63 s without the child, in the
same minutes.  This module knows nothing of the stages: the driver passes them in.

The child only computes, with the same stage functions the driver would run: it writes
nothing, so a result nobody takes is dropped (``cancel``: a PDF first, a file that
triage skips, the Prefect flow).  A stage that fails in the child is not reported from
there: its result is missing (None), and the driver runs that stage itself and meets the
failure as it always would (same stage, message and quarantine).  The child ignores
Ctrl-C (the driver stops it), and ends with the driver at the latest: it is a daemonic
``multiprocessing`` child, which the driver's exit handlers terminate.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import signal
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.read.sources import SourceFile
from schemas.long_lived import paused_gc

if TYPE_CHECKING:
    from schemas import Issue


@dataclass(frozen=True)
class AheadResult:
    """What the child computed for ``source``; None where its stage failed or was not reached."""

    source: SourceFile
    parsed: Issue | None = None  # the read stage's result
    extracted: Issue | None = None  # the extract stage's result, from ``parsed``


@dataclass
class Ahead:
    """The child forked by ``start``: it loads the stages' models, then waits for one file
    (``give``) and sends back what it computed for it (``result``, once)."""

    process: multiprocessing.process.BaseProcess
    pipe: multiprocessing.connection.Connection
    source: SourceFile | None = None  # the file given, once given
    _result: AheadResult | None = None

    @classmethod
    def start(cls, prepare: Callable[[], None], work: Callable[[SourceFile, dict], AheadResult]) -> Ahead:
        """Fork the child, which runs ``prepare()`` and then ``work(source, read_options)`` for the
        file ``give`` sends (raises OSError when the system will not give a child).  Call it before
        this process starts threads or opens DuckDB: the child inherits only the forking thread."""
        context = multiprocessing.get_context("fork")
        here, there = context.Pipe(duplex=True)
        process = context.Process(target=_child, args=(there, prepare, work), name="ingest-ahead", daemon=True)
        process.start()
        there.close()
        return cls(process, here)

    def give(self, source: SourceFile, read_options: Mapping[str, object]) -> None:
        """The file to read (``pipeline.ingest.read_source`` with ``read_options``) and extract."""
        self.source = source
        try:
            self.pipe.send((source, dict(read_options)))
        except OSError:  # the child is gone (killed): ``result`` finds nothing
            pass

    def result(self, timeout: float | None = None) -> AheadResult:
        """The child's results for the file given, waiting at most ``timeout`` seconds (None:
        as long as it takes); all None when it died or timed out first.  The child has ended after."""
        if self._result is None:
            try:
                sent = self.pipe.recv() if self.pipe.poll(timeout) else None
            except (EOFError, OSError):  # killed (memory), or its result could not be pickled
                sent = None
            self._result = sent if isinstance(sent, AheadResult) else AheadResult(self.source)
            self.cancel()
        return self._result

    def cancel(self) -> None:
        """Stop the child, if still running, and release its pipe."""
        self.pipe.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


_started: Ahead | None = None  # forked by ``start``, not yet taken


def start(prepare: Callable[[], None], work: Callable[[SourceFile, dict], AheadResult]) -> None:
    """Fork the child now (``Ahead.start``), for the next ``take``."""
    global _started
    if _started is None and "fork" in multiprocessing.get_all_start_methods():
        try:
            _started = Ahead.start(prepare, work)
        except OSError:  # no fork to be had (memory, process limits): the driver does it all
            _started = None


def discard() -> None:
    """Stop the child ``start`` forked, if not taken (a caller that will not give it a file)."""
    child = take()
    if child is not None:
        child.cancel()


def take() -> Ahead | None:
    """The child ``start`` forked, if any; the caller gives it a file or cancels it."""
    global _started
    ahead, _started = _started, None
    return ahead


def _child(pipe: multiprocessing.connection.Connection, prepare: Callable[[], None],
           work: Callable[[SourceFile, dict], AheadResult]) -> None:
    """In the child: ``prepare``, wait for a file (or the end of the pipe: not needed), then
    send ``work``'s result for it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the driver handles it
    with paused_gc():  # short-lived: its objects go with it
        prepare()
        try:
            source, read_options = pipe.recv()
        except (EOFError, OSError):
            return
        result = work(source, read_options)
    pipe.send(result)
    pipe.close()
