#!/usr/bin/env bash
# Install everything (first time) and open JXC Desktop on its default database
# (the user data folder, or $JXC_DB). Arguments go to the program, e.g. --db PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/jxc-desktop "$@"
