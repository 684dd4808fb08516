"""One shop setting as stored, read through :class:`~jxc_desktop.db.text_reads.Rows`: what a
command that opens the file with sqlite3 alone (issue 15) needs for the open's own jobs — the
shop's language and its backup folder. The settings service (settings.py) adds the defaults and
this till's own values (till_config.py) for everything else."""

from __future__ import annotations

from jxc_desktop.db.text_reads import Rows

SETTING_VALUE = "SELECT value FROM setting WHERE key = :key"


def stored_setting(rows: Rows, key: str) -> str | None:
    """The value stored for ``key``, or None when the shop never set it (its default applies)."""
    found = rows.all(SETTING_VALUE, key=key)
    return str(found[0][0]) if found else None
