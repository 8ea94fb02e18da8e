"""What grows with the warehouse: time of each issue's load, and of each part of
it, as the warehouse fills (issue 12, target 5: flat, ≤ 1.1× last / first).

    PYTHONPATH=. python benchmarks/bench_load_growth.py [FOLDER] [--files 683] [--window 30] [--search-index]
        [--storage warehouse,duckdb-default,v1.2-zstd] [--reopen] [--documents-sawtooth]

Parses ``--files`` files of FOLDER (default: the regulations corpus in
../shared) outside the timings, then loads them one by one into a new
warehouse, as ``gazette ingest DIR`` does (one connection; DuckDB checkpoints
by itself whenever its WAL passes 16 MB, inside that load's commit).  Figures:

* **same issues**: the last ``--window`` issues as they load into the full
  warehouse, against the same issues loaded, interleaved one by one, into a
  second warehouse that starts empty.  Same work, only the warehouse size
  differs, and both sides share the machine's load at that moment.
* **first vs last loads**: the mean of the first ``--window`` loads against the
  last ``--window`` (different files: the regulations differ in length, so this
  one moves with the files as well as with the warehouse).
* **checkpoint**: after each of those last loads, in both warehouses, a
  CHECKPOINT timed apart from the load: what a ``gazette ingest FILE`` of one
  file pays when it closes the warehouse.  Wall and CPU seconds (DuckDB's
  threads included), mean and median of ``--window`` checkpoints a side (the
  figure is the median of wall seconds: fsync can stall on other processes'
  writes).  ``--reopen`` loads each of those issues in a connection opened for
  it, as that command does (same checkpoint figure within noise); those loads
  then start cold, so "last vs first loads" compares cold loads with warm ones.
  Before those last loads both warehouses are closed as a run's last close leaves
  them, merged (``Run.settle``), so the merges in the window are the ones the
  command makes, every ``warehouse.COMPACT_EVERY``-th checkpoint on both sides.
  A second figure counts those merges: the CPU of a checkpoint over a merge
  cycle (``merge_cycle_figure``: the typical checkpoint plus the merging one's
  extra over ``COMPACT_EVERY``).

and, per part of the load (deletes, each POST_LOAD step, inserts, commit), the
first and last window's mean seconds.  ``--search-index`` also times the search
index rebuild over the whole warehouse that every ``gazette ingest`` command
runs once at its end (pipeline.store.search_index, not part of a load), at half
the files and at all of them.

``--storage A,B`` loads the warehouses of each storage setting
(STORAGE_VARIANTS) in lockstep, issue by issue, and prints each one's figures:
a before/after of ``pipeline.store.warehouse.STORAGE_CONFIG`` measured side by
side.  ``--documents-sawtooth`` times a checkpoint after one more document text
as a table of them grows past DuckDB's 2,048 rows (``documents_sawtooth``), with
DuckDB's default checkpoint and with the warehouse's (``CHECKPOINT_CONFIG``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.targets import Figure, print_figures  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "regulations"
TARGET = 1.1


class TimedConnection:
    """A DuckDB connection that adds each statement's seconds to ``spent`` under its
    verb (DELETE, INSERT, COMMIT, CHECKPOINT, ...), for the parts of a load."""

    def __init__(self, con, spent: dict[str, float]) -> None:  # noqa: ANN001
        self._con, self.spent = con, spent

    def execute(self, sql: str, *args):  # noqa: ANN002, ANN201
        started = time.perf_counter()
        try:
            return self._con.execute(sql, *args)
        finally:
            verb = sql.split(None, 1)[0].upper()
            self.spent[verb.lower() if verb in ("DELETE", "INSERT", "COMMIT", "CHECKPOINT") else "other sql"] += (
                time.perf_counter() - started)

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._con, name)


def timed_steps(steps: tuple, spent: dict[str, float]) -> tuple:
    """The POST_LOAD steps, each adding its seconds to ``spent["step " + name]``
    (their own statements are counted there, not under their verbs)."""

    def wrap(step):  # noqa: ANN001, ANN202
        def run(con, issue) -> None:  # noqa: ANN001
            started = time.perf_counter()
            inner = con._con if isinstance(con, TimedConnection) else con
            step(inner, issue)
            spent["step " + step.__name__] += time.perf_counter() - started

        return run

    return tuple(wrap(step) for step in steps)


def load_timed(con, issue, *, checkpoint: bool = False) -> dict[str, float] | None:  # noqa: ANN001
    """Load ``issue``; seconds per part, under "whole load" the total.  With
    ``checkpoint``, a CHECKPOINT after the load, timed under "checkpoint" and not
    counted in "whole load".  None when the load fails (a parser fault must not
    stop the measurement)."""
    from pipeline.store import warehouse

    spent: dict[str, float] = defaultdict(float)
    original = warehouse.POST_LOAD
    warehouse.POST_LOAD = timed_steps(original, spent)
    timed = TimedConnection(con, spent)
    started = time.perf_counter()
    try:
        warehouse.load_issue(timed, issue)
    except Exception as error:  # noqa: BLE001
        print("not loaded:", issue.issue_id, str(error).splitlines()[0], file=sys.stderr)
        return None
    finally:
        warehouse.POST_LOAD = original
    spent["whole load"] = time.perf_counter() - started
    spent["rows and rest"] = spent["whole load"] - sum(v for k, v in spent.items() if k != "whole load")
    if checkpoint:
        spent["merging"] = 1.0 if warehouse.merge_due(con) else 0.0  # this checkpoint merges (see below)
        started, cpu = time.perf_counter(), time.process_time()
        warehouse.checkpoint(con)  # as the close of a one-file ingest: merging every COMPACT_EVERY-th
        spent["checkpoint"] = time.perf_counter() - started
        spent["checkpoint cpu"] = time.process_time() - cpu  # DuckDB's threads included; no disk wait
    return dict(spent)


def mean(loads: list[dict[str, float]], part: str) -> float:
    return sum(load.get(part, 0.0) for load in loads) / len(loads) if loads else 0.0


# Storage settings of the write connections to compare (``--storage``): what the
# warehouse uses, DuckDB's defaults (the warehouse before 2026-11-29), and v1.2.0's
# format with ZSTD left on.
STORAGE_VARIANTS = {
    "warehouse": None,
    "duckdb-default": {},
    "v1.2-zstd": {"storage_compatibility_version": "v1.2.0"},
}


def measure(folder: Path, files: int, window: int, *, search_index: bool = False,
            storages: tuple[str, ...] = ("warehouse",), issues: list | None = None,
            reopen: bool = False) -> dict[str, dict]:
    """For each storage setting of ``storages`` (STORAGE_VARIANTS), the per-load parts of
    every load into a growing warehouse, and of the last ``window`` issues loaded into a
    second warehouse that starts empty.  The settings' warehouses are loaded in lockstep,
    issue by issue, so their figures are measured side by side."""
    from pipeline.ingest import source_to_issue
    from pipeline.read.sources import paths_to_sources

    if issues is None:
        issues = [source_to_issue(s) for s in paths_to_sources([folder])[:files]]
    tail = {issue.issue_id for issue in issues[-window:]}
    with tempfile.TemporaryDirectory() as tmp:
        runs = [Run(storage, Path(tmp) / storage, reopen=reopen) for storage in storages]
        try:
            for issue in issues:
                for number, run in enumerate(runs):
                    run.load(issue, tail=issue.issue_id in tail, rebuild=search_index and number == 0,
                             rebuild_at=(len(issues) // 2, len(issues)))
        finally:
            for run in runs:
                run.close()
    return {run.storage: run.measured for run in runs}


class Run:
    """A growing warehouse and one that starts empty, written with one storage setting."""

    def __init__(self, storage: str, folder: Path, *, reopen: bool = False) -> None:
        folder.mkdir()
        self.storage, self.paths, self.reopen = storage, (folder / "growth.duckdb", folder / "empty.duckdb"), reopen
        self.measured: dict = {"grown": [], "last_same": [], "empty_same": [], "rebuilds": {}}
        self.con, self.small = (self.connect(path, create=True) for path in self.paths)
        self.settled = False

    def settle(self) -> None:
        """Close both warehouses as a `gazette ingest` run's last close does when a merge is due
        (``warehouse.close`` with ``compact``), and open them again.  The loads before the
        last ``--window`` share one connection whose automatic checkpoints never merge, while
        the command closes, and merges every ``warehouse.COMPACT_EVERY``-th time, as it goes
        (``pipeline.ingest.HOLD_SECONDS``): without this, the window's first merge caught up
        with every row group of those loads (53,611 clauses and 25,241 articles rewritten,
        0.7 s of CPU), a merge the command never makes."""
        from pipeline.store import warehouse

        for con in (self.con, self.small):
            warehouse.close(con, compact=True)
        self.con, self.small = (self.connect(path, create=False) for path in self.paths)
        self.settled = True

    def connect(self, path: Path, *, create: bool):  # noqa: ANN201
        from pipeline.store import warehouse

        original = warehouse.STORAGE_CONFIG
        if STORAGE_VARIANTS[self.storage] is not None:
            warehouse.STORAGE_CONFIG = STORAGE_VARIANTS[self.storage]
        try:
            return warehouse.connect(path, create=create)
        finally:
            warehouse.STORAGE_CONFIG = original

    def load(self, issue, *, tail: bool, rebuild: bool, rebuild_at: tuple[int, int]) -> None:  # noqa: ANN001
        from pipeline.store import search_index as search

        measured = self.measured
        if tail and not self.settled:
            self.settle()
        if tail and self.reopen:  # as a one-file `gazette ingest`: open, load, checkpoint, close
            self.close()
            self.con, self.small = (self.connect(path, create=False) for path in self.paths)
        parts = load_timed(self.con, issue, checkpoint=tail)
        if parts is None:
            return
        measured["grown"].append(parts)
        if tail:
            baseline = load_timed(self.small, issue, checkpoint=True)
            if baseline is not None:
                measured["last_same"].append(parts)
                measured["empty_same"].append(baseline)
        if rebuild and len(measured["grown"]) in rebuild_at:
            started = time.perf_counter()
            search.rebuild_index(self.con)
            measured["rebuilds"][len(measured["grown"])] = time.perf_counter() - started

    def close(self) -> None:
        self.con.close()
        self.small.close()


def figures(files: int = 683, window: int = 30, folder: Path = CORPUS) -> list[Figure]:
    """Load growth over ``files`` regulations: all 683 take about 100 s on the shared
    2-core machine (parsing them about 15 s of it), 200 about 30 s; [] when the corpus
    is absent."""
    if not folder.is_dir():
        print(f"{folder}: corpus absent; load growth not measured")
        return []
    return measured_to_figures(measure(folder, files, window)["warehouse"], window)


def measured_to_figures(measured: dict, window: int) -> list[Figure]:
    grown, last_same, empty_same = measured["grown"], measured["last_same"], measured["empty_same"]
    result = []
    if last_same:
        a, b = mean(empty_same, "whole load"), mean(last_same, "whole load")
        result.append(Figure(
            f"load growth: last {len(last_same)} issues, full vs empty warehouse", b / a, "x (last/first)", TARGET, False,
            f"{b:.3f} s per load after {len(grown) - len(last_same)} issues vs {a:.3f} s into an empty warehouse, "
            "same issues interleaved",
        ))
    if len(grown) >= 2 * window:
        first, last = grown[:window], grown[-window:]
        a, b = mean(first, "whole load"), mean(last, "whole load")
        result.append(Figure(
            f"load growth: last {window} vs first {window} loads of {len(grown)}", b / a, "x (last/first)", TARGET, False,
            f"{a:.3f} s -> {b:.3f} s per load, different files",
        ))
    if last_same:
        # medians: a checkpoint's wall time includes fsync, which other processes' disk writes can stall
        a, b = median(empty_same, "checkpoint"), median(last_same, "checkpoint")
        cpu_a, cpu_b = median(empty_same, "checkpoint cpu"), median(last_same, "checkpoint cpu")
        result.append(Figure(
            "checkpoint after one load, full vs empty warehouse", b / a, "x (last/first)", TARGET, False,
            f"median {b:.3f} s vs {a:.3f} s (CPU {cpu_b:.3f} s vs {cpu_a:.3f} s) of {len(last_same)} a side: "
            "a one-file `gazette ingest` pays one when it closes the warehouse",
        ))
        result.append(merge_cycle_figure(last_same, empty_same))
    return result


def merge_cycle_figure(full: list[dict[str, float]], empty: list[dict[str, float]]) -> Figure:
    """The CPU a checkpoint costs over a merge cycle, full vs empty warehouse: the typical
    checkpoint plus the merging one's share, its extra over the typical one divided by
    ``warehouse.COMPACT_EVERY``.  The typical checkpoint is the median of the ordinary ones of
    both sides together (the figure before this one compares them side against side), so this
    one moves with what the merges add and nothing else.  The plain mean of the window's CPU
    seconds (in the detail) holds one or two merges a side among 30, and moved between 1.0× and
    1.25× over three runs of the same code: one slow ordinary checkpoint outweighs a merge's share."""
    from pipeline.store.warehouse import COMPACT_EVERY

    typical = statistics.median(load["checkpoint cpu"] for load in full + empty if not load.get("merging"))

    def merge_of(loads: list[dict[str, float]]) -> tuple[float, int]:
        merges = [load["checkpoint cpu"] for load in loads if load.get("merging")]
        return (statistics.mean(merges) if merges else typical), len(merges)

    (merge_b, merges_b), (merge_a, merges_a) = merge_of(full), merge_of(empty)
    cycle_b, cycle_a = (typical + (merge - typical) / COMPACT_EVERY for merge in (merge_b, merge_a))
    plain_b, plain_a = mean(full, "checkpoint cpu"), mean(empty, "checkpoint cpu")
    return Figure(
        f"checkpoint CPU over a merge cycle (1 in {COMPACT_EVERY}), full vs empty", cycle_b / cycle_a, "x (last/first)",
        TARGET, False,
        f"{cycle_b * 1000:.1f} ms vs {cycle_a * 1000:.1f} ms: typical {typical * 1000:.1f} ms, the merging one "
        f"{merge_b * 1000:.0f} ms vs {merge_a * 1000:.0f} ms ({merges_b} vs {merges_a} in the window"
        f"{'; none, so the typical one stands in' if not (merges_a and merges_b) else ''}); plain mean of the "
        f"{len(full)} {plain_b * 1000:.1f} ms vs {plain_a * 1000:.1f} ms",
    )


def print_parts(grown: list[dict[str, float]], window: int) -> None:
    first, last = grown[:window], grown[-window:]
    print(f"{len(grown)} issues loaded one by one; mean seconds per load, first {len(first)} vs last {len(last)}")
    for part in sorted({k for load in grown for k in load}, key=lambda k: (k != "whole load", k)):
        a, b = mean(first, part), mean(last, part)
        ratio = f"{b / a:6.2f}x" if a > 0 else "   -  "
        print(f"  {part:28} {a:8.4f} s -> {b:8.4f} s  {ratio}")


def median(loads: list[dict[str, float]], part: str) -> float:
    return statistics.median(load.get(part, 0.0) for load in loads) if loads else 0.0


def print_measured(measured: dict, window: int) -> None:
    print_parts(measured["grown"], window)
    print(f"  the last {len(measured['last_same'])} issues loaded into a warehouse that starts empty:")
    for part in ("whole load", "checkpoint", "checkpoint cpu", "insert", "commit", "step link_documents",
                 "step link_persons", "rows and rest"):
        a, b = mean(measured["empty_same"], part), mean(measured["last_same"], part)
        print(f"  {part:28} {a:8.4f} s -> {b:8.4f} s  {b / a if a else 0:6.2f}x  (empty -> full)")
    for part in ("checkpoint", "checkpoint cpu"):
        a, b = median(measured["empty_same"], part), median(measured["last_same"], part)
        print(f"  {part + ', median':28} {a:8.4f} s -> {b:8.4f} s  {b / a if a else 0:6.2f}x  (empty -> full)")
    last = mean(measured["grown"][-window:], "whole load")
    for loaded, seconds in measured["rebuilds"].items():
        print(f"  search index rebuild over {loaded} issues: {seconds:.2f} s = {seconds / last:.0f} loads of one issue")


def documents_sawtooth(texts: list[str], sizes: tuple[int, ...] = (100, 653, 1500, 2048, 4000, 8000),
                       repeats: int = 8, config: dict | None = None) -> list[tuple[int, float, list[int]]]:
    """What DuckDB rewrites at a checkpoint as a table of document texts grows: for each
    size, a table of that many ``texts`` (cycled), then ``repeats`` times: open (with
    ``config``), append one text, CHECKPOINT (CPU seconds), close, as one-file ingests do.
    Returns (size, median CPU seconds, rows per row group after).  See "Checkpoints" in
    pipeline.store.warehouse."""
    import duckdb
    import pyarrow as pa

    result = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = str(Path(tmp) / f"documents-{size}.duckdb")
            con = duckdb.connect(path)
            con.register("texts", pa.table({"text": [texts[i % len(texts)] for i in range(size)]}))
            con.execute("CREATE TABLE d AS SELECT text FROM texts")
            con.close()
            spent = []
            for repeat in range(repeats):
                con = duckdb.connect(path, config=config or {})
                con.execute("INSERT INTO d VALUES (?)", [texts[repeat % len(texts)]])
                started = time.process_time()
                con.execute("CHECKPOINT")
                spent.append(time.process_time() - started)
                groups = [row[0] for row in con.execute(
                    """SELECT sum(count) FROM pragma_storage_info('d') WHERE segment_type = 'VARCHAR'
                       GROUP BY row_group_id ORDER BY row_group_id""").fetchall()]
                con.close()
            result.append((size, statistics.median(spent), groups))
    return result


def one_file_closes(issues: list, closes: int) -> list[str]:
    """Load the first ``closes`` issues each in a connection of its own, closed as a one-file
    ``gazette ingest`` closes it (``warehouse.close``), then the same with DuckDB's default
    checkpoint (merging at every one); per side: file size and the close's seconds (mean,
    median, first and last 30).  The reason for ``warehouse.COMPACT_EVERY``."""
    from pipeline.store import warehouse

    lines = []
    for label, config, close in (("warehouse.close", warehouse.CHECKPOINT_CONFIG, warehouse.close),
                                 ("DuckDB's default", {}, lambda con: con.close())):
        original = warehouse.CHECKPOINT_CONFIG
        warehouse.CHECKPOINT_CONFIG = config
        try:
            with tempfile.TemporaryDirectory() as tmp:
                db, seconds = Path(tmp) / "w.duckdb", []
                for issue in issues[:closes]:
                    con = warehouse.connect(db)
                    warehouse.load_issue(con, issue)
                    started = time.perf_counter()
                    close(con)
                    seconds.append(time.perf_counter() - started)
                size = db.stat().st_size / 1e6
        finally:
            warehouse.CHECKPOINT_CONFIG = original
        window = min(30, len(seconds))
        lines.append(f"{label:18} {size:6.0f} MB; close {statistics.mean(seconds) * 1000:6.1f} ms mean, "
                     f"{statistics.median(seconds) * 1000:6.1f} median; first {window} "
                     f"{statistics.mean(seconds[:window]) * 1000:6.1f} ms, last {window} {statistics.mean(seconds[-window:]) * 1000:6.1f} ms")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path, nargs="?", default=CORPUS)
    parser.add_argument("--files", type=int, default=683)
    parser.add_argument("--window", type=int, default=30)
    parser.add_argument("--search-index", action="store_true", help="also time the search index rebuild")
    parser.add_argument("--storage", default="warehouse",
                        help=f"comma-separated storage settings to measure side by side: {', '.join(STORAGE_VARIANTS)}")
    parser.add_argument("--documents-sawtooth", action="store_true",
                        help="also time a checkpoint after one appended document text as a table of them grows")
    parser.add_argument("--closes", type=int, default=0,
                        help="also load the first N issues one connection each, closed as one-file ingests close it")
    parser.add_argument("--reopen", action="store_true",
                        help="load each of the last issues in a connection opened for it, as a one-file ingest does")
    args = parser.parse_args()
    if not args.folder.is_dir():
        print(f"{args.folder}: corpus absent; load growth not measured")
        return
    from pipeline.ingest import source_to_issue
    from pipeline.read.sources import paths_to_sources

    started = time.perf_counter()
    issues = [source_to_issue(s) for s in paths_to_sources([args.folder])[: max(args.files, args.closes)]]
    if args.closes:
        print(f"{args.closes} one-file loads, each closed (a checkpoint):")
        for line in one_file_closes(issues, args.closes):
            print("  " + line)
    issues = issues[: args.files]
    storages = tuple(args.storage.split(","))
    results = measure(args.folder, args.files, args.window, search_index=args.search_index, storages=storages,
                      issues=issues, reopen=args.reopen)
    print(f"(measured in {time.perf_counter() - started:.0f} s; {', '.join(storages)} side by side)")
    for storage, measured in results.items():
        settings = STORAGE_VARIANTS[storage]
        print(f"== storage: {storage} ({'pipeline.store.warehouse.STORAGE_CONFIG' if settings is None else settings})")
        print_measured(measured, args.window)
        print_figures(measured_to_figures(measured, args.window))
    if args.documents_sawtooth:
        from pipeline.store.warehouse import CHECKPOINT_CONFIG

        texts = [document.text for issue in issues for document in issue.documents if document.text]
        for label, config in (("DuckDB's default", {}), (f"the warehouse's {CHECKPOINT_CONFIG}", CHECKPOINT_CONFIG)):
            print(f"checkpoint after appending one document text, fresh connection each time (CPU, median), {label}:")
            for size, seconds, groups in documents_sawtooth(texts, config=config):
                print(f"  {size:6} documents: {seconds * 1000:6.1f} ms; rows per row group after: {groups[:6]}"
                      f"{'…' if len(groups) > 6 else ''} ({len(groups)} row groups)")


if __name__ == "__main__":
    main()
