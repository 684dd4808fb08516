"""The wholesale note posts through the till's sale path: same ledger moves and cost snapshot, the
unpaid part on the customer's account; its A4 PDF carries the amount in capitals."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from jxc_desktop import i18n
from jxc_desktop.db.models import AuditLog, Payment, Product, Sale, SaleLine, StockMove
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.domain.wholesale_note import WholesaleNote
from jxc_desktop.reports.sales_note import render
from jxc_desktop.services.accounts.dto import CUSTOMER, CreditLimitExceeded, CustomerInput


@pytest.fixture
def shop(services, make_product, db):  # type: ignore[no-untyped-def]
    tea = make_product("冰红茶", 300, 200, 200, barcode="6901234567892")
    from tests.unit.test_checkout_service import _input

    services.catalog.update_product(tea.id, _input(services, tea.id, barcodes=(("6901234567892", 1),
                                                                                 ("16901234567899", 24))))
    with db.write() as uow:  # the catalogue form for the wholesale price is not this change's
        uow.session.get(Product, tea.id).wholesale_price = 250
        uow.commit()
    cid = services.customers.add(CustomerInput("隔壁饭店", phone="13800001111", address="幸福路 8 号",
                                               level="wholesale", credit_limit=30_000))
    return tea, cid


def test_a_note_posts_like_a_till_sale_with_the_rest_on_account(services, db, shop) -> None:  # type: ignore[no-untyped-def]
    tea, cid = shop
    line = services.wholesale.line_for(tea.id)
    assert (line.price, line.pack_size, line.packs, line.loose) == (250, 24, 1, 0)
    note = WholesaleNote((replace(line, packs=5, loose=6 * MILLI, line_discount=100),), discount=400, note="月底结")
    dto = services.wholesale.post(note, cid, paid_now=10_000)
    assert (dto.total, dto.paid, dto.on_account, dto.discount) == (31_000, 10_000, 21_000, 500)
    assert dto.lines[0].pack_size == 24 and dto.lines[0].qty == 126 * MILLI
    with db.read() as uow:
        s = uow.session
        sale = s.scalar(select(Sale).where(Sale.number == dto.number))
        assert (sale.channel, sale.customer_id, sale.kind, sale.status) == ("wholesale", cid, "sale", "posted")
        row = s.scalar(select(SaleLine).where(SaleLine.sale_id == sale.id))
        assert (row.pack_size, row.qty, row.unit_price, row.amount) == (24, 126 * MILLI, 250, 31_000)
        assert (row.price_level, row.list_price) == ("wholesale", None)  # sold at the wholesale level
        moves = list(s.scalars(select(StockMove).where(StockMove.doc_type == "sale", StockMove.doc_id == sale.id)))
        assert [(m.kind, m.qty) for m in moves] == [(MoveKind.SALE, -126 * MILLI)]
        assert row.cost == -sum(m.value for m in moves) == 126 * 200 == sale.cost  # the till's snapshot
        assert s.get(Product, tea.id).stock_qty == 74 * MILLI
        pays = {p.method: p.amount for p in s.scalars(select(Payment).where(Payment.sale_id == sale.id))}
        assert pays == {"cash": 10_000, "credit": 21_000}
    assert services.customers.get(cid).balance == 21_000
    docs = services.accounts.open_documents(CUSTOMER, cid)
    assert [(d.number, d.open) for d in docs] == [(dto.number, 21_000)]
    assert services.wholesale.get(dto.number).on_account == 21_000


def test_above_the_limit_only_with_the_owner(services, db, shop) -> None:  # type: ignore[no-untyped-def]
    tea, cid = shop
    note = WholesaleNote((replace(services.wholesale.line_for(tea.id), packs=8),))  # 192 × 2.50 = 480.00
    with pytest.raises(CreditLimitExceeded):
        services.wholesale.post(note, cid, paid_now=0)
    with db.read() as uow:
        assert uow.session.scalar(select(Sale)) is None
        assert uow.session.get(Product, tea.id).stock_qty == 200 * MILLI
    dto = services.wholesale.post(note, cid, paid_now=0, credit_override=True)
    assert services.customers.get(cid).balance == dto.total == 48_000
    with db.read() as uow:
        assert uow.session.scalar(select(AuditLog).where(AuditLog.document == dto.number)) is not None


@pytest.mark.parametrize(("paid", "method", "text"), [(40_000, "cash", "more than the note"),
                                                       (-1, "cash", "negative"), (0, "credit", "Unknown")])
def test_bad_payments_are_refused(services, db, shop, paid, method, text) -> None:  # type: ignore[no-untyped-def]
    tea, cid = shop
    note = WholesaleNote((services.wholesale.line_for(tea.id),))
    with pytest.raises(ValidationError, match=text):
        services.wholesale.post(note, cid, paid_now=paid, method=method)
    services.customers.deactivate(cid)
    with pytest.raises(ValidationError, match="deactivated"):
        services.wholesale.post(note, cid, paid_now=6000)
    with db.read() as uow:
        assert uow.session.scalar(select(Sale)) is None


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")
def test_the_pdf_shows_the_amount_in_capitals(services, shop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tea, cid = shop
    note = WholesaleNote((replace(services.wholesale.line_for(tea.id), packs=5, loose=6 * MILLI),), discount=500)
    dto = services.wholesale.post(note, cid, paid_now=10_000)
    c = services.customers.get(cid)
    dto = replace(dto, customer_name=c.name, customer_phone=c.phone, customer_address=c.address,
                  balance_owed=c.balance)
    i18n.set_language("zh_CN")
    path = render(tmp_path / "note.pdf", dto, services.checkout.shop_info())
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "销售单" in text and dto.number in text and "隔壁饭店" in text
    assert "叁佰壹拾元整" in text  # 31000 fen
    assert "5×24+6" in text and "¥100.00" in text and "¥210.00" in text
    for who in ("制单人", "送货人", "收货人"):
        assert who in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "yes yes" in fonts  # the CJK font embedded (subset)


def test_a_price_far_below_the_wholesale_price_needs_the_owner(services, db, shop) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.domain.cart import DiscountLimitError

    tea, cid = shop
    line = services.wholesale.line_for(tea.id)
    note = WholesaleNote((replace(line, price=100),))  # 1.00 against 2.50: 60 % off, the limit is 50 %
    with pytest.raises(DiscountLimitError):
        services.wholesale.post(note, cid, paid_now=2400)
    dto = services.wholesale.post(note, cid, paid_now=2400, owner_approved=True)
    assert dto.total == 2400 and dto.on_account == 0
    with db.read() as uow:
        audit = uow.session.scalar(select(AuditLog).where(AuditLog.document == dto.number))
        assert audit is not None and audit.action == "price_change"
