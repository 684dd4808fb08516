"""The data model (DESIGN.md §3). Money columns are integer fen, quantities integer thousandths.

Documents are never hard-deleted once posted; corrections are reversals (红冲) that write
opposite stock moves. ``product.stock_qty``/``stock_value`` and ``batch.qty`` are caches of the
``stock_move`` ledger and change only together with a move (services/stock/ledger.py).

No ``from __future__ import annotations`` here (issue 15: every command builds these classes): the
``Mapped[...]`` annotations are objects when the class is made, so the declarative build does not
evaluate ~700 annotation strings (a quarter of this module's import); a relationship to a class
defined further down names it in quotes.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
    select,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from jxc_desktop.db.types import UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# ---------------------------------------------------------------- reference data


class Setting(Base):
    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class Sequence(Base):
    """Last number used per document kind and local day: CG20261125-0001."""

    __tablename__ = "sequence"
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Category(Base):
    __tablename__ = "category"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    sort: Mapped[int] = mapped_column(Integer, default=0)


class Supplier(Base):
    __tablename__ = "supplier"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    contact: Mapped[str] = mapped_column(String(60), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    terms_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # 0 = cash on delivery
    # days from order to delivery (0: unknown, the setting reorder_lead_days); migration 0012
    lead_time_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # the name's 助记码, kept on every save (migration 0024): the list is sorted and filtered by it
    # without loading the pinyin dictionaries (~0.2 s of a `jxc suppliers list`)
    pinyin: Mapped[str] = mapped_column(String(120), default="", server_default="")


class Product(Base):
    __tablename__ = "product"
    # The search key: 全拼 and 助记码 in one narrow column, so a search for text inside either scans
    # this one index once (services/catalog/search.py), never the wide rows.
    __table_args__ = (Index("ix_product_pinyin_key", "pinyin_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # 货号 / 自编码
    name: Mapped[str] = mapped_column(String(120), index=True)
    pinyin: Mapped[str] = mapped_column(String(120), default="", index=True)  # 助记码, lower case
    pinyin_manual: Mapped[bool] = mapped_column(Boolean, default=False)
    pinyin_key: Mapped[str] = mapped_column(String(530), default="")  # "<全拼 of the name> <pinyin>"
    spec: Mapped[str] = mapped_column(String(60), default="")
    unit: Mapped[str] = mapped_column(String(16), default="个")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    sale_price: Mapped[int] = mapped_column(Integer, default=0)  # fen per unit
    ref_cost: Mapped[int] = mapped_column(Integer, default=0)  # reference purchase price, fen
    last_cost: Mapped[int] = mapped_column(Integer, default=0)  # last purchase unit cost, fen
    last_supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id"), index=True)
    min_stock: Mapped[int] = mapped_column(Integer, default=0)  # thousandths; 0 = no warning
    max_stock: Mapped[int] = mapped_column(Integer, default=0)  # thousandths; 0 = no limit
    shelf_life_days: Mapped[int | None] = mapped_column(Integer)
    tracks_batches: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    # Ledger caches: change only with a stock_move in the same transaction.
    stock_qty: Mapped[int] = mapped_column(Integer, default=0)
    stock_value: Mapped[int] = mapped_column(Integer, default=0)
    avg_cost: Mapped[int] = mapped_column(Integer, default=0)  # last known average, fen per unit
    last_move_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_sale_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    wholesale_price: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # fen; 0 = retail
    # A colour × size variant of a style (款号); None for goods that are not (migration 0011).
    style_id: Mapped[int | None] = mapped_column(ForeignKey("style.id"), index=True)
    colour_code: Mapped[str | None] = mapped_column(String(16))
    colour: Mapped[str | None] = mapped_column(String(30))
    size: Mapped[str | None] = mapped_column(String(16))
    member_price: Mapped[int | None] = mapped_column(Integer)  # fen; None: the member level's discount (0017)

    barcodes: Mapped[list["Barcode"]] = relationship(back_populates="product", cascade="all, delete-orphan")
    category: Mapped[Category | None] = relationship()


class Barcode(Base):
    __tablename__ = "barcode"
    # A product's primary barcode (lowest multiplier, then oldest) is the first entry under its id:
    # the stock list reads it per product without sorting (migration 0022).
    __table_args__ = (Index("ix_barcode_primary", "product_id", "multiplier", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    multiplier: Mapped[int] = mapped_column(Integer, default=1)  # whole units per scan (a case = 12)
    product: Mapped[Product] = relationship(back_populates="barcodes")


class Batch(Base):
    __tablename__ = "batch"
    __table_args__ = (UniqueConstraint("product_id", "batch_no"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    batch_no: Mapped[str] = mapped_column(String(40))
    production_date: Mapped[date | None] = mapped_column(Date)
    expiry_date: Mapped[date | None] = mapped_column(Date, index=True)
    qty: Mapped[int] = mapped_column(Integer, default=0)  # ledger cache


# ---------------------------------------------------------------- purchasing


class Purchase(Base):
    """A purchase note (采购入库, CG…) or a return to the supplier (采购退货, CT…)."""

    __tablename__ = "purchase"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[str] = mapped_column(String(12), default="purchase")  # purchase | return
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)  # draft|posted|reversed
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id"), index=True)
    origin_id: Mapped[int | None] = mapped_column(ForeignKey("purchase.id"))  # a return's purchase
    doc_date: Mapped[date] = mapped_column(Date, index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    total: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reversed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_date: Mapped[date | None] = mapped_column(Date)  # when what it owes falls due (supplier terms)
    lines: Mapped[list["PurchaseLine"]] = relationship(
        back_populates="purchase", cascade="all, delete-orphan", order_by="PurchaseLine.line_no")
    till: Mapped[str] = mapped_column(String(20), default="", server_default="")  # made at this till (0019)


class PurchaseLine(Base):
    __tablename__ = "purchase_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    purchase_id: Mapped[int] = mapped_column(ForeignKey("purchase.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    qty: Mapped[int] = mapped_column(Integer)  # thousandths
    unit_cost: Mapped[int] = mapped_column(Integer)  # fen per unit
    amount: Mapped[int] = mapped_column(Integer)  # fen; the value this line moved
    batch_no: Mapped[str] = mapped_column(String(40), default="")
    production_date: Mapped[date | None] = mapped_column(Date)
    expiry_date: Mapped[date | None] = mapped_column(Date)
    origin_line_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_line.id"))
    # What the supplier charges (a note) or credits (a return) per unit, fen; None = unit_cost. A return
    # takes stock out at the shop's average (unit_cost) but is credited at the price paid on the note.
    price: Mapped[int | None] = mapped_column(Integer)
    purchase: Mapped[Purchase] = relationship(back_populates="lines")


# ---------------------------------------------------------------- sales


class Sale(Base):
    """A sale (XS…) or a customer return (TH…); amounts are positive in both."""

    __tablename__ = "sale"
    # (day, kind, status): the profit summary counts a period's documents from the index alone.
    __table_args__ = (Index("ix_sale_day_kind_status", "business_day", "kind", "status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[str] = mapped_column(String(12), default="sale")  # sale | return
    status: Mapped[str] = mapped_column(String(12), default="posted")  # posted | reversed
    origin_id: Mapped[int | None] = mapped_column(ForeignKey("sale.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    business_day: Mapped[date] = mapped_column(Date)  # the shop's local calendar day
    subtotal: Mapped[int] = mapped_column(Integer, default=0)  # lines before the whole-sale discount
    discount: Mapped[int] = mapped_column(Integer, default=0)  # whole-sale discount, fen
    total: Mapped[int] = mapped_column(Integer, default=0)  # amount due / refunded
    paid: Mapped[int] = mapped_column(Integer, default=0)  # tendered
    change: Mapped[int] = mapped_column(Integer, default=0)
    cost: Mapped[int] = mapped_column(Integer, default=0)  # Σ line cost snapshots
    note: Mapped[str] = mapped_column(Text, default="")
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"), index=True)
    channel: Mapped[str] = mapped_column(String(12), default="till", server_default="till")  # till | wholesale
    cashier_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))  # who rang it up (0010)
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shift.id"), index=True)  # 交班 (0010)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"), index=True)  # 会员 (0017)
    lines: Mapped[list["SaleLine"]] = relationship(
        back_populates="sale", cascade="all, delete-orphan", order_by="SaleLine.line_no")
    payments: Mapped[list["Payment"]] = relationship(back_populates="sale", cascade="all, delete-orphan")
    till: Mapped[str] = mapped_column(String(20), default="", server_default="")  # made at this till (0019)


# Profit by category: one seek per (kind, category) over the period's days, each sale once by
# (business_day, sale_id) in index order, the sums from the index alone (migration 0018).
LINE_CATEGORY_INDEX = ("kind", "status", "category_id", "business_day", "sale_id", "qty", "amount", "discount",
                       "cost")

# The posted sales' lines in product order with the figures profit by product sums (migration 0025):
# a year of them aggregated without sorting a million lines. kind and status close the key only so
# that SQLite reads the index alone (3.40 does not take them from the WHERE clause).
SOLD_PRODUCT_INDEX = ("product_id", "business_day", "qty", "amount", "discount", "cost", "kind", "status")
SOLD_PRODUCT_WHERE = "kind = 'sale' AND status = 'posted'"


class SaleLine(Base):
    """``business_day``, ``kind`` and ``status`` repeat the sale's (set when the sale is posted, in the
    same transaction; a status change is copied to the lines by the listener below) so the profit
    summary reads one covering index range instead of joining every line to its sale (DESIGN §9)."""

    __tablename__ = "sale_line"
    # ix_sale_line_report covers the profit summary (sale_id: each sale once per category);
    # ix_sale_line_product_day gives a product's last sale day in one seek (slow movers), and
    # jxc check the lines' category copies without reading the table.
    __table_args__ = (Index("ix_sale_line_report", "kind", "status", "business_day", "product_id",
                            "qty", "amount", "discount", "cost", "sale_id"),
                      Index("ix_sale_line_product_day", "product_id", "kind", "status", "business_day", "category_id"),
                      Index("ix_sale_line_category", *LINE_CATEGORY_INDEX),
                      Index("ix_sale_line_sold_product", *SOLD_PRODUCT_INDEX, sqlite_where=text(SOLD_PRODUCT_WHERE)))
    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sale.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    barcode: Mapped[str] = mapped_column(String(32), default="")
    name: Mapped[str] = mapped_column(String(120))  # snapshot for receipts
    qty: Mapped[int] = mapped_column(Integer)  # thousandths, positive
    unit_price: Mapped[int] = mapped_column(Integer)  # fen per unit
    discount: Mapped[int] = mapped_column(Integer, default=0)  # line + share of whole-sale discount
    amount: Mapped[int] = mapped_column(Integer)  # net amount, fen
    cost: Mapped[int] = mapped_column(Integer, default=0)  # cost of goods sold snapshot, fen
    origin_line_id: Mapped[int | None] = mapped_column(ForeignKey("sale_line.id"), index=True)
    business_day: Mapped[date] = mapped_column(Date)  # = sale.business_day
    kind: Mapped[str] = mapped_column(String(12))  # = sale.kind
    status: Mapped[str] = mapped_column(String(12))  # = sale.status
    pack_size: Mapped[int | None] = mapped_column(Integer)  # units per pack on a wholesale note
    # 0017: the retail price when the line was sold at another level (saved = list − unit), the level
    # used (retail | member | wholesale), and the part of ``discount`` that promotions took
    list_price: Mapped[int | None] = mapped_column(Integer)
    price_level: Mapped[str] = mapped_column(String(12), default="retail", server_default="retail")
    promo_discount: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # 0021: points this line earned a member (on a return line: the points taken back)
    points: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sale: Mapped[Sale] = relationship(back_populates="lines")
    # = the product's category (migration 0018), kept equal by _lines_follow_categories below, so
    # profit by category reads ix_sale_line_category alone; a product moved takes its history along.
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))


@event.listens_for(SaleLine, "before_insert")
def _line_copies_sale(_mapper: Any, connection: Connection, line: SaleLine) -> None:
    """Lines added through the ORM without the sale's day/kind/status get them from their sale."""
    if line.business_day is not None and line.kind is not None and line.status is not None:
        return
    sale = line.__dict__.get("sale")  # the loaded/pending parent, no lazy load inside the flush
    if sale is not None:
        day, kind, status = sale.business_day, sale.kind, sale.status
    else:
        day, kind, status = connection.execute(
            select(Sale.business_day, Sale.kind, Sale.status).where(Sale.id == line.sale_id)).one()
    line.business_day = line.business_day or day
    line.kind = line.kind or kind
    line.status = line.status or status


_LINE_CATEGORY = ("UPDATE sale_line SET category_id = (SELECT p.category_id FROM product p "
                  "WHERE p.id = sale_line.product_id) WHERE {where}")


def lines_take_category(connection: Connection, line_ids: list[int]) -> None:
    """Copy each line's product category onto it (lines written by Core inserts: the bulk poster)."""
    stmt = text(_LINE_CATEGORY.format(where="id = :lid"))
    if line_ids:
        connection.execute(stmt, [{"lid": i} for i in line_ids])


@event.listens_for(Session, "after_flush")
def _lines_follow_categories(session: Session, _context: Any) -> None:
    """In the flush that writes them: new lines get their product's category, and a product given
    another category takes its lines along (the report groups history by the product's category
    of today, as profit by product names today's product)."""
    new_lines = [o.id for o in session.new if isinstance(o, SaleLine) and o.category_id is None]
    moved = [o.id for o in session.dirty if isinstance(o, Product) and _category_changed(o)]
    if not new_lines and not moved:
        return
    connection = session.connection()
    lines_take_category(connection, new_lines)
    if moved:
        connection.execute(text(_LINE_CATEGORY.format(where="product_id = :pid")), [{"pid": i} for i in moved])


def _category_changed(product: Product) -> bool:
    state = inspect(product)
    return any(state.attrs[name].history.has_changes() for name in ("category_id", "category"))


@event.listens_for(Sale.status, "set")
def _status_to_lines(sale: Sale, value: str, old: Any, _initiator: Any) -> None:
    """A sale's new status (e.g. reversed) goes to its lines in the same flush."""
    if value != old:
        for line in sale.lines:
            line.status = value


class Payment(Base):
    __tablename__ = "payment"
    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sale.id"), index=True)
    method: Mapped[str] = mapped_column(String(12))  # cash | wechat | alipay | card | credit (挂账)
    amount: Mapped[int] = mapped_column(Integer)  # applied to the total, fen
    tendered: Mapped[int] = mapped_column(Integer, default=0)  # cash handed over
    sale: Mapped[Sale] = relationship(back_populates="payments")


class HeldSale(Base):
    """A cart put aside (挂单); the cart is JSON so it survives restarts without posting."""

    __tablename__ = "held_sale"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    payload: Mapped[str] = mapped_column(Text)
    cashier_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))  # who held it (0010)


# ---------------------------------------------------------------- stock counts


class StockCount(Base):
    __tablename__ = "stock_count"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)  # open|posted|cancelled
    scope: Mapped[str] = mapped_column(Text, default="")  # "" = all, else JSON list of category ids
    note: Mapped[str] = mapped_column(Text, default="")
    uncounted: Mapped[str] = mapped_column(String(8), default="keep")  # keep | zero, chosen at post
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lines: Mapped[list["StockCountLine"]] = relationship(back_populates="count", cascade="all, delete-orphan")
    till: Mapped[str] = mapped_column(String(20), default="", server_default="")  # made at this till (0019)


class StockCountLine(Base):
    __tablename__ = "stock_count_line"
    __table_args__ = (Index("ix_stock_count_line_count_product", "count_id", "product_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("stock_count.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batch.id"))
    book_qty: Mapped[int] = mapped_column(Integer, default=0)  # on hand when the count was opened
    counted_qty: Mapped[int | None] = mapped_column(Integer)  # None = not counted yet
    counted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expected_qty: Mapped[int | None] = mapped_column(Integer)  # book qty at counted_at (ledger)
    diff_qty: Mapped[int] = mapped_column(Integer, default=0)  # set when posted
    diff_value: Mapped[int] = mapped_column(Integer, default=0)
    count: Mapped[StockCount] = relationship(back_populates="lines")


# ---------------------------------------------------------------- the ledger


class StockMove(Base):
    """One row per change of stock. ``qty``/``value`` are signed; ``balance_*`` are the
    product's position after this move."""

    __tablename__ = "stock_move"
    __table_args__ = (
        Index("ix_stock_move_product_id_id", "product_id", "id"),
        Index("ix_stock_move_product_created", "product_id", "created_at"),
        Index("ix_stock_move_doc", "doc_type", "doc_id"),
        # The moves of a time range in time order, covering stock value at a day and turnover.
        Index("ix_stock_move_time", "created_at", "product_id", "kind", "qty", "value"),
        # Only the correction moves, so profit's 成本更正 reads a handful of rows (migration 0008).
        # (Partial indexes name only their SQLite clause here: see server_index_options.)
        Index("ix_stock_move_fixes", "created_at", sqlite_where=text("kind IN ('cost_fix', 'revaluation')")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batch.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # see domain MoveKind
    qty: Mapped[int] = mapped_column(Integer)
    value: Mapped[int] = mapped_column(Integer)
    doc_type: Mapped[str] = mapped_column(String(12), default="")  # purchase|sale|count|opening|adjust
    doc_id: Mapped[int | None] = mapped_column(Integer)
    doc_line_id: Mapped[int | None] = mapped_column(Integer, index=True)  # returns look moves up by line
    doc_number: Mapped[str] = mapped_column(String(24), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # ix_stock_move_time
    balance_qty: Mapped[int] = mapped_column(Integer)
    balance_value: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(200), default="")


# ---------------------------------------------------------------- safety


class AuditLog(Base):
    """Append-only trail of protected actions, reversals, price and settings changes."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    document: Mapped[str] = mapped_column(String(40), default="")
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(40), default="")  # who did or approved it (0010)


# ---------------------------------------------------------------- money owed (往来)


class Customer(Base):
    """A named customer who may buy on account (赊账) or by wholesale note."""

    __tablename__ = "customer"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    phone: Mapped[str] = mapped_column(String(40), default="", index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    level: Mapped[str] = mapped_column(String(12), default="retail")  # retail | wholesale
    credit_limit: Mapped[int | None] = mapped_column(Integer)  # fen; None = no limit
    pinyin_key: Mapped[str] = mapped_column(String(530), default="")  # "<全拼> <首字母>", lower case
    note: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # days a sale on account may stay unpaid (0: due on the sale's day); migration 0016
    terms_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # a member (会员) is a customer with a level; migration 0017
    card_no: Mapped[str | None] = mapped_column(String(32), unique=True, index=True)
    birthday: Mapped[date | None] = mapped_column(Date)
    joined_on: Mapped[date | None] = mapped_column(Date)
    points: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # = Σ points_move.points
    stored_value: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # fen, = Σ stored_value_move
    member_level_id: Mapped[int | None] = mapped_column(ForeignKey("member_level.id"), index=True)


class MoneyDoc(Base):
    """A payment to a supplier (付款单, FK…), a collection from a customer (收款单, SK…), or a refund
    either way; ``amount`` is positive, its direction is the kind."""

    __tablename__ = "money_doc"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[str] = mapped_column(String(12))  # pay | collect | refund_in | refund_out
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"), index=True)
    doc_date: Mapped[date] = mapped_column(Date, index=True)
    amount: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(12), default="cash")  # cash | bank | wechat | alipay
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="posted")  # posted | reversed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    till: Mapped[str] = mapped_column(String(20), default="", server_default="")  # made at this till (0019)


class AccountEntry(Base):
    """One line of a party's account (往来明细), written in the transaction of its document.

    ``amount`` is signed from the party's balance: positive raises it (a purchase note we owe, a
    sale on account the customer owes), negative lowers it (a payment, a collection, a return
    credit, a reversal). The balance is the sum; what stays open on an entry is its amount less its
    live allocations."""

    __tablename__ = "account_entry"
    __table_args__ = (
        Index("ix_account_entry_supplier", "supplier_id", "entry_date", "id"),
        Index("ix_account_entry_customer", "customer_id", "entry_date", "id"),
        Index("ix_account_entry_doc", "doc_type", "doc_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    party: Mapped[str] = mapped_column(String(12))  # supplier | customer
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"))
    kind: Mapped[str] = mapped_column(String(16))  # purchase | purchase_return | sale | sale_return | pay | collect | refund | reversal | adjust
    doc_type: Mapped[str] = mapped_column(String(12))  # purchase | sale | money
    doc_id: Mapped[int] = mapped_column(Integer)
    doc_number: Mapped[str] = mapped_column(String(24), default="")
    entry_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Allocation(Base):
    """核销: part of a positive entry settled by part of a negative one of the same party. Undoing
    one keeps the row (``undone_at``) so the trail shows what was settled when."""

    __tablename__ = "allocation"
    id: Mapped[int] = mapped_column(primary_key=True)
    debit_id: Mapped[int] = mapped_column(ForeignKey("account_entry.id"), index=True)  # amount > 0
    credit_id: Mapped[int] = mapped_column(ForeignKey("account_entry.id"), index=True)  # amount < 0
    amount: Mapped[int] = mapped_column(Integer)  # > 0
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
# ---------------------------------------------------------------- styles (款号: colour × size)


class Style(Base):
    """A style of clothing or shoes; each colour × size is a product of its own (``product.style_id``)."""

    __tablename__ = "style"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)  # 款号
    name: Mapped[str] = mapped_column(String(100))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    season: Mapped[str] = mapped_column(String(16), default="")  # 春 夏 秋 冬 四季
    year: Mapped[int | None] = mapped_column(Integer)
    brand: Mapped[str] = mapped_column(String(60), default="")
    unit: Mapped[str] = mapped_column(String(16), default="件")
    sale_price: Mapped[int] = mapped_column(Integer, default=0)  # base retail price, fen
    ref_cost: Mapped[int] = mapped_column(Integer, default=0)  # base purchase price, fen
    size_group: Mapped[str] = mapped_column(String(40), default="")  # the group its sizes came from
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    category: Mapped[Category | None] = relationship()

    @property
    def category_name(self) -> str:
        return self.category.name if self.category else ""


class StyleColour(Base):
    __tablename__ = "style_colour"
    __table_args__ = (UniqueConstraint("style_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    style_id: Mapped[int] = mapped_column(ForeignKey("style.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))  # e.g. "01" or "BK": part of the variant code
    name: Mapped[str] = mapped_column(String(30))  # 黑色
    sort: Mapped[int] = mapped_column(Integer, default=0)


class StyleSize(Base):
    __tablename__ = "style_size"
    __table_args__ = (UniqueConstraint("style_id", "size"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    style_id: Mapped[int] = mapped_column(ForeignKey("style.id"), index=True)
    size: Mapped[str] = mapped_column(String(16))  # S, 38, 均码
    sort: Mapped[int] = mapped_column(Integer, default=0)


# ---------------------------------------------------------------- staff and shifts (0010)


class Person(Base):
    """The owner and the cashiers who sign in at the till. ``pin_hash`` is the scrypt text of
    services/safety/pin.py; each person has their own wrong-PIN count and lock."""

    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    number: Mapped[str] = mapped_column(String(8), unique=True)  # short login number, e.g. "01"
    role: Mapped[str] = mapped_column(String(12), default="cashier")  # owner | cashier
    pin_hash: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Shift(Base):
    """A cashier's shift at one till (交班): the float in, the counted cash out."""

    __tablename__ = "shift"
    # At most one open shift per till, kept by the file itself.
    __table_args__ = (Index("uq_shift_open_till", "till", unique=True, sqlite_where=text("status = 'open'")),
                      Index("ix_shift_opened_at", "opened_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    till: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    status: Mapped[str] = mapped_column(String(8), default="open")  # open | closed
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    float_amount: Mapped[int] = mapped_column(Integer, default=0)  # 备用金 put in at the start, fen
    expected: Mapped[int | None] = mapped_column(Integer)  # cash the drawer should hold at close
    counted: Mapped[int | None] = mapped_column(Integer)  # cash counted at close
    counted_detail: Mapped[str] = mapped_column(Text, default="")  # JSON {denomination fen: pieces}
    float_left: Mapped[int | None] = mapped_column(Integer)  # cash left in the drawer for the next shift
    note: Mapped[str] = mapped_column(Text, default="")


class CashMove(Base):
    """Cash paid into (+) or out of (−) the drawer outside a sale, with its reason."""

    __tablename__ = "cash_move"
    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shift.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    till: Mapped[str] = mapped_column(String(20), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    amount: Mapped[int] = mapped_column(Integer)  # signed fen
    reason: Mapped[str] = mapped_column(String(100), default="")


# ---------------------------------------------------------------- promotions (issue 17)


class Promotion(Base):
    """特价, 买N付M, 第N件X%, 满减 (the rules: domain/promotions.py). Times are local wall-clock, naive:
    a promotion "until 22:00" means the shop's 22:00. Never deleted; ending one sets ``ends``."""

    __tablename__ = "promotion"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(16))  # special_price | buy_n_pay_m | nth_at_percent | threshold
    n: Mapped[int] = mapped_column(Integer, default=0)
    m: Mapped[int] = mapped_column(Integer, default=0)
    pay_pct: Mapped[int] = mapped_column(Integer, default=0)
    threshold: Mapped[int] = mapped_column(Integer, default=0)  # fen
    reduction: Mapped[int] = mapped_column(Integer, default=0)  # fen
    repeat: Mapped[bool] = mapped_column(Boolean, default=False)
    member_only: Mapped[bool] = mapped_column(Boolean, default=False)
    stackable: Mapped[bool] = mapped_column(Boolean, default=False)
    starts: Mapped[datetime] = mapped_column(DateTime)  # local, naive
    ends: Mapped[datetime | None] = mapped_column(DateTime, index=True)  # local, naive; exclusive
    weekdays: Mapped[str] = mapped_column(String(7), default="")  # "56" = Saturday and Sunday; "" = every day
    daily_from: Mapped[str] = mapped_column(String(5), default="")  # "HH:MM" or ""
    daily_to: Mapped[str] = mapped_column(String(5), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PromotionProduct(Base):
    """A product in a promotion's scope; ``price`` is its special price (特价) in fen."""

    __tablename__ = "promotion_product"
    __table_args__ = (UniqueConstraint("promotion_id", "product_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    promotion_id: Mapped[int] = mapped_column(ForeignKey("promotion.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    price: Mapped[int | None] = mapped_column(Integer)


class PromotionCategory(Base):
    __tablename__ = "promotion_category"
    __table_args__ = (UniqueConstraint("promotion_id", "category_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    promotion_id: Mapped[int] = mapped_column(ForeignKey("promotion.id"))
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)


class MemberLevel(Base):
    """A member level (普通/银卡/金卡). ``price_pct``: the level discount on the retail price for products
    without a member price (95 = 95折); ``points_pct`` scales the points earned (100 = the shop's rate)."""

    __tablename__ = "member_level"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20), unique=True)
    price_pct: Mapped[int] = mapped_column(Integer, default=100)
    points_pct: Mapped[int] = mapped_column(Integer, default=100)
    sort: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PointsMove(Base):
    """积分 ledger of one member, append-only: earn (a sale), redeem (paid with points), return (a
    return takes back its share), reverse, adjust (the owner, with PIN). Σ points = customer.points."""

    __tablename__ = "points_move"
    __table_args__ = (Index("ix_points_move_customer", "customer_id", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(12))
    points: Mapped[int] = mapped_column(Integer)  # signed
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sale.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(60), default="")


class StoredValueMove(Base):
    """储值 ledger of one member, append-only, fen signed from the member's balance: topup (money
    received, ``method`` says how; a liability, not revenue), bonus (充100送10), pay (a tender), refund
    (a return paid back to the card), reverse, adjust (the owner, with PIN). Σ amount =
    customer.stored_value."""

    __tablename__ = "stored_value_move"
    __table_args__ = (Index("ix_stored_value_move_customer", "customer_id", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(12))
    number: Mapped[str | None] = mapped_column(String(24), index=True)  # a top-up's document number
    business_day: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(Integer)  # fen, signed
    method: Mapped[str] = mapped_column(String(12), default="")  # a top-up's payment method
    shift_id: Mapped[int | None] = mapped_column(Integer)  # the shift whose drawer took a top-up
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sale.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(60), default="")


class SalePromotion(Base):
    """What one promotion took off one sale line: the visible promotion lines of a receipt and the
    promotion results report."""

    __tablename__ = "sale_promotion"
    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sale.id"), index=True)
    sale_line_id: Mapped[int] = mapped_column(ForeignKey("sale_line.id"), index=True)
    promotion_id: Mapped[int] = mapped_column(ForeignKey("promotion.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    amount: Mapped[int] = mapped_column(Integer)  # fen


def server_index_options() -> None:
    """Give each partial index its PostgreSQL clause (the same as SQLite's), for a process that opens a
    server database (db/server.py). Named in the model itself, ``postgresql_where`` made every
    process load SQLAlchemy's PostgreSQL dialect — ~50 ms of each ``jxc`` command on a SQLite file.
    The migrations create the indexes with both clauses; this keeps the model saying the same."""
    for table in Base.metadata.tables.values():
        for index in table.indexes:
            where = index.dialect_options["sqlite"]["where"]
            if where is not None and index.dialect_options["postgresql"]["where"] is None:
                index.dialect_options["postgresql"]["where"] = where
