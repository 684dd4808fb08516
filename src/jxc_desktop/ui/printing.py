"""Everyone's print path: a PDF (bytes from reports/) to a system printer through Qt.

Pages are rendered with QtPdf's ``QPdfDocument`` at the printer's resolution and painted onto a
``QPrinter`` whose paper is the PDF's own page size (a receipt roll of 58/80 mm, or A4). A preview
dialog is available on demand. Printing never raises: a missing or failing printer comes back as
a message (the document itself — a sale, a purchase — is already saved and can be printed again),
and a named printer that is not installed is such a message, never a job sent to another printer.

:func:`preview_pdf` shows a PDF on screen (QtPdf) with "Save as PDF…" and, when the caller can print
it (a receipt printer connected directly), "Print": the till's receipts with no printer set up, and
a preview before an ESC/POS print.

A machine with no printer installed at all gets an offer instead of a dead end (:func:`no_printer_offer`,
here once for every caller): preview the document, or save it as a PDF file to print elsewhere.

    from jxc_desktop.ui.printing import print_pdf
    error = print_pdf(self, pdf_bytes, printer_name=settings["printer_name"], preview=False)
    if error: show it (print_pdf already did unless quiet=True)
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.ui.i18n import documents_dir, tr

PREVIEW, SAVE_PDF = "preview", "pdf"


def system_printers() -> tuple[list[str], str]:
    """The system's printers (CUPS on Linux) and its default one ("" if none). The only place that
    asks the machine, so tests replace it with a fixed list whatever printers the machine has."""
    return list(QPrinterInfo.availablePrinterNames()), QPrinterInfo.defaultPrinterName()


def printer_names() -> list[str]:
    """The system's printers, default first."""
    names, default = system_printers()
    if default in names:
        names.remove(default)
        names.insert(0, default)
    return names


def no_printer_message() -> str:
    return tr("No printer is installed. The document is saved; print it again later.")


def _exec(box: QMessageBox) -> None:
    """Show the offer and wait (tests replace this to answer it)."""
    box.exec()


def no_printer_offer(parent: QWidget | None, title: str = "") -> str:
    """No printer installed: ask whether to preview the document or save it as a PDF file.
    Returns PREVIEW, SAVE_PDF or "" (cancelled)."""
    box = QMessageBox(QMessageBox.Icon.Information, tr("No printer installed"),
                      tr("No printer is installed on this computer, so {what} cannot be printed now.\n\n"
                         "You can preview it on screen, or save it as a PDF file and print that later "
                         "(or on another computer).").format(what=title or tr("the document")),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("no_printer_offer")
    save = box.addButton(tr("Save as PDF…"), QMessageBox.ButtonRole.AcceptRole)
    preview = box.addButton(tr("Preview"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save)
    _exec(box)
    clicked = box.clickedButton()
    return SAVE_PDF if clicked is save else PREVIEW if clicked is preview else ""


def save_pdf_as(parent: QWidget | None, data: bytes, title: str = "") -> str | None:
    """Ask for a file name and write the PDF there. None when saved, "" when cancelled, else the reason."""
    name = "".join(c for c in (title or "jxc") if c not in '\\/:*?"<>|').strip() or "jxc"
    path, _ = QFileDialog.getSaveFileName(parent, tr("Save as PDF"), documents_dir(f"{name}.pdf"),
                                          tr("PDF files (*.pdf)"))
    if not path:
        return ""
    if not path.lower().endswith(".pdf"):
        path += ".pdf"
    try:
        with open(path, "wb") as f:
            f.write(data)
    except OSError as exc:
        return tr("Could not save {path}: {reason}").format(path=path, reason=exc.strerror or str(exc))
    return None


def _select(printer: QPrinter, printer_name: str) -> str | None:
    """Point ``printer`` at ``printer_name`` ("" = the system default); the reason if it cannot be."""
    names, default = system_printers()
    if not names:
        return no_printer_message()
    wanted = printer_name or default
    unavailable = tr("Printer '{name}' is not available. Choose another one in Settings.").format(
        name=printer_name or tr("System default printer"))
    if wanted not in names:
        return unavailable
    printer.setPrinterName(wanted)
    # Qt ignores a name it does not know and keeps the printer it had (the default one, or a PDF
    # with no file), so the job would go elsewhere: check what was actually selected.
    if (printer.outputFormat() != QPrinter.OutputFormat.NativeFormat or printer.printerName() != wanted
            or not printer.isValid()):
        return unavailable
    return None


class _Doc:
    """A PDF loaded from bytes; keeps the buffer alive as long as the document."""

    def __init__(self, data: bytes) -> None:
        self.bytes = QByteArray(data)
        self.buffer = QBuffer(self.bytes)
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.doc = QPdfDocument()
        self.doc.load(self.buffer)

    @property
    def ok(self) -> bool:
        return self.doc.status() == QPdfDocument.Status.Ready and self.doc.pageCount() > 0


def _setup(printer: QPrinter, doc: QPdfDocument) -> None:
    points = doc.pagePointSize(0)
    size = QPageSize(QSizeF(points.width(), points.height()), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch)
    printer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    printer.setFullPage(True)


def render_to(printer: QPrinter, doc: QPdfDocument) -> bool:
    """Paint every page of ``doc`` onto ``printer``; False if the printer refused to start."""
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        dpi = printer.resolution()
        for page in range(doc.pageCount()):
            if page:
                printer.newPage()
            pts = doc.pagePointSize(page)
            px = QSize(max(1, round(pts.width() * dpi / 72)), max(1, round(pts.height() * dpi / 72)))
            image = doc.render(page, px)
            target = painter.viewport()
            painter.drawImage(QRectF(0, 0, min(target.width(), px.width()), min(target.height(), px.height())),
                              image)
    finally:
        painter.end()
    return True


def _preview(parent: QWidget | None, printer: QPrinter, pdf: _Doc, title: str) -> None:
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(title or tr("Print preview"))
    dialog.paintRequested.connect(lambda p: render_to(p, pdf.doc))
    dialog.exec()


def _without_printer(parent: QWidget | None, data: bytes, pdf: _Doc, title: str) -> str | None:
    """The no-printer offer: preview on screen or save as PDF. None when done, else the reason."""
    choice = no_printer_offer(parent, title)
    if choice == PREVIEW:  # on screen through QtPdf, with "Save as PDF…" there too: no printer needed
        return preview_pdf(parent, data, title, note=no_printer_message())
    if choice == SAVE_PDF:
        saved = save_pdf_as(parent, data, title)
        if saved is None:
            return None
        if saved:
            QMessageBox.warning(parent, tr("Printing failed"), saved)
            return saved
    return no_printer_message()  # cancelled: not printed, and the caller may say so


def print_pdf(parent: QWidget | None, data: bytes, *, printer_name: str = "", preview: bool = False,
              output_file: str = "", quiet: bool = False, title: str = "", offer: bool = True) -> str | None:
    """Print PDF bytes. Returns None when done (or the preview was shown), else the reason.
    ``output_file`` prints into a PDF file through the same path (tests, "save as PDF").
    With no printer installed, ``offer`` (asked for by a person, not an automatic receipt) offers
    preview and save as PDF instead of failing."""
    pdf = _Doc(data)
    error: str | None = None
    if not pdf.ok:
        error = tr("The document to print could not be read")
    elif offer and not output_file and not system_printers()[0]:
        return _without_printer(parent, data, pdf, title)
    else:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title or "jxc")
        if output_file:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(output_file)
        else:
            error = _select(printer, printer_name)
        if error is None:
            _setup(printer, pdf.doc)
            if preview:
                _preview(parent, printer, pdf, title)
            elif not render_to(printer, pdf.doc):
                error = tr("The printer did not start. Check it is on and has paper, then print again.")
    if error and not quiet:
        QMessageBox.warning(parent, tr("Printing failed"), error)
    return error


class PdfPreview(QDialog):
    """A PDF on screen, page after page at the window's width, with "Save as PDF…", "Print" when
    ``print_it`` is given (it returns None when printed, else the reason), and "Close"."""

    def __init__(self, parent: QWidget | None, data: bytes, title: str = "",
                 print_it: Callable[[], str | None] | None = None, note: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("pdf_preview")
        self.setWindowTitle(title or tr("Preview"))
        self.resize(520, 720)
        self.data, self.title = data, title
        self._print_it = print_it
        self.pdf = _Doc(data)
        self.view = QPdfView(self)
        self.view.setDocument(self.pdf.doc)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.message = QLabel(note)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.save_button = QPushButton(tr("Save as PDF…"))
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.save)
        self.print_button = QPushButton(tr("Print"))
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setVisible(print_it is not None)  # after addButton, which shows it
        self.print_button.clicked.connect(self.print_now)
        self.result_error: str | None = None
        lay = QVBoxLayout(self)
        lay.addWidget(self.message)
        lay.addWidget(self.view, 1)
        lay.addWidget(buttons)

    def save(self) -> None:
        error = save_pdf_as(self, self.data, self.title)
        if error is None:
            self.message.setText(tr("Saved."))
        elif error:
            self.message.setText(error)

    def print_now(self) -> None:
        if self._print_it is None:
            return
        self.result_error = self._print_it()
        if self.result_error:
            self.message.setText(self.result_error)
        else:
            self.accept()


def _exec_preview(dialog: PdfPreview) -> None:
    """Show the preview and wait (tests replace this to drive it)."""
    dialog.exec()


def preview_pdf(parent: QWidget | None, data: bytes, title: str = "",
                print_it: Callable[[], str | None] | None = None, note: str = "") -> str | None:
    """Show ``data`` on screen (see PdfPreview). Returns the reason the document could not be read or
    printed, else None."""
    dialog = PdfPreview(parent, data, title, print_it, note)
    if not dialog.pdf.ok:
        return tr("The document to print could not be read")
    _exec_preview(dialog)
    return dialog.result_error
