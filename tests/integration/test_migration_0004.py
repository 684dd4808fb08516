"""Migration 0004 on a file with sales: the lines get their sale's business_day/kind/status from
the sale table, the columns become NOT NULL, the report index exists and is used, and the
profit summary gives the same totals as before the upgrade."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from jxc_desktop.db.migrate import alembic_config, migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import local_day
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.sales.dto import ReturnItem, Tender


def downgrade_to(path: Path, revision: str) -> None:
    url = f"sqlite:///{path}"
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
        conn.commit()
    engine.dispose()


def test_upgrade_from_0003_backfills_the_lines_and_keeps_the_report(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    migrate(path)
    db = Database.for_file(path)
    services = Services(db)
    at = datetime(2026, 6, 1, 4, 0, tzinfo=UTC)
    services.catalog.create_product(ProductInput(name="苹果", sale_price=500, ref_cost=300,
                                                 barcodes=(("6901234567892", 1),)), opening_qty=50_000)
    milk = services.catalog.create_product(ProductInput(name="牛奶", sale_price=350, ref_cost=200),
                                           opening_qty=50_000)
    numbers = []
    for k in range(3):
        cart = Cart()
        cart, _ = c.add(cart, services.checkout.line_for_scan("6901234567892"))
        cart, _ = c.add(cart, services.checkout.line_for_scan(milk.code))
        numbers.append(services.checkout.post_sale(cart, [Tender("cash", 2000)], at=at + timedelta(days=k)).number)
    con = sqlite3.connect(path)
    first_line = con.execute("SELECT l.id FROM sale_line l JOIN sale s ON s.id = l.sale_id WHERE s.number = ? "
                             "ORDER BY l.id", (numbers[1],)).fetchone()[0]
    con.close()
    services.checkout.post_return(numbers[1], [ReturnItem(first_line, 1000)], at=at + timedelta(days=4))
    period = Period(local_day(at) - timedelta(days=1), local_day(at) + timedelta(days=5))
    before = {by: services.reports.profit(period, by).total for by in ("day", "product", "category")}
    db.dispose()

    downgrade_to(path, "0003")
    con = sqlite3.connect(path)
    assert "business_day" not in {r[1] for r in con.execute("PRAGMA table_info(sale_line)")}
    # A sale voided while the file was at 0003: after the upgrade its lines must say so too.
    con.execute("UPDATE sale SET status = 'reversed' WHERE number = ?", (numbers[2],))
    con.commit()
    con.close()

    result = migrate(path)
    assert result.upgraded_from == "0003"
    con = sqlite3.connect(path)
    cols = {r[1]: r[3] for r in con.execute("PRAGMA table_info(sale_line)")}  # name -> notnull
    assert cols["business_day"] == cols["kind"] == cols["status"] == 1
    lines = con.execute("SELECT COUNT(*) FROM sale_line").fetchone()[0]
    same = con.execute("SELECT COUNT(*) FROM sale_line l JOIN sale s ON s.id = l.sale_id WHERE "
                       "l.business_day = s.business_day AND l.kind = s.kind AND l.status = s.status").fetchone()[0]
    assert lines == same == 7
    assert con.execute("SELECT COUNT(*) FROM sale_line WHERE status = 'reversed'").fetchone()[0] == 2
    plan = " ".join(r[3] for r in con.execute(
        "EXPLAIN QUERY PLAN SELECT product_id, SUM(amount) FROM sale_line WHERE kind = 'sale' "
        "AND status = 'posted' AND business_day BETWEEN '2026-01-01' AND '2026-12-31' GROUP BY product_id"))
    assert "COVERING INDEX ix_sale_line_report" in plan
    con.close()

    db = Database.for_file(path)
    services = Services(db)
    for by, old in before.items():
        new = services.reports.profit(period, by).total
        # The third sale (500 + 350) is now reversed: it leaves sales, COGS and the count.
        assert new.sales == old.sales - 850 and new.returns == old.returns == 500, by
        assert new.sale_count == old.sale_count - 1 == 2, by
    db.dispose()
