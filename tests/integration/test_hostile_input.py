"""Hostile and broken input: random and adversarial values fed to the service entry points, the
product import, money/quantity parsing, the PIN and the command line.

Whatever comes in, only the domain's errors (JxcError subclasses, with a message) may come out, a
rejected call leaves the database file byte-for-byte as it was, and exports never emit a cell a
spreadsheet would run as a formula. The number of inputs tried is printed at the end (``-s``).
"""

from __future__ import annotations

import contextlib
import csv
import io
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jxc_desktop.cli import main as jxc
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.money import parse_yuan
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.quantity import parse_qty
from jxc_desktop.files import tabular

TRIED: Counter[str] = Counter()
FOUND: list[str] = []
OUTCOME: Counter[str] = Counter()

NASTY_TEXT = [
    "", " ", "-0", "+0", "-0.00", "0.001", "NaN", "nan", "-NaN", "Infinity", "-Infinity", "inf", "1e308", "1E-5",
    "9" * 400, "-" + "9" * 40, "0x1F", "1_000", "１２３", "٣", "12,34,5", "¥-1", "￥1.2.3", "1.", ".5",
    "'; DROP TABLE product; --", "\" OR 1=1 --", "Robert'); DELETE FROM sale;--", "%", "_", "\\", "%_%",
    "=HYPERLINK(\"http://evil.example\",\"点我\")", "=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
    "\t=1", "\r=1", "=cmd|'/c calc'!A1",
    "\x00", "a\x00b", "\x07bell", "line\nbreak", "tab\tchar", "\u202eevil\u202c", "\u2066x\u2069", "\u200f\u200e",
    "\ufeffbom", "😀" * 5, "👨‍👩‍👧‍👦", "𠜎𠜱𠝹", "\ud7ff", "A" * 10_000, "名" * 10_000, "\U0010ffff",
]

hostile_text = st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=300),
                         st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60))
hostile_int = st.one_of(st.sampled_from([0, -1, -0, 1, 2**31, 2**63, -(2**63), 10**30, 10_000_000_001]),
                        st.integers(min_value=-(10**20), max_value=10**20))
HYP = settings(max_examples=50, deadline=None, derandomize=True,
               suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _state(path: Path) -> tuple[bytes, bytes]:
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes(), wal.read_bytes() if wal.exists() else b""


@contextlib.contextmanager
def rejected_changes_nothing(path: Path, what: str) -> Iterator[None]:
    """Count one input; a JxcError must leave the file as it was, anything else is a finding."""
    TRIED[what] += 1
    before = _state(path)
    try:
        yield
        OUTCOME["accepted"] += 1
    except JxcError as exc:
        OUTCOME["rejected"] += 1
        assert exc.message.strip(), f"{what}: an error without a message"
        after = _state(path)
        if after != before:
            FOUND.append(f"{what}: rejected call changed the file ({exc.english[:80]})")
        assert after == before, f"{what}: the rejected call changed the database file"


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    total = sum(TRIED.values())
    print(f"\nhostile inputs: {total} tried ({dict(TRIED)}); service calls {dict(OUTCOME)}; "
          f"findings: {FOUND or 'none'}")


def test_money_and_quantity_parsing() -> None:
    @HYP
    @given(st.one_of(hostile_text, st.from_regex(r"[+-]?\d{1,30}(\.\d{0,5})?", fullmatch=True)))
    def run(text: str) -> None:
        for parse in (lambda t: parse_yuan(t, allow_negative=True), parse_yuan,
                      lambda t: parse_qty(t, allow_zero=True), parse_qty):
            TRIED["parse"] += 1
            try:
                value = parse(text)
            except JxcError as exc:
                assert exc.message
                continue
            assert type(value) is int and abs(value) <= 10**12

    run()
    for text in NASTY_TEXT:
        for parse in (parse_yuan, parse_qty):
            TRIED["parse"] += 1
            with contextlib.suppress(JxcError):
                assert type(parse(text)) is int
    with pytest.raises(JxcError):
        parse_yuan("NaN")
    with pytest.raises(JxcError):
        parse_qty("Infinity")
    assert parse_yuan("-0") == 0 and parse_qty("-0", allow_zero=True) == 0


def test_catalog_create_update_search(services, db_path: Path, make_product) -> None:
    existing = make_product("现有商品", 100, 50, 1)

    @HYP
    @given(name=hostile_text, code=hostile_text, spec=hostile_text, unit=hostile_text, category=hostile_text,
           price=hostile_int, cost=hostile_int, min_stock=hostile_int, barcode=hostile_text, mult=hostile_int,
           opening=hostile_int, shelf=st.one_of(st.none(), hostile_int))
    def run(name: str, code: str, spec: str, unit: str, category: str, price: int, cost: int, min_stock: int,
            barcode: str, mult: int, opening: int, shelf: int | None) -> None:
        data = ProductInput(name=name, code=code, spec=spec, unit=unit, category=category, sale_price=price,
                            ref_cost=cost, min_stock=min_stock, shelf_life_days=shelf,
                            barcodes=((barcode, mult),) if barcode else ())
        with rejected_changes_nothing(db_path, "catalog.create_product"):
            services.catalog.create_product(data, create_category=True, opening_qty=opening)
        with rejected_changes_nothing(db_path, "catalog.update_product"):
            services.catalog.update_product(existing.id, data)
        with rejected_changes_nothing(db_path, "catalog.search"):
            services.catalog.search(name)
        with rejected_changes_nothing(db_path, "catalog.find_by_barcode"):
            services.catalog.find_by_barcode(barcode)
        with rejected_changes_nothing(db_path, "catalog.create_category"):
            services.catalog.create_category(category)

    run()
    con = sqlite3.connect(db_path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_settings_and_pin(services, db_path: Path) -> None:
    from jxc_desktop.services.shop.settings import DEFAULTS

    services.pin.set_pin("246810")
    keys = st.one_of(st.sampled_from(sorted(DEFAULTS)), hostile_text)

    @HYP
    @given(key=keys, value=st.one_of(hostile_text, hostile_int.map(str)), pin=hostile_text)
    def run(key: str, value: str, pin: str) -> None:
        with rejected_changes_nothing(db_path, "settings.update"):
            services.settings.update({key: value})
        TRIED["pin.authorize"] += 1
        if pin != "246810":
            with pytest.raises(JxcError):
                services.pin.authorize("refund", pin)
            if services.pin.status().locked_until is not None:  # five wrong: unlock to go on trying
                services.pin.reset(reason="test")
                services.pin.set_pin("246810")

    run()


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf).writerows([["货号", "名称", "规格", "单位", "分类", "售价", "进价", "条码", "最低库存",
                                "保质期天数", "批次管理"], *rows])
    path.write_text(buf.getvalue(), encoding="utf-8")


def test_product_import_and_export(services, db_path: Path, tmp_path: Path) -> None:
    cell = st.one_of(hostile_text, hostile_int.map(str))

    @HYP
    @given(st.lists(st.lists(cell, min_size=11, max_size=11), min_size=1, max_size=4))
    def run(rows: list[list[str]]) -> None:
        src = tmp_path / "hostile.csv"
        try:
            _write_csv(src, rows)
        except UnicodeEncodeError:
            return  # lone surrogates cannot even be written to a file
        with rejected_changes_nothing(db_path, "product_io.import_products"):
            services.product_io.import_products(src, create_categories=True)

    run()
    for name in NASTY_TEXT:  # every accepted hostile name ends up in the export
        with rejected_changes_nothing(db_path, "catalog.create_product(nasty)"):
            services.catalog.create_product(ProductInput(name=name, spec=name[:60], unit=name[:16]),
                                            create_category=False)
    for suffix in (".csv", ".xlsx"):
        out = tmp_path / f"export{suffix}"
        TRIED["product_io.export_products"] += 1
        services.product_io.export_products(out)
        for value in _cells(out):
            if isinstance(value, str) and value[:1] in tabular.FORMULA_TRIGGERS:
                assert tabular._NUMBER_RE.match(value.strip()), f"{suffix}: a cell a spreadsheet would run: {value!r}"


def _cells(path: Path) -> Iterator[Any]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                yield from row
        return
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"formula cell {c.coordinate}: {c.value!r}"
                yield c.value


def test_command_line(capsys, db_path: Path, tmp_path: Path, monkeypatch) -> None:
    db = str(db_path)
    # Relative paths in the hostile arguments (backup --to nan) must land in the test's folder.
    monkeypatch.chdir(tmp_path)
    commands: list[Callable[[str], list[str]]] = [
        lambda t: ["backup", "--to", t], lambda t: ["restore", t, "--yes"], lambda t: ["audit", "--since", t],
        lambda t: ["audit", "--action", t, "--text", t], lambda t: ["pin", "set", "--new-pin-file", t],
        lambda t: ["--pin-file", t, "pin", "clear"], lambda t: ["stock", "--expiring", t],
        lambda t: ["count", "post", t], lambda t: ["products", "import", t],
    ]

    @HYP
    @given(st.sampled_from(range(len(commands))), hostile_text.filter(lambda t: "\x00" not in t))
    def run(which: int, text: str) -> None:
        argv = ["--db", db, *commands[which](text)]
        TRIED["jxc"] += 1
        before = _state(db_path)
        try:
            code = jxc(argv)
        except SystemExit as exc:  # argparse: usage error
            code = exc.code
        err = capsys.readouterr().err
        assert code in (0, 1, 2), (argv, code)
        if code == 2:
            assert err.strip(), argv
            if _state(db_path) != before and "backup" not in argv and "audit" not in argv:
                FOUND.append(f"jxc {argv[2:4]}: refused but the file changed")

    run()


def test_documents_checkout_purchase_count_suppliers(services, db_path: Path, make_product) -> None:
    from jxc_desktop.domain.cart import Cart, CartLine
    from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput
    from jxc_desktop.services.sales.dto import ReturnItem, Tender

    product = make_product("矿泉水", 200, 100, 50, barcode="6901234567892")
    supplier = services.suppliers.add(SupplierInput(name="正常供应商")).id
    count = services.stock_count.open()
    sale = services.checkout.post_sale(Cart((services.checkout.line_for_product(product.id, 2000),)),
                                       [Tender("cash", 400)])
    ids = st.one_of(st.sampled_from([product.id, supplier, count.id]), hostile_int)
    methods = st.one_of(st.sampled_from(["cash", "wechat", "alipay", "card"]), hostile_text)

    @HYP
    @given(text=hostile_text, n=hostile_int, m=hostile_int, pid=ids, method=methods)
    def run(text: str, n: int, m: int, pid: int, method: str) -> None:
        with rejected_changes_nothing(db_path, "checkout.line_for_scan"):
            services.checkout.line_for_scan(text)
        line = CartLine(pid, text, n, m, barcode=text[:40], line_discount=abs(n) % 10**12)
        with rejected_changes_nothing(db_path, "checkout.post_sale"):
            services.checkout.post_sale(Cart((line,), sale_discount=m), [Tender(method, n)])
        with rejected_changes_nothing(db_path, "checkout.post_return"):
            services.checkout.post_return(text or sale.number, [ReturnItem(sale.lines[0].id, n)], method=method)
        with rejected_changes_nothing(db_path, "held_sales.hold"):
            services.held_sales.hold(Cart((line,)), text)
        with rejected_changes_nothing(db_path, "purchasing.post"):
            services.purchasing.post(NoteInput(pid, (LineInput(pid, n, m, batch_no=text),), note=text))
        with rejected_changes_nothing(db_path, "suppliers.add"):
            services.suppliers.add(SupplierInput(name=text, contact=text, phone=text, address=text))
        with rejected_changes_nothing(db_path, "stock_count.scan"):
            services.stock_count.scan(count.id, text)
        with rejected_changes_nothing(db_path, "stock_count.add"):
            services.stock_count.add(count.id, pid, n)

    run()
    from jxc_desktop.services.safety.books_check import run_check

    assert run_check(services.db).ok
