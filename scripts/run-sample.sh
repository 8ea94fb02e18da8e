#!/usr/bin/env bash
# Set up the environment and ingest the bundled sample (README's first command).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DO_NOT_TRACK=1 PREFECT_HOME="$PWD/.prefect"
.venv/bin/gazette ingest data/raw
