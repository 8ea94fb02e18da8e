#!/usr/bin/env bash
# The lint gate: ruff (pycodestyle, pyflakes, isort, bugbear, McCabe ≤ 15), the layers'
# import contracts (import-linter, [tool.importlinter] in pyproject.toml), and no function
# above cyclomatic complexity 20 (radon, through scripts/complexity.py), no import cycle (scripts/import_cycles.py).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check .
.venv/bin/lint-imports --no-cache
.venv/bin/python scripts/import_cycles.py
.venv/bin/python scripts/complexity.py
