"""Building objects that live as long as the process (imports, models, dictionaries).

The cyclic garbage collector's passes over such objects find nothing to free: during an
import they cost a quarter of spaCy's, and a full collection over the loaded models about
0.1 s.  ``paused_gc`` turns the collector off for the block that builds them (and back on
after, if it was on); ``gc.freeze()`` at its end moves them out of later passes.  Shared by
the extractors (spaCy's import and pipeline) and the ingest driver (its models, the warehouse's
table modules); the command line does the same inline, before anything of the project loads.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector off for the block, restored after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
