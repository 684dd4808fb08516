"""One shop setting as stored, read through :class:`~jxc_desktop.db.text_reads.Rows`: what a
command that opens the file with sqlite3 alone (issue 15) needs — the shop's language and its
backup folder for the open's own jobs, a report's whole-number settings (the ABC thresholds), and
the settings a printed receipt shows as this PC sees them (:func:`settings_seen`, this till's own
file over the shop's: till_file.py). The settings service (settings.py) reads them all for
everything else."""

from __future__ import annotations

from collections.abc import Sequence

from jxc_desktop.db.text_reads import Rows, Where
from jxc_desktop.services.shop.setting_defaults import DEFAULTS
from jxc_desktop.services.shop.till_file import LOCAL_KEYS, read_local

SETTING_VALUE = "SELECT value FROM setting WHERE key = :key"


def stored_setting(rows: Rows, key: str) -> str | None:
    """The value stored for ``key``, or None when the shop never set it (its default applies)."""
    found = rows.all(SETTING_VALUE, key=key)
    return str(found[0][0]) if found else None


def stored_int(rows: Rows, key: str) -> int:
    """A shop-wide setting as a whole number, as settings.get_int gives it: the stored value, else
    the default; the default too for a stored text that is no number. Only for keys no till keeps
    in its own file (till_config.LOCAL_KEYS: its value there would win, and only the full path reads
    that file) — tests/unit/test_stored_int.py lists the keys the plain reads pass and checks them."""
    raw = stored_setting(rows, key)
    try:
        return int(DEFAULTS.get(key, "") if raw is None else raw)
    except ValueError:
        return int(DEFAULTS[key])


def settings_seen(rows: Rows, keys: Sequence[str]) -> dict[str, str]:
    """``keys``' values as settings.read_all gives them: this till's own file for a key it keeps
    there, else the stored value, else the default."""
    where = Where()
    where.one_of("key", "key", keys)
    values = {key: DEFAULTS.get(key, "") for key in keys}
    values.update((str(k), str(v)) for k, v in rows.all("SELECT key, value FROM setting" + where.sql(), **where.binds))
    if LOCAL_KEYS.intersection(keys):
        values.update((k, v) for k, v in read_local().items() if k in values)
    return values
