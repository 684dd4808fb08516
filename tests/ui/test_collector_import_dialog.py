"""The collector import dialog (盘点机文件): it shows when the file was counted — its rows' scan
times, its time line, else its modification time — the user confirms or changes that time, and
the import counts each line against the stock at that time (issue 14, finding 4)."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QDateTimeEdit, QFileDialog

from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput
from jxc_desktop.services.sales.dto import Tender
from jxc_desktop.ui.count_tab import CountTab
from jxc_desktop.ui.dialogs.collector_import_dialog import CollectorImportDialog

CODE = "6901234567892"


def local(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 20, hour, minute).astimezone()


@pytest.fixture
def tab(qtbot, services, make_product):  # type: ignore[no-untyped-def]
    """5 cups from 08:00, one sold at 10:30, a count open on the tab."""
    p = make_product("杯子", 500, 200, barcode=CODE)
    sup = services.suppliers.add(SupplierInput("甲"))
    services.purchasing.post(NoteInput(sup.id, (LineInput(p.id, 5_000, 200),)), at=local(8))
    line = replace(services.checkout.line_for_product(p.id), qty=1_000)
    cart = Cart(lines=(line,))
    services.checkout.post_sale(cart, [Tender("cash", services.checkout.price(cart).total)], at=local(10, 30),
                                confirmed=True)
    widget = CountTab(services)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.refresh()
    widget.new_count_dialog().accept()
    widget.product_id = p.id  # type: ignore[attr-defined]
    return widget


def saved_at(path: Path, moment: datetime) -> Path:
    os.utime(path, (moment.timestamp(), moment.timestamp()))
    return path


def counted(services, tab):  # type: ignore[no-untyped-def]
    return services.stock_count.lines_of_product(tab.current_count().id, tab.product_id)[0]


def test_the_file_time_is_shown_editable_and_used(qtbot, tab, services, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "pdj.csv"
    f.write_text(f"barcode,qty\n{CODE},5\n", encoding="utf-8")
    saved_at(f, local(9, 45))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(f), ""))
    tab.import_button.click()  # as the owner does: the button, the file picker, then this dialog
    dlg = tab.dialog
    assert isinstance(dlg, CollectorImportDialog) and dlg.isVisible()
    assert dlg.when.isEnabled() and dlg.when.dateTime().toString("yyyy-MM-dd HH:mm") == "2026-11-20 09:45"
    assert "saved" in dlg.source.text() or "保存" in dlg.source.text()
    assert dlg.rows_label.text() == "1"
    # the owner knows the shelf was scanned at 10:00: types it over the minutes
    dlg.when.setFocus()
    dlg.when.setSelectedSection(QDateTimeEdit.Section.MinuteSection)
    qtbot.keyClicks(dlg.when, "00")
    dlg.when.setSelectedSection(QDateTimeEdit.Section.HourSection)
    qtbot.keyClicks(dlg.when, "10")
    assert dlg.when.dateTime().toString("yyyy-MM-dd HH:mm") == "2026-11-20 10:00"
    assert dlg.counted_at() == local(10).astimezone(UTC)
    dlg.grab().save(str(tmp_path / "collector_dialog.png"))
    dlg.ok_button.click()
    qtbot.waitUntil(lambda: tab.task is not None and tab.task.finished, timeout=30_000)
    assert tab.task.error is None
    got = counted(services, tab)
    assert (got.counted_qty, got.diff_qty) == (5_000, 0)  # the 10:30 sale is no gain


def test_the_time_line_and_row_times(qtbot, tab, services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "line.csv"
    f.write_text(f"盘点时间：2026-11-20 10:05\n条码,数量\n{CODE},5\n", encoding="utf-8")
    dlg = tab.ask_import(f)
    assert dlg.when.dateTime().toString("yyyy-MM-dd HH:mm") == "2026-11-20 10:05"
    assert "time line" in dlg.source.text() or "时间行" in dlg.source.text()
    dlg.reject()
    rows = tmp_path / "rows.csv"
    rows.write_text(f"条码,数量,扫描时间\n{CODE},2,2026/11/20 10:01:10\n{CODE},3,2026/11/20 10:02:30\n",
                    encoding="utf-8")
    dlg = tab.ask_import(rows)
    assert dlg.when.isHidden() and not dlg.when.isEnabled() and dlg.counted_at() is None
    assert "10:01" in dlg.source.text() and "10:02" in dlg.source.text()
    dlg.grab().save(str(tmp_path / "collector_dialog_rows.png"))
    dlg.ok_button.click()
    qtbot.waitUntil(lambda: tab.task is not None and tab.task.finished, timeout=30_000)
    got = counted(services, tab)
    assert (got.counted_qty, got.diff_qty) == (5_000, 0)


def test_a_file_that_cannot_be_read_says_why_and_opens_no_dialog(tab, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: shown.append(text))
    f = tmp_path / "one.csv"
    f.write_text("只有一列\n", encoding="utf-8")
    assert tab.ask_import(f) is None and shown


def test_the_dialog_keeps_the_maximum_at_now(qtbot, services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.services.stock.dto import CollectorTimes

    dlg = CollectorImportDialog(tmp_path / "x.csv", CollectorTimes(1, 0, None, None, None, local(9)))
    qtbot.addWidget(dlg)
    dlg.when.setDateTime(QDateTime(QDate(2199, 1, 1), QTime(10, 0)))
    # capped at the program's clock (domain/clock.py, which JXC_NOW moves), not the machine's
    assert dlg.counted_at() is not None and dlg.counted_at() <= utcnow()


def test_the_dialog_in_chinese(qtbot, qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.i18n import set_language
    from jxc_desktop.services.stock.dto import CollectorTimes
    from jxc_desktop.ui import i18n as ui_i18n

    ui_i18n.install(qapp, "zh_CN")
    set_language("zh_CN")
    try:
        dlg = CollectorImportDialog(tmp_path / "盘点.csv", CollectorTimes(3, 1, local(10), local(10), None, local(9)))
        qtbot.addWidget(dlg)
        dlg.show()
        assert dlg.windowTitle() == "导入盘点机文件" and "扫描时间" in dlg.source.text()
        dlg.grab().save(str(tmp_path / "collector_dialog_zh.png"))
    finally:
        ui_i18n.install(qapp, "en")
        set_language("en")
