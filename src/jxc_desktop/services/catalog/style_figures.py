"""A style's stock or sales grid, sell-through (售罄率) by style, colour, size or cell over a period,
and broken sizes (断码), as SQL text either driver runs (db/text_reads.py): the style grids
(style_grid.py) and, through ``catalog.api``, the reports run it in their sessions; ``jxc styles
grid|sell-through|broken`` and ``jxc report sell-through|broken-sizes`` on sqlite3 alone (issue 15:
the command never builds SQLAlchemy).

All of it reads the variant products' ledger caches, sale lines and stock moves: a variant is a
product, so these are the same numbers the other reports show, grouped by colour and size.

Sell-through over local days ``first``..``last`` = sold ÷ (sold + on hand), where sold is the net
quantity sold in the period (sales less customer returns; reversed documents left out) and on hand
is the stock at the end of ``last`` (today's stock less every move booked after that day).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from jxc_desktop.db.dialect_text import SQLITE, day_bind, utc_bind
from jxc_desktop.db.text_reads import Row, Rows, Where
from jxc_desktop.domain.clock import day_start_utc
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.variants import Colour, Grid, broken_sizes, sell_through_bp
from jxc_desktop.services.catalog.dto import BrokenSizeRow, SellThroughRow, StyleDTO, StyleGridDTO, VariantDTO

LEVELS = ("style", "colour", "size", "cell")
_CHUNK = 500  # styles read a chunk at a time (their ids bound one by one)

# A style as StyleDTO wants it, its category's name beside it (the model's category_name).
_STYLES = ("SELECT s.id, s.code, s.name, c.name, s.season, s.year, s.brand, s.unit, s.sale_price, s.ref_cost, "
           "s.size_group, s.active FROM style s LEFT OUTER JOIN category c ON c.id = s.category_id")
_SOLD = ("SELECT sl.product_id, sum(CASE WHEN sl.kind = 'return' THEN -1 ELSE 1 END * sl.qty), "
         "sum(CASE WHEN sl.kind = 'return' THEN -1 ELSE 1 END * sl.amount) "
         "FROM sale_line sl JOIN product p ON p.id = sl.product_id "
         "WHERE p.style_id IS NOT NULL AND sl.status = 'posted' AND sl.business_day >= :first "
         "AND sl.business_day <= :last{style} GROUP BY sl.product_id")
_STOCK = "SELECT p.id, p.stock_qty FROM product p WHERE p.style_id IS NOT NULL{style}"
_MOVED = ("SELECT m.product_id, sum(m.qty) FROM stock_move m JOIN product p ON p.id = m.product_id "
          "WHERE p.style_id IS NOT NULL AND m.created_at >= :after{style} GROUP BY m.product_id")
_OF_STYLE = " AND p.style_id = :style"


def grid_of(style: StyleDTO, values: dict[int, int], title: str = "Stock") -> StyleGridDTO:
    """The style's grid filled from ``values`` by variant product id."""
    cells = {(v.colour_code, v.size): values.get(v.product_id, 0) for v in style.variants}
    active = {(v.colour_code, v.size) for v in style.variants if v.active}
    # switched off, or never made (a grid imported from a file need not fill every cell)
    inactive = frozenset((c, s) for c, _n in style.colours for s in style.sizes) - active
    grid = Grid(tuple(Colour(c, n) for c, n in style.colours), style.sizes, cells, inactive)
    return StyleGridDTO(style, grid, title)


def _style_by_code(rows: Rows, code: str) -> list[Row]:
    """The style of this code (its one row); NotFoundError when there is none."""
    found = rows.all(f"{_STYLES} WHERE s.code = :code", code=code.strip())
    if not found:
        raise NotFoundError("No style with code {code}", code=code.strip())
    return found


def _styles(rows: Rows, style_code: str | None, *, active_only: bool) -> list[Row]:
    """The styles by code (one by its code: NotFoundError when there is none)."""
    if style_code:
        return _style_by_code(rows, style_code)
    active = " WHERE s.active IS 1" if rows.dialect == SQLITE else " WHERE s.active IS true"
    return rows.all(f"{_STYLES}{active if active_only else ''} ORDER BY s.code")


def style_dtos(rows: Rows, styles: Sequence[Row], *, barcodes: bool = False) -> list[StyleDTO]:
    """The styles (rows as :data:`_STYLES` reads them) with their colours, sizes and variants, in a
    few queries per chunk of them (styles.style_dtos, read as text); each variant's first barcode
    (by code) only when asked for (a grid shows it, the reports do not)."""
    out = []
    for start in range(0, len(styles), _CHUNK):
        chunk = styles[start:start + _CHUNK]
        ids = [int(st[0]) for st in chunk]
        of = Where()
        of.one_of("style_id", "st", ids)
        colours: dict[int, list[tuple[str, str]]] = {i: [] for i in ids}
        for sid, code, name in rows.all(f"SELECT style_id, code, name FROM style_colour{of.sql()} ORDER BY sort, id",
                                        **of.binds):
            colours[int(sid)].append((code, name))
        sizes: dict[int, list[str]] = {i: [] for i in ids}
        for sid, size in rows.all(f"SELECT style_id, size FROM style_size{of.sql()} ORDER BY sort, id", **of.binds):
            sizes[int(sid)].append(size)
        first_barcode: dict[int, str] = {}
        if barcodes:
            of_product = Where()
            of_product.one_of("p.style_id", "st", ids)
            first_barcode = {int(pid): code for pid, code in rows.all(
                f"SELECT b.product_id, min(b.code) FROM barcode b JOIN product p ON p.id = b.product_id"
                f"{of_product.sql()} GROUP BY b.product_id", **of_product.binds)}
        variants: dict[int, list[VariantDTO]] = {i: [] for i in ids}
        for pid, code, colour_code, colour, size, active, price, stock, sid in rows.all(
                "SELECT id, code, colour_code, colour, size, active, sale_price, stock_qty, style_id "
                f"FROM product{of.sql()}", **of.binds):
            variants[int(sid)].append(VariantDTO(pid, code, colour_code or "", colour or "", size or "",
                                                 bool(active), first_barcode.get(int(pid), ""), price, stock))
        for sid, code, name, category, season, year, brand, unit, price, ref_cost, size_group, active in chunk:
            rank_c = {c: i for i, (c, _n) in enumerate(colours[sid])}
            rank_s = {sz: i for i, sz in enumerate(sizes[sid])}
            ordered = sorted(variants[sid], key=lambda v: (rank_c.get(v.colour_code, 999), rank_s.get(v.size, 999)))
            out.append(StyleDTO(
                id=sid, code=code, name=name, category=category or "", season=season, year=year, brand=brand,
                unit=unit, sale_price=price, ref_cost=ref_cost, size_group=size_group, active=bool(active),
                colours=tuple(colours[sid]), sizes=tuple(sizes[sid]), variants=tuple(ordered)))
    return out


def stock_grid_in(rows: Rows, code: str) -> StyleGridDTO:
    """A style's stock on hand now, colour × size (inactive cells marked); NotFoundError for no
    style of this code."""
    dto = style_dtos(rows, _style_by_code(rows, code), barcodes=True)[0]
    return grid_of(dto, {v.product_id: v.stock_qty for v in dto.variants})


def sales_grid_in(rows: Rows, code: str, first: date, last: date) -> StyleGridDTO:
    """A style's net quantity sold over local days ``first``..``last``, colour × size."""
    found = _style_by_code(rows, code)
    dto = style_dtos(rows, found, barcodes=True)[0]
    got = sold(rows, first, last, int(found[0][0]))
    return grid_of(dto, {pid: qty for pid, (qty, _amount) in got.items()}, "Sold")


def sold(rows: Rows, first: date, last: date, style_id: int | None) -> dict[int, tuple[int, int]]:
    """Net (qty, amount) sold per variant product over the period."""
    binds: dict[str, object] = {"first": day_bind(first, rows.dialect), "last": day_bind(last, rows.dialect)}
    if style_id is not None:
        binds["style"] = style_id
    sql = _SOLD.format(style=_OF_STYLE if style_id is not None else "")
    return {int(pid): (int(qty or 0), int(amount or 0)) for pid, qty, amount in rows.all(sql, **binds)}


def _on_hand(rows: Rows, last: date, style_id: int | None) -> dict[int, int]:
    """Stock per variant product at the end of local day ``last``."""
    of_style = _OF_STYLE if style_id is not None else ""
    binds: dict[str, object] = {} if style_id is None else {"style": style_id}
    stock = {int(pid): int(qty) for pid, qty in rows.all(_STOCK.format(style=of_style), **binds)}
    after = utc_bind(day_start_utc(date.fromordinal(last.toordinal() + 1)), rows.dialect)
    for pid, qty in rows.all(_MOVED.format(style=of_style), after=after, **binds):
        stock[int(pid)] = stock.get(int(pid), 0) - int(qty or 0)
    return stock


def _key(level: str, colour: str, size: str) -> tuple[str, str]:
    return {"style": ("", ""), "colour": (colour, ""), "size": ("", size), "cell": (colour, size)}[level]


def sell_through_in(rows: Rows, first: date, last: date, *, level: str = "style",
                 style_code: str | None = None) -> list[SellThroughRow]:
    if level not in LEVELS:
        raise ValidationError("Group by one of {levels}", levels=", ".join(LEVELS))
    if last < first:
        raise ValidationError("The period ends before it begins")
    styles = _styles(rows, style_code, active_only=False)
    if not styles:  # a shop without styles: no year of sales and moves summed for nothing (1.3 s at 1 M lines)
        return []
    style_id = int(styles[0][0]) if style_code else None
    got = sold(rows, first, last, style_id)
    on_hand = _on_hand(rows, last, style_id)
    return sell_through_of(style_dtos(rows, styles), level, got, on_hand)


def sell_through_of(dtos: Iterable[StyleDTO], level: str, sold: Mapping[int, tuple[int, int]],
                    on_hand: Mapping[int, int]) -> list[SellThroughRow]:
    """The sell-through rows of the styles at ``level`` from each variant's (qty, amount) sold and
    its stock on hand; the reference (tests/integration/style_sales_reference.py) runs it on what
    its ORM queries read."""
    out: list[SellThroughRow] = []
    for dto in dtos:
        colour_name = dict(dto.colours)
        sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
        order: list[tuple[str, str]] = []
        for v in dto.variants:
            key = _key(level, colour_name.get(v.colour_code, v.colour), v.size)
            if key not in sums:
                order.append(key)
            qty, amount = sold.get(v.product_id, (0, 0))
            acc = sums[key]
            acc[0] += qty
            acc[1] += amount
            acc[2] += max(on_hand.get(v.product_id, 0), 0)
        if level == "size":  # the sizes in the style's order, not the first colour's
            order.sort(key=lambda k: dto.sizes.index(k[1]) if k[1] in dto.sizes else len(dto.sizes))
        for key in order:
            qty, amount, stock = sums[key]
            out.append(SellThroughRow(dto.code, dto.name, key[0], key[1], qty, amount, stock,
                                      sell_through_bp(qty, stock)))
    return out


def broken_sizes_in(rows: Rows, style_code: str | None = None) -> list[BrokenSizeRow]:
    """Every active style's colours with some sizes at zero while others remain (stock now)."""
    return broken_sizes_of(style_dtos(rows, _styles(rows, style_code, active_only=True)))


def broken_sizes_of(dtos: Iterable[StyleDTO]) -> list[BrokenSizeRow]:
    """Each style's colours with some sizes at zero while others remain (its variants' stock)."""
    out = []
    for dto in dtos:
        grid = grid_of(dto, {v.product_id: v.stock_qty for v in dto.variants}).grid
        for broken in broken_sizes(grid):
            out.append(BrokenSizeRow(dto.code, dto.name, dto.season, broken.colour.name, broken.missing,
                                     broken.remaining, grid.row_total(broken.colour.code)))
    return out
