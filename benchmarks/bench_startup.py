"""Start-up: whole-process wall time of short commands against their targets (issue 12, item 3).

    PYTHONPATH=. .venv/bin/python benchmarks/bench_startup.py [--repeats 5] [--flow-repeats 1]

Each figure is the fastest of ``--repeats`` runs of a fresh interpreter (this
machine is shared: the slower runs measure the neighbours), printed beside its
target with a pass/fail mark; the detail gives a bare ``python -c "import duckdb"``
measured in the same run (the floor of any command that opens the warehouse),
so figures from different machines compare:

    gazette sql "select 1"                     ≤ 0.4 s
    gazette ingest <2-page text file>          ≤ 1.5 s   (default path: in-process, no Prefect API)
        into a new warehouse, and into one that holds another issue (a user's later
        commands: the warehouse exists, its tables and views are current)
    gazette ingest <same> --flow               no target: what the Prefect flow with a temporary server costs

Each ingest goes into a new warehouse, or a new copy of the loaded one (so it parses and
loads, not skips).
The commands run as a user's second command would: one run before the timed ones
fills the jieba dictionary cache (``GAZETTE_CACHE_DIR``) and Python's bytecode cache
(``PYTHONPYCACHEPREFIX``, both in a temporary folder; ``PYTHONDONTWRITEBYTECODE`` is
dropped, since an installed package has its bytecode).
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

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: benchmarks.targets
    sys.path.insert(0, str(ROOT))

from benchmarks.targets import Figure, print_figures  # noqa: E402

SAMPLE = ROOT / "tests" / "fixtures" / "xinzhou-2024-05.txt"
OTHER_ISSUE = ROOT / "tests" / "fixtures" / "synthetic-xinzhou-2024-06.txt"  # what the loaded warehouse holds
PAGE_BREAK = "\f"
PAGE_CHARS = 1500  # a printed page of the sample holds about this much text
SQL_TARGET = 0.4  # seconds, issue 12 item 3
INGEST_TARGET = 1.5


def two_pages(folder: Path) -> Path:
    """The sample's first ``2 × PAGE_CHARS`` characters as two pages (a form feed between them,
    at a line end), about two printed gazette pages."""
    text = SAMPLE.read_text(encoding="utf-8")[: 2 * PAGE_CHARS]
    middle = text.index("\n", PAGE_CHARS)
    path = folder / "two-pages.txt"
    path.write_text(text[:middle + 1] + PAGE_BREAK + text[middle + 1:], encoding="utf-8")
    return path


def wall(argv: list[str], env: dict, runs: int, before=None) -> float:
    """Fastest wall time of ``runs`` runs of ``argv`` (``before(i)`` prepares run i)."""
    best = float("inf")
    for i in range(runs):
        if before:
            before(i)
        began = time.perf_counter()
        done = subprocess.run(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        seconds = time.perf_counter() - began
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.strip().splitlines()[-1:]}")
        best = min(best, seconds)
    return best


def command_env(tmp: Path) -> dict:
    """The environment of a user's shell with no Prefect API and no `gazette serve` running."""
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PYTHONDONTWRITEBYTECODE")}
    return env | {"PYTHONPATH": str(ROOT), "PREFECT_HOME": str(tmp / "prefect"),  # no `gazette serve` announced there
                  "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL",
                  "GAZETTE_CACHE_DIR": str(tmp / "cache"), "PYTHONPYCACHEPREFIX": str(tmp / "pycache")}


class Rig:
    """A temporary folder with the 2-page file, a loaded warehouse and warm caches."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.env = command_env(tmp)
        self.cli = [sys.executable, "-m", "pipeline.cli"]
        self.text = two_pages(tmp)
        self.db = tmp / "sql.duckdb"
        subprocess.run([*self.cli, "ingest", str(self.text), "--db", str(self.db), "--parsed-dir", str(tmp / "p")],
                       env=self.env, cwd=ROOT, check=True, capture_output=True)  # also fills both caches
        self.loaded = tmp / "loaded.duckdb"
        subprocess.run([*self.cli, "ingest", str(OTHER_ISSUE), "--db", str(self.loaded), "--parsed-dir", str(tmp / "p")],
                       env=self.env, cwd=ROOT, check=True, capture_output=True)

    def baseline(self, repeats: int) -> float:
        return wall([sys.executable, "-c", "import duckdb"], self.env, repeats)

    def sql(self, repeats: int) -> float:
        return wall([*self.cli, "sql", "select 1", "--db", str(self.db)], self.env, repeats)

    def ingest(self, repeats: int, *flags: str) -> float:
        """Fastest of ``repeats`` ingests of the 2-page file, each into a new warehouse."""
        def fresh(i: int) -> None:
            (self.tmp / f"i{i}.duckdb").unlink(missing_ok=True)
        return min(wall([*self.cli, "ingest", str(self.text), *flags, "--db", str(self.tmp / f"i{i}.duckdb"),
                         "--parsed-dir", str(self.tmp / "p")], self.env, 1, fresh) for i in range(repeats))


    def ingest_into_loaded(self, repeats: int) -> float:
        """Fastest of ``repeats`` ingests of the 2-page file, each into a new copy of a
        warehouse that holds another issue."""
        def copy(i: int) -> None:
            shutil.copyfile(self.loaded, self.tmp / f"l{i}.duckdb")
        return min(wall([*self.cli, "ingest", str(self.text), "--db", str(self.tmp / f"l{i}.duckdb"),
                         "--parsed-dir", str(self.tmp / "p")], self.env, 1, copy) for i in range(repeats))


def figures(repeats: int = 5) -> list[Figure]:
    """`gazette sql "select 1"` and the default `gazette ingest` of a 2-page text file, whole
    process, fastest of ``repeats`` fresh interpreters each, against issue 12's targets
    (about 15 s at repeats=5 on a quiet 2-core machine)."""
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
        rig = Rig(Path(folder))
        baseline = rig.baseline(repeats)
        sql, ingest, into_loaded = rig.sql(repeats), rig.ingest(repeats), rig.ingest_into_loaded(repeats)
    detail = f"bare `python -c \"import duckdb\"` {baseline:.2f} s in the same run; fastest of {repeats}"
    return [
        Figure("gazette sql \"select 1\", whole process", sql, "s", SQL_TARGET, False,
               f"{sql / baseline:.1f}× the {detail}"),
        Figure("gazette ingest <2-page text> (default: in-process), whole process", ingest, "s", INGEST_TARGET, False,
               f"{ingest / baseline:.1f}× the {detail}"),
        Figure("the same into a warehouse holding another issue", into_loaded, "s", INGEST_TARGET, False,
               f"{into_loaded / baseline:.1f}× the {detail}"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="Runs of each command; the fastest counts.")
    parser.add_argument("--flow-repeats", type=int, default=1, help="Runs of the --flow ingest (7–15 s each); 0: none.")
    args = parser.parse_args()
    print_figures(figures(args.repeats))
    if args.flow_repeats > 0:
        with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
            flow = Rig(Path(folder)).ingest(args.flow_repeats, "--flow")
        print(f"{'gazette ingest <2-page text> --flow (temporary server)':58} {flow:8.2f} s              no target")
    print(f"({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
