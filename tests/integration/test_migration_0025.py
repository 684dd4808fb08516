"""Migration 0025 on a file at 0024 with a week of sales, a return and a voided sale:
``ix_sale_line_sold_product`` holds exactly the posted sales' lines in product order, profit by
product over the history reads it alone and groups without a sort (query plan), every summary is
the same before and after, the file is healthy, and a downgrade leaves 0024's indexes exactly."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from alembic_steps import index_columns, indexes_back_at, problems_without, profit_summaries
from alembic_steps import move as _move
from sqlalchemy import text

from jxc_desktop.db.health import schema_problems
from jxc_desktop.db.migrate import head_revision, migrate
from jxc_desktop.domain.periods import Period
from jxc_desktop.services.hub import Services
from jxc_desktop.services.reporting import profit
from tests.unit import reports_scenario

WEEK = Period(date(2026, 10, 1), date(2026, 10, 6))
BINDS = {"first": "2026-10-01", "last": "2026-10-06"}
COLUMNS = ["product_id", "business_day", "qty", "amount", "discount", "cost", "kind", "status"]
# the lines the index holds, counted from the table itself (NOT INDEXED: not from any index)
POSTED_SALES = "SELECT id FROM sale_line NOT INDEXED WHERE kind = 'sale' AND status = 'posted' ORDER BY id"
IN_INDEX = ("SELECT id FROM sale_line INDEXED BY ix_sale_line_sold_product "
            "WHERE kind = 'sale' AND status = 'posted' ORDER BY id")


def test_upgrade_from_0024_reads_profit_by_product_in_product_order(db_path: Path, services: Services,
                                                                    make_product) -> None:  # type: ignore[no-untyped-def]
    reports_scenario.build(services, make_product)
    with services.db.write() as uow:  # a voided sale's lines: not in the index
        sale_id = uow.session.execute(text("SELECT min(sale_id) FROM sale_line WHERE kind = 'sale'")).scalar_one()
        uow.session.execute(text("UPDATE sale SET status = 'reversed' WHERE id = :id"), {"id": sale_id})
        uow.session.execute(text("UPDATE sale_line SET status = 'reversed' WHERE sale_id = :id"), {"id": sale_id})
        uow.commit()
    services.db.dispose()
    _move(db_path, "0024", up=False)
    con = sqlite3.connect(db_path)
    before = index_columns(con)
    kinds = dict(con.execute("SELECT kind || '/' || status, count(*) FROM sale_line GROUP BY 1").fetchall())
    con.close()
    assert "ix_sale_line_sold_product" not in before
    assert kinds.get("return/posted") and kinds.get("sale/reversed") and kinds.get("sale/posted")
    summaries = profit_summaries(db_path, WEEK)  # the code reads a file at 0024 too (the day order: no such index)
    assert summaries[1].rows and summaries[1].total.returns

    result = migrate(db_path)
    assert result.upgraded_from == "0024" and result.revision == head_revision()
    con = sqlite3.connect(db_path)
    try:
        after = index_columns(con)
        assert schema_problems(con) == []
        assert after["ix_sale_line_sold_product"] == COLUMNS
        assert set(after) - set(before) == {"ix_sale_line_sold_product"}
        ddl = con.execute("SELECT sql FROM sqlite_master WHERE name = 'ix_sale_line_sold_product'").fetchone()[0]
        assert ddl.endswith("WHERE kind = 'sale' AND status = 'posted'"), ddl
        assert con.execute(IN_INDEX).fetchall() == con.execute(POSTED_SALES).fetchall()
        plan = [r[3] for r in con.execute("EXPLAIN QUERY PLAN " + profit._BY_PRODUCT_SORTED, BINDS)]
        assert any("COVERING INDEX ix_sale_line_sold_product" in p for p in plan), plan
        assert not any("GROUP BY" in p for p in plan), plan  # grouped as read: no temporary b-tree
    finally:
        con.close()
    assert profit_summaries(db_path, WEEK) == summaries

    assert indexes_back_at(db_path, "0024") == before  # the way back leaves 0024's indexes exactly


def test_a_file_missing_the_index_is_damaged(db_path: Path) -> None:
    assert any("ix_sale_line_sold_product" in p for p in problems_without(db_path, "ix_sale_line_sold_product"))
