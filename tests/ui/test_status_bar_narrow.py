"""The window's status bar in a narrow window (its smallest width, a 1 024 screen's), in English and
Chinese, with its longest texts up — the backup warning and the stock alerts: every text either fits
its widget or is elided with "…" (its whole text still the widget's text and tooltip), never cut off
mid-letter; no two overlap. (A QLabel or QPushButton asks for its whole text, so the bar drew
"back up now (" and "mum · 4 batches" at 1 024 px.)"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QToolTip, QWidget

from jxc_desktop.services.stock.stock_view import StockAlerts
from jxc_desktop.ui.main_window import MIN_SIZE, MainWindow
from jxc_desktop.ui.widgets.elided import ElidedButton, ElidedLabel


def _shown(bar: QWidget) -> list[QLabel | QAbstractButton]:
    return [w for w in [*bar.findChildren(QLabel), *bar.findChildren(QAbstractButton)]
            if w.isVisibleTo(bar) and w.text()]


def _room(widget: QLabel | QAbstractButton) -> int:
    if isinstance(widget, ElidedLabel | ElidedButton):
        return widget.room()
    return widget.contentsRect().width()


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_status_texts_are_elided_not_cut_off(qtbot, qapp, services, db_path, lang) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.ui.i18n import install

    install(qapp, lang)
    try:
        window = MainWindow(services, db_path)
        qtbot.addWidget(window)
        window.setMinimumSize(MIN_SIZE)
        window.show()
        qtbot.waitExposed(window)
        alerts = window.tab("stock").alert_button
        qtbot.waitUntil(lambda: alerts.alerts is not None)  # the first count (300 ms after start): none here
        alerts.set_alerts(StockAlerts(below_min=12, expiring_batches=4, expired_batches=41, warning_days=90))
        whole = alerts.text()
        assert "⚠" in window.safety.status_label.text()  # no backup yet: the warning is up
        bar = window.statusBar()
        elided = 0
        for width in (MIN_SIZE.width(), 1024):
            window.resize(width, 700)
            qtbot.waitUntil(lambda w=width: window.width() == w and bar.width() <= w)
            QApplication.processEvents()
            shown = _shown(bar)
            assert alerts in shown and window.safety.status_label in shown
            rects = [QRect(w.mapTo(bar, QPoint(0, 0)), w.size()) for w in shown]
            for w, r in zip(shown, rects, strict=True):
                assert r.left() >= 0 and r.right() < bar.width(), (lang, width, w.text(), r)
                fits = w.fontMetrics().horizontalAdvance(w.text()) <= _room(w)
                assert fits or isinstance(w, ElidedLabel | ElidedButton), (lang, width, w.text(), r)
                elided += not fits
            for i, a in enumerate(rects):
                for j in range(i + 1, len(rects)):
                    assert not a.intersects(rects[j]), (lang, width, shown[i].text(), shown[j].text())
        assert elided, "nothing was too long at 900 px: the test shows nothing"
        assert alerts.text() == whole  # the widget's text stays whole; only its painting is elided
        # Its tooltip starts with the whole text, above its own ("Click to see them …").
        window.resize(MIN_SIZE.width(), 700)
        qtbot.waitUntil(lambda: window.width() == MIN_SIZE.width())
        if alerts.fontMetrics().horizontalAdvance(whole) > alerts.room():
            at = alerts.mapToGlobal(QPoint(2, 2))
            QApplication.sendEvent(alerts, QHelpEvent(QEvent.Type.ToolTip, QPoint(2, 2), at))
            assert QToolTip.text().startswith(whole) and alerts.toolTip() in QToolTip.text()
            QToolTip.hideText()
    finally:
        install(qapp, "en")
