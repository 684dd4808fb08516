"""Migration 0007 on a file made at 0006 with products: the trigram indexes are built for the
products already there, the triggers keep them for what comes after, and search finds the same
products through them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from jxc_desktop.db.health import schema_problems
from jxc_desktop.db.migrate import head_revision, migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services
from tests.integration.test_migration_0006 import downgrade_to

INDEX = ("product_text", "product_pinyin_text", "product_text_terms", "product_pinyin_terms")


def _names(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    finally:
        con.close()


def test_upgrade_from_0006_indexes_the_products_there(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    migrate(path)
    db = Database.for_file(path)
    add = Services(db).catalog.create_product
    milk = add(ProductInput(name="蒙牛纯牛奶"))
    wahaha = add(ProductInput(name="娃哈哈AD钙奶"))
    candy = add(ProductInput(name="特价奶糖", pinyin="tjnt2"))  # a typed 助记码
    db.dispose()
    # A file as 0006 made it: the products without any index. (Written at head and taken down,
    # since today's models write columns that later revisions added to product.)
    downgrade_to(path, "0006")
    assert not set(INDEX) & _names(path)

    result = migrate(path)
    assert result.upgraded_from == "0006" and result.revision == head_revision()  # 0007 and any after it
    assert set(INDEX) <= _names(path)
    con = sqlite3.connect(path)
    try:
        assert schema_problems(con) == []
        for table in ("product_text", "product_pinyin_text"):
            con.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
        assert {r[0] for r in con.execute("SELECT doc FROM product_text_terms")} == {milk.id, wahaha.id, candy.id}
    finally:
        con.close()

    db = Database.for_file(path)
    try:
        cat = Services(db).catalog
        assert cat.list_ids("牛奶") == [milk.id] and cat.list_ids("奶") == [milk.id, wahaha.id, candy.id]
        assert cat.list_ids("ad钙") == [wahaha.id] and cat.list_ids("cn") == [milk.id]
        assert cat.list_ids("wahaha") == [wahaha.id] and cat.list_ids("jnt2") == [candy.id]
        assert [p.name for p in cat.search("naitang")] == ["特价奶糖"]
        cat.update_product(milk.id, ProductInput(name="伊利纯牛奶"))  # the triggers from now on
        assert cat.list_ids("ylc") == [milk.id] and cat.list_ids("蒙牛") == []
    finally:
        db.dispose()


def test_downgrade_removes_the_index_and_upgrade_builds_it_again(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    migrate(path)
    db = Database.for_file(path)
    pid = Services(db).catalog.create_product(ProductInput(name="康师傅红烧牛肉面")).id
    db.dispose()
    downgrade_to(path, "0006")
    assert not {n for n in _names(path) if n.startswith("product_") and "text" in n or "source" in n}
    migrate(path)
    db = Database.for_file(path)
    try:
        assert Services(db).catalog.list_ids("红烧") == [pid]
    finally:
        db.dispose()
