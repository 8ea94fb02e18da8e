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
export DO_NOT_TRACK=1 PREFECT_HOME="$PWD/.prefect"
.venv/bin/python -m pytest "$@"
