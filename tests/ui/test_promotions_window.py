"""The promotions window from the products tab: add a special price and a 满减 through the form
(Chinese typed through the IME path), a refused form that writes nothing, the preview of a cart,
ending a promotion — and pictures of the window and the form."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from jxc_desktop.domain.promotion_rules import Kind
from jxc_desktop.services.promotions.dto import ENDED, PromotionInput
from jxc_desktop.ui.dialogs.promotion_form import PromotionForm
from jxc_desktop.ui.dialogs.promotions_dialog import PromotionsDialog
from jxc_desktop.ui.products_tab import ProductsTab
from tests.ui.cjk import type_cjk


@pytest.fixture
def shop(services, make_product):  # type: ignore[no-untyped-def]
    cola = make_product("可口可乐 330ml", price=300, category="饮料", code="KL01")
    chips = make_product("乐事薯片", price=650, category="零食", code="SP01")
    return services, cola, chips


@pytest.fixture
def window(qtbot, shop):  # type: ignore[no-untyped-def]
    services = shop[0]
    tab = ProductsTab(services)
    qtbot.addWidget(tab)
    tab.show()
    dlg = tab.open_promotions()
    qtbot.addWidget(dlg)
    qtbot.waitExposed(dlg)
    return dlg


def _save(qtbot, form: PromotionForm) -> None:  # type: ignore[no-untyped-def]
    box = form.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def _scan(qtbot, lookup, code: str) -> None:  # type: ignore[no-untyped-def]
    lookup.setFocus()
    qtbot.keyClicks(lookup, code)
    qtbot.keyClick(lookup, Qt.Key.Key_Return)


def test_add_special_price_and_threshold_preview_and_end(qtbot, window: PromotionsDialog, shop) -> None:  # type: ignore[no-untyped-def]
    services, cola, chips = shop
    form = window.open_form(None)
    qtbot.waitExposed(form)
    type_cjk(form.name, "可乐特价")
    form.kind.setCurrentIndex(list(Kind).index(Kind.SPECIAL_PRICE))
    assert form.form.isRowVisible(form.products) and not form.form.isRowVisible(form.threshold)
    _scan(qtbot, form.lookup, "KL01")
    assert form.products.rowCount() == 1
    form.set_price(0, "2.50")
    form.grab().save("/tmp/promotion-form-special.png")
    _save(qtbot, form)
    assert not form.isVisible() and form.result_promotion is not None
    assert [(p.id, p.price) for p in form.result_promotion.products] == [(cola.id, 250)]

    form = window.open_form(None)
    type_cjk(form.name, "满10减1")
    form.kind.setCurrentIndex(list(Kind).index(Kind.THRESHOLD))
    assert form.form.isRowVisible(form.threshold) and not form.form.isRowVisible(form.n)
    form.threshold.setText("10")
    form.reduction.setText("10")  # as much as the threshold: refused
    _save(qtbot, form)
    assert form.isVisible() and "less than the threshold" in form.error_label.text()
    assert [p.name for p in services.promotions.list()] == ["可乐特价"]  # nothing written
    form.reduction.setText("1")
    form.stackable.setChecked(True)
    _save(qtbot, form)
    assert not form.isVisible()
    assert window.table.rowCount() == 2
    assert {window.table.item(r, 0).text() for r in range(2)} == {"可乐特价", "满10减1"}
    assert window.table.item(0, 4).text() == "Running"

    # Preview: 2 cola (special 2.50) + 1 chips = 5.00 + 6.50 = 11.50; 满10减1 stackable → 10.50
    _scan(qtbot, window.lookup, "KL01")
    _scan(qtbot, window.lookup, "SP01")
    window.set_qty(0, "2")
    text = window.result.text()
    assert "可乐特价  -¥1.00" in text and "满10减1  -¥1.00" in text
    assert "Subtotal ¥12.50, promotions -¥2.00, to pay ¥10.50" in text
    window.buyer.setCurrentIndex(window.buyer.findText("Member: 普通"))  # 100 %, no member-only promotion: the same
    assert window.result.text() == text
    window.grab().save("/tmp/promotions-window.png")

    window.table.selectRow([window.table.item(r, 0).text() for r in range(2)].index("可乐特价"))
    window.end_current(confirm=False)
    ended = next(p for p in services.promotions.list() if p.name == "可乐特价")
    assert ended.ends is not None and ended.status(window.preview_at()) == ENDED
    assert "可乐特价" not in window.result.text()  # the preview follows
    assert "to pay ¥11.50" in window.result.text()


def test_edit_keeps_the_scope_and_a_bad_price_is_said(qtbot, window: PromotionsDialog, shop) -> None:  # type: ignore[no-untyped-def]
    services, cola, chips = shop
    services.promotions.add(PromotionInput("零食买2付1", Kind.BUY_N_PAY_M, datetime(2026, 1, 1), None,
                                           category_ids=(chips.category_id,), n=2, m=1))
    window.reload()
    window.table.selectRow(0)
    form = window.edit_current()
    assert form is not None and form.current_kind() is Kind.BUY_N_PAY_M
    assert form.n.value() == 2 and form.m.value() == 1
    form.m.setValue(2)
    _save(qtbot, form)
    assert "less than N" in form.error_label.text()
    form.m.setValue(1)
    form.kind.setCurrentIndex(list(Kind).index(Kind.SPECIAL_PRICE))
    _scan(qtbot, form.lookup, "KL01")
    form.set_price(0, "abc")
    _save(qtbot, form)
    assert form.isVisible() and "abc" in form.error_label.text()
    form.reject()
    assert services.promotions.list()[0].kind is Kind.BUY_N_PAY_M


def test_the_list_says_the_days_and_hours_beside_the_deal(qtbot, window: PromotionsDialog, shop) -> None:  # type: ignore[no-untyped-def]
    services, cola, chips = shop
    services.promotions.add(PromotionInput("周末晚间薯片特价", Kind.SPECIAL_PRICE, datetime(2026, 1, 1), None,
                                           products=((chips.id, 500),), weekdays="56", daily_from="18:00",
                                           daily_to="22:00", member_only=True))
    services.promotions.add(PromotionInput("午后可乐第二件半价", Kind.NTH_AT_PERCENT, datetime(2026, 1, 1), None,
                                           products=((cola.id, None),), n=2, pay_pct=50, daily_from="14:00"))
    window.reload()
    deals = {window.table.item(r, 0).text(): window.table.item(r, 5).text() for r in range(window.table.rowCount())}
    assert deals["周末晚间薯片特价"] == "SP01 乐事薯片 ¥5.00 · Sat, Sun 18:00–22:00 · members"
    assert deals["午后可乐第二件半价"] == "item 2 at 50%: KL01 可口可乐 330ml · 14:00–24:00"
    assert window.table.item(0, 5).toolTip() == window.table.item(0, 5).text()  # cut to the width: the whole on hover
    # the deal column is not squeezed to nothing by the dates: the window opens wide enough
    window.show()
    qtbot.waitExposed(window)
    assert window.table.columnWidth(5) >= 200


def test_the_preview_prices_a_member_cart_at_member_prices(qtbot, window: PromotionsDialog, shop) -> None:  # type: ignore[no-untyped-def]
    services, cola, chips = shop
    services.members.set_member_price(cola.id, 280)  # chips have none: 银卡 95 % of 6.50 = 6.175 → 6.18
    services.promotions.add(PromotionInput("会员满10减1", Kind.THRESHOLD, datetime(2026, 1, 1), None,
                                           threshold=1000, reduction=100, member_only=True))
    window.reload()
    assert [window.buyer.itemText(i) for i in range(window.buyer.count())] == [
        "No member", "Member: 普通", "Member: 银卡", "Member: 金卡"]
    _scan(qtbot, window.lookup, "KL01")
    _scan(qtbot, window.lookup, "SP01")
    window.set_qty(0, "2")
    assert window.result.text() == "No promotion applies: ¥12.50"  # retail, the member-only one is not for it
    window.buyer.setCurrentIndex(window.buyer.findText("Member: 普通"))  # the cola's member price is every member's
    assert "Subtotal ¥12.10, promotions -¥1.00, to pay ¥11.10" in window.result.text()
    window.buyer.setCurrentIndex(window.buyer.findText("Member: 银卡"))  # 2 × 2.80 + 6.18, as the till prices it
    assert "Subtotal ¥11.78, promotions -¥1.00, to pay ¥10.78" in window.result.text()


def test_a_promotion_added_as_the_minute_turns_shows_in_the_preview(qtbot, shop, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The preview's moment is set when the window opens; a promotion saved a minute later starts at
    that later minute (the form's default start): the preview moves up to now and shows it."""
    import time

    from jxc_desktop.domain.clock import ANCHOR_ENV, NOW_ENV

    services, cola, _chips = shop
    monkeypatch.setenv(NOW_ENV, "2027-01-01T09:59:59.900")  # local time; 0.1 s before the minute turns
    monkeypatch.setenv(ANCHOR_ENV, str(time.time()))
    tab = ProductsTab(services)
    qtbot.addWidget(tab)
    dlg = tab.open_promotions()
    qtbot.addWidget(dlg)
    qtbot.wait(300)  # 10:00:00.2 and later: the form's start is 10:00, the preview's moment 09:59
    form = dlg.open_form(None)
    type_cjk(form.name, "可乐特价")
    form.kind.setCurrentIndex(list(Kind).index(Kind.SPECIAL_PRICE))
    _scan(qtbot, form.lookup, "KL01")
    form.set_price(0, "2.50")
    _save(qtbot, form)
    _scan(qtbot, dlg.lookup, "KL01")
    assert "可乐特价  -¥0.50" in dlg.result.text(), dlg.result.text()
