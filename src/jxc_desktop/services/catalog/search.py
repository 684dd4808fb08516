"""Finding products by what a person types: the ranked search of the scan line and `jxc products
search`, and the id lists of the products table.

Ranking: exact barcode, code (exact, then prefix), pinyin prefix (助记码, then 全拼), pinyin inside
(助记码; 全拼 from three letters on), name substring (shortest names first). Every step finds ids
on an index — a range scan, the trigram text index (text_index.py, for two characters or more on
SQLite), or a scan of one narrow covering index — and only the hits' rows are loaded.

The products table (table_ids) lists every match in the order of a column; table_walk.py gives
it the first screen at once when the whole list would take long (the rest is read after it).

Pinyin lives in two indexed columns: ``pinyin`` (the 助记码, for its prefix) and ``pinyin_key``
("<全拼> <助记码>", for the 全拼 prefix and for text inside either, one GLOB per row). Text that
may be pinyin is ASCII letters and digits, and a name's own letters and digits are in its key (in
the 全拼 always, in a generated 助记码 too), so for such text the key scan finds what a name scan
would and the name is not scanned as well. (One or two letters are looked for in the 助记码 part
only: in the 全拼 they mostly straddle syllables. So "ad" still finds "AD钙奶" unless its 助记码
was typed by hand without those letters.)
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Integer, Select, String, bindparam, func, or_, select, union
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from jxc_desktop.db.dialect import glob_match, name_like, position_of
from jxc_desktop.db.models import Barcode, Category, Product
from jxc_desktop.db.text_reads import like_pattern
from jxc_desktop.domain.scan import search_kind
from jxc_desktop.services.catalog.dto import ProductDTO, ProductRow
from jxc_desktop.services.catalog.product_input import to_dto
from jxc_desktop.services.catalog.text_index import (
    exact_for_name,
    index_params,
    key_holders,
    name_candidates,
    usable,
)

SORT_KEYS = ("code", "name", "pinyin", "spec", "unit", "category", "sale_price", "ref_cost",
             "avg_cost", "stock_qty", "stock_value", "barcode", "active")


def list_params(text: str) -> dict[str, str]:
    """The bound parameters of every query here: ``text``/``text_hi`` (code range), ``low``/
    ``low_hi`` (pinyin range, lower case), ``pattern`` (a LIKE pattern for the name) and
    ``glob``/``glob_initials`` (pinyin text inside the key, or inside its 助记码 part; only used for
    letters and digits, which GLOB takes literally)."""
    low = text.lower()
    params = {"text": text, "text_hi": text + "\uffff", "low": low, "low_hi": low + "\uffff",
              "pattern": like_pattern(text), "glob": f"*{low}*", "glob_initials": f"* *{low}*"}
    if usable(text):
        params.update(index_params(text))
    return params


# One character may be in most names (every "…号"): reading that from the index takes longer than a
# scan. Only the products table's first screen looks one character up, once a short walk has found
# the matches sparse (table_walk.first_table_ids).
INDEX_MIN = 2


NO_INDEX, INDEX_CHECKED, INDEX_EXACT = "", "checked", "exact"  # how a query uses the text index


def use_index(session: Session, text: str, shortest: int = INDEX_MIN) -> str:
    """How the text index serves this search: not at all (other databases, text it cannot find),
    naming names that the name rule then checks, or answering the name rule itself."""
    return index_use(session.get_bind().dialect.name, text, shortest)


def index_use(dialect: str, text: str, shortest: int = INDEX_MIN) -> str:
    """use_index() for a database of the ``dialect`` named."""
    if len(text) < shortest or not usable(text) or dialect != "sqlite":
        return NO_INDEX
    return INDEX_EXACT if exact_for_name(text) else INDEX_CHECKED


def inactive_ids():  # type: ignore[no-untyped-def]
    """Few rows, found on the active index; ``NOT IN`` it keeps scans on covering indexes."""
    m = aliased(Product)
    return select(m.id).where(m.active.is_(False))


def _pinyin_prefix(m, column: str):  # type: ignore[no-untyped-def]
    # A range scan on the column's index: a prefix match without LIKE's collation trap.
    col = getattr(m, column)
    return (col >= bindparam("low", type_=String)) & (col < bindparam("low_hi", type_=String))


FULL_INSIDE_MIN = 3  # shorter text inside full pinyin mostly straddles syllables ("nf" in "mianfen")


def full_inside(text: str) -> bool:
    return len(text) >= FULL_INSIDE_MIN


# One letter inside the 助记码 matches most of a shop ("h" is in every "…号"): the products table
# would list (and sort) nearly all of it on the first key typed. One letter matches as before issue
# 12: the 助记码 or 全拼 starts with it, or the name holds it.
PINYIN_INSIDE_MIN = 2


def pinyin_inside(text: str) -> bool:
    return len(text) >= PINYIN_INSIDE_MIN


def narrows(old: str, new: str) -> bool:
    """Every product ``new`` matches is one ``old`` matches, or has ``new`` as its barcode: ``new``
    extends ``old`` and both are read by the same rules (the rules change at one, two and three
    characters, e.g. "ni" → "niu" looks inside the full pinyin too)."""
    if not old or not new.startswith(old) or search_kind(old) != search_kind(new):
        return False
    pinyin, _latin = search_kind(new)  # (the lengths only change which rules pinyin text is read by)
    return not pinyin or (full_inside(old), pinyin_inside(old)) == (full_inside(new), pinyin_inside(new))


def _pinyin_inside(m, full: bool):  # type: ignore[no-untyped-def]
    # One GLOB (case-sensitive, the key is lower case) per entry of the narrow ix_product_pinyin_key.
    return glob_match(m.pinyin_key, bindparam("glob" if full else "glob_initials", type_=String))


def _name_contains(m, latin: bool):  # type: ignore[no-untyped-def]
    # LIKE is case-insensitive for Latin letters; instr is exact and cheaper for CJK text.
    text = bindparam("text", type_=String)
    return name_like(m.name, bindparam("pattern", type_=String)) if latin else position_of(m.name, text) > 0


def _key_inside(m, full: bool, indexed: str):  # type: ignore[no-untyped-def]
    # The pinyin index answers the GLOB itself (text_index.py): no product row is read.
    return m.id.in_(key_holders(full)) if indexed else _pinyin_inside(m, full)


def _name_inside(m, latin: bool, phrase: bool, indexed: str):  # type: ignore[no-untyped-def]
    if not indexed:
        return _name_contains(m, latin)
    found = m.id.in_(name_candidates(phrase))
    return found if indexed == INDEX_EXACT else found & _name_contains(m, latin)


def matching_ids(*, pinyin: bool, latin: bool, full: bool = True, inside: bool = True,  # type: ignore[no-untyped-def]
                 indexed: str = NO_INDEX, codes: Select | None = None):  # type: ignore[type-arg]
    """Ids the text matches by any of the search's rules (bound parameters: list_params).

    A UNION of index lookups: ranges, the text index's candidates (``indexed``: use_index) checked
    by the rule itself, or else scans of the small covering name and pinyin indexes. ``codes``: the
    ids to take for the code prefix rule instead of its whole range (table_walk.range_head_query).
    """
    m = aliased(Product)
    text = bindparam("text", type_=String)
    code_part = select(m.id).where(m.code >= text, m.code < bindparam("text_hi", type_=String))
    parts = [code_part if codes is None else codes, select(Barcode.product_id).where(Barcode.code == text)]
    # Where the index answers a rule exactly, its ids are the part itself: no product row is read.
    if pinyin and inside:
        parts.append(key_holders(full) if indexed else select(m.id).where(_pinyin_inside(m, full)))
    elif pinyin:  # one letter: prefixes only (PINYIN_INSIDE_MIN)
        parts.append(select(m.id).where(_pinyin_prefix(m, "pinyin")))
        parts.append(select(m.id).where(_pinyin_prefix(m, "pinyin_key")))
    if not (pinyin and inside):  # else the key scan found every name holding the text (module doc)
        parts.append(name_candidates(full) if indexed == INDEX_EXACT
                     else select(m.id).where(_name_inside(m, latin, full, indexed)))
    return union(*parts)


def row_matches(m, *, pinyin: bool, latin: bool, full: bool, inside: bool):  # type: ignore[no-untyped-def]
    """The rules of matching_ids as one condition on a product row ``m``: for a walk of the rows
    in table order that stops at the first screen of matches."""
    text = bindparam("text", type_=String)
    conds = [(m.code >= text) & (m.code < bindparam("text_hi", type_=String)),
             select(Barcode.id).where(Barcode.product_id == m.id, Barcode.code == text).exists()]
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
        q = q.where(Product.id.not_in(inactive_ids()))
    if sort == "category":
        key = select(Category.name).where(Category.id == Product.category_id).scalar_subquery()
    elif sort == "barcode":
        key = select(func.min(Barcode.code)).where(Barcode.product_id == Product.id).scalar_subquery()
    else:
        key = getattr(Product, sort)
    return q.order_by(key.desc() if descending else key.asc(),
                      Product.id.desc() if descending else Product.id.asc())


@lru_cache(maxsize=16)
def search_steps(active_only: bool, pinyin: bool, latin: bool, full: bool = True,  # type: ignore[type-arg]
                 indexed: str = NO_INDEX) -> tuple[Select, ...]:
    """The id queries of the ranked search, in rank order, built once. Bound parameters as
    list_params() plus ``lim``."""
    text, lim = bindparam("text", type_=String), bindparam("lim", type_=Integer)

    def active(q: Select) -> Select:  # type: ignore[type-arg]
        return q.where(Product.active.is_(True)) if active_only else q

    m = aliased(Product)

    def active_scan(q: Select) -> Select:  # type: ignore[type-arg]
        # On a covering-index scan, filter by the few inactive ids, never by reading rows.
        return q.where(m.id.not_in(inactive_ids())) if active_only else q

    steps = [active(select(Product.id).join(Barcode).where(Barcode.code == text)),
             active(select(Product.id).where(Product.code == text))]
    if pinyin:
        steps += [
            active(select(Product.id).where(Product.code >= text, Product.code < bindparam("text_hi", type_=String))
                   .order_by(Product.code)),
            active(select(Product.id).where(_pinyin_prefix(Product, "pinyin")).order_by(Product.pinyin, Product.id)),
            active(select(Product.id).where(_pinyin_prefix(Product, "pinyin_key"))
                   .order_by(Product.pinyin_key, Product.id)),
            active_scan(select(m.id).where(_key_inside(m, full, indexed)).order_by(func.length(m.pinyin_key), m.id)),
        ]
    if not pinyin:  # else the key scan found every name holding the text (module doc)
        steps.append(active_scan(select(m.id).where(_name_inside(m, latin, full, indexed))
                                 .order_by(func.length(m.name), m.id)))
    return tuple(q.limit(lim) for q in steps)


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


def search_ids(session: Session, text: str, *, limit: int, active_only: bool) -> list[int]:
    """Ids of the ranked search for trimmed, non-empty ``text``, best first."""
    pinyin, latin = search_kind(text)
    params: dict[str, object] = {**list_params(text), "lim": limit}
    ids: list[int] = []
    seen: set[int] = set()
    for step in search_steps(active_only, pinyin, latin, full_inside(text), use_index(session, text)):
        for pid in ids_of(session, step, params):
            if pid not in seen:
                seen.add(pid)
                ids.append(pid)
        if len(ids) >= limit:
            break
    return ids[:limit]


def load_products(session: Session, ids: list[int]) -> list[ProductDTO]:
    """The products of ``ids`` in that order, with barcodes and category (ids gone are skipped)."""
    if not ids:
        return []
    found = {p.id: p for p in session.scalars(
        select(Product).where(Product.id.in_(ids))
        .options(selectinload(Product.barcodes), joinedload(Product.category)))}
    return [to_dto(found[i]) for i in ids if i in found]


def search_products(session: Session, text: str, *, limit: int, active_only: bool = True) -> list[ProductDTO]:
    return load_products(session, search_ids(session, text, limit=limit, active_only=active_only))


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
