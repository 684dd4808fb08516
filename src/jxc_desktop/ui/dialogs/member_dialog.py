"""The till's member dialog (会员, Ctrl+M): scan the member's card or type the phone or its last 4
digits, Enter. One member found: chosen at once; several (the same last 4 digits): a pick list,
Up/Down and Enter. "No member" takes the member off the cart. ``choose`` does the work and raises
JxcError to keep the dialog open with the reason."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.errors import NotFoundError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.members.dto import MemberDTO
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.dialogs.till_dialog import EnterDialog, big
from jxc_desktop.ui.i18n import tr

FindFn = Callable[[str], Sequence[MemberDTO]]
ChooseFn = Callable[[MemberDTO | None], None]


def member_line(m: MemberDTO) -> str:
    """``张三  138****1234  金卡  积分 120  储值 ¥50.00`` for the pick list and the side panel."""
    phone = f"{m.phone[:3]}****{m.phone[-4:]}" if len(m.phone) >= 8 else m.phone
    parts = [m.name, phone or m.card, m.level, tr("Points {n}").format(n=m.points),
             tr("Stored value {amount}").format(amount=format_fen(m.stored_value))]
    return "   ".join(p for p in parts if p)


class _KeyLine(QLineEdit):
    """Up/Down move in the pick list while the cursor stays in the line."""

    moved = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.moved.emit(1 if event.key() == Qt.Key.Key_Down else -1)
            return
        super().keyPressEvent(event)


class MemberDialog(EnterDialog):
    def __init__(self, parent: QWidget | None, find: FindFn, choose: ChooseFn, current: MemberDTO | None) -> None:
        super().__init__(parent, tr("Member (会员)"))
        self.setMinimumWidth(520)
        self._find, self._choose = find, choose
        self._searched = ""  # the text the pick list was found for
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(tr("Scan the member card, or type the phone number or its last 4 digits")))
        self.line = _KeyLine()
        big(self.line, 16)  # type: ignore[arg-type]
        lay.addWidget(self.line)
        self.list = QListWidget()
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setMinimumHeight(150)
        self.list.itemDoubleClicked.connect(lambda _item: self._take_selected())
        lay.addWidget(self.list)
        self.current = QLabel(tr("Now: {member}").format(member=member_line(current)) if current else "")
        self.current.setWordWrap(True)
        lay.addWidget(self.current)
        self.none_button = QPushButton(tr("No member"))
        self.none_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.none_button.setVisible(current is not None)
        self.none_button.clicked.connect(lambda: self._done(None))
        lay.addWidget(self.none_button)
        lay.addWidget(self.error)
        hint = QLabel(tr("Enter: find / choose    ↑↓: move in the list    Esc: back to the cart"))
        hint.setStyleSheet("color: gray;")
        lay.addWidget(hint)
        self.line.moved.connect(self._move)
        self.line.setFocus()

    def _move(self, step: int) -> None:
        if self.list.count():
            self.list.setCurrentRow(max(0, min(self.list.count() - 1, self.list.currentRow() + step)))

    def found(self) -> list[MemberDTO]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def submit(self) -> None:
        text = self.line.text().strip()
        if self.list.count() and text == self._searched:
            self._take_selected()
            return
        self.list.clear()
        self._searched = text
        got = run(self, lambda: list(self._find(text)), inline=self.fail)
        if not got or got.value is None:
            return
        members = got.value
        if not members:
            self.fail(NotFoundError("No member found for {text}", text=text[:40] or "-"))
            self.line.selectAll()
            return
        if len(members) == 1:
            self._done(members[0])
            return
        for m in members:
            item = QListWidgetItem(member_line(m))
            item.setData(Qt.ItemDataRole.UserRole, m)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.error.setText(tr("{n} members match: choose one with ↑↓ and Enter").format(n=len(members)))

    def _take_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._done(item.data(Qt.ItemDataRole.UserRole))

    def _done(self, member: MemberDTO | None) -> None:
        if run(self, lambda: self._choose(member), inline=self.fail):
            self.accept()
