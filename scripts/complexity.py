"""Fail when any function of the project is above a cyclomatic complexity of 20 (radon's measure).

ruff's McCabe check (max 15) counts branches; radon also counts boolean operators
and comprehensions, which is where long parsing functions hid their size."""

from __future__ import annotations

import sys
from pathlib import Path

from radon.complexity import cc_visit

MAX_COMPLEXITY = 20
PACKAGES = ("pipeline", "extractors", "schemas", "flows.py", "benchmarks", "scripts")


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    files = [p for name in PACKAGES for p in ((root / name).rglob("*.py") if (root / name).is_dir() else [root / name])]
    too_complex = [
        (path.relative_to(root), block.lineno, block.fullname, block.complexity)
        for path in files
        for block in cc_visit(path.read_text(encoding="utf-8"))
        if block.complexity > MAX_COMPLEXITY
    ]
    for path, line, name, complexity in too_complex:
        print(f"{path}:{line}: {name} has cyclomatic complexity {complexity} (> {MAX_COMPLEXITY})")
    return 1 if too_complex else 0


if __name__ == "__main__":
    sys.exit(main())
