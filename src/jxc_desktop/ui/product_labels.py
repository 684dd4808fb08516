"""The products tab's label actions: print labels for the chosen products or for the products whose
price changed, and give the chosen products without a barcode an in-store EAN-13 code."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from PySide6.QtWidgets import QDialog, QWidget

from jxc_desktop.domain.clock import local_today
from jxc_desktop.services.catalog.dto import LabelItem, StoreBarcode
from jxc_desktop.services.hub import Services
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.dialogs.label_dialog import DayDialog, LabelDialog
from jxc_desktop.ui.i18n import tr


class ProductList(Protocol):
    """What the actions need of the products tab."""

    def chosen_ids(self) -> list[int]: ...
    def _tell(self, title: str, text: str) -> None: ...


class ProductLabels:
    def __init__(self, tab: QWidget, services: Services) -> None:
        self._tab = tab
        self._services = services
        self.dialog: LabelDialog | None = None
        self.ask_day: DayDialog | None = None

    @property
    def _list(self) -> ProductList:
        return self._tab  # type: ignore[return-value]

    def print_labels(self) -> LabelDialog | None:
        ids = self._list.chosen_ids()
        if not ids:
            self._list._tell(tr("Labels"), tr("Choose the products to print labels for"))
            return None
        got = run(self._tab, lambda: self._services.labels.for_products([(pid, 1) for pid in ids]))
        return self._open(got.value, tr("Labels")) if got.ok and got.value else None

    def price_change_labels(self, since: date | None = None) -> LabelDialog | None:
        """Labels for the products whose sale price changed from ``since`` on (asked when None)."""
        if since is None:
            self.ask_day = DayDialog(self._tab, local_today())
            if self.ask_day.exec() != QDialog.DialogCode.Accepted:
                return None
            since = self.ask_day.chosen()
        day = since
        got = run(self._tab, lambda: self._services.labels.changed_since(day))
        if not got.ok:
            return None
        if not got.value:
            self._list._tell(tr("Labels for price changes"),
                             tr("No sale price changed since {day}").format(day=day.isoformat()))
            return None
        return self._open(got.value, tr("Labels for price changes since {day}").format(day=day.isoformat()))

    def _open(self, items: Sequence[LabelItem], title: str) -> LabelDialog:
        self.dialog = LabelDialog(self._tab, items, title=title)
        self.dialog.open()
        return self.dialog

    def make_store_barcodes(self) -> list[StoreBarcode]:
        """In-store EAN-13 codes for the chosen products that have no barcode (the list refreshes
        itself: the write announces the products changed)."""
        ids = self._list.chosen_ids()
        if not ids:
            self._list._tell(tr("In-store barcodes"), tr("Choose the products to give in-store barcodes"))
            return []
        got = run(self._tab, lambda: self._services.labels.generate_store_barcodes(ids))
        if not got.ok or got.value is None:
            return []
        made = got.value
        text = tr("{count} in-store barcodes made; {kept} products already had one")
        self._list._tell(tr("In-store barcodes"), text.format(count=len(made), kept=len(ids) - len(made)))
        return made
