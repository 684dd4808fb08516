"""``jxc stock --expiring DAYS [--low]`` read as SQL text (stock_lines.py, session 18) gives exactly
what the SQLAlchemy read it replaced gave (stock_list_reference.py), on SQLite and PostgreSQL: a
batch expired, one expiring today, one on the window's last day and one a day past it, a batch
emptied by a sale (qty 0) and one below zero, a product of several batches (listed once, its
unit's barcode), batches of no expiry, inactive products, products below their minimum, at it and
of no minimum; windows from 0 days to a century, a "today" a day later, chunks cutting the list.
The stock view runs the same text (its iter_plain_lines). On PostgreSQL the session speaks another
zone than the program (a day bound as a date has none)."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text

from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.tender import Tender
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput
from jxc_desktop.services.stock.stock_lines import plain_lines
from jxc_desktop.services.stock.stock_view import StockFilter, StockQuery
from tests.integration import stock_list_reference as ref
from tests.integration.test_plain_reads_reference import read_in_other_zone

TODAY = date(2026, 3, 28)
DAYS = 7  # the window the products are placed around: its last day TODAY + 7
BOUGHT = datetime(2026, 1, 27, 2, 0, tzinfo=UTC)  # the purchases: before every expiry date below
# name, code, min_stock (thousandths), batches: (batch, expiry days from TODAY or None, qty units);
# codes in another order than the products are made (ids).
PRODUCTS = [
    ("过期", "Z01", 5000, [("A1", -1, 2)]),  # expired yesterday, below its minimum
    ("今天", "Y02", 0, [("A2", 0, 1)]),  # expires today, no minimum
    ("末日", "X03", 3000, [("A3", DAYS, 3)]),  # on the window's last day, at its minimum (not below)
    ("次日", "W04", 9000, [("A4", DAYS + 1, 1)]),  # a day past the window, below its minimum
    ("空批", "V05", 0, [("A5", -3, 1), ("A6", 400, 1)]),  # A5 emptied by a sale (first to expire)
    ("多批", "U06", 9000, [("B1", 2, 1), ("B2", DAYS, 1), ("B3", -10, 1), ("B4", 100, 1)]),
    ("停用", "T07", 9000, [("C1", 0, 1)]),  # inactive, expiring and below its minimum
    ("无期", "S08", 9000, [("D1", None, 1)]),  # a batch of no expiry date
    ("负批", "R09", 0, [("E1", -2, 1)]),  # a batch another tool left below zero
    ("低货", "Q10", 9000, []),  # below its minimum, no batch at all
    ("停过", "P11", 0, [("F1", -5, 1)]),  # inactive, expired
]


def fill(services: Services) -> None:
    """PRODUCTS, bought in one purchase each; a case barcode before the unit's for 多批."""
    supplier = services.suppliers.add(SupplierInput("甲")).id
    ids = {}
    for name, code, min_stock, batches in PRODUCTS:
        barcodes = (("16901234567899", 12), ("6901234567892", 1)) if name == "多批" else ()
        pid = services.catalog.create_product(ProductInput(name=name, code=code, sale_price=500, min_stock=min_stock,
                                                           tracks_batches=bool(batches), barcodes=barcodes),
                                              opening_qty=0 if batches else 1000, opening_cost=200, at=BOUGHT).id
        ids[name] = pid
        if batches:
            services.purchasing.post(NoteInput(supplier, tuple(
                LineInput(pid, qty * 1000, 200 + i, batch_no=batch,
                          expiry_date=None if days is None else TODAY + timedelta(days=days))
                for i, (batch, days, qty) in enumerate(batches)), doc_date=BOUGHT.date()),
                at=BOUGHT, confirmed=True)
    co = services.checkout
    co.post_sale(Cart((co.line_for_product(ids["空批"], 1000),)), [Tender("cash", 500)], confirmed=True,
                 at=BOUGHT + timedelta(days=1))
    for name in ("停用", "停过"):
        services.catalog.set_active(ids[name], False)
    with services.db.write() as uow:  # what no form does: a batch below zero
        uow.session.execute(text("UPDATE batch SET qty = -1000 WHERE batch_no = 'E1'"))
        uow.commit()


def names(lines: list[tuple[object, ...]]) -> list[object]:
    return [line[3] for line in lines]


def test_the_expiring_list_reads_what_the_orm_read(services: Services) -> None:
    fill(services)
    view = services.stock_view
    cases = [(days, today, low) for days in (0, 1, DAYS - 1, DAYS, DAYS + 1, 100, 399, 400, 36500)
             for today in (TODAY, TODAY + timedelta(days=1)) for low in (False, True)]
    with read_in_other_zone(services) as (s, rows):
        assert s.execute(text("SELECT qty FROM batch WHERE batch_no = 'A5'")).scalar() == 0
        found = {}
        for days, today, low in cases:
            old = ref.expiring_lines(s, days, today, low=low)
            for chunk in (1, 2, 20000):
                new = list(plain_lines(lambda: nullcontext(rows), below_min=low,
                                       expiring_by=today + timedelta(days=days), chunk=chunk))
                assert [r for page in new for r in page] == old, (days, today, low, chunk)
                assert all(len(page) == chunk for page in new[:-1])
            found[days, today, low] = old
    for days, today, low in cases:  # the stock view runs the same text (its own reads)
        query = StockQuery(StockFilter.EXPIRING, days=days, include_expired=True, below_min=low)
        for chunk in (1, 20000):
            assert [r for page in view.iter_plain_lines(query, today=today, chunk=chunk) for r in page] == \
                found[days, today, low], (days, today, low)
    # what the comparison covered (code order; inactive, empty, negative and undated batches never)
    assert names(found[DAYS, TODAY, False]) == ["多批", "末日", "今天", "过期"]
    assert names(found[DAYS - 1, TODAY, False]) == ["多批", "今天", "过期"]
    assert names(found[DAYS + 1, TODAY, False]) == ["多批", "次日", "末日", "今天", "过期"]
    assert names(found[DAYS, TODAY + timedelta(days=1), False]) == ["多批", "次日", "末日", "今天", "过期"]
    assert names(found[0, TODAY, False]) == ["多批", "今天", "过期"]  # 多批's B3 expired, listed once
    assert names(found[400, TODAY, False]) == ["多批", "空批", "次日", "末日", "今天", "过期"]
    assert found[399, TODAY, False] == found[100, TODAY, False]
    assert names(found[DAYS, TODAY, True]) == ["多批", "过期"]  # 末日 at its minimum, 次日 outside
    assert names(found[DAYS + 1, TODAY, True]) == ["多批", "次日", "过期"]
    assert names(found[0, TODAY, True]) == ["多批", "过期"]
    multi = next(r for r in found[DAYS, TODAY, False] if r[3] == "多批")
    assert multi[2] == "6901234567892" and multi[4] == 4000  # the unit's barcode; the four batches on hand
