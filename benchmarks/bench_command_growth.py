"""Issue 12, target 5, as the issue measured it: the same regulations through the default
`gazette ingest DIR`, whole process, into an empty warehouse and into one that already holds
the rest of the corpus.

    PYTHONPATH=. python benchmarks/bench_command_growth.py [--batch 60] [--repeat 2]

The issue found 12.5 s into an empty warehouse against 23.9 s into one holding 240
regulations (`--direct`, 60 files).  Here the last ``--batch`` regulations of the corpus
(../shared/corpus/regulations, sorted by name) are ingested by one command into a new
warehouse and into a copy of a warehouse holding every other regulation (made once,
outside the timings, by the same command), the two interleaved, best of ``--repeat``
each.  Unlike ``bench_load_growth`` (loads alone, timed inside one process), this
includes everything the command does: parsing, the load, the search index update and
the checkpoint when it closes the warehouse.  ``figures(batch, repeat)`` returns the
ratio as a ``benchmarks.targets.Figure`` (about 2 minutes, most of it the full
warehouse's own ingest); [] when the corpus is absent.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.targets import Figure, print_figures  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "regulations"
TARGET = 1.1


def link_files(files: list[Path], folder: Path) -> Path:
    """A folder holding ``files`` (symbolic links: the command reads them where they are)."""
    folder.mkdir(parents=True)
    for path in files:
        (folder / path.name).symlink_to(path.resolve())
    return folder


def ingest_seconds(folder: Path, db: Path, parsed: Path) -> float:
    """Wall seconds of one default `gazette ingest FOLDER --db DB` (or of one file; no Prefect API: in-process)."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | {"PYTHONPATH": str(REPO)}
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "ingest", str(folder), "--db", str(db),
                           "--parsed-dir", str(parsed)], env=env, cwd=REPO, capture_output=True, text=True)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"gazette ingest {folder} failed: {done.stderr.strip().splitlines()[-1:]}")
    return seconds


def remove_warehouse(db: Path) -> None:
    for suffix in ("", ".wal"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)


def copy_warehouse(source: Path, target: Path) -> None:
    remove_warehouse(target)
    for suffix in ("", ".wal"):
        if source.with_name(source.name + suffix).exists():
            shutil.copyfile(source.with_name(source.name + suffix), target.with_name(target.name + suffix))


def figures(batch: int = 60, repeat: int = 2, corpus: Path = CORPUS) -> list[Figure]:
    if not corpus.is_dir():
        print(f"{corpus}: corpus absent; whole-command growth not measured")
        return []
    files = sorted(corpus.glob("*.txt"))
    earlier, measured = files[:-batch], files[-batch:]
    with tempfile.TemporaryDirectory(prefix="bench-command-growth-") as tmp:
        work = Path(tmp)
        full = work / "full.duckdb"
        ingest_seconds(link_files(earlier, work / "earlier"), full, work / "parsed")
        batch_folder = link_files(measured, work / "batch")
        into_empty, into_full = float("inf"), float("inf")
        for _ in range(repeat):
            empty_db, grown_db = work / "empty.duckdb", work / "grown.duckdb"
            remove_warehouse(empty_db)
            copy_warehouse(full, grown_db)
            into_empty = min(into_empty, ingest_seconds(batch_folder, empty_db, work / "parsed"))
            into_full = min(into_full, ingest_seconds(batch_folder, grown_db, work / "parsed"))
    return [Figure(
        f"`gazette ingest DIR` of {batch} regulations, into {len(earlier)} vs into none", into_full / into_empty,
        "x (full/empty)", TARGET, False,
        f"whole process, best of {repeat} interleaved: {into_full:.2f} s vs {into_empty:.2f} s "
        f"(the issue measured 23.9 s vs 12.5 s into 240 with the code then)",
    )]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    print_figures(figures(args.batch, args.repeat))


if __name__ == "__main__":
    main()
