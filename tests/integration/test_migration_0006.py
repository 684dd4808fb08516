"""Migration 0006 on a file with products: every product gets its search key (全拼 and 助记码, a
typed 助记码 kept), the index exists, and pinyin search finds them after the upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from jxc_desktop.db.health import schema_problems
from jxc_desktop.db.migrate import alembic_config, head_revision, migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services


def downgrade_to(path: Path, revision: str) -> None:
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    with engine.connect() as conn:
        cfg = alembic_config(f"sqlite:///{path}")
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
        conn.commit()
    engine.dispose()


def test_upgrade_from_0005_fills_the_search_key(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    migrate(path)
    db = Database.for_file(path)
    add = Services(db).catalog.create_product
    add(ProductInput(name="娃哈哈"))
    add(ProductInput(name="蒙牛纯牛奶"))
    add(ProductInput(name="特价奶糖", pinyin="tjnt2"))  # a typed 助记码
    db.dispose()
    downgrade_to(path, "0005")
    con = sqlite3.connect(path)
    assert "pinyin_key" not in [c[1] for c in con.execute("PRAGMA table_info(product)")]
    con.close()

    result = migrate(path)
    assert result.upgraded_from == "0005" and result.revision == head_revision()
    con = sqlite3.connect(path)
    try:
        keys = dict(con.execute("SELECT name, pinyin_key FROM product"))
        assert keys == {"娃哈哈": "wahaha whh", "蒙牛纯牛奶": "mengniuchunniunai mncnn", "特价奶糖": "tejianaitang tjnt2"}
        assert schema_problems(con) == []
        assert con.execute("SELECT 1 FROM sqlite_master WHERE name = 'ix_product_pinyin_key'").fetchone()
    finally:
        con.close()
    db = Database.for_file(path)
    try:
        catalog = Services(db).catalog
        assert [p.name for p in catalog.search("wahaha")] == ["娃哈哈"]
        assert [p.name for p in catalog.search("cnn")] == ["蒙牛纯牛奶"]
        assert [p.name for p in catalog.search("naitang")] == ["特价奶糖"]
        assert [p.name for p in catalog.search("tjnt2")] == ["特价奶糖"]
    finally:
        db.dispose()


def test_a_file_missing_the_key_index_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    migrate(path)
    con = sqlite3.connect(path)
    try:
        con.execute("DROP INDEX ix_product_pinyin_key")
        assert any("ix_product_pinyin_key" in p for p in schema_problems(con))
    finally:
        con.close()
