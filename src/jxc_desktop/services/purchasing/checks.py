"""The checks of a note's input before anything is looked up (pure: no database).

Strict types on purpose: True is an int to Python, 2.5 or a Decimal would be stored as REAL, "3"
breaks comparisons, a date typed as text must get a clear message and not a TypeError.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from jxc_desktop.domain.clock import local_day
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import MAX_FEN
from jxc_desktop.domain.quantity import MAX_QTY
from jxc_desktop.services.purchasing.dto import LineInput, ReturnLineInput


def expiry_of(production: date | None, expiry: date | None, shelf_life_days: int | None) -> date | None:
    """The stated expiry date, else production date + shelf life."""
    if expiry is not None:
        return expiry
    if production is not None and shelf_life_days:
        return production + timedelta(days=shelf_life_days)
    return None


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_day(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def check_qty_cost(name: str, qty: int, unit_cost: int, amount: int | None) -> None:
    if not is_int(qty):
        raise ValidationError("{name}: the quantity is not a whole number of thousandths", name=name)
    if qty <= 0:
        raise ValidationError("{name}: the quantity must be greater than zero", name=name)
    if qty > MAX_QTY:
        raise ValidationError("{name}: the quantity is too large", name=name)
    if not is_int(unit_cost) or (amount is not None and not is_int(amount)):
        raise ValidationError("{name}: the cost is not a whole number of fen", name=name)
    if unit_cost < 0:
        raise ValidationError("{name}: the unit cost must not be negative", name=name)
    if unit_cost > MAX_FEN or (amount is not None and amount > MAX_FEN):
        raise ValidationError("{name}: the cost is too large", name=name)
    if amount is not None and amount < 0:
        raise ValidationError("{name}: the line amount must not be negative", name=name)


def check_inputs(lines: Sequence[LineInput | ReturnLineInput]) -> None:
    """Field types of the lines as given, before anything is looked up (a product id of "1", a
    batch number None or a date typed as text get a clear message, not a TypeError)."""
    for ln in lines:
        if not is_int(ln.product_id):
            raise ValidationError("A line does not name a product")
        if ln.batch_no is not None and not isinstance(ln.batch_no, str):
            raise ValidationError("{field} is not text", field="Batch number")
        if isinstance(ln, LineInput):
            for day in (ln.production_date, ln.expiry_date):
                if day is not None and not is_day(day):
                    raise ValidationError("{field}: '{value}' is not a date (YYYY-MM-DD)",
                                          field="Expiry date" if day is ln.expiry_date else "Production date",
                                          value=str(day)[:20])
        elif ln.origin_line_id is not None and not is_int(ln.origin_line_id):
            raise ValidationError("Choose the purchase note the goods came with")


def parse_date(text: str, what: str = "Date") -> date | None:
    """A date as owners write it: 2026-12-31, 2026/12/31, 2026.12.31 or 20261231; empty = None."""
    text = text.strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"):
        try:
            return datetime.strptime(text[:10] if fmt != "%Y%m%d" else text, fmt).date()
        except ValueError:
            continue
    raise ValidationError("{field}: '{value}' is not a date (YYYY-MM-DD)", field=what, value=text[:40])


def doc_date(value: date | None, at: datetime) -> date:
    """The note's date: the given one (not in the future, not before 2000) or the local day of ``at``."""
    today = local_day(at)
    if value is not None and not is_day(value):
        raise ValidationError("{field}: '{value}' is not a date (YYYY-MM-DD)", field="Date", value=str(value)[:20])
    day = value or today
    if day > today:
        raise ValidationError("The date {day} is in the future", day=day.isoformat())
    if day < date(2000, 1, 1):
        raise ValidationError("The date {day} is too far in the past", day=day.isoformat())
    return day
