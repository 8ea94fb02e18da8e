"""Quality of the subjects chosen for amounts and thresholds: how many are empty,
longer than 12 characters, or end in a function word (a particle, modal verb,
preposition or localizer that frames a subject rather than names it), on the
sample issue and on a slice of the national regulations corpus (skipped when
absent).

    PYTHONPATH=. python benchmarks/subject_quality.py [--docs 100] [--show 20]

The function-word list below is the yardstick, kept here on purpose rather than
imported from extractors/: the extractor's own trimming lists must not define
what counts as a good result.
"""

from __future__ import annotations

import argparse
import os
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "tests" / "fixtures" / "xinzhou-2024-05.txt"
REGULATIONS = Path(os.environ.get("GAZETTE_SHARED", REPO.parent / "shared")) / "corpus" / "regulations"
KINDS = ("amounts", "thresholds")
MAX_CHARS = 12
# particles, modal verbs, prepositions, conjunctions, localizers, comparison verbs
FUNCTION_ENDINGS = (
    "的", "地", "得", "了", "在", "于", "应", "应当", "须", "必须", "不得", "要", "可", "可以", "将",
    "为", "是", "有", "和", "及", "与", "或", "或者", "等", "对", "按", "按照", "给予", "由", "经",
    "被", "把", "从", "自", "向", "以", "后", "前", "起", "时", "内", "中", "达", "达到", "占", "并", "且",
)

# nouns that end in one of those characters: 违法所得 (income), 用地, 场地
NOUN_ENDINGS = ("所得", "用地", "场地", "土地")


def verdict(subject: str | None) -> str | None:
    """'empty', 'long', 'function' or None (acceptable)."""
    if not subject:
        return "empty"
    if len(subject) > MAX_CHARS:
        return "long"
    if subject.endswith(FUNCTION_ENDINGS) and not subject.endswith(NOUN_ENDINGS):
        return "function"
    return None


def measure(label: str, documents, show: int) -> None:
    from extractors import REGISTRY

    counts: Counter = Counter()
    examples: dict[str, list[str]] = {}
    for document in documents:
        for kind in KINDS:
            for record in REGISTRY[kind](document):
                counts[kind, "total"] += 1
                bad = verdict(record.subject)
                if bad:
                    counts[kind, bad] += 1
                    left = document.text[max(0, record.start - 24):record.start].replace("\n", "⏎")
                    right = document.text[record.end:record.end + 10].replace("\n", "⏎")
                    examples.setdefault(bad, []).append(f"{record.subject}   | {left}[{record.raw}]{right}")
    print(f"{label}: {len(documents)} documents")
    for kind in KINDS:
        total = counts[kind, "total"]
        bad = sum(counts[kind, v] for v in ("empty", "long", "function"))
        print(f"  {kind:11} {total:5} records   empty {counts[kind, 'empty']:4}   >{MAX_CHARS} chars "
              f"{counts[kind, 'long']:4}   function-word ending {counts[kind, 'function']:4}   bad {bad:4} "
              f"({bad / total:.0%})" if total else f"  {kind:11} no records")
    for bad, rows in examples.items():
        for row in rows[:show]:
            print(f"    {bad:8} {row}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100, help="regulations to use from the corpus")
    parser.add_argument("--show", type=int, default=0, help="examples of each fault to print")
    args = parser.parse_args()

    from pipeline.ingest import source_to_issue
    from pipeline.read.sources import source_of

    measure("sample issue", source_to_issue(source_of(SAMPLE)).documents, args.show)
    if REGULATIONS.is_dir():
        paths = sorted(REGULATIONS.glob("*.txt"))[: args.docs]
        documents = [d for p in paths for d in source_to_issue(source_of(p)).documents]
        measure(f"regulations ({len(paths)} files)", documents, args.show)
    else:
        print(f"regulations corpus not found at {REGULATIONS}; skipped")


if __name__ == "__main__":
    main()
