"""UI tests run many widgets in one process: apply the app's Qt binding work-arounds first, and at
the end close every window and let Qt delete it before the interpreter tears PySide6 down (left to
interpreter exit, the order of destruction is undefined and can crash the process)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from jxc_desktop.ui.qt_compat import protect_bools

protect_bools()


@pytest.fixture(scope="session", autouse=True)
def _qt_teardown_in_order() -> Iterator[None]:
    yield
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    gc.collect()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    """pytest-qt has closed the test's widgets and called deleteLater(), but processEvents() never
    runs deferred deletes: a closed tab would live on into the next test and its pending timers
    (a count tab's relabel) fire there, on a shop whose database the fixtures have dropped (on
    PostgreSQL: an error box over a dead widget, and the process aborts). Delete them here, after
    pytest-qt's close and before the fixtures' teardown."""
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(autouse=True)
def _no_system_printers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every UI test sees a machine with no printer, whatever this one has installed, so no test
    result depends on CUPS and no test ever sends a job to a real printer. A test that needs
    printers sets its own list the same way."""
    from jxc_desktop.ui import printing

    monkeypatch.setattr(printing, "system_printers", lambda: ([], ""))
    # the offer made instead (preview / save as PDF) is cancelled unless a test answers it
    monkeypatch.setattr(printing, "_exec", lambda box: box.button(box.StandardButton.Cancel).click())
    # the on-screen preview (QtPdf) is closed at once unless a test looks at it
    monkeypatch.setattr(printing, "_exec_preview", lambda dialog: dialog.reject())
