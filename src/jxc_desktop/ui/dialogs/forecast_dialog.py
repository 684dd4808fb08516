"""销量预测: one product's forecast next to the history behind it, so the owner can check it — a
chart of the last 12 weeks, last year's same weeks and the weeks ahead, the weeks as a table, the
past 12 months, and one line saying how the figure was made (services/purchasing/forecasts.py)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.quantity import MILLI, format_qty
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import ProductForecast
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.i18n import tr

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _weekdays() -> tuple[str, ...]:
    return (tr("Mon"), tr("Tue"), tr("Wed"), tr("Thu"), tr("Fri"), tr("Sat"), tr("Sun"))


def _cell(text: str, right: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if right:
        item.setTextAlignment(RIGHT)
    return item


class ForecastDialog(QDialog):
    """``ForecastDialog(services, code, today=None)``: ``today`` None is the clock's day."""

    def __init__(self, services: Services, code: str, parent: QWidget | None = None, *,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self._services, self._code, self._today = services, code, today
        self.forecast: ProductForecast | None = None
        self.setWindowTitle(tr("Sales forecast"))
        self.resize(900, 640)
        self.weeks = QSpinBox()
        self.weeks.setRange(1, 26)
        self.weeks.setValue(8)
        self.weeks.setSuffix(tr(" weeks"))
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        self.method = QLabel()
        self.method.setWordWrap(True)
        self.method.setStyleSheet("color: #555;")
        self.chart = QChart()
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(260)
        self.week_table = QTableWidget(0, 4)
        self.week_table.setHorizontalHeaderLabels([tr("Week from"), tr("Forecast"), tr("Same week last year"),
                                                   tr("Season index")])
        self.month_table = QTableWidget(0, 2)
        self.month_table.setHorizontalHeaderLabels([tr("Month"), tr("Sold")])
        for t in (self.week_table, self.month_table):
            t.verticalHeader().hide()
            t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        bar.addWidget(QLabel(tr("Weeks ahead")))
        bar.addWidget(self.weeks)
        tables = QHBoxLayout()
        tables.addWidget(self.week_table, 3)
        tables.addWidget(self.month_table, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.chart_view, 1)
        layout.addWidget(self.method)
        layout.addLayout(tables, 1)
        layout.addWidget(buttons)
        self.weeks.valueChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        got = run(self, lambda: self._services.forecasts.product(self._code, today=self._today,
                                                                   weeks=self.weeks.value()))
        if not got or got.value is None:
            return
        f = self.forecast = got.value
        self.title.setText(f"{f.code}  {f.name}（{f.unit}）")
        source = {"product": tr("its own sales last year"), "category": tr("its category's sales last year"),
                  "none": tr("none (less than a year of history): the average of the last 4 weeks")}[f.source]
        shape = "  ".join(f"{d} {p / 1000:.2f}" for d, p in zip(_weekdays(), f.weekday_permille, strict=True))
        self.method.setText(tr("Forecast = the last 4 weeks' level ({level} a week, deseasonalised) × the season "
                               "index of each week (last year's same week ÷ last year's average week; from {source}) "
                               "× trend {trend} % a week. Weekdays: {shape}. Spread of a week: {spread}.").format(
            level=format_qty(f.level_qty), source=source, trend=f"{f.trend_permille / 10:+.1f}", shape=shape,
            spread=format_qty(f.spread_qty)))
        self._fill_tables(f)
        self._draw(f)

    def _fill_tables(self, f: ProductForecast) -> None:
        self.week_table.setRowCount(len(f.weeks))
        for r, w in enumerate(f.weeks):
            self.week_table.setItem(r, 0, _cell(w.start.isoformat(), right=False))
            self.week_table.setItem(r, 1, _cell(format_qty(w.qty)))
            self.week_table.setItem(r, 2, _cell(format_qty(w.last_year_qty)))
            self.week_table.setItem(r, 3, _cell(f"{w.season_permille / 1000:.2f}"))
        self.month_table.setRowCount(len(f.months))
        for r, (month, qty) in enumerate(f.months):
            self.month_table.setItem(r, 0, _cell(month, right=False))
            self.month_table.setItem(r, 1, _cell(format_qty(qty)))
        for t in (self.week_table, self.month_table):
            t.resizeColumnsToContents()

    def _draw(self, f: ProductForecast) -> None:
        """Weeks on the x axis (0 = the week from today, negative: the weeks before)."""
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        n = len(f.recent_weeks)
        this_year = QLineSeries(name=tr("Sold (last 12 weeks)"))
        last_year = QLineSeries(name=tr("Same weeks last year"))
        ahead = QLineSeries(name=tr("Forecast"))
        for i, w in enumerate(f.recent_weeks):
            this_year.append(QPointF(i - n, w.qty / MILLI))
            last_year.append(QPointF(i - n, w.last_year_qty / MILLI))
        for i, w in enumerate(f.weeks):
            last_year.append(QPointF(i, w.last_year_qty / MILLI))
            ahead.append(QPointF(i, w.qty / MILLI))
        if f.recent_weeks:  # the forecast line starts where the sales line ends
            ahead.insert(0, QPointF(-1, f.recent_weeks[-1].qty / MILLI))
        styles = ((this_year, "#1f6fb2", Qt.PenStyle.SolidLine), (last_year, "#999999", Qt.PenStyle.DashLine),
                  (ahead, "#d9480f", Qt.PenStyle.SolidLine))
        top = 1.0
        for series, colour, style in styles:
            series.setPen(QPen(QColor(colour), 2.5, style))
            self.chart.addSeries(series)
            top = max([top] + [p.y() for p in series.points()])
        x_axis, y_axis = QValueAxis(), QValueAxis()
        x_axis.setRange(-n, max(1, len(f.weeks) - 1))
        x_axis.setLabelFormat("%d")
        x_axis.setTitleText(tr("Weeks from today"))
        y_axis.setRange(0, top * 1.15)
        y_axis.setTitleText(tr("Units a week"))
        self.chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for series, _c, _s in styles:
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
