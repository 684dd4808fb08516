"""The shift slip (交班单) for 58 mm and 80 mm roll printers, laid out like the receipt
(reports/receipt.py): sales, returns, discounts, takings per method, the cash moves, cash
expected vs counted, over/short and the float left for the next shift."""

from __future__ import annotations

from datetime import datetime

from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.money import format_fen
from jxc_desktop.i18n import _
from jxc_desktop.reports.receipt import METHOD_NAMES, _head, _Layout, _local, signed
from jxc_desktop.services.sales.dto import ShopInfo
from jxc_desktop.services.staff.dto import ShiftSummary


def shift_slip_pdf(shift: ShiftSummary, shop: ShopInfo, width_mm: int | None = None,
                   printed_at: datetime | None = None) -> bytes:
    """One shift's slip as PDF bytes (an open shift prints as an interim slip, without the count)."""
    lay = _Layout(width_mm or shop.width_mm)
    _head(lay, shop)
    lay.gap(2)
    title = _("SHIFT SLIP") if shift.status == "closed" else _("SHIFT SLIP (SHIFT STILL OPEN)")
    lay.text(title, size=lay.size + 1, align="center")
    lay.text(_("Shift: {id}   Till: {till}").format(id=shift.id, till=shift.till))
    lay.text(_("Cashier: {name}").format(name=shift.cashier))
    lay.text(_("Opened: {time}").format(time=_local(shift.opened_at)))
    if shift.closed_at is not None:
        lay.text(_("Closed: {time}").format(time=_local(shift.closed_at)))
    lay.text(_("Printed: {time}").format(time=_local(printed_at or utcnow())))
    lay.rule()
    lay.pair(_("Sales ({n})").format(n=shift.sales_count), format_fen(shift.sales_total))
    lay.pair(_("Returns ({n})").format(n=shift.returns_count),
             ("-" if shift.returns_total else "") + format_fen(shift.returns_total))
    lay.pair(_("Discounts given"), format_fen(shift.discount_total))
    lay.pair(_("Net sales"), format_fen(shift.net_total), size=lay.size + 1)
    lay.rule()
    lay.text(_("Takings by method"))
    for method, amount in shift.by_method.items():
        lay.pair("  " + _(METHOD_NAMES.get(method, method)), format_fen(amount))
    lay.pair(_("Total takings"), format_fen(sum(shift.by_method.values())))
    lay.rule()
    lay.text(_("Cash in the drawer"))
    lay.pair("  " + _("Float"), format_fen(shift.float_amount))
    lay.pair("  " + _("Cash sales"), format_fen(shift.cash_sales))
    lay.pair("  " + _("Cash refunds"), "-" + format_fen(shift.cash_refunds))
    for move in shift.moves:
        label = _("Paid in: {reason}") if move.amount > 0 else _("Paid out: {reason}")
        lay.pair("  " + label.format(reason=move.reason), signed(move.amount))
    lay.pair(_("Cash expected"), format_fen(shift.expected), size=lay.size + 1)
    if shift.counted is not None:
        if shift.counted_detail:
            lay.text(_("Counted by denomination"))
            for fen, pieces in sorted(shift.counted_detail.items(), reverse=True):
                lay.pair(f"  {format_fen(fen, symbol=False)} × {pieces}", format_fen(fen * pieces, symbol=False))
        lay.pair(_("Cash counted"), format_fen(shift.counted), size=lay.size + 1)
        over_short = shift.over_short or 0
        word = _("Over") if over_short > 0 else _("Short") if over_short < 0 else _("Balanced")
        lay.pair(_("Over/short ({word})").format(word=word), signed(over_short), size=lay.size + 2)
        if shift.float_left is not None:
            lay.pair(_("Float left in the drawer"), format_fen(shift.float_left))
            lay.pair(_("Cash taken out"), format_fen(shift.taken_out or 0))
    lay.rule()
    lay.gap(6)
    lay.text(_("Cashier: ____________"))
    lay.gap(4)
    lay.text(_("Checked by: ____________"))
    return lay.render()
