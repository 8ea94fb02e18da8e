"""The ``gazette`` command line: a thin layer over the pipeline's Python API.

Each command is a module of ``pipeline/commands/``, listed below in the order
``gazette --help`` shows them; they share ``pipeline.commands.common`` (the app,
consoles, one-line errors).  Every command turns expected failures (bad path,
unreadable file, locked or missing warehouse, bad SQL) into one line on stderr
and a non-zero exit.
"""

from __future__ import annotations

from pipeline.commands import (  # noqa: F401 - importing a command module registers its command
    check,
    export,
    fetch,
    ingest,
    register,
    remove,
    report,
    schema,
    search,
    serve,
    show,
    sql,
)
from pipeline.commands.common import app

__all__ = ["app"]


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
