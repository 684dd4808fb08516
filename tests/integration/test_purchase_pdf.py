"""The purchase note PDF: Chinese embedded, the lines and totals readable with pdftotext."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime, timedelta

from jxc_desktop import i18n
from jxc_desktop.domain.clock import local_day
from jxc_desktop.reports.purchase_note import Shop, render
from jxc_desktop.services.purchasing.dto import (
    LineInput,
    NoteInput,
    ReturnInput,
    ReturnLineInput,
    SupplierInput,
)

AT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def text_of(path) -> str:  # type: ignore[no-untyped-def]
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_purchase_and_return_notes(services, make_product, tmp_path) -> None:
    i18n.set_language("zh_CN")
    sup = services.suppliers.add(SupplierInput("华润万家批发部", contact="李四", phone="0571-1234567", address="杭州市"))
    noodles = make_product("红烧牛肉面", 450, 300)
    milk = make_product("纯牛奶250ml", 350, 250, tracks_batches=True)
    expiry = local_day(AT) + timedelta(days=60)
    note = services.purchasing.post(NoteInput(sup.id, (
        LineInput(noodles.id, 24_000, 310), LineInput(milk.id, 12_500, 255, batch_no="20261118A", expiry_date=expiry),
    ), note="上午到货"), at=AT)
    shop = Shop("好邻居便利店", "人民路88号", "0371-66881234")
    pdf = render(tmp_path / "cg.pdf", note, shop=shop, supplier=services.suppliers.get(sup.id))
    text = text_of(pdf)
    for expected in ("好邻居便利店", "采购入库单", note.number, "华润万家批发部", "李四", "红烧牛肉面", "纯牛奶250ml",
                     "20261118A", expiry.isoformat(), "12.5", "¥3.10", "¥74.40", "¥31.88", "¥106.28",
                     "送货人", "收货人", "上午到货"):
        assert expected in text, expected
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert any("TrueType" in row and row.split()[-5] == "yes" for row in fonts.splitlines())  # CJK embedded

    ret = services.purchasing.post_return(ReturnInput(None, (ReturnLineInput(noodles.id, 4_000, note.lines[0].id),),
                                                      origin_id=note.id), at=AT)
    text = text_of(render(tmp_path / "ct.pdf", ret, shop=shop))
    assert "采购退货单" in text and ret.number in text and note.number in text and "¥12.40" in text
    services.purchasing.reverse(ret.id, at=AT)
    text = text_of(render(tmp_path / "ct2.pdf", services.purchasing.get(ret.id), shop=shop))
    assert "已红冲" in text


def test_long_note_spans_pages_in_english(services, make_product, tmp_path) -> None:
    sup = services.suppliers.add(SupplierInput("Big Supplier"))
    products = [make_product(f"Item {i}", 200, 100) for i in range(90)]
    draft = services.purchasing.save_draft(NoteInput(sup.id, tuple(LineInput(p.id, 1000, 100) for p in products),
                                                     doc_date=date(2026, 11, 1)), at=AT)
    text = text_of(render(tmp_path / "d.pdf", draft))
    assert "Purchase receiving note" in text and "DRAFT" in text and "Page 2" in text
    assert "Item 89" in text and "Total: 90 lines" in text and "¥90.00" in text
