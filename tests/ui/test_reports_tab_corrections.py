"""The reports tab shows the profit report's cost corrections (成本更正) and net profit, as the
service computes them, and names net profit in the headline."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt

from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.periods import PeriodKind
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput
from jxc_desktop.services.sales.dto import Tender
from jxc_desktop.ui.models.report_table import RAW_ROLE
from jxc_desktop.ui.reports_tab import ReportsTab


def test_profit_table_has_corrections_and_net_profit(qtbot, services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    services.settings.update({"negative_stock": "allow"})
    p = make_product("保温杯", 5000, 1000, 0)
    co = services.checkout
    co.post_sale(Cart((co.line_for_product(p.id, 10_000),)), [Tender("cash", 50_000)], confirmed=True,
                 at=datetime(2026, 12, 3, 10).astimezone())
    sup = services.suppliers.add(SupplierInput(name="甲供应商")).id
    services.purchasing.post(NoteInput(sup, (LineInput(p.id, 10_000, 3000),)), confirmed=True,
                             at=datetime(2026, 12, 4, 9).astimezone())
    tab = ReportsTab(services, today=lambda: date(2026, 12, 5))
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.loaded, timeout=30_000):
        tab.show()
    with qtbot.waitSignal(tab.loaded, timeout=30_000):
        tab.set_period(PeriodKind.CUSTOM, date(2026, 12, 1), date(2026, 12, 5))
    model = tab.model
    heads = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    fix, net = heads.index("Cost corrections"), heads.index("Net profit")
    rows = {model.data(model.index(r, 0), RAW_ROLE): r for r in range(model.rowCount())}
    assert model.data(model.index(rows["2026-12-04"], fix), RAW_ROLE) == 20_000
    assert model.data(model.index(rows["2026-12-04"], net), RAW_ROLE) == -20_000
    total = model.rowCount() - 1
    assert model.data(model.index(total, net), RAW_ROLE) == 20_000
    assert "Net profit" in tab.summary.text() and "200.00" in tab.summary.text()
