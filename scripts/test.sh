#!/usr/bin/env bash
# Set up the environment and run the test suite (README's second command).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export PREFECT_HOME="${PREFECT_HOME:-$PWD/.prefect}" DO_NOT_TRACK=1 PREFECT_SERVER_ANALYTICS_ENABLED=false
export PREFECT_LOGGING_LEVEL="${PREFECT_LOGGING_LEVEL:-WARNING}"
.venv/bin/python -m pytest "$@"
