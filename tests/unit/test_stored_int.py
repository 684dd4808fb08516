"""The plain reader of a whole-number setting (services/shop/stored_settings.py ``stored_int``) reads
only the file: the keys its callers pass must be shop-wide, never one this PC keeps in its own file
(till_config.LOCAL_KEYS), whose value there would win on the full path (settings.get). Every key a
plain read passes it is listed here; the test that a call site's keys are here is the reference
tests' (each compares the plain value with ``get_int``'s)."""

from __future__ import annotations

from jxc_desktop.services.reporting.abc import THRESHOLD_KEYS
from jxc_desktop.services.reporting.stock_value import EXPIRY_SETTING
from jxc_desktop.services.shop.setting_defaults import DEFAULTS
from jxc_desktop.services.shop.settings import DEFAULTS as SERVICE_DEFAULTS
from jxc_desktop.services.shop.till_config import LOCAL_KEYS

# the keys the plain reads ask stored_int for: the ABC report, the expiry report, the reorder rules
PLAIN_KEYS = (*THRESHOLD_KEYS, EXPIRY_SETTING, "reorder_cover_days", "reorder_lead_days", "reorder_service_level")


def test_the_plain_reads_keys_are_no_tills_own() -> None:
    assert set(PLAIN_KEYS) <= set(DEFAULTS) and not set(PLAIN_KEYS) & LOCAL_KEYS


def test_one_list_of_defaults() -> None:
    assert SERVICE_DEFAULTS is DEFAULTS
