"""Queries on a big warehouse (issue 12, target 6): search and the README's SQL stay fast, and the
search index is brought up to date after one more issue without redoing the whole corpus.

    PYTHONPATH=. python benchmarks/bench_queries.py [--regulations N] [--copies 200] [--rebuild]

The warehouse: the regulations corpus (../shared/corpus/regulations, every file unless
``--regulations``) plus ``--copies`` copies of the bundled sample issue, each a distinct issue (its
masthead's 期号 and 总期号 lines rewritten, so it parses to an issue_id of its own), parsed and
extracted like ``gazette ingest`` does and loaded with ``warehouse.load_issue``.  Building it takes
minutes, so it is kept under ``$TMPDIR/gazette-bench-queries/`` keyed by the corpus size, the
parser version and the warehouse's DDL; ``--rebuild`` builds it again.  Each run works on a copy of it.

Figures (``figures()``; ``benchmarks/issue12.py`` collects them):
* ``gazette search``: the function the command calls (``pipeline.analyst.search.search``), warm (one
  warm-up, then the best of 3), for each of ``QUERIES``; the mean and the max (target ≤ 0.3 s);
* the README's example SQL (every statement of its ```sql blocks, as tests/test_readme_examples.py
  extracts them), best of 3 after a warm-up; the slowest (target ≤ 0.5 s);
* the search index update after loading one more issue (``search_index.refresh_index``) as a ratio
  to a full rebuild of the index over the same warehouse (``search_index.rebuild_index``), both
  timed in this run (target ≤ 0.1).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import regex

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.targets import Figure, print_figures  # noqa: E402

REGULATIONS = REPO.parent / "shared" / "corpus" / "regulations"
SAMPLE = REPO / "tests" / "fixtures" / "xinzhou-2024-05.txt"
README = REPO / "README.md"
CACHE_DIR = Path(tempfile.gettempdir()) / "gazette-bench-queries"

# What analysts type: common words of both corpora, two- and three-word queries, one rare pair.
QUERIES = ["行政处罚 罚款", "补贴 标准", "应急预案", "有效期", "许可 申请 期限", "国务院 批准", "环境 保护",
           "清洁取暖 补贴"]

SEARCH_TARGET = 0.3
README_TARGET = 0.5
UPDATE_TARGET = 0.1

# The sample's masthead: 2024年第5期 / (总第57期), printed twice on the cover (GB/T 9704's 版头 of a
# gazette: year and number of the year, then the running number since the first issue).
_ISSUE_LINE = regex.compile(r"^(?P<year>\d{4})\s*年第\s*(?P<number>\d+)\s*期\s*$", regex.M)
_RUNNING_LINE = regex.compile(r"^(?P<open>\(?)总第\s*(?P<number>\d+)\s*期(?P<close>\)?)\s*$", regex.M)


# ---------------------------------------------------------------------------
# The warehouse


def sample_copy_text(text: str, copy: int) -> str:
    """The sample's text as another issue of the same gazette: copy k is number k % 12 + 1 of
    year 2023 - k // 12, and its running number is 1000 + k (no real issue has those)."""
    year, number = 2023 - copy // 12, copy % 12 + 1
    text, issues = _ISSUE_LINE.subn(f"{year}年第{number}期", text)
    text, runnings = _RUNNING_LINE.subn(lambda m: f"{m['open']}总第{1000 + copy}期{m['close']}", text)
    if not issues or not runnings:
        raise ValueError("the sample's masthead has no 期号 line to rewrite")
    return text


def parse_and_extract(path: Path):
    """What `gazette ingest` does to a file before the load: read and parse, then extract."""
    from pipeline.ingest import extract_issue, source_to_issue
    from pipeline.read.sources import source_of

    return extract_issue(source_to_issue(source_of(path)))


def build_warehouse(db: Path, regulations: list[Path], copies: int, scratch: Path) -> dict[str, int]:
    """Load the regulations and ``copies`` sample copies into a new warehouse at ``db``."""
    from pipeline.store import search_index, warehouse

    counts = {"regulations": 0, "copies": 0, "failed": 0}
    con = warehouse.connect(db)
    try:
        for number, path in enumerate(regulations, start=1):
            try:
                warehouse.load_issue(con, parse_and_extract(path))
                counts["regulations"] += 1
            except Exception as error:  # a parser fault in one file must not stop the build
                counts["failed"] += 1
                print(f"not loaded: {path.name}: {str(error).splitlines()[0]}", file=sys.stderr)
            if number % 50 == 0:
                print(f"  {number}/{len(regulations)} regulations", file=sys.stderr)
        for copy in range(copies):
            warehouse.load_issue(con, parse_and_extract(write_sample_copy(scratch, copy)))
            counts["copies"] += 1
            if (copy + 1) % 50 == 0:
                print(f"  {copy + 1}/{copies} sample copies", file=sys.stderr)
        search_index.rebuild_index(con)
    finally:
        con.close()
    return counts


def write_sample_copy(folder: Path, copy: int) -> Path:
    path = folder / f"xinzhou-copy-{copy:04d}.txt"
    path.write_text(sample_copy_text(SAMPLE.read_text(encoding="utf-8"), copy), encoding="utf-8")
    return path


def cached_warehouse(regulations: int | None, copies: int, rebuild: bool = False) -> Path | None:
    """The big warehouse, built once and kept in CACHE_DIR; None when the corpus is absent."""
    from schemas import PARSER_VERSION

    if not REGULATIONS.is_dir():
        return None
    files = sorted(REGULATIONS.glob("*.txt"))[:regulations]
    if not files:
        return None
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    from pipeline.store.warehouse import GENERATED_DDL, ddl_fingerprint

    # keyed by the DDL too: a warehouse of an older one gets upgraded on first use (its search
    # index rebuilt whole, 6.6 s for the first load into it), which no figure here is about
    ddl = ddl_fingerprint(GENERATED_DDL.read_text(encoding="utf-8"))[:12]
    db = CACHE_DIR / f"regs{len(files)}-copies{copies}-parser{PARSER_VERSION}-ddl{ddl}.duckdb"
    if db.exists() and not rebuild:
        return db
    db.unlink(missing_ok=True)
    building = db.with_suffix(".building")
    building.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        counts = build_warehouse(building, files, copies, Path(scratch))
        print(f"built {db.name} in {time.perf_counter() - started:.0f} s: {counts}", file=sys.stderr)
    building.replace(db)
    return db


# ---------------------------------------------------------------------------
# Timings


def best_warm(run: Callable[[], object], rounds: int = 3) -> float:
    """Seconds of the fastest of ``rounds`` calls after one warm-up call."""
    run()
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def timed(run: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


@dataclass(frozen=True)
class Measured:
    """Everything measured in one run, on one copy of the warehouse."""

    issues: int
    units: int
    postings: int
    search: dict[str, float]  # query → best warm seconds
    readme: dict[str, float]  # "README.md line N: statement" → best warm seconds
    full_rebuild: float
    fts_rebuild: float | None  # DuckDB fts's create_fts_index over the same units: what every ingest ran before
    load: float  # loading the one more issue (not part of the index update)
    update: float
    updated_issues: int


def readme_sql() -> dict[str, str]:
    """Every statement of README.md's ```sql blocks, as tests/test_readme_examples.py runs them
    (all of them run there; none is skipped), labelled by line."""
    from tests.test_readme_examples import readme_examples

    examples = readme_examples(README.read_text(encoding="utf-8"))
    return {f"README.md line {e.line}: {' '.join(e.text.split())[:70]}": e.text for e in examples if e.language == "sql"}


def measure(cached: Path, copies: int) -> Measured:
    """Full rebuild, searches and README queries (read-only, as analysts connect), then one more
    issue loaded and the index updated, on a copy of the cached warehouse."""
    from pipeline.analyst import search
    from pipeline.store import search_index, warehouse

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "queries.duckdb"
        shutil.copy(cached, db)
        con = warehouse.connect(db)
        con.execute("SET enable_progress_bar = false")
        try:  # the full rebuild also brings a warehouse cached by older code up to date
            full_rebuild, _ = timed(lambda: search_index.rebuild_index(con, full=True))
            fts_rebuild = fts_index_seconds(con)
        finally:
            con.close()
        con = warehouse.connect(db, read_only=True)
        con.execute("SET enable_progress_bar = false")
        try:
            sizes = [con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                     for table in ("issues", "search_units", "search_postings")]
            searches = {query: best_warm(lambda q=query: search.search(con, q)) for query in QUERIES}
            statements = {label: best_warm(lambda s=sql: con.execute(s).fetchall()) for label, sql in readme_sql().items()}
        finally:
            con.close()
        extra = parse_and_extract(write_sample_copy(Path(tmp), copies))  # numbered after the cached copies
        con = warehouse.connect(db)
        con.execute("SET enable_progress_bar = false")
        try:
            load, _ = timed(lambda: warehouse.load_issue(con, extra))
            update, updated = timed(lambda: search_index.rebuild_index(con))
        finally:
            con.close()
    return Measured(*sizes, searches, statements, full_rebuild, fts_rebuild, load, update, updated)


def fts_index_seconds(con) -> float | None:
    """Seconds of the DuckDB fts index build the search used before (dropped again), or None
    without the fts extension."""
    import duckdb

    from pipeline.store import search_index

    statement = (f"PRAGMA create_fts_index('{search_index.SEARCH_TABLE}', 'unit_id', 'tokens', 'title_tokens', "
                 f"stemmer = 'none', stopwords = 'none', ignore = '{search_index.TERM_SEPARATORS}', "
                 "strip_accents = 0, lower = 1, overwrite = 1)")
    try:
        seconds, _ = timed(lambda: con.execute(statement))
    except duckdb.Error:
        return None
    con.execute(f"DROP SCHEMA IF EXISTS {search_index.LEGACY_FTS_SCHEMA} CASCADE")
    return seconds


def measured_to_figures(m: Measured, regulations: int, copies: int) -> list[Figure]:
    warehouse_size = f"{regulations} regulations + {copies} sample copies: {m.issues} issues, {m.units:,} units, {m.postings:,} postings"
    slowest_query = max(m.search, key=m.search.get)
    slowest_sql = max(m.readme, key=m.readme.get)
    mean = sum(m.search.values()) / len(m.search)
    fts = f"{m.fts_rebuild:.2f} s" if m.fts_rebuild is not None else "(no fts extension)"
    return [
        Figure("gazette search, warm, mean of the queries", mean, "s", SEARCH_TARGET, False,
               f"{len(m.search)} queries, best of 3 after a warm-up; {warehouse_size}"),
        Figure("gazette search, warm, slowest query", m.search[slowest_query], "s", SEARCH_TARGET, False,
               f"{slowest_query!r}"),
        Figure("README example SQL, slowest statement", m.readme[slowest_sql], "s", README_TARGET, False,
               f"{len(m.readme)} statements, best of 3 after a warm-up; slowest {slowest_sql}"),
        Figure("search index update after one more issue / full rebuild", m.update / m.full_rebuild, "x its time",
               UPDATE_TARGET, False,
               f"update {m.update:.2f} s ({m.updated_issues} issue) vs full rebuild {m.full_rebuild:.2f} s; "
               f"the issue's load itself {m.load:.2f} s; before: DuckDB fts's rebuild on every ingest {fts}"),
    ]


def figures(regulations: int | None = None, sample_copies: int = 200, rebuild: bool = False) -> list[Figure]:
    """Issue 12 target 6 on the regulations corpus plus ``sample_copies`` copies of the sample;
    [] (with a line on stderr) when the corpus is absent."""
    cached = cached_warehouse(regulations, sample_copies, rebuild)
    if cached is None:
        print(f"no regulations corpus at {REGULATIONS}: nothing to measure", file=sys.stderr)
        return []
    n_regulations = len(sorted(REGULATIONS.glob("*.txt"))[:regulations])
    return measured_to_figures(measure(cached, sample_copies), n_regulations, sample_copies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--regulations", type=int, default=None, help="First N regulation files (default: all).")
    parser.add_argument("--copies", type=int, default=200, help="Copies of the sample issue.")
    parser.add_argument("--rebuild", action="store_true", help="Build the cached warehouse again.")
    parser.add_argument("--verbose", "-v", action="store_true", help="Print every query's and statement's time too.")
    args = parser.parse_args()
    cached = cached_warehouse(args.regulations, args.copies, args.rebuild)
    if cached is None:
        print(f"no regulations corpus at {REGULATIONS}: nothing to measure")
        return
    measured = measure(cached, args.copies)
    if args.verbose:
        for label, seconds in [*measured.search.items(), *measured.readme.items()]:
            print(f"{seconds:7.3f} s  {label}")
    n_regulations = len(sorted(REGULATIONS.glob("*.txt"))[:args.regulations])
    print_figures(measured_to_figures(measured, n_regulations, args.copies))


if __name__ == "__main__":
    main()
