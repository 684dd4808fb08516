"""Reconciliation rules as properties over `jxc demo` shops (several seeds, random periods):
every grouping adds up to the period total to the fen, profit = net sales − COGS, payments and
hours agree with net sales, and the stock value at the end of one period opens the next."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.models import Product, Purchase, Sale, SaleLine, StockMove
from jxc_desktop.db.uow import Database
from jxc_desktop.demo.shop import fill_demo
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.domain.periods import Period, ratio_bp
from jxc_desktop.services.hub import Services
from jxc_desktop.services.reporting.profit import MONEY_FIELDS
from jxc_desktop.services.reporting.sql import end_of_day_utc
from jxc_desktop.services.stock import ledger
from tests.demo_day import DEMO_TODAY

DAYS = 20


@pytest.fixture(scope="module", params=[1, pytest.param(7, marks=pytest.mark.slow)])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Services, date]]:
    path: Path = tmp_path_factory.mktemp(f"demo{request.param}") / "demo.sqlite3"
    migrate(path)
    # The history is only the data these tests read: written as `jxc demo` writes a new file (commits
    # not synced one by one; db/engine.py), then read through a file opened as every shop is.
    builder = Database.building(path)
    try:
        result = fill_demo(Services(builder), products=200, days=DAYS, seed=request.param, today=DEMO_TODAY)
    finally:
        builder.dispose()
    db = Database.for_file(path)
    yield Services(db), result.first_day
    db.dispose()


def periods(first: date) -> st.SearchStrategy[Period]:
    span = DAYS + 2
    return st.tuples(st.integers(0, span), st.integers(0, span)).map(
        lambda ab: Period(first - timedelta(days=1) + timedelta(days=min(ab)),
                          first - timedelta(days=1) + timedelta(days=max(ab))))


SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def sums(rows, names=MONEY_FIELDS) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {n: sum(getattr(r, n) for r in rows) for n in names}


def test_the_demo_has_history(demo: tuple[Services, date]) -> None:
    services, first = demo
    with services.db.read() as uow:
        assert ledger.reconcile(uow.session) == []
        assert uow.session.scalar(select(func.count()).select_from(Purchase)) > 0
        assert uow.session.scalar(select(func.count()).select_from(Sale).where(Sale.kind == "sale")) > 50
        kinds = set(uow.session.scalars(select(StockMove.kind).distinct()))
    assert {"sale", "purchase", "count_loss"} <= kinds, kinds


@SETTINGS
@given(data=st.data())
def test_groupings_add_up_to_the_total(demo: tuple[Services, date], data: st.DataObject) -> None:
    services, first = demo
    period = data.draw(periods(first))
    reports = services.reports
    day = reports.profit(period, "day")
    total = {n: getattr(day.total, n) for n in MONEY_FIELDS}
    assert sums(day.rows) == total
    assert len(day.rows) == period.days
    for by in ("week", "month", "product", "category"):
        rep = reports.profit(period, by)
        assert sums(rep.rows) == total, by
        assert {n: getattr(rep.total, n) for n in MONEY_FIELDS} == total, by
        assert sum(r.qty for r in rep.rows) == day.total.qty or by == "category"
        for r in rep.rows:  # derived per row (SQL for products) exactly as domain rules say
            assert r.margin_bp == ratio_bp(r.gross_profit, r.net_sales)
            assert r.gross_profit == r.net_sales - r.cogs
    for r in (*day.rows, day.total):
        assert r.gross_profit == r.net_sales - r.cogs
        assert r.net_sales == r.sales - r.returns
        assert r.profit_after_count == r.gross_profit + r.count_gain - r.count_loss
    assert sum(r.sale_count for r in day.rows) == day.total.sale_count
    assert reports.payments(period).total.net == day.total.net_sales
    assert reports.hours(period).total.net == day.total.net_sales
    # independent of the lines: the documents' own totals and cost snapshots
    with services.db.read() as uow:
        s = uow.session
        in_period = (Sale.business_day >= period.first, Sale.business_day <= period.last, Sale.status == "posted")
        docs = dict(s.execute(select(Sale.kind, func.sum(Sale.total)).where(*in_period).group_by(Sale.kind)).all())
        cost = dict(s.execute(select(Sale.kind, func.sum(Sale.cost)).where(*in_period).group_by(Sale.kind)).all())
        start, end = day_bounds_utc(period.first, period.last)
        moves = dict(s.execute(select(StockMove.kind, func.sum(StockMove.value)).where(
            StockMove.created_at >= start, StockMove.created_at < end,
            StockMove.kind.in_(("count_gain", "count_loss"))).group_by(StockMove.kind)).all())
    assert (day.total.count_gain, day.total.count_loss) == (moves.get("count_gain") or 0,
                                                            -(moves.get("count_loss") or 0))
    assert day.total.sales == (docs.get("sale") or 0) and day.total.returns == (docs.get("return") or 0)
    assert day.total.cogs == (cost.get("sale") or 0) - (cost.get("return") or 0)


@SETTINGS
@given(data=st.data())
def test_stock_value_carries_from_period_to_period(demo: tuple[Services, date], data: st.DataObject) -> None:
    services, first = demo
    period = data.draw(periods(first))
    reports = services.reports
    turn = reports.turnover(period)
    assert turn.total.opening == reports.stock_value(period.first - timedelta(days=1)).total.value
    assert turn.total.closing == reports.stock_value(period.last).total.value
    assert reports.turnover(period.next()).total.opening == turn.total.closing
    assert sum(r.closing for r in turn.rows) == turn.total.closing
    assert turn.total.cogs == reports.profit(period, "day").total.cogs  # no voided sales in the demo
    by_product = reports.stock_value(period.last, "product")
    assert by_product.total.value == reports.stock_value(period.last, "category").total.value
    purchases = reports.purchases(period, "supplier").total
    assert purchases.net == reports.purchases(period, "product").total.net


def test_stock_value_equals_the_ledger_balances(demo: tuple[Services, date]) -> None:
    """At a day's end the value is the balance after each product's last move of that day. (The
    demo posts a day's documents hook by hook, not in clock order, so the last move by id is taken:
    ``ledger.balance_at`` orders by time and would pick a balance that misses a move posted later
    with an earlier time, such as a 16:44 return entered after a 19:06 sale.)"""
    services, first = demo
    # Early days sum the moves before the day's end, late ones take today's positions back by the
    # moves since (reporting/stock_value.py reads the fewer): both must give the ledger's balances.
    for day in (first + timedelta(days=1), first + timedelta(days=DAYS // 2), first + timedelta(days=DAYS - 1)):
        rows = {r.key: r for r in services.reports.stock_value(day, "product").rows}
        until = end_of_day_utc(day)
        with services.db.read() as uow:
            s = uow.session
            last = (select(StockMove.product_id, func.max(StockMove.id).label("mid"))
                    .where(StockMove.created_at < until).group_by(StockMove.product_id).subquery())
            balances = s.execute(select(Product.code, StockMove.balance_qty, StockMove.balance_value)
                                 .join(last, last.c.mid == StockMove.id)
                                 .join(Product, Product.id == StockMove.product_id)).all()
        assert len(balances) > 100
        for code, qty, value in balances:
            if (qty, value) == (0, 0):
                assert code not in rows
            else:
                assert (rows[code].qty, rows[code].value) == (qty, value), code


def test_slow_movers_match_the_plain_definition(demo: tuple[Services, date]) -> None:
    services, first = demo
    today = first + timedelta(days=DAYS - 1)
    with services.db.read() as uow:
        s = uow.session
        last = dict(s.execute(select(SaleLine.product_id, func.max(Sale.business_day))
                              .join(Sale, Sale.id == SaleLine.sale_id)
                              .where(Sale.kind == "sale", Sale.status == "posted", Sale.business_day <= today)
                              .group_by(SaleLine.product_id)).all())
        stocked = dict(s.execute(select(Product.id, Product.code).where(Product.stock_qty > 0)).all())
    for days in (1, 3, 7):
        cutoff = today - timedelta(days=days - 1)
        expected = {code for pid, code in stocked.items() if last.get(pid) is None or last[pid] < cutoff}
        assert {r.key for r in services.reports.slow_movers(days, today=today).rows} == expected
