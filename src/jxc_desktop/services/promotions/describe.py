"""A promotion's deal in a few words, and when in the week and day it runs (the list, the screen, jxc)."""

from __future__ import annotations

from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.promotion_rules import Kind
from jxc_desktop.i18n import _
from jxc_desktop.services.promotions.dto import PromotionDTO


def summary(p: PromotionDTO) -> str:
    if p.kind is Kind.SPECIAL_PRICE:
        return ", ".join(f"{i.label} {format_fen(i.price or 0)}" for i in p.products[:3]) + (
            " …" if len(p.products) > 3 else "")
    scope = ", ".join([i.label for i in p.products[:2]] + [c.label for c in p.categories[:2]]) or _("whole order")
    if p.kind is Kind.BUY_N_PAY_M:
        deal = _("buy {n} pay {m}").format(n=p.n, m=p.m)
    elif p.kind is Kind.NTH_AT_PERCENT:
        deal = _("item {n} at {pct}%").format(n=p.n, pct=p.pay_pct)
    else:
        deal = (_("{off} off every {spend}") if p.repeat else _("{off} off from {spend}")).format(
            off=format_fen(p.reduction), spend=format_fen(p.threshold))
    return f"{deal}: {scope}"


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def when(p: PromotionDTO) -> str:
    """The days of the week and the hours of the day it is limited to ("" when every day, all day),
    e.g. "Sat, Sun 18:00–22:00": the list shows it beside the deal, so a happy hour is visible."""
    days = ", ".join(_(WEEKDAYS[int(d)]) for d in p.weekdays) if len(p.weekdays) < 7 else ""
    hours = f"{p.daily_from or '00:00'}–{p.daily_to or '24:00'}" if p.daily_from or p.daily_to else ""
    return " ".join(part for part in (days, hours) if part)
