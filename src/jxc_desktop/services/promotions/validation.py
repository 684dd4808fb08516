"""A promotion as entered → a clean one, or a ValidationError that says what is wrong (nothing is
written then). Product and category ids are checked against the catalogue in the caller's session."""

from __future__ import annotations

import re
from dataclasses import replace

from sqlalchemy.orm import Session

from jxc_desktop.domain.errors import JxcError, ValidationError
from jxc_desktop.domain.money import MAX_FEN
from jxc_desktop.domain.product_rules import clean_text
from jxc_desktop.domain.promotion_rules import Kind
from jxc_desktop.services.catalog.api import get_category, get_product
from jxc_desktop.services.promotions.dto import PromotionInput

MAX_SCOPE = 2000  # products or categories named by one promotion
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _clock(text: str, field: str) -> str:
    text = (text or "").strip()
    if len(text) == 4 and text[1] == ":":
        text = "0" + text
    if text and not _HHMM.match(text):
        raise ValidationError("{field}: '{value}' is not a time of day (HH:MM)", field=field, value=text[:10])
    return text


def _kind_fields(data: PromotionInput) -> PromotionInput:
    kind = data.kind
    if kind is Kind.SPECIAL_PRICE:
        if not data.products:
            raise ValidationError("A special price needs at least one product")
        for pid, price in data.products:
            if price is None or not 0 <= price <= MAX_FEN:
                raise ValidationError("Product {id} needs a special price of 0 or more", id=pid)
        return replace(data, category_ids=(), n=0, m=0, pay_pct=0, threshold=0, reduction=0, repeat=False)
    products = tuple((pid, None) for pid, _ in data.products)
    if kind is Kind.THRESHOLD:
        if not 0 < data.threshold <= MAX_FEN:
            raise ValidationError("The threshold must be more than 0")
        if not 0 < data.reduction < data.threshold:
            raise ValidationError("The reduction must be more than 0 and less than the threshold")
        return replace(data, products=products, n=0, m=0, pay_pct=0)
    if not data.products and not data.category_ids:
        raise ValidationError("Name the products or categories the promotion is for")
    if kind is Kind.BUY_N_PAY_M:
        if not 2 <= data.n <= 100:
            raise ValidationError("Buy N: N must be 2 to 100")
        if not 1 <= data.m < data.n:
            raise ValidationError("Buy {n} pay {m}: M must be at least 1 and less than N", n=data.n, m=data.m)
        return replace(data, products=products, pay_pct=0, threshold=0, reduction=0, repeat=False)
    if not 2 <= data.n <= 100:
        raise ValidationError("The N-th item: N must be 2 to 100")
    if not 0 <= data.pay_pct <= 100:
        raise ValidationError("The percentage must be 0 to 100")
    return replace(data, products=products, m=data.n - 1, threshold=0, reduction=0, repeat=False)


def validate_promotion(session: Session, data: PromotionInput) -> PromotionInput:
    """The clean input; ValidationError on the first problem."""
    name = clean_text(data.name, "Promotion name", 60, required=True)
    try:
        kind = Kind(data.kind)
    except ValueError as exc:
        raise ValidationError("Unknown promotion kind '{kind}'", kind=str(data.kind)[:20]) from exc
    if data.ends is not None and data.ends <= data.starts:
        raise ValidationError("The promotion ends before it starts")
    weekdays = "".join(sorted(set(data.weekdays or "")))
    if any(c not in "0123456" for c in weekdays):
        raise ValidationError("Weekdays are the digits 0 (Monday) to 6 (Sunday)")
    daily_from, daily_to = _clock(data.daily_from, "From"), _clock(data.daily_to, "To")
    if daily_from and daily_to and daily_to <= daily_from:
        raise ValidationError("The daily hours end before they start")
    if len(data.products) > MAX_SCOPE or len(data.category_ids) > MAX_SCOPE:
        raise ValidationError("A promotion names at most {n} products or categories", n=MAX_SCOPE)
    products = tuple(dict(data.products).items())  # one entry per product, the last price given
    data = replace(data, name=name, kind=kind, weekdays=weekdays, daily_from=daily_from, daily_to=daily_to,
                   products=products, category_ids=tuple(dict.fromkeys(data.category_ids)),
                   note=clean_text(data.note, "Note", 500))
    data = _kind_fields(data)
    try:
        for pid, _ in data.products:
            get_product(session, pid)
        for cid in data.category_ids:
            get_category(session, cid)
    except JxcError as exc:  # NotFoundError: the catalogue's own message
        raise ValidationError(exc.template, **exc.params) from exc
    return data
