"""Shared fixtures: a real, migrated SQLite file per test (never a mocked database)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("JXC_NO_BACKUP_ON_EXIT", "1")
os.environ.setdefault("JXC_NO_BACKGROUND_CHECK", "1")  # ui/health_check.py; its tests start it themselves

from jxc_desktop import i18n  # noqa: E402
from jxc_desktop.db.migrate import migrate  # noqa: E402
from jxc_desktop.db.uow import Database  # noqa: E402
from jxc_desktop.domain.product_rules import ProductInput  # noqa: E402
from jxc_desktop.services.catalog import ProductDTO  # noqa: E402
from jxc_desktop.services.hub import Services  # noqa: E402

_TEMPLATE: dict[str, bytes] = {}


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Service messages in English unless a test switches language."""
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A freshly migrated database file (copied from a migrated template for speed)."""
    path = tmp_path / "jxc.sqlite3"
    if "db" not in _TEMPLATE:
        tpl = tmp_path / "template.sqlite3"
        migrate(tpl)
        import sqlite3

        con = sqlite3.connect(tpl)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        _TEMPLATE["db"] = tpl.read_bytes()
    path.write_bytes(_TEMPLATE["db"])
    return path


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = Database.for_file(db_path)
    yield database
    database.dispose()


@pytest.fixture
def services(db: Database) -> Services:
    return Services(db)


@pytest.fixture
def make_product(services: Services):  # type: ignore[no-untyped-def]
    """``make_product(name, price_fen, cost_fen, qty_units, barcode=..., **fields)``."""
    counter = iter(range(1, 10**6))

    def make(name: str = "", price: int = 500, cost: int = 300, qty: int = 0, *, barcode: str | None = None,
             category: str = "", **fields: object) -> ProductDTO:
        n = next(counter)
        from jxc_desktop.domain.barcode import with_check_digit

        code = barcode if barcode is not None else with_check_digit(f"690{n:09d}")
        data = ProductInput(name=name or f"测试商品{n}", sale_price=price, ref_cost=cost,
                            category=category, barcodes=((code, 1),) if code else (), **fields)  # type: ignore[arg-type]
        return services.catalog.create_product(data, create_category=True, opening_qty=qty * 1000,
                                               opening_cost=cost)

    return make
