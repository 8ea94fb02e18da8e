"""Peak memory and time per hostile file (issue 14, item 3), against the bundled sample in the same run.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_limits.py [--quick]

Each case is ingested (``--direct``, default limits) in a fresh process; the figure is the
peak resident set of that process and of its OCR workers (``getrusage``: a forked worker's
figure includes the parent's pages it shares).  The files come from
tests/fixtures/make_hostile_files.py, plus two at the edge of the limits: a one-line text
just under ``DEFAULT_MAX_TEXT_BYTES`` and a blank page just under ``DEFAULT_MAX_PAGE_PIXELS``
(the largest inputs the limits let through).  ``--quick`` leaves out the OCR case.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from math import sqrt
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.read.limits import DEFAULT_MAX_PAGE_PIXELS, DEFAULT_MAX_TEXT_BYTES  # noqa: E402
from pipeline.read.ocr import DEFAULT_OCR_SCALE  # noqa: E402
from tests.fixtures.make_hostile_files import ONE_LINE_UNIT, blank_pdf, make_hostile_files  # noqa: E402

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from pipeline.ingest import ingest_sources
from pipeline.read.sources import paths_to_sources
began = time.perf_counter()
report = ingest_sources(paths_to_sources([Path(sys.argv[1])]), Path(sys.argv[2]), parsed_dir=None)
[result] = report.results
print(json.dumps({
    "status": result.status, "error": result.error, "seconds": time.perf_counter() - began,
    "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "workers_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""


def measure(path: Path, work: Path) -> dict:
    run = subprocess.run([sys.executable, "-c", _CHILD, str(path), str(work / f"{path.stem}.duckdb")],
                         capture_output=True, text=True, cwd=REPO, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    if run.returncode:
        raise SystemExit(run.stderr)
    return json.loads(run.stdout.splitlines()[-1])


def edge_cases(directory: Path, *, ocr: bool) -> dict[str, Path]:
    unit = ONE_LINE_UNIT.encode("utf-8")
    size = DEFAULT_MAX_TEXT_BYTES - DEFAULT_MAX_TEXT_BYTES % len(unit)
    text = directory / "one-line-at-limit.txt"
    text.write_bytes(unit * (size // len(unit)))
    cases = {"one-line-at-limit.txt": text}
    if ocr:
        side = sqrt(DEFAULT_MAX_PAGE_PIXELS) / DEFAULT_OCR_SCALE - 1
        cases["page-at-pixel-limit.pdf"] = blank_pdf(directory / "page-at-pixel-limit.pdf", 1, (side, side))
    return cases


def main() -> None:
    quick = "--quick" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cases = {"sample (baseline)": REPO / "tests/fixtures/xinzhou-2024-05.txt"}
        hostile = make_hostile_files(work / "hostile")
        cases |= {name: hostile[name] for name in ("huge-pages.pdf", "blank-pages.pdf", "one-line.txt")}
        cases |= edge_cases(work, ocr=not quick)
        baseline = None
        print(f"{'case':26} {'status':8} {'s':>7} {'peak MB':>8} {'workers MB':>10} {'x sample':>8}")
        for name, path in cases.items():
            figures = measure(path, work)
            peak = max(figures["self_mb"], figures["workers_mb"])
            baseline = baseline or peak
            print(f"{name:26} {figures['status']:8} {figures['seconds']:7.1f} {figures['self_mb']:8.0f} "
                  f"{figures['workers_mb']:10.0f} {peak / baseline:8.2f}")


if __name__ == "__main__":
    main()
