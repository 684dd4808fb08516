"""The reorder screen's rule choice and reason column, and the forecast screen (issue 20), on a
built two-year history of a summer drink. The screens are grabbed as PNG (JXC_SHOTS=folder keeps
them) so they can be looked at."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from PySide6.QtCharts import QLineSeries

from jxc_desktop.ui.purchase_tab import PurchaseTab
from tests.unit.test_reorder_season import _drink_with_history

TODAY = date(2026, 5, 25)


def _shot(widget, tmp_path: Path, name: str) -> Path:  # type: ignore[no-untyped-def]
    folder = Path(os.environ.get("JXC_SHOTS") or tmp_path)
    path = folder / name
    assert widget.grab().save(str(path))
    return path


def test_rule_choice_reason_and_forecast_screen(qtbot, services, make_product, db, tmp_path) -> None:
    drink = _drink_with_history(services, make_product, db, TODAY)
    tab = PurchaseTab(services)
    qtbot.addWidget(tab)
    tab.resize(1400, 700)
    tab.show()
    view = tab.reorder
    tab.pages.setCurrentWidget(view)
    view.today = TODAY
    assert view.rule.currentData() == "flat"  # the flat rule stays the default
    view.refresh()
    flat = next(ln for g in view.groups for ln in g.lines if ln.product_id == drink.id)
    why = view.tree.topLevelItem(0).child(0).text(11)
    assert "28" in why and flat.rule == "flat"

    view.rule.setCurrentIndex(view.rule.findData("season"))  # a shown list is made again
    season = next(ln for g in view.groups for ln in g.lines if ln.product_id == drink.id)
    assert season.rule == "season" and season.suggested_qty > flat.suggested_qty
    row = view.tree.topLevelItem(0).child(0)
    assert row.text(7) == f"{season.suggested_qty // 1000}"
    assert "3" in row.text(11) and "×" in row.text(11)
    assert view.tree.headerItem().text(11)
    assert _shot(view, tmp_path, "reorder_season.png").stat().st_size > 0

    view.tree.setCurrentItem(row)
    dialog = view.show_forecast()
    assert dialog is not None
    qtbot.addWidget(dialog)
    f = dialog.forecast
    assert f is not None and f.code == drink.code and len(f.weeks) == 8
    assert dialog.week_table.rowCount() == 8 and dialog.month_table.rowCount() == 12
    assert dialog.week_table.item(0, 1).text() != ""
    series = [s for s in dialog.chart.series() if isinstance(s, QLineSeries)]
    assert len(series) == 3
    assert series[2].count() == 9  # the forecast line starts at the last week sold
    dialog.weeks.setValue(12)
    assert dialog.week_table.rowCount() == 12
    x_axis = dialog.chart.axes()[0]
    assert (x_axis.min(), x_axis.max()) == (-12, 11)
    qtbot.wait(50)  # the chart lays its new axes out on the event loop
    assert _shot(dialog, tmp_path, "forecast_dialog.png").stat().st_size > 0
    dialog.close()


def test_supplier_dialog_lead_time(qtbot, services) -> None:
    from jxc_desktop.ui.dialogs.supplier_dialog import SupplierDialog

    dlg = SupplierDialog(services, name="快递供应商")
    qtbot.addWidget(dlg)
    dlg.lead_time.setValue(5)
    saved = dlg.save()
    assert saved is not None and saved.lead_time_days == 5
    again = SupplierDialog(services, saved)
    qtbot.addWidget(again)
    assert again.lead_time.value() == 5


def test_settings_hold_the_service_level_and_the_default_lead_time(qtbot, services) -> None:
    from jxc_desktop.ui.dialogs.settings_dialog import SettingsDialog

    dlg = SettingsDialog(services)
    qtbot.addWidget(dlg)
    assert (dlg.service_level.value(), dlg.lead_days.value()) == (95, 3)  # the defaults
    dlg.service_level.setValue(98)
    dlg.lead_days.setValue(5)
    assert dlg.save() is not None
    values = services.settings.all()
    assert (values["reorder_service_level"], values["reorder_lead_days"]) == ("98", "5")
