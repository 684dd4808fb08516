"""Price levels (价格等级) of a cart line, to the fen (pure): retail, member, wholesale.

A member pays the product's member price, or — for a product without one — the retail price less
the member level's discount (``price_pct`` 95 = 95折); a wholesale customer pays the product's
wholesale price (the retail price when it has none). Never more than retail: a level that would
charge more leaves the line at retail. A line the cashier changed by hand (a manual price or line
discount, a price label's fixed amount) keeps its price whatever the level, as it keeps it under
promotions (domain/promotions.py ``manual``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from jxc_desktop.domain.cart import CartLine
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.pricing import percent_of

RETAIL = "retail"
MEMBER = "member"
WHOLESALE = "wholesale"
PRICE_LEVELS = (RETAIL, MEMBER, WHOLESALE)


@dataclass(frozen=True)
class LevelRule:
    """How one buyer's prices are found: the level, and the level discount for member prices."""

    level: str = RETAIL
    price_pct: int = 100

    def __post_init__(self) -> None:
        if self.level not in PRICE_LEVELS:
            raise ValidationError("Unknown price level {level}", level=str(self.level)[:20])
        if not isinstance(self.price_pct, int) or not 1 <= self.price_pct <= 100:
            raise ValidationError("A level discount must be 1 to 100 percent of the retail price")


@dataclass(frozen=True)
class ProductPrices:
    """A product's prices in fen: retail, member (None: the level discount), wholesale (0: retail)."""

    retail: int
    member: int | None = None
    wholesale: int = 0


def level_price(rule: LevelRule, prices: ProductPrices) -> tuple[str, int]:
    """(level, unit price) for one product: the level's price, or retail when it is not lower."""
    if rule.level == WHOLESALE:
        price = prices.wholesale or prices.retail
    elif rule.level == MEMBER:
        price = prices.member if prices.member is not None else percent_of(prices.retail, rule.price_pct)
    else:
        price = prices.retail
    if price >= prices.retail or price <= 0:
        return RETAIL, prices.retail
    return rule.level, price


def is_manual(line: CartLine) -> bool:
    """The cashier set this line's price or discount by hand, or a label fixed its amount."""
    return (line.fixed_amount is not None or line.line_discount != 0
            or (line.list_price >= 0 and line.list_price != line.unit_price))


def retail_of(line: CartLine) -> int:
    """The retail price the line started from."""
    return line.retail_price if line.price_level != RETAIL and line.retail_price >= 0 else line.catalogue_price


def at_level(line: CartLine, rule: LevelRule, prices: ProductPrices | None) -> CartLine:
    """The line at ``rule``'s level (``prices``: the product's; None when it is not known, which
    leaves the line at retail). A manual line is returned as it is."""
    if is_manual(line):
        return line
    retail = retail_of(line)
    known = replace(prices, retail=retail) if prices is not None else ProductPrices(retail)
    level, price = level_price(rule if prices is not None else LevelRule(), known)
    if level == RETAIL:
        return replace(line, unit_price=retail, list_price=-1, price_level=RETAIL, retail_price=-1)
    return replace(line, unit_price=price, list_price=-1, price_level=level, retail_price=retail)
