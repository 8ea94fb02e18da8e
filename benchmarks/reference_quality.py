"""Accuracy of the relation given to each citation (extractors/references.py) against
the hand-made gold file tests/fixtures/gold/references.jsonl (see its README: sentences
of the national regulations corpus sampled with a fixed seed, relations labelled by
reading them), and a count over the whole corpus (skipped when absent) of citations of
an amending decision (关于修改…的决定) labelled amends or repeals, which is always wrong,
and of the regulations that use the word 施行, how many get an ``effective_on`` (those left
without one carry a warning saying why: the text gives no date to anchor 自发布之日起施行).

    PYTHONPATH=. python benchmarks/reference_quality.py [--show 20]

Each gold row names the citation by its title (or order number) as written and its
occurrence in the sentence; the extractor runs on the sentence alone.  A gold citation
the extractor misses counts as wrong.
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "fixtures" / "gold" / "references.jsonl"
REGULATIONS = Path(os.environ.get("GAZETTE_SHARED", REPO.parent / "shared")) / "corpus" / "regulations"
# the yardstick of an amending decision's title, kept here rather than imported from extractors/
AMENDING = ("关于修改", "关于废止和修改", "关于修改和废止")


@dataclass
class Score:
    total: int = 0
    right: int = 0
    by_relation: Counter = field(default_factory=Counter)  # gold relation → rows
    right_by_relation: Counter = field(default_factory=Counter)
    mistakes: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


def read_gold(path: Path = GOLD) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _matches(record, cited: str) -> bool:
    if record.cited_title is not None:
        return record.cited_title == cited
    return cited in record.raw


def relation_found(records: list, cited: str, occurrence: int) -> str | None:
    """The relation of the ``occurrence``-th record citing ``cited``; None when missing."""
    hits = [r for r in records if _matches(r, cited)]
    return hits[occurrence - 1].relation if len(hits) >= occurrence else None


def score_rows(rows: list[dict]) -> Score:
    from extractors import references
    from schemas import Document

    score = Score()
    cache: dict[str, list] = {}
    for row in rows:
        sentence = row["sentence"]
        if sentence not in cache:
            cache[sentence] = references.extract(Document(doc_id="gold", issue_id="gold", seq=1, text=sentence))
        got = relation_found(cache[sentence], row["cited"], row["occurrence"])
        score.total += 1
        score.by_relation[row["relation"]] += 1
        if got == row["relation"]:
            score.right += 1
            score.right_by_relation[row["relation"]] += 1
        else:
            score.mistakes.append(f"{row['relation']:>10} ≠ {got!s:10} 《{row['cited']}》 | {sentence[:160]}")
    return score


def amending_decisions_mislabelled(records: list) -> list:
    """Citations of an amending decision labelled amends or repeals."""
    return [r for r in records
            if r.cited_title and any(w in r.cited_title for w in AMENDING) and r.cited_title.endswith("决定")
            and r.relation in ("amends", "repeals")]


def corpus_check(show: int) -> None:
    from extractors import dates, references
    from pipeline.ingest import source_to_issue
    from pipeline.read.sources import source_of

    relations: Counter = Counter()
    effective: Counter = Counter()
    bad = []
    for path in sorted(REGULATIONS.glob("*.txt")):
        for document in source_to_issue(source_of(path)).documents:
            records = references.extract(document)
            relations.update(r.relation for r in records)
            bad += [(path.name, r.cited_title, r.relation) for r in amending_decisions_mislabelled(records)]
            if "施行" in document.text:
                update = dates.enrich(document, {dates.KIND: dates.extract(document)})
                effective["set" if update.get("effective_on") else "warned" if update.get("warnings") else "none"] += 1
    print(f"corpus: relations {dict(relations)}")
    print(f"corpus: regulations with 施行: {sum(effective.values())}, effective_on set {effective['set']}, "
          f"left empty with a warning {effective['warned']}, left empty silently {effective['none']}")
    print(f"corpus: citations of a 关于修改…的决定 labelled amends or repeals: {len(bad)}")
    for row in bad[:show]:
        print("   ", *row)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=20, help="mistakes to print")
    args = parser.parse_args()
    score = score_rows(read_gold())
    print(f"gold: {score.right}/{score.total} relations right ({score.accuracy:.1%})")
    for relation, total in sorted(score.by_relation.items()):
        print(f"  {relation:11} {score.right_by_relation[relation]:4}/{total}")
    for line in score.mistakes[: args.show]:
        print("   ", line)
    if REGULATIONS.is_dir():
        corpus_check(args.show)
    else:
        print(f"regulations corpus not found at {REGULATIONS}; skipped")


if __name__ == "__main__":
    main()
