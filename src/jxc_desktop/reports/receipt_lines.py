"""What a receipt and the end-of-day slip say, line by line, built once from the DTOs.

Both printers draw from these lines: the PDF (reports/receipt.py, any system printer, preview, save
as PDF) and the ESC/POS byte stream for a thermal printer (reports/receipt_escpos.py). A line says
what it is (a text, a label with an amount on the right, a rule, a gap, a barcode), how it is aligned
and how much larger than the body it is; each renderer decides what that means on its paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from jxc_desktop.domain.cart import count_items
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.i18n import _
from jxc_desktop.services.sales.dto import DaySummary, SaleDTO, ShopInfo
from jxc_desktop.services.staff.dto import DayShifts

METHOD_NAMES = {"cash": "Cash", "wechat": "WeChat", "alipay": "Alipay", "card": "Bank card", "credit": "On account",
                "stored_value": "Stored value", "points": "Points"}

TEXT, PAIR, RULE, GAP, BARCODE = "text", "pair", "rule", "gap", "barcode"


@dataclass(frozen=True)
class Line:
    kind: str  # TEXT, PAIR, RULE, GAP or BARCODE
    text: str = ""  # the text, the pair's left part, or the barcode's value
    right: str = ""  # the pair's amount
    align: str = "left"  # left | center | right (TEXT)
    size: int = 0  # steps above the body size: 1 a heading, 2 the total, 3 the shop's name
    height: float = 0  # a GAP's height in points on the PDF (one blank line on a thermal printer)


def text(value: str, *, align: str = "left", size: int = 0) -> Line:
    return Line(TEXT, value, align=align, size=size)


def pair(left: str, right: str, *, size: int = 0) -> Line:
    return Line(PAIR, left, right, size=size)


def rule() -> Line:
    return Line(RULE)


def gap(height: float = 3) -> Line:
    return Line(GAP, height=height)


def local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def method_name(method: str) -> str:
    return _(METHOD_NAMES.get(method, method))


def head_lines(shop: ShopInfo) -> list[Line]:
    lines = [text(shop.name, align="center", size=3)] if shop.name else []
    for extra in (shop.address, _("Tel: {phone}").format(phone=shop.phone) if shop.phone else "", shop.header):
        if extra:
            lines.append(text(extra, align="center"))
    return lines


def receipt_lines(sale: SaleDTO, shop: ShopInfo) -> list[Line]:
    """The receipt of a sale or a customer return."""
    is_return = sale.kind == "return"
    out = head_lines(shop)
    out += [gap(2), text(_("RETURN") if is_return else _("SALES RECEIPT"), align="center", size=1),
            text(_("No.: {number}").format(number=sale.number)),
            text(_("Time: {time}").format(time=local_time(sale.created_at)))]
    if is_return and sale.origin_number:
        out.append(text(_("Original receipt: {number}").format(number=sale.origin_number)))
    if sale.cashier:
        out.append(text(_("Cashier: {name}").format(name=sale.cashier)))
    out.append(rule())
    for line in sale.lines:
        out.append(text(line.name))
        qty = format_qty(line.qty) + (line.unit if line.unit and line.unit not in ("个", "件") else "")
        gross = line.amount + line.discount
        out.append(pair(f"  {qty} × {format_fen(line.unit_price, symbol=False)}", format_fen(gross, symbol=False)))
        if line.level_saving and line.list_price is not None:  # the price level used and what it saved
            out.append(pair("  " + _("{level}, retail {price}").format(
                level=level_name(line.price_level), price=format_fen(line.list_price, symbol=False)),
                _("saved {amount}").format(amount=format_fen(line.level_saving, symbol=False))))
        if line.promo_discount:
            out.append(pair("  " + _("Promotion"), "-" + format_fen(line.promo_discount, symbol=False)))
        if line.discount - line.promo_discount:
            out.append(pair("  " + _("Discount"), "-" + format_fen(line.discount - line.promo_discount, symbol=False)))
    out.append(rule())
    if sale.promotions:  # each applied promotion, a visible line with what it took off in all
        out += [pair(_("Promotion: {name}").format(name=p.name), "-" + format_fen(p.amount, symbol=False))
                for p in sale.promotions]
        out.append(rule())
    out.append(pair(_("Items"), str(count_items(ln.qty for ln in sale.lines))))
    discount = sum(ln.discount for ln in sale.lines)
    if discount:
        out.append(pair(_("Subtotal"), format_fen(sale.total + discount)))
        out.append(pair(_("Discount"), "-" + format_fen(discount)))
    out.append(pair(_("Refund") if is_return else _("Total"), format_fen(sale.total), size=2))
    for p in sale.payments:
        if p.method == "cash" and not is_return and p.tendered != p.amount:
            out.append(pair(_("{method} received").format(method=method_name(p.method)), format_fen(p.tendered)))
        else:
            out.append(pair(method_name(p.method), format_fen(p.amount)))
    if sale.change:
        out.append(pair(_("Change"), format_fen(sale.change), size=1))
    out += member_lines(sale)
    if sale.customer_name:  # a sale on a customer's account (挂账): who, and what they owe now
        out.append(pair(_("Customer"), sale.customer_name))
    if sale.balance_owed is not None:
        out.append(pair(_("Balance owed"), format_fen(sale.balance_owed), size=1))
    out += [rule(), Line(BARCODE, sale.number), gap(2)]
    if shop.footer:
        out.append(text(shop.footer, align="center"))
    return out


def level_name(level: str) -> str:
    return {"member": _("Member price"), "wholesale": _("Wholesale price")}.get(level, _("Retail price"))


def member_lines(sale: SaleDTO) -> list[Line]:
    """The sale's member (name and the phone's last 4 digits only) and what member prices saved."""
    out: list[Line] = []
    if sale.member_name:
        tail = f" ****{sale.member_phone_tail}" if sale.member_phone_tail else ""
        out.append(pair(_("Membership"), sale.member_name + tail))
    if sale.level_saving and sale.kind == "sale":
        out.append(pair(_("Member prices saved"), format_fen(sale.level_saving)))
    return out + member_money_lines(sale)


def member_money_lines(sale: SaleDTO) -> list[Line]:
    """A member's points earned (a return: taken back) and the points and stored value held after."""
    if sale.member_points is None:
        return []
    out: list[Line] = []
    if sale.points_earned:
        label = _("Points taken back") if sale.kind == "return" else _("Points earned")
        out.append(pair(label, str(sale.points_earned)))
    out.append(pair(_("Points balance"), str(sale.member_points)))
    out.append(pair(_("Stored value balance"), format_fen(sale.member_stored_value or 0)))
    return out


def day_summary_lines(summary: DaySummary, shop: ShopInfo, printed_at: datetime | None = None) -> list[Line]:
    """The end-of-day slip (日结): sales, returns and takings by payment method."""
    out = head_lines(shop)
    out += [gap(2), text(_("END OF DAY SUMMARY"), align="center", size=1),
            text(_("Day: {day}").format(day=summary.day.isoformat())),
            text(_("Printed: {time}").format(time=local_time(printed_at or utcnow()))), rule(),
            pair(_("Sales ({n})").format(n=summary.sales_count), format_fen(summary.sales_total)),
            pair(_("Returns ({n})").format(n=summary.returns_count),
                 ("-" if summary.returns_total else "") + format_fen(summary.returns_total)),
            pair(_("Discounts given"), format_fen(summary.discount_total)),
            pair(_("Net sales"), format_fen(summary.net_total), size=2), rule(),
            text(_("Takings by method"))]
    for method, amount in summary.taken_by_method().items():
        out.append(pair("  " + method_name(method), format_fen(amount)))
    out.append(pair(_("Total takings"), format_fen(summary.takings)))
    if summary.on_account:  # owed by customers, not money in the drawer or the accounts
        out.append(pair(_("On account (not taken)"), format_fen(summary.on_account)))
    if summary.member_paid:  # members' stored value and points: taken when they topped up or earned
        out.append(pair(_("Stored value and points (not taken)"), format_fen(summary.member_paid)))
    if summary.topups:  # money in, but owed to the members in goods: not a sale
        out.append(text(_("Stored-value top-ups (not sales)")))
        for method, amount in summary.topups.items():
            out.append(pair("  " + method_name(method), format_fen(amount)))
    out.append(rule())
    if summary.shifts.shifts:
        out += shift_lines(summary.shifts)
    out += [gap(6), text(_("Cashier: ____________"))]
    return out


def signed(fen: int) -> str:
    return ("+" if fen > 0 else "") + format_fen(fen)


def shift_lines(day: DayShifts) -> list[Line]:
    """The day's shifts on the 日结 slip: each one's cash count, and their sums."""
    out = [text(_("Shifts"))]
    for s in day.shifts:
        until = s.closed_at.astimezone().strftime("%H:%M") if s.closed_at else _("open")
        out.append(text(_("  #{id} {cashier} {start}–{end}").format(
            id=s.id, cashier=s.cashier, start=s.opened_at.astimezone().strftime("%H:%M"), end=until)))
        out.append(pair("    " + _("Cash expected"), format_fen(s.expected)))
        if s.counted is not None:
            out += [pair("    " + _("Cash counted"), format_fen(s.counted)),
                    pair("    " + _("Over/short"), signed(s.over_short or 0))]
    if day.cash_in or day.cash_out:
        # negated, not "-" + amount: nothing paid out (only paid in) reads ¥0.00, not -¥0.00
        out += [pair(_("Cash paid in"), format_fen(day.cash_in)), pair(_("Cash paid out"), format_fen(-day.cash_out))]
    out += [pair(_("Cash expected (shifts)"), format_fen(day.expected)),
            pair(_("Cash counted (shifts)"), format_fen(day.counted)),
            pair(_("Over/short (shifts)"), signed(day.over_short), size=1)]
    if day.open_count:
        out.append(text(_("{n} shift(s) still open").format(n=day.open_count)))
    out.append(rule())
    return out


def printer_test_lines(shop: ShopInfo, where: str, width_mm: int, printed_at: datetime | None = None) -> list[Line]:
    """The till settings' test print: the shop's heading, the connection, a ruler and a barcode, so
    the owner sees the width, the Chinese font, the cut (and the drawer) at once."""
    out = head_lines(shop)
    out += [gap(2), text(_("PRINTER TEST"), align="center", size=1),
            text(_("Printer: {where}").format(where=where)),
            text(_("Paper: {width} mm").format(width=width_mm)),
            text(_("Time: {time}").format(time=local_time(printed_at or utcnow()))), rule(),
            text("中文：商品 单价 数量 金额 ¥"), pair(_("Total"), format_fen(12345), size=2), rule(),
            Line(BARCODE, "TEST-0001"), gap(2)]
    return out
