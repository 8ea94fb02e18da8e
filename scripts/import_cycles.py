"""Fail when the project's modules import each other in a cycle.

import-linter's layers contract (pyproject.toml) keeps imports pointing down between
layers; this check keeps them acyclic inside a layer too (pdf ⇄ ocr was one such cycle).
grimp is import-linter's own import-graph library."""

from __future__ import annotations

import sys
from pathlib import Path

import grimp

PACKAGES = ("pipeline", "extractors", "schemas")


def graph_to_cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """Every back edge of a depth-first walk, as the cycle it closes."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []

    def walk(module: str, path: list[str]) -> None:
        state[module] = 1
        path.append(module)
        for imported in sorted(imports.get(module, ())):
            if imported not in imports:
                continue
            if state.get(imported) == 1:
                cycles.append(path[path.index(imported):] + [imported])
            elif imported not in state:
                walk(imported, path)
        path.pop()
        state[module] = 2

    for module in sorted(imports):
        if module not in state:
            walk(module, [])
    return cycles


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    graph = grimp.build_graph(*PACKAGES)
    imports = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    cycles = graph_to_cycles(imports)
    for cycle in cycles:
        print("import cycle: " + " -> ".join(cycle))
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.setrecursionlimit(10_000)
    sys.exit(main())
