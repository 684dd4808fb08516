"""补货建议: what to order from whom (products below minimum or running out within N days at
their recent sales), grouped by supplier; a group becomes a draft note the owner edits and posts."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import ReorderGroup
from jxc_desktop.services.purchasing.reorder_reason import reason
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.changes import Change, subscribe
from jxc_desktop.ui.dialogs.forecast_dialog import ForecastDialog
from jxc_desktop.ui.errors import show_error
from jxc_desktop.ui.i18n import tr

GroupRole = Qt.ItemDataRole.UserRole + 1
CodeRole = Qt.ItemDataRole.UserRole + 2


def FLAT_TEXT() -> str:  # noqa: N802 - a text, translated when asked for
    return tr("Products below their minimum, or that would run out within the cover days at their average daily "
              "sales of the last 28 days; filled up to the maximum stock (or the cover), in whole packs.")


def SEASON_TEXT() -> str:  # noqa: N802
    return tr("Forecast sales over the supplier's lead time + the cover days, plus a safety stock; within "
              "minimum and maximum, in whole packs. Double-click a product for its forecast.")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class ReorderView(QWidget):
    """``draft_made(Note)`` when a group was turned into a draft."""

    draft_made = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.groups: list[ReorderGroup] = []
        self.cover = QSpinBox()
        self.cover.setRange(1, 365)
        self.cover.setSuffix(tr(" days"))
        self.cover.setValue(int(services.settings.get("reorder_cover_days") or 7))
        self.refresh_button = QPushButton(tr("Calculate"))
        self.fallback = QComboBox()
        self.rule = QComboBox()  # the flat 28-day rule stays the default; the seasonal one plans ahead
        self.rule.addItem(tr("Last 28 days' average"), "flat")
        self.rule.addItem(tr("Seasonal forecast"), "season")
        self.forecast_button = QPushButton(tr("Forecast…"))
        self.today: date | None = None  # None: the clock's day (tests pass one)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Rule")))
        bar.addWidget(self.rule)
        bar.addWidget(QLabel(tr("Cover")))
        bar.addWidget(self.cover)
        bar.addWidget(self.refresh_button)
        bar.addSpacing(20)
        bar.addWidget(QLabel(tr("Supplier for goods never bought yet")))
        bar.addWidget(self.fallback)
        bar.addStretch(1)
        bar.addWidget(self.forecast_button)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([tr("Supplier / product"), tr("Code"), tr("Unit"), tr("On hand"), tr("Minimum"),
                                   tr("Maximum"), tr("Sold per day"), tr("Suggested"), tr("Per pack"),
                                   tr("Unit cost"), tr("Amount"), tr("Why")])
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.setAlternatingRowColors(True)
        self.explain = QLabel(FLAT_TEXT())
        self.explain.setWordWrap(True)
        self.explain.setStyleSheet("color: #666;")
        self.draft_button = QPushButton(tr("Make a draft note for the selected supplier"))
        self.summary = QLabel()
        foot = QHBoxLayout()
        foot.addWidget(self.summary, 1)
        foot.addWidget(self.draft_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.explain)
        layout.addLayout(foot)
        self.refresh_button.clicked.connect(self.refresh)
        self.rule.currentIndexChanged.connect(self._rule_changed)
        self.forecast_button.clicked.connect(self.show_forecast)
        self.tree.itemDoubleClicked.connect(lambda *_a: self.show_forecast())
        self.draft_button.clicked.connect(self.make_draft)
        subscribe(self, services, Change.PRODUCTS | Change.STOCK | Change.PURCHASES | Change.SUPPLIERS,
                  self._changed, lazy=True)

    def _changed(self) -> None:
        """Suggestions once shown are made again (a posted note fills the gap); never made: only
        the supplier list, so nothing slow runs unasked."""
        if self.groups:
            self.refresh()
        else:
            self.refresh_suppliers()

    def refresh_suppliers(self) -> None:
        keep = self.fallback.currentData()
        self.fallback.clear()
        self.fallback.addItem("", None)
        for s in self._services.suppliers.list(active_only=True):
            self.fallback.addItem(s.name, s.id)
        self.fallback.setCurrentIndex(max(0, self.fallback.findData(keep)))

    def refresh(self) -> None:
        self.refresh_suppliers()
        rule = self.rule.currentData()
        got = run(self, lambda: self._services.reorder.suggest(cover_days=self.cover.value(), rule=rule,
                                                               today=self.today))
        if not got or got.value is None:
            return
        self.groups = got.value
        self.tree.clear()
        for gi, g in enumerate(self.groups):
            name = g.supplier_name or tr("(no supplier yet)")
            top = QTreeWidgetItem([tr("{name} — {n} products").format(name=name, n=len(g.lines))] + [""] * 9
                                  + [format_fen(g.total), ""])
            top.setData(0, GroupRole, gi)
            top.setTextAlignment(10, RIGHT)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            for ln in g.lines:
                item = QTreeWidgetItem([ln.name, ln.code, ln.unit, format_qty(ln.stock_qty),
                                        format_qty(ln.min_stock) if ln.min_stock else "",
                                        format_qty(ln.max_stock) if ln.max_stock else "",
                                        format_qty(ln.daily_qty), format_qty(ln.suggested_qty), str(ln.pack),
                                        format_fen(ln.unit_cost), format_fen(ln.amount), reason(ln)])
                item.setData(1, CodeRole, ln.code)
                item.setData(0, GroupRole, gi)
                for c in range(3, 11):
                    item.setTextAlignment(c, RIGHT)
                top.addChild(item)
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
        for c in range(1, 12):
            self.tree.resizeColumnToContents(c)
        if self.groups:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self.summary.setText(tr("{n} products to order from {s} suppliers").format(
            n=sum(len(g.lines) for g in self.groups), s=len(self.groups)))

    def _rule_changed(self) -> None:
        self.explain.setText(SEASON_TEXT() if self.rule.currentData() == "season" else FLAT_TEXT())
        if self.groups:
            self.refresh()

    def selected_code(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(1, CodeRole) if item is not None else None

    def show_forecast(self) -> ForecastDialog | None:
        """The forecast screen of the selected product line (nothing when a supplier row is selected)."""
        code = self.selected_code()
        if not code:
            show_error(self, ValidationError("Choose a product first"))
            return None
        dialog = ForecastDialog(self._services, code, self, today=self.today)
        dialog.show()
        return dialog

    def selected_group(self) -> ReorderGroup | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        gi = item.data(0, GroupRole)
        return self.groups[gi] if gi is not None and 0 <= gi < len(self.groups) else None

    def make_draft(self) -> None:
        group = self.selected_group()
        if group is None:
            show_error(self, ValidationError("Choose a supplier first"))
            return
        sid = group.supplier_id if group.supplier_id is not None else self.fallback.currentData()
        if sid is None:
            show_error(self, ValidationError("Choose a supplier first"))
            return
        got = run(self, lambda: self._services.reorder.make_draft(group, supplier_id=sid))
        if got and got.value is not None:
            self.draft_made.emit(got.value)
