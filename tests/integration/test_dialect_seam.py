"""db/dialect.py: each SQLite-only piece and its PostgreSQL twin give the same answers, on a real
SQLite file and on a real server database (tests/pg_server.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import String, bindparam, literal, select, text
from sqlalchemy.exc import DBAPIError

from jxc_desktop.db.dialect import (
    all_digits,
    days_before,
    glob_match,
    has_file_checks,
    join_in_order,
    local_time,
    month_of,
    name_like,
    on_server,
    position_of,
    table_names,
    weekday_of,
)
from jxc_desktop.db.models import AuditLog, Product, SaleLine
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.catalog.product_input import next_code
from jxc_desktop.services.hub import Services


@pytest.fixture(params=["sqlite", "postgres"])
def both(request: pytest.FixtureRequest) -> Iterator[Database]:
    """A migrated database on each backend."""
    target: str | Path = request.getfixturevalue("db_path") if request.param == "sqlite" \
        else request.getfixturevalue("pg_db_url")
    db = Database.open(target)
    yield db
    db.dispose()


def _product(services: Services, code: str, name: str, pinyin: str = "") -> None:
    services.catalog.create_product(ProductInput(name=name, code=code, pinyin=pinyin, sale_price=100, ref_cost=50,
                                                 category="", barcodes=()), create_category=True)


def test_dialect_is_told(both: Database) -> None:
    with both.read() as uow:
        assert on_server(uow.session) == both.on_server
        assert has_file_checks(uow.session) != both.on_server
        assert {"product", "sale", "audit_log", "alembic_version"} <= table_names(uow.session)


def test_next_code_skips_codes_that_are_not_all_digits(both: Database) -> None:
    services = Services(both)
    for code, name in (("000041", "一"), ("A99999", "二"), ("9x", "三"), ("120", "四"), ("12-3", "五")):
        _product(services, code, name)
    with both.read() as uow:
        assert next_code(uow.session) == "000042"  # the longest, then highest, all-digit code + 1
        codes = set(uow.session.execute(select(Product.code).where(all_digits(Product.code))).scalars())
    assert codes == {"000041", "120"}


def test_text_matching(both: Database) -> None:
    services = Services(both)
    _product(services, "1", "可口可乐 Cola 330ml", "kkkl")
    _product(services, "2", "百事可乐", "bskl")
    _product(services, "3", "50%_off 纸巾", "zj")
    with both.read() as uow:
        s = uow.session

        def names(cond) -> list[str]:  # type: ignore[no-untyped-def]
            return sorted(s.execute(select(Product.name).where(cond)).scalars())

        assert names(position_of(Product.name, literal("可乐")) > 0) == ["可口可乐 Cola 330ml", "百事可乐"]
        assert names(position_of(Product.name, literal("cola")) > 0) == []  # exact: case kept
        pattern = bindparam("p", type_=String)
        assert s.execute(select(Product.name).where(name_like(Product.name, pattern)), {"p": "%cOLa%"}).scalars() \
            .all() == ["可口可乐 Cola 330ml"]
        assert s.execute(select(Product.name).where(name_like(Product.name, pattern)),
                         {"p": "%50\\%\\_%"}).scalars().all() == ["50%_off 纸巾"]
        assert s.execute(select(Product.pinyin_key).where(glob_match(Product.pinyin_key, pattern)),
                         {"p": "* *kl*"}).scalars().all().__len__() == 2
        assert s.execute(select(Product.name).where(glob_match(Product.pinyin_key, pattern)),
                         {"p": "*KL*"}).scalars().all() == []  # case-sensitive like GLOB


def test_local_time_and_days(both: Database) -> None:
    moment = datetime(2026, 12, 31, 17, 30, 5, tzinfo=UTC)
    with both.read() as uow:
        s = uow.session
        when = literal(moment, type_=AuditLog.__table__.c.at.type)
        assert s.scalar(select(local_time(when, literal(8 * 3600)))) == "2027-01-01 01:30:05"
        assert s.scalar(select(local_time(when, literal(-5 * 3600)))) == "2026-12-31 12:30:05"
        day = literal(date(2026, 12, 6), type_=SaleLine.__table__.c.business_day.type)
        assert s.scalar(select(weekday_of(day))) == 0  # a Sunday
        assert s.scalar(select(month_of(day))) == "2026-12"
        assert int(s.scalar(select(days_before(literal("2026-12-20"), day)))) == 14


def test_join_in_order_takes_on(both: Database) -> None:
    # SQLite's CROSS JOIN … ON (the written order kept) is a syntax error on the server
    services = Services(both)
    _product(services, "7", "茶")
    _product(services, "8", "水")
    with both.read() as uow:
        join = join_in_order("postgresql" if both.on_server else "sqlite")
        got = uow.session.execute(text(
            f"SELECT b.code FROM product a {join} product b ON b.id = a.id WHERE a.code = '8'")).scalars().all()
    assert got == ["8"]


def test_local_time_is_not_cached_across_offsets(both: Database) -> None:
    # the offset is written into the SQL text: two offsets must never share one compiled statement
    moment = datetime(2026, 6, 1, 0, 0, tzinfo=UTC)
    with both.read() as uow:
        when = literal(moment, type_=AuditLog.__table__.c.at.type)
        got = [uow.session.scalar(select(local_time(when, literal(h * 3600)))) for h in (1, 2, 1)]
    assert got == ["2026-06-01 01:00:00", "2026-06-01 02:00:00", "2026-06-01 01:00:00"]


def test_audit_trail_is_append_only(both: Database) -> None:
    Services(both).settings.update({"shop_name": "一号店"})
    with both.write() as uow:
        uow.session.add(AuditLog(action="test"))
        uow.commit()
    # the server's trigger refuses TRUNCATE as well (SQLite has no TRUNCATE; DELETE covers it there)
    refused = ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"] + \
        (["TRUNCATE audit_log", "TRUNCATE audit_log CASCADE"] if both.on_server else [])
    for sql in refused:
        with pytest.raises(DBAPIError, match="append-only"), both.write() as uow:
            uow.session.execute(text(sql))
            uow.commit()
    with both.read() as uow:
        assert uow.session.scalar(text("SELECT count(*) FROM audit_log WHERE action = 'test'")) == 1
