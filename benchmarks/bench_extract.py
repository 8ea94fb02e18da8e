"""Extraction throughput (characters/s) of every registered extractor, over the
sample issue and over a slice of the national regulations corpus (skipped when
absent), against a baseline measured in the same run: one bare regex pass
(document numbers and money) over the same text.

    PYTHONPATH=. python benchmarks/bench_extract.py [--docs 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import regex

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "tests" / "fixtures" / "xinzhou-2024-05.txt"
REGULATIONS = Path(os.environ.get("GAZETTE_SHARED", REPO.parent / "shared")) / "corpus" / "regulations"
BASELINE = regex.compile(r"\p{Han}{2,8}[〔\[（(]\d{4}[〕\])）]\d+号|\d+(?:\.\d+)?[万亿]?元")


def clear_caches() -> None:
    """Forget the per-clause subject tokens, so that every round pays for spaCy."""
    try:
        from extractors.subject.patterns import words_of
    except ImportError:  # an older checkout measured as the baseline
        return
    words_of.cache_clear()


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        clear_caches()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(label: str, documents, repeat: int) -> None:
    from extractors import REGISTRY, extract_document

    chars = sum(len(d.text) for d in documents)
    baseline = best_of(repeat, lambda: [BASELINE.findall(d.text) for d in documents])
    full = best_of(repeat, lambda: [extract_document(d) for d in documents])
    print(f"{label}: {len(documents)} documents, {chars} chars")
    print(f"  all extractors   {full:8.3f} s  {chars / full:12,.0f} chars/s")
    for kind, extract in REGISTRY.items():
        t = best_of(repeat, lambda extract=extract: [extract(d) for d in documents])
        print(f"  {kind:16} {t:8.3f} s  {chars / t:12,.0f} chars/s")
    print(f"  baseline regex   {baseline:8.3f} s  {chars / baseline:12,.0f} chars/s")
    print(f"  ratio: all extractors take {full / baseline:,.0f}x the bare regex pass")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100, help="regulations to use from the corpus")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from extractors.nlp import nlp
    from pipeline.ingest import source_to_issue
    from pipeline.read.sources import source_of

    nlp()  # load spaCy/jieba outside the timings (~0.7 s once per process)
    try:
        from extractors.subject.patterns import subject_pipeline

        subject_pipeline()  # and the subject EntityRuler
    except ImportError:
        pass
    issue = source_to_issue(source_of(SAMPLE))
    measure("sample issue", issue.documents, args.repeat)
    if REGULATIONS.is_dir():
        paths = sorted(REGULATIONS.glob("*.txt"))[: args.docs]
        documents = [d for p in paths for d in source_to_issue(source_of(p)).documents]
        measure(f"regulations ({len(paths)} files)", documents, args.repeat)
    else:
        print(f"regulations corpus not found at {REGULATIONS}; skipped")


if __name__ == "__main__":
    main()
