"""The reports tab's outputs: a report table written to PDF or Excel, or printed through the shared
print path (ui.printing) — each off the GUI thread (ui.tasks), in the order sorted on screen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import QFileDialog, QWidget

from jxc_desktop.reports.report_pdf import render_pdf, write_pdf
from jxc_desktop.services.reporting.dto import ReportTable
from jxc_desktop.services.reporting.xlsx_export import write_xlsx
from jxc_desktop.ui.i18n import documents_dir, tr
from jxc_desktop.ui.printing import print_pdf
from jxc_desktop.ui.saved_file import tell_exported
from jxc_desktop.ui.tasks import run_task

Done = Callable[[Any], None] | None


def in_screen_order(table: ReportTable, rows: list[tuple[Any, ...]]) -> ReportTable:
    """``table`` with its rows as the owner sorted them on screen."""
    return replace(table, rows=tuple(rows))  # everything else kept (the season table's shaded columns too)


def ask_path(parent: QWidget, title: str, name: str, suffix: str, filter_: str) -> str:
    """The file the owner picks (the suffix added when left off), or "" when cancelled."""
    path, _f = QFileDialog.getSaveFileName(parent, title, documents_dir(name + suffix), filter_)
    if path and not path.lower().endswith(suffix):
        path += suffix
    return path


def ask_and_export(parent: QWidget, table: ReportTable, export: Callable[[str, Done], Any], *, excel: bool) -> None:
    """The export buttons: ask where, write there, then say where the file went."""
    if excel:
        path = ask_path(parent, tr("Export Excel"), table.title, ".xlsx", "Excel (*.xlsx)")
    else:
        path = ask_path(parent, tr("Export PDF"), table.title, ".pdf", "PDF (*.pdf)")
    if path:
        export(path, lambda _r: tell_exported(parent, path))


def export_pdf(parent: QWidget, table: ReportTable, shop: str, path: str, on_done: Done = None) -> Any:
    return run_task(parent, tr("Writing the PDF…"), lambda progress: write_pdf(table, path, shop=shop),
                    on_done=on_done)


def export_xlsx(parent: QWidget, table: ReportTable, shop: str, path: str, on_done: Done = None) -> Any:
    return run_task(parent, tr("Writing the Excel file…"),
                    lambda progress: write_xlsx(table, path, shop=shop, progress=progress), on_done=on_done)


def print_table(parent: QWidget, table: ReportTable, shop: str, printer: str, output_file: str = "") -> Any:
    """Print with a preview; ``output_file`` prints into a PDF file instead (tests, "print to file")."""

    def done(data: bytes) -> None:
        print_pdf(parent, data, printer_name=printer, preview=not output_file, output_file=output_file,
                  title=table.title)

    return run_task(parent, tr("Preparing the report…"), lambda progress: render_pdf(table, shop=shop),
                    on_done=done)
