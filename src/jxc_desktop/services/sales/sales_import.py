"""Sales from a file (an online shop's order export, a day of handwritten notes): all or nothing.

Columns (English or Chinese headers, any order): time, barcode or product code, qty, unit price,
payment method; optional order number (one sale per order, else one sale per row). The quantity
counts what the barcode stands for (a case barcode of 12: qty 2 = 24 units) and the unit price is per
that barcode's pack, so a line's amount is exactly qty × price as on the order.

Every bad row is listed (``ImportRejected``) and nothing is written unless every row is good. The
sales post through the till's own path (``checkout.post_sale_in``: cost snapshots, FEFO batches,
the negative-stock policy), all of them in one transaction, dated at their time in the file; the
goods leave the shelf at the average cost of the moment of the import, like a sale rung up late.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Barcode, Product, Sale, StockMove
from jxc_desktop.db.uow import Database
from jxc_desktop.domain import cart as cartlib
from jxc_desktop.domain.cart import Cart, CartLine
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.costing import div_round, value_of
from jxc_desktop.domain.errors import InsufficientStockError, JxcError, ValidationError
from jxc_desktop.domain.money import parse_yuan
from jxc_desktop.domain.quantity import parse_qty
from jxc_desktop.domain.tender import Tender
from jxc_desktop.domain.wall_time import parse_day_or_time
from jxc_desktop.files.tabular import NumberColumn, TableRow, find_columns, read_table
from jxc_desktop.services.accounts import api as accounts
from jxc_desktop.services.catalog.api import ImportRejected, RowError
from jxc_desktop.services.sales.checkout import post_sale_in
from jxc_desktop.services.sales.sale_settings import sale_rules

HEADERS: dict[str, tuple[str, ...]] = {
    "time": ("time", "date", "时间", "日期", "销售时间", "下单时间", "付款时间"),
    "barcode": ("barcode", "条码", "条形码", "商品条码"),
    "code": ("code", "货号", "商品编码", "编码", "自编码"),
    "qty": ("qty", "quantity", "数量", "销售数量"),
    "price": ("unit price", "unit_price", "price", "单价", "售价", "销售单价"),
    "payment": ("payment", "payment method", "付款方式", "支付方式", "结算方式"),
    "order": ("order", "order no", "order number", "单号", "订单号", "订单编号"),
    "customer": ("customer", "客户", "客户名称", "顾客"),  # who owes a sale paid "credit" (挂账)
}
# What owners and online shops write for the till's four methods (domain/tender.METHODS).
PAYMENT_WORDS: dict[str, str] = {
    "cash": "cash", "现金": "cash",
    "wechat": "wechat", "微信": "wechat", "微信支付": "wechat",
    "alipay": "alipay", "支付宝": "alipay",
    "card": "card", "bank card": "card", "银行卡": "card", "刷卡": "card", "银联": "card",
    "credit": "credit", "on account": "credit", "挂账": "credit", "赊账": "credit", "赊销": "credit",
}
MAX_SALES = 5000  # one file; a larger history is several files
ORDER_NOTE = "导入订单 {order}"  # the sale's note; an order already imported is refused the second time
FILE_NOTE = "导入 {file}"  # a sale without an order number


@dataclass(frozen=True)
class ImportedSale:
    """One sale as the file gives it: the first row's number, its time, method, lines and order."""

    row: int
    order: str
    at: datetime
    method: str
    lines: tuple[CartLine, ...]
    customer_id: int | None = None  # the customer column: who owes a "credit" sale

    @property
    def total(self) -> int:
        return sum(line.gross for line in self.lines)


@dataclass(frozen=True)
class PostedSale:
    number: str
    order: str
    at: datetime
    lines: int
    total: int  # fen
    method: str


def _columns(headers: list[str]) -> dict[str, str]:
    cols = find_columns(headers, HEADERS)
    missing = [HEADERS[f][0] for f in ("time", "qty", "price", "payment") if f not in cols]
    if "barcode" not in cols and "code" not in cols:
        missing.insert(1, "barcode / code")
    if missing:
        raise ValidationError("The file lacks the column(s): {names}", names=", ".join(missing))
    return cols


def payment_method(text: str) -> str:
    method = PAYMENT_WORDS.get(text.strip().lower())
    if method is None:
        raise ValidationError("Unknown payment method {method}", method=text.strip()[:20] or "-")
    return method


def _customer(session: Session, name: str, method: str) -> int | None:
    name = name.strip()
    if not name:
        if method == "credit":
            raise ValidationError("A sale on account (credit) needs the customer column")
        return None
    found = accounts.customer_by_name(session, name)
    if found is None:
        raise ValidationError("Unknown customer {name}: add it first (jxc customers add)", name=name[:100])
    if not found[1]:
        raise ValidationError("Customer {name} is deactivated", name=name[:100])
    return found[0]


def _order_note(order: str) -> str:
    return ORDER_NOTE.format(order=order)


@dataclass
class _Lookup:
    """The products the file names, read once: by barcode (with its pack multiplier) and by code."""

    by_barcode: dict[str, tuple[int, Product]]
    by_code: dict[str, Product]

    def find(self, barcode: str, code: str) -> tuple[int, Product]:
        if barcode:
            if barcode not in self.by_barcode:
                raise ValidationError("Unknown barcode {code}", code=barcode[:40])
            return self.by_barcode[barcode]
        if not code:
            raise ValidationError("The row names no product: fill in the barcode or the code")
        if code not in self.by_code:
            raise ValidationError("No product has the code {code}", code=code[:40])
        return 1, self.by_code[code]


def _lookup(session: Session, rows: list[TableRow], cols: dict[str, str]) -> _Lookup:
    barcodes = {r.get(cols.get("barcode", ""), "").strip() for r in rows} - {""}
    codes = {r.get(cols.get("code", ""), "").strip() for r in rows} - {""}
    by_barcode: dict[str, tuple[int, Product]] = {}
    by_code: dict[str, Product] = {}
    for chunk in _chunks(sorted(barcodes)):
        for code, mult, prod in session.execute(
                select(Barcode.code, Barcode.multiplier, Product).join(Product, Product.id == Barcode.product_id)
                .where(Barcode.code.in_(chunk))):
            by_barcode[code] = (mult, prod)
    for chunk in _chunks(sorted(codes)):
        for prod in session.scalars(select(Product).where(Product.code.in_(chunk))):
            by_code[prod.code] = prod
    return _Lookup(by_barcode, by_code)


def _chunks(items: list[str], size: int = 500) -> list[list[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _line(r: TableRow, cols: dict[str, str], found: _Lookup, qtys: NumberColumn, prices: NumberColumn) -> CartLine:
    barcode = r.cell(cols.get("barcode")).strip()
    mult, prod = found.find(barcode, r.cell(cols.get("code")).strip())
    if not prod.active:
        raise ValidationError("{name} is deactivated and cannot be sold", name=prod.name)
    packs = parse_qty(qtys.text(r.cell(cols["qty"]), "Quantity"), field="Quantity")
    pack_price = parse_yuan(prices.text(r.cell(cols["price"]), "Unit price"), field="Unit price")
    qty = cartlib.check_qty(packs * mult)
    cartlib.check_price(pack_price)
    if mult == 1:  # a unit barcode or a code: the price is per unit, as at the till
        return CartLine(prod.id, prod.name, pack_price, qty, barcode=barcode, unit=prod.unit)
    # A pack barcode: the order's amount is packs × pack price, exactly; the unit price is its share.
    return CartLine(prod.id, prod.name, div_round(pack_price, mult), qty, barcode=barcode, unit=prod.unit,
                    fixed_amount=value_of(packs, pack_price))


def read_sales(session: Session, path: Path | str, *, now: datetime | None = None) -> list[ImportedSale]:
    """Check every row; raise ImportRejected listing all bad rows, else the sales in file order."""
    headers, rows = read_table(path, vocabulary={name for names in HEADERS.values() for name in names})
    cols = _columns(headers)
    if not rows:
        raise ValidationError("The file has no lines")
    now = now or utcnow()
    found = _lookup(session, rows, cols)
    qtys = NumberColumn(r.get(cols["qty"], "") for r in rows)
    prices = NumberColumn(r.get(cols["price"], "") for r in rows)
    errors: list[RowError] = []
    groups: dict[str, list[tuple[TableRow, datetime, str, CartLine]]] = {}
    customers: dict[str, int | None] = {}
    for r in rows:
        try:
            at = parse_day_or_time(r.cell(cols["time"]))
            if at > now:
                raise ValidationError("The time {value} is in the future", value=r.cell(cols["time"]).strip())
            method = payment_method(r.cell(cols["payment"]))
            line = _line(r, cols, found, qtys, prices)
            customer = _customer(session, r.cell(cols.get("customer")), method)
            order = r.cell(cols.get("order")).strip()
            if len(order) > 60:
                raise ValidationError("{field} is longer than {limit} characters", field="Order number", limit=60)
            key = order or f"\0row{r.row}"
            first = groups.get(key)
            if first:
                _, first_at, first_method, _ = first[0]
                if at != first_at:
                    raise ValidationError("Order {order} has two different times", order=order)
                if method != first_method:
                    raise ValidationError("Order {order} is paid two ways; one payment method per order", order=order)
                if customer != customers[key]:
                    raise ValidationError("Order {order} names two customers", order=order)
            customers[key] = customer
            groups.setdefault(key, []).append((r, at, method, line))
        except JxcError as exc:
            errors.append(RowError(r.row, exc.message))
    sales = [ImportedSale(items[0][0].row, "" if key.startswith("\0") else key, items[0][1], items[0][2],
                          tuple(item[3] for item in items), customers.get(key)) for key, items in groups.items()]
    if len(sales) > MAX_SALES:
        raise ValidationError("A file holds at most {n} sales", n=MAX_SALES)
    for sale in sales:
        if len(sale.lines) > cartlib.MAX_LINES:
            errors.append(RowError(sale.row, ValidationError("A sale holds at most {n} lines",
                                                             n=cartlib.MAX_LINES).message))
    errors += _already_imported(session, sales)
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.row))
    return sales


def _already_imported(session: Session, sales: Sequence[ImportedSale]) -> list[RowError]:
    """An order number imported before would be a second copy of the sale (a re-exported file)."""
    notes = {_order_note(s.order): s for s in sales if s.order}
    done = set(session.scalars(select(Sale.note).where(Sale.note.in_(list(notes))))) if notes else set()
    return [RowError(notes[n].row, ValidationError("Order {order} was already imported", order=notes[n].order).message)
            for n in sorted(done)]


@dataclass(frozen=True)
class CountedAfter:
    """A stock count of a product of the file, posted after the file's sale of it: the count already
    saw those goods gone, so the import takes them off the shelf a second time (look at the count)."""

    product: str
    count: str  # the count's number
    at: datetime


@dataclass(frozen=True)
class SalesImport:
    sales: list[PostedSale]
    counted_after: list[CountedAfter]


def _counted_after(session: Session, sales: Sequence[ImportedSale]) -> list[CountedAfter]:
    first: dict[int, datetime] = {}
    for s in sales:
        for line in s.lines:
            first[line.product_id] = min(first.get(line.product_id, s.at), s.at)
    out: dict[tuple[int, str], CountedAfter] = {}
    for pid, at in first.items():  # one indexed range per product (ix_stock_move_product_created)
        for number, moved_at, name in session.execute(
                select(StockMove.doc_number, StockMove.created_at, Product.name)
                .join(Product, Product.id == StockMove.product_id)
                .where(StockMove.product_id == pid, StockMove.created_at > at, StockMove.doc_type == "count")):
            out.setdefault((pid, number), CountedAfter(name, number, moved_at))
    return sorted(out.values(), key=lambda c: (c.at, c.product))


def import_sales(db: Database, path: Path | str, *, post: bool = False, confirmed: bool = False) -> SalesImport:
    """Check the file and (with ``post``) post every sale in it in one transaction.

    Without ``post`` nothing is written: the result lists the sales as they would be posted (numbers
    empty). InsufficientStockError(needs_confirmation) under the warn policy until ``confirmed``."""
    file = Path(path).name
    with db.write() as uow:
        session = uow.session
        sales = read_sales(session, path)
        counted = _counted_after(session, sales)
        if not post:
            return SalesImport([PostedSale("", s.order, s.at, len(s.lines), s.total, s.method) for s in sales], counted)
        rules = sale_rules(session)
        out: list[PostedSale] = []
        for s in sorted(sales, key=lambda s: s.at):
            cart = Cart(s.lines)
            total = cartlib.price(cart, rules.limits).total
            try:
                sale = post_sale_in(session, cart, [Tender(s.method, total)], confirmed=confirmed, at=s.at,
                                    note=_order_note(s.order) if s.order else FILE_NOTE.format(file=file),
                                    rules=rules, customer_id=s.customer_id)
            except accounts.CreditLimitExceeded as exc:  # the owner approves such a sale at the till
                raise ValidationError("Row {row}: {reason}", row=s.row, reason=exc.message) from exc
            except InsufficientStockError as exc:  # name the row: the whole file is refused
                raise InsufficientStockError("Row {row}: {reason}", row=s.row, reason=exc.message,
                                             needs_confirmation=exc.needs_confirmation) from exc
            out.append(PostedSale(sale.number, s.order, s.at, len(s.lines), sale.total, s.method))
        uow.commit()
    return SalesImport(out, counted)
