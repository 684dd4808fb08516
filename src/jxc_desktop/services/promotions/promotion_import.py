"""Promotions from a csv/xlsx file (`jxc promotions import`): one row per promotion, all or nothing.

Columns (English or Chinese headers, any order; only name, kind and starts are required):
名称 name · 类型 kind (特价 | 买N付M | 第N件 | 满减, or special_price | buy_n_pay_m | nth_at_percent |
threshold) · 开始 starts · 结束 ends (a date alone ends after that day) · 商品 products (货号 separated
by , ; or spaces; for 特价 each may be ``货号=价格``) · 特价 price (yuan, for products without their
own) · 分类 categories (names) · 买 n · 付 m · 付款% pay % · 满 threshold (yuan) · 减 reduction (yuan) ·
每满 repeat · 仅会员 member only · 可叠加 stackable (是/否) · 星期 weekdays (1–7, Monday = 1) · 每日开始
from · 每日结束 to · 备注 note.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import parse_yuan
from jxc_desktop.domain.promotion_rules import Kind
from jxc_desktop.files.tabular import TableRow, find_columns, read_table
from jxc_desktop.services.catalog.api import category_by_name, product_by_code
from jxc_desktop.services.promotions.dto import PromotionImportRejected, PromotionInput, RowError
from jxc_desktop.services.promotions.validation import validate_promotion

MAX_ROWS = 5000
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("名称", "name", "促销名称"), "kind": ("类型", "kind", "type"),
    "starts": ("开始", "starts", "start", "开始时间"), "ends": ("结束", "ends", "end", "结束时间"),
    "products": ("商品", "products", "货号"), "price": ("特价", "price"),
    "categories": ("分类", "categories", "category"), "n": ("买", "n"), "m": ("付", "m"),
    "pay_pct": ("付款%", "pay %", "pay_pct", "percent"), "threshold": ("满", "threshold"),
    "reduction": ("减", "reduction"), "repeat": ("每满", "repeat"), "member_only": ("仅会员", "member only"),
    "stackable": ("可叠加", "stackable"), "weekdays": ("星期", "weekdays"), "daily_from": ("每日开始", "from"),
    "daily_to": ("每日结束", "to"), "note": ("备注", "note"),
}
KIND_WORDS = {"特价": Kind.SPECIAL_PRICE, "买n付m": Kind.BUY_N_PAY_M, "第n件": Kind.NTH_AT_PERCENT,
              "第二件": Kind.NTH_AT_PERCENT, "满减": Kind.THRESHOLD, **{k.value: k for k in Kind}}
YES = {"是", "y", "yes", "true", "1", "√", "✓"}
NO = {"", "否", "n", "no", "false", "0"}
_SPLIT = re.compile(r"[,，;；\s]+")


def _when(text: str, field: str, *, end: bool = False) -> datetime | None:
    raw = text.strip().replace("/", "-").replace("T", " ")
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError("{field}: '{value}' is not a date and time", field=field, value=raw[:30]) from exc
    if end and len(raw) <= 10:  # a date alone: the whole of that day
        moment += timedelta(days=1)
    return moment.replace(tzinfo=None)


def _flag(text: str, field: str) -> bool:
    word = text.strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValidationError("{field}: '{value}' is neither 是 nor 否", field=field, value=word[:20])


def _int(text: str, field: str) -> int:
    raw = text.strip()
    if not raw:
        return 0
    if not re.fullmatch(r"\d{1,6}", raw):
        raise ValidationError("{field}: '{value}' is not a whole number", field=field, value=raw[:20])
    return int(raw)


def _row(session: Session, row: TableRow, cols: dict[str, str]) -> PromotionInput:
    def cell(key: str) -> str:
        return row.cell(cols.get(key))

    kind = KIND_WORDS.get(cell("kind").strip().lower().replace(" ", ""))
    if kind is None:
        raise ValidationError("Unknown promotion kind '{kind}'", kind=cell("kind")[:20])
    starts = _when(cell("starts"), "starts")
    if starts is None:
        raise ValidationError("The row has no start")
    default_price = parse_yuan(cell("price"), field="price") if cell("price").strip() else None
    products: list[tuple[int, int | None]] = []
    for item in (w for w in _SPLIT.split(cell("products")) if w):
        code, _, price_text = item.partition("=")
        product = product_by_code(session, code)
        if product is None:
            raise ValidationError("No product has the code {code}", code=code[:40])
        price = parse_yuan(price_text, field="price") if price_text else default_price
        products.append((product.id, price if kind is Kind.SPECIAL_PRICE else None))
    categories = []
    for name in (w for w in _SPLIT.split(cell("categories")) if w):
        category = category_by_name(session, name)
        assert category is not None  # a non-empty name: found, or ValidationError
        categories.append(category.id)
    weekdays = "".join(sorted({str(int(c) - 1) for c in cell("weekdays") if c in "1234567"}))
    if any(c not in "1234567,，、 " for c in cell("weekdays")):
        raise ValidationError("Weekdays are the digits 1 (Monday) to 7 (Sunday)")
    money = {k: parse_yuan(cell(k), field=k) if cell(k).strip() else 0 for k in ("threshold", "reduction")}
    return PromotionInput(
        name=cell("name"), kind=kind, starts=starts, ends=_when(cell("ends"), "ends", end=True),
        products=tuple(products), category_ids=tuple(categories), n=_int(cell("n"), "n"), m=_int(cell("m"), "m"),
        pay_pct=_int(cell("pay_pct"), "pay %"), threshold=money["threshold"], reduction=money["reduction"],
        repeat=_flag(cell("repeat"), "repeat"), member_only=_flag(cell("member_only"), "member only"),
        stackable=_flag(cell("stackable"), "stackable"), weekdays=weekdays, daily_from=cell("daily_from"),
        daily_to=cell("daily_to"), note=cell("note"))


def read_promotions(session: Session, path: Path | str) -> list[PromotionInput]:
    """Every row as clean input; PromotionImportRejected (each bad row and why) if any is wrong."""
    headers, rows = read_table(path, vocabulary={n for names in HEADERS.values() for n in names})
    cols = find_columns(headers, HEADERS)
    missing = [HEADERS[f][0] for f in ("name", "kind", "starts") if f not in cols]
    if missing:
        raise ValidationError("The file lacks the column(s): {names}", names=", ".join(missing))
    if not rows:
        raise ValidationError("The file has no promotions")
    if len(rows) > MAX_ROWS:
        raise ValidationError("At most {n} promotions per file", n=MAX_ROWS)
    out, errors = [], []
    for row in rows:
        try:
            out.append(validate_promotion(session, _row(session, row, cols)))
        except ValidationError as exc:
            errors.append(RowError(row.row, exc.message))
    if errors:
        raise PromotionImportRejected(errors)
    return out
