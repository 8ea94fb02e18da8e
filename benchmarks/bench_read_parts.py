"""CPU seconds of each part of reading a PDF's text layer, this checkout against another
(``--before``), measured in the same run.

    PYTHONPATH=. python benchmarks/bench_read_parts.py [--pdf PATH | --pages 200] [--before CHECKOUT] [--rounds 3]

Each round runs one process per checkout (interleaved, best of ``--rounds`` per part). A process
imports ``pipeline.ingest`` (the heap a reader worker inherits), then does one worker's work through
the reader's own code: ``_init_reader``, ``_read_range`` over chunks of ``READ_CHUNK_PAGES`` pages,
each chunk pickled as the pool sends it; then, as the main process, unpickles them and runs
``strip_running_lines``, ``leading_ratio`` and ``lines_to_blocks``. Parts (``time.process_time``
inside wrappers of the functions named):

* pdfium (fixed, pdfium's own work): ``load`` (``PdfDocument[i]``: FPDF_LoadPage), ``textpage``
  (FPDFText_LoadPage), ``grids`` (pdfplumber's ``TableFinder`` on table pages), ``edges``;
* per char and line (what the reader's Python spends): ``chars`` (``page_to_chars``), ``other``
  (the rest of ``page_to_layout``: the text-layer check), ``layout`` (``chars_to_layout``),
  ``rules`` (``page_has_rules``), ``pickle`` (in the worker), ``unpickle``, ``strip`` and ``blocks``
  (in the main process); ``parts`` is their sum.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXED = ("load", "textpage", "grids", "edges")
PARTS = ("chars", "other", "layout", "rules", "pickle", "unpickle", "strip", "blocks")


def measure(path: str) -> dict[str, float]:
    """The parts of one read of ``path`` in this process (imports the checkout on ``sys.path``)."""
    import gc
    import pickle
    import time

    import pypdfium2 as pdfium

    import pipeline.ingest  # noqa: F401 - the heap a forked reader worker inherits
    from pipeline.read import layout, pdf

    clock = time.process_time
    spent = dict.fromkeys((*FIXED, *PARTS, "page_to_layout"), 0.0)

    def timed(name: str, fn):  # noqa: ANN001, ANN202
        def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            start = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += clock() - start
        return wrapper

    for name, owner, attribute in [
        ("chars", pdf, "page_to_chars"), ("layout", pdf, "chars_to_layout"), ("rules", pdf, "page_has_rules"),
        ("edges", pdf, "page_to_edges"), ("grids", pdf, "find_table_grids"), ("page_to_layout", pdf, "page_to_layout"),
        ("textpage", pdfium.PdfPage, "get_textpage"), ("load", pdfium.PdfDocument, "__getitem__"),
    ]:
        setattr(owner, attribute, timed(name, getattr(owner, attribute)))
    pdf._init_reader(path)
    count = len(pdf._WORKER_PDF[0])
    sent = []
    for start in range(0, count, pdf.READ_CHUNK_PAGES):
        chunk = pdf._read_range(path, start, min(start + pdf.READ_CHUNK_PAGES, count))
        begin = clock()
        sent.append(pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL))
        spent["pickle"] += clock() - begin
    gc.unfreeze()  # the main process's part: its heap is not frozen (a worker's may be)
    begin = clock()
    layouts = [page for data in sent for page in pickle.loads(data)]
    spent["unpickle"] = clock() - begin
    begin = clock()
    layout.strip_running_lines(layouts)
    ratio = layout.leading_ratio([line for page in layouts for line in page.lines])
    spent["strip"] = clock() - begin
    begin = clock()
    for page in layouts:
        layout.lines_to_blocks(page.lines, page.number, ratio)
    spent["blocks"] = clock() - begin
    inside = spent.pop("page_to_layout")
    spent["other"] = inside - sum(spent[name] for name in ("textpage", "chars", "layout", "rules", "edges", "grids"))
    spent["parts"] = sum(spent[name] for name in PARTS)
    return spent


def run_checkout(checkout: Path, path: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run([sys.executable, __file__, "--child", str(path)], env=env, cwd=checkout,
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare(path: Path, before: Path | None, rounds: int) -> dict[str, dict[str, float]]:
    """Best CPU seconds of each part per checkout ("now", and "before" when given), interleaved rounds."""
    checkouts = {"now": REPO, **({"before": before} if before else {})}
    best: dict[str, dict[str, float]] = {name: {} for name in checkouts}
    for _ in range(rounds):
        for name, checkout in checkouts.items():
            for part, seconds in run_checkout(checkout, path).items():
                best[name][part] = min(best[name].get(part, float("inf")), seconds)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdf", type=Path, help="default: the sample rendered to --pages pages")
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--before", type=Path, help="another checkout (e.g. a git worktree of an older commit)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child)))
        return
    sys.path.insert(0, str(REPO))
    from benchmarks.bench_ingest import render_pages

    with tempfile.TemporaryDirectory() as tmp:
        path = args.pdf or render_pages(Path(tmp), args.pages)
        best = compare(path, args.before, args.rounds)
    names = list(best)
    print(f"{path.name if args.pdf else f'{args.pages}-page sample'}: CPU seconds, best of {args.rounds}")
    print(f"{'part':10}" + "".join(f"{name:>10}" for name in names) + ("     ratio" if len(names) == 2 else ""))
    for part in (*FIXED, *PARTS, "parts"):
        row = f"{part:10}" + "".join(f"{best[name][part]:10.3f}" for name in names)
        if len(names) == 2 and best["before"][part] > 0:
            row += f"{best['now'][part] / best['before'][part]:10.2f}"
        print(row)


if __name__ == "__main__":
    main()
