"""This PC's own settings file (``till.json``: till_config.py says why a till keeps some settings to
itself) as read, standard library only: the settings service reads it through till_config, and a
command that reads the shop file with sqlite3 alone (issue 15: no SQLAlchemy) reads the same file
for a setting the till may hold (the receipt's paper width)."""

from __future__ import annotations

import json
from pathlib import Path

from jxc_desktop.paths import config_dir

FILE_NAME = "till.json"
TILL_KEY = "till_id"
# The settings that belong to one PC, not to the shop (the rest of settings.DEFAULTS).
LOCAL_KEYS = frozenset({
    TILL_KEY, "printer_kind", "printer_name", "escpos_usb", "escpos_serial", "escpos_baud", "escpos_network",
    "drawer_on_cash", "receipt_width_mm", "auto_print_receipt",
})


def config_file() -> Path:
    return config_dir() / FILE_NAME


def read_local() -> dict[str, str]:
    """This PC's saved values (only the known local keys; an unreadable file counts as none)."""
    try:
        raw = json.loads(config_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict):
        return {}
    return {k: str(v) for k, v in raw.items() if k in LOCAL_KEYS and isinstance(v, str | int)}
