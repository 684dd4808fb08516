"""The products table's list for the owner typing into its filter: the first screen at once when the
whole list (search.table_ids) would take long — many matches — and the rest a stretch of products at
a time, walking the products in code order (its unique index) and checking each by search.row_matches.
"""

from __future__ import annotations

import sqlite3
import time
from functools import lru_cache

from sqlalchemy import Integer, Select, String, bindparam, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Product
from jxc_desktop.domain.scan import search_kind
from jxc_desktop.services.catalog.search import (
    _sqlite_sql,
    full_inside,
    ids_of,
    inactive_ids,
    list_params,
    list_query,
    pinyin_inside,
    row_matches,
    table_ids,
    use_index,
)


def ids_within(session: Session, query, params: dict[str, object], seconds: float) -> list[int] | None:  # type: ignore[no-untyped-def]
    """ids_of(), or None when it would take longer than ``seconds`` (SQLite stops the statement;
    a read leaves the transaction as it was). Other databases: no limit."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return ids_of(session, query, params)
    raw = conn.connection.driver_connection
    deadline = time.perf_counter() + seconds
    raw.set_progress_handler(lambda: time.perf_counter() > deadline, 2000)  # type: ignore[union-attr]
    try:
        return ids_of(session, query, params)
    except sqlite3.OperationalError as exc:
        if "interrupt" not in str(exc):
            raise
        return None
    finally:
        raw.set_progress_handler(None, 0)  # type: ignore[union-attr]



def _walk(filtered: bool, pinyin: bool, latin: bool, include_inactive: bool, descending: bool,
          full: bool, inside: bool) -> Select:  # type: ignore[type-arg]
    # The rows in code order (its unique index), each checked by row_matches.
    q = select(Product.id)
    if filtered:
        q = q.where(row_matches(Product, pinyin=pinyin, latin=latin, full=full, inside=inside))
    if not include_inactive:
        q = q.where(Product.id.not_in(inactive_ids()))
    order = (Product.code.desc(), Product.id.desc()) if descending else (Product.code.asc(), Product.id.asc())
    return q.order_by(*order)


@lru_cache(maxsize=32)
def head_query(filtered: bool, pinyin: bool, latin: bool, include_inactive: bool, descending: bool,
               full: bool = True, inside: bool = True) -> Select:  # type: ignore[type-arg]
    """The first ``:first`` ids of table_ids() sorted by code, stopping at the first screen."""
    return _walk(filtered, pinyin, latin, include_inactive, descending, full, inside).limit(
        bindparam("first", type_=Integer))


@lru_cache(maxsize=32)
def window_query(filtered: bool, pinyin: bool, latin: bool, include_inactive: bool, descending: bool,
                 full: bool, inside: bool, bounded: bool) -> Select:  # type: ignore[type-arg]
    """The ids of table_ids() sorted by code whose code is past ``:after`` and (``bounded``) up to
    ``:until``: one stretch of the walk."""
    after, until = bindparam("after", type_=String), bindparam("until", type_=String)
    q = _walk(filtered, pinyin, latin, include_inactive, descending, full, inside)
    q = q.where(Product.code < after if descending else Product.code > after)
    return q.where(Product.code >= until if descending else Product.code <= until) if bounded else q


@lru_cache(maxsize=2)
def _window_end(descending: bool) -> Select:  # type: ignore[type-arg]
    after = bindparam("after", type_=String)
    past = Product.code < after if descending else Product.code > after
    return (select(Product.code).where(past).order_by(Product.code.desc() if descending else Product.code)
            .offset(bindparam("skip", type_=Integer)).limit(1))


def more_table_ids(session: Session, text: str, *, include_inactive: bool, descending: bool,
                   after_id: int | None = None, after_code: str | None = None,
                   window: int) -> tuple[list[int], str | None] | None:
    """The next stretch of table_ids() sorted by code: its matches among the ``window`` products
    that follow, in code order, the product ``after_id`` (the last one listed so far) or the code
    ``after_code`` (where the stretch before ended), and the code this stretch ends at (None: no
    products are left). None when product ``after_id`` is gone (the list must be read again)."""
    code = after_code
    if code is None:
        code = session.scalar(select(Product.code).where(Product.id == after_id))
        if code is None:
            return None
    pinyin, latin = search_kind(text) if text else (False, False)
    params: dict[str, object] = {**list_params(text), "after": code, "skip": window - 1}
    until = ids_of_one(session, _window_end(descending), params)
    q = window_query(bool(text), pinyin, latin, include_inactive, descending, full_inside(text),
                     pinyin_inside(text), until is not None)
    return ids_of(session, q, {**params, "until": until}), until


def ids_of_one(session: Session, query, params: dict[str, object]) -> str | None:  # type: ignore[no-untyped-def]
    """The first column of the first row of a one-value query, or None."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return conn.execute(query, params).scalar()
    sql, names, constants = _sqlite_sql(query)
    values = {**constants, **params}
    row = conn.connection.driver_connection.execute(sql, [values[n] for n in names]).fetchone()  # type: ignore[union-attr]
    return None if row is None else row[0]


def first_table_ids(session: Session, text: str, *, include_inactive: bool, sort: str, descending: bool,
                    first: int, seconds: float) -> tuple[list[int], bool]:
    """``(ids, complete)``: every id of table_ids() if that takes less than ``seconds`` (or the
    table is not sorted by code), else its first ``first`` ids, read in code order — quick
    exactly when the matches are many — and ``complete`` False: table_ids() gives the rest."""
    if sort != "code":
        return table_ids(session, text, include_inactive=include_inactive, sort=sort, descending=descending), True
    pinyin, latin = search_kind(text) if text else (False, False)
    params = list_params(text)
    if text and seconds > 0:  # (no time at all: straight to the first screen)
        q = list_query(True, pinyin, latin, include_inactive, sort, descending, full_inside(text),
                       pinyin_inside(text), use_index(session, text, 1))
        ids = ids_within(session, q, params, seconds)
        if ids is not None:
            return ids, True
    head = head_query(bool(text), pinyin, latin, include_inactive, descending, full_inside(text), pinyin_inside(text))
    ids = ids_of(session, head, {**params, "first": first})
    return ids, len(ids) < first
