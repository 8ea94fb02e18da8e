"""Start-up: whole-process wall time of short commands against their targets (issue 12, item 3).

    PYTHONPATH=. .venv/bin/python benchmarks/bench_startup.py [--repeats 5]

Each figure is the fastest of ``--repeats`` runs of a fresh interpreter (this
machine is shared: the slower runs measure the neighbours), printed beside its
target with a pass/fail mark and as a ratio to a bare ``python -c "import duckdb"``
measured in the same run, so figures from different machines compare:

    gazette sql "select 1"                     ≤ 0.4 s
    gazette ingest <2-page text file>          ≤ 1.5 s   (default path: in-process, no Prefect API)
    gazette ingest <same> --flow               no target: what the Prefect flow with a temporary server costs

The ingest goes into a fresh warehouse each time (so it parses and loads, not skips).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "xinzhou-2024-05.txt"
PAGE_BREAK = "\f"
PAGE_CHARS = 1500  # a printed page of the sample holds about this much text


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="Runs of each command; the fastest counts.")
    parser.add_argument("--flow-repeats", type=int, default=1, help="Runs of the --flow ingest (7–15 s each).")
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        tmp = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        env |= {"PYTHONPATH": str(ROOT), "PREFECT_HOME": str(tmp / "prefect"),  # no `gazette serve` announced there
                "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL"}
        text = two_pages(tmp)
        db = tmp / "sql.duckdb"
        subprocess.run([python, "-m", "pipeline.cli", "ingest", str(text), "--db", str(db), "--parsed-dir", str(tmp / "p")],
                       env=env, cwd=ROOT, check=True, capture_output=True)
        cli = [python, "-m", "pipeline.cli"]

        def fresh(i: int) -> None:
            (tmp / f"i{i}.duckdb").unlink(missing_ok=True)

        baseline = wall([python, "-c", "import duckdb"], env, args.repeats)
        figures = [
            ("gazette sql \"select 1\"", wall([*cli, "sql", "select 1", "--db", str(db)], env, args.repeats), 0.4),
            ("gazette ingest <2-page text> (default: in-process)",
             min(wall([*cli, "ingest", str(text), "--db", str(tmp / f"i{i}.duckdb"), "--parsed-dir", str(tmp / "p")],
                      env, 1, fresh) for i in range(args.repeats)), 1.5),
            ("gazette ingest <2-page text> --flow (temporary server)",
             min(wall([*cli, "ingest", str(text), "--flow", "--db", str(tmp / f"f{i}.duckdb"), "--parsed-dir", str(tmp / "p")],
                      env, 1) for i in range(args.flow_repeats)), None),
        ]
    print(f"baseline: python -c \"import duckdb\" {baseline:.2f} s (fastest of {args.repeats}; {os.cpu_count()} cores)")
    print(f"{'command':<56} {'wall s':>7} {'× baseline':>11} {'target s':>9}  verdict")
    for name, seconds, target in figures:
        verdict = "-" if target is None else ("pass" if seconds <= target else "FAIL")
        shown = "-" if target is None else f"≤ {target:.1f}"
        print(f"{name:<56} {seconds:>7.2f} {seconds / baseline:>11.1f} {shown:>9}  {verdict}")


if __name__ == "__main__":
    main()
