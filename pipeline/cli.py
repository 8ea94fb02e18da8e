"""The ``gazette`` command line: a thin layer over the pipeline's Python API.

Each command is a module of ``pipeline/commands/``, listed in ``COMMANDS`` in
the order ``gazette --help`` shows them; they share ``pipeline.commands.common``
(the app, consoles, one-line errors).  Every command turns expected failures
(bad path, unreadable file, locked or missing warehouse, bad SQL) into one line
on stderr and a non-zero exit.

Importing a command module registers its command on the app, so ``main`` (the
``gazette`` script and ``python -m pipeline.cli``) imports only the module of
the command named on the command line: ``gazette sql`` never imports what
``gazette remove`` or ``gazette ingest`` need (the warehouse's table modules,
the extractors).  With no command, ``--help`` or an unknown name it imports
them all, so the help lists every command and a typo gets typer's usual error.
``from pipeline.cli import app`` (tests, Python callers) gives the app with
every command registered.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import os
import sys
import threading
from typing import NoReturn

# In `gazette --help` order; each is pipeline/commands/<name>.py and registers the command <name>.
COMMANDS = ("check", "export", "fetch", "ingest", "register", "remove", "report", "schema", "search", "serve", "show", "sql")

__all__ = ["COMMANDS", "app", "main"]  # noqa: F822 - app comes from __getattr__ below


def load_commands(names: tuple[str, ...] = COMMANDS):
    """Import the modules of these commands (registering them) and return the typer app."""
    for name in names:
        importlib.import_module(f"pipeline.commands.{name}")
    return importlib.import_module("pipeline.commands.common").app


def argv_to_commands(argv: list[str]) -> tuple[str, ...]:
    """The command modules a command line needs: the one it names, or all of them
    (no command, an option such as --help first, or a name that is no command)."""
    named = argv[0] if argv else ""
    return (named,) if named in COMMANDS else COMMANDS


def __getattr__(name: str):
    """``pipeline.cli.app``: the app with every command (PEP 562, so importing this module is cheap)."""
    if name == "app":
        return load_commands()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:  # pragma: no cover - console entry point
    commands = argv_to_commands(sys.argv[1:])
    if commands == ("ingest",):
        from pipeline.ingest import start_ahead

        start_ahead()  # a child loads the stages' models while this process starts the command
    app = load_commands_frozen(commands)
    try:
        app()
    except SystemExit as done:
        exit_without_teardown(done.code)
    except RuntimeError as error:
        if not is_interrupted_query(error):
            raise
        print("interrupted (Ctrl-C): nothing half-loaded is kept (each issue loads in one transaction)", file=sys.stderr)
        exit_without_teardown(INTERRUPTED)
    exit_without_teardown(0)


INTERRUPTED = 130  # the shell's code for a command stopped by SIGINT
DUCKDB_INTERRUPTED = "Query interrupted"  # DuckDB's Python client, when Ctrl-C stops a query


def is_interrupted_query(error: BaseException) -> bool:
    """Ctrl-C during a DuckDB query: the client raises a plain RuntimeError with this message
    (not KeyboardInterrupt), which would otherwise end the command with a traceback."""
    return isinstance(error, RuntimeError) and str(error) == DUCKDB_INTERRUPTED


def exit_without_teardown(code: object) -> NoReturn:
    """End the process as ``sys.exit(code)`` would, less the interpreter's teardown.

    After a command, Python frees every module and object one by one (0.3 s after a 200-page
    ingest: jieba's dictionary, spaCy, the parsed issue) for a process that is about to end.
    Here the exit handlers still run (``atexit``: logging, multiprocessing's children,
    temporary files), the output is flushed, and the process ends with ``os._exit``; the
    operating system frees the rest.  Only when no other thread runs (an interpreter exit would
    wait for it) and the code is a number; otherwise the usual exit."""
    if not (code is None or isinstance(code, int)) or threading.active_count() > 1:
        raise SystemExit(code)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a reader that went away (`gazette sql … | head`), a closed stream
        raise SystemExit(code) from None
    os._exit(code or 0)


def load_commands_frozen(names: tuple[str, ...]):
    """``load_commands`` with the garbage collector paused, then its objects frozen (``gc.freeze``):
    what imports make lives as long as the process, so the collector's passes over it are
    wasted work (a few hundredths of a second of every command's start-up)."""
    gc.disable()
    try:
        return load_commands(names)
    finally:
        gc.freeze()
        gc.enable()


if __name__ == "__main__":  # pragma: no cover
    main()
