"""The wholesale sales note (销售单) as a value: lines counted in packs and loose units, at the
wholesale price, with line and note discounts in fen (pure, no database).

A wholesale customer buys by the case: 5 cases of 24 and 6 loose bottles is 126 bottles. The note
keeps the packs for the paper and the screen, and turns into an ordinary till cart
(:func:`to_cart`) to be posted through the same sale path, so the ledger, the cost snapshots and
the discount arithmetic are the till's.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from jxc_desktop.domain.cart import MAX_LINES, Cart, CartLine, check_qty
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.pricing import line_value
from jxc_desktop.domain.quantity import MILLI, format_qty

MAX_PACK_SIZE = 10_000  # units in one pack; more is a typo
MAX_PACKS = 100_000


@dataclass(frozen=True)
class NoteLine:
    product_id: int
    name: str
    unit: str
    price: int  # fen per unit, as charged
    pack_size: int = 1  # units per pack (件); 1 = sold by the unit
    packs: int = 0
    loose: int = 0  # thousandths of a unit beyond the whole packs
    list_price: int = -1  # the catalogue's wholesale price; -1 = same as price
    line_discount: int = 0  # fen
    code: str = ""
    spec: str = ""

    @property
    def qty(self) -> int:
        """The whole quantity in thousandths of a unit."""
        return self.packs * self.pack_size * MILLI + self.loose

    @property
    def gross(self) -> int:
        return line_value(self.qty, self.price)

    @property
    def net(self) -> int:
        return self.gross - self.line_discount


@dataclass(frozen=True)
class WholesaleNote:
    lines: tuple[NoteLine, ...] = field(default_factory=tuple)
    discount: int = 0  # off the whole note, fen
    note: str = ""

    @property
    def subtotal(self) -> int:
        return sum(line.net for line in self.lines)

    @property
    def total(self) -> int:
        return self.subtotal - self.discount


def split_packs(qty: int, pack_size: int) -> tuple[int, int]:
    """``qty`` thousandths as (whole packs, loose thousandths)."""
    if pack_size <= 1:
        return 0, qty
    return divmod(qty, pack_size * MILLI)


def packs_text(qty: int, pack_size: int | None) -> str:
    """``5×24+6`` for the paper: packs × units per pack, plus the loose units; ``6`` without packs."""
    packs, loose = split_packs(qty, pack_size or 1)
    if not packs:
        return format_qty(qty)
    text = f"{packs}×{pack_size}"
    return f"{text}+{format_qty(loose)}" if loose else text


def check_line(line: NoteLine) -> NoteLine:
    """Types and ranges of one line (ValidationError); the price rules are the cart's."""
    for value in (line.pack_size, line.packs, line.loose, line.price, line.line_discount):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValidationError("Quantity is not a number")
    if not 1 <= line.pack_size <= MAX_PACK_SIZE:
        raise ValidationError("Units per pack must be from 1 to {n}", n=MAX_PACK_SIZE)
    if line.packs < 0 or line.loose < 0:
        raise ValidationError("Quantity must be greater than zero")
    if line.packs > MAX_PACKS:
        raise ValidationError("Quantity {qty} is too large for one line", qty=line.packs)
    check_qty(line.qty)
    if line.line_discount < 0:
        raise ValidationError("A discount must not be negative")
    if line.line_discount > line.gross:
        raise ValidationError("The discount on {name} is more than the line amount", name=line.name)
    return line


def with_line(note: WholesaleNote, line: NoteLine, index: int | None = None) -> WholesaleNote:
    """The note with ``line`` added (``index`` None) or put in place of line ``index``."""
    check_line(line)
    lines = list(note.lines)
    if index is None:
        if len(lines) >= MAX_LINES:
            raise ValidationError("The cart is full ({n} lines)", n=MAX_LINES)
        lines.append(line)
    else:
        lines[index] = line
    return replace(note, lines=tuple(lines))


def without_line(note: WholesaleNote, index: int) -> WholesaleNote:
    lines = list(note.lines)
    del lines[index]
    return replace(note, lines=tuple(lines), discount=note.discount if lines else 0)


def to_cart(note: WholesaleNote, *, owner_approved: bool = False) -> Cart:
    """The till cart of the note: same products, quantities, prices and discounts. The list price
    is the wholesale price, so selling at it is no discount under the shop's limits."""
    if not note.lines:
        raise ValidationError("The cart is empty")
    for line in note.lines:
        check_line(line)
    # the sale lines say they were sold at the wholesale level (sale_line.price_level, issue 17)
    lines = tuple(CartLine(ln.product_id, ln.name, ln.price, ln.qty, ln.list_price, "", ln.unit, ln.line_discount,
                           price_level="wholesale") for ln in note.lines)
    return Cart(lines, note.discount, owner_approved)
