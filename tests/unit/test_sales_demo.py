"""The demo shop gets a sales history through the checkout service, and the books still reconcile."""

from __future__ import annotations

from sqlalchemy import func, select

from jxc_desktop.db.models import Payment, Sale, SaleLine
from jxc_desktop.demo.shop import fill_demo
from jxc_desktop.services.stock import ledger


def test_demo_sales_history(services, fill_as_demo, demo_today) -> None:  # type: ignore[no-untyped-def]
    fill_as_demo(lambda shop: fill_demo(shop, products=40, days=10, seed=3, today=demo_today))
    with services.db.read() as uow:
        s = uow.session
        per_day = dict(s.execute(select(Sale.business_day, func.count()).where(Sale.kind == "sale")
                                 .group_by(Sale.business_day)).all())
        assert len(per_day) >= 10 and min(per_day.values()) >= 5
        weekend = [n for d, n in per_day.items() if d.weekday() >= 5]
        weekday = [n for d, n in per_day.items() if d.weekday() < 5]
        assert sum(weekend) / len(weekend) > sum(weekday) / len(weekday)
        methods = set(s.scalars(select(Payment.method)))
        assert {"cash", "wechat", "alipay"} <= methods
        assert s.scalar(select(func.count()).select_from(SaleLine)) > 200
        assert ledger.reconcile(s) == []
    assert services.checkout.day_summary().sales_count >= 0
