"""The members tab (会员): the members with phone, card, level, points and stored value, searched as
you type (name, phone, card, pinyin); add, edit, deactivate; the member levels beside them (a
level's discount changes what members pay: the owner PIN); and what the shop owes its members
(points and stored value outstanding).

A tab of its own rather than a page of 往来: a convenience store signs members up at the counter
all day and looks them up by phone, while 往来 is the owner's money-owed conversation (balances,
collections, statements) about a few trade customers. A member is still a customer underneath
(the customers page lists them too)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.hub import Services
from jxc_desktop.services.members.dto import MemberDTO, MemberLevelDTO
from jxc_desktop.ui import (
    guard,  # guard.ensure_owner looked up per call: tests stand in for the owner
    member_money_actions,  # the money buttons (issue 17, mem-money)
)
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.changes import Change, subscribe
from jxc_desktop.ui.dialogs.member_form import LevelFormDialog, MemberFormDialog
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.list_model import Index, ListTableModel

INACTIVE = QBrush(QColor("#999999"))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class MembersModel(ListTableModel[MemberDTO]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([tr("Name"), tr("Phone"), tr("Card"), tr("Level"), tr("Points"), tr("Stored value"),
                          tr("Birthday"), tr("Joined"), tr("Note")], parent)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        m = self.row_at(index.row())
        if m is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.ForegroundRole and not m.active:
            return INACTIVE
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (4, 5):
            return _RIGHT
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        name = m.name if m.active else tr("{name} (inactive)").format(name=m.name)
        return (name, m.phone, m.card, m.level, str(m.points), format_fen(m.stored_value),
                m.birthday.isoformat() if m.birthday else "", m.joined_on.isoformat() if m.joined_on else "",
                m.note)[col]


class LevelsModel(ListTableModel[MemberLevelDTO]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([tr("Level"), tr("Level price %"), tr("Points %"), tr("Members")], parent)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        lv = self.row_at(index.row())
        if lv is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.ForegroundRole and not lv.active:
            return INACTIVE
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return _RIGHT
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        name = lv.name if lv.active else tr("{name} (inactive)").format(name=lv.name)
        return (name, f"{lv.price_pct}%", f"{lv.points_pct}%", str(lv.members))[col]


def _table(model: ListTableModel[Any]) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # a few hundred members at most
    header.setStretchLastSection(True)
    return table


class MembersTab(QWidget):
    refreshes_itself = True

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.dialog: MemberFormDialog | LevelFormDialog | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search members: name, phone, card or pinyin initials"))
        self.show_inactive = QCheckBox(tr("Show inactive"))
        self.add_button = QPushButton(tr("New member…"))
        self.edit_button = QPushButton(tr("Edit…"))
        self.active_button = QPushButton(tr("Deactivate"))
        self.model = MembersModel(self)
        self.table = _table(self.model)
        self.levels_model = LevelsModel(self)
        self.levels = _table(self.levels_model)
        self.levels.setFixedWidth(400)
        self.add_level_button = QPushButton(tr("New level…"))
        self.edit_level_button = QPushButton(tr("Edit level…"))
        self.owed = QLabel()  # points and stored value outstanding: what the shop owes its members
        self.owed.setWordWrap(True)

        head = QHBoxLayout()
        for w in (self.search, self.show_inactive, self.add_button, self.edit_button, self.active_button):
            head.addWidget(w, 1 if w is self.search else 0)
        left = QVBoxLayout()
        left.addLayout(head)
        left.addWidget(self.table, 1)
        left.addLayout(member_money_actions.money_buttons(self, services, self.current))  # top-ups, ledgers (issue 17)
        right = QVBoxLayout()
        right.addWidget(QLabel(tr("Member levels")))
        right.addWidget(self.levels, 1)
        level_buttons = QHBoxLayout()
        level_buttons.addWidget(self.add_level_button)
        level_buttons.addWidget(self.edit_level_button)
        right.addLayout(level_buttons)
        right.addWidget(self.owed)
        body = QHBoxLayout(self)
        body.addLayout(left, 1)
        body.addLayout(right)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh)
        self.search.textEdited.connect(lambda _t: self._timer.start())
        self.show_inactive.toggled.connect(lambda _on: self.refresh())
        self.add_button.clicked.connect(lambda: self.edit(None))
        self.edit_button.clicked.connect(lambda: self.edit(self.current()))
        self.table.doubleClicked.connect(lambda _i: self.edit(self.current()))
        self.active_button.clicked.connect(self.toggle_active)
        self.add_level_button.clicked.connect(lambda: self.edit_level(None))
        self.edit_level_button.clicked.connect(lambda: self.edit_level(self.current_level()))
        self.levels.doubleClicked.connect(lambda _i: self.edit_level(self.current_level()))
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        subscribe(self, services, Change.CUSTOMERS | Change.SALES | Change.ACCOUNTS, self.refresh, lazy=True)
        self.refresh()

    def refresh(self) -> None:
        keep = self.current()

        def read() -> tuple[list[MemberDTO], list[MemberLevelDTO], Any]:
            members = self.services.members
            return (members.list(text=self.search.text().strip(), active_only=not self.show_inactive.isChecked()),
                    members.levels(seed=False), members.liabilities())

        got = run(self, read)
        if not got or got.value is None:
            return
        rows, levels, owed = got.value
        self.model.set_rows(rows)
        self.levels_model.set_rows(levels)
        for row, m in enumerate(rows):
            if keep is not None and m.id == keep.id:
                self.table.selectRow(row)
        self.owed.setText(tr("{n} members hold {points} points and {amount} stored value").format(
            n=owed.members, points=owed.points, amount=format_fen(owed.stored_value)))
        self._update_buttons()

    def current(self) -> MemberDTO | None:
        return self.model.row_at(self.table.currentIndex().row())

    def current_level(self) -> MemberLevelDTO | None:
        return self.levels_model.row_at(self.levels.currentIndex().row())

    def edit(self, member: MemberDTO | None) -> MemberFormDialog:
        text = self.search.text().strip()
        self.dialog = MemberFormDialog(self.services, member, self, phone=text if member is None and text.isdigit() else "")
        self.dialog.saved.connect(lambda _m: self.refresh())
        self.dialog.open()
        return self.dialog

    def edit_level(self, level: MemberLevelDTO | None) -> LevelFormDialog | None:
        # a level's discount changes what members pay: the owner decides (PIN, when one is set)
        if not guard.ensure_owner(self, self.services, "price_change"):
            return None
        self.dialog = LevelFormDialog(self.services, level, self)
        self.dialog.saved.connect(lambda _lv: self.refresh())
        self.dialog.open()
        return self.dialog

    def toggle_active(self) -> None:
        m = self.current()
        if m is None:
            return
        if run(self, lambda: self.services.members.set_active(m.id, not m.active)):
            self.refresh()

    def _update_buttons(self) -> None:
        m = self.current()
        self.edit_button.setEnabled(m is not None)
        self.active_button.setEnabled(m is not None)
        self.active_button.setText(tr("Activate") if m is not None and not m.active else tr("Deactivate"))
