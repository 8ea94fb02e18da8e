"""Quality of the subjects chosen for amounts and thresholds.

1. Scored against hand-made gold files (tests/fixtures/gold/thresholds.jsonl,
   amounts.jsonl, and thresholds_holdout.jsonl, kept out of rule-writing): sentences drawn at random (fixed seed) from the national
   regulations corpus, each with the number as written and the fields a reader
   expects, written by hand before looking at the extractor's output.  Each
   sentence is run through the extractor as a one-sentence Document; a gold row
   is right when a record covers its number and every field matches (a gold
   ``subject_also`` lists other acceptable wordings of the same subject).
2. Shape counts on the sample issue and a slice of the corpus (skipped when
   absent): subjects that are empty, longer than 12 characters, or end in a
   function word (a particle, modal verb, preposition or localizer that frames
   a subject rather than names it).

    PYTHONPATH=. python benchmarks/subject_quality.py [--docs 100] [--show 20] [--misses]

The function-word list below is the yardstick, kept here on purpose rather than
imported from extractors/: the extractor's own trimming lists must not define
what counts as a good result.
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "tests" / "fixtures" / "xinzhou-2024-05.txt"
REGULATIONS = Path(os.environ.get("GAZETTE_SHARED", REPO.parent / "shared")) / "corpus" / "regulations"
GOLD = REPO / "tests" / "fixtures" / "gold"
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


@dataclass
class Score:
    """Gold rows, how many a record covers, how many are right, and the misses."""

    total: int = 0
    found: int = 0
    right: int = 0
    fields: Counter = field(default_factory=Counter)  # field → rows right on that field
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


def gold_rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (GOLD / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def covering(records, start: int, end: int):
    """The record overlapping text[start:end] the most, or None."""
    best, overlap = None, 0
    for record in records:
        shared = min(end, record.end) - max(start, record.start)
        if shared > overlap:
            best, overlap = record, shared
    return best


def sentence_document(sentence: str):
    from schemas import Document

    return Document(doc_id="gold/d01", issue_id="gold", seq=1, text=sentence)


def score_thresholds(rows: list[dict]) -> Score:
    """Subject and comparator of every gold threshold."""
    from extractors import thresholds

    score = Score()
    for row in rows:
        score.total += 1
        start = row["sentence"].index(row["number_text"])
        record = covering(thresholds.extract(sentence_document(row["sentence"])), start, start + len(row["number_text"]))
        if record is None:
            score.misses.append(f"not found  {row['number_text']} | {row['sentence'][:60]}")
            continue
        score.found += 1
        subject_ok = record.subject in {row["subject"], *row.get("subject_also", [])}
        op_ok = record.op == row["op"]
        score.fields["subject"] += subject_ok
        score.fields["op"] += op_ok
        if subject_ok and op_ok:
            score.right += 1
        else:
            score.misses.append(f"{record.subject!s:14} want {row['subject']:10} {record.op}/{row['op']}  "
                                f"{row['number_text']} | {row['sentence'][:70]}")
    return score


AMOUNT_FIELDS = ("value_yuan", "currency", "per_unit", "period", "role", "subject")


def score_amounts(rows: list[dict]) -> Score:
    """Every field of every gold amount: value, currency, per_unit, period, role, subject."""
    from extractors import money

    score = Score()
    for row in rows:
        score.total += 1
        start = row["at"]
        record = covering(money.extract(sentence_document(row["sentence"])), start, start + len(row["number_text"]))
        if record is None:
            score.misses.append(f"not found  {row['number_text']} | {row['sentence'][:60]}")
            continue
        score.found += 1
        wrong = []
        for name in AMOUNT_FIELDS:
            got, want = getattr(record, name), row[name]
            ok = Decimal(got) == Decimal(want) if name == "value_yuan" else got == want
            score.fields[name] += ok
            if not ok:
                wrong.append(f"{name} {got!s}≠{want!s}")
        if wrong:
            score.misses.append(f"{'; '.join(wrong)}  {row['number_text']} | {row['sentence'][:70]}")
        else:
            score.right += 1
    return score


def print_score(label: str, score: Score, misses: bool) -> None:
    fields = "  ".join(f"{name} {count}/{score.found}" for name, count in score.fields.items())
    print(f"{label}: {score.right}/{score.total} right ({score.accuracy:.1%}), found {score.found}; {fields}")
    if misses:
        for line in score.misses:
            print(f"    {line}")


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
    parser.add_argument("--misses", action="store_true", help="print every gold row that is wrong")
    args = parser.parse_args()

    print_score("gold thresholds (subject and comparator)", score_thresholds(gold_rows("thresholds.jsonl")), args.misses)
    print_score("held-out thresholds (subject and comparator)",
                score_thresholds(gold_rows("thresholds_holdout.jsonl")), args.misses)
    print_score("gold amounts (every field)", score_amounts(gold_rows("amounts.jsonl")), args.misses)

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
