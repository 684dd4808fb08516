"""The shift slip (交班单) for 58 mm and 80 mm roll printers, written as receipt lines
(reports/receipt_lines.py) so it prints like the receipt: sales, returns, discounts, takings per
method, the cash moves, cash expected vs counted, over/short and the float left for the next shift."""

from __future__ import annotations

from datetime import datetime

from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.tender import CREDIT
from jxc_desktop.i18n import _
from jxc_desktop.reports.receipt import render_lines
from jxc_desktop.reports.receipt_lines import (
    Line,
    gap,
    head_lines,
    local_time,
    method_name,
    pair,
    rule,
    signed,
    text,
)
from jxc_desktop.services.sales.dto import ShopInfo
from jxc_desktop.services.staff.dto import ShiftSummary


def shift_slip_lines(shift: ShiftSummary, shop: ShopInfo, printed_at: datetime | None = None) -> list[Line]:
    """One shift's slip (an open shift prints as an interim slip, without the count)."""
    out = head_lines(shop)
    title = _("SHIFT SLIP") if shift.status == "closed" else _("SHIFT SLIP (SHIFT STILL OPEN)")
    out += [gap(2), text(title, align="center", size=1),
            text(_("Shift: {id}   Till: {till}").format(id=shift.id, till=shift.till)),
            text(_("Cashier: {name}").format(name=shift.cashier)),
            text(_("Opened: {time}").format(time=local_time(shift.opened_at)))]
    if shift.closed_at is not None:
        out.append(text(_("Closed: {time}").format(time=local_time(shift.closed_at))))
    out += [text(_("Printed: {time}").format(time=local_time(printed_at or utcnow()))), rule(),
            pair(_("Sales ({n})").format(n=shift.sales_count), format_fen(shift.sales_total)),
            pair(_("Returns ({n})").format(n=shift.returns_count),
                 ("-" if shift.returns_total else "") + format_fen(shift.returns_total)),
            pair(_("Discounts given"), format_fen(shift.discount_total)),
            pair(_("Net sales"), format_fen(shift.net_total), size=1), rule(),
            text(_("Takings by method"))]
    taken = {m: v for m, v in shift.by_method.items() if m != CREDIT}  # 挂账 is owed, not money taken
    for method, amount in taken.items():
        out.append(pair("  " + method_name(method), format_fen(amount)))
    out.append(pair(_("Total takings"), format_fen(sum(taken.values()))))
    if shift.by_method.get(CREDIT):
        out.append(pair(_("On account (not taken)"), format_fen(shift.by_method[CREDIT])))
    out += [rule(),
            text(_("Cash in the drawer")),
            pair("  " + _("Float"), format_fen(shift.float_amount)),
            pair("  " + _("Cash sales"), format_fen(shift.cash_sales)),
            # negated, not "-" + amount: no refunds reads ¥0.00, not -¥0.00
            pair("  " + _("Cash refunds"), format_fen(-shift.cash_refunds))]
    for move in shift.moves:
        label = _("Paid in: {reason}") if move.amount > 0 else _("Paid out: {reason}")
        out.append(pair("  " + label.format(reason=move.reason), signed(move.amount)))
    out.append(pair(_("Cash expected"), format_fen(shift.expected), size=1))
    if shift.counted is not None:
        if shift.counted_detail:
            out.append(text(_("Counted by denomination")))
            for fen, pieces in sorted(shift.counted_detail.items(), reverse=True):
                out.append(pair(f"  {format_fen(fen, symbol=False)} × {pieces}", format_fen(fen * pieces, symbol=False)))
        out.append(pair(_("Cash counted"), format_fen(shift.counted), size=1))
        over_short = shift.over_short or 0
        word = _("Over") if over_short > 0 else _("Short") if over_short < 0 else _("Balanced")
        out.append(pair(_("Over/short ({word})").format(word=word), signed(over_short), size=2))
        if shift.float_left is not None:
            out += [pair(_("Float left in the drawer"), format_fen(shift.float_left)),
                    pair(_("Cash taken out"), format_fen(shift.taken_out or 0))]
    out += [rule(), gap(6), text(_("Cashier: ____________")), gap(4), text(_("Checked by: ____________"))]
    return out


def shift_slip_pdf(shift: ShiftSummary, shop: ShopInfo, width_mm: int | None = None,
                   printed_at: datetime | None = None) -> bytes:
    """One shift's slip as PDF bytes."""
    return render_lines(shift_slip_lines(shift, shop, printed_at), width_mm or shop.width_mm)
