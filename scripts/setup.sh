#!/usr/bin/env bash
# Install everything JXC Desktop needs on Debian 12+/Ubuntu 24.04+ (Python >= 3.11):
# system libraries for Qt, fonts, tools, then .venv with the package (editable).
#   bash scripts/setup.sh          # the program
#   bash scripts/setup.sh --test   # the program + test tools (pytest, ruff, pyinstaller ...)
# Safe to run again: apt runs only for missing packages, pip only when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."

EXTRA=""
[[ "${1:-}" == "--test" ]] && EXTRA="[test]"

APT_PACKAGES=(
  python3 python3-venv python3-pip
  libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 xvfb xauth
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0
  libxkbcommon-x11-0 fonts-wqy-microhei poppler-utils tzdata
  libusb-1.0-0  # pyusb: an ESC/POS receipt printer on USB
  postgresql postgresql-client  # the tests' throwaway server (tests/pg_server.py); pg_dump/pg_restore
)

if command -v apt-get >/dev/null 2>&1; then
  missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    SUDO=""
    [[ "$(id -u)" != 0 ]] && SUDO="sudo"
    echo "==> installing system packages: ${missing[*]}"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
else
  echo "==> no apt-get: install the Qt/xcb libraries and a CJK TrueType font yourself" >&2
fi

PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; raise SystemExit(sys.version_info < (3, 11))'; then
  echo "JXC Desktop needs Python 3.11 or newer (found $("$PY" --version 2>&1))" >&2
  exit 1
fi
if [[ ! -x .venv/bin/python ]]; then
  echo "==> creating .venv"
  "$PY" -m venv .venv
fi

STAMP=".venv/.jxc-installed${EXTRA}"
WANT="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "$WANT" ]]; then
  echo "==> installing the package into .venv (pip install -e .${EXTRA})"
  .venv/bin/python -m pip install -q -e ".${EXTRA}"
  echo "$WANT" > "$STAMP"
fi
