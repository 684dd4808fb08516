"""Migration 0024 on a file at 0023 with suppliers: ``supplier.pinyin`` is filled with each name's
助记码 (the program's own rule gives the same), the supplier list keeps its pinyin order and
filter, and a downgrade takes only the column away."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic_steps import move as _move
from alembic_steps import table_columns

from jxc_desktop.db.health import schema_problems
from jxc_desktop.db.migrate import head_revision, migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.services.catalog.pinyin import pinyin_initials
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import SupplierInput

# 长 reads chang in 长沙: the pinyin order is not the order the names were added in, nor by code point
NAMES = ["武汉金源副食品", "长沙金达冷链", "北京兴源粮油", "Acme 食品", "3M 中国"]


def test_upgrade_from_0023_fills_each_suppliers_initials(db_path: Path) -> None:
    services = Services(Database.for_file(db_path))
    ids = {name: services.suppliers.add(SupplierInput(name)).id for name in NAMES}
    services.suppliers.set_active(ids["北京兴源粮油"], False)
    listed = services.suppliers.list()
    found = services.suppliers.list(text="cs")
    services.db.dispose()
    _move(db_path, "0023", up=False)
    assert "pinyin" not in table_columns(db_path, "supplier")

    result = migrate(db_path)
    assert result.upgraded_from == "0023" and result.revision == head_revision()
    con = sqlite3.connect(db_path)
    try:
        assert schema_problems(con) == []
        stored = dict(con.execute("SELECT name, pinyin FROM supplier").fetchall())
    finally:
        con.close()
    assert stored == {name: pinyin_initials(name) for name in NAMES}
    assert stored["长沙金达冷链"] == "csjdll" and stored["3M 中国"] == "3mzg"
    services = Services(Database.for_file(db_path))
    try:
        assert services.suppliers.list() == listed
        assert [s.name for s in listed] == ["3M 中国", "Acme 食品", "长沙金达冷链", "武汉金源副食品", "北京兴源粮油"]
        assert services.suppliers.list(text="cs") == found == [listed[2]]
    finally:
        services.db.dispose()

    _move(db_path, "0023", up=False)  # the way back takes only the column
    assert "pinyin" not in table_columns(db_path, "supplier")


def test_every_save_keeps_the_initials(services: Services) -> None:
    sup = services.suppliers.add(SupplierInput("长沙金达冷链"))
    services.suppliers.edit(sup.id, SupplierInput("重庆山城冷链"))  # 重 reads chong here
    assert [s.name for s in services.suppliers.list(text="cqsc")] == ["重庆山城冷链"]
    assert services.suppliers.list(text="csjd") == []
