"""The reports tab's chart: a report table's chart spec drawn with Qt Charts — a line over time
(a label every few points, so a year of days stays readable) or bars for the first rows."""

from __future__ import annotations

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
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from jxc_desktop.services.reporting.dto import Chart, ReportTable
from jxc_desktop.ui.i18n import tr

SERIES_COLORS = ("#2f6fb0", "#e07b24")
FIGURES_ON_BARS = 6


class ReportChartView(QChartView):
    """Shows the chart of the table last given to ``show_table`` (hidden when it has none)."""

    def __init__(self) -> None:
        chart = QChart()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        super().__init__(chart)
        self._chart = chart  # a Python reference too, so the wrapper lives as long as the view
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)

    def show_table(self, table: ReportTable, sorted_rows: list[tuple[Any, ...]]) -> None:
        """Draw ``table``'s chart; bars follow the rows as sorted on screen, a line keeps time order."""
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        spec = table.chart
        if spec is None or not table.rows:
            self.setVisible(False)
            return
        self.setVisible(True)
        rows = list(table.rows) if spec.kind == "line" else sorted_rows[:spec.max_points]
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
            _draw_lines(chart, table, spec, labels, values, y_axis)
        else:
            _draw_bars(chart, table, spec, labels, values, y_axis)


def _draw_lines(chart: QChart, table: ReportTable, spec: Chart, labels: list[str], values: list[list[float]],
                y_axis: QValueAxis) -> None:
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


def _draw_bars(chart: QChart, table: ReportTable, spec: Chart, labels: list[str], values: list[list[float]],
               y_axis: QValueAxis) -> None:
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
