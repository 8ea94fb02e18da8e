"""What full-text search costs: jieba segmentation against parsing, index build, query time.

    python benchmarks/search_index.py [FOLDER]     (default: the regulations corpus in ../shared)

Prints seconds and ratios measured in this run: segmentation time / parse time
(the share search adds to ingest), the one-off fts rebuild, and the mean query.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.analyst import search  # noqa: E402
from pipeline.ingest import source_to_issue  # noqa: E402
from pipeline.read.sources import paths_to_sources  # noqa: E402
from pipeline.store import (
    search_index,
    warehouse,  # noqa: E402
)
from schemas import tables_search, tokens

QUERIES = ["行政处罚 罚款", "补贴 标准", "应急预案", "有效期", "许可 申请 期限", "国务院 批准", "环境 保护", "税收 减免"]


def main(folder: Path) -> None:
    sources = paths_to_sources([folder])
    tokens.text_to_tokens("预热")  # load jieba and the dictionaries outside the timings
    started = time.perf_counter()
    issues = [source_to_issue(s) for s in sources]
    parse = time.perf_counter() - started
    chars = sum(len(d.text) for i in issues for d in i.documents)
    started = time.perf_counter()
    rows = sum(len(tables_search.issue_to_search_rows(i)) for i in issues)
    segment = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        con = warehouse.connect(Path(tmp) / "bench.duckdb")
        started = time.perf_counter()
        failed = []
        for issue in issues:
            try:
                warehouse.load_issue(con, issue)
            except Exception as error:  # a parser fault elsewhere must not stop the measurement
                failed.append(f"{issue.issue_id}: {str(error).splitlines()[0]}")
        load = time.perf_counter() - started
        started = time.perf_counter()
        search_index.rebuild_index(con)
        rebuild = time.perf_counter() - started
        started = time.perf_counter()
        for query in QUERIES:
            search.search(con, query, limit=10)
        per_query = (time.perf_counter() - started) / len(QUERIES)
        con.close()
    for message in failed:
        print("not loaded:", message)
    print(f"{len(sources)} files, {chars / 1e6:.2f} M chars, {rows} search units")
    print(f"parse {parse:.2f} s; jieba segmentation {segment:.2f} s ({chars / segment / 1e3:.0f} k chars/s) = {segment / parse:.2f}× parse")
    print(f"load (incl. segmentation) {load:.2f} s; fts rebuild {rebuild:.2f} s = {rebuild / load:.2f}× load; query {per_query * 1000:.0f} ms")


if __name__ == "__main__":
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "regulations"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
