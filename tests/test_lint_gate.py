"""The lint gate's own checks catch what they are for (scripts/import_cycles.py, scripts/complexity.py)."""

from __future__ import annotations

from scripts.complexity import MAX_COMPLEXITY
from scripts.import_cycles import graph_to_cycles


def test_a_cycle_between_two_modules_is_found():
    graph = {"p.read.pdf": {"p.read.ocr"}, "p.read.ocr": {"p.read.pdf", "p.read.layout"}, "p.read.layout": set()}
    [cycle] = graph_to_cycles(graph)
    assert cycle[0] == cycle[-1] and set(cycle) == {"p.read.pdf", "p.read.ocr"}


def test_an_acyclic_graph_has_no_cycle():
    graph = {"a": {"b", "c"}, "b": {"c"}, "c": set(), "d": {"a", "outside.module"}}
    assert graph_to_cycles(graph) == []


def test_complexity_threshold_matches_the_issue():
    from radon.complexity import cc_visit

    branches = "\n".join(f"    if x == {i}:\n        return {i}" for i in range(MAX_COMPLEXITY))
    [block] = cc_visit(f"def f(x):\n{branches}\n    return -1\n")
    assert block.complexity == MAX_COMPLEXITY + 1  # one more branch than allowed: the gate would fail it
