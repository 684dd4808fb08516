#!/usr/bin/env bash
# Install everything (first time) and run the whole test suite: unit, integration and ui tests,
# Qt offscreen, two workers. Extra arguments go to pytest (e.g. -x, -k name).
# The bundle test is separate (scripts/build_bundle.sh): it builds with PyInstaller for minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export QT_QPA_PLATFORM=offscreen
# A pytest run that collects nothing exits 5; set -e makes that (like any failure) fail the script.
.venv/bin/python -m pytest -n 2 -m "not bundle" -q "$@"
