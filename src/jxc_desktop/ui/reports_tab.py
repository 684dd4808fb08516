"""The reports tab (报表): pick a report, a period and a grouping; see the table and a chart;
export to PDF / Excel or print. Reports run off the GUI thread (ui.tasks) with a progress dialog,
so a year of sales at 100 000 products never freezes the window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QMargins, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
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
from jxc_desktop.services.hub import Services
from jxc_desktop.services.reporting.tables import Rank, ReportKind, ReportRequest, ReportTable
from jxc_desktop.ui.errors import show_error
from jxc_desktop.ui.i18n import documents_dir, tr
from jxc_desktop.ui.models.report_table import ReportTableModel
from jxc_desktop.ui.saved_file import tell_exported
from jxc_desktop.ui.tasks import run_task

SERIES_COLORS = ("#2f6fb0", "#e07b24")
FIGURES_ON_BARS = 6


def report_choices() -> list[tuple[ReportKind, str]]:
    return [
        (ReportKind.PROFIT, tr("Profit summary")),
        (ReportKind.BEST, tr("Best sellers")),
        (ReportKind.PAYMENTS, tr("Sales by payment method")),
        (ReportKind.HOURS, tr("Sales by hour of day")),
        (ReportKind.PURCHASES, tr("Purchase summary")),
        (ReportKind.STOCK_VALUE, tr("Stock value at the end of the period")),
        (ReportKind.TURNOVER, tr("Stock value and turnover")),
        (ReportKind.SLOW, tr("Slow movers")),
        (ReportKind.EXPIRY, tr("Expiry warning")),
    ]


def period_choices() -> list[tuple[PeriodKind, str]]:
    return [
        (PeriodKind.TODAY, tr("Today")),
        (PeriodKind.YESTERDAY, tr("Yesterday")),
        (PeriodKind.THIS_WEEK, tr("This week")),
        (PeriodKind.THIS_MONTH, tr("This month")),
        (PeriodKind.LAST_MONTH, tr("Last month")),
        (PeriodKind.THIS_YEAR, tr("This year")),
        (PeriodKind.CUSTOM, tr("Custom dates")),
    ]


def grouping_choices(kind: ReportKind) -> list[tuple[str, str]]:
    if kind is ReportKind.PROFIT:
        return [("day", tr("By day")), ("week", tr("By week")), ("month", tr("By month")),
                ("product", tr("By product")), ("category", tr("By category"))]
    if kind is ReportKind.BEST:
        return [("product", tr("By product")), ("category", tr("By category"))]
    if kind is ReportKind.PURCHASES:
        return [("supplier", tr("By supplier")), ("product", tr("By product"))]
    if kind is ReportKind.STOCK_VALUE:
        return [("category", tr("By category")), ("product", tr("By product"))]
    return []


def sort_choices() -> list[tuple[str, str]]:
    return [("net_sales", tr("Net sales")), ("gross_profit", tr("Gross profit")), ("qty", tr("Qty")),
            ("margin_bp", tr("Margin")), ("sale_count", tr("Sales count")), ("count_loss", tr("Count losses"))]


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
        self._running = False
        self._again = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.run_report)

        self.report_box = QComboBox()
        for kind, label in report_choices():
            self.report_box.addItem(label, str(kind))
        self.period_box = QComboBox()
        for pk, label in period_choices():
            self.period_box.addItem(label, str(pk))
        self.period_box.setCurrentIndex(self.period_box.findData(str(PeriodKind.THIS_MONTH)))
        self.first_edit = QDateEdit()
        self.last_edit = QDateEdit()
        for edit in (self.first_edit, self.last_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.group_box = QComboBox()
        self.rank_box = QComboBox()
        self.rank_box.addItem(tr("All rows"), str(Rank.ALL))
        self.rank_box.addItem(tr("Top 20"), str(Rank.TOP))
        self.rank_box.addItem(tr("Bottom 20"), str(Rank.BOTTOM))
        self.sort_box = QComboBox()
        for key, label in sort_choices():
            self.sort_box.addItem(label, key)
        self.days_label = QLabel()
        self.days_spin = QSpinBox()
        self.days_spin.setRange(1, 3650)
        self.days_spin.setValue(30)
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
        self.chart = QChart()
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(220)
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

    def period(self) -> Period:
        return Period(_pydate(self.first_edit.date()), _pydate(self.last_edit.date()))

    def request(self) -> ReportRequest:
        kind = self.kind()
        by = self.group_box.currentData() or ""
        rank = Rank(self.rank_box.currentData()) if self.rank_box.isEnabled() else Rank.ALL
        warning = self.days_spin.value() if kind is ReportKind.EXPIRY else None
        return ReportRequest(kind, self.period(), by=by, rank=rank, n=20, sort=self.sort_box.currentData(),
                             days=self.days_spin.value(), warning_days=warning, today=self._today())

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
        kind = self.kind()
        self._syncing = True
        self.group_box.clear()
        for key, label in grouping_choices(kind):
            self.group_box.addItem(label, key)
        self.group_box.setVisible(self.group_box.count() > 0)
        if kind is ReportKind.BEST:
            self.rank_box.setCurrentIndex(1)
        self.days_label.setText(tr("Days without sale") if kind is ReportKind.SLOW else tr("Warning days"))
        if kind is ReportKind.EXPIRY:
            self.days_spin.setRange(0, 3650)
            self.days_spin.setValue(int(self.services.settings.get("expiry_warning_days") or 90))
        elif kind is ReportKind.SLOW:
            self.days_spin.setRange(1, 3650)
            self.days_spin.setValue(30)
        self._syncing = False
        self._update_controls()
        self._schedule()

    def _update_controls(self) -> None:
        kind = self.kind()
        by = self.group_box.currentData() or ""
        ranked = kind in (ReportKind.PROFIT, ReportKind.BEST) and by in ("product", "category")
        for w in (self.rank_box, self.sort_box, self.sort_label):
            w.setVisible(ranked)
            w.setEnabled(ranked)
        days = kind in (ReportKind.SLOW, ReportKind.EXPIRY)
        self.days_label.setVisible(days)
        self.days_spin.setVisible(days)
        no_period = kind in (ReportKind.SLOW, ReportKind.EXPIRY)
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
        reports = self.services.reports
        def work(progress: Callable[..., None]) -> ReportTable:
            table = reports.table(req)
            progress(0, 0)  # raises Cancelled if the owner pressed Cancel meanwhile: nothing is shown
            return table

        run_task(self, tr("Preparing the report…"), work, on_done=self._show, on_error=self._failed)

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
        self.view.resizeColumnsToContents()
        self._summarise(table)
        self._draw_chart(table)
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
        parts += list(table.notes)
        self.summary.setText("&nbsp;&nbsp;·&nbsp;&nbsp;".join(parts))

    def _draw_chart(self, table: ReportTable) -> None:
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        spec = table.chart
        if spec is None or not table.rows:
            self.chart_view.setVisible(False)
            return
        self.chart_view.setVisible(True)
        rows = list(table.rows) if spec.kind == "line" else self.model.data_rows()[:spec.max_points]
        room = 10 if spec.kind == "line" or len(rows) <= FIGURES_ON_BARS else 8  # a whole date, or a short name
        labels = [str(r[spec.label_col])[:room] for r in rows]
        values = [[int(r[s] or 0) / 100 for r in rows] for s in spec.series]
        y_axis = QValueAxis()
        y_axis.setLabelFormat("%.0f")
        y_axis.setTitleText(tr("Yuan"))
        low = min([0.0] + [v for vs in values for v in vs])
        high = max([1.0] + [v for vs in values for v in vs])
        y_axis.setRange(low, high * 1.05)
        y_axis.applyNiceNumbers()
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        if spec.kind == "line":
            # numeric x with a label every few points, so a year of days stays readable
            x_line = QCategoryAxis()
            x_line.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
            step = max(1, len(labels) // 12)
            for x in range(0, len(labels), step):
                x_line.append(labels[x], x)
            x_line.setRange(-0.5, len(labels) - 0.5)
            chart.addAxis(x_line, Qt.AlignmentFlag.AlignBottom)
            for i, _s in enumerate(spec.series):
                series = QLineSeries()
                series.setName(table.columns[spec.series[i]].header)
                series.setPen(QPen(QColor(SERIES_COLORS[i % 2]), 2))
                for x, v in enumerate(values[i]):
                    series.append(x, v)
                chart.addSeries(series)
                series.attachAxis(x_line)
                series.attachAxis(y_axis)
        else:
            x_axis = QBarCategoryAxis()
            x_axis.append(labels)
            if len(labels) > 8:
                x_axis.setLabelsAngle(-45)
            chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
            bars = QBarSeries()
            for i, s in enumerate(spec.series):
                barset = QBarSet(table.columns[s].header)
                barset.setColor(QColor(SERIES_COLORS[i % 2]))
                barset.setLabelColor(QColor("#222222"))  # the figure sits above the bar, on white
                barset.append(values[i])
                bars.append(barset)
            # a few bars carry their figures (a one-day report is two bars: net sales, profit)
            bars.setLabelsVisible(len(labels) <= FIGURES_ON_BARS)
            bars.setLabelsFormat("@value")
            bars.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
            chart.addSeries(bars)
            bars.attachAxis(x_axis)
            bars.attachAxis(y_axis)

    # ------------------------------------------------------------ output
    def _ask_pdf(self) -> None:
        if self.table is None:
            return
        path, _f = QFileDialog.getSaveFileName(self, tr("Export PDF"), documents_dir(f"{self.table.title}.pdf"), "PDF (*.pdf)")
        if path:
            path = path if path.lower().endswith(".pdf") else path + ".pdf"
            self.export_pdf(path, on_done=lambda _r: tell_exported(self, path))

    def _ask_xlsx(self) -> None:
        if self.table is None:
            return
        path, _f = QFileDialog.getSaveFileName(self, tr("Export Excel"), documents_dir(f"{self.table.title}.xlsx"),
                                               "Excel (*.xlsx)")
        if path:
            path = path if path.lower().endswith(".xlsx") else path + ".xlsx"
            self.export_xlsx(path, on_done=lambda _r: tell_exported(self, path))

    def _table_for_output(self) -> ReportTable:
        """The table in the order the owner sorted it on screen."""
        assert self.table is not None
        t = self.table
        return ReportTable(t.report, t.title, t.subtitle, t.columns, tuple(self.model.data_rows()), t.total,
                           t.chart, t.notes)

    def export_pdf(self, path: str, on_done: Callable[[Any], None] | None = None) -> Any:
        from jxc_desktop.reports.report_pdf import write_pdf

        table, shop = self._table_for_output(), self.services.reports.shop_name()
        return run_task(self, tr("Writing the PDF…"), lambda progress: write_pdf(table, path, shop=shop),
                        on_done=on_done)

    def export_xlsx(self, path: str, on_done: Callable[[Any], None] | None = None) -> Any:
        from jxc_desktop.services.reporting.xlsx_export import write_xlsx

        table, shop = self._table_for_output(), self.services.reports.shop_name()
        return run_task(self, tr("Writing the Excel file…"),
                        lambda progress: write_xlsx(table, path, shop=shop, progress=progress), on_done=on_done)

    def print_report(self, output_file: str = "") -> Any:
        """Print through the shared print path (engineer C's ui.printing) with a preview;
        ``output_file`` prints into a PDF file instead (tests, "print to file")."""
        if self.table is None:
            return None
        from jxc_desktop.reports.report_pdf import render_pdf
        from jxc_desktop.ui.printing import print_pdf

        table, shop = self._table_for_output(), self.services.reports.shop_name()
        printer = self.services.settings.get("printer_name")

        def done(data: bytes) -> None:
            print_pdf(self, data, printer_name=printer, preview=not output_file, output_file=output_file,
                      title=table.title)

        return run_task(self, tr("Preparing the report…"), lambda progress: render_pdf(table, shop=shop),
                        on_done=done)


def make_reports_tab(services: Services, parent: QWidget) -> QWidget:
    return ReportsTab(services, parent)

