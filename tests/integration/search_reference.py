"""The SQLAlchemy queries of the ranked search before it became SQL text (session 17: services/catalog/
search_text.py), kept word for word as the reference the new text must equal
(test_search_reference.py): search.py's steps and their rules, and text_index.py's queries of the
trigram index as they were, and db/dialect.py's constructs they compiled (now compiled through
db/dialect_text.py, as the new text is: here as they were, so that a fault there shows)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Boolean, Integer, Select, String, bindparam, column, func, select, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased, joinedload, selectinload
from sqlalchemy.sql.functions import FunctionElement

from jxc_desktop.db.dialect_text import POSTGRESQL, SQLITE
from jxc_desktop.db.models import Barcode, Product
from jxc_desktop.domain.scan import search_kind
from jxc_desktop.services.catalog.dto import ProductDTO
from jxc_desktop.services.catalog.product_input import to_dto
from jxc_desktop.services.catalog.search import ids_of
from jxc_desktop.services.catalog.search_text import (
    FULL_INSIDE_MIN,
    INDEX_EXACT,
    INDEX_MIN,
    NO_INDEX,
    index_use,
    list_params,
    ranked,
)


# ---------------------------------------------------------------------------- db/dialect.py
class position_of(FunctionElement[int]):  # noqa: N801
    """``position_of(haystack, needle)``: 1-based place of ``needle``, 0 when absent (exact, case kept)."""

    type = Integer()
    inherit_cache = True


@compiles(position_of, SQLITE)
def _position_sqlite(element: position_of, compiler: Any, **kw: Any) -> str:
    return f"instr({compiler.process(element.clauses, **kw)})"


@compiles(position_of, POSTGRESQL)
def _position_pg(element: position_of, compiler: Any, **kw: Any) -> str:
    return f"strpos({compiler.process(element.clauses, **kw)})"


class glob_match(FunctionElement[bool]):  # noqa: N801
    """``glob_match(col, pattern)``: SQLite's case-sensitive GLOB for a pattern of ASCII letters,
    digits, ``*`` and spaces only (search.py's pinyin rule); on PostgreSQL the same as LIKE."""

    type = Boolean()
    inherit_cache = True


@compiles(glob_match, SQLITE)
def _glob_sqlite(element: glob_match, compiler: Any, **kw: Any) -> str:
    col, pattern = (compiler.process(c, **kw) for c in element.clauses)
    return f"({col} GLOB {pattern})"


@compiles(glob_match, POSTGRESQL)
def _glob_pg(element: glob_match, compiler: Any, **kw: Any) -> str:
    col, pattern = (compiler.process(c, **kw) for c in element.clauses)
    return f"({col} LIKE replace({pattern}, '*', '%%'))"


class name_like(FunctionElement[bool]):  # noqa: N801
    """``name_like(col, pattern)``: LIKE with ``\\`` as the escape, ASCII letters matched in either
    case (SQLite's LIKE); PostgreSQL's ILIKE (which folds other letters' case as well)."""

    type = Boolean()
    inherit_cache = True


@compiles(name_like, SQLITE)
def _like_sqlite(element: name_like, compiler: Any, **kw: Any) -> str:
    col, pattern = (compiler.process(c, **kw) for c in element.clauses)
    return f"({col} LIKE {pattern} ESCAPE '\\')"


@compiles(name_like, POSTGRESQL)
def _like_pg(element: name_like, compiler: Any, **kw: Any) -> str:
    col, pattern = (compiler.process(c, **kw) for c in element.clauses)
    return f"({col} ILIKE {pattern} ESCAPE '\\')"


# ---------------------------------------------------------------------------- text_index.py
def _phrase(table: str, param: str, columns: str = ""):  # type: ignore[no-untyped-def]
    match = f"'{columns} : ' || :{param}" if columns else f":{param}"  # a column filter, then the phrase
    return (text(f"SELECT rowid FROM {table} WHERE {table} MATCH {match}")
            .bindparams(bindparam(param, type_=String)).columns(column("rowid", Integer)))


def _terms(vocab: str, col: str):  # type: ignore[no-untyped-def]
    # The vocabulary's instances of every term starting with the text, in one column.
    return (text(f"SELECT doc FROM {vocab} WHERE col = '{col}' AND term >= :term_lo AND term < :term_hi")
            .bindparams(bindparam("term_lo", type_=String), bindparam("term_hi", type_=String))
            .columns(column("doc", Integer)))


def name_candidates(phrase: bool):  # type: ignore[no-untyped-def]
    """Ids of products whose name may hold the text (a selectable for ``IN``); ``phrase`` for
    text of PHRASE_MIN characters or more."""
    return _phrase("product_text", "fts_name") if phrase else _terms("product_text_terms", "name")


def key_holders(full: bool):  # type: ignore[no-untyped-def]
    """Ids of products whose pinyin holds the (lower-case letters and digits) text: in either
    pinyin (``full``, three letters or more) or in the 助记码 only (search.py's rule for shorter
    text) — exactly search.py's GLOB on the key."""
    return (_phrase("product_pinyin_text", "fts_key", "{full initials}") if full
            else _terms("product_pinyin_terms", "initials"))


# ---------------------------------------------------------------------------- search.py
def inactive_ids():  # type: ignore[no-untyped-def]
    """Few rows, found on the active index; ``NOT IN`` it keeps scans on covering indexes."""
    m = aliased(Product)
    return select(m.id).where(m.active.is_(False))


def _pinyin_prefix(m, column: str):  # type: ignore[no-untyped-def]
    # A range scan on the column's index: a prefix match without LIKE's collation trap.
    col = getattr(m, column)
    return (col >= bindparam("low", type_=String)) & (col < bindparam("low_hi", type_=String))


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


def search_ids(session: Session, text: str, *, limit: int, active_only: bool) -> list[int]:
    """Ids of the ranked search for trimmed, non-empty ``text``, best first."""
    pinyin, latin = search_kind(text)
    params: dict[str, object] = {**list_params(text), "lim": limit}
    steps = search_steps(active_only, pinyin, latin, full_inside(text), use_index(session, text))
    return ranked((ids_of(session, step, params) for step in steps), limit)


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




def full_inside(text: str) -> bool:
    return len(text) >= FULL_INSIDE_MIN


def use_index(session: Session, text: str, shortest: int = INDEX_MIN) -> str:
    return index_use(session.get_bind().dialect.name, text, shortest)
