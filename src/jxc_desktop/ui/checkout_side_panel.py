"""The till's side panel: the cart's totals and amount due, the last sale, today's figures, held carts.

It only shows what the till gives it; the till (checkout_till.py) decides when to re-read.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from jxc_desktop.domain import cart as cartlib
from jxc_desktop.domain.cart import Cart, Totals
from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.members.dto import MemberDTO
from jxc_desktop.services.sales.dto import DaySummary
from jxc_desktop.ui.dialogs.till_dialog import method_name
from jxc_desktop.ui.i18n import tr


def till_font(widget: QWidget, points: int, bold: bool = True) -> None:
    """The till's type sizes: large enough to read at arm's length."""
    font = QFont(widget.font())
    font.setPointSize(points)
    font.setBold(bold)
    widget.setFont(font)


def _rule() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


class TillSidePanel(QWidget):
    """Right of the cart, 300 px wide."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items_label = QLabel()
        self.subtotal_label = QLabel()
        self.discount_label = QLabel()
        self.due_label = QLabel()
        till_font(self.items_label, 14)
        till_font(self.subtotal_label, 12, bold=False)
        till_font(self.discount_label, 12, bold=False)
        till_font(self.due_label, 30)
        self.due_label.setStyleSheet("color: #c0392b;")
        self.last_label = QLabel()
        self.last_label.setWordWrap(True)
        till_font(self.last_label, 12)
        self.today_label = QLabel()
        self.today_label.setWordWrap(True)
        self.today_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        till_font(self.today_label, 11, bold=False)
        self.held_label = QLabel()
        self.member_label = QLabel()  # the sale's member and what member prices saved (issue 17)
        self.member_label.setWordWrap(True)
        till_font(self.member_label, 12, bold=False)
        self.member_label.setStyleSheet("color: #8e44ad;")

        side = QVBoxLayout()
        side.addWidget(self.member_label)
        side.addWidget(self.items_label)
        side.addWidget(self.subtotal_label)
        side.addWidget(self.discount_label)
        side.addWidget(QLabel(tr("Amount due")))
        side.addWidget(self.due_label)
        side.addWidget(_rule())
        side.addWidget(self.last_label)
        side.addWidget(_rule())
        today_title = QLabel(tr("Today"))
        till_font(today_title, 12)
        side.addWidget(today_title)
        side.addWidget(self.today_label)
        side.addWidget(self.held_label)
        side.addStretch(1)
        self.setLayout(side)
        self.setFixedWidth(300)

    def show_totals(self, cart: Cart, t: Totals) -> None:
        self.items_label.setText(tr("Items: {qty}   Lines: {lines}").format(
            qty=cartlib.count_items(ln.qty for ln in cart.lines), lines=len(t.lines)))
        self.subtotal_label.setText(tr("Subtotal: {amount}").format(amount=format_fen(t.gross)))
        self.discount_label.setText(tr("Discount: {amount}").format(amount=format_fen(t.discount)))
        self.due_label.setText(format_fen(t.total))

    def show_member(self, member: MemberDTO | None, cart: Cart) -> None:
        if member is None:
            self.member_label.setText(tr("No member (Ctrl+M)"))
            return
        saved = sum(ln.level_saving for ln in cart.lines)
        lines = [tr("Member: {name}  {level}").format(name=member.name, level=member.level),
                 tr("Points {points}   Stored value {amount}").format(
                     points=member.points, amount=format_fen(member.stored_value))]
        if saved:
            lines.append(tr("Member prices save {amount}").format(amount=format_fen(saved)))
        self.member_label.setText("\n".join(lines))

    def show_today(self, d: DaySummary) -> None:
        lines = [tr("Sales: {n}   {amount}").format(n=d.sales_count, amount=format_fen(d.sales_total)),
                 tr("Returns: {n}   {amount}").format(n=d.returns_count, amount=format_fen(d.returns_total))]
        lines += [f"  {method_name(m)}: {format_fen(v)}" for m, v in d.taken_by_method().items()]
        # sales on account are owed, not taken: their own line, outside the takings
        lines.append(tr("Net takings: {amount}").format(amount=format_fen(d.takings)))
        if d.on_account:
            lines.append(tr("On account (not taken): {amount}").format(amount=format_fen(d.on_account)))
        self.today_label.setText("\n".join(lines))

    def show_held(self, held: int) -> None:
        self.held_label.setText(tr("Held sales: {n} (F9)").format(n=held) if held else "")
