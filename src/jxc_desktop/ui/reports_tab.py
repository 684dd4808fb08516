"""The reports tab (报表): pick a report, a period and a grouping; see the table and a chart;
export to PDF / Excel or print. The choosers come from the report catalogue
(services.reporting.catalogue), the same list ``jxc report`` offers. Reports run off the GUI thread
(ui.tasks) with a progress dialog, so a year of sales at 100 000 products never freezes the window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.periods import Period, PeriodKind, format_bp, period_for
from jxc_desktop.i18n import _
from jxc_desktop.services.hub import Services
from jxc_desktop.services.reporting import catalogue
from jxc_desktop.services.reporting.dto import Rank, ReportKind, ReportRequest, ReportSpec, ReportTable, Span
from jxc_desktop.ui import report_output
from jxc_desktop.ui.errors import show_error
from jxc_desktop.ui.freed_memory import give_back
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.report_table import ReportTableModel
from jxc_desktop.ui.report_chart import ReportChartView
from jxc_desktop.ui.report_widths import fit_columns
from jxc_desktop.ui.tasks import Task, run_task


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class ReportsTab(QWidget):
    loaded = Signal(object)  # the ReportTable shown (or the exception when it failed)

    def __init__(self, services: Services, parent: QWidget | None = None,
                 today: Callable[[], date] = local_today) -> None:
        super().__init__(parent)
        self.services = services
        self._today = today
        self.table: ReportTable | None = None
        self._task: Task | None = None  # the last report run (see run_report)
        self._running = False
        self._again = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.run_report)

        self.report_box = QComboBox()
        for spec in catalogue.REPORTS:
            self.report_box.addItem(_(spec.label), str(spec.kind))
        self.period_box = QComboBox()
        for choice in catalogue.PERIODS:
            self.period_box.addItem(_(choice.label), choice.key)
        self.period_box.setCurrentIndex(self.period_box.findData(str(PeriodKind.THIS_MONTH)))
        self.first_edit = QDateEdit()
        self.last_edit = QDateEdit()
        for edit in (self.first_edit, self.last_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.group_box = QComboBox()
        self.rank_box = QComboBox()
        for choice in catalogue.RANKS:
            self.rank_box.addItem(_(choice.label), choice.key)
        self.sort_box = QComboBox()
        for choice in catalogue.sort_choices(brief=True):
            self.sort_box.addItem(_(choice.label), choice.key)
        self.days_label = QLabel()
        self.days_spin = QSpinBox()
        self.days_spin.setRange(1, 3650)
        self.days_spin.setValue(30)
        # 环比/同比: the previous period and last year's beside the report's compared figure
        self.compare_check = QCheckBox(tr("Compare with the previous period and last year"))
        self.refresh_button = QPushButton(tr("Refresh"))
        self.pdf_button = QPushButton(tr("Export PDF…"))
        self.xlsx_button = QPushButton(tr("Export Excel…"))
        self.print_button = QPushButton(tr("Print…"))

        bar1 = QHBoxLayout()
        bar1.addWidget(QLabel(tr("Report")))
        bar1.addWidget(self.report_box)
        bar1.addWidget(QLabel(tr("Period")))
        bar1.addWidget(self.period_box)
        bar1.addWidget(self.first_edit)
        bar1.addWidget(QLabel("–"))
        bar1.addWidget(self.last_edit)
        bar1.addStretch(1)
        bar1.addWidget(self.refresh_button)
        bar2 = QHBoxLayout()
        bar2.addWidget(self.group_box)
        bar2.addWidget(self.rank_box)
        self.sort_label = QLabel(tr("Rank by"))
        bar2.addWidget(self.sort_label)
        bar2.addWidget(self.sort_box)
        bar2.addWidget(self.days_label)
        bar2.addWidget(self.days_spin)
        bar2.addWidget(self.compare_check)
        bar2.addStretch(1)
        bar2.addWidget(self.pdf_button)
        bar2.addWidget(self.xlsx_button)
        bar2.addWidget(self.print_button)

        self.summary = QLabel()
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setStyleSheet("font-size: 14px; padding: 4px 2px;")
        self.model = ReportTableModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.chart_view = ReportChartView()
        self.chart = self.chart_view.chart()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.chart_view)
        split.addWidget(self.view)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([320, 480])

        layout = QVBoxLayout(self)
        layout.addLayout(bar1)
        layout.addLayout(bar2)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

        self.report_box.currentIndexChanged.connect(self._report_changed)
        self.period_box.currentIndexChanged.connect(self._period_changed)
        self.first_edit.dateChanged.connect(self._dates_edited)
        self.last_edit.dateChanged.connect(self._dates_edited)
        for box in (self.group_box, self.rank_box, self.sort_box):
            box.currentIndexChanged.connect(self._options_changed)
        self.days_spin.valueChanged.connect(self._options_changed)
        self.compare_check.toggled.connect(self._options_changed)
        self.refresh_button.clicked.connect(self.run_report)
        self.pdf_button.clicked.connect(self._ask_pdf)
        self.xlsx_button.clicked.connect(self._ask_xlsx)
        self.print_button.clicked.connect(lambda: self.print_report())
        self._syncing = False
        self._report_changed()
        self._period_changed()

    # ------------------------------------------------------------ choosing
    def kind(self) -> ReportKind:
        return ReportKind(self.report_box.currentData())

    def spec(self) -> ReportSpec:
        """The catalogue entry of the report chosen."""
        return catalogue.report(self.kind())

    def period(self) -> Period:
        return Period(_pydate(self.first_edit.date()), _pydate(self.last_edit.date()))

    def request(self) -> ReportRequest:
        kind = self.kind()
        by = self.group_box.currentData() or ""
        rank = Rank(self.rank_box.currentData()) if self.rank_box.isEnabled() else Rank.ALL
        warning = self.days_spin.value() if kind is ReportKind.EXPIRY else None
        return ReportRequest(kind, self.period(), by=by, rank=rank, n=catalogue.RANK_N, sort=self.sort_box.currentData(),
                             days=self.days_spin.value(), warning_days=warning, today=self._today(),
                             compare=bool(self.spec().compare_figure) and self.compare_check.isChecked())

    def set_period(self, kind: PeriodKind, first: date | None = None, last: date | None = None) -> None:
        """Choose a period (custom dates with ``first``/``last``); the report refreshes."""
        self._syncing = True
        self.period_box.setCurrentIndex(self.period_box.findData(str(kind)))
        if kind is PeriodKind.CUSTOM and first and last:
            self.first_edit.setDate(_qdate(first))
            self.last_edit.setDate(_qdate(last))
        self._syncing = False
        self._period_changed()

    def _report_changed(self) -> None:
        spec = self.spec()
        self._syncing = True
        self.group_box.clear()
        for grouping in spec.groupings:
            self.group_box.addItem(_(grouping.label), grouping.key)
        self.group_box.setVisible(self.group_box.count() > 0)
        if spec.always_ranked:
            self.rank_box.setCurrentIndex(self.rank_box.findData(str(Rank.TOP)))
        days = spec.days
        if days is not None:
            self.days_label.setText(_(days.label))
            self.days_spin.setRange(days.lo, days.hi)
            if days.default is not None:
                self.days_spin.setValue(days.default)
            else:  # the shop's setting (90 when it is blank)
                self.days_spin.setValue(int(self.services.settings.get(days.setting) or 90))
        self._syncing = False
        self._update_controls()
        self._schedule()

    def _update_controls(self) -> None:
        spec = self.spec()
        ranked = spec.can_rank(self.group_box.currentData() or "")
        for w in (self.rank_box, self.sort_box, self.sort_label):
            w.setVisible(ranked)
            w.setEnabled(ranked)
        self.compare_check.setVisible(bool(spec.compare_figure))
        days = spec.days is not None
        self.days_label.setVisible(days)
        self.days_spin.setVisible(days)
        no_period = spec.span is Span.TODAY
        for w in (self.period_box, self.first_edit, self.last_edit):
            w.setEnabled(not no_period)
        if not no_period:
            custom = self.period_box.currentData() == str(PeriodKind.CUSTOM)
            self.first_edit.setEnabled(custom)
            self.last_edit.setEnabled(custom)

    def _period_changed(self) -> None:
        if self._syncing:
            return
        pk = PeriodKind(self.period_box.currentData())
        if pk is not PeriodKind.CUSTOM:
            p = period_for(pk, self._today())
            self._syncing = True
            self.first_edit.setDate(_qdate(p.first))
            self.last_edit.setDate(_qdate(p.last))
            self._syncing = False
        self._update_controls()
        self._schedule()

    def _dates_edited(self) -> None:
        if not self._syncing:
            self._schedule()

    def _options_changed(self) -> None:
        if not self._syncing:
            self._update_controls()
            self._schedule()

    def _schedule(self) -> None:
        # Hidden (the window builds every tab at start-up): wait until the owner looks at it.
        if not self._syncing and self.isVisible():
            self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.table is None and not self._running:
            self._timer.start()

    def refresh(self) -> None:
        """Called when the tab becomes current: the books may have changed."""
        if self.period_box.currentData() != str(PeriodKind.CUSTOM):
            self._period_changed()
        else:
            self._schedule()

    # ------------------------------------------------------------ running
    def run_report(self) -> None:
        self._timer.stop()
        if self._running:
            self._again = True
            return
        try:
            req = self.request()
        except Exception as exc:  # a bad custom period (ends before it starts)
            show_error(self, exc)
            return
        self._running = True
        self._let_go()
        reports = self.services.reports
        def work(progress: Callable[..., None]) -> ReportTable:
            table = reports.table(req)
            progress(0, 0)  # raises Cancelled if the owner pressed Cancel meanwhile: nothing is shown
            return table

        # A finished task keeps its result (the whole table) and, a child of this tab, it lived as long
        # as the tab: every report run stayed in memory. The previous run is let go (deleteLater:
        # safe even from inside its own done slot) when the next one starts.
        previous, self._task = self._task, run_task(self, tr("Preparing the report…"), work, on_done=self._show,
                                                    on_error=self._failed)
        if previous is not None:
            previous.deleteLater()

    def _let_go(self) -> None:
        """Drop the table on screen (it no longer answers the choice) before the next one is built:
        two tables of 100 000 rows, and the building of one, never share the memory."""
        if self.table is None:
            return
        self.table = None
        self.model.set_table(None)
        if self._task is not None:
            self._task.result = None  # the finished task holds the table too
        give_back()

    def _failed(self, exc: BaseException) -> bool:
        self._running = False
        self.loaded.emit(exc)
        return False

    def _show(self, table: ReportTable) -> None:
        self._running = False
        if self._again:
            self._again = False
            self.run_report()
            return
        self.table = table
        self.model.set_table(table)
        # rows arrive in the report's own order (time, or largest first): no column is "sorted"
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        fit_columns(self.view, table)  # every row's widest cell, not Qt's 1 000-row sample
        self._summarise(table)
        self.chart_view.show_table(table, self.model.data_rows())
        give_back()  # what building it freed on the worker thread
        self.loaded.emit(table)

    def _summarise(self, table: ReportTable) -> None:
        parts = [f"<b>{table.title}</b>", table.subtitle]
        if table.total is not None:
            keys = [c.key for c in table.columns]
            for key, label in (("net_sales", tr("Net sales")), ("gross_profit", tr("Gross profit")),
                               ("net", tr("Net")), ("value", tr("Value")), ("closing", tr("Closing stock"))):
                if key in keys and table.total[keys.index(key)] is not None:
                    parts.append(f"{label} <b>{format_fen(int(table.total[keys.index(key)]))}</b>")
            if "margin_bp" in keys:
                parts.append(f"{tr('Margin')} <b>{format_bp(table.total[keys.index('margin_bp')])}</b>")
            if "net_profit" in keys:  # after count differences and cost corrections
                parts.append(f"{tr('Net profit')} <b>{format_fen(int(table.total[keys.index('net_profit')]))}</b>")
        parts += list(table.notes)
        self.summary.setText("&nbsp;&nbsp;·&nbsp;&nbsp;".join(parts))

    # ------------------------------------------------------------ output
    def _ask_pdf(self) -> None:
        if self.table is None:
            return
        report_output.ask_and_export(self, self.table, self.export_pdf, excel=False)

    def _ask_xlsx(self) -> None:
        if self.table is None:
            return
        report_output.ask_and_export(self, self.table, self.export_xlsx, excel=True)

    def _table_for_output(self) -> ReportTable:
        """The table in the order the owner sorted it on screen."""
        assert self.table is not None
        return report_output.in_screen_order(self.table, self.model.data_rows())

    def export_pdf(self, path: str, on_done: Callable[[Any], None] | None = None) -> Any:
        return report_output.export_pdf(self, self._table_for_output(), self.services.reports.shop_name(), path,
                                        on_done)

    def export_xlsx(self, path: str, on_done: Callable[[Any], None] | None = None) -> Any:
        return report_output.export_xlsx(self, self._table_for_output(), self.services.reports.shop_name(), path,
                                         on_done)

    def print_report(self, output_file: str = "") -> Any:
        """Print through the shared print path (ui.printing) with a preview;
        ``output_file`` prints into a PDF file instead (tests, "print to file")."""
        if self.table is None:
            return None
        return report_output.print_table(self, self._table_for_output(), self.services.reports.shop_name(),
                                         self.services.settings.get("printer_name"), output_file)


def make_reports_tab(services: Services, parent: QWidget) -> QWidget:
    return ReportsTab(services, parent)
