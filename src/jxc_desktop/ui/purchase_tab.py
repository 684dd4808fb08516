"""进货 tab: enter and post purchase notes, the history (print, reverse, return), suppliers and
reorder suggestions — four pages over the purchasing, supplier and reorder services."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import Note
from jxc_desktop.ui.changes import Change, subscribe
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.purchase_editor import NoteEditor
from jxc_desktop.ui.purchase_history import HistoryView
from jxc_desktop.ui.purchase_reorder import ReorderView
from jxc_desktop.ui.purchase_suppliers import SuppliersView


class PurchaseTab(QWidget):
    """Each page refreshes itself when a write changed what it shows (ui/changes.py), whichever
    page or tab wrote; a page not on screen does so when it shows."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.editor = NoteEditor(services)
        self.history = HistoryView(services)
        self.suppliers = SuppliersView(services)
        self.reorder = ReorderView(services)
        self.pages = QTabWidget()
        self.pages.addTab(self.editor, tr("New purchase note"))
        self.pages.addTab(self.history, tr("History"))
        self.pages.addTab(self.suppliers, tr("Suppliers"))
        self.pages.addTab(self.reorder, tr("Reorder suggestions"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.pages)

        self.history.open_draft.connect(self.edit_draft)
        self.reorder.draft_made.connect(self.edit_draft)
        subscribe(self.editor, services, Change.SUPPLIERS, self.editor.refresh_suppliers)
        # history, suppliers and reorder pages subscribe themselves
        self.pages.currentChanged.connect(self._page_changed)

    def refresh(self) -> None:
        """The main window calls this when the tab becomes current: pick up changes made elsewhere."""
        self.editor.refresh_suppliers()
        self._page_changed(self.pages.currentIndex())

    def can_close(self) -> bool:
        """Asked by the main window before quitting: the note being typed is kept as a draft."""
        return self.editor.keep_on_close()

    def edit_draft(self, note: Note) -> None:
        self.editor.load_draft(note)
        self.pages.setCurrentWidget(self.editor)

    def _page_changed(self, _index: int) -> None:
        page = self.pages.currentWidget()
        if page is self.history:
            self.history.refresh_suppliers()
            self.history.refresh()
        elif page is self.suppliers:
            self.suppliers.refresh()
        elif page is self.reorder:
            self.reorder.refresh_suppliers()



def make_purchase_tab(services: Services, parent: QWidget) -> QWidget:
    return PurchaseTab(services, parent)
