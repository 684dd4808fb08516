"""A sale or return just written, read back in the writing session as its receipt's DTO (a return
as posted; the receipt fields of a sale the till just posted). A stored sale looked up by its number
is read as SQL text instead (sale_receipt.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Product, Sale, SaleLine, SalePromotion
from jxc_desktop.services.accounts import api as accounts
from jxc_desktop.services.members import api as members
from jxc_desktop.services.sales.dto import PaymentDTO, SaleDTO, SaleLineDTO, SalePromotionDTO
from jxc_desktop.services.sales.sale_receipt import LINE_COLUMNS, line_dto
from jxc_desktop.services.staff import api as staff


def _line_dto(line: SaleLine, unit: str, returned: int = 0) -> SaleLineDTO:
    return line_dto({name: getattr(line, name) for name in LINE_COLUMNS}, unit, returned)


def sale_promotions(session: Session, sale_id: int) -> tuple[SalePromotionDTO, ...]:
    """The promotions a sale got, each once with what it took off all its lines, in the order applied."""
    rows = session.execute(
        select(SalePromotion.promotion_id, SalePromotion.name, func.sum(SalePromotion.amount))
        .where(SalePromotion.sale_id == sale_id).group_by(SalePromotion.promotion_id, SalePromotion.name)
        .order_by(func.min(SalePromotion.id)))
    return tuple(SalePromotionDTO(int(pid), name, int(amount)) for pid, name, amount in rows)


def promotions_of(rows: Iterable[Mapping[str, Any]]) -> tuple[SalePromotionDTO, ...]:
    """:func:`sale_promotions` of a sale's ``sale_promotion`` rows as written, in the order written
    (the till's receipt, without reading back what it just wrote)."""
    taken: dict[tuple[int, str], int] = {}
    for row in rows:
        key = (int(row["promotion_id"]), row["name"])
        taken[key] = taken.get(key, 0) + int(row["amount"])
    return tuple(SalePromotionDTO(pid, name, amount) for (pid, name), amount in taken.items())


def sale_dto(session: Session, sale: Sale, *, returned: dict[int, int] | None = None,
             units: dict[int, str] | None = None) -> SaleDTO:
    if units is None:
        units = dict(session.execute(select(Product.id, Product.unit).where(
            Product.id.in_({ln.product_id for ln in sale.lines}))).all()) if sale.lines else {}
    origin = session.get(Sale, sale.origin_id).number if sale.origin_id else ""  # type: ignore[union-attr]
    returned = returned or {}
    return SaleDTO(
        sale.id, sale.number, sale.kind, sale.status, sale.created_at, sale.business_day, origin,
        sale.subtotal, sale.discount, sale.total, sale.paid, sale.change, sale.cost,
        tuple(_line_dto(ln, units.get(ln.product_id, ""), returned.get(ln.id, 0)) for ln in sale.lines),
        tuple(PaymentDTO(p.method, p.amount, p.tendered) for p in sale.payments),
        **receipt_fields(session, sale_id=sale.id, kind=sale.kind, created_at=sale.created_at,
                         customer_id=sale.customer_id, cashier_id=sale.cashier_id, member_id=sale.member_id,
                         points_earned=sum(ln.points or 0 for ln in sale.lines)),
    )


def receipt_fields(session: Session, *, sale_id: int, kind: str, created_at: datetime, customer_id: int | None,
                   cashier_id: int | None, member_id: int | None, points_earned: int,
                   promotions: tuple[SalePromotionDTO, ...] | None = None) -> dict[str, Any]:
    """What a receipt shows beyond the sale's own rows: the customer of a sale on account and what
    they owed then (a reprint shows it too), the cashier, the promotions it got (read unless given),
    its member and their balances after it."""
    name, owed = accounts.customer_on_receipt(session, customer_id, created_at) \
        if customer_id is not None else ("", None)
    return dict(customer_name=name, balance_owed=owed, cashier=staff.person_name(session, cashier_id),
                promotions=() if kind != "sale" else promotions if promotions is not None
                else sale_promotions(session, sale_id),
                **_member_fields(session, member_id), **_member_money(session, member_id, sale_id, created_at,
                                                                      points_earned))


def _member_money(session: Session, member_id: int | None, sale_id: int, at: datetime,
                  points_earned: int) -> dict[str, Any]:
    """The receipt's points and stored value: earned (or taken back) and the balances after (issue 17)."""
    if member_id is None:
        return {}
    points, value = members.balances_after_sale(session, member_id, sale_id, at)
    return {"points_earned": points_earned, "member_points": points, "member_stored_value": value}


def _member_fields(session: Session, member_id: int | None) -> dict[str, Any]:
    """The receipt's member line: who (issue 17)."""
    if member_id is None:
        return {}
    member = members.get_member(session, member_id)
    return {"member_id": member_id, "member_name": member.name, "member_phone_tail": member.phone_tail}
