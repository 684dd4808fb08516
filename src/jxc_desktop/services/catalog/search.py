"""Finding products by what a person types: the id lists of the products table, and the ranked
search of the scan line and `jxc products search` on a session (its SQL text: search_text.py).

Ranking: exact barcode, code (exact, then prefix), pinyin prefix (助记码, then 全拼), pinyin inside
(助记码; 全拼 from three letters on), name substring (shortest names first). Every step finds ids
on an index — a range scan, the trigram text index (text_index.py, for two characters or more on
SQLite), or a scan of one narrow covering index — and only the hits' rows are loaded.

The products table (table_ids) lists every match in the order of a column; table_walk.py gives
it the first screen at once when the whole list would take long (the rest is read after it). Its
queries match by the rules of search_text.py (``_rule``): one copy of each for both.

Pinyin lives in two indexed columns: ``pinyin`` (the 助记码, for its prefix) and ``pinyin_key``
("<全拼> <助记码>", for the 全拼 prefix and for text inside either, one GLOB per row). Text that
may be pinyin is ASCII letters and digits, and a name's own letters and digits are in its key (in
the 全拼 always, in a generated 助记码 too), so for such text the key scan finds what a name scan
would and the name is not scanned as well. (One or two letters are looked for in the 助记码 part
only: in the 全拼 they mostly straddle syllables. So "ad" still finds "AD钙奶" unless its 助记码
was typed by hand without those letters.)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, Select, String, bindparam, column, func, or_, select, text, union
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.sqltypes import NullType
from sqlalchemy.sql.visitors import InternalTraversal

from jxc_desktop.db.models import Barcode, Category, Product
from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.domain.scan import search_kind
from jxc_desktop.services.catalog import search_text as rules
from jxc_desktop.services.catalog.dto import ProductDTO, ProductRow
from jxc_desktop.services.catalog.search_text import (
    INDEX_EXACT,
    INDEX_MIN,
    NO_INDEX,
    full_inside,
    index_use,
    list_params,
    pinyin_inside,
)
from jxc_desktop.services.catalog.text_index import key_holders, name_candidates

SORT_KEYS = ("code", "name", "pinyin", "spec", "unit", "category", "sale_price", "ref_cost",
             "avg_cost", "stock_qty", "stock_value", "barcode", "active")


class _rule(ColumnElement[bool]):  # noqa: N801 - used like a function
    """One of search_text.py's rules on the given columns: its SQL text with the columns' names as
    this statement compiles them, and this dialect's (one copy of each rule for both paths)."""

    # Not Boolean: SQLAlchemy would write a Boolean condition as ``(…) = 1`` on SQLite, which no
    # index serves; the text is a condition as it is.
    type = NullType()
    inherit_cache = True
    _traverse_internals = [("columns", InternalTraversal.dp_clauseelement_tuple),
                           ("make", InternalTraversal.dp_plain_obj), ("args", InternalTraversal.dp_plain_obj)]

    def __init__(self, make: Callable[..., str], *args: Any, columns: tuple[Any, ...]) -> None:
        self.make, self.args, self.columns = make, args, columns

    @property
    def _from_objects(self) -> list[Any]:
        return [f for c in self.columns for f in c._from_objects]


@compiles(_rule)
def _compile_rule(element: _rule, compiler: Any, **kw: Any) -> str:
    names = [compiler.process(c, **kw) for c in element.columns]
    # In parentheses: a rule is one condition whatever operators stand around it.
    sql = element.make(*names, *element.args, dialect=compiler.dialect.name)
    return f"({compiler.process(text(sql), **kw)})"


def use_index(session: Session, text: str, shortest: int = INDEX_MIN) -> str:
    """How the text index serves this search: not at all (other databases, text it cannot find),
    naming names that the name rule then checks, or answering the name rule itself."""
    return index_use(session.get_bind().dialect.name, text, shortest)


def not_inactive(pid):  # type: ignore[no-untyped-def]
    """``pid`` is not one of the few inactive products (search_text.not_inactive)."""
    return _rule(rules.not_inactive, columns=(pid,))


def code_range(m):  # type: ignore[no-untyped-def]
    """``m``'s code starts with the text (binds ``text``, ``text_hi``)."""
    return _rule(rules.code_range, columns=(m.code,))


def _pinyin_prefix(m, column: str):  # type: ignore[no-untyped-def]
    return _rule(rules.pinyin_prefix, columns=(getattr(m, column),))


def narrows(old: str, new: str) -> bool:
    """Every product ``new`` matches is one ``old`` matches, or has ``new`` as its barcode: ``new``
    extends ``old`` and both are read by the same rules (the rules change at one, two and three
    characters, e.g. "ni" → "niu" looks inside the full pinyin too)."""
    if not old or not new.startswith(old) or search_kind(old) != search_kind(new):
        return False
    pinyin, _latin = search_kind(new)  # (the lengths only change which rules pinyin text is read by)
    return not pinyin or (full_inside(old), pinyin_inside(old)) == (full_inside(new), pinyin_inside(new))


def _pinyin_inside(m, full: bool):  # type: ignore[no-untyped-def]
    return _rule(rules.pinyin_glob, full, columns=(m.pinyin_key,))


def _name_contains(m, latin: bool):  # type: ignore[no-untyped-def]
    return _rule(rules.name_contains, latin, columns=(m.name,))


def _name_inside(m, latin: bool, phrase: bool, indexed: str):  # type: ignore[no-untyped-def]
    return _rule(rules.name_inside, latin, phrase, indexed, columns=(m.id, m.name))


def _ids(sql: str):  # type: ignore[no-untyped-def]
    """The text index's SQL text as a selectable of ids (text_index.py)."""
    return text(sql).columns(column("id", Integer))


def matching_ids(*, pinyin: bool, latin: bool, full: bool = True, inside: bool = True,  # type: ignore[no-untyped-def]
                 indexed: str = NO_INDEX, codes: Select | None = None):  # type: ignore[type-arg]
    """Ids the text matches by any of the search's rules (bound parameters: list_params).

    A UNION of index lookups: ranges, the text index's candidates (``indexed``: use_index) checked
    by the rule itself, or else scans of the small covering name and pinyin indexes. ``codes``: the
    ids to take for the code prefix rule instead of its whole range (table_walk.range_head_query).
    """
    m = aliased(Product)
    code_part = select(m.id).where(code_range(m))
    parts = [code_part if codes is None else codes,
             select(Barcode.product_id).where(Barcode.code == bindparam("text", type_=String))]
    # Where the index answers a rule exactly, its ids are the part itself: no product row is read.
    if pinyin and inside:
        parts.append(_ids(key_holders(full)) if indexed else select(m.id).where(_pinyin_inside(m, full)))
    elif pinyin:  # one letter: prefixes only (PINYIN_INSIDE_MIN)
        parts.append(select(m.id).where(_pinyin_prefix(m, "pinyin")))
        parts.append(select(m.id).where(_pinyin_prefix(m, "pinyin_key")))
    if not (pinyin and inside):  # else the key scan found every name holding the text (module doc)
        parts.append(_ids(name_candidates(full)) if indexed == INDEX_EXACT
                     else select(m.id).where(_name_inside(m, latin, full, indexed)))
    return union(*parts)


def row_matches(m, *, pinyin: bool, latin: bool, full: bool, inside: bool):  # type: ignore[no-untyped-def]
    """The rules of matching_ids as one condition on a product row ``m``: for a walk of the rows
    in table order that stops at the first screen of matches."""
    conds = [code_range(m), select(Barcode.id).where(Barcode.product_id == m.id,
                                                      Barcode.code == bindparam("text", type_=String)).exists()]
    if pinyin and inside:
        conds.append(_pinyin_inside(m, full))
    elif pinyin:
        conds += [_pinyin_prefix(m, "pinyin"), _pinyin_prefix(m, "pinyin_key")]
    if not (pinyin and inside):
        conds.append(_name_contains(m, latin))
    return or_(*conds)


def text_matches(text: str):  # type: ignore[no-untyped-def]
    """``Product.id IN (…)`` for what ``text`` matches by the rules of ``matching_ids`` (code prefix,
    barcode, pinyin key, name), values bound: a condition other lists (the stock view) add to their
    own query so that they filter exactly as the products table does."""
    pinyin, latin = search_kind(text)
    return Product.id.in_(matching_ids(pinyin=pinyin, latin=latin, full=full_inside(text), inside=pinyin_inside(text))
                          .params(**list_params(text)))


@lru_cache(maxsize=128)
def list_query(filtered: bool, pinyin: bool, latin: bool, include_inactive: bool, sort: str,
               descending: bool, full: bool = True, inside: bool = True, indexed: str = NO_INDEX) -> Select:  # type: ignore[type-arg]
    """The id query of one table shape, built once (building and compiling it costs ~10 ms)."""
    q = select(Product.id)
    if filtered:
        q = q.where(Product.id.in_(matching_ids(pinyin=pinyin, latin=latin, full=full, inside=inside,
                                                indexed=indexed)))
    if not include_inactive:
        q = q.where(not_inactive(Product.id))
    if sort == "category":
        key = select(Category.name).where(Category.id == Product.category_id).scalar_subquery()
    elif sort == "barcode":
        key = select(func.min(Barcode.code)).where(Barcode.product_id == Product.id).scalar_subquery()
    else:
        key = getattr(Product, sort)
    return q.order_by(key.desc() if descending else key.asc(),
                      Product.id.desc() if descending else Product.id.asc())


@lru_cache(maxsize=128)
def _sqlite_sql(query: Select) -> tuple[str, tuple[str, ...], dict[str, object]]:  # type: ignore[type-arg]
    """SQL text, parameter order and the constants' values (e.g. the 0 in ``instr(...) > 0``)."""
    from sqlalchemy.dialects import sqlite

    compiled = query.compile(dialect=sqlite.dialect())
    return str(compiled), tuple(compiled.positiontup or ()), dict(compiled.params)


def prepare_sqlite(query: Select) -> None:  # type: ignore[type-arg]
    """Compile ``query`` for SQLite now (kept for ids_of), not when it first runs."""
    _sqlite_sql(query)


def ids_of(session: Session, query, params: dict[str, object]) -> list[int]:  # type: ignore[no-untyped-def]
    """Run an id-only query. On SQLite the driver cursor is read directly: for 100 000 ids that
    halves the time SQLAlchemy's per-row result processing would take (nothing to convert)."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return list(conn.execute(query, params).scalars())
    sql, names, constants = _sqlite_sql(query)
    values = {**constants, **params}
    cursor = conn.connection.driver_connection.execute(sql, [values[n] for n in names])  # type: ignore[union-attr]
    return [row[0] for row in cursor]


def ids_rows(session: Session, query, params: dict[str, object]) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    """The rows of a SQLite query as the driver gives them (ids_of's path, every column)."""
    sql, names, constants = _sqlite_sql(query)
    values = {**constants, **params}
    cursor = session.connection().connection.driver_connection.execute(sql, [values[n] for n in names])  # type: ignore[union-attr]
    return cursor.fetchall()


def search_products(session: Session, text: str, *, limit: int, active_only: bool = True) -> list[ProductDTO]:
    """The ranked search (search_text.py) on the session, for the scan line."""
    return rules.search_products(SessionRows(session), text, limit=limit, active_only=active_only)


def table_query(session: Session, text: str, *, include_inactive: bool, sort: str,  # type: ignore[type-arg]
                descending: bool) -> tuple[Select, dict[str, str]]:
    """The id query of table_ids() and its bound parameters."""
    pinyin, latin = search_kind(text) if text else (False, False)
    q = list_query(bool(text), pinyin, latin, include_inactive, sort, descending, full_inside(text),
                   pinyin_inside(text), use_index(session, text) if text else NO_INDEX)
    return q, list_params(text)


def table_ids(session: Session, text: str, *, include_inactive: bool, sort: str, descending: bool) -> list[int]:
    q, params = table_query(session, text, include_inactive=include_inactive, sort=sort, descending=descending)
    return ids_of(session, q, params)


def _row_queries(ids) -> tuple[Select, Select]:  # type: ignore[no-untyped-def,type-arg]
    """The barcodes (latest first) and the table columns of the products ``ids`` selects."""
    barcodes = (select(Barcode.product_id, Barcode.code).where(Barcode.product_id.in_(ids))
                .order_by(Barcode.id.desc()))
    rows = (select(Product.id, Product.code, Product.name, Product.pinyin, Product.spec, Product.unit,
                   Category.name, Product.sale_price, Product.ref_cost, Product.avg_cost,
                   Product.stock_qty, Product.stock_value, Product.min_stock, Product.active)
            .outerjoin(Category, Category.id == Product.category_id).where(Product.id.in_(ids)))
    return barcodes, rows


@lru_cache(maxsize=1)
def sqlite_row_queries() -> tuple[Select, Select]:  # type: ignore[type-arg]
    # The ids as one JSON array: one statement text for any number of ids, compiled once.
    return _row_queries(select(func.json_each(bindparam("ids", type_=String)).table_valued("value").c.value))


def table_rows(session: Session, ids: list[int]) -> list[ProductRow]:
    """The table rows of ``ids``, in the order given (ids that vanished are skipped)."""
    found: dict[int, ProductRow] = {}
    first_barcode: dict[int, str] = {}
    conn = session.connection()
    if conn.dialect.name == "sqlite":  # a screen's rows at each key typed: the driver's cursor, no per-row work
        barcodes, rows = sqlite_row_queries()
        param = {"ids": "[" + ",".join(str(int(i)) for i in ids) + "]"}
        barcode_rows, product_rows = ids_rows(session, barcodes, param), ids_rows(session, rows, param)
    else:
        barcodes, rows = _row_queries(ids)
        barcode_rows, product_rows = session.execute(barcodes).all(), session.execute(rows).all()
    for pid, code in barcode_rows:
        first_barcode[pid] = code  # latest first, so the earliest barcode wins
    for r in product_rows:
        found[r[0]] = ProductRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or "", r[7], r[8], r[9],
                                 r[10], r[11], r[12], bool(r[13]), first_barcode.get(r[0], ""))
    return [found[i] for i in ids if i in found]
