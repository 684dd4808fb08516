"""A 1366×768 screen with a taskbar: the window fits the free area, the barcode grid shows whole rows,
and the last-sale box puts the change on its own line. (Screenshots at 1366×768 in zh_CN were looked at
for the column widths of the stock, ledger, batch and count tables.)"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QScreen

from jxc_desktop.ui.dialogs.product_dialog import BARCODE_ROWS, ProductDialog
from jxc_desktop.ui.main_window import TITLE_BAR, MainWindow, fit_window_size

LAPTOP = QRect(0, 0, 1366, 728)  # 768 minus a 40-pixel taskbar


def test_fit_window_size() -> None:
    assert fit_window_size(LAPTOP) == QSize(1366, 728 - TITLE_BAR)
    assert fit_window_size(QRect(0, 0, 1920, 1040)) == QSize(1200, 760)
    assert fit_window_size(QRect(0, 0, 1280, 800 - 48)) == QSize(1280, 752 - TITLE_BAR)


def test_main_window_fits_the_free_area(qtbot, services, db_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(LAPTOP))
    window = MainWindow(services, db_path)
    qtbot.addWidget(window)
    assert window.width() <= LAPTOP.width() and window.height() + TITLE_BAR <= LAPTOP.height()
    assert window.minimumHeight() <= window.height() and window.y() >= 0


def test_barcode_grid_shows_whole_rows(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    dlg = ProductDialog(services)
    qtbot.addWidget(dlg)
    for code in ("6901234567892", "6901234567908", "16901234567899"):
        dlg.add_barcode_row(code, 1)
    dlg.resize(dlg.width(), 300)  # squeezed as on a small screen
    dlg.show()
    qtbot.waitExposed(dlg)
    table = dlg.barcodes
    last = BARCODE_ROWS - 1
    assert table.rowViewportPosition(last) + table.rowHeight(last) <= table.viewport().height()


def test_change_has_its_own_line(qtbot, services, make_product) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.services.sales.dto import Tender
    from jxc_desktop.ui.checkout_tab import CheckoutTab

    tab = CheckoutTab(services)
    qtbot.addWidget(tab)
    tab.add_product(make_product("可乐", 350, 200, 10_000))
    tab._post_sale([Tender("cash", 1000)])
    lines = tab.last_label.text().split("\n")
    assert len(lines) == 2 and lines[0].endswith(": ¥3.50") and lines[1] == "Change: ¥6.50"
