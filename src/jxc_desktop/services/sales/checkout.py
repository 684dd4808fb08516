"""Checkout (收银): scanning into a cart, posting sales and customer returns, day summaries.

Posting is one transaction: the sale header, its lines with their cost-of-goods snapshot (equal
to the value of the ledger moves they caused), the payments and the stock moves. If anything
fails — bad input, stock policy, a busy database — nothing is written and the caller's cart is
untouched (carts are immutable values).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Barcode, Batch, Payment, Product, Sale, SaleLine, StockMove
from jxc_desktop.db.uow import Database
from jxc_desktop.domain import cart as cartlib
from jxc_desktop.domain.cart import Cart, CartLine, Limits, Totals
from jxc_desktop.domain.clock import day_bounds_utc, local_day, utcnow
from jxc_desktop.domain.errors import InsufficientStockError, NotFoundError, ValidationError
from jxc_desktop.domain.money import MAX_FEN, div_round, format_fen
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.policy import enforce_negative_stock
from jxc_desktop.domain.quantity import MILLI, format_qty
from jxc_desktop.services.catalog import api as catalog_api
from jxc_desktop.services.catalog.dto import ProductDTO, ScanKind, ScanResult
from jxc_desktop.services.safety import audit
from jxc_desktop.services.sales.sale_stock import StockCheck, stock_check_in
from jxc_desktop.services.shop import sequences
from jxc_desktop.services.shop import settings as settings_mod
from jxc_desktop.services.stock import ledger

METHODS = ("cash", "wechat", "alipay", "card")


# ---------------------------------------------------------------- DTOs


@dataclass(frozen=True)
class Tender:
    """A payment as entered: ``amount`` fen; for cash, what the customer handed over."""

    method: str
    amount: int


@dataclass(frozen=True)
class PaymentDTO:
    method: str
    amount: int  # applied to the total (refunded, for a return)
    tendered: int


@dataclass(frozen=True)
class SaleLineDTO:
    id: int
    line_no: int
    product_id: int
    name: str
    barcode: str
    unit: str
    qty: int
    unit_price: int
    discount: int
    amount: int
    cost: int
    returned_qty: int = 0  # for sales: how much of this line came back already


@dataclass(frozen=True)
class SaleDTO:
    id: int
    number: str
    kind: str  # sale | return
    status: str
    created_at: datetime
    business_day: date
    origin_number: str
    subtotal: int
    discount: int
    total: int
    paid: int
    change: int
    cost: int
    lines: tuple[SaleLineDTO, ...]
    payments: tuple[PaymentDTO, ...]

    @property
    def item_qty(self) -> int:
        return sum(line.qty for line in self.lines)


@dataclass(frozen=True)
class SaleRow:
    """One line of a day's list of sales and returns."""

    number: str
    kind: str
    created_at: datetime
    lines: int
    item_qty: int
    total: int
    methods: tuple[str, ...]


@dataclass(frozen=True)
class DaySummary:
    day: date
    sales_count: int
    sales_total: int
    returns_count: int
    returns_total: int
    discount_total: int
    cost_total: int  # net cost of goods (sales minus returns)
    by_method: dict[str, int]  # net takings per payment method (refunds subtracted)

    @property
    def net_total(self) -> int:
        return self.sales_total - self.returns_total


@dataclass(frozen=True)
class ReturnItem:
    line_id: int
    qty: int  # thousandths


@dataclass(frozen=True)
class ShopInfo:
    name: str
    address: str
    phone: str
    header: str
    footer: str
    width_mm: int


# ---------------------------------------------------------------- helpers


def _line_dto(line: SaleLine, unit: str, returned: int = 0) -> SaleLineDTO:
    return SaleLineDTO(line.id, line.line_no, line.product_id, line.name, line.barcode, unit, line.qty,
                       line.unit_price, line.discount, line.amount, line.cost, returned)


def sale_dto(session: Session, sale: Sale, *, returned: dict[int, int] | None = None,
             units: dict[int, str] | None = None) -> SaleDTO:
    if units is None:
        units = dict(session.execute(select(Product.id, Product.unit).where(
            Product.id.in_({ln.product_id for ln in sale.lines}))).all()) if sale.lines else {}
    origin = session.get(Sale, sale.origin_id).number if sale.origin_id else ""  # type: ignore[union-attr]
    returned = returned or {}
    return SaleDTO(
        sale.id, sale.number, sale.kind, sale.status, sale.created_at, sale.business_day, origin,
        sale.subtotal, sale.discount, sale.total, sale.paid, sale.change, sale.cost,
        tuple(_line_dto(ln, units.get(ln.product_id, ""), returned.get(ln.id, 0)) for ln in sale.lines),
        tuple(PaymentDTO(p.method, p.amount, p.tendered) for p in sale.payments),
    )


def limits(session: Session) -> Limits:
    return sale_rules(session).limits


@dataclass(frozen=True)
class SaleRules:
    """The settings a sale obeys, read in one query."""

    limits: Limits
    negative_stock: str
    block_expired: bool


def sale_rules(session: Session) -> SaleRules:
    values = settings_mod.read_all(session)

    def pct(key: str) -> int:
        raw = values.get(key, "")
        return int(raw) if raw.isascii() and raw.isdigit() else int(settings_mod.DEFAULTS[key])

    return SaleRules(Limits(pct("max_line_discount_pct"), pct("max_sale_discount_pct")),
                     values.get("negative_stock", "warn"), values.get("block_expired_sale") == "1")


@dataclass(frozen=True)
class TenderStatus:
    """Where the tenders typed so far stand against the amount due (the pay dialog's live line)."""

    paid: int
    still_due: int  # > 0: not covered yet
    change: int  # cash to hand back


def _tender_sums(tenders: Sequence[Tender]) -> dict[str, int]:
    sums: dict[str, int] = defaultdict(int)
    for t in tenders:
        if t.method not in METHODS:
            raise ValidationError("Unknown payment method {method}", method=str(t.method)[:20])
        if not isinstance(t.amount, int) or isinstance(t.amount, bool) or t.amount < 0:
            raise ValidationError("A payment must not be negative")
        if t.amount > MAX_FEN:
            raise ValidationError("{field} is too large", field="Payment")
        sums[t.method] += t.amount
    return sums


def _check_non_cash(total: int, sums: dict[str, int]) -> int:
    """Non-cash payments give no change, so together they may not exceed the amount due."""
    non_cash = sum(v for k, v in sums.items() if k != "cash")
    if non_cash > total:
        raise ValidationError("WeChat, Alipay and card together ({paid}) are more than the amount due {due}",
                              paid=format_fen(non_cash), due=format_fen(total))
    return non_cash


def tender_status(total: int, tenders: Sequence[Tender]) -> TenderStatus:
    """The rule of :func:`settle` without requiring the total to be covered yet: what is paid,
    what is still due and the change. ValidationError for bad tenders or non-cash overpaying."""
    sums = _tender_sums(tenders)
    non_cash = _check_non_cash(total, sums)
    cash = sums.get("cash", 0)
    cash_due = total - non_cash
    return TenderStatus(non_cash + cash, max(0, cash_due - cash), max(0, cash - cash_due))


def settle(total: int, tenders: Sequence[Tender]) -> tuple[list[PaymentDTO], int, int]:
    """Apply tenders to ``total``: non-cash amounts as given (no change from a card), cash covers the
    rest and gives change. Returns (payments, paid, change)."""
    sums = _tender_sums(tenders)
    non_cash = _check_non_cash(total, sums)
    cash = sums.get("cash", 0)
    cash_due = total - non_cash
    if cash < cash_due:
        if "cash" in sums or not sums:
            raise ValidationError("Cash received {cash} is less than the amount due {due}",
                                  cash=format_fen(cash), due=format_fen(cash_due))
        raise ValidationError("The payments ({paid}) do not cover the amount due {due}",
                              paid=format_fen(non_cash), due=format_fen(total))
    payments = [PaymentDTO(m, sums[m], sums[m]) for m in METHODS if m != "cash" and sums.get(m)]
    if cash_due or "cash" in sums:
        payments.insert(0, PaymentDTO("cash", cash_due, cash))
    return payments, non_cash + cash, cash - cash_due


# ---------------------------------------------------------------- posting (inside a write UoW)


def _stock_checks(session: Session, products: dict[int, Product], wanted: dict[int, int], day: date,
                  rules: SaleRules, *, confirmed: bool) -> None:
    """Apply the expired-batch rule and the negative-stock policy."""
    block_expired = rules.block_expired
    shortages: list[tuple[str, int, int]] = []
    for pid, qty in wanted.items():
        product = products[pid]
        if qty <= product.stock_qty and not (block_expired and product.tracks_batches):
            continue
        available = ledger.available_qty(session, product, skip_expired_on=day if block_expired else None)
        if qty <= available:
            continue
        if available < product.stock_qty and qty <= product.stock_qty:
            raise InsufficientStockError(
                "{name}: only {available} not expired; expired batches may not be sold. "
                "Take them off the shelf or record a loss.", name=product.name, available=format_qty(available))
        shortages.append((product.name, available, qty))
    enforce_negative_stock(rules.negative_stock, shortages, confirmed=confirmed)


def _beyond_limits(cart: Cart, limits: cartlib.Limits) -> bool:
    try:
        cartlib.price(replace(cart, owner_approved=False), limits)
    except cartlib.DiscountLimitError:
        return True
    return False


def post_sale_in(session: Session, cart: Cart, tenders: Sequence[Tender], *, confirmed: bool = False,
                 at: datetime | None = None, note: str = "", rules: SaleRules | None = None) -> Sale:
    """Write one sale inside the caller's transaction (the bulk loader reuses this with ``rules``
    read once for many sales)."""
    if cart.empty:
        raise ValidationError("The cart is empty")
    rules = rules or sale_rules(session)
    totals = cartlib.price(cart, rules.limits)
    payments, paid, change = settle(totals.total, tenders)
    at = at or utcnow()
    day = local_day(at)
    ids = {line.product_id for line in cart.lines}
    products = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))}
    missing = ids - products.keys()
    if missing:
        raise NotFoundError("Product {id} does not exist", id=min(missing))
    for line in cart.lines:  # a held cart may name a product deactivated since it was held
        if not products[line.product_id].active:
            raise ValidationError("{name} is deactivated and cannot be sold", name=products[line.product_id].name)
    wanted: dict[int, int] = defaultdict(int)
    for line in cart.lines:
        wanted[line.product_id] += line.qty
    _stock_checks(session, products, wanted, day, rules, confirmed=confirmed)
    block_expired = rules.block_expired

    number = sequences.next_number(session, sequences.SALE, day)
    sale = Sale(number=number, kind="sale", status="posted", created_at=at, business_day=day,
                subtotal=totals.subtotal, discount=totals.sale_discount, total=totals.total, paid=paid,
                change=change, cost=0, note=note)
    session.add(sale)
    if cart.owner_approved and _beyond_limits(cart, rules.limits):
        audit.record(session, audit.PRICE_CHANGE, document=number, after={"discount": totals.discount},
                     detail="discount above the limit, approved by the owner", at=at)
    rows = [SaleLine(line_no=i, product_id=p.line.product_id, barcode=p.line.barcode[:32], name=p.line.name[:120],
                     qty=p.line.qty, unit_price=p.line.unit_price, discount=p.discount, amount=p.amount, cost=0,
                     business_day=day, kind="sale", status="posted")  # the sale's, for the report index
            for i, p in enumerate(totals.lines, start=1)]
    sale.lines = rows
    sale.payments = [Payment(method=p.method, amount=p.amount, tendered=p.tendered) for p in payments]
    session.flush()
    total_cost = 0
    for row in rows:
        product = products[row.product_id]
        moves = ledger.issue_fefo(session, product, row.qty, MoveKind.SALE,
                                  ledger.DocRef("sale", sale.id, number, row.id), at=at,
                                  skip_expired_on=day if block_expired else None)
        row.cost = -sum(m.value for m in moves)
        total_cost += row.cost
        product.last_sale_at = at
    sale.cost = total_cost
    return sale


def _returned_by_line(session: Session, line_ids: Iterable[int]) -> dict[int, int]:
    ids = list(line_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(SaleLine.origin_line_id, func.sum(SaleLine.qty)).join(Sale, Sale.id == SaleLine.sale_id)
        .where(SaleLine.origin_line_id.in_(ids), Sale.status == "posted").group_by(SaleLine.origin_line_id))
    return {int(k): int(v) for k, v in rows}


def _returned_sums(session: Session, line_id: int) -> tuple[int, int, int]:
    """(qty, amount, cost) already returned against a sale line."""
    row = session.execute(
        select(func.coalesce(func.sum(SaleLine.qty), 0), func.coalesce(func.sum(SaleLine.amount), 0),
               func.coalesce(func.sum(SaleLine.cost), 0)).join(Sale, Sale.id == SaleLine.sale_id)
        .where(SaleLine.origin_line_id == line_id, Sale.status == "posted")).one()
    return int(row[0]), int(row[1]), int(row[2])


def _share(total: int, part: int, whole: int, done: int, last: bool) -> int:
    """``part/whole`` of ``total``; the last piece takes what is left so pieces add up exactly."""
    return total - done if last else div_round(total * part, whole)


def _batches_of(session: Session, sale_id: int, line_id: int) -> list[tuple[int | None, int]]:
    """Where a sale line's goods came from, minus what already went back: [(batch_id, qty)].
    (Filtered by document id first, so the (doc_type, doc_id) index keeps this fast on big files.)"""
    out: dict[int | None, int] = defaultdict(int)
    for bid, qty in session.execute(
        select(StockMove.batch_id, StockMove.qty).where(
            StockMove.doc_type == "sale", StockMove.doc_id == sale_id, StockMove.doc_line_id == line_id,
            StockMove.kind == MoveKind.SALE)):
        out[bid] += -qty
    returns = select(Sale.id).where(Sale.origin_id == sale_id)
    back = select(SaleLine.id).where(SaleLine.origin_line_id == line_id)
    for bid, qty in session.execute(
        select(StockMove.batch_id, StockMove.qty).where(
            StockMove.doc_type == "sale", StockMove.doc_id.in_(returns), StockMove.kind == MoveKind.SALE_RETURN,
            StockMove.doc_line_id.in_(back))):
        out[bid] -= qty
    return [(b, q) for b, q in out.items() if q > 0]


def post_return_in(session: Session, number: str, items: Sequence[ReturnItem], *, method: str = "cash",
                   at: datetime | None = None, note: str = "") -> Sale:
    number = number.strip().upper()
    origin = session.scalar(select(Sale).where(Sale.number == number))
    if origin is None or origin.kind != "sale":
        raise NotFoundError("No sale with receipt number {number}", number=number[:30])
    if origin.status != "posted":
        raise ValidationError("Sale {number} was reversed; nothing to return", number=number)
    if method not in METHODS:
        raise ValidationError("Unknown payment method {method}", method=str(method)[:20])
    wanted: dict[int, int] = defaultdict(int)
    for item in items:
        if item.qty:
            wanted[item.line_id] += cartlib.check_qty(item.qty)
    if not wanted:
        raise ValidationError("Choose what comes back: no quantity to return")
    lines = {ln.id: ln for ln in origin.lines}
    at = at or utcnow()
    day = local_day(at)
    ret_number = sequences.next_number(session, sequences.SALE_RETURN, day)
    ret = Sale(number=ret_number, kind="return", status="posted", origin_id=origin.id, created_at=at,
               business_day=day, note=note)
    session.add(ret)
    plan: list[tuple[SaleLine, SaleLine]] = []
    for no, (line_id, qty) in enumerate(sorted(wanted.items()), start=1):
        src = lines.get(line_id)
        if src is None:
            raise ValidationError("Line {line} is not part of sale {number}", line=line_id, number=number)
        done_qty, done_amount, done_cost = _returned_sums(session, line_id)
        left = src.qty - done_qty
        if qty > left:
            raise ValidationError("{name}: at most {max} can still be returned (sold {sold})", name=src.name,
                                  max=format_qty(left), sold=format_qty(src.qty))
        last = qty == left
        amount = _share(src.amount, qty, src.qty, done_amount, last)
        cost = _share(src.cost, qty, src.qty, done_cost, last)
        gross = div_round(qty * src.unit_price, MILLI)
        row = SaleLine(line_no=no, product_id=src.product_id, barcode=src.barcode, name=src.name, qty=qty,
                       unit_price=src.unit_price, discount=max(0, gross - amount), amount=amount, cost=cost,
                       origin_line_id=src.id, business_day=day, kind="return", status="posted")
        plan.append((src, row))
    ret.lines = [row for _src, row in plan]
    total = sum(row.amount for _s, row in plan)
    ret.subtotal = ret.total = ret.paid = total
    ret.cost = sum(row.cost for _s, row in plan)
    ret.payments = [Payment(method=method, amount=total, tendered=total)]
    session.flush()
    for src, row in plan:
        product = session.get(Product, row.product_id)
        assert product is not None
        ref = ledger.DocRef("sale", ret.id, ret_number, row.id)
        pieces = _split_to_batches(_batches_of(session, origin.id, src.id), row.qty)
        value_done = 0
        for i, (bid, qty) in enumerate(pieces):
            value = _share(row.cost, qty, row.qty, value_done, i == len(pieces) - 1)
            value_done += value
            batch = session.get(Batch, bid) if bid is not None else None
            ledger.receive(session, product, qty, MoveKind.SALE_RETURN, ref, value=value, batch=batch, at=at)
    return ret


def _split_to_batches(sources: list[tuple[int | None, int]], qty: int) -> list[tuple[int | None, int]]:
    """Put ``qty`` back into the batches it came from (latest expiry first is not known here, so
    in the order the sale took them); anything beyond goes with the last one."""
    pieces: list[tuple[int | None, int]] = []
    left = qty
    for bid, q in sources:
        take = min(left, q)
        if take:
            pieces.append((bid, take))
            left -= take
        if not left:
            break
    if left:
        bid = pieces[-1][0] if pieces else (sources[-1][0] if sources else None)
        if pieces:
            pieces[-1] = (bid, pieces[-1][1] + left)
        else:
            pieces.append((bid, left))
    return pieces


# ---------------------------------------------------------------- the service


def line_for(scan: ScanResult) -> CartLine:
    """A cart line from a scan resolved to a product: its quantity (pack, weight, or what a price
    label's amount buys) at the sale price; a price label's line costs exactly that amount."""
    product = scan.product
    if product is None:
        raise scan.problem or NotFoundError("Unknown barcode {code}", code=scan.text)
    CheckoutService._check_active(product)
    barcode = scan.barcode if scan.kind != ScanKind.CODE else ""
    qty = cartlib.check_qty(scan.qty)
    if scan.amount is not None:
        return CartLine(product.id, product.name, product.sale_price, qty, product.sale_price, barcode,
                        product.unit, 0, scan.amount)
    return CartLine(product.id, product.name, product.sale_price, qty, product.sale_price, barcode,
                    product.unit)


@dataclass(frozen=True)
class CheckoutService:
    db: Database

    # ------------------------------------------------------------ cart building
    def limits(self) -> Limits:
        with self.db.read() as uow:
            return limits(uow.session)

    def price(self, cart: Cart) -> Totals:
        with self.db.read() as uow:
            return cartlib.price(cart, limits(uow.session))

    def line_for_scan(self, text: str) -> CartLine:
        """A cart line for what the scanner sent: a barcode (pack barcodes give their multiplier),
        a scale label (weight or amount embedded, first matching rule wins) or a product code —
        the catalogue's one scan rule, without its search. NotFoundError when nothing matches
        (the till beeps)."""
        code = text.strip()
        if not code or len(code) > 40:
            raise NotFoundError("Unknown barcode {code}", code=code[:40])
        with self.db.read() as uow:
            scan = catalog_api.resolve_in(uow.session, code, limit=0)
        if scan.product is None:
            raise scan.problem or NotFoundError("Unknown barcode {code}", code=code)
        return line_for(scan)

    def line_for_product(self, product_id: int, qty: int = MILLI) -> CartLine:
        with self.db.read() as uow:
            product = uow.session.get(Product, product_id)
            if product is None:
                raise NotFoundError("Product {id} does not exist", id=product_id)
            self._check_active(product)
            barcode = uow.session.scalar(select(Barcode.code).where(
                Barcode.product_id == product_id, Barcode.multiplier == 1).limit(1)) or ""
            return self._line(product, qty, barcode)

    @staticmethod
    def _check_active(product: Product | ProductDTO) -> None:
        if not product.active:
            raise ValidationError("{name} is deactivated and cannot be sold", name=product.name)

    @staticmethod
    def _line(product: Product, qty: int, barcode: str) -> CartLine:
        return CartLine(product.id, product.name, product.sale_price, qty, product.sale_price, barcode,
                        product.unit)

    def line_for_scan_result(self, scan: ScanResult) -> CartLine:
        """The cart line of a scan the catalogue resolved to a product (catalog resolve_scan)."""
        return line_for(scan)

    def stock_check(self, cart: Cart) -> StockCheck:
        """Lines that would take stock below zero, and the shop's policy for them."""
        with self.db.read() as uow:
            return stock_check_in(uow.session, cart)

    # ------------------------------------------------------------ posting
    def post_sale(self, cart: Cart, tenders: Sequence[Tender], *, confirmed: bool = False,
                  at: datetime | None = None) -> SaleDTO:
        """Post the cart as one sale. InsufficientStockError(needs_confirmation) under the warn
        policy: ask the cashier, then call again with ``confirmed=True``."""
        with self.db.write() as uow:
            sale = post_sale_in(uow.session, cart, tenders, confirmed=confirmed, at=at)
            dto = sale_dto(uow.session, sale, units={ln.product_id: ln.unit for ln in cart.lines})
            uow.commit()
        return dto

    def post_sales_bulk(self, sales: Iterable[tuple[Cart, Sequence[Tender], datetime]], *, per_commit: int = 500,
                        confirmed: bool = True) -> int:
        """History loading (demo, benchmarks): the same rows and moves as :meth:`post_sale`, many
        sales per transaction. A sale refused by the stock rules is skipped (nothing of it written).
        Returns how many were posted."""
        posted = 0
        batch: list[tuple[Cart, Sequence[Tender], datetime]] = []

        def flush() -> None:
            nonlocal posted
            with self.db.write() as uow:
                rules = sale_rules(uow.session)
                for cart, tenders, at in batch:
                    try:
                        post_sale_in(uow.session, cart, tenders, confirmed=confirmed, at=at, rules=rules)
                        posted += 1
                    except InsufficientStockError:
                        continue  # raised by the checks, before anything of this sale was added
                uow.commit()
            batch.clear()

        for item in sales:
            batch.append(item)
            if len(batch) >= per_commit:
                flush()
        if batch:
            flush()
        return posted

    def post_return(self, number: str, items: Sequence[ReturnItem], *, method: str = "cash",
                    at: datetime | None = None) -> SaleDTO:
        """A customer return against receipt ``number``: goods back at the original cost snapshot,
        into the batches they came from; the refund goes out by ``method``."""
        with self.db.write() as uow:
            ret = post_return_in(uow.session, number, items, method=method, at=at)
            dto = sale_dto(uow.session, ret)
            audit.record(uow.session, audit.REFUND, document=dto.number, at=at,  # the audit trail (G)
                         after={"sale": number, "total": dto.total, "method": method})
            uow.commit()
        return dto

    # ------------------------------------------------------------ lookups
    def get_sale(self, number: str) -> SaleDTO:
        """A sale or return by its number (for returns it carries what came back per line)."""
        key = number.strip().upper()
        with self.db.read() as uow:
            s = uow.session
            sale = s.scalar(select(Sale).where(Sale.number == key))
            if sale is None:
                raise NotFoundError("No sale with receipt number {number}", number=key[:30])
            returned = _returned_by_line(s, [ln.id for ln in sale.lines]) if sale.kind == "sale" else {}
            return sale_dto(s, sale, returned=returned)

    def list_day(self, day: date | None = None) -> list[SaleRow]:
        """Sales and returns of a local day, newest first."""
        day = day or local_day()
        start, end = day_bounds_utc(day, day)
        with self.db.read() as uow:
            s = uow.session
            sales = list(s.execute(
                select(Sale.id, Sale.number, Sale.kind, Sale.created_at, Sale.total)
                .where(Sale.created_at >= start, Sale.created_at < end).order_by(Sale.id.desc())))
            ids = [r.id for r in sales]
            counts: dict[int, tuple[int, int]] = {}
            methods: dict[int, list[str]] = defaultdict(list)
            for chunk in range(0, len(ids), 500):
                part = ids[chunk:chunk + 500]
                for sid, n, q in s.execute(select(SaleLine.sale_id, func.count(), func.sum(SaleLine.qty))
                                           .where(SaleLine.sale_id.in_(part)).group_by(SaleLine.sale_id)):
                    counts[sid] = (int(n), int(q or 0))
                for sid, m in s.execute(select(Payment.sale_id, Payment.method).where(
                        Payment.sale_id.in_(part), Payment.amount > 0).order_by(Payment.id)):
                    methods[sid].append(m)
            return [SaleRow(r.number, r.kind, r.created_at, *counts.get(r.id, (0, 0)), r.total,
                            tuple(methods[r.id])) for r in sales]

    def day_summary(self, day: date | None = None) -> DaySummary:
        """Today's panel and the 日结 slip: sales, returns and net takings by payment method."""
        day = day or local_day()
        start, end = day_bounds_utc(day, day)
        with self.db.read() as uow:
            s = uow.session
            in_day = (Sale.created_at >= start, Sale.created_at < end, Sale.status == "posted")
            agg = {kind: (int(n), int(t or 0), int(d or 0), int(c or 0)) for kind, n, t, d, c in s.execute(
                select(Sale.kind, func.count(), func.sum(Sale.total), func.sum(Sale.discount), func.sum(Sale.cost))
                .where(*in_day).group_by(Sale.kind))}
            by_method: dict[str, int] = {}
            for kind, method, amount in s.execute(
                    select(Sale.kind, Payment.method, func.sum(Payment.amount)).join(Sale, Sale.id == Payment.sale_id)
                    .where(*in_day).group_by(Sale.kind, Payment.method)):
                sign = -1 if kind == "return" else 1
                by_method[method] = by_method.get(method, 0) + sign * int(amount or 0)
            line_disc = s.scalar(select(func.sum(SaleLine.discount)).join(Sale, Sale.id == SaleLine.sale_id)
                                 .where(*in_day, Sale.kind == "sale")) or 0
        sn, st, _sd, sc = agg.get("sale", (0, 0, 0, 0))
        rn, rt, _rd, rc = agg.get("return", (0, 0, 0, 0))
        return DaySummary(day, sn, st, rn, rt, int(line_disc), sc - rc,
                          {m: by_method[m] for m in METHODS if m in by_method})

    def shop_info(self) -> ShopInfo:
        with self.db.read() as uow:
            values = settings_mod.read_all(uow.session)
        return ShopInfo(values["shop_name"], values["shop_address"], values["shop_phone"],
                        values["receipt_header"], values["receipt_footer"],
                        int(values["receipt_width_mm"]) if values["receipt_width_mm"] in ("58", "80") else 80)
