"""The owner PIN's recovery code, shown once right after the PIN is set: copy it or print it.

Only its hash is stored, so this dialog is the one chance to keep it. Printing goes through Qt's
own print dialog (a paper copy for the drawer at home); ``print_to_pdf`` serves tests and people
without a printer.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtGui import QFont, QGuiApplication, QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.ui.i18n import tr


class RecoveryCodeDialog(QDialog):
    def __init__(self, code: str, shop: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.shop = shop
        self.setWindowTitle(tr("Recovery code for the owner PIN"))
        intro = QLabel(tr("Keep this code somewhere safe, away from the till (print it or write it down). "
                          "If you forget the PIN, it removes the PIN: jxc pin reset --recovery-code-file FILE.\n"
                          "It is shown only now; setting a new PIN gives a new code."))
        intro.setWordWrap(True)
        self.code_edit = QLineEdit(code)
        self.code_edit.setReadOnly(True)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(font.pointSize() + 6)
        self.code_edit.setFont(font)
        self.code_edit.setMinimumWidth(self.code_edit.fontMetrics().horizontalAdvance(code) + 40)
        self.copy_button = QPushButton(tr("Copy"))
        self.print_button = QPushButton(tr("Print…"))
        self.copy_button.clicked.connect(self.copy)
        self.print_button.clicked.connect(self.print_code)
        self.note = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.code_edit, 1)
        row.addWidget(self.copy_button)
        row.addWidget(self.print_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("I have kept the code"))
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.code)
        self.note.setText(tr("Copied. Paste it somewhere only you can open."))

    def document(self) -> QTextDocument:
        doc = QTextDocument()
        doc.setHtml(tr("<h2>Owner PIN recovery code</h2><p>{shop}</p><p style='font-size:20pt'><b>{code}</b></p>"
                       "<p>If the owner PIN is forgotten: jxc pin reset --recovery-code-file FILE "
                       "(FILE holds this code). Keep this paper away from the till.</p>").format(
            shop=html.escape(self.shop), code=html.escape(self.code)))
        return doc

    def _print_on(self, printer: QPrinter) -> None:
        printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A5), QPageLayout.Orientation.Portrait,
                                          printer.pageLayout().margins()))
        self.document().print_(printer)

    def print_to_pdf(self, path: str | Path) -> Path:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        self._print_on(printer)
        return Path(path)

    def pdf_bytes(self) -> bytes:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="jxc-code-") as folder:
            return self.print_to_pdf(Path(folder) / "code.pdf").read_bytes()

    def print_code(self) -> str | None:
        """Through the shared print path: a preview to print from, or (no printer) preview / save as PDF."""
        from jxc_desktop.ui.printing import print_pdf

        return print_pdf(self, self.pdf_bytes(), preview=True, title=tr("Owner PIN recovery code"))
