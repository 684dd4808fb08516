"""Migration 0016 on a file at the previous head (0012) with a customer: ``customer.terms_days`` is
added as 0, the file is healthy, a downgrade takes the column away."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic_steps import move as _move
from alembic_steps import table_columns

from jxc_desktop.db.health import schema_problems
from jxc_desktop.db.migrate import head_revision, migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.services.accounts.dto import CustomerInput
from jxc_desktop.services.hub import Services


def test_upgrade_from_0012_adds_the_terms(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    migrate(path)
    db = Database.for_file(path)
    Services(db).customers.add(CustomerInput("老客户", phone="123"))
    db.dispose()
    _move(path, "0012", up=False)
    assert "terms_days" not in table_columns(path, "customer")

    result = migrate(path)
    assert result.upgraded_from == "0012" and result.revision == head_revision()
    assert "terms_days" in table_columns(path, "customer")
    con = sqlite3.connect(path)
    try:
        assert schema_problems(con) == []
        assert con.execute("SELECT name, phone, terms_days FROM customer").fetchall() == [("老客户", "123", 0)]
    finally:
        con.close()
    db = Database.for_file(path)
    services = Services(db)
    c = services.customers.find_by_name("老客户")
    assert c is not None and c.terms_days == 0
    assert services.customers.update(c.id, CustomerInput("老客户", phone="123", terms_days=30)).terms_days == 30
    db.dispose()

    _move(path, "0012", up=False)
    assert "terms_days" not in table_columns(path, "customer")
