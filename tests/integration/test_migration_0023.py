"""Migration 0023 on a file at 0022 with a week of sales and a return: ``ix_sale_day_kind_status``
replaces ``ix_sale_business_day_kind``, the profit summary's document counts read that index alone
(query plan), the summary is the same before and after, the file is healthy, and a downgrade puts
0022's index back exactly."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from alembic_steps import index_columns, indexes_back_at, problems_without, profit_summaries
from alembic_steps import move as _move

from jxc_desktop.db.health import schema_problems
from jxc_desktop.db.migrate import head_revision, migrate
from jxc_desktop.domain.periods import Period
from jxc_desktop.services.hub import Services
from tests.unit import reports_scenario

# The two counts of services/reporting/profit.py as they compile on SQLite (per day; per kind).
BY_DAY = ("SELECT business_day, sum(CASE WHEN kind = 'sale' THEN 1 ELSE 0 END), "
          "sum(CASE WHEN kind = 'return' THEN 1 ELSE 0 END) FROM sale WHERE business_day >= '2026-10-01' "
          "AND business_day <= '2026-10-06' AND status = 'posted' GROUP BY business_day")
BY_KIND = ("SELECT kind, count(*) FROM sale WHERE business_day >= '2026-10-01' AND business_day <= '2026-10-06' "
           "AND status = 'posted' GROUP BY kind")
WEEK = Period(date(2026, 10, 1), date(2026, 10, 6))


def test_upgrade_from_0022_counts_documents_from_the_index(db_path: Path, services: Services,
                                                             make_product) -> None:  # type: ignore[no-untyped-def]
    reports_scenario.build(services, make_product)
    services.db.dispose()
    _move(db_path, "0022", up=False)
    con = sqlite3.connect(db_path)
    before = index_columns(con)
    counts = (con.execute(BY_DAY).fetchall(), con.execute(BY_KIND).fetchall())
    con.close()
    assert before["ix_sale_business_day_kind"] == ["business_day", "kind"]
    assert "ix_sale_day_kind_status" not in before
    assert counts[1] == [("return", 1), ("sale", 3)]
    summaries = profit_summaries(db_path, WEEK)  # the code reads both schemas; only the plan differs

    result = migrate(db_path)
    assert result.upgraded_from == "0022" and result.revision == head_revision()
    con = sqlite3.connect(db_path)
    try:
        after = index_columns(con)
        assert schema_problems(con) == []
        assert after["ix_sale_day_kind_status"] == ["business_day", "kind", "status"]
        assert set(before) - set(after) == {"ix_sale_business_day_kind"}
        # (0025, also on the way to head, adds ix_sale_line_sold_product: test_migration_0025.py)
        assert set(after) - set(before) == {"ix_sale_day_kind_status", "ix_sale_line_sold_product"}
        assert (con.execute(BY_DAY).fetchall(), con.execute(BY_KIND).fetchall()) == counts
        for query in (BY_DAY, BY_KIND):
            plan = " ".join(r[3] for r in con.execute("EXPLAIN QUERY PLAN " + query))
            assert "COVERING INDEX ix_sale_day_kind_status" in plan, plan
    finally:
        con.close()
    assert profit_summaries(db_path, WEEK) == summaries

    assert indexes_back_at(db_path, "0022") == before  # the way back leaves 0022's indexes exactly


def test_a_file_missing_the_index_is_damaged(db_path: Path) -> None:
    assert any("ix_sale_day_kind_status" in p for p in problems_without(db_path, "ix_sale_day_kind_status"))
