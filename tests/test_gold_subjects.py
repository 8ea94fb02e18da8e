"""Issue 15: accuracy on the hand-made gold files (tests/fixtures/gold/), scored by
benchmarks/subject_quality.py.  Each gold sentence is run through the extractor as
a one-sentence Document; the corpus itself is not needed."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.conftest import FIXTURES

TARGET = 0.95  # issue 15: threshold subjects and amounts with every field right


@pytest.fixture(scope="module")
def quality():
    path = FIXTURES.parent.parent / "benchmarks" / "subject_quality.py"
    spec = importlib.util.spec_from_file_location("subject_quality", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["subject_quality"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_gold_files_are_large_enough(quality):
    assert len(quality.gold_rows("thresholds.jsonl")) >= 150
    assert len(quality.gold_rows("amounts.jsonl")) >= 60
    assert len(quality.gold_rows("thresholds_holdout.jsonl")) >= 40


@pytest.fixture(scope="module")
def scores(quality):
    return {
        "thresholds": quality.score_thresholds(quality.gold_rows("thresholds.jsonl")),
        "amounts": quality.score_amounts(quality.gold_rows("amounts.jsonl")),
        # held out from rule-writing (tests/fixtures/gold/README.md)
        "thresholds_holdout": quality.score_thresholds(quality.gold_rows("thresholds_holdout.jsonl")),
    }


@pytest.mark.parametrize("kind", ["thresholds", "amounts", "thresholds_holdout"])
def test_gold_accuracy_reaches_issue_target(scores, kind):
    assert scores[kind].accuracy >= TARGET, "\n".join(scores[kind].misses)


def test_threshold_comparators_all_right(scores):
    score = scores["thresholds"]
    assert score.fields["op"] == score.found
