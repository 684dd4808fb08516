"""The one place service errors reach the user, as a clear message that says what to do."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from jxc_desktop.domain.errors import JxcError
from jxc_desktop.ui.i18n import tr


def show_error(parent: QWidget | None, exc: BaseException, title: str = "") -> None:
    text = exc.message if isinstance(exc, JxcError) else tr("Unexpected error: {error}").format(error=exc)
    QMessageBox.warning(parent, title or tr("Cannot do that"), text)


def confirm(parent: QWidget | None, text: str, title: str = "", *, default_yes: bool = False) -> bool:
    """Yes/No; Enter means No unless ``default_yes`` (when going ahead is the safe answer)."""
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    answer = QMessageBox.question(parent, title or tr("Please confirm"), text, yes | no,
                                  yes if default_yes else no)
    return answer == QMessageBox.StandardButton.Yes
