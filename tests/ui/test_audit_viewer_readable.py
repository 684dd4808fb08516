"""Issue 13 item 6: the audit viewer names actions in Chinese and shows amounts in yuan."""

from __future__ import annotations

import pytest

from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.ui.dialogs.audit_viewer import AuditTableModel, AuditViewer


@pytest.fixture
def chinese(qapp):  # type: ignore[no-untyped-def]
    from jxc_desktop.ui.i18n import install

    install(qapp, "zh_CN")
    yield
    install(qapp, "en")


def _cells(viewer: AuditViewer, action: str) -> list[str]:
    m = viewer.model
    row = next(r for r in range(m.rowCount()) if m.entry(r).action == action)
    return [m.data(m.index(row, c)) for c in range(m.columnCount())]


def test_actions_in_chinese_and_prices_in_yuan(qtbot, qtmodeltester, chinese, services, make_product) -> None:  # type: ignore[no-untyped-def]
    p = make_product("矿泉水", 250, 120, 5)
    services.catalog.update_product(p.id, ProductInput(name=p.name, code=p.code, unit=p.unit, sale_price=10,
                                                       ref_cost=120))
    services.pin.set_pin("1234")
    services.pin.authorize("view_profit", "1234")
    viewer = AuditViewer(services)
    qtbot.addWidget(viewer)
    qtmodeltester.check(viewer.model)
    price = _cells(viewer, "price_change")
    assert price[AuditTableModel.ACTION] == "改价"
    assert price[AuditTableModel.BEFORE] == "进价 ¥1.20, 售价 ¥2.50"
    assert price[AuditTableModel.AFTER] == "进价 ¥1.20, 售价 ¥0.10"
    allowed = _cells(viewer, "owner_authorized")
    assert allowed[AuditTableModel.ACTION] == "老板已授权"
    assert allowed[AuditTableModel.DOCUMENT] == "查看成本、利润和报表"
    assert _cells(viewer, "pin_set")[AuditTableModel.DETAIL] == "已设置"
    combo = [viewer.action.itemText(i) for i in range(viewer.action.count())]
    assert not any(t in combo for t in ("view_profit", "price_change", "owner_authorized", "pin_set"))
    viewer.resize(1366, 700)
    viewer.show()
    qtbot.waitExposed(viewer)
    viewer.grab().save("/tmp/pin-audit-viewer.png")
