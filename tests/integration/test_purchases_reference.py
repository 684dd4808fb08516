"""The purchase summary written as SQL text in session 15 gives exactly what the SQLAlchemy queries
it replaced gave (purchases_reference.py), on SQLite and PostgreSQL, in four time zones around a
daylight-saving change, by supplier and by product: notes over several days, returns at the stock
value and at a price of their own (the price difference), a reversed note whose goods were partly
sold (its correction), a reversed return, a note of no supplier, a draft, and a quantity × price
past 2^31. On PostgreSQL the session speaks another zone than the program."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from jxc_desktop.db.models import Purchase, StockMove
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.tender import Tender
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import (
    LineInput,
    NoteInput,
    ReturnInput,
    ReturnLineInput,
    SupplierInput,
)
from jxc_desktop.services.reporting.purchases import PurchaseGrouping, purchase_report
from tests.integration import purchases_reference as ref
from tests.integration.test_plain_reads_reference import BASE, read_in_other_zone, zone  # noqa: F401  (the fixture)


def fill(services: Services) -> None:
    day = BASE.astimezone().date()
    cola = services.catalog.create_product(ProductInput(name="可乐", sale_price=300))
    rice = services.catalog.create_product(ProductInput(name="大米 10kg", sale_price=6000))
    acme = services.suppliers.add(SupplierInput("Acme 食品")).id
    other = services.suppliers.add(SupplierInput("长沙金达")).id
    pu = services.purchasing
    later = BASE + timedelta(days=6)
    notes = [pu.post(NoteInput(acme if i % 2 else other, (LineInput(cola.id, 10_000, 140 + i),
                                                         LineInput(rice.id, 2000, 4000)),
                               doc_date=day + timedelta(days=i - 1)), at=BASE + timedelta(days=i)) for i in range(4)]
    pu.post_return(ReturnInput(acme, (ReturnLineInput(cola.id, 500),), doc_date=day), at=BASE)  # at stock value
    pu.post_return(ReturnInput(other, (ReturnLineInput(rice.id, 1000, price=4321),), doc_date=day + timedelta(days=1)),
                   at=BASE + timedelta(days=1))  # credited at a price of its own
    back = pu.post_return(ReturnInput(acme, (ReturnLineInput(cola.id, 1000, price=99),), doc_date=day),
                          at=BASE + timedelta(hours=2))
    pu.reverse(back.id, at=later, confirmed=True)  # a reversed return: its price difference out again
    co = services.checkout
    co.post_sale(Cart((co.line_for_product(cola.id, 35_000),)), [Tender("cash", 10_500)], confirmed=True,
                 at=BASE + timedelta(days=3, hours=1))
    pu.reverse(notes[3].id, at=later, confirmed=True)  # its goods partly sold: a correction
    big = services.catalog.create_product(ProductInput(name="整箱", sale_price=9_000_000))
    pu.post(NoteInput(acme, (LineInput(big.id, 100_000, 2_147_484),), doc_date=day), at=BASE)  # qty × price > 2^31
    pu.post_return(ReturnInput(acme, (ReturnLineInput(big.id, 100_000, price=2_147_484),), doc_date=day), at=BASE)
    pu.save_draft(NoteInput(acme, (LineInput(cola.id, 3000, 140),)))  # never counted
    none = pu.post(NoteInput(other, (LineInput(rice.id, 1000, 3900),), doc_date=day + timedelta(days=2)),
                   at=BASE + timedelta(days=2))
    # rice sold below zero, then bought at another cost: the receipt re-based (the sales' cost, not purchases)
    co.post_sale(Cart((co.line_for_product(rice.id, 10_000),)), [Tender("cash", 60_000)], confirmed=True,
                 at=BASE + timedelta(days=4))
    pu.post(NoteInput(acme, (LineInput(rice.id, 5000, 4500),), doc_date=day + timedelta(days=5)),
            at=BASE + timedelta(days=5))
    with services.db.write() as uow:
        s = uow.session
        s.execute(update(Purchase).where(Purchase.id == none.id).values(supplier_id=None))
        # a re-base as older versions wrote it (a revaluation with this note): not purchase flow
        fix = s.scalars(select(StockMove).where(StockMove.doc_type == "purchase", StockMove.qty == 0,
                                                StockMove.kind.in_(ref.CORRECTION_KINDS))).first()
        assert fix is not None
        copy = {c.key: getattr(fix, c.key) for c in StockMove.__table__.columns if c.key != "id"}
        s.add(StockMove(**(copy | {"kind": "revaluation", "note": ref.REBASE_NOTE, "value": 777})))
        uow.commit()


def test_the_text_reads_what_the_orm_read(services: Services, zone: str) -> None:  # noqa: F811  (the fixture)
    fill(services)
    day = BASE.astimezone().date()
    periods = [Period(day - timedelta(days=2), day + timedelta(days=8)), Period(day, day),
               Period(day + timedelta(days=1), day + timedelta(days=2)), Period(day + timedelta(days=6), day + timedelta(days=6)),
               Period(day + timedelta(days=20), day + timedelta(days=21))]
    with read_in_other_zone(services) as (s, rows):
        for period in periods:
            for by in PurchaseGrouping:
                assert purchase_report(rows, period, by) == ref.purchase_report(s, period, by), (period, by)
        whole = purchase_report(rows, periods[0], PurchaseGrouping.SUPPLIER)
    # what the comparison covered: every kind of figure is there to compare
    t = whole.total
    assert t.notes == 7 and t.return_notes == 4 and t.reversed_notes == 2
    assert t.corrections != 0 and t.price_difference != 0 and t.reversals != 0
    assert [r.label for r in whole.rows if r.key == ""] == ["(no supplier)"]
    assert services.reports.purchases(periods[0], "supplier") == whole  # the service runs the same text
