#!/usr/bin/env bash
# Set up the environment and run the test suite (README's second command).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
# The issue report is checked in headless Chromium (tests/test_report.py); a fresh
# machine lacks it.  Debian's chromium, with CJK fonts so the page's Chinese renders.
if ! command -v chromium >/dev/null 2>&1; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; } >/dev/null 2>&1 \
        || echo "scripts/test.sh: could not install chromium; the report rendering test will skip" >&2
fi
export PREFECT_HOME="${PREFECT_HOME:-$PWD/.prefect}" DO_NOT_TRACK=1 PREFECT_SERVER_ANALYTICS_ENABLED=false
export PREFECT_LOGGING_LEVEL="${PREFECT_LOGGING_LEVEL:-WARNING}"
.venv/bin/python -m pytest "$@"
