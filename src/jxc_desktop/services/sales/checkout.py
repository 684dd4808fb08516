"""Checkout (收银): scanning into a cart and posting sales; the service the till calls.

Posting is one transaction: the sale header, its lines with their cost-of-goods snapshot (equal
to the value of the ledger moves they caused), the payments and the stock moves. If anything
fails — bad input, stock policy, a busy database — nothing is written and the caller's cart is
untouched (carts are immutable values). Customer returns are returns.py, the day's list and
summary day_summary.py; :class:`CheckoutService` offers them to the till in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Barcode, Payment, Product, Sale, SaleLine
from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.db.uow import Database, retrying
from jxc_desktop.domain import cart as cartlib
from jxc_desktop.domain.cart import Cart, CartLine, Limits, Totals
from jxc_desktop.domain.clock import local_day, utcnow
from jxc_desktop.domain.errors import NotFoundError, StateError, ValidationError
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.domain.tender import POINTS, STORED_VALUE
from jxc_desktop.services.accounts import api as accounts
from jxc_desktop.services.catalog import api as catalog
from jxc_desktop.services.catalog.api import ProductDTO, ScanKind, ScanResult
from jxc_desktop.services.members import api as members
from jxc_desktop.services.safety import api as safety
from jxc_desktop.services.sales import bulk_post, promo_pricing
from jxc_desktop.services.sales import day_summary as day_mod
from jxc_desktop.services.sales.day_list import list_day
from jxc_desktop.services.sales.dto import (
    DaySummary,
    PaymentDTO,
    ReturnItem,
    SaleDTO,
    SaleRow,
    ShopInfo,
    StockCheck,
    Tender,
)
from jxc_desktop.services.sales.records import promotions_of, receipt_fields, sale_dto
from jxc_desktop.services.sales.returns import post_return_in
from jxc_desktop.services.sales.sale_post import (
    PlannedSale,
    SaleOptions,
    StockBook,
    plan_sale,
    price_and_settle,
    write_sales,
)
from jxc_desktop.services.sales.sale_receipt import line_dto, sale_by_number
from jxc_desktop.services.sales.sale_rows import (
    beyond_limits,
    check_stock,
    deal_lines,
    line_fields,
    payment_fields,
    sale_fields,
    wanted_stock,
)
from jxc_desktop.services.sales.sale_settings import SaleRules, limits, sale_rules, shop_info
from jxc_desktop.services.sales.sale_stock import stock_check_in
from jxc_desktop.services.shop import api as shop
from jxc_desktop.services.staff import api as staff
from jxc_desktop.services.stock import api as stock

# ---------------------------------------------------------------- posting (inside a write UoW)


def _stock_checks(session: Session, products: dict[int, Product], wanted: dict[int, int], day: date,
                  rules: SaleRules, *, confirmed: bool) -> None:
    """Apply the expired-batch rule and the negative-stock policy (the batches read from the file)."""
    skip = day if rules.block_expired else None
    check_stock(wanted, lambda pid: (products[pid].name, products[pid].stock_qty, products[pid].tracks_batches),
                lambda pid: stock.available_qty(session, products[pid], skip_expired_on=skip),
                block_expired=rules.block_expired, policy=rules.negative_stock, confirmed=confirmed)


def post_sale_in(session: Session, cart: Cart, tenders: Sequence[Tender], *, confirmed: bool = False,
                 at: datetime | None = None, note: str = "", rules: SaleRules | None = None,
                 customer_id: int | None = None, credit_override: bool = False,
                 cashier_id: int | None = None, shift_id: int | None = None, approved_by: str = "",
                 member_id: int | None = None, member_override: bool = False, promotions: bool = False) -> Sale:
    """Write one sale inside the caller's transaction (the bulk loader reuses this with ``rules``
    read once for many sales). A ``credit`` tender puts that part on ``customer_id``'s account
    (挂账); above the credit limit only with ``credit_override`` (the owner approved).
    ``cashier_id``/``shift_id``: who rang it up, in which open shift; ``approved_by``: the owner who
    approved a discount above the limit (for the audit trail). ``member_id``: the sale's member
    (会员), by default the cart's; independent of ``customer_id`` (whose account takes a credit); its
    stored value and points pay and earn; ``member_override``: the owner approved stored value above
    the limit. ``promotions``: the till's sale takes the promotions running at ``at`` (member-only
    ones with a member); wholesale notes and imported history keep their prices."""
    rules = rules or sale_rules(session)
    at = at or utcnow()
    # the checks before the stock, the price (promotions: promo_pricing.py, written with the lines
    # below) and the tenders, as the till's Core path makes them (sale_post.py)
    member_id, totals, payments, paid, change, credit = price_and_settle(
        session, cart, tenders, at, rules, SaleOptions(customer_id=customer_id, credit_override=credit_override,
                                                       member_id=member_id, promotions=promotions))
    day = local_day(at)
    ids = {line.product_id for line in cart.lines}
    products = stock.lock_products(session, ids)  # before the stock check (a server: row locks)
    wanted = wanted_stock(cart, products)
    _stock_checks(session, products, wanted, day, rules, confirmed=confirmed)
    block_expired = rules.block_expired

    if shift_id is not None:
        staff.check_shift_open(session, shift_id)
    number = shop.next_number(session, shop.SALE, day)
    sale = Sale(**sale_fields(number, totals, paid, change, at, note), cashier_id=cashier_id, shift_id=shift_id)
    sale.customer_id = customer_id
    sale.member_id = member_id
    session.add(sale)
    if cart.owner_approved and beyond_limits(cart, rules.limits, totals):
        safety.record(session, safety.PRICE_CHANGE, document=number, after={"discount": totals.discount},
                      detail="discount above the limit, approved by the owner", at=at,
                      actor=approved_by or staff.person_name(session, cashier_id))
    # each line carries its product's category from the INSERT (the products were just read under
    # the lock), so models._lines_follow_categories has no UPDATE to make after the flush
    rows = [SaleLine(**fields, category_id=products[fields["product_id"]].category_id)
            for fields in line_fields(totals, day)]
    sale.lines = rows
    sale.payments = [Payment(**fields) for fields in payment_fields(payments)]
    session.flush()
    promo_pricing.write_promotions(session, sale, rows, totals)  # what each promotion took, per line
    # members' money (issue 17): stored value and points tenders off the balances, points per line
    deals = deal_lines(totals)
    paid_by = {p.method: p.amount for p in payments}
    earned = members.sale_money_in(
        session, member_id, sale_id=sale.id, number=number, at=at, day=day, total=totals.total,
        lines=[(r.amount, i in deals) for i, r in enumerate(rows)], stored_value=paid_by.get(STORED_VALUE, 0),
        points_fen=paid_by.get(POINTS, 0), override=member_override,
        actor=(approved_by or staff.person_name(session, cashier_id)) if member_id is not None else "")
    for row, points in zip(rows, earned, strict=True):
        row.points = points
    total_cost = 0
    for row in rows:
        product = products[row.product_id]
        moves = stock.issue_fefo(session, product, row.qty, MoveKind.SALE,
                                 stock.DocRef("sale", sale.id, number, row.id), at=at,
                                 skip_expired_on=day if block_expired else None)
        row.cost = -sum(m.value for m in moves)
        total_cost += row.cost
        product.last_sale_at = at
    sale.cost = total_cost
    if customer_id is not None:
        accounts.book_sale(session, sale_id=sale.id, customer_id=customer_id, number=number, day=day,
                           credit=credit, override=credit_override, at=at)
    return sale


def _need_shift(session: Session, shift_id: int | None) -> None:
    """With shifts in use, the till's sales and refunds belong to its open shift."""
    if shift_id is not None:
        staff.check_shift_open(session, shift_id)
    elif staff.shifts_in_use(session):
        raise StateError("Open a shift (交班) first: the shop counts the cash by shift")


def _posted_dto(session: Session, sale: PlannedSale) -> SaleDTO:
    """The receipt of a sale just written by sale_post.py, from its planned rows (what
    :func:`records.sale_dto` reads back of the same sale)."""
    units = {ln.product_id: ln.unit for ln in sale.cart.lines}
    totals = sale.totals
    return SaleDTO(
        sale.sale_id, sale.number, "sale", "posted", sale.at, sale.day, "", totals.subtotal, totals.sale_discount,
        totals.total, sale.paid, sale.change, sale.cost,
        tuple(line_dto(row, units.get(row["product_id"], "")) for row in sale.rows),
        tuple(PaymentDTO(p.method, p.amount, p.tendered) for p in sale.payments),
        **receipt_fields(session, sale_id=sale.sale_id, kind="sale", created_at=sale.at,
                         customer_id=sale.options.customer_id, cashier_id=sale.options.cashier_id,
                         member_id=sale.member_id, points_earned=sum(r["points"] for r in sale.rows),
                         promotions=promotions_of(sale.promoted)))


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

    def price(self, cart: Cart, *, member_id: int | None = None, at: datetime | None = None) -> Totals:
        """What :meth:`post_sale` will charge for ``cart`` at ``at`` (default now): the shop's limits
        and the promotions running then (member-only ones with a member: ``member_id``, by default
        the cart's)."""
        member = (member_id if member_id is not None else cart.member_id) is not None
        with self.db.read() as uow:
            return promo_pricing.price_in(uow.session, cart, limits(uow.session), at or utcnow(), member=member)

    def price_at_till(self, cart: Cart, limits: Limits, *, member_id: int | None = None,
                      at: datetime | None = None) -> Totals:
        """The till's cart as it will be posted: with the promotions running now (``at``), the
        member-only ones when the sale has a member (``member_id``, by default the cart's) — so each
        scan shows them live."""
        member = (member_id if member_id is not None else cart.member_id) is not None
        with self.db.read() as uow:
            return promo_pricing.price_in(uow.session, cart, limits, at or utcnow(), member=member, kept_for=self.db)

    def line_for_scan(self, text: str) -> CartLine:
        """A cart line for what the scanner sent: a barcode (pack barcodes give their multiplier),
        a scale label (weight or amount embedded, first matching rule wins) or a product code —
        the catalogue's one scan rule, without its search. NotFoundError when nothing matches
        (the till beeps)."""
        code = text.strip()
        if not code or len(code) > 40:
            raise NotFoundError("Unknown barcode {code}", code=code[:40])
        with self.db.read() as uow:
            scan = catalog.resolve_in(uow.session, code, limit=0)
        if scan.product is None:
            raise scan.problem or NotFoundError("Unknown barcode {code}", code=code)
        return line_for(scan)

    def line_for_scan_result(self, scan: ScanResult) -> CartLine:
        """The cart line of a scan the catalogue resolved to a product (catalog resolve_scan)."""
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

    def stock_check(self, cart: Cart) -> StockCheck:
        """Lines that would take stock below zero, and the shop's policy for them."""
        with self.db.read() as uow:
            return stock_check_in(uow.session, cart)

    # ------------------------------------------------------------ posting
    @retrying  # a server may refuse it as a write conflict: run it again whole
    def post_sale(self, cart: Cart, tenders: Sequence[Tender], *, confirmed: bool = False,
                  at: datetime | None = None, customer_id: int | None = None,
                  credit_override: bool = False, cashier_id: int | None = None, shift_id: int | None = None,
                  approved_by: str = "", member_id: int | None = None, member_override: bool = False) -> SaleDTO:
        """Post the cart as one sale. InsufficientStockError(needs_confirmation) under the warn
        policy: ask the cashier, then call again with ``confirmed=True``. A ``credit`` tender goes
        on ``customer_id``'s account; accounts.dto.CreditLimitExceeded above the limit: ask the
        owner PIN, then call again with ``credit_override=True``. When the shop uses shifts a sale
        needs the open shift (``shift_id``). ``member_id`` (default the cart's): the sale's member.
        The till's sale takes the running promotions (member-only ones with a member): the same
        totals :meth:`price_at_till` showed."""
        options = SaleOptions(customer_id=customer_id, credit_override=credit_override, cashier_id=cashier_id,
                              shift_id=shift_id, approved_by=approved_by, member_id=member_id,
                              member_override=member_override, promotions=True)
        at = at or utcnow()
        with self.db.write() as uow:
            session = uow.session
            _need_shift(session, shift_id)
            # post_sale_in's rules and rows, written with Core statements (sale_post.py)
            rules = sale_rules(session)
            sale = plan_sale(session, StockBook(), cart, tenders, at, rules, confirmed=confirmed, options=options)
            write_sales(session, [sale], rules)
            dto = _posted_dto(session, sale)
            uow.commit()
        return dto

    def post_sales_bulk(self, sales: Iterable[tuple[Cart, Sequence[Tender], datetime]], *, per_commit: int = 500,
                        confirmed: bool = True) -> int:
        """History loading (demo, benchmarks): the same rows and moves as :meth:`post_sale` without
        promotions (``post_sale_in`` sale by sale), many sales per transaction, written by the bulk
        path (bulk_post.py). A sale refused by the stock rules is skipped (nothing of it written).
        Returns how many were posted."""
        return bulk_post.post_sales_bulk(self.db, sales, per_commit=per_commit, confirmed=confirmed)

    @retrying  # a server may refuse it as a write conflict: run it again whole
    def post_return(self, number: str, items: Sequence[ReturnItem], *, method: str = "cash",
                    at: datetime | None = None, cashier_id: int | None = None, shift_id: int | None = None,
                    approved_by: str = "") -> SaleDTO:
        """A customer return against receipt ``number`` (returns.py): goods back at the original cost
        snapshot, into the batches they came from; the refund goes out by ``method`` (in the open
        shift when the shop uses shifts). ``approved_by`` names the owner who allowed it."""
        with self.db.write() as uow:
            _need_shift(uow.session, shift_id)
            ret = post_return_in(uow.session, number, items, method=method, at=at)
            ret.cashier_id, ret.shift_id = cashier_id, shift_id
            dto = sale_dto(uow.session, ret)
            safety.record(uow.session, safety.REFUND, document=dto.number, at=at,  # the audit trail (G)
                          after={"sale": number, "total": dto.total, "method": method},
                          actor=approved_by or staff.person_name(uow.session, cashier_id))
            uow.commit()
        return dto

    # ------------------------------------------------------------ lookups
    def get_sale(self, number: str) -> SaleDTO:
        """A sale or return by its number (a sale carries what came back per line); ``jxc receipt``
        on sqlite3 alone runs the same SQL text."""
        with self.db.read() as uow:
            return sale_by_number(SessionRows(uow.session), number)

    def list_day(self, day: date | None = None) -> list[SaleRow]:
        """Sales and returns of a local day, newest first."""
        day = day or local_day()
        with self.db.read() as uow:
            return list_day(SessionRows(uow.session), day)

    def day_summary(self, day: date | None = None) -> DaySummary:
        """Today's panel and the 日结 slip: sales, returns and net takings by payment method."""
        day = day or local_day()
        with self.db.read() as uow:
            return day_mod.day_summary(uow.session, day)

    def shop_info(self) -> ShopInfo:
        with self.db.read() as uow:
            return shop_info(uow.session)
