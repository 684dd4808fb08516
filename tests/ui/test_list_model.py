"""The shared list-backed table model base: rows, headers, reset, and Qt's model contract."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from jxc_desktop.ui.models.list_model import Index, ListTableModel


class _Words(ListTableModel[str]):
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        word = self.row_at(index.row()) if index.isValid() else None
        if word is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        return word if index.column() == 0 else str(len(word))


def test_rows_headers_and_reset(qtmodeltester: Any) -> None:
    model = _Words(["Word", "Length"])
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(model.rowCount()))
    model.set_rows(w for w in ("苹果", "pear", "fig"))
    assert resets == [3]
    assert (model.rowCount(), model.columnCount()) == (3, 2)
    assert model.row_at(2) == "fig" and model.row_at(3) is None and model.row_at(-1) is None
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Length"
    assert model.headerData(2, Qt.Orientation.Horizontal) is None
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    child = model.index(0, 0)
    assert model.rowCount(child) == 0 and model.columnCount(child) == 0
    assert model.data(model.index(1, 1)) == "4"
    qtmodeltester.check(model)
    model.set_rows([])
    assert model.rowCount(QModelIndex()) == 0
    qtmodeltester.check(model)
