"""Issue 19's chain in one story: a style made without makers' barcodes gets in-store EAN-13 codes, its
barcode labels are printed, the printed bars are read back from the page (zxing-cpp on a 300 dpi render)
and what the reader gives is sold at the till: each scan finds its own colour × size variant."""

from __future__ import annotations

from pathlib import Path

from test_label_pdfs import decode_pages

from jxc_desktop.domain.barcode import is_valid_gs1
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.domain.tender import Tender
from jxc_desktop.reports.labels import labels_pdf
from jxc_desktop.services.catalog.dto import StyleInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.sales.checkout import line_for


def test_printed_in_store_labels_scan_back_to_their_variants(services: Services, tmp_path: Path) -> None:
    style = services.styles.create_style(StyleInput(
        "T2601", "纯棉圆领T恤", (("01", "白色"), ("02", "藏青")), ("M", "L"), category="上装",
        sale_price=5900, ref_cost=2500), create_category=True)
    ids = [v.product_id for v in style.variants]
    assert len(ids) == 4 and not any(v.barcode for v in style.variants)

    given = {g.product_id: g.barcode for g in services.labels.generate_store_barcodes(ids)}
    assert set(given) == set(ids)
    assert all(len(code) == 13 and is_valid_gs1(code) and 20 <= int(code[:2]) <= 29 for code in given.values())

    items = services.labels.for_style("T2601")
    assert {i.product_id for i in items} == set(ids)
    assert all(i.colour in ("白色", "藏青") and i.size in ("M", "L") for i in items)
    pdf = tmp_path / "labels.pdf"
    labels_pdf(items, "40x30", "barcode", pdf)
    read = [code for page in decode_pages(pdf, tmp_path / "png") for code, _fmt in page]
    assert sorted(read) == sorted(given.values())

    by_code = {code: pid for pid, code in given.items()}
    for code in read:  # the till: each printed code is its own variant, one unit
        hit = services.catalog.resolve_scan(code)
        assert hit.product is not None and hit.product.id == by_code[code] and hit.qty == MILLI
    cart = Cart(tuple(line_for(services.catalog.resolve_scan(code)) for code in read))
    total = services.checkout.price(cart).total
    sale = services.checkout.post_sale(cart, [Tender("cash", total)], confirmed=True)
    assert sorted(line.product_id for line in sale.lines) == sorted(ids) and total == 4 * 5900
