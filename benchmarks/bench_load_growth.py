"""What grows with the warehouse: time of each issue's load, and of each
POST_LOAD step inside it, as the warehouse fills (issue 12, item 5).

    PYTHONPATH=. python benchmarks/bench_load_growth.py [FOLDER] [--files 300] [--window 30]

Parses ``--files`` files of FOLDER (default: the regulations corpus in
../shared) outside the timings, loads them one by one into a new warehouse,
and prints, for the first and the last ``--window`` loads, the mean seconds
per load, per POST_LOAD step and for the rest (deletes, inserts, search
tokens), and their ratio last / first (target: ≤ 1.1, flat); then the
search index rebuild over the whole warehouse that every ``gazette ingest``
command runs once at its end (pipeline.store.search_index.rebuild_index),
at half the files and at all of them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.ingest import source_to_issue  # noqa: E402
from pipeline.read.sources import paths_to_sources  # noqa: E402
from pipeline.store import search_index, warehouse  # noqa: E402


def timed_steps(steps: tuple, spent: dict[str, float]) -> tuple:
    """The POST_LOAD steps, each adding its seconds to ``spent[name]``."""

    def wrap(step):  # noqa: ANN001, ANN202
        def run(con, issue) -> None:  # noqa: ANN001
            started = time.perf_counter()
            step(con, issue)
            spent[step.__name__] += time.perf_counter() - started

        return run

    return tuple(wrap(step) for step in steps)


def main() -> None:
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "regulations"
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path, nargs="?", default=default)
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--window", type=int, default=30)
    args = parser.parse_args()
    issues = [source_to_issue(s) for s in paths_to_sources([args.folder])[: args.files]]
    per_load: list[dict[str, float]] = []
    rebuilds: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        con = warehouse.connect(Path(tmp) / "growth.duckdb")
        original = warehouse.POST_LOAD
        try:
            for issue in issues:
                spent: dict[str, float] = defaultdict(float)
                warehouse.POST_LOAD = timed_steps(original, spent)
                started = time.perf_counter()
                try:
                    warehouse.load_issue(con, issue)
                except Exception as error:  # a parser fault elsewhere must not stop the measurement
                    print("not loaded:", issue.issue_id, str(error).splitlines()[0])
                    continue
                spent["whole load"] = time.perf_counter() - started
                spent["rest"] = spent["whole load"] - sum(v for k, v in spent.items() if k != "whole load")
                per_load.append(dict(spent))
                if len(per_load) in (len(issues) // 2, len(issues)):
                    started = time.perf_counter()
                    search_index.rebuild_index(con)
                    rebuilds[len(per_load)] = time.perf_counter() - started
        finally:
            warehouse.POST_LOAD = original
            con.close()
    first, last = per_load[: args.window], per_load[-args.window:]
    print(f"{len(per_load)} issues loaded one by one; mean seconds per load, first {len(first)} vs last {len(last)}")
    for name in sorted(per_load[0], key=lambda k: (k != "whole load", k)):
        a = sum(d.get(name, 0.0) for d in first) / len(first)
        b = sum(d.get(name, 0.0) for d in last) / len(last)
        ratio = f"{b / a:6.2f}x" if a > 0 else "   -  "
        print(f"  {name:20} {a:8.4f} s -> {b:8.4f} s  {ratio}")
    a = sum(d["whole load"] for d in first) / len(first)
    b = sum(d["whole load"] for d in last) / len(last)
    print(f"  whole load last/first {b / a:.2f}x (target <= 1.1x)  {'PASS' if b / a <= 1.1 else 'FAIL'}")
    for loaded, seconds in rebuilds.items():
        print(f"  search index rebuild over {loaded} issues: {seconds:.2f} s = {seconds / b:.0f} loads of one issue")


if __name__ == "__main__":
    main()
