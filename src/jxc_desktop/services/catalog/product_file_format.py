"""The product file's format: columns and their other spellings, parsing one row's cells, and a
product as an exported row. Import and export (product_files.py) share it, so both ways agree."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jxc_desktop.db.models import Product
from jxc_desktop.domain.barcode import normalize_barcode
from jxc_desktop.domain.errors import JxcError, ValidationError
from jxc_desktop.domain.money import parse_yuan
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.quantity import format_qty, parse_qty
from jxc_desktop.files import tabular

# (header as written, field). The order is the file's column order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("货号", "code"),
    ("名称", "name"),
    ("助记码", "pinyin"),
    ("规格", "spec"),
    ("单位", "unit"),
    ("分类", "category"),
    ("售价", "sale_price"),
    ("进价", "ref_cost"),
    ("条码", "barcodes"),
    ("最低库存", "min_stock"),
    ("最高库存", "max_stock"),
    ("保质期天数", "shelf_life_days"),
    ("批次管理", "tracks_batches"),
    ("状态", "active"),
    # Optional: a colour × size variant of a style (款号). Rows sharing a style build its grid
    # (style_import.py); a file without these columns imports as it always did.
    ("款号", "style"),
    ("颜色", "colour"),
    ("色号", "colour_code"),
    ("尺码", "size"),
)
STYLE_KEYS = frozenset({"style", "style_name", "colour", "colour_code", "size"})
HEADERS = tuple(h for h, _ in COLUMNS)
# Other spellings owners' files use for the same columns (English, other Chinese terms).
ALIASES: dict[str, str] = {
    "code": "code", "编码": "code", "商品编码": "code", "自编码": "code",
    "name": "name", "商品名称": "name", "品名": "name",
    "pinyin": "pinyin", "拼音码": "pinyin",
    "spec": "spec", "规格型号": "spec",
    "unit": "unit",
    "category": "category", "类别": "category", "商品分类": "category",
    "sale_price": "sale_price", "price": "sale_price", "零售价": "sale_price", "销售价": "sale_price",
    "ref_cost": "ref_cost", "cost": "ref_cost", "进货价": "ref_cost", "采购价": "ref_cost",
    "barcode": "barcodes", "barcodes": "barcodes", "商品条码": "barcodes",
    "min_stock": "min_stock", "库存下限": "min_stock",
    "max_stock": "max_stock", "库存上限": "max_stock",
    "shelf_life_days": "shelf_life_days", "保质期": "shelf_life_days",
    "tracks_batches": "tracks_batches", "批次": "tracks_batches",
    "active": "active", "status": "active",
    "style": "style", "style_code": "style", "款式": "style", "款式编号": "style", "款式号": "style",
    "style_name": "style_name", "款名": "style_name", "款式名称": "style_name",
    "colour": "colour", "color": "colour", "颜色名称": "colour",
    "colour_code": "colour_code", "color_code": "colour_code", "颜色代码": "colour_code", "颜色编码": "colour_code",
    "size": "size", "尺寸": "size", "码数": "size", "鞋码": "size",
}
YES = {"是", "1", "y", "yes", "true", "√", "启用", "active", "在售"}
NO = {"否", "0", "n", "no", "false", "", "停用", "inactive", "停售"}
_SPLIT_BARCODES = re.compile(r"[;；,，、\s]+")
_PACK = re.compile(r"^(.+?)\s*[*×]\s*(\d+)$")  # not x: in-store codes may hold letters
_PACK_SPACES = re.compile(r"\s*([*×])\s*")  # "6901234567892 * 12" is one barcode with its pack size
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")
# A cell that empties its field on purpose (an empty cell leaves an existing product's field alone).
CLEAR_MARKERS = frozenset({"(清空)", "（清空）", "(clear)"})
# What a cleared field becomes; fields not listed cannot be cleared (a product needs them).
CLEARED: dict[str, Any] = {"pinyin": None, "spec": "", "unit": "", "category": "", "barcodes": (),
                           "min_stock": 0, "max_stock": 0, "shelf_life_days": None}
# Field names as messages show them (translated through the error's ``field``).
FIELD_NAMES = {"code": "Code", "name": "Name", "pinyin": "Pinyin initials", "spec": "Spec", "unit": "Unit",
               "category": "Category", "sale_price": "Sale price", "ref_cost": "Purchase price",
               "barcodes": "Barcodes", "min_stock": "Minimum stock", "max_stock": "Maximum stock",
               "shelf_life_days": "Shelf life (days)", "tracks_batches": "Batch tracking", "active": "Status",
               "style": "Style code", "style_name": "Style name", "colour": "Colour", "colour_code": "Colour code",
               "size": "Size"}
NUMERIC = frozenset({"sale_price", "ref_cost", "min_stock", "max_stock"})
# Every header this import understands, for telling GBK from Big5 in a short csv.
VOCABULARY = frozenset(HEADERS) | frozenset(ALIASES)


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it (the header is row 1)
    reason: str


class ImportRejected(ValidationError):
    """The file has bad rows; ``errors`` lists each. Nothing was written."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__("{count} rows of the file are wrong; nothing was imported", count=len(errors))
        self.errors = list(errors)


# ---------------------------------------------------------------- export


# The product columns an export reads (plain values, no ORM objects), and how the xlsx shows them.
EXPORT_FIELDS = (Product.id, Product.code, Product.name, Product.pinyin, Product.spec, Product.unit,
                 Product.category_id, Product.sale_price, Product.ref_cost, Product.min_stock, Product.max_stock,
                 Product.shelf_life_days, Product.tracks_batches, Product.active, Product.style_id,
                 Product.colour, Product.colour_code, Product.size)
# 货号, 助记码, 条码, 款号, 色号, 尺码: digit strings keep every digit (and leading zeros, 色号 01)
TEXT_COLUMNS = (0, 2, 8, 14, 16, 17)
NUMBER_FORMATS = {6: "0.00", 7: "0.00"}  # 售价, 进价: yuan with two decimals, by the column's format
WIDTHS = (14, 28, 10, 12, 6, 14, 10, 10, 30, 9, 9, 10, 8, 6, 10, 8, 6, 6)


def _yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def export_row(p: Any, category: str, barcodes: str, style: str = "") -> list[Any]:
    """One product (a row of EXPORT_FIELDS) as the file's cells: yuan and quantities as exact
    decimals (numbers in xlsx), ``barcodes`` as ``code;code*12`` (packs after singles); ``style``
    the code of the style it is a variant of ("" for other goods)."""
    return [
        p.code, p.name, p.pinyin, p.spec, p.unit, category,
        _yuan(p.sale_price), _yuan(p.ref_cost), barcodes,
        Decimal(format_qty(p.min_stock)), Decimal(format_qty(p.max_stock)),
        p.shelf_life_days if p.shelf_life_days else "",
        "是" if p.tracks_batches else "否", "启用" if p.active else "停用",
        *((style, p.colour or "", p.colour_code or "", p.size or "") if style else ("", "", "", "")),
    ]


# ---------------------------------------------------------------- parsing one row


def _parse_barcodes(text: str) -> tuple[tuple[str, int], ...]:
    out: list[tuple[str, int]] = []
    for part in _SPLIT_BARCODES.split(_PACK_SPACES.sub(r"\1", text.strip())):
        if not part:
            continue
        if _SCIENTIFIC.match(part):
            # Excel shows long digit strings as 6.90123E+12 and saves them so in csv: digits lost.
            raise ValidationError("Barcode {code} was turned into a number by a spreadsheet; "
                                  "save the file as .xlsx or format the column as text", code=part)
        m = _PACK.match(part)
        code, mult = (m.group(1), int(m.group(2))) if m else (part, 1)
        out.append((normalize_barcode(code), mult))
    return tuple(out)


def _flag(text: str, what: str) -> bool:
    low = text.strip().lower()
    if low in YES:
        return True
    if low in NO:
        return False
    raise ValidationError("{field}: '{value}' is not yes/no (是/否)", field=what, value=text[:20])


def _parse_field(key: str, text: str) -> Any:
    if key in ("code", "name", "pinyin", "spec", "unit", "category") or key in STYLE_KEYS:
        return text
    if key == "sale_price":
        return parse_yuan(text or "0", field="Sale price")
    if key == "ref_cost":
        return parse_yuan(text or "0", field="Purchase price")
    if key == "barcodes":
        return _parse_barcodes(text)
    if key in ("min_stock", "max_stock"):
        return parse_qty(text or "0", field="Minimum stock" if key == "min_stock" else "Maximum stock",
                         allow_zero=True)
    if key == "shelf_life_days":
        if not text:
            return None
        if not (text.isascii() and text.isdigit()):
            raise ValidationError("Shelf life '{value}' is not a whole number of days", value=text[:20])
        return int(text)
    if key == "tracks_batches":
        return _flag(text, "Batch tracking")
    if key == "active":
        return _flag(text or "启用", "Status")
    raise KeyError(key)  # pragma: no cover - COLUMNS and this function agree


def column_map(headers: Sequence[str]) -> dict[str, str]:
    """header -> field for the headers this import understands (others are ignored)."""
    known = {h: f for h, f in COLUMNS} | ALIASES
    mapped: dict[str, str] = {}
    for h in headers:
        field = known.get(h) or known.get(h.lower())
        if field and field not in mapped.values():
            mapped[h] = field
    return mapped


@dataclass
class Plan:
    row: int
    fields: dict[str, Any]  # the row's non-empty cells, parsed
    cleared: frozenset[str] = frozenset()  # fields the row empties on purpose (CLEAR_MARKERS)
    product_id: int | None = None  # None: a new product
    data: ProductInput | None = None


def parse_row(r: tabular.TableRow, cols: dict[str, str], numbers: dict[str, tabular.NumberColumn],
               bad: Callable[[int, str], None]) -> Plan:
    """The row's cells as fields: empty cells are left out, clear markers listed, problems reported."""
    fields: dict[str, Any] = {}
    cleared: set[str] = set()
    for header, key in cols.items():
        try:
            text = r.cell(header)
            if not text:
                continue
            if text.strip().lower() in CLEAR_MARKERS:
                if key not in CLEARED:
                    raise ValidationError("{field} cannot be cleared", field=FIELD_NAMES[key])
                cleared.add(key)
                continue
            if header in numbers:
                text = numbers[header].text(text, FIELD_NAMES[key])
            fields[key] = _parse_field(key, text)
        except JxcError as exc:
            bad(r.row, exc.message)
    return Plan(r.row, fields, frozenset(cleared))
