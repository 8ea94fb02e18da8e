"""Where DuckDB finds the extensions shipped in wheels (duckdb-ext-fts).

Its own module, importing only duckdb, because every connection asks
(``warehouse.connect``), including the read-only one `gazette sql` opens,
which should not pay for the schemas ``pipeline.store.search_index`` imports.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

import duckdb


@lru_cache(maxsize=1)
def extension_directory() -> Path | None:
    """The extension directory shipped by the duckdb-ext-fts wheel, if installed
    and built for this DuckDB version and platform."""
    spec = importlib.util.find_spec("duckdb_ext")
    if spec is None or not spec.submodule_search_locations:
        return None
    platform = duckdb.execute("PRAGMA platform").fetchone()[0]
    for location in spec.submodule_search_locations:
        directory = Path(location) / "extensions"
        if (directory / f"v{duckdb.__version__}" / platform / "fts.duckdb_extension").is_file():
            return directory
    return None
