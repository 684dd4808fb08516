"""Public face of the shop package (settings and document numbers) for the other process packages."""

from __future__ import annotations

from jxc_desktop.services.shop.sequences import (
           COLLECTION,
           COUNT,
           PAYMENT,
           PURCHASE,
           PURCHASE_RETURN,
           REFUND,
           SALE,
           SALE_RETURN,
           TOPUP,
           next_number,
           next_numbers,
)
from jxc_desktop.services.shop.settings import DEFAULTS, get_int, read_all
from jxc_desktop.services.shop.settings import get as get_setting
from jxc_desktop.services.shop.till_config import document_till, till_name

__all__ = ["COLLECTION", "COUNT", "PAYMENT", "DEFAULTS", "document_till", "PURCHASE", "PURCHASE_RETURN", "REFUND", "SALE", "SALE_RETURN", "TOPUP", "get_int", "get_setting",
           "next_number", "next_numbers", "read_all", "till_name"]
