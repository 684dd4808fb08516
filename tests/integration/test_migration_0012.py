"""Migration 0012 on a file at the previous head (0008) with suppliers: ``supplier.lead_time_days``
is added as 0 for every supplier, the file is healthy, and a downgrade takes the column away."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic_steps import move as _move
from alembic_steps import table_columns

from jxc_desktop.db.health import schema_problems
from jxc_desktop.db.migrate import head_revision, migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import SupplierInput


def test_upgrade_from_0008_adds_the_lead_time(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    migrate(path)
    db = Database.for_file(path)
    Services(db).suppliers.add(SupplierInput("老供应商", phone="123"))
    db.dispose()
    _move(path, "0008", up=False)
    assert "lead_time_days" not in table_columns(path, "supplier")

    result = migrate(path)
    assert result.upgraded_from == "0008" and result.revision == head_revision()
    # appended, then 0024 (also on the way to head) appends supplier.pinyin
    assert table_columns(path, "supplier")[-2:] == ["lead_time_days", "pinyin"]
    con = sqlite3.connect(path)
    try:
        assert schema_problems(con) == []
        assert con.execute("SELECT name, phone, lead_time_days FROM supplier").fetchall() == [("老供应商", "123", 0)]
    finally:
        con.close()
    db = Database.for_file(path)
    services = Services(db)
    sup = services.suppliers.find_by_name("老供应商")
    assert sup is not None and sup.lead_time_days == 0
    assert services.suppliers.edit(sup.id, SupplierInput("老供应商", phone="123", lead_time_days=4)).lead_time_days == 4
    db.dispose()

    _move(path, "0008", up=False)
    assert "lead_time_days" not in table_columns(path, "supplier")
