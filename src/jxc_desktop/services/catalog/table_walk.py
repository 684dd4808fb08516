"""The products table's list for the owner typing into its filter.

The first screen comes at once whatever the number of matches: a short walk of the products in code
order (its unique index), each checked by search.row_matches, finds a screen of matches when they are
many; when the walk finds them sparse, the whole list is usually small and the text index gives all
of it (search.table_ids' query), and a key that narrows a short list goes there at once. When the
index finds many after all, they lie further on in code order and the walk goes on to them. A key
costs the same on a loaded machine: each try is bounded by SQLite steps, not by a clock. The rest of
a long list (table_ids) is read afterwards, off the GUI thread; ``stop`` abandons it the moment a
newer key makes it stale.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from functools import lru_cache

from sqlalchemy import Integer, Select, bindparam, func, select
from sqlalchemy.orm import Session, aliased

from jxc_desktop.db.models import Product
from jxc_desktop.domain.scan import search_kind
from jxc_desktop.services.catalog.dto import ProductRow
from jxc_desktop.services.catalog.search import (
    NO_INDEX,
    code_range,
    full_inside,
    ids_of,
    index_use,
    list_params,
    list_query,
    matching_ids,
    narrows,
    not_inactive,
    pinyin_inside,
    prepare_sqlite,
    row_matches,
    sqlite_row_queries,
    table_ids,
    table_query,
    table_rows,
    use_index,
)

# SQLite steps the first screen's walk may take: about 3 000 products (~25 steps each, ~1.5 ms). It
# finds a screen of 60 when at least 2 % of the products match; sparser text has few enough matches
# (under ~2 000 on 100 000 products) for the text index to list them all in a few milliseconds.
WALK_STEPS = 75_000
# SQLite steps the index's whole list may take after a walk found too few: ~3 000 matches (~30 steps
# each, a few milliseconds). More: they lie further on in code order, where a walk finds a screen.
INDEX_STEPS = 100_000
# A text that only narrows one whose whole list was at most this long has at most as many matches:
# the text index lists them at once, without a walk first.
FEW = 2000
# At least this many codes start with the text: more matches than the index's whole list may take
# (INDEX_STEPS), so the first screen comes from the head of that run of codes (range_head_query).
LONG_RUN = 3000
# SQLite steps the text index may take before the walk, when the walk is bounded: ~120 matches
# (~0.1 ms). Fewer is the usual answer to a word or a few pinyin letters: the whole list, no walk.
PROBE_STEPS = 4000  # 0: no probe
_STEP_GRAIN = 1000  # SQLite calls the progress handler every this many steps
# A text of each kind and length that picks its own queries (search_kind: letters, digits, other
# text, and with or without Latin letters; the rules change at one, two and three characters; the
# text index's use): their queries are built and compiled ahead, while the table is idle
# (warm_queries), so that the first key of each kind costs no more than the next one (1-3 ms per
# query, several per key, else paid by the first key typed of each kind).
SHAPES = ("a", "ab", "abc", "1", "12", "123", "字", "字字", "字字字", "a字", "a字字")


class Stopped(Exception):
    """The statement was stopped (its ``stop()`` said so): nothing was read."""


def ids_unless(session: Session, query, params: dict[str, object], stop: Callable[[], bool]) -> list[int]:  # type: ignore[no-untyped-def]
    """ids_of(), but SQLite stops the statement as soon as ``stop()`` is true (asked every
    _STEP_GRAIN steps) and Stopped is raised; a read leaves the transaction as it was. Other
    databases cannot stop a statement: it runs to the end."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return ids_of(session, query, params)
    raw = conn.connection.driver_connection
    raw.set_progress_handler(stop, _STEP_GRAIN)  # type: ignore[union-attr]
    try:
        return ids_of(session, query, params)
    except sqlite3.OperationalError as exc:
        if "interrupt" not in str(exc):
            raise
        raise Stopped() from exc
    finally:
        raw.set_progress_handler(None, 0)  # type: ignore[union-attr]


def _step_budget(steps: int) -> Callable[[], bool]:
    calls = [0]

    def spent() -> bool:
        calls[0] += 1
        return calls[0] * _STEP_GRAIN > steps

    return spent


@lru_cache(maxsize=32)
def head_query(filtered: bool, pinyin: bool, latin: bool, include_inactive: bool, descending: bool,
               full: bool = True, inside: bool = True) -> Select:  # type: ignore[type-arg]
    """The first ``:first`` ids of table_ids() sorted by code: the rows in code order, each
    checked by row_matches, stopping at the first screen."""
    q = select(Product.id)
    if filtered:
        q = q.where(row_matches(Product, pinyin=pinyin, latin=latin, full=full, inside=inside))
    if not include_inactive:
        q = q.where(not_inactive(Product.id))
    order = (Product.code.desc(), Product.id.desc()) if descending else (Product.code.asc(), Product.id.asc())
    return q.order_by(*order).limit(bindparam("first", type_=Integer))


@lru_cache(maxsize=32)
def range_head_query(pinyin: bool, latin: bool, include_inactive: bool, descending: bool, full: bool,
                     inside: bool, indexed: str) -> Select:  # type: ignore[type-arg]
    """head_query()'s answer when the text is the prefix of a long run of codes: the first ``:first``
    of that run (a range of the code index) and every match by the other rules (the text index),
    sorted, cut at ``:first``. Exact: a match that comes before the cut is in one or the other."""
    m = aliased(Product)
    run = select(m.id).where(code_range(m))
    if not include_inactive:
        run = run.where(not_inactive(m.id))
    run = run.order_by(*((m.code.desc(), m.id.desc()) if descending else (m.code.asc(), m.id.asc())))
    run_head = run.limit(bindparam("first", type_=Integer)).subquery()
    q = select(Product.id).where(Product.id.in_(matching_ids(
        pinyin=pinyin, latin=latin, full=full, inside=inside, indexed=indexed, codes=select(run_head.c.id))))
    if not include_inactive:
        q = q.where(not_inactive(Product.id))
    order = (Product.code.desc(), Product.id.desc()) if descending else (Product.code.asc(), Product.id.asc())
    return q.order_by(*order).limit(bindparam("first", type_=Integer))


@lru_cache(maxsize=1)
def _run_count() -> Select:  # type: ignore[type-arg]
    """How many codes start with ``:text``, counted up to ``:cap`` (a range of the code index)."""
    run = select(Product.id).where(code_range(Product)).limit(bindparam("cap", type_=Integer)).subquery()
    return select(func.count()).select_from(run)


def _long_run(session: Session, params: dict[str, str]) -> bool:
    """Whether at least LONG_RUN codes start with the text (a count that stops there)."""
    return ids_of(session, _run_count(), {**params, "cap": LONG_RUN})[0] >= LONG_RUN


def filter_queries(dialect: str, text: str, *, include_inactive: bool, descending: bool) -> tuple[Select, ...]:  # type: ignore[type-arg]
    """Every id query that first_table_ids() and the read of the rest (table_ids) may run for
    ``text`` on a table sorted by code, built as they build them."""
    pinyin, latin = search_kind(text) if text else (False, False)
    full, inside = full_inside(text), pinyin_inside(text)
    indexed = index_use(dialect, text, 1) if text else NO_INDEX
    queries = [head_query(bool(text), pinyin, latin, include_inactive, descending, full, inside),
               list_query(bool(text), pinyin, latin, include_inactive, "code", descending, full, inside, indexed),
               list_query(bool(text), pinyin, latin, include_inactive, "code", descending, full, inside,
                          index_use(dialect, text) if text else NO_INDEX)]
    if text:
        queries += [_run_count(), range_head_query(pinyin, latin, include_inactive, descending, full, inside, indexed)]
    return tuple(queries)


def warm_queries(dialect: str, *, include_inactive: bool = False, descending: bool = False) -> Iterator[None]:
    """Build and compile the queries of each SHAPES text (SQLite; a server has SQLAlchemy's own
    cache), one text per step: a generator, for a caller that runs a step at a time while idle."""
    if dialect != "sqlite":
        return
    for query in sqlite_row_queries():  # the rows of a screen
        prepare_sqlite(query)
    for text in SHAPES:
        for query in filter_queries(dialect, text, include_inactive=include_inactive, descending=descending):
            prepare_sqlite(query)
        yield


def first_table_ids(session: Session, text: str, *, include_inactive: bool, sort: str, descending: bool,
                    first: int, steps: int | None) -> tuple[list[int], bool]:
    """``(ids, complete)``: every id of table_ids() and True when the text index lists them within
    PROBE_STEPS (``steps`` a number); else the first ``first`` ids and ``complete`` False when the
    walk in code order finds that many within ``steps`` SQLite steps (None: no limit), else every
    id of table_ids() and True when the index lists them within INDEX_STEPS, else the walk to its
    first screen. ``steps`` 0: no walk, the index's whole list (the matches are known to be few).
    A table not sorted by code, or on a server: every id."""
    if sort != "code" or session.get_bind().dialect.name != "sqlite":
        return table_ids(session, text, include_inactive=include_inactive, sort=sort, descending=descending), True
    pinyin, latin = search_kind(text) if text else (False, False)
    params = list_params(text)
    head = head_query(bool(text), pinyin, latin, include_inactive, descending, full_inside(text), pinyin_inside(text))
    head_params = {**params, "first": first}
    indexed = use_index(session, text, 1) if text else NO_INDEX
    whole = list_query(bool(text), pinyin, latin, include_inactive, sort, descending, full_inside(text),
                       pinyin_inside(text), indexed)
    if steps and indexed and PROBE_STEPS:
        # A word typed usually matches few products: the text index lists them all in a fraction of
        # a millisecond, where a walk through sparse matches would spend its whole budget first.
        try:
            return ids_unless(session, whole, params, _step_budget(PROBE_STEPS)), True
        except Stopped:  # many: the walk finds a screen of them, as below
            pass
    if steps != 0:
        try:
            ids = ids_unless(session, head, head_params, _step_budget(steps) if steps is not None else lambda: False)
        except Stopped:
            pass
        else:
            return ids, len(ids) < first
    # Sparse at the start of the code order: usually few matches, listed from the text index (one
    # character too). Many after all (they start further on): the walk again, to its first screen.
    if text and steps and _long_run(session, params):
        # The prefix of many codes (too many for the index's whole list): that run's head and the
        # few matches by other rules, instead of a walk through every code before the run.
        run_head = range_head_query(pinyin, latin, include_inactive, descending, full_inside(text),
                                    pinyin_inside(text), indexed)
        try:
            ids = ids_unless(session, run_head, head_params, _step_budget(INDEX_STEPS))
            return ids, len(ids) < first
        except Stopped:  # the other rules match many too
            ids = ids_of(session, head, head_params)
            return ids, len(ids) < first
    try:
        return ids_unless(session, whole, params, _step_budget(INDEX_STEPS) if steps else lambda: False), True
    except Stopped:
        ids = ids_of(session, head, head_params)
        return ids, len(ids) < first


def first_screen(session: Session, text: str, *, include_inactive: bool, sort: str, descending: bool,
                 first: int, steps: int | None, rows: int,
                 before: tuple[str, int] | None = None) -> tuple[list[int], bool, list[ProductRow]]:
    """first_table_ids() and the table rows of its first ``rows`` ids, in one visit to the file.
    ``before``: the text of the list shown before and its whole number of matches, if known."""
    if before is not None and before[1] <= FEW and narrows(before[0], text):
        steps = 0
    ids, complete = first_table_ids(session, text, include_inactive=include_inactive, sort=sort,
                                    descending=descending, first=first, steps=steps)
    return ids, complete, table_rows(session, ids[:rows]) if ids and rows > 0 else []


def table_ids_unless(session: Session, text: str, *, include_inactive: bool, sort: str, descending: bool,
                     stop: Callable[[], bool]) -> list[int]:
    """table_ids(), stopped (Stopped) as soon as ``stop()`` is true (SQLite)."""
    q, params = table_query(session, text, include_inactive=include_inactive, sort=sort, descending=descending)
    return ids_unless(session, q, dict(params), stop)
