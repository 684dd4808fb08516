"""The shop settings a sale obeys (discount limits, negative stock, expired batches) and prints
(the receipt's shop lines), each read in one query."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Setting
from jxc_desktop.domain.pricing import Limits
from jxc_desktop.services.sales.dto import ShopInfo
from jxc_desktop.services.sales.sale_receipt import shop_info_of
from jxc_desktop.services.shop import api as shop


@dataclass(frozen=True)
class SaleRules:
    """The settings a sale obeys, read in one query."""

    limits: Limits
    negative_stock: str
    block_expired: bool


# The settings a sale obeys: shop-wide ones, never this PC's own (shop.read_all's overlay of the
# till's local file cannot change them: tests/unit/test_sale_rules_read.py), so every posting reads
# just these rows instead of every setting and the local file.
RULE_KEYS = ("max_line_discount_pct", "max_sale_discount_pct", "negative_stock", "block_expired_sale")
_SETTING = Setting.__table__.c
_READ_RULES = select(_SETTING["key"], _SETTING["value"]).where(_SETTING["key"].in_(RULE_KEYS))  # built once


def sale_rules(session: Session) -> SaleRules:
    values = dict(session.connection().execute(_READ_RULES).all())

    def pct(key: str) -> int:
        raw = values.get(key, "")
        return int(raw) if raw.isascii() and raw.isdigit() else int(shop.DEFAULTS[key])

    return SaleRules(Limits(pct("max_line_discount_pct"), pct("max_sale_discount_pct")),
                     values.get("negative_stock", shop.DEFAULTS["negative_stock"]),
                     values.get("block_expired_sale", shop.DEFAULTS["block_expired_sale"]) == "1")


def limits(session: Session) -> Limits:
    return sale_rules(session).limits


def shop_info(session: Session) -> ShopInfo:
    """The receipt's shop lines as this PC sees the settings (``jxc receipt`` on sqlite3 alone reads
    the same keys: shop/stored_settings.settings_seen)."""
    return shop_info_of(shop.read_all(session))
