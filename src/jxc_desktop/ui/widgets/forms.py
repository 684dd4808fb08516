"""Pieces every edit dialog has: the red error line under the form and the Save/Cancel buttons."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

from jxc_desktop.ui.i18n import tr


def error_label(*, hidden: bool = False) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #c0392b; font-weight: bold;")
    if hidden:
        label.hide()
    return label


def save_cancel_buttons(dialog: QDialog) -> QDialogButtonBox:
    """Save accepts the dialog, Cancel rejects it (both labelled through tr)."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Save"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons
