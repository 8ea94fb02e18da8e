#!/usr/bin/env bash
# Set up the environment and ingest the bundled sample (README's first command): in-process, or through
# the Prefect flow when PREFECT_API_URL is set or a `gazette serve` is running (see `gazette ingest --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Prefect state stays in the project, no telemetry, quiet console (the command prints its own summary).
export PREFECT_HOME="${PREFECT_HOME:-$PWD/.prefect}" DO_NOT_TRACK=1 PREFECT_SERVER_ANALYTICS_ENABLED=false
export PREFECT_LOGGING_LEVEL="${PREFECT_LOGGING_LEVEL:-INFO}" PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL="${PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL:-CRITICAL}"
.venv/bin/gazette ingest data/raw
