"""The ranked search as SQL text (standard library only), and the matching rules it shares with the
products table: `jxc products search` runs it on sqlite3 alone (cli/catalog.py, issue 15), the
service and the scan line on their session (db/text_reads.py SessionRows).

Ranking: exact barcode, code (exact, then prefix), pinyin prefix (助记码, then 全拼), pinyin inside
(助记码; 全拼 from three letters on), name substring (shortest names first); see search.py's module
doc for why each rule reads what it reads. Each step is one id query, run in rank order until
``limit`` ids are found; then only the hits' rows are loaded.

The rules (``code_range`` … ``not_inactive``) are SQL text over the columns they are given: the
steps here name the columns themselves, search.py's queries of the products table compile the same
functions with their own columns (search.py ``_rule``), so a rule is written once.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from jxc_desktop.db.dialect_text import POSTGRESQL, SQLITE, glob_match, name_like, position_of
from jxc_desktop.db.text_reads import Rows, like_pattern
from jxc_desktop.domain.product_rules import clean_text
from jxc_desktop.domain.scan import search_kind
from jxc_desktop.services.catalog.dto import ProductDTO
from jxc_desktop.services.catalog.pinyin import full_of_key
from jxc_desktop.services.catalog.text_index import (
    exact_for_name,
    index_params,
    key_holders,
    name_candidates,
    usable,
)


def list_params(text: str) -> dict[str, str]:
    """The bound parameters of every query here and in search.py: ``text``/``text_hi`` (code range),
    ``low``/``low_hi`` (pinyin range, lower case), ``pattern`` (a LIKE pattern for the name) and
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


def index_use(dialect: str, text: str, shortest: int = INDEX_MIN) -> str:
    """How the text index serves this search on a database of the ``dialect`` named: not at all
    (other databases, text it cannot find), naming names that the name rule then checks, or
    answering the name rule itself."""
    if len(text) < shortest or not usable(text) or dialect != SQLITE:
        return NO_INDEX
    return INDEX_EXACT if exact_for_name(text) else INDEX_CHECKED


FULL_INSIDE_MIN = 3  # shorter text inside full pinyin mostly straddles syllables ("nf" in "mianfen")


def full_inside(text: str) -> bool:
    return len(text) >= FULL_INSIDE_MIN


# One letter inside the 助记码 matches most of a shop ("h" is in every "…号"): the products table
# would list (and sort) nearly all of it on the first key typed. One letter matches as before issue
# 12: the 助记码 or 全拼 starts with it, or the name holds it.
PINYIN_INSIDE_MIN = 2


def pinyin_inside(text: str) -> bool:
    return len(text) >= PINYIN_INSIDE_MIN


# ---------------------------------------------------------------------------- the rules
def _bool(value: bool, dialect: str) -> str:
    if dialect == POSTGRESQL:
        return "true" if value else "false"
    return "1" if value else "0"


def is_active(col: str, value: bool, dialect: str) -> str:
    """``col IS <value>`` as SQLAlchemy writes ``is_()``: the active index reads it."""
    return f"{col} IS {_bool(value, dialect)}"


def code_range(code: str, dialect: str) -> str:
    """Codes starting with the text: a range scan of the code index."""
    return f"{code} >= :text AND {code} < :text_hi"


def pinyin_prefix(col: str, dialect: str) -> str:
    """A range scan on the column's index: a prefix match without LIKE's collation trap."""
    return f"{col} >= :low AND {col} < :low_hi"


def pinyin_glob(key: str, full: bool, dialect: str) -> str:
    """One GLOB (case-sensitive, the key is lower case) per entry of the narrow ix_product_pinyin_key."""
    return glob_match(key, ":glob" if full else ":glob_initials", dialect)


def name_contains(name: str, latin: bool, dialect: str) -> str:
    """LIKE is case-insensitive for Latin letters; instr is exact and cheaper for CJK text."""
    return name_like(name, ":pattern", dialect) if latin else f"{position_of(name, ':text', dialect)} > 0"


def key_inside(pid: str, key: str, full: bool, indexed: str, dialect: str) -> str:
    """The pinyin index answers the GLOB itself (text_index.py): no product row is read."""
    return f"{pid} IN ({key_holders(full)})" if indexed else pinyin_glob(key, full, dialect)


def name_inside(pid: str, name: str, latin: bool, phrase: bool, indexed: str, dialect: str) -> str:
    """The name rule, on the text index's candidates where it names them (``indexed``)."""
    if not indexed:
        return name_contains(name, latin, dialect)
    found = f"{pid} IN ({name_candidates(phrase)})"
    return found if indexed == INDEX_EXACT else f"{found} AND {name_contains(name, latin, dialect)}"


def not_inactive(pid: str, dialect: str) -> str:
    """Not one of the few inactive products (found on the active index): ``NOT IN`` them keeps
    scans on covering indexes, never reading rows."""
    return f"({pid} NOT IN (SELECT i.id FROM product AS i WHERE {is_active('i.active', False, dialect)}))"


# ---------------------------------------------------------------------------- the ranked search
@lru_cache(maxsize=64)
def search_steps(dialect: str, active_only: bool, pinyin: bool, latin: bool, full: bool = True,
                 indexed: str = NO_INDEX) -> tuple[str, ...]:
    """The id queries of the ranked search, in rank order. Bound parameters as list_params() plus
    ``lim``."""
    active = f" AND {is_active('product.active', True, dialect)}" if active_only else ""
    scan = f" AND {not_inactive('m.id', dialect)}" if active_only else ""
    steps = ["SELECT product.id FROM product JOIN barcode ON product.id = barcode.product_id"
             f" WHERE barcode.code = :text{active}",
             f"SELECT product.id FROM product WHERE product.code = :text{active}"]
    if pinyin:
        steps += [
            f"SELECT product.id FROM product WHERE {code_range('product.code', dialect)}{active}"
            " ORDER BY product.code",
            f"SELECT product.id FROM product WHERE {pinyin_prefix('product.pinyin', dialect)}{active}"
            " ORDER BY product.pinyin, product.id",
            f"SELECT product.id FROM product WHERE {pinyin_prefix('product.pinyin_key', dialect)}{active}"
            " ORDER BY product.pinyin_key, product.id",
            f"SELECT m.id FROM product AS m WHERE {key_inside('m.id', 'm.pinyin_key', full, indexed, dialect)}"
            f"{scan} ORDER BY length(m.pinyin_key), m.id",
        ]
    else:  # pinyin text: the key scan found every name holding the text (search.py's module doc)
        steps.append(f"SELECT m.id FROM product AS m"
                     f" WHERE {name_inside('m.id', 'm.name', latin, full, indexed, dialect)}{scan}"
                     " ORDER BY length(m.name), m.id")
    return tuple(f"{q} LIMIT :lim" for q in steps)


def search_ids(rows: Rows, text: str, *, limit: int, active_only: bool) -> list[int]:
    """Ids of the ranked search for trimmed, non-empty ``text``, best first."""
    pinyin, latin = search_kind(text)
    params: dict[str, object] = {**list_params(text), "lim": limit}
    steps = search_steps(rows.dialect, active_only, pinyin, latin, full_inside(text), index_use(rows.dialect, text))
    return ranked(([pid for (pid,) in rows.all(step, **params)] for step in steps), limit)


def ranked(found: Iterable[Iterable[int]], limit: int) -> list[int]:
    """The ids each step found, in step order, each once, at most ``limit``. ``found`` is read
    lazily: the steps after the one that fills the limit are never run."""
    ids: list[int] = []
    seen: set[int] = set()
    for step_ids in found:
        for pid in step_ids:
            if pid not in seen:
                seen.add(pid)
                ids.append(pid)
        if len(ids) >= limit:
            break
    return ids[:limit]


_PRODUCTS = ("SELECT p.id, p.code, p.name, p.pinyin, p.spec, p.unit, p.category_id, c.name, p.sale_price,"
             " p.ref_cost, p.last_cost, p.min_stock, p.max_stock, p.shelf_life_days, p.tracks_batches,"
             " p.active, p.stock_qty, p.stock_value, p.avg_cost, p.pinyin_manual, p.pinyin_key"
             " FROM product AS p LEFT OUTER JOIN category AS c ON c.id = p.category_id WHERE p.id IN ({ids})")
# The statement the ORM's relationship loaded them with, unsorted as it was: the planner picks the
# same index (ix_barcode_product_id: barcode id order; ix_barcode_primary, where the file's statistics
# favour it: by multiplier, then id), so a product's barcodes come in the order they always did.
_BARCODES = "SELECT product_id, id, code, multiplier FROM barcode WHERE product_id IN ({ids})"


def load_products(rows: Rows, ids: list[int]) -> list[ProductDTO]:
    """The products of ``ids`` in that order, with barcodes and category (ids gone are skipped)."""
    if not ids:
        return []
    binds = {f"id{i}": pid for i, pid in enumerate(ids)}
    marks = ", ".join(":" + k for k in binds)
    barcodes: dict[int, list[tuple[str, int]]] = {}
    for pid, _id, code, multiplier in rows.all(_BARCODES.format(ids=marks), **binds):
        barcodes.setdefault(pid, []).append((code, multiplier))
    found = {}
    for (pid, code, name, pinyin, spec, unit, category_id, category, sale_price, ref_cost, last_cost, min_stock,
         max_stock, shelf_life_days, tracks_batches, active, stock_qty, stock_value, avg_cost, pinyin_manual,
         key) in rows.all(_PRODUCTS.format(ids=marks), **binds):
        found[pid] = ProductDTO(
            id=pid, code=code, name=name, pinyin=pinyin, spec=spec, unit=unit, category_id=category_id,
            category=category or "", sale_price=sale_price, ref_cost=ref_cost, last_cost=last_cost,
            min_stock=min_stock, max_stock=max_stock, shelf_life_days=shelf_life_days,
            tracks_batches=bool(tracks_batches), active=bool(active), stock_qty=stock_qty,
            stock_value=stock_value, avg_cost=avg_cost, barcodes=tuple(barcodes.get(pid, ())),
            pinyin_manual=bool(pinyin_manual), pinyin_full=full_of_key(key))
    return [found[i] for i in ids if i in found]


def search_products(rows: Rows, text: str, *, limit: int, active_only: bool = True) -> list[ProductDTO]:
    """The ranked search's products for trimmed, non-empty ``text``, best first."""
    return load_products(rows, search_ids(rows, text, limit=limit, active_only=active_only))


def search(rows: Rows, text: str, *, limit: int = 50, active_only: bool = True) -> list[ProductDTO]:
    """CatalogService.search: the text as typed (checked, trimmed); nothing for empty text."""
    text = clean_text(text, "Search", 120).strip()
    return search_products(rows, text, limit=limit, active_only=active_only) if text else []
