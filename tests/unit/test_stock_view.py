"""The stock view's filters, totals, ledger and batches on a scripted database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from jxc_desktop.db.models import Batch, Product
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.services.stock import ledger
from jxc_desktop.services.stock.stock_view import StockFilter, StockQuery

TODAY = date(2026, 11, 25)


def add_batch(services, product_id: int, no: str, expiry: date | None, qty: int, cost: int) -> None:  # type: ignore[no-untyped-def]
    with services.db.write() as uow:
        s = uow.session
        b = Batch(product_id=product_id, batch_no=no, expiry_date=expiry, qty=0)
        s.add(b)
        s.flush()
        ledger.receive(s, s.get(Product, product_id), qty * 1000, MoveKind.PURCHASE,
                       ledger.DocRef("purchase", 7, "CG20261101-0001"), value=qty * cost, batch=b)
        uow.commit()


def names(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.name for r in page.rows]


def scripted(services, make_product):  # type: ignore[no-untyped-def]
    low = make_product("低库存", 300, 200, 2, min_stock=5_000, category="饮料")
    make_product("正常", 300, 100, 10, min_stock=5_000, max_stock=20_000, category="饮料")
    make_product("超上限", 300, 100, 30, max_stock=20_000, category="食品")
    neg = make_product("负库存", 300, 100, 0, category="食品")
    with services.db.write() as uow:
        ledger.issue(uow.session, uow.session.get(Product, neg.id), 2_000, MoveKind.SALE, ledger.DocRef("sale"))
        uow.commit()
    milk = make_product("牛奶", 600, 400, 0, tracks_batches=True, category="食品")
    add_batch(services, milk.id, "M1", TODAY + timedelta(days=10), 3, 400)
    yog = make_product("酸奶", 600, 400, 0, tracks_batches=True, category="食品")
    add_batch(services, yog.id, "Y0", TODAY - timedelta(days=1), 2, 300)
    add_batch(services, yog.id, "Y1", TODAY + timedelta(days=200), 4, 300)
    idle = make_product("滞销", 300, 100, 1)
    with services.db.write() as uow:
        uow.session.get(Product, idle.id).last_move_at = datetime(2026, 1, 1, tzinfo=UTC)
        uow.commit()
    inactive = make_product("停用", 300, 100, 0, min_stock=1_000)
    services.catalog.set_active(inactive.id, False)
    return low, milk, yog


def test_filters_and_totals(services, make_product) -> None:
    scripted(services, make_product)
    view = services.stock_view
    every = view.page(today=TODAY)
    assert every.total == 7
    assert every.total_value == sum(r.value for r in every.rows) == view.total_value()
    assert names(view.page(StockQuery(StockFilter.BELOW_MIN), today=TODAY)) == ["低库存"]
    assert names(view.page(StockQuery(StockFilter.ABOVE_MAX), today=TODAY)) == ["超上限"]
    assert names(view.page(StockQuery(StockFilter.NEGATIVE), today=TODAY)) == ["负库存"]
    assert names(view.page(StockQuery(StockFilter.EXPIRING), today=TODAY)) == ["牛奶"]  # 90-day default
    assert set(names(view.page(StockQuery(StockFilter.EXPIRING, days=365), today=TODAY))) == {"牛奶", "酸奶"}
    assert names(view.page(StockQuery(StockFilter.EXPIRING, days=5), today=TODAY)) == []
    assert names(view.page(StockQuery(StockFilter.EXPIRED), today=TODAY)) == ["酸奶"]
    assert names(view.page(StockQuery(StockFilter.NO_MOVEMENT, days=30), today=TODAY)) == ["滞销"]
    assert names(view.page(StockQuery(text="牛"), today=TODAY)) == ["牛奶"]
    cats = {c.name: c.id for c in services.catalog.categories()}
    assert set(names(view.page(StockQuery(category_id=cats["饮料"]), today=TODAY))) == {"低库存", "正常"}
    paged = view.page(after=every.rows[1].code, limit=3, today=TODAY)  # keyset: the page after row 1
    assert len(paged.rows) == 3 and paged.total == 7 and paged.rows[0].code == every.rows[2].code
    codes = [r.code for r in every.rows]
    totals, listed = view.codes(today=TODAY)
    assert listed == codes and (totals.total, totals.total_value) == (every.total, every.total_value)
    assert [r.code for r in view.rows_from(StockQuery(), codes[3], 2, today=TODAY)] == codes[3:5]
    chunks = list(view.iter_rows(today=TODAY, chunk=3))  # 7 rows: 3 + 3 + 1, each after the last
    assert [len(c) for c in chunks] == [3, 3, 1] and [r.code for c in chunks for r in c] == codes
    assert [len(c) for c in view.iter_rows(today=TODAY, chunk=7)] == [7]  # a full last chunk: no empty one
    assert view.rows(today=TODAY, chunk=2) == every.rows
    services.settings.update({"expiry_warning_days": "5"})
    assert names(view.page(StockQuery(StockFilter.EXPIRING), today=TODAY)) == []


def test_alerts_ledger_and_batches(services, make_product) -> None:
    low, milk, yog = scripted(services, make_product)
    view = services.stock_view
    alerts = view.alerts(today=TODAY)
    assert (alerts.below_min, alerts.expiring_batches, alerts.expired_batches, alerts.warning_days) == (1, 1, 1, 90)
    assert alerts.any
    rows = view.ledger(milk.id)
    assert [(r.kind, r.qty, r.value, r.balance_qty, r.doc_number, r.batch_no) for r in rows] == [
        ("purchase", 3_000, 1_200, 3_000, "CG20261101-0001", "M1")]
    assert view.ledger_count(low.id) == 1
    every = view.ledger(yog.id)  # paged by key: (time, id) before the last row shown
    assert len(every) == view.ledger_count(yog.id) >= 2
    first = view.ledger(yog.id, limit=1)
    assert first + view.ledger(yog.id, before=first[-1]) == every
    batches = view.batches(yog.id, today=TODAY)
    assert [(b.batch_no, b.state, b.qty) for b in batches] == [("Y0", "expired", 2_000), ("Y1", "ok", 4_000)]
    assert view.batches(milk.id, today=TODAY)[0].state == "expiring"


def test_below_minimum_page_counts_only_active(services, make_product) -> None:
    for i in range(30):
        make_product(f"品{i}", 300, 100, i % 4, min_stock=2_000)
    page = services.stock_view.page(StockQuery(StockFilter.BELOW_MIN), limit=5)
    assert page.total == 16 and len(page.rows) == 5
    assert all(r.qty < r.min_stock for r in page.rows)


def test_search_treats_wildcards_literally(services, make_product) -> None:
    make_product("百分之百果汁")
    make_product("100%果汁")
    view = services.stock_view
    assert [r.name for r in view.page(StockQuery(text="%")).rows] == ["100%果汁"]
    assert view.page(StockQuery(text="_")).total == 0
    assert [r.name for r in view.page(StockQuery(text="bfzb")).rows] == ["百分之百果汁"]


def test_text_matches_as_the_catalogue_searches(services, make_product) -> None:
    """The 助记码 anywhere ("cnn" in mnc**nn**), full pinyin ("wahaha"), and still code, barcode and
    name; an inactive product only with include_inactive."""
    milk = make_product("蒙牛纯牛奶", barcode="6923644240011")
    make_product("娃哈哈AD钙奶")
    make_product("乐事薯片")
    gone = make_product("娃哈哈纯净水")
    services.catalog.set_active(gone.id, False)
    view = services.stock_view

    def found(text: str, **kw: object) -> list[str]:
        return names(view.page(StockQuery(text=text, **kw)))  # type: ignore[arg-type]

    assert found("cnn") == ["蒙牛纯牛奶"]
    assert found("CNN") == ["蒙牛纯牛奶"]
    assert found("sp") == ["乐事薯片"]
    assert found("wahaha") == ["娃哈哈AD钙奶"]
    assert set(found("wahaha", include_inactive=True)) == {"娃哈哈AD钙奶", "娃哈哈纯净水"}
    assert found("whh") == ["娃哈哈AD钙奶"]
    assert found("纯牛") == ["蒙牛纯牛奶"]
    assert found("6923644240011") == ["蒙牛纯牛奶"]
    assert found(milk.code) == ["蒙牛纯牛奶"]
    assert view.totals(StockQuery(text="wahaha")).total == 1
    assert found("xyzq") == []
