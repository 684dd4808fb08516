"""Shared fixtures: a real, migrated SQLite file per test (never a mocked database)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TypeVar

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("JXC_NO_BACKUP_ON_EXIT", "1")
os.environ.setdefault("JXC_NO_BACKGROUND_CHECK", "1")  # ui/health_check.py; its tests start it themselves

from jxc_desktop import i18n  # noqa: E402
from jxc_desktop.db.migrate import migrate  # noqa: E402
from jxc_desktop.db.uow import Database  # noqa: E402
from jxc_desktop.domain.product_rules import ProductInput  # noqa: E402
from jxc_desktop.services.catalog.products import ProductDTO  # noqa: E402
from jxc_desktop.services.hub import Services  # noqa: E402
from tests.demo_day import DEMO_TODAY  # noqa: E402

_TEMPLATE: dict[str, bytes] = {}
pytest_plugins = ["tests.pg_server",  # the throwaway PostgreSQL server: pg_server, pg_url, pg_db_url
                  "tests.xdist_schedule"]  # -n 2: a module that builds a shop once runs on one worker


BACKEND_ENV = "JXC_TEST_BACKEND"
SQLITE_FIXTURES = {"db_path"}  # a test that names the data FILE is about SQLite's file
# --backend switches only what db_target gives (db, services, make_product, fill_as_demo stand on
# it): a test without it runs the same on both passes — SQLite or pure code, or the throwaway server
# asked for directly (pg_server, pg_url, pg_db_url: the races, kills, moves and server backups) —,
# so the server pass leaves it to the first one instead of running it twice.
BACKEND_FIXTURES = {"db_target"}


def backend(config: pytest.Config) -> str:
    return str(config.getoption("--backend") or os.environ.get(BACKEND_ENV) or "sqlite")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--backend", default=None, choices=("sqlite", "postgres"),
                     help="run the db/services fixtures (and jxc via db_target) on a throwaway PostgreSQL "
                          "database instead of a SQLite file (also $JXC_TEST_BACKEND); tests marked "
                          "sqlite_only, or asking for db_path, are deselected")
    parser.addoption("--instant", default=None, metavar="ISO",
                     help="run with the program's clock started at this instant (local time unless it has "
                          "an offset), e.g. 2027-01-01T00:05; sets JXC_NOW for the tests and the "
                          "processes they start")


def pytest_configure(config: pytest.Config) -> None:
    instant = config.getoption("--instant")
    if instant:
        from jxc_desktop.domain.clock import ANCHOR_ENV, NOW_ENV, parse_instant

        parse_instant(instant)  # a typo fails here, not as a strange test result
        if os.environ.get(NOW_ENV) != instant:
            # One anchor for this run, inherited by xdist workers and subprocesses: every process's
            # clock then shows the same moment.
            os.environ[NOW_ENV] = instant
            os.environ[ANCHOR_ENV] = repr(time.time())


# Modules whose results could depend on the date or hour (demo, reports and periods, the business day,
# backup rotation, expiry): .ci/run runs them again under fixed instants with `-m clock --instant ...`.
CLOCK_MODULES = {
    "test_demo", "test_demo_chronology", "test_sales_demo", "test_count_demo", "test_purchasing_service",
    "test_reports_reconcile", "test_reports_profit", "test_report_periods", "test_sale_line_report_columns",
    "test_backup", "test_stock_view", "test_ledger_batches", "test_stock_count_service", "test_reorder",
    "test_checkout_service", "test_held_sales", "test_audit", "test_pin",
    "test_cli_catalog", "test_cli_report", "test_cli_sales", "test_cli_stock", "test_cli_safety",
    "test_report_pdf", "test_receipt_pdf", "test_count_pdfs", "test_purchase_pdf",
    "test_reports_tab", "test_stock_tab", "test_checkout_tab", "test_count_tab", "test_purchase_tab",
    "test_label_items", "test_labels_ui",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.stem in CLOCK_MODULES:
            item.add_marker(pytest.mark.clock)
    if backend(config) == "postgres":
        kept, dropped = [], []
        for item in items:
            fixtures = set(getattr(item, "fixturenames", ()))
            file_bound = item.get_closest_marker("sqlite_only") is not None or SQLITE_FIXTURES & fixtures
            (dropped if file_bound or not BACKEND_FIXTURES & fixtures else kept).append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = kept


def pytest_report_collectionfinish(config: pytest.Config, items: list[pytest.Item]) -> str | None:
    return f"backend: {backend(config)}" if backend(config) != "sqlite" else None


def pytest_report_header(config: pytest.Config) -> str | None:
    from jxc_desktop.domain.clock import local_now

    now = os.environ.get("JXC_NOW")
    return f"jxc clock: JXC_NOW={now}, local now {local_now().isoformat(timespec='seconds')}" if now else None


@pytest.fixture
def demo_today() -> date:
    return DEMO_TODAY


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Service messages in English unless a test switches language."""
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture(autouse=True)
def _till_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test is a PC of its own: the till's local settings (services/shop/till_config.py) go to
    a fresh folder, never the user's."""
    monkeypatch.setenv("JXC_CONFIG_DIR", str(tmp_path_factory.mktemp("till-config")))


@pytest.fixture(autouse=True)
def _cache_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the program caches on this PC (the parsed CJK font: reports/font_cache.py) goes to a
    fresh folder, never the user's."""
    monkeypatch.setenv("JXC_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


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
def db_target(request: pytest.FixtureRequest) -> str | Path:
    """What ``--db`` gets for this test's shop: a migrated SQLite file, or with ``--backend=postgres``
    the URL of a new server database at head (tests/pg_server.py)."""
    if backend(request.config) == "postgres":
        return str(request.getfixturevalue("pg_db_url"))
    return Path(request.getfixturevalue("db_path"))


@pytest.fixture
def db(db_target: str | Path) -> Iterator[Database]:
    database = Database.open(db_target)
    yield database
    database.dispose()


@pytest.fixture
def services(db: Database) -> Services:
    return Services(db)


T = TypeVar("T")


@pytest.fixture
def fill_as_demo(db: Database) -> Callable[[Callable[[Services], T]], T]:
    """``fill_as_demo(fill)`` runs ``fill(services)`` writing into this test's shop as ``jxc demo``
    writes a new file (cli/catalog.py): on a SQLite file through ``Database.building`` (commits not
    synced one by one, one kept connection; thousands of commits otherwise each open, checkpoint and
    sync the file), closed before the test reads through ``db`` as every shop is opened. On a server
    the fill goes through ``db`` itself."""

    def run(fill: Callable[[Services], T]) -> T:
        if db.path is None:
            return fill(Services(db))
        builder = Database.building(db.path)
        try:
            return fill(Services(builder))
        finally:
            builder.dispose()

    return run


@pytest.fixture
def berlin() -> Iterator[None]:
    """The local zone is Europe/Berlin for the test (an offset change on the last Sunday of October
    and of March), put back afterwards."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


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
