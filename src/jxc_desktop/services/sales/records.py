"""Sales as stored, read back as DTOs: a sale or return with its lines and payments, and what
came back of each sale line so far (posted returns only)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Product, Sale, SaleLine, SalePromotion
from jxc_desktop.domain.errors import NotFoundError
from jxc_desktop.services.accounts import api as accounts
from jxc_desktop.services.members import api as members
from jxc_desktop.services.sales.dto import PaymentDTO, SaleDTO, SaleLineDTO, SalePromotionDTO
from jxc_desktop.services.staff import api as staff


def _line_dto(line: SaleLine, unit: str, returned: int = 0) -> SaleLineDTO:
    return SaleLineDTO(line.id, line.line_no, line.product_id, line.name, line.barcode, unit, line.qty,
                       line.unit_price, line.discount, line.amount, line.cost, returned,
                       line.price_level or "retail", line.list_price, line.promo_discount or 0)


def sale_promotions(session: Session, sale_id: int) -> tuple[SalePromotionDTO, ...]:
    """The promotions a sale got, each once with what it took off all its lines, in the order applied."""
    rows = session.execute(
        select(SalePromotion.promotion_id, SalePromotion.name, func.sum(SalePromotion.amount))
        .where(SalePromotion.sale_id == sale_id).group_by(SalePromotion.promotion_id, SalePromotion.name)
        .order_by(func.min(SalePromotion.id)))
    return tuple(SalePromotionDTO(int(pid), name, int(amount)) for pid, name, amount in rows)


def sale_dto(session: Session, sale: Sale, *, returned: dict[int, int] | None = None,
             units: dict[int, str] | None = None) -> SaleDTO:
    if units is None:
        units = dict(session.execute(select(Product.id, Product.unit).where(
            Product.id.in_({ln.product_id for ln in sale.lines}))).all()) if sale.lines else {}
    origin = session.get(Sale, sale.origin_id).number if sale.origin_id else ""  # type: ignore[union-attr]
    returned = returned or {}
    # a sale on a customer's account: who, and what they owed then (a reprint shows it too)
    name, owed = accounts.customer_on_receipt(session, sale.customer_id, sale.created_at) \
        if sale.customer_id is not None else ("", None)
    return SaleDTO(
        sale.id, sale.number, sale.kind, sale.status, sale.created_at, sale.business_day, origin,
        sale.subtotal, sale.discount, sale.total, sale.paid, sale.change, sale.cost,
        tuple(_line_dto(ln, units.get(ln.product_id, ""), returned.get(ln.id, 0)) for ln in sale.lines),
        tuple(PaymentDTO(p.method, p.amount, p.tendered) for p in sale.payments),
        customer_name=name, balance_owed=owed, cashier=staff.person_name(session, sale.cashier_id),
        promotions=sale_promotions(session, sale.id) if sale.kind == "sale" else (),
        **_member_fields(session, sale.member_id), **_member_money(session, sale),
    )


def _member_money(session: Session, sale: Sale) -> dict[str, Any]:
    """The receipt's points and stored value: earned (or taken back) and the balances after (issue 17)."""
    if sale.member_id is None:
        return {}
    points, value = members.balances_after_sale(session, sale.member_id, sale.id, sale.created_at)
    return {"points_earned": sum(ln.points or 0 for ln in sale.lines), "member_points": points,
            "member_stored_value": value}


def _member_fields(session: Session, member_id: int | None) -> dict[str, Any]:
    """The receipt's member line: who (issue 17)."""
    if member_id is None:
        return {}
    member = members.get_member(session, member_id)
    return {"member_id": member_id, "member_name": member.name, "member_phone_tail": member.phone_tail}


def returned_by_line(session: Session, line_ids: Iterable[int]) -> dict[int, int]:
    """Qty already returned (posted returns) per sale line."""
    ids = list(line_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(SaleLine.origin_line_id, func.sum(SaleLine.qty)).join(Sale, Sale.id == SaleLine.sale_id)
        .where(SaleLine.origin_line_id.in_(ids), Sale.status == "posted").group_by(SaleLine.origin_line_id))
    return {int(k): int(v) for k, v in rows}


def get_sale(session: Session, number: str) -> SaleDTO:
    """A sale or return by its number (for sales it carries what came back per line)."""
    key = number.strip().upper()
    sale = session.scalar(select(Sale).where(Sale.number == key))
    if sale is None:
        raise NotFoundError("No sale with receipt number {number}", number=key[:30])
    returned = returned_by_line(session, [ln.id for ln in sale.lines]) if sale.kind == "sale" else {}
    return sale_dto(session, sale, returned=returned)
