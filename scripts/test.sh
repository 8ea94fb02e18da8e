#!/usr/bin/env bash
# Set up the environment, run the lint gate, and run the test suite (README's second command).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
# The PDF fixtures use reportlab's built-in CID font STSong-Light, which is not embedded.  Reading
# their text needs no system font (pipeline/read/pdfium_fonts.py), but rendering them does: the
# scanned fixtures and the OCR tests would see blank pages, and tests/test_pdfium_fonts.py compares
# the reading font with a system CJK font.  Debian's fonts-noto-cjk provides one.
if ! fc-list :lang=zh 2>/dev/null | grep -q . && ! ls /usr/share/fonts/opentype/noto/*CJK* >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk; } >/dev/null 2>&1 \
            || echo "scripts/test.sh: could not install fonts-noto-cjk; the PDF tests will fail" >&2
    else
        echo "scripts/test.sh: no CJK font: install fonts-noto-cjk (the PDF tests need it)" >&2
    fi
fi
# The layout matrix (tests/test_layout_matrix.py) embeds a TrueType CJK font: Debian's fonts-wqy-zenhei.
if [ ! -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei; } >/dev/null 2>&1 \
        || echo "scripts/test.sh: could not install fonts-wqy-zenhei; the TrueType layouts will skip" >&2
fi
# The issue report is checked in headless Chromium (tests/test_report.py), only under CI or when asked:
# on a developer's machine the test skips with a note rather than installing a browser silently.
if ! command -v chromium >/dev/null 2>&1 && { [ "${CI:-}" = true ] || [ "${GAZETTE_INSTALL_CHROMIUM:-}" = 1 ]; }; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1 \
        || echo "scripts/test.sh: could not install chromium; the report rendering test will skip" >&2
fi
bash scripts/lint.sh
export PREFECT_HOME="${PREFECT_HOME:-$PWD/.prefect}" DO_NOT_TRACK=1 PREFECT_SERVER_ANALYTICS_ENABLED=false
export PREFECT_LOGGING_LEVEL="${PREFECT_LOGGING_LEVEL:-WARNING}"
.venv/bin/python -m pytest "$@"
