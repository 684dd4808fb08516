"""Every alembic revision on PostgreSQL (issue 21: "the alembic revisions run on both"): each one up,
down and up again on a real server database; the schema at head equal to the models; and a shop made
before the members (schema 0016) upgraded on the server keeps its rows, gets the new columns filled
and takes a member sale paid with stored value and points with `jxc check` clean."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.pool import NullPool

from jxc_desktop.db.migrate import alembic_config, head_revision, revision_graph
from jxc_desktop.db.models import Base, Customer, MemberLevel, PointsMove, StoredValueMove
from jxc_desktop.db.server import driver_url, migrate_server
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.cart import Cart, CartLine
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety.books_check import run_check
from jxc_desktop.services.sales.dto import Tender

pytestmark = pytest.mark.postgres
BEFORE_MEMBERS = "0016"
# 0007 gives the server trigram indexes for search (SQLite has FTS5 tables there); the models do not declare them
SERVER_ONLY_INDEXES = {"ix_product_name_trgm", "ix_product_pinyin_key_trgm"}
AT = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)


def revisions_in_order() -> list[str]:
    graph = revision_graph()
    child = {down: rev for rev, downs in graph.items() for down in downs}
    rev: str | None = next(r for r, downs in graph.items() if not downs)
    order: list[str] = []
    while rev is not None:
        order.append(rev)
        rev = child.get(rev)
    return order


def _engine(url: str) -> Engine:
    return create_engine(driver_url(url), poolclass=NullPool)


def _step(engine: Engine, url: str, *moves: tuple[str, bool]) -> None:
    """Alembic moves ``(revision, up)`` on one connection, committed together."""
    with engine.connect() as conn:
        cfg = alembic_config(driver_url(url))
        cfg.attributes["connection"] = conn
        for revision, up in moves:
            (command.upgrade if up else command.downgrade)(cfg, revision)
        conn.commit()


def _revision(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())


def test_each_revision_goes_up_down_and_up_again(pg_url: str) -> None:
    order = revisions_in_order()
    assert order[-1] == head_revision() and len(order) == len(revision_graph())
    engine = _engine(pg_url)
    try:
        previous = "base"
        for revision in order:
            _step(engine, pg_url, (revision, True), (previous, False), (revision, True))
            assert _revision(engine) == revision
            previous = revision
    finally:
        engine.dispose()


def test_models_and_migrations_agree_on_the_server(pg_db_url: str) -> None:
    engine = _engine(pg_db_url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={
                "compare_type": True,
                "include_name": lambda name, kind, _parent: not (kind == "index" and name in SERVER_ONLY_INDEXES)})
            diffs = compare_metadata(ctx, Base.metadata)
    finally:
        engine.dispose()
    assert diffs == []


def test_a_shop_from_before_the_members_upgrades_on_the_server(pg_url: str) -> None:
    migrate_server(pg_url)
    db = Database.for_server(pg_url)
    try:
        services = Services(db)
        made = services.catalog.create_product(ProductInput(name="大米", sale_price=5000, ref_cost=3000, category="粮油"),
                                               create_category=True, opening_qty=20_000, opening_cost=3000)
        services.checkout.post_sale(Cart((CartLine(made.id, "大米", 5000, 2000, 10_000),)), [Tender("cash", 10_000)],
                                    at=AT)
    finally:
        db.dispose()
    engine = _engine(pg_url)
    try:
        _step(engine, pg_url, (BEFORE_MEMBERS, False))
        with engine.connect() as conn:
            columns = set(conn.execute(text("SELECT column_name FROM information_schema.columns "
                                            "WHERE table_name = 'sale_line'")).scalars())
        assert "category_id" not in columns and "points" not in columns  # really the shop of 0016
    finally:
        engine.dispose()

    upgraded = migrate_server(pg_url, create=False)
    assert upgraded.upgraded_from == BEFORE_MEMBERS and upgraded.revision == head_revision()
    db = Database.for_server(pg_url)
    try:
        with db.read() as uow:
            s = uow.session
            # 0018 filled the line's category from its product; 0019 and 0021 gave the old rows their defaults
            row = s.execute(text("SELECT l.category_id, p.category_id, l.points, s.till FROM sale_line l "
                                 "JOIN product p ON p.id = l.product_id JOIN sale s ON s.id = l.sale_id")).one()
            assert row[0] is not None and row[0] == row[1] and row[2] == 0 and row[3] == ""
        services = Services(db)
        _member_sale(db, services, made.id)
        report = run_check(db)
        assert report.ok, report.problems
    finally:
        db.dispose()


def _member_sale(db: Database, services: Services, product_id: int) -> None:
    with db.write() as uow:
        s = uow.session
        level = MemberLevel(name="金卡", price_pct=100, points_pct=100)
        s.add(level)
        s.flush()
        customer = Customer(name="张三", phone="13800001234", member_level_id=level.id, joined_on=AT.date())
        s.add(customer)
        s.flush()
        mid = customer.id
        uow.commit()
    services.member_money.topup(mid, 10_000, bonus=1000, method="wechat", at=AT)
    services.member_money.adjust_points(mid, 500, "开卡送积分")
    sale = services.checkout.post_sale(Cart((CartLine(product_id, "大米", 5000, 2000, 10_000),)),
                                       [Tender("stored_value", 6000), Tender("points", 500), Tender("cash", 3500)],
                                       at=AT, member_id=mid)
    assert {p.method: p.amount for p in sale.payments} == {"stored_value": 6000, "points": 500, "cash": 3500}
    points, value = services.member_money.balances(mid)
    assert value == 11_000 - 6000
    with db.read() as uow:
        s = uow.session
        earned = s.scalar(select(func.sum(PointsMove.points)).where(PointsMove.sale_id == sale.id,
                                                                    PointsMove.kind == "earn"))
        line_points = s.scalar(text("SELECT sum(points) FROM sale_line WHERE sale_id = :id"), {"id": sale.id})
        moves = sorted(s.scalars(select(StoredValueMove.amount).where(StoredValueMove.customer_id == mid)))
    assert earned and earned > 0 and line_points == earned  # 95 yuan paid not in points earns per line
    assert points == 500 - 500 + earned and moves == [-6000, 1000, 10_000]  # payment, bonus, top-up
