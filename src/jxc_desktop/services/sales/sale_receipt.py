"""One sale or return by its number as its receipt shows it — its lines (with what came back of each
so far), payments, promotions, customer, cashier and member — and the shop's lines a receipt
prints, as SQL text either driver runs (db/text_reads.py): the checkout service in its session (a
reprint, the return dialog's look-up, SQLite or PostgreSQL) and ``jxc receipt`` on sqlite3 alone
(issue 15: no SQLAlchemy to print one receipt). What other packages own is read through their faces
over the same ``Rows``. (A receipt printed as a sale or return is posted is built from the rows just
written: checkout.py and records.py.)"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jxc_desktop.db.text_reads import Row, Rows, Where, as_date, as_utc
from jxc_desktop.domain.errors import NotFoundError
from jxc_desktop.services.accounts import api as accounts
from jxc_desktop.services.members import api as members
from jxc_desktop.services.sales.dto import PaymentDTO, SaleDTO, SaleLineDTO, SalePromotionDTO, ShopInfo
from jxc_desktop.services.staff import api as staff

# a line's columns its receipt line shows (sale_post.py's rows of a posted sale carry them too)
LINE_COLUMNS = ("id", "line_no", "product_id", "name", "barcode", "qty", "unit_price", "discount", "amount", "cost",
                "price_level", "list_price", "promo_discount")
SALE = ("SELECT s.id, s.number, s.kind, s.status, s.created_at, s.business_day, o.number, s.subtotal, s.discount, "
        "s.total, s.paid, s.change, s.cost, s.customer_id, s.cashier_id, s.member_id "
        "FROM sale s LEFT OUTER JOIN sale o ON o.id = s.origin_id WHERE s.number = :number")
LINES = (f"SELECT {', '.join('l.' + c for c in LINE_COLUMNS)}, l.points, p.unit FROM sale_line l "
         "LEFT OUTER JOIN product p ON p.id = l.product_id WHERE l.sale_id = :sale ORDER BY l.line_no")
# What came back of each line: posted returns only.
RETURNED = ("SELECT l.origin_line_id, sum(l.qty) FROM sale_line l JOIN sale s ON s.id = l.sale_id"
            "{where} GROUP BY l.origin_line_id")
PAYMENTS = "SELECT method, amount, tendered FROM payment WHERE sale_id = :sale ORDER BY id"
# Each promotion once with what it took off all the lines, in the order applied.
PROMOTIONS = ("SELECT promotion_id, name, sum(amount) FROM sale_promotion WHERE sale_id = :sale "
              "GROUP BY promotion_id, name ORDER BY min(id)")
# The settings a receipt's shop lines show (ShopInfo), as this PC sees them.
SHOP_INFO_KEYS = ("shop_name", "shop_address", "shop_phone", "receipt_header", "receipt_footer", "receipt_width_mm")


def line_dto(values: Mapping[str, Any], unit: str, returned: int = 0) -> SaleLineDTO:
    """A line's DTO from its columns (:data:`LINE_COLUMNS`)."""
    v = values
    return SaleLineDTO(v["id"], v["line_no"], v["product_id"], v["name"], v["barcode"], unit, v["qty"],
                       v["unit_price"], v["discount"], v["amount"], v["cost"], returned,
                       v["price_level"] or "retail", v["list_price"], v["promo_discount"] or 0)


def shop_info_of(values: Mapping[str, str]) -> ShopInfo:
    """The receipt's shop lines from the settings (:data:`SHOP_INFO_KEYS` at least); a width that is
    neither 58 nor 80 mm prints at 80."""
    width = values["receipt_width_mm"]
    return ShopInfo(values["shop_name"], values["shop_address"], values["shop_phone"], values["receipt_header"],
                    values["receipt_footer"], int(width) if width in ("58", "80") else 80)


def _returned(rows: Rows, line_ids: list[int]) -> dict[int, int]:
    if not line_ids:
        return {}
    where = Where(posted="posted")
    where.one_of("l.origin_line_id", "line", line_ids)
    where.add("s.status = :posted")
    return {int(k): int(v) for k, v in rows.all(RETURNED.format(where=where.sql()), **where.binds)}


def sale_by_number(rows: Rows, number: str) -> SaleDTO:
    """A sale or return by its number (a sale carries what came back of each line so far)."""
    key = number.strip().upper()
    found = rows.all(SALE, number=key)
    if not found:
        raise NotFoundError("No sale with receipt number {number}", number=key[:30])
    (sid, number, kind, status, created, day, origin, subtotal, discount, total, paid, change, cost, customer_id,
     cashier_id, member_id) = found[0]
    created_at, business_day = as_utc(created), as_date(day)
    assert created_at is not None and business_day is not None  # NOT NULL
    lines: list[Row] = rows.all(LINES, sale=sid)
    returned = _returned(rows, [int(r[0]) for r in lines]) if kind == "sale" else {}
    width = len(LINE_COLUMNS)
    return SaleDTO(
        sid, number, kind, status, created_at, business_day, origin or "", subtotal, discount, total, paid, change,
        cost,
        tuple(line_dto(dict(zip(LINE_COLUMNS, r[:width], strict=True)), "" if r[-1] is None else r[-1],
                       returned.get(r[0], 0)) for r in lines),
        tuple(PaymentDTO(method, amount, tendered) for method, amount, tendered in rows.all(PAYMENTS, sale=sid)),
        **_receipt_fields(rows, sid, kind, created_at, customer_id, cashier_id, member_id,
                          sum(r[width] or 0 for r in lines)))


def _receipt_fields(rows: Rows, sale_id: int, kind: str, created_at: Any, customer_id: int | None,
                    cashier_id: int | None, member_id: int | None, points_earned: int) -> dict[str, Any]:
    """What a receipt shows beyond the sale's own rows: the customer of a sale on account and what
    they owed then (a reprint shows it too), the cashier, the promotions it got, its member and
    their balances after it."""
    name, owed = accounts.customer_on_receipt_in(rows, customer_id, created_at) \
        if customer_id is not None else ("", None)
    fields: dict[str, Any] = dict(
        customer_name=name, balance_owed=owed, cashier=staff.person_name_in(rows, cashier_id),
        promotions=() if kind != "sale" else tuple(
            SalePromotionDTO(int(pid), pname, int(amount)) for pid, pname, amount in rows.all(PROMOTIONS, sale=sale_id)))
    if member_id is not None:
        member = members.member_in(rows, member_id)
        points, value = members.balances_after_sale_in(rows, member_id, sale_id, created_at)
        fields.update(member_id=member_id, member_name=member.name, member_phone_tail=member.phone_tail,
                      points_earned=points_earned, member_points=points, member_stored_value=value)
    return fields
