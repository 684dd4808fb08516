"""The rules a sale obeys are read from their own setting rows (sales/sale_settings.py): the shop's
values, the defaults for rows never saved or holding a bad number, and none of them is a setting this
PC keeps in its local file — that file (services/shop/till_config.py) could not change them."""

from __future__ import annotations

from sqlalchemy import update

from jxc_desktop.db.models import Setting
from jxc_desktop.domain.pricing import Limits
from jxc_desktop.services.sales.sale_settings import RULE_KEYS, SaleRules, sale_rules
from jxc_desktop.services.shop.till_config import LOCAL_KEYS


def rules(db) -> SaleRules:  # type: ignore[no-untyped-def]
    with db.read() as uow:
        return sale_rules(uow.session)


def test_no_rule_is_this_pcs_own() -> None:
    assert not set(RULE_KEYS) & LOCAL_KEYS


def test_saved_values_defaults_and_bad_numbers(db, services) -> None:  # type: ignore[no-untyped-def]
    assert rules(db) == SaleRules(Limits(50, 30), "warn", True)
    services.settings.update({"max_line_discount_pct": "20", "max_sale_discount_pct": "5",
                              "negative_stock": "block", "block_expired_sale": "0"})
    assert rules(db) == SaleRules(Limits(20, 5), "block", False)
    with db.write() as uow:  # a row written by hand (or an old program): not a number
        uow.session.execute(update(Setting).where(Setting.key == "max_sale_discount_pct").values(value="x"))
        uow.commit()
    assert rules(db) == SaleRules(Limits(20, 30), "block", False)
