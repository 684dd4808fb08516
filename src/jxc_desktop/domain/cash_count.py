"""Counting the drawer at the end of a shift (交班): notes and coins by denomination, the cash the
drawer should hold, and over/short. Pure; amounts in integer fen.

Expected cash = float + cash takings − cash refunds + cash paid in − cash paid out.
Over/short = counted − expected (negative: short).
"""

from __future__ import annotations

from collections.abc import Mapping

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import MAX_FEN

# 100, 50, 20, 10, 5, 1 yuan, 5 jiao, 1 jiao — in fen, largest first.
DENOMINATIONS: tuple[int, ...] = (10000, 5000, 2000, 1000, 500, 100, 50, 10)
MAX_PIECES = 100_000


def count_total(pieces: Mapping[int, int]) -> int:
    """The cash of a count by denomination ``{fen: pieces}``; refuses unknown notes and negative counts."""
    total = 0
    for denomination, n in pieces.items():
        if denomination not in DENOMINATIONS:
            raise ValidationError("{value} is not a note or coin of the count", value=denomination)
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_PIECES:
            raise ValidationError("The number of pieces must be a whole number from 0 to {max}", max=MAX_PIECES)
        total += denomination * n
    return total


def expected_cash(float_amount: int, cash_takings: int, cash_refunds: int, moves_in: int, moves_out: int) -> int:
    """What the drawer should hold: all arguments are positive amounts in fen."""
    return float_amount + cash_takings - cash_refunds + moves_in - moves_out


def check_amount(fen: int, what: str) -> int:
    if isinstance(fen, bool) or not isinstance(fen, int) or not 0 <= fen <= MAX_FEN:
        raise ValidationError("{field} must be an amount from 0", field=what)
    return fen
