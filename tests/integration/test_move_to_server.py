"""``jxc move-to-server`` (issue 21): a real demo shop file copied into an empty PostgreSQL database,
both checked and compared to the fen; a database already holding a shop is refused, and a cancelled
or failed copy leaves the server database empty. The members' tables (levels, points and
stored-value ledgers, what each promotion took off a line) move too, and the moved shop takes a
member sale paid with stored value and points."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from jxc_desktop.cli import main
from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.models import Customer, PointsMove, Product, Sale, StoredValueMove
from jxc_desktop.db.transfer import non_empty, row_counts
from jxc_desktop.db.uow import Database
from jxc_desktop.demo.shop import fill_demo
from jxc_desktop.domain.cart import Cart, CartLine
from jxc_desktop.domain.errors import StateError
from jxc_desktop.domain.tender import Tender
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety.books_check import run_check
from jxc_desktop.services.safety.move_to_server import figures, move_to_server

MEMBER_TABLES = ("member_level", "points_move", "stored_value_move", "sale_promotion", "promotion")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo shop (stock, sales, purchases, counts, shifts, money owed), made once for the module."""
    path = tmp_path_factory.mktemp("shop") / "demo.sqlite3"
    migrate(path)
    db = Database.building(path)  # as `jxc demo` writes a new file: commits not synced one by one
    fill_demo(Services(db), products=60, days=20, seed=5)
    db.dispose()
    return path


@pytest.fixture
def shop(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    copy = tmp_path / "shop.sqlite3"
    copy.write_bytes(demo_file.read_bytes())
    db = Database.for_file(copy)
    yield db
    db.dispose()


def _server_rows(url: str) -> int:
    db = Database.open(url)
    try:
        with db.engine.connect() as conn:
            return sum(c.rows for c in row_counts(conn))
    finally:
        db.dispose()


def test_a_demo_shop_moves_and_both_sides_agree_to_the_fen(shop: Database, pg_url: str) -> None:
    stages: list[str] = []
    result = move_to_server(shop, pg_url, progress=lambda stage, done, total: stages.append(stage), batch=500)
    assert result.source_check.ok, result.source_check.problems
    assert result.target_check.ok, result.target_check.problems
    assert result.figures_agree and result.tables_agree and result.ok
    assert result.source.stock_value > 0 and result.source.net_sales_12m > 0 and result.source.payable > 0
    assert result.rows == sum(a for _t, a, _b in result.tables) > 1000
    assert {"schema", "copy", "check"} <= set(stages)
    moved = {t: (a, b) for t, a, b in result.tables}
    assert all(moved[t][0] > 0 and moved[t][0] == moved[t][1] for t in MEMBER_TABLES), moved
    assert result.source.member_stored_value > 0 and result.source.member_points > 0

    # the server shop is a working shop: the next sale gets a fresh id and the next number of the day
    with shop.read() as uow:
        last_in_file = uow.session.scalar(select(func.max(Sale.id)))
    server = Database.open(pg_url)
    try:
        services = Services(server)
        with server.read() as uow:
            pid, name, price = uow.session.execute(
                select(Product.id, Product.name, Product.sale_price)
                .where(Product.stock_qty > 1000, Product.sale_price > 0).order_by(Product.id).limit(1)).one()
        sale = services.checkout.post_sale(Cart((CartLine(pid, name, price, 1000, price),)), [Tender("cash", price)])
        assert sale.id == last_in_file + 1
        assert figures(server).stock_value < result.target.stock_value
        _member_sale_on_the_server(shop, server, services, pid, name, price)
    finally:
        server.dispose()


def _member_sale_on_the_server(shop: Database, server: Database, services: Services, pid: int, name: str,
                               price: int) -> None:
    """A member with stored value and points buys on the moved shop: the members' ledgers take new rows
    after the copied ones (their sequences were reset) and the server's books check stays clean."""
    with shop.read() as uow:
        s = uow.session
        last_points, last_value = s.scalar(select(func.max(PointsMove.id))), s.scalar(select(func.max(StoredValueMove.id)))
    with server.read() as uow:
        mid = uow.session.scalar(select(Customer.id).where(Customer.member_level_id.is_not(None))
                                 .order_by(Customer.id).limit(1))
    assert mid is not None
    services.member_money.topup(mid, 10 * price, method="cash")
    services.member_money.adjust_points(mid, 5000, "迁移后送积分")
    points, value = services.member_money.balances(mid)
    cart = services.members.cart_for_member(Cart((CartLine(pid, name, price, 2000, 2 * price),)), mid)
    total = services.checkout.price(cart).total  # at the member's level price
    paid_value, paid_points = total // 2, min(100, total - total // 2)
    tenders = [Tender("stored_value", paid_value), Tender("points", paid_points),
               Tender("cash", total - paid_value - paid_points)]
    sale = services.checkout.post_sale(cart, [t for t in tenders if t.amount], member_id=mid)
    assert {p.method: p.amount for p in sale.payments}.get("stored_value") == paid_value
    after_points, after_value = services.member_money.balances(mid)
    assert after_value == value - paid_value
    with server.read() as uow:  # the points paid and the points earned, each a move of this sale
        kinds = dict(uow.session.execute(select(PointsMove.kind, func.sum(PointsMove.points))
                                         .where(PointsMove.sale_id == sale.id).group_by(PointsMove.kind)).all())
    # earning depends on the demo's product (a promoted line earns none): whatever it earned is a move
    assert kinds["redeem"] < 0 and after_points == points + sum(kinds.values())
    with server.read() as uow:
        s = uow.session
        assert s.scalar(select(func.min(StoredValueMove.id)).where(StoredValueMove.customer_id == mid,
                                                                   StoredValueMove.id > last_value)) == last_value + 1
        assert s.scalar(select(func.min(PointsMove.id)).where(PointsMove.id > last_points)) == last_points + 1
    report = run_check(server)
    assert report.ok, report.problems


def test_a_database_holding_a_shop_is_refused(shop: Database, pg_url: str) -> None:
    assert move_to_server(shop, pg_url).ok
    before = _server_rows(pg_url)
    with pytest.raises(StateError, match="already holds a shop"):
        move_to_server(shop, pg_url)
    assert _server_rows(pg_url) == before


def test_a_cancelled_move_leaves_the_server_empty(shop: Database, pg_url: str) -> None:
    def cancel_half_way(stage: str, done: int, total: int) -> bool:
        return not (stage == "copy" and done > total // 2)

    with pytest.raises(StateError, match="cancelled"):
        move_to_server(shop, pg_url, progress=cancel_half_way, batch=200)
    db = Database.open(pg_url)
    try:
        with db.engine.connect() as conn:
            assert non_empty(conn) == []
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar()  # schema stays
    finally:
        db.dispose()
    assert move_to_server(shop, pg_url).ok  # and the move can be made again


def test_jxc_move_to_server_prints_the_figures_and_exits_0(shop: Database, pg_url: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert shop.path is not None
    assert main(["--db", str(shop.path), "move-to-server", pg_url]) == 0
    out = capsys.readouterr()
    assert "stock value" in out.out and "agrees" in out.out and "DIFFERS" not in out.out
    assert "copying:" in out.err
    assert main(["--db", str(shop.path), "move-to-server", "--quiet", pg_url]) == 2
    assert "already holds a shop" in capsys.readouterr().err


def test_jxc_move_to_server_json(shop: Database, pg_server, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    import json

    name, url = pg_server.create_database()
    try:
        assert shop.path is not None
        assert main(["--db", str(shop.path), "move-to-server", "--json", "--quiet", url]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["ok"] and out["figures_agree"] and out["tables_agree"]
        assert out["figures"]["stock_value"]["file"] == out["figures"]["stock_value"]["server"] > 0
        assert out["check_file"]["ok"] and out["check_server"]["ok"]
        assert "password" not in json.dumps(out) and out["rows"] == sum(t["file"] for t in out["tables"])
    finally:
        pg_server.drop_database(name)
