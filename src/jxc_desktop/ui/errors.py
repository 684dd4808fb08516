"""The one place service errors reach the user, as a clear message that says what to do."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from jxc_desktop.domain.errors import JxcError
from jxc_desktop.ui.i18n import tr


def show_error(parent: QWidget | None, exc: BaseException, title: str = "") -> None:
    text = exc.message if isinstance(exc, JxcError) else tr("Unexpected error: {error}").format(error=exc)
    QMessageBox.warning(parent, title or tr("Cannot do that"), text)


def confirm(parent: QWidget | None, text: str, title: str = "") -> bool:
    answer = QMessageBox.question(parent, title or tr("Please confirm"), text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
