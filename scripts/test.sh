#!/usr/bin/env bash
# Install everything (first time) and run the whole test suite: unit, integration and ui tests,
# Qt offscreen, two workers. Extra arguments go to pytest (e.g. -x, -k name).
# Then the service (tests/unit), integration and CLI suites again on PostgreSQL: `--backend=postgres`
# makes the db/services/db_target fixtures use a throwaway server database (tests/pg_server.py starts
# the server; if it cannot, those tests fail); tests that reach no database that way are left to the
# first pass (tests/conftest.py BACKEND_FIXTURES), among them the races, kills, moves and server
# backups that ask for the server directly (the first pass runs them on it). Tests about the SQLite
# file itself (marker sqlite_only, or asking for db_path) and the slow fault tests are left out of that run.
# JXC_TEST_BACKENDS="sqlite" runs only the first part ("postgres" only the second).
# The bundle test is separate (scripts/build_bundle.sh): it builds with PyInstaller for minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export QT_QPA_PLATFORM=offscreen
# Byte-compile the package once: many tests start `jxc` or a window in a child process, and where
# PYTHONDONTWRITEBYTECODE is set each child would compile every module of src/ again.
.venv/bin/python -m compileall -q src >/dev/null
BACKENDS=" ${JXC_TEST_BACKENDS:-sqlite postgres} "
# A pytest run that collects nothing exits 5; set -e makes that (like any failure) fail the script.
if [[ "$BACKENDS" == *" sqlite "* ]]; then
  .venv/bin/python -m pytest -n 2 -m "not bundle" -q --durations=15 "$@"
fi
if [[ "$BACKENDS" == *" postgres "* ]]; then
  echo "==> the service, integration and CLI suites on PostgreSQL"
  .venv/bin/python -m pytest -n 2 -m "not bundle and not slow" -q --durations=15 --backend=postgres tests/unit tests/integration "$@"
fi
