"""Everyone's print path: a PDF (bytes from reports/) to a system printer through Qt.

Pages are rendered with QtPdf's ``QPdfDocument`` at the printer's resolution and painted onto a
``QPrinter`` whose paper is the PDF's own page size (a receipt roll of 58/80 mm, or A4). A preview
dialog is available on demand. Printing never raises: a missing or failing printer comes back as
a message (the document itself — a sale, a purchase — is already saved and can be printed again),
and a named printer that is not installed is such a message, never a job sent to another printer.

    from jxc_desktop.ui.printing import print_pdf
    error = print_pdf(self, pdf_bytes, printer_name=settings["printer_name"], preview=False)
    if error: show it (print_pdf already did unless quiet=True)
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo, QPrintPreviewDialog
from PySide6.QtWidgets import QMessageBox, QWidget

from jxc_desktop.ui.i18n import tr


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


def _select(printer: QPrinter, printer_name: str) -> str | None:
    """Point ``printer`` at ``printer_name`` ("" = the system default); the reason if it cannot be."""
    names, default = system_printers()
    if not names:
        return tr("No printer is installed. The document is saved; print it again later.")
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


def print_pdf(parent: QWidget | None, data: bytes, *, printer_name: str = "", preview: bool = False,
              output_file: str = "", quiet: bool = False, title: str = "") -> str | None:
    """Print PDF bytes. Returns None when done (or the preview was shown), else the reason.
    ``output_file`` prints into a PDF file through the same path (tests, "save as PDF")."""
    pdf = _Doc(data)
    error: str | None = None
    if not pdf.ok:
        error = tr("The document to print could not be read")
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
                dialog = QPrintPreviewDialog(printer, parent)
                dialog.setWindowTitle(title or tr("Print preview"))
                dialog.paintRequested.connect(lambda p: render_to(p, pdf.doc))
                dialog.exec()
            elif not render_to(printer, pdf.doc):
                error = tr("The printer did not start. Check it is on and has paper, then print again.")
    if error and not quiet:
        QMessageBox.warning(parent, tr("Printing failed"), error)
    return error
