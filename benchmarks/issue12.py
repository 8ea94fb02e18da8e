"""Every figure of issue 12 beside its target, with a pass/fail mark, in one run.

    PYTHONPATH=. .venv/bin/python benchmarks/issue12.py [--only ingest,startup,ocr,growth,queries,memory] [--quick]

Each part is one benchmark's ``figures(...)`` (see benchmarks/targets.py); every
ratio inside a part is measured side by side in the same run, against a baseline
named in the figure's detail. ``--quick`` runs smaller sizes (fewer pages, loads
and repeats) to check the script works, not to quote. Parts that need the
regulations corpus in ../shared/corpus say so and are skipped when it is absent.
Full run: about 25 minutes on 2 cores (the 683-load growth run and the big
warehouse for the queries are most of it).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.targets import Figure  # noqa: E402


def parts(quick: bool) -> dict[str, Callable[[], list[Figure]]]:
    """Each part, lazily imported: one benchmark's ``figures`` at full or quick size."""

    def ingest() -> list[Figure]:
        from benchmarks import bench_ingest

        return bench_ingest.figures(pages=60 if quick else 200, repeat=1 if quick else 3)

    def memory() -> list[Figure]:
        from benchmarks import bench_ingest

        return bench_ingest.figures_memory(pages=200 if quick else 2000)

    def startup() -> list[Figure]:
        from benchmarks import bench_startup

        return bench_startup.figures(repeats=2 if quick else 5)

    def ocr() -> list[Figure]:
        from benchmarks import bench_ocr

        return bench_ocr.figures(pages=2 if quick else 4)

    def growth() -> list[Figure]:
        from benchmarks import bench_command_growth, bench_issue_growth, bench_load_growth

        return (bench_load_growth.figures(files=60 if quick else 683, window=10 if quick else 30)
                + bench_command_growth.figures(batch=20 if quick else 60, repeat=1 if quick else 2)
                + bench_issue_growth.figures(regulations=60 if quick else None, copies=10 if quick else 200,
                                             commands=4 if quick else None))

    def queries() -> list[Figure]:
        from benchmarks import bench_queries

        return bench_queries.figures(regulations=60 if quick else None, sample_copies=10 if quick else 200)

    return {"ingest": ingest, "memory": memory, "startup": startup, "ocr": ocr, "growth": growth, "queries": queries}


SETTLE_SECONDS = 3.0


def settle() -> None:
    """Before a part: the previous part's writes go to disk (``os.sync``) and the load it left
    ebbs, so that they do not weigh on this part's timings (the memory part writes a 2,000-page
    warehouse just before the start-up part times 2-page ingests, whose checkpoints fsync)."""
    if hasattr(os, "sync"):
        os.sync()
    time.sleep(SETTLE_SECONDS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated parts to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="small sizes: checks the script, not figures to quote")
    args = parser.parse_args()
    available = parts(args.quick)
    chosen = args.only.split(",") if args.only else list(available)
    unknown = [name for name in chosen if name not in available]
    if unknown:
        parser.error(f"unknown part(s) {', '.join(unknown)}; choose from {', '.join(available)}")
    print(f"issue 12 figures, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start"
          + (" (--quick: not for quoting)" if args.quick else ""))
    results: list[Figure] = []
    for name in chosen:
        settle()
        started = time.perf_counter()
        figures = available[name]()
        results += figures
        print(f"[{name}: {time.perf_counter() - started:.0f} s]" + ("" if figures else " skipped (see above)"), flush=True)
        for figure in figures:
            print("  " + figure.line(), flush=True)
    passed = sum(figure.passed for figure in results)
    print(f"{passed} of {len(results)} figures meet their target")


if __name__ == "__main__":
    main()
