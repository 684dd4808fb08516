"""Money is integer fen (分). One rounding rule, half-up, lives here."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from jxc_desktop.domain.errors import ValidationError

FEN_PER_YUAN = 100
# A till never sees a price or total above this (¥100 000 000.00); larger input is a typo.
MAX_FEN = 10_000_000_000

_MONEY_RE = re.compile(r"^[+-]?\d+(\.\d{1,2})?$")


def div_round(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half away from zero, in exact integer arithmetic."""
    if denominator == 0:
        raise ZeroDivisionError("div_round by zero")
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    quotient, remainder = divmod(abs(numerator), denominator)
    if remainder * 2 >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def round_fen(value: Decimal) -> int:
    """A Decimal amount of fen rounded half-up to whole fen."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_yuan(text: str | int | Decimal, *, field: str = "amount", allow_negative: bool = False) -> int:
    """Parse ``"12.5"``/``"¥12.50"`` yuan into fen. Rejects floats' friends: NaN, inf, 3 decimals."""
    if isinstance(text, int) and not isinstance(text, bool):
        fen = text * FEN_PER_YUAN
    else:
        raw = str(text).strip().replace("¥", "").replace("￥", "").replace(",", "").strip()
        if not _MONEY_RE.match(raw):
            raise ValidationError("{field}: '{value}' is not an amount of money", field=field, value=str(text)[:40])
        try:
            fen = round_fen(Decimal(raw) * FEN_PER_YUAN)
        except InvalidOperation as exc:  # pragma: no cover - regex already guards
            raise ValidationError("{field}: '{value}' is not an amount of money", field=field, value=raw) from exc
    if fen < 0 and not allow_negative:
        raise ValidationError("{field} must not be negative", field=field)
    if abs(fen) > MAX_FEN:
        raise ValidationError("{field} is too large", field=field)
    return fen


def format_fen(fen: int, *, symbol: bool = True) -> str:
    """``1234`` -> ``¥12.34``; negative amounts keep their sign before the symbol."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(int(fen)), FEN_PER_YUAN)
    body = f"{yuan:,}.{cents:02d}" if symbol else f"{yuan}.{cents:02d}"
    return f"{sign}¥{body}" if symbol else f"{sign}{body}"


def fen_to_yuan_str(fen: int) -> str:
    """Plain ``12.34`` for files and editors (no symbol, no thousands separator)."""
    return format_fen(fen, symbol=False)
