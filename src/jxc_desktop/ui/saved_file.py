"""Telling the owner where a written file went: "已导出到 …" after an export, and after saving a PDF
that should open in a viewer, the path when no viewer is installed (openUrl only returns False)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from jxc_desktop.ui.i18n import tr


def _note(parent: QWidget, title: str, text: str) -> QMessageBox:
    # Non-blocking, kept on the parent so it is not collected while shown (and tests can read it).
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    parent.saved_file_box = box  # type: ignore[attr-defined]
    box.open()
    return box


def tell_exported(parent: QWidget, path: str | Path) -> QMessageBox:
    return _note(parent, tr("Exported"), tr("Exported to {path}").format(path=str(path)))


def open_or_tell(parent: QWidget, path: str | Path) -> QMessageBox | None:
    """Show a saved PDF in the system's viewer; without one, say where the file is."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return None
    return _note(parent, tr("PDF saved"),
                 tr("The PDF was saved to {path}.\nNo program to show PDF files was found on this "
                    "computer: open the file from that folder, or print it from the program.")
                 .format(path=str(path)))
