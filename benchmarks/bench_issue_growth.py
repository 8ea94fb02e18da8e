"""Issue 12, target 5, in its own words: the time per page of ingesting one more issue stays
flat from a warehouse of 10 issues to one of about 1,000 (≤ 1.1×), whole command, merges included.

    PYTHONPATH=. python benchmarks/bench_issue_growth.py [--commands 16] [--rebuild]

Two warehouses:
* the big one of ``bench_queries`` (the 683 regulations of ../shared/corpus/regulations and 200
  copies of the bundled sample issue: 883 issues, about 3,700 documents; built once, cached);
* one of 10 copies of the sample, built here the same way.
Each is first closed as a `gazette ingest` run ends when a merge is due (``warehouse.close`` with
``compact``): the big one is built in one connection whose automatic checkpoints never merge, and a
real run's last close would have merged what they left.  Then ``--commands`` one-file commands,
`gazette ingest COPY.txt`, go into each, interleaved (10 issues, 883 issues, 10, ...), each a copy
of the sample that neither warehouse holds (so it parses, loads and indexes, and never skips): the
same files on both sides, so the ratio of the mean seconds per command is the ratio per page.
The mean, not the median: one close in ``warehouse.COMPACT_EVERY`` merges the small row groups the
others left, and at the default of 16 commands each side pays exactly one.  ``figures()`` returns
the ratio as a ``benchmarks.targets.Figure`` (about 2 minutes once the big warehouse is cached;
building it takes about 5 more); [] when the corpus is absent.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.bench_command_growth import copy_warehouse, ingest_seconds  # noqa: E402
from benchmarks.targets import Figure, print_figures  # noqa: E402

TARGET = 1.1
SMALL_ISSUES = 10
FIRST_TIMED_COPY = 1000  # sample copies from here on are the timed commands' files (the warehouses hold the first ones)


def small_warehouse(db: Path, scratch: Path) -> None:
    """``SMALL_ISSUES`` sample copies loaded and indexed as the big warehouse is (``bench_queries``),
    and closed as the end of a run closes."""
    from benchmarks.bench_queries import build_warehouse

    build_warehouse(db, [], SMALL_ISSUES, scratch)
    close_as_a_run_ends(db)


def close_as_a_run_ends(db: Path) -> None:
    """Update the search index and close, merging, as the end of a `gazette ingest` run does when
    a merge is due.  (DuckDB skips the checkpoint of a connection that changed nothing, merges
    included; a run always writes before it closes, and here the index update makes its macro
    again.)"""
    from pipeline.store import search_index, warehouse

    con = warehouse.connect(db)
    search_index.rebuild_index(con)
    warehouse.close(con, compact=True)


def issue_count(db: Path) -> int:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM issues").fetchone()[0]
    finally:
        con.close()


def figures(regulations: int | None = None, copies: int = 200, commands: int | None = None,
            rebuild: bool = False) -> list[Figure]:
    """The ratio over bench_queries' warehouse of ``regulations`` (all: None) and ``copies``."""
    from benchmarks.bench_queries import cached_warehouse, write_sample_copy
    from pipeline.store import warehouse

    commands = commands or warehouse.COMPACT_EVERY
    big = cached_warehouse(regulations, copies, rebuild)
    if big is None:
        print("regulations corpus absent; one-issue growth not measured")
        return []
    with tempfile.TemporaryDirectory(prefix="bench-issue-growth-") as tmp:
        work = Path(tmp)
        small_db, big_db = work / "small.duckdb", work / "big.duckdb"
        small_warehouse(small_db, work)
        copy_warehouse(big, big_db)
        close_as_a_run_ends(big_db)
        issues = issue_count(big_db)
        files = [write_sample_copy(work, FIRST_TIMED_COPY + number) for number in range(commands)]
        small_seconds, big_seconds = [], []
        for path in files:
            small_seconds.append(ingest_seconds(path, small_db, work / "parsed"))
            big_seconds.append(ingest_seconds(path, big_db, work / "parsed"))
    small_mean, big_mean = statistics.mean(small_seconds), statistics.mean(big_seconds)
    return [Figure(
        f"one-issue `gazette ingest FILE`, into {issues} issues vs into {SMALL_ISSUES}", big_mean / small_mean,
        "x (full/small)", TARGET, False,
        f"whole process, mean of {commands} interleaved commands a side (merges included): {big_mean:.2f} s vs "
        f"{small_mean:.2f} s (slowest {max(big_seconds):.2f} s vs {max(small_seconds):.2f} s)",
    )]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=None,
                        help="One-file commands a side (default: warehouse.COMPACT_EVERY, so each side merges once).")
    parser.add_argument("--rebuild", action="store_true", help="Build the big warehouse again.")
    args = parser.parse_args()
    print_figures(figures(commands=args.commands, rebuild=args.rebuild))


if __name__ == "__main__":
    main()
