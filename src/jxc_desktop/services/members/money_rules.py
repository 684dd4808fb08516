"""The shop's rules for members' money, read from the shop settings (services/shop/settings.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from jxc_desktop.domain.member_money import FEN_PER_YUAN
from jxc_desktop.services.shop import api as shop


@dataclass(frozen=True)
class MoneyRules:
    points_per_yuan: int  # points earned per yuan paid (before the level's points_pct)
    redeem_rate: int  # points that pay one yuan
    points_on_promoted: bool  # do lines at a special price or in a quantity deal earn points? (满减 shares do)
    sv_pin_limit: int  # fen; stored value paid above this needs the owner PIN; 0 = never


def money_rules(session: Session) -> MoneyRules:
    return MoneyRules(shop.get_int(session, "member_points_per_yuan"),
                      max(1, shop.get_int(session, "member_points_redeem_rate")),
                      shop.get_setting(session, "member_points_on_promoted") == "1",
                      shop.get_int(session, "member_sv_pin_limit") * FEN_PER_YUAN)
