#!/usr/bin/env bash
# Create .venv and install the project (and, with --test, the test extras).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
extras=""
[ "${1:-}" = "--test" ] && extras="[test]"
.venv/bin/pip install -q --disable-pip-version-check -e ".${extras}"
