"""The plain reader of a whole-number setting (services/shop/stored_settings.py ``stored_int``) reads
only the file: the keys its callers pass must be shop-wide, never one this PC keeps in its own file
(till_config.LOCAL_KEYS), whose value there would win on the full path (settings.get)."""

from __future__ import annotations

from jxc_desktop.services.reporting.abc import THRESHOLD_KEYS
from jxc_desktop.services.shop.setting_defaults import DEFAULTS
from jxc_desktop.services.shop.settings import DEFAULTS as SERVICE_DEFAULTS
from jxc_desktop.services.shop.till_config import LOCAL_KEYS


def test_the_abc_thresholds_are_no_tills_own() -> None:
    assert set(THRESHOLD_KEYS) <= set(DEFAULTS) and not set(THRESHOLD_KEYS) & LOCAL_KEYS


def test_one_list_of_defaults() -> None:
    assert SERVICE_DEFAULTS is DEFAULTS
