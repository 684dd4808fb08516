"""The demo shop includes a posted stock count with some differences, and the books reconcile."""

from __future__ import annotations

from jxc_desktop.demo.shop import fill_demo
from jxc_desktop.services.stock import ledger


def test_demo_posts_a_count_with_differences(services, fill_as_demo, demo_today) -> None:  # type: ignore[no-untyped-def]
    fill_as_demo(lambda shop: fill_demo(shop, products=60, days=4, seed=3, today=demo_today))
    counts = services.stock_count.list_counts()
    assert [c.status for c in counts] == ["posted"]
    summary = services.stock_count.summary(counts[0].id)
    assert summary.counted == summary.lines > 0
    assert summary.gain_lines + summary.loss_lines > 0
    assert services.stock_count.line_count(counts[0].id, line_filter="differences") == (  # type: ignore[arg-type]
        summary.gain_lines + summary.loss_lines)
    with services.db.read() as uow:
        assert ledger.reconcile(uow.session) == []
