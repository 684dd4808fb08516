"""``jxc labels`` reads a file at head with sqlite3 alone (issue 15): the label items as SQL text
(catalog/label_items.py, safety/audit_list.entries_since) equal what the SQLAlchemy reads they
replaced gave (labels_reference.py) on SQLite and PostgreSQL in four zones — products by code or
barcode in the order given (a code that is another product's barcode, a case barcode, blanks,
unknown codes refused alike), each product's first one-unit barcode, a variant's colour and size,
a posted purchase note's lines (per line, per unit; any other note refused alike) and the products
whose sale price changed since a local day (entries on the day's edges, entries that change no
sale price, a renamed code) — and the child ``jxc`` loads no SQLAlchemy and writes a PDF with the
text and pages the full path's has."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from jxc_desktop.domain.clock import day_start_utc
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.catalog import label_items
from jxc_desktop.services.catalog.dto import LabelItem, StyleInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import (
    LineInput,
    NoteInput,
    ReturnInput,
    ReturnLineInput,
    SupplierInput,
)
from jxc_desktop.services.purchasing.note_detail import note_by_number
from jxc_desktop.services.safety import audit
from jxc_desktop.services.safety.audit_list import entries_since
from tests.integration import labels_reference as ref
from tests.integration.test_cli_plain_reads import filled_file
from tests.integration.test_document_pdfs_plain import _pdf, same_pdf_as_full_path
from tests.integration.test_plain_reads_reference import read_in_other_zone, zone  # noqa: F401  (a fixture)

BASE = datetime(2026, 3, 27, 9, 0, tzinfo=UTC)  # Berlin and Europe switch to summer time on 29 March
CASE, FIRST_UNIT, SECOND_UNIT = "1690123456793", "6920000000012", "6901234567908"  # made in this order


def fill(services: Services) -> None:
    """Products with a case barcode before two unit barcodes (the one made first has the larger
    code), none, only a case barcode; one whose code is another's barcode; a style's variants and a
    product with colour and size but no style; notes (posted, draft, return, reversed); price
    changes around the local day of BASE, in an order of ids that is not the order of times."""
    cat = services.catalog
    cola = cat.create_product(ProductInput(name="可乐", code="C-1", sale_price=300, spec="330ml", unit="罐",
                                           barcodes=((CASE, 12), (FIRST_UNIT, 1), (SECOND_UNIT, 1))),
                              opening_qty=50_000, opening_cost=150, at=BASE)
    rice = cat.create_product(ProductInput(name="东北大米 5kg", code="R-1", sale_price=5000, unit="袋"))
    boxed = cat.create_product(ProductInput(name="整箱水", code="B-1", sale_price=2400, barcodes=(("6920000000029", 6),)))
    cat.create_product(ProductInput(name="借码商品", code=SECOND_UNIT, sale_price=100))
    dyed = cat.create_product(ProductInput(name="染色布", code="D-1", sale_price=900))
    style = services.styles.create_style(StyleInput("T2601", "纯棉圆领T恤", (("01", "白色"), ("02", "藏青")), ("M", "L"),
                                                    category="上装", sale_price=5900), create_category=True)
    with services.db.write() as uow:  # colour and size on a product of no style: no variant
        uow.session.execute(text("UPDATE product SET colour = '红', size = 'XL' WHERE id = :id"), {"id": dyed.id})
        uow.commit()
    pu = services.purchasing
    sup = services.suppliers.add(SupplierInput("粮油批发")).id
    variant = style.variants[3].product_id
    day = BASE.astimezone().date()
    bought = pu.post(NoteInput(sup, (LineInput(cola.id, 24_000, 150), LineInput(rice.id, 2_500, 3000),
                                     LineInput(variant, 500, 2500), LineInput(cola.id, 1_000, 150)),
                               doc_date=day), at=BASE)
    pu.post_return(ReturnInput(sup, (ReturnLineInput(cola.id, 1000, bought.lines[0].id),), origin_id=bought.id,
                               doc_date=day), at=BASE + timedelta(minutes=5))
    pu.save_draft(NoteInput(sup, (LineInput(rice.id, 1000, 3000),)))
    gone = pu.post(NoteInput(sup, (LineInput(boxed.id, 1000, 2000),), doc_date=day), at=BASE + timedelta(minutes=8))
    pu.reverse(gone.id, at=BASE + timedelta(minutes=9), confirmed=True)
    start = day_start_utc(day)
    hour = timedelta(hours=1)
    with services.db.write() as uow:
        s = uow.session
        for when, code, before, after in (
                (start - timedelta(microseconds=1), "C-1", {"sale_price": 280}, {"sale_price": 300}),
                (start, "R-1", {"sale_price": 5200}, {"sale_price": 5000}),
                (start + hour, "B-1", {"ref_cost": 1}, {"ref_cost": 2}),  # cost only
                (start + 2 * hour, "XS20260327-0001", None, {"discount": 50}),  # a till discount
                (start + 3 * hour, "D-1", "{not json", {"sale_price": 900}),
                (start + 4 * hour, "D-1", {"sale_price": 800}, [900]),
                (start + 5 * hour, "B-1", {"sale_price": 2400}, {"sale_price": 2400}),  # no change
                (start + 6 * hour, "", {"sale_price": 1}, {"sale_price": 2}),
                (start + 7 * hour, "OLD-9", {"sale_price": 1}, {"sale_price": 2}),  # renamed since
                (start + 8 * hour, "C-1", {"sale_price": 300}, {"sale_price": 350}),
                (start + 30 * timedelta(minutes=1), style.variants[1].code, {}, {"sale_price": 5900}),  # a later id
                (start + 24 * hour - timedelta(microseconds=1), "R-1", {"sale_price": 5000}, {"sale_price": 4900}),
                (start + 24 * hour, "B-1", {"sale_price": 2400}, {"sale_price": 2300}),
        ):
            audit.record(s, audit.PRICE_CHANGE, document=code, before=before, after=after, at=when)
        uow.commit()


def alike(keys: Iterable[Any], old: Callable[[Any], list[LabelItem]],
          new: Callable[[Any], list[LabelItem]]) -> list[list[LabelItem]]:
    """Each key read the old way and the new: the same items, or refused with the same words."""
    found = []
    for key in keys:
        try:
            was = old(key)
        except JxcError as exc:
            with pytest.raises(type(exc)) as new_exc:
                new(key)
            assert new_exc.value.message == exc.message, key
            found.append(exc.message)
            continue
        assert new(key) == was, key
        found.append(was)
    return found


def code_lists(s: Any) -> list[list[str]]:
    variants = [c for (c,) in s.execute(text("SELECT code FROM product WHERE style_id IS NOT NULL ORDER BY id"))]
    return [["C-1", FIRST_UNIT, CASE, " R-1 ", "", "B-1", "D-1", *variants, "C-1"], [SECOND_UNIT], [" ", ""], [],
            ["R-1", "NOPE", "C-1"], ["R-1", "6920000000029"], ["x" * 60]]


def test_the_text_reads_what_the_orm_read(services: Services, zone: str,  # noqa: F811
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    fill(services)
    day = BASE.astimezone().date()
    with read_in_other_zone(services) as (s, rows):
        lists = code_lists(s)
        numbers = [n for (n,) in s.execute(text("SELECT number FROM purchase ORDER BY id"))]
        ids = [i for (i,) in s.execute(text("SELECT id FROM product ORDER BY id"))]
        wanted = [[(ids[3], 2), (ids[0], 1), (ids[3], 1)], [(ids[0], 1), (10**6, 1)], [(ids[0], 0)], [(ids[0], 1000)],
                  [(ids[0], 999)] * 21, [(i, 1) for i in reversed(ids)]]
        days = [day + timedelta(days=k) for k in (-1, 0, 1, 2)]
        read: list[Any] = []
        for chunk in (label_items.CHUNK, 2):  # the IN lists cut into many too
            monkeypatch.setattr(label_items, "CHUNK", chunk)
            read = alike(lists, lambda c: ref.for_codes(s, c), lambda c: label_items.for_codes(rows, c))
            read += alike([*numbers, numbers[0].lower() + " ", "CG20990101-0001"],
                          lambda n: ref.for_purchase(s, n),
                          lambda n: label_items.items_for(rows, label_items.purchase_wanted(note_by_number(rows, n),
                                                                                             False)))
            read += alike([numbers[0]], lambda n: ref.for_purchase(s, n, per_unit=True),
                          lambda n: label_items.items_for(rows, label_items.purchase_wanted(note_by_number(rows, n),
                                                                                             True)))
            read += alike(wanted, lambda w: ref.items_for(s, w), lambda w: label_items.items_for(rows, w))
            read += alike(days, lambda d: ref.changed_since(s, d), lambda d: label_items.changed_items(
                rows, entries_since(rows, audit.PRICE_CHANGE, day_start_utc(d))))
            assert entries_since(rows, audit.PRICE_CHANGE, day_start_utc(day)) == \
                ref.entries_since(s, audit.PRICE_CHANGE, day_start_utc(day))
    lb = services.labels  # the service runs the same text
    assert [lb.for_codes(c) for c in lists[:2]] == read[:2]
    assert lb.for_purchase(numbers[0]) == read[7] and lb.for_purchase(numbers[0], per_unit=True) == read[13]
    assert [lb.changed_since(d) for d in days] == read[-4:]
    # what the comparison covered
    cola = read[0][0]
    assert [i.code for i in read[0][:6]] == ["C-1", "C-1", "C-1", "R-1", "B-1", "D-1"] and read[0][-1] == cola
    assert cola.barcode == FIRST_UNIT and read[0][3].barcode == read[0][4].barcode == ""  # none; a case's only
    assert read[0][5].colour is None and read[0][5].size is None  # colour and size, but no style
    assert {(i.colour, i.size) for i in read[0][6:10]} == {("白色", "M"), ("白色", "L"), ("藏青", "M"), ("藏青", "L")}
    assert [i.name for i in read[1]] == ["借码商品"] and [i.code for i in read[5]] == ["R-1", "B-1"]
    assert read[2] == read[3] == "Choose the products to print labels for" and "NOPE" in read[4]
    assert read[6] == "No product with code or barcode " + "x" * 40
    assert [i.copies for i in read[7]] == [1, 1, 1, 1] and [i.copies for i in read[13]] == [24, 3, 1, 1]
    assert read[11] == read[7] and "CG20990101-0001" in read[12]  # typed in lower case; unknown
    assert all("is not one" in r for r in read[8:11])  # a return, a draft, a reversed note
    assert "does not exist" in read[15] and "1 to 999" in read[16] == read[17] and "At most" in read[18]
    assert len(read[19]) == 9  # every product, the last made first
    assert [i.code for i in read[-4]] == ["C-1", "R-1", "T2601-01-L", "B-1"]  # the day before's last µs too
    assert [i.code for i in read[-3]] == ["R-1", "C-1", "T2601-01-L", "B-1"]  # from its first µs, by id not time
    assert [i.code for i in read[-2]] == ["B-1"] and read[-1] == []


@pytest.fixture
def label_shop(db_path: Path) -> Path:
    return filled_file(db_path, fill)


DAY = BASE.date().isoformat()
CASES = {
    "codes": ["--products", f"C-1,{FIRST_UNIT},R-1, B-1", "--format", "40x30"],
    "codes barcode": ["--products", "C-1，D-1,T2601-01-M,T2601-02-L", "--format", "a4-3x8", "--kind", "barcode"],
    "unknown code": ["--products", "R-1,NOPE", "--format", "40x30"],
    "no code": ["--products", " , ", "--format", "40x30"],
    "purchase": ["--purchase", "{0}", "--format", "50x30"],
    "purchase per unit": ["--purchase", "{0}", "--format", "a4-4x10", "--kind", "barcode"],
    "return": ["--purchase", "{1}", "--format", "40x30"],
    "unknown note": ["--purchase", "CG20990101-0001", "--format", "40x30"],
    "changed": ["--changed-since", DAY, "--format", "60x40"],
    "changed none": ["--changed-since", "2026-04-30", "--format", "40x30"],
    "bad day": ["--changed-since", "2026-02-30", "--format", "40x30"],
}


@pytest.mark.parametrize("case", list(CASES))
def test_jxc_labels_without_sqlalchemy_writes_what_the_full_path_writes(
        label_shop: Path, tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    con = sqlite3.connect(label_shop)
    numbers = [n.lower() for (n,) in con.execute("SELECT number FROM purchase ORDER BY id")]
    con.close()
    target = tmp_path / "labels.pdf"
    args = ["labels", *(a.format(*numbers) for a in CASES[case]), "--pdf", str(target)]
    rc, out, err = same_pdf_as_full_path(label_shop, args, target, capsys)
    if case in ("unknown code", "no code", "return", "unknown note", "changed none", "bad day"):
        assert rc != 0 and err and not target.exists(), (rc, out, err)
        return
    assert rc == 0 and str(target) in out, (out, err)
    shown, pages = _pdf(target)
    counts = {"codes": 4, "codes barcode": 1, "purchase": 4, "purchase per unit": 1, "changed": 4}
    assert f"Pages: {counts[case]}" in " ".join(pages.split()), pages
    assert "可乐" in shown and ("纯棉圆领T恤" in shown) == (case != "codes"), shown
