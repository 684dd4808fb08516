"""The products tab's top bar in the main window, at the window's smallest width, the default width
on a large screen and a 1366 laptop's, in English and Chinese: the search box, the "Show inactive"
check box and the buttons never overlap (a box layout narrower than its minimum drew them over each
other), stay inside the tab, and the table starts below them (the buttons wrap onto a second line)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QPushButton, QWidget

from jxc_desktop.ui.main_window import MIN_SIZE, MainWindow


def _rect(widget: QWidget, tab: QWidget) -> QRect:
    return QRect(widget.mapTo(tab, widget.rect().topLeft()), widget.size())


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_search_box_check_box_and_buttons_never_overlap(qtbot, qapp, services, db_path, lang) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.ui.i18n import install

    install(qapp, lang)
    try:
        window = MainWindow(services, db_path)
        qtbot.addWidget(window)
        window.setMinimumSize(MIN_SIZE)  # as on any screen wider than that (fit_to_screen)
        window.show()
        qtbot.waitExposed(window)
        tab = window.show_tab("products")
        assert tab is not None
        edge = window.width() - tab.width()  # the tab widget's frame
        for width in (MIN_SIZE.width(), 1200, 1366):
            window.resize(width, 700)
            qtbot.waitUntil(lambda w=width: window.width() == w and tab.width() == w - edge)
            search, check = _rect(tab.search, tab), _rect(tab.show_inactive, tab)
            assert not search.intersects(check), (lang, width, search, check)
            bar = [tab.search, tab.show_inactive,
                   *(b for b in tab.findChildren(QPushButton) if b.isVisibleTo(tab) and b.parent() is tab)]
            assert len(bar) == 11
            rects = [_rect(w, tab) for w in bar]
            for i, a in enumerate(rects):
                assert a.left() >= 0 and a.right() < tab.width(), (lang, width, bar[i])
                for j in range(i + 1, len(rects)):
                    assert not a.intersects(rects[j]), (lang, width, bar[i], bar[j])
            assert _rect(tab.table, tab).top() > max(r.bottom() for r in rects), (lang, width)
    finally:
        install(qapp, "en")
