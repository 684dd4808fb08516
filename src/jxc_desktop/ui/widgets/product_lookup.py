"""The scan/search line shared by checkout, purchase and count tabs.

A barcode scanner is a keyboard that types the code and presses Enter, so Enter on the line emits
``scanned(text)``. Anything typed more slowly shows a pick list as you type (pinyin initials, name,
code — whatever the ``search`` callable matches); Up/Down move in it, Enter or a click emits
``picked(product)``, Escape closes it. The list is a separate top-level window that never takes the
focus, so the line keeps it after every action.

Usage::

    lookup = ProductLookup(services.catalog.search, resolve=services.catalog.resolve_scan)
    lookup.scanned.connect(on_code)      # str: the text as typed (barcode, code, ...)
    lookup.picked.connect(on_product)    # ProductDTO chosen from the list
    lookup.navigate.connect(on_up_down)  # -1/+1: Up/Down while the line is empty (move your table)

What the text of ``scanned`` names is the catalogue's one scan rule: a tab asks
:meth:`ProductLookup.resolve` and gets a ScanResult whose ``single`` product Enter takes (a barcode,
pack barcode, scale label or code, or the only search hit); several hits are shown in the pick list,
the text back in the line, so checkout, purchase and count behave alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QListView, QWidget

from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.services.catalog.dto import ProductDTO, ScanKind, ScanResult
from jxc_desktop.ui.i18n import tr

SearchFn = Callable[[str], Sequence[ProductDTO]]
ResolveFn = Callable[[str], ScanResult]
_Index = QModelIndex | QPersistentModelIndex


class ProductListModel(QAbstractListModel):
    """The pick list: one product per row, ``ProductRole`` gives the DTO."""

    ProductRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ProductDTO] = []

    def set_products(self, rows: Sequence[ProductDTO]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def products(self) -> list[ProductDTO]:
        return list(self._rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        p = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            spec = f" {p.spec}" if p.spec else ""
            return tr("{name}{spec}  [{code}]  {price}  stock {stock}").format(
                name=p.name, spec=spec, code=p.code, price=format_fen(p.sale_price),
                stock=format_qty(p.stock_qty))
        if role == Qt.ItemDataRole.ToolTipRole:
            return p.name
        if role == self.ProductRole:
            return p
        return None


class ProductLookup(QLineEdit):
    """The scan/search line. Signals: ``scanned(str)``, ``picked(object)`` (a ProductDTO)."""

    scanned = Signal(str)
    picked = Signal(object)
    navigate = Signal(int)  # Up/Down (-1/+1) on an empty line: the owner may move its own selection

    def __init__(self, search: SearchFn, parent: QWidget | None = None, *, delay_ms: int = 120,
                 limit: int = 20, clear_on_submit: bool = True, resolve: ResolveFn | None = None) -> None:
        super().__init__(parent)
        self._search = search
        self._resolve = resolve
        self._limit = limit
        self._clear_on_submit = clear_on_submit
        self.setPlaceholderText(tr("Scan a barcode, or type pinyin initials, name or code"))
        self.setClearButtonEnabled(True)
        self._model = ProductListModel(self)
        self._popup = QListView(self)  # owned by the line (deleted with it), shown as its own window
        self._popup.setWindowFlags(Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
        self._popup.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self._popup.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._popup.setModel(self._model)
        self._popup.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._popup.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._popup.clicked.connect(self._choose_index)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.search_now)
        self.textEdited.connect(self._on_edited)

    # ------------------------------------------------------------------ public API
    def popup_visible(self) -> bool:
        return self._popup.isVisible()

    def results(self) -> list[ProductDTO]:
        """The products in the pick list (empty when it is closed)."""
        return self._model.products() if self.popup_visible() else []

    def current_row(self) -> int:
        idx = self._popup.currentIndex()
        return idx.row() if idx.isValid() else -1

    def hide_popup(self) -> None:
        self._popup.hide()

    def resolve(self, text: str) -> ScanResult:
        """What ``text`` (from ``scanned``) names, by the catalogue's scan rule. Several candidates
        are shown in the pick list with the text back in the line, to choose with the arrows and
        Enter; a failed lookup is a result with its ``problem``."""
        if self._resolve is None:
            raise RuntimeError("this ProductLookup was made without a resolve function")
        try:
            result = self._resolve(text)
        except JxcError as exc:
            return ScanResult(text.strip(), ScanKind.NONE, problem=exc)
        if result.product is None and len(result.candidates) > 1:
            self.show_products(result.text, result.candidates)
        return result

    @staticmethod
    def problem_text(result: ScanResult) -> str:
        """What to tell the user when a result gives no single product."""
        if len(result.candidates) > 1:
            return tr("Several products match '{text}': choose one with the arrows and Enter").format(
                text=result.text)
        return result.problem.message if result.problem is not None else tr("Nothing found for {text}").format(
            text=result.text)

    def show_products(self, text: str, products: Sequence[ProductDTO]) -> None:
        """Put ``text`` back in the line and show ``products`` as its pick list."""
        self._timer.stop()
        self.setText(text)
        self._show_rows(list(products)[: self._limit])

    def search_now(self) -> None:
        """Run the pending search at once (the timer does this after a pause in typing)."""
        self._timer.stop()
        text = self.text().strip()
        if not text:
            self.hide_popup()
            return
        try:
            rows = list(self._search(text))[: self._limit]
        except JxcError:
            rows = []
        self._show_rows(rows)

    def _show_rows(self, rows: list[ProductDTO]) -> None:
        self._model.set_products(rows)
        self._popup.setCurrentIndex(QModelIndex())
        if rows:
            self._place_popup()
            self._popup.show()
        else:
            self.hide_popup()

    # ------------------------------------------------------------------ behaviour
    def _on_edited(self, _text: str) -> None:
        self._timer.start()

    def _place_popup(self) -> None:
        font = self.font()
        font.setPointSize(max(11, font.pointSize() - 3))  # readable, a little smaller than the line
        self._popup.setFont(font)
        rows = min(self._model.rowCount(), 10)
        height = max(rows, 1) * (self._popup.sizeHintForRow(0) or 22) + 6
        width = max(self.width(), 420)
        self._popup.setGeometry(self.mapToGlobal(self.rect().bottomLeft()).x(),
                                self.mapToGlobal(self.rect().bottomLeft()).y() + 2, width, height)

    def _move(self, step: int) -> None:
        if not self.popup_visible() and not self.text().strip():
            self.navigate.emit(step)
            return
        if not self.popup_visible():
            self.search_now()
            if not self.popup_visible():
                return
        n = self._model.rowCount()
        row = self.current_row()
        row = 0 if row < 0 and step > 0 else (n - 1 if row < 0 else (row + step) % n)
        self._popup.setCurrentIndex(self._model.index(row, 0))

    def _choose_index(self, index: QModelIndex) -> None:
        product = self._model.data(index, ProductListModel.ProductRole)
        self.hide_popup()
        if product is None:
            return
        if self._clear_on_submit:
            self.clear()
        self.picked.emit(product)  # the owner decides where the focus goes next (an editor, say)

    def _submit(self) -> None:
        self._timer.stop()
        if self.popup_visible() and self.current_row() >= 0:
            self._choose_index(self._popup.currentIndex())
            return
        self.hide_popup()
        text = self.text().strip()
        if not text:
            return
        if self._clear_on_submit:
            self.clear()
        self.scanned.emit(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._submit()
            return
        if key == Qt.Key.Key_Down:
            self._move(1)
            return
        if key == Qt.Key.Key_Up:
            self._move(-1)
            return
        if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp) and self.popup_visible():
            self._move(5 if key == Qt.Key.Key_PageDown else -5)
            return
        if key == Qt.Key.Key_Escape:
            if self.popup_visible():
                self.hide_popup()
                return
            if self.text():
                self.clear()
                return
        super().keyPressEvent(event)

    def event(self, e: QEvent) -> bool:
        # Keep the pick list glued to the line when the window moves or the line loses focus.
        if e.type() in (QEvent.Type.Hide, QEvent.Type.Move, QEvent.Type.Resize):
            self.hide_popup()
        return super().event(e)

    def focusOutEvent(self, event: Any) -> None:
        # A click into the list must still reach it, so hide a little later.
        QTimer.singleShot(150, self._hide_if_unfocused)
        super().focusOutEvent(event)

    def _hide_if_unfocused(self) -> None:
        if not self.hasFocus():
            self.hide_popup()
