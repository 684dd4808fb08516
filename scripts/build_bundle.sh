#!/usr/bin/env bash
# Build the one-folder bundle dist/jxc/ (jxc-desktop + jxc) from jxc.spec, then test it:
# the window's --selftest offscreen and the command line (tests/bundle, marker "bundle").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN jxc.spec
du -sh dist/jxc
export QT_QPA_PLATFORM=offscreen
.venv/bin/python -m pytest -m bundle -p no:xdist -q tests/bundle
