"""The demo's promotions and members: promotions set up two weeks before the demo's today, dated
that morning; the demo's till receipts get them (sale_promotion rows match the lines' promo_discount
to the fen), the results report shows them; members join, top up and buy at member prices; the
books (stock, accounts, members' ledgers) still reconcile."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from jxc_desktop.db.models import AuditLog, Sale, SaleLine, SalePromotion, StoredValueMove
from jxc_desktop.demo import shop as demo
from jxc_desktop.domain.money import div_round
from jxc_desktop.domain.periods import Period
from jxc_desktop.services.promotions.dto import ACTIVE, SCHEDULED
from jxc_desktop.services.safety.books_check import run_check

TODAY = date(2027, 3, 1)


def test_demo_has_promotions_that_its_sales_get(db, services, fill_as_demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("JXC_NOW", "2027-03-01T00:05")
    fill_as_demo(lambda shop: demo.fill_demo(shop, products=80, days=20, seed=3, today=TODAY))
    promos = {p.name: p for p in services.promotions.list()}
    assert {"满50减5", "会员满100减15", "饮料第二件半价", "零食特价", "周末日用品买三付二", "元旦满200减30"} <= set(promos)
    now = datetime(2027, 3, 1, 0, 5)
    assert promos["满50减5"].status(now) == ACTIVE and promos["元旦满200减30"].status(now) == SCHEDULED
    assert promos["满50减5"].starts == datetime(2027, 2, 15, 8, 0)  # PROMO_DAYS before today
    with db.read() as uow:
        s = uow.session
        given = s.scalar(select(func.sum(SalePromotion.amount)))
        assert given and given == s.scalar(select(func.sum(SaleLine.promo_discount)))
        assert s.scalar(select(func.min(SaleLine.business_day)).where(SaleLine.promo_discount > 0)) >= date(2027, 2, 15)
        # what came back of those lines (the demo's returns) takes its share of the discount off
        back = dict(s.execute(select(SaleLine.origin_line_id, func.sum(SaleLine.qty))
                              .where(SaleLine.origin_line_id.is_not(None)).group_by(SaleLine.origin_line_id)).all())
        kept = sum(ln.promo_discount - div_round(ln.promo_discount * back.get(ln.id, 0), ln.qty)
                   for ln in s.scalars(select(SaleLine).where(SaleLine.promo_discount > 0)))
        audit_days = {a.at.date() for a in s.scalars(select(AuditLog).where(AuditLog.action == "promotion_add"))}
        assert audit_days == {date(2027, 2, 14)} or audit_days == {date(2027, 2, 15)}  # 07:30 local, in UTC
    rep = services.reports.promotions(Period(date(2027, 2, 1), date(2027, 2, 28)))
    assert {r.label for r in rep.rows} >= {"满50减5", "饮料第二件半价"}
    assert rep.total.discount == kept <= given and all(r.margin_without - r.margin == r.discount for r in rep.rows)
    # the members (services/members): they join on the first day, top up, and buy at member prices
    members = services.members.list()
    assert len(members) == 8 and {m.level for m in members} == {"普通", "银卡", "金卡"}
    with db.read() as uow:
        s = uow.session
        member_sales = s.scalar(select(func.count()).select_from(Sale).where(Sale.member_id.is_not(None)))
        assert member_sales and member_sales >= 2 * 20
        kinds = set(s.scalars(select(StoredValueMove.kind)))
        assert {"topup", "bonus", "pay"} <= kinds
        assert s.scalar(select(func.count()).select_from(SaleLine).where(SaleLine.price_level == "member"))
    assert run_check(db).problems == []
