"""``jxc receipt`` and ``jxc shift slip`` read a file at head with sqlite3 alone (issue 15): the
receipt's sale or return, the shift with its figures and the shop's lines as SQL text equal what
the SQLAlchemy reads they replaced gave (documents_reference.py) on SQLite and PostgreSQL in four
zones — a sale paid two ways with a promotion and a cashier, a member's sale (the balances after it,
up to its moves or its time), sales on a customer's account (what was owed then), a sale returned
twice with one return voided, the returns themselves, an open and a closed shift — and the child
``jxc`` loads no SQLAlchemy and writes a PDF with the text and pages the full path's has."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import text

from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.errors import NotFoundError
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.promotion_rules import Kind
from jxc_desktop.domain.tender import Tender
from jxc_desktop.services.accounts.dto import CustomerInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.members.dto import MemberInput
from jxc_desktop.services.promotions.dto import PromotionInput
from jxc_desktop.services.purchasing.dto import (
    LineInput,
    NoteInput,
    ReturnInput,
    ReturnLineInput,
    SupplierInput,
)
from jxc_desktop.services.purchasing.note_detail import note_by_number, supplier_by_id
from jxc_desktop.services.sales.dto import ReturnItem
from jxc_desktop.services.sales.sale_receipt import SHOP_INFO_KEYS, sale_by_number, shop_info_of
from jxc_desktop.services.shop import till_config
from jxc_desktop.services.shop.stored_settings import settings_seen
from jxc_desktop.services.staff.shift_figures import shift_by_id
from jxc_desktop.services.stock.count_sheet import count_by_number, each_sheet_line
from jxc_desktop.services.stock.count_sheet import sheet_lines as count_sheet_lines
from tests.integration import documents_reference as ref
from tests.integration.test_cli_plain_reads import filled_file, full_path_output, jxc_process
from tests.integration.test_plain_reads_reference import read_in_other_zone, zone  # noqa: F401  (a fixture)

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NUMBERS = ["XS20260302-0001", "xs20260302-0002 ", "XS20260302-0003", "XS20260302-0004", "XS20260302-0005",
           "XS20260302-0006", "TH20260302-0001", "TH20260302-0002", "TH20260302-0003", "XS20990101-0001"]


def fill(services: Services) -> None:
    """Shop lines stored (the paper width too, as an older shop kept it), a cashier, a closed shift
    with a sale paid two ways under a promotion, a cash move and a return, and an open one with a
    sale; a member's sales (stored value and points, and one paid cash that moved no stored value);
    two sales on a customer's account; a sale returned twice, one return voided."""
    with services.db.write() as uow:
        for key, value in (("shop_name", "便民超市"), ("shop_address", "解放路 8 号"), ("shop_phone", "0371-1234"),
                           ("receipt_header", "欢迎光临"), ("receipt_width_mm", "58")):
            uow.session.execute(text("INSERT INTO setting (key, value) VALUES (:k, :v)"), {"k": key, "v": value})
        uow.commit()
    co = services.checkout
    cola = services.catalog.create_product(ProductInput(name="可乐", sale_price=300), opening_qty=500_000,
                                           opening_cost=150)
    rice = services.catalog.create_product(ProductInput(name="东北大米 5kg", sale_price=5000, unit="袋"),
                                           opening_qty=50_000, opening_cost=3000)
    biscuit = services.catalog.create_product(ProductInput(name="饼干", sale_price=800), opening_qty=50_000,
                                              opening_cost=400)
    wide = (datetime(2025, 1, 1), datetime(2026, 12, 31, 23, 0))
    # on a receipt in the order applied (饼干 first), not in their names' order
    services.promotions.add(PromotionInput("饼干特价", Kind.SPECIAL_PRICE, *wide, products=((biscuit.id, 700),)))
    services.promotions.add(PromotionInput("大米特价", Kind.SPECIAL_PRICE, *wide, products=((rice.id, 4500),)))
    wang = services.staff.add("王芳", "1", "1234").id
    member = services.members.add(MemberInput(phone="13800005678", name="陈建国"), at=AT)
    services.member_money.topup(member.id, 10_000, bonus=1_000, method="wechat", at=AT)
    inn = services.customers.add(CustomerInput("老街饭店", credit_limit=1_000_000))

    def sell(when: datetime, lines: tuple[tuple[int, int], ...], *fixed: Tender, rest: str = "cash",
             **options: int):  # type: ignore[no-untyped-def]
        """Paid with ``fixed``, the rest by ``rest``."""
        cart = Cart(tuple(co.line_for_product(pid, qty) for pid, qty in lines))
        if options.get("member_id"):
            cart = services.members.cart_for_member(cart, options["member_id"])
        due = co.price(cart, at=when).total - sum(t.amount for t in fixed)
        return co.post_sale(cart, [*fixed, Tender(rest, due)], confirmed=True, at=when, **options)  # type: ignore[arg-type]

    shift = services.shifts.open(wang, 20_000, at=AT, till="A")
    two_ways = sell(AT + timedelta(minutes=5), ((biscuit.id, 1000), (rice.id, 2000), (cola.id, 3000)),
                    Tender("wechat", 5000),
                    cashier_id=wang, shift_id=shift.id)
    services.shifts.cash_move(shift.id, -500, "送货费", person_id=wang, at=AT + timedelta(minutes=10))
    co.post_return(two_ways.number, [ReturnItem(two_ways.lines[2].id, 1000)], method="cash",
                   at=AT + timedelta(minutes=20), cashier_id=wang, shift_id=shift.id)
    services.shifts.close(shift.id, counted=20_000 + 4900 - 500 - 300, at=AT + timedelta(minutes=30))
    services.member_money.adjust_points(member.id, 500, "开卡礼")
    on_member = sell(AT + timedelta(minutes=40), ((rice.id, 1000), (cola.id, 2000)), Tender("stored_value", 3000),
                     Tender("points", 200), member_id=member.id)
    # a top-up at the very moment of a sale that moved no stored value: on its receipt
    services.member_money.topup(member.id, 500, method="cash", at=AT + timedelta(minutes=60))
    sell(AT + timedelta(minutes=60), ((cola.id, 1000),), member_id=member.id)
    services.member_money.topup(member.id, 2_000, method="cash", at=AT + timedelta(minutes=80))  # after: not on either
    sell(AT + timedelta(minutes=100), ((cola.id, 10_000),), rest="credit", customer_id=inn)
    twice = sell(AT + timedelta(minutes=120), ((cola.id, 5000),), Tender("cash", 1000), rest="credit", customer_id=inn)
    co.post_return(twice.number, [ReturnItem(twice.lines[0].id, 1000)], at=AT + timedelta(minutes=140))
    voided = co.post_return(twice.number, [ReturnItem(twice.lines[0].id, 2000)], at=AT + timedelta(minutes=160))
    with services.db.write() as uow:  # a voided return gives nothing back
        uow.session.execute(text("UPDATE sale SET status = 'reversed' WHERE id = :id"), {"id": voided.id})
        uow.session.execute(text("UPDATE sale_line SET status = 'reversed' WHERE sale_id = :id"), {"id": voided.id})
        uow.commit()
    services.member_money.adjust_points(member.id, 7, "补登")
    still = services.shifts.open(wang, 10_000, at=AT + timedelta(minutes=180), till="B")
    sell(AT + timedelta(minutes=181), ((cola.id, 1000),), cashier_id=wang, shift_id=still.id)
    assert on_member.number == "XS20260302-0002"
    fill_purchases(services, cola.id)


def fill_purchases(services: Services, cola: int) -> None:
    """A delivery with a batch (its dates), two returns against it (one voided), a free-standing
    return, a draft, a reversed delivery and one whose supplier was cleared."""
    pu = services.purchasing
    cold = services.suppliers.add(SupplierInput("长沙金达冷链", contact="刘", phone="0731-1", terms_days=30)).id
    other = services.suppliers.add(SupplierInput("Acme 食品", lead_time_days=3)).id
    milk = services.catalog.create_product(ProductInput(name="鲜牛奶", sale_price=800, spec="1L", unit="盒",
                                                        tracks_batches=True, shelf_life_days=10))
    day = AT.date()
    bought = pu.post(NoteInput(cold, (LineInput(cola, 24_000, 150), LineInput(milk.id, 12_000, 400, batch_no="B-1",
                                                                            production_date=day)),
                               doc_date=day, note="冷链到货"), at=AT)
    lines = {ln.product_id: ln.id for ln in bought.lines}
    pu.post_return(ReturnInput(cold, (ReturnLineInput(cola, 2000, lines[cola]), ReturnLineInput(milk.id, 1000, lines[milk.id])),
                               origin_id=bought.id, doc_date=day), at=AT + timedelta(minutes=5))
    voided = pu.post_return(ReturnInput(cold, (ReturnLineInput(cola, 3000, lines[cola]),), origin_id=bought.id,
                                        doc_date=day), at=AT + timedelta(minutes=6))
    pu.post_return(ReturnInput(other, (ReturnLineInput(cola, 1000),), doc_date=day), at=AT + timedelta(minutes=7))
    pu.save_draft(NoteInput(other, (LineInput(cola, 1000, 140),)))
    gone = pu.post(NoteInput(other, (LineInput(cola, 1000, 150),), doc_date=day), at=AT + timedelta(minutes=8))
    pu.reverse(gone.id, at=AT + timedelta(minutes=9), confirmed=True)
    cleared = pu.post(NoteInput(other, (LineInput(cola, 500, 150),), doc_date=day), at=AT + timedelta(minutes=10))
    with services.db.write() as uow:
        uow.session.execute(text("UPDATE purchase SET status = 'reversed' WHERE id = :id"), {"id": voided.id})
        uow.session.execute(text("UPDATE purchase SET supplier_id = NULL WHERE id = :id"), {"id": cleared.id})
        uow.commit()


T = TypeVar("T")


def read_alike(keys: Iterable[Any], old: Callable[[Any], T], new: Callable[[Any], T]) -> list[T]:
    """Each key read the old way and the new: the same document, or refused with the same words.
    Returns the documents found."""
    found = []
    for key in keys:
        try:
            was = old(key)
        except NotFoundError as exc:
            with pytest.raises(NotFoundError) as new_exc:
                new(key)
            assert new_exc.value.message == exc.message
            continue
        assert new(key) == was, key
        found.append(was)
    return found


def test_the_text_reads_what_the_orm_read(services: Services, zone: str) -> None:  # noqa: F811
    fill(services)
    with read_in_other_zone(services) as (s, rows):
        read = read_alike(NUMBERS, lambda n: ref.get_sale(s, n), lambda n: sale_by_number(rows, n))
        shifts = read_alike((1, 2, 3), lambda i: ref.get_shift(s, i), lambda i: shift_by_id(rows, i))
        assert shop_info_of(settings_seen(rows, SHOP_INFO_KEYS)) == ref.shop_info(s)
    assert len(read) == len(NUMBERS) - 1  # every sale and return of the one local day, in every zone
    assert [services.checkout.get_sale(n) for n in NUMBERS[:-1]] == read  # the service runs the same text
    assert services.shifts.get(1) == shifts[0] and services.checkout.shop_info() == ref_shop(services)
    # what the comparison covered
    by = {sale.number: sale for sale in read}
    two_ways, member, cash_member = by["XS20260302-0001"], by["XS20260302-0002"], by["XS20260302-0003"]
    owed, twice = by["XS20260302-0004"], by["XS20260302-0005"]
    assert {p.method for p in two_ways.payments} == {"wechat", "cash"} and two_ways.cashier == "王芳"
    assert [p.name for p in two_ways.promotions] == ["饼干特价", "大米特价"]
    assert two_ways.lines[2].returned_qty == 1000 and two_ways.lines[1].unit == "袋"
    assert member.member_name == "陈建国" and member.member_phone_tail == "5678" and member.points_earned > 0
    assert (member.member_points, member.member_stored_value) == (500 - 200 + member.points_earned, 11_000 - 3000)
    assert cash_member.member_stored_value == 8500  # up to its time: that moment's top-up, the later one not yet
    assert (owed.customer_name, owed.balance_owed, twice.balance_owed) == ("老街饭店", 3000, 3500)
    assert twice.lines[0].returned_qty == 1000  # the voided return's 2 not counted
    assert by["TH20260302-0001"].origin_number == two_ways.number and by["TH20260302-0001"].promotions == ()
    assert [sh.status for sh in shifts] == ["closed", "open"] and shifts[0].cash_out == 500
    assert ref_shop(services).width_mm == 58 and ref_shop(services).name == "便民超市"


def test_the_notes_read_what_the_orm_read(services: Services) -> None:
    fill(services)
    with read_in_other_zone(services) as (s, rows):
        numbers = [n for (n,) in s.execute(text("SELECT number FROM purchase ORDER BY id"))]
        notes = read_alike([*numbers, numbers[0].lower() + " ", "CG20990101-0001"],
                           lambda n: ref.get_by_number(s, n), lambda n: note_by_number(rows, n))
        suppliers = [ref.get_supplier(s, sid) for sid in (1, 2)]
        assert [supplier_by_id(rows, sid) for sid in (1, 2)] == suppliers
        with pytest.raises(NotFoundError):
            supplier_by_id(rows, 3)
    assert [services.purchasing.get_by_number(n.number) for n in notes[:len(numbers)]] == notes[:len(numbers)]
    assert [services.suppliers.get(sid) for sid in (1, 2)] == suppliers  # the services run the same text
    # what the comparison covered
    assert len(notes) == len(numbers) + 1 and len(numbers) == 7
    bought = notes[0]
    assert [ln.returned_qty for ln in bought.lines] == [2000, 1000]  # the voided return's 3 not counted
    assert bought.lines[1].tracks_batches and bought.lines[1].expiry_date is not None and bought.lines[1].spec == "1L"
    assert notes[1].origin_number == bought.number and notes[3].origin_number == ""
    assert {n.status for n in notes} == {"posted", "reversed", "draft"} and notes[-2].supplier_name == ""
    assert suppliers[0].last_purchase_date == AT.date() and suppliers[0].terms_days == 30


def ref_shop(services: Services):  # type: ignore[no-untyped-def]
    with services.db.read() as uow:
        return ref.shop_info(uow.session)


def test_the_shop_lines_as_this_till_sees_them(services: Services, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The paper width this till keeps in its own file wins over the shop's (and a width that is
    no choice prints at 80), read alike by both."""
    monkeypatch.setenv("JXC_CONFIG_DIR", str(tmp_path / "pc"))
    for stored, local, width in (("58", None, 58), ("58", "80", 80), ("80", "58", 58), ("72", None, 80), (None, None, 80)):
        with services.db.write() as uow:
            uow.session.execute(text("DELETE FROM setting WHERE key = 'receipt_width_mm'"))
            if stored is not None:
                uow.session.execute(text("INSERT INTO setting (key, value) VALUES ('receipt_width_mm', :v)"),
                                    {"v": stored})
            uow.commit()
        (tmp_path / "pc").mkdir(exist_ok=True)
        (tmp_path / "pc" / "till.json").unlink(missing_ok=True)
        if local is not None:
            till_config.write_local({"receipt_width_mm": local})
        with services.db.read() as uow:
            old = ref.shop_info(uow.session)
            from jxc_desktop.db.text_reads import SessionRows

            assert shop_info_of(settings_seen(SessionRows(uow.session), SHOP_INFO_KEYS)) == old
        assert old.width_mm == width and old.footer == "谢谢惠顾，欢迎再次光临！", (stored, local)


@pytest.fixture
def shop(db_path: Path) -> Path:
    return filled_file(db_path, fill)


def _pdf(path: Path) -> tuple[str, str]:
    """The PDF's text (without the moment it was printed) and its page count and size."""
    shown = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                           text=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    pages = [line for line in info.splitlines() if line.startswith(("Pages:", "Page size:"))]
    return "\n".join(line for line in shown.splitlines() if "Printed:" not in line), "\n".join(pages)


def same_pdf_as_full_path(shop: Path, args: list[str], target: Path,
                          capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The child jxc loads no SQLAlchemy, reads plain, says what the full path says and writes a
    PDF whose text and pages are the full path's (the bytes differ by their creation time)."""
    plain = jxc_process("--db", str(shop), *args)
    assert plain["sqlalchemy"] is False and plain["plain"] is True, plain
    plain_pdf = target.with_name("plain.pdf")
    if target.exists():
        shutil.move(target, plain_pdf)
    full = full_path_output(shop, args, capsys)
    assert (plain["rc"], plain["out"], plain["err"]) == full
    assert target.exists() == plain_pdf.exists()
    if target.exists():
        assert _pdf(plain_pdf) == _pdf(target)
    return full


@pytest.mark.parametrize("args", [["XS20260302-0001"], ["xs20260302-0002", "--width", "80"], ["XS20260302-0003"],
                                  ["XS20260302-0004", "--width", "58"], ["XS20260302-0005"], ["TH20260302-0001"],
                                  ["TH20260302-0002"], ["XS20990101-0001"]], ids=" ".join)
def test_jxc_receipt_without_sqlalchemy_writes_what_the_full_path_writes(
        shop: Path, tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "receipt.pdf"
    rc, out, err = same_pdf_as_full_path(shop, ["receipt", *args, "--pdf", str(target)], target, capsys)
    if args[0].startswith("XS2099"):
        assert rc != 0 and "XS20990101-0001" in err and not target.exists()
    else:
        assert rc == 0 and out.startswith(args[0].strip().upper()), out
        shown, pages = _pdf(target)
        assert "便民超市" in shown and pages.split()[:2] == ["Pages:", "1"], (shown, pages)


def test_jxc_receipt_reads_the_width_this_till_keeps(shop: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """The shop stored 58 mm; this till's own file says 80 (what the full path prints on)."""
    till_config.write_local({"receipt_width_mm": "80"})
    target = tmp_path / "receipt.pdf"
    same_pdf_as_full_path(shop, ["receipt", "XS20260302-0001", "--pdf", str(target)], target, capsys)
    narrow = tmp_path / "narrow.pdf"
    till_config.write_local({"receipt_width_mm": "58"})
    same_pdf_as_full_path(shop, ["receipt", "XS20260302-0001", "--pdf", str(narrow)], narrow, capsys)
    assert _pdf(target)[1] != _pdf(narrow)[1]  # the page sizes differ: the width was read


@pytest.mark.parametrize("args", [["1"], ["2", "--width", "80"], ["3"]], ids=" ".join)
def test_jxc_shift_slip_without_sqlalchemy_writes_what_the_full_path_writes(
        shop: Path, tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "slip.pdf"
    rc, out, err = same_pdf_as_full_path(shop, ["shift", "slip", *args, "--pdf", str(target)], target, capsys)
    if args[0] == "3":
        assert rc != 0 and "3" in err and not target.exists()
    else:
        assert rc == 0, err
        shown, _ = _pdf(target)
        assert "王芳" in shown and "便民超市" in shown, shown


@pytest.mark.parametrize("which", [0, 1, 3, 4, 5, 6, None], ids=lambda w: f"note {w}")
def test_jxc_purchase_pdf_without_sqlalchemy_writes_what_the_full_path_writes(
        shop: Path, tmp_path: Path, which: int | None, capsys: pytest.CaptureFixture[str]) -> None:
    """A delivery with a batch and returns against it, a return against it, a free-standing one, a
    draft, a reversed delivery, one of no supplier (by their order in the file), an unknown number."""
    con = sqlite3.connect(shop)
    numbers = [n for (n,) in con.execute("SELECT number FROM purchase ORDER BY id")]
    con.close()
    number = numbers[which] if which is not None else "CG20990101-0001"
    target = tmp_path / "note.pdf"
    rc, out, err = same_pdf_as_full_path(shop, ["purchase", "pdf", number, "--pdf", str(target)], target, capsys)
    if which is None:
        assert rc != 0 and number in err and not target.exists()
    else:
        assert rc == 0 and out.strip() == str(target), (out, err)
        shown, _ = _pdf(target)
        assert number in shown and "便民超市" in shown and "可乐" in shown, shown
        if which in (0, 1):
            assert "长沙金达冷链" in shown and "0731-1" in shown, shown


def fill_counts(services: Services) -> None:
    """test_count_list_plain's counts (posted with gains and losses, open over two categories with a
    batch, cancelled, open and empty), then an open count of a new category: a product of two
    barcodes (the unit's first), batches by expiry (one of none), counted up, down and as booked;
    then a product of the posted count's gains bought at another cost."""
    from tests.integration.test_count_list_plain import fill as count_fill

    count_fill(services)
    cat = services.catalog
    boxes = cat.create_category("整箱").id
    cat.create_product(ProductInput(name="可乐", sale_price=300, category="整箱",
                                    barcodes=(("16901234567899", 12), ("6901234567892", 1))),
                       opening_qty=50_000, opening_cost=150, at=AT)
    cat.create_product(ProductInput(name="酸奶", sale_price=600, category="整箱", tracks_batches=True))
    cat.create_product(ProductInput(name="雪碧", sale_price=300, category="整箱"), opening_qty=10_000,
                       opening_cost=140, at=AT)
    sc = services.stock_count
    boxed = sc.open([boxes], at=AT + timedelta(hours=8))
    yoghurt = next(line.product_id for line in sc.lines(boxed.id) if line.name == "酸奶")
    for batch, expiry in (("B-9", AT.date() + timedelta(days=30)), ("B-8", AT.date() + timedelta(days=3)),
                          ("B-7", None)):
        sc.add_batch(boxed.id, yoghurt, batch, expiry)
    for line in sc.lines(boxed.id):
        qty = {("可乐", ""): 49_000, ("雪碧", ""): 10_000, ("酸奶", "B-8"): 2_000}.get((line.name, line.batch_no))
        if qty is not None:
            sc.set_counted(boxed.id, line.id, qty, at=AT + timedelta(hours=9))
    # bought dearer after the posted count: its lines show the cost it was posted at, not today's average
    gained = next(line.product_id for line in sc.lines(1) if line.diff_qty > 0)
    sup = services.suppliers.add(SupplierInput("后来的供应商")).id
    services.purchasing.post(NoteInput(sup, (LineInput(gained, 10_000, 900),)), at=AT + timedelta(hours=10))


def test_the_counts_read_what_the_orm_read(services: Services) -> None:
    fill_counts(services)
    with read_in_other_zone(services) as (s, rows):
        numbers = [n for (n,) in s.execute(text("SELECT number FROM stock_count ORDER BY id"))]
        read = read_alike([*numbers, numbers[0].lower() + " ", "PD20990101-0001"],
                          lambda n: ref.count_of_number(s, n), lambda n: count_by_number(rows, n))
        for old in read:
            for only in (True, False):
                assert count_sheet_lines(rows, old.id, old.status, differences_only=only) == \
                    ref.sheet_lines(s, old.id, differences_only=only), (old.number, only)
            assert list(each_sheet_line(rows, old.id)) == list(ref.iter_sheet_lines(s, old.id)), old.number
        read_alike([10**6], lambda i: list(ref.iter_sheet_lines(s, i)), lambda i: list(each_sheet_line(rows, i)))
    sc = services.stock_count
    assert [sc.by_number(c.number) for c in read] == read  # the service runs the same text
    assert [sc.sheet_lines(c.id, differences_only=True) for c in read] == \
        [ref_sheet(services, c.id) for c in read]
    assert [list(sc.iter_sheet_lines(c.id)) for c in read] == [sc.sheet_lines(c.id) for c in read]
    # what the comparison covered
    assert len(read) == len(numbers) + 1 and len(numbers) == 5
    gain = next(line for line in sc.sheet_lines(read[0].id, differences_only=True) if line.diff_qty > 0)
    now = services.catalog.get_by_code(gain.code)
    assert now is not None and gain.avg_cost != now.avg_cost  # as posted, not today's average
    posted = sc.sheet_lines(read[0].id, differences_only=True)
    assert posted and all(line.diff_qty for line in posted) and sc.sheet_lines(read[0].id)[-1].category == ""
    boxed = sc.sheet_lines(read[4].id)
    assert [line.name for line in sc.sheet_lines(read[4].id, differences_only=True)] == ["可乐", "酸奶"]
    assert [line.barcode for line in boxed if line.name == "可乐"] == ["6901234567892"]
    assert len([line for line in boxed if line.name == "酸奶"]) == 4


def ref_sheet(services: Services, count_id: int) -> list[object]:
    with services.db.read() as uow:
        return ref.sheet_lines(uow.session, count_id, differences_only=True)  # type: ignore[return-value]


@pytest.fixture
def count_shop(db_path: Path) -> Path:
    return filled_file(db_path, fill_counts)


@pytest.mark.parametrize("blank", [[], ["--blank"]], ids=["variance", "blank"])
@pytest.mark.parametrize("which", [0, 1, 2, 3, 4, None], ids=lambda w: f"count {w}")
def test_jxc_count_pdf_without_sqlalchemy_writes_what_the_full_path_writes(
        count_shop: Path, tmp_path: Path, which: int | None, blank: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """The variance report and the blank sheet (every line, streamed; one count has none) of each
    count (by their order in the file), and of an unknown number."""
    con = sqlite3.connect(count_shop)
    numbers = [n for (n,) in con.execute("SELECT number FROM stock_count ORDER BY id")]
    con.close()
    number = numbers[which] if which is not None else "PD20990101-0001"
    target = tmp_path / "count.pdf"
    rc, out, err = same_pdf_as_full_path(count_shop, ["count", "pdf", number.lower(), *blank, "--pdf", str(target)],
                                         target, capsys)
    if which is None:
        assert rc != 0 and number in err and not target.exists()
        return
    assert rc == 0 and out.strip() == str(target), (out, err)
    shown = _pdf(target)[0]
    assert number in shown
    if blank:
        assert ("This count has no lines." in shown) == (which == 3), shown
        if which == 4:
            assert shown.count("酸奶") == 4 and "6901234567892" in shown, shown


@pytest.mark.parametrize("args", [["--pdf"], ["--json", "--width", "80", "--pdf"]], ids=" ".join)
def test_jxc_sales_summary_pdf_without_sqlalchemy_writes_what_the_full_path_writes(
        shop: Path, tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """The end-of-day slip's shop lines too (they took the full path before)."""
    target = tmp_path / "day.pdf"
    rc, out, _ = same_pdf_as_full_path(shop, ["sales", "summary", "--date", "2026-03-02", *args, str(target)],
                                       target, capsys)
    assert rc == 0 and "便民超市" in _pdf(target)[0] and out, out


def test_the_blank_sheet_steps_its_lines(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lines come through Rows.each (the sqlite3 cursor as it steps; the service's a few
    thousand at a time), not one list of them all."""
    from jxc_desktop.db import text_reads
    from jxc_desktop.db.text_reads import SessionRows
    from jxc_desktop.services.stock import count_sheet

    fill_counts(services)
    asked: list[str] = []

    class Watched(SessionRows):
        def all(self, sql: str, **params: object) -> list[tuple[Any, ...]]:
            asked.append("all")
            return super().all(sql, **params)

        def each(self, sql: str, **params: object) -> Iterable[tuple[Any, ...]]:
            asked.append("each" if sql == count_sheet.EVERY_LINE else "?")
            return SessionRows.all(self, sql, **params)

    every = services.stock_count.sheet_lines(5)
    with services.db.read() as uow:
        lines = count_sheet.each_sheet_line(Watched(uow.session), 5)
        assert asked == [] and next(lines) == every[0] and asked == ["all", "each"]  # the status, then the lines
        stepped = SessionRows(uow.session).each(count_sheet.EVERY_LINE, count_id=5, **count_sheet.ORDER_BINDS)
        assert not isinstance(stepped, list) and len(list(stepped)) == len(every) > 0
        whole = SessionRows(uow.session).all(count_sheet.EVERY_LINE, count_id=5, **count_sheet.ORDER_BINDS)
        monkeypatch.setattr(text_reads, "EACH_ROWS", 2)  # a few rows at a time: the same rows, in order
        assert list(SessionRows(uow.session).each(count_sheet.EVERY_LINE, count_id=5,
                                                  **count_sheet.ORDER_BINDS)) == whole
