"""Issue 17's audit trail: every stored-value change (top-up, payment, refund, correction), every
points correction, every member and promotion change is an entry — a payment above the owner-PIN
limit says the owner approved it — and the audit viewer names each of these actions in Chinese
(not its code), with amounts in yuan."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.promotion_rules import Kind
from jxc_desktop.services.members.dto import MemberInput
from jxc_desktop.services.members.money_dto import StoredValueNeedsOwner
from jxc_desktop.services.promotions.dto import PromotionInput
from jxc_desktop.services.promotions.service import now_local
from jxc_desktop.services.sales.dto import ReturnItem, Tender
from jxc_desktop.ui.dialogs.audit_viewer import AuditTableModel, AuditViewer, action_text

ISSUE_17_ACTIONS = {"member_added", "member_changed", "stored_value_topup", "stored_value_pay", "stored_value_refund",
                    "stored_value_adjust", "points_adjust", "promotion_add", "promotion_edit", "promotion_end"}


@pytest.fixture
def chinese(qapp):  # type: ignore[no-untyped-def]
    from jxc_desktop.ui.i18n import install

    install(qapp, "zh_CN")
    yield
    install(qapp, "en")


def test_members_money_and_promotions_are_in_the_trail_in_words(qtbot, qtmodeltester, chinese, services,
                                                                make_product) -> None:  # type: ignore[no-untyped-def]
    rice = make_product("东北大米", 5000, 3000, 20)
    oil = make_product("花生油", 3000, 2000, 20)
    member = services.members.add(MemberInput(phone="13800005678", name="王芳"))
    services.members.update(member.id, MemberInput(phone="13800005678", name="王芳", card="88000001"))
    services.member_money.topup(member.id, 10000, bonus=1000, method="wechat")
    services.member_money.adjust_points(member.id, 500, "开卡礼", actor="老板")
    services.member_money.adjust_stored_value(member.id, -500, "多充退回", actor="老板")
    start = now_local() - timedelta(days=1)
    promo = services.promotions.add(PromotionInput("大米特价", Kind.SPECIAL_PRICE, start, products=((rice.id, 4500),)))
    services.promotions.edit(promo.id, PromotionInput("大米特价", Kind.SPECIAL_PRICE, start, products=((rice.id, 4000),)))
    services.promotions.end(promo.id)

    services.settings.update({"member_sv_pin_limit": "50"})
    cart = Cart()
    for p in (rice, oil):
        cart, _ = c.add(cart, services.checkout.line_for_product(p.id))
    cart = services.members.cart_for_member(cart, member.id)
    tenders = [Tender("stored_value", 6000), Tender("cash", 2000)]
    with pytest.raises(StoredValueNeedsOwner):  # ¥60 > the ¥50 limit: refused, nothing written
        services.checkout.post_sale(cart, tenders, member_id=member.id)
    assert [e for e in services.audit.query() if e.action == "stored_value_pay"] == []
    sale = services.checkout.post_sale(cart, tenders, member_id=member.id, member_override=True, approved_by="老板")
    oil_line = next(ln for ln in sale.lines if ln.name == "花生油")
    ret = services.checkout.post_return(sale.number, [ReturnItem(oil_line.id, 1000)])

    entries = services.audit.query()
    assert {e.action for e in entries} >= ISSUE_17_ACTIONS
    pay = next(e for e in entries if e.action == "stored_value_pay")
    assert (pay.document, pay.actor) == (sale.number, "老板") and "approved by the owner" in (pay.detail or "")
    refund = next(e for e in entries if e.action == "stored_value_refund")
    assert refund.document == ret.number

    viewer = AuditViewer(services)
    qtbot.addWidget(viewer)
    qtmodeltester.check(viewer.model)
    m = viewer.model
    shown = {m.entry(r).action: [m.data(m.index(r, col)) for col in range(m.columnCount())]
             for r in range(m.rowCount())}
    for action in ISSUE_17_ACTIONS:
        name = shown[action][AuditTableModel.ACTION]
        assert name == action_text(action) and name != action and not name.isascii(), (action, name)
    assert shown["stored_value_pay"][AuditTableModel.ACTION] == "储值支付"
    # ¥80 − ¥60 stored value; 3/8 of the ¥60 comes back with the oil; ¥110 − ¥5 corrected before
    assert "¥60.00" in shown["stored_value_pay"][AuditTableModel.AFTER]
    assert "¥45.00" in shown["stored_value_pay"][AuditTableModel.AFTER]
    assert "¥22.50" in shown["stored_value_refund"][AuditTableModel.AFTER]
    combo = [viewer.action.itemText(i) for i in range(viewer.action.count())]
    assert not any(a in combo for a in ISSUE_17_ACTIONS)
