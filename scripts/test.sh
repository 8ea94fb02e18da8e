#!/usr/bin/env bash
# Set up the environment and run the test suite (README's second command).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export DO_NOT_TRACK=1 PREFECT_HOME="$PWD/.prefect"
.venv/bin/python -m pytest "$@"
