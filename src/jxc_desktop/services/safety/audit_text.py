"""Audit entries in words a shop owner reads: amounts in yuan, quantities in units.

The trail stores what the services wrote (JSON with fen and thousandths, short codes); this turns
one stored text into ``(field, value)`` pairs without changing what is stored. Naming the fields
and codes in the user's language is the caller's job (the window uses tr(), the CLI keeps codes).
"""

from __future__ import annotations

import json
from typing import Any

from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty

# Fields in fen / thousandths. Named explicitly, plus the suffix rule, so a new service's
# ``*_price``/``*_cost``/``*_value`` field reads as money without another edit here.
MONEY_FIELDS = frozenset({"sale_price", "ref_cost", "last_cost", "avg_cost", "discount", "total", "total_fen",
                          "gain_value", "loss_value", "amount", "price", "cost", "paid", "change"})
MONEY_SUFFIXES = ("_price", "_cost", "_value", "_fen", "_amount")
QTY_FIELDS = frozenset({"gain_qty", "loss_qty", "qty"})
QTY_SUFFIXES = ("_qty",)


def is_money(field: str) -> bool:
    return field in MONEY_FIELDS or field.endswith(MONEY_SUFFIXES)


def is_qty(field: str) -> bool:
    return field in QTY_FIELDS or field.endswith(QTY_SUFFIXES)


def readable_value(field: str, value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value).lower()
    if isinstance(value, int):
        if is_money(field):
            return format_fen(value)
        if is_qty(field):
            return format_qty(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def fields(text: str) -> list[tuple[str, str]] | None:
    """A stored JSON object as ``[(field, readable value)]`` in stored order; None for plain text."""
    text = (text or "").strip()
    if not text.startswith("{"):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    return [(str(k), readable_value(str(k), v)) for k, v in data.items()]


def readable(text: str, label: Any = None) -> str:
    """One stored text as a line: ``售价 ¥0.10, 进价 ¥4.50``; ``label(field)`` names a field."""
    pairs = fields(text)
    if pairs is None:
        return text or ""
    name = label if callable(label) else (lambda f: f)
    return ", ".join(f"{name(k)} {v if v != '' else '—'}" for k, v in pairs)
