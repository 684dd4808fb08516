"""The rows of ``jxc stock`` (every active product, those below their minimum, those with a batch on
hand expiring by a day or already expired — ``--expiring``, with ``--low`` or not) as SQL text,
run by either driver (db/text_reads.py): by the stock view on its units of work (SQLite or
PostgreSQL) and by ``jxc stock`` on sqlite3 alone, which then never builds SQLAlchemy (issue 15:
the whole command within 1.5x of the bare query).

On sqlite3 alone ``jxc stock`` goes further: SQLite writes the output's text itself
(:func:`plain_texts`), a chunk of products as one string, so Python neither fetches 100 000 rows
of 7 values nor formats them. The text is what cli/stock.py writes from the rows on the full path
(``json.dumps(rows, ensure_ascii=False, indent=1)``'s bytes, ``format_qty``) — that Python
formatting stays the rule: tests/unit/test_stock_text_sql.py feeds every kind of string and a
wide range of quantities through both and compares the bytes. SQLite's writing is most of such a
command (~0.2 s of one CPU for 100 000 products), so on a big file ``jxc stock`` cuts the list at
the middle code (:data:`SPLIT`) and a forked helper process builds the part after it
(``plain_texts(after=…)``) while the command writes the part up to it (``upto``): cli/stock_split.py."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date
from typing import cast

from jxc_desktop.db.dialect_text import day_bind
from jxc_desktop.db.text_reads import Rows

# A StockLine as the driver returns it: (product_id, code, barcode, name, qty, avg_cost, value).
PlainLine = tuple[int, str, str, str, int, int, int]

# The primary barcode: the single unit's first (ix_barcode_primary), "" for a product without one.
_BARCODE = ("coalesce((SELECT b.code FROM barcode b WHERE b.product_id = p.id ORDER BY b.multiplier, b.id "
            "LIMIT 1), '')")
_LINES = ("SELECT p.id, p.code, " + _BARCODE + ", p.name, p.stock_qty, p.avg_cost, p.stock_value "
          "FROM product p WHERE p.active = :active{where} ORDER BY p.code LIMIT :chunk")
_BELOW_MIN = " AND p.min_stock > 0 AND p.stock_qty < p.min_stock"
# A batch on hand (qty > 0) expiring by the day :last_day, or already expired (``jxc stock
# --expiring`` always shows those): an IN over the batches the expiry index finds
# (ix_batch_expiry_date), not a probe of the batches per product (100 000 of them).
_EXPIRING = (" AND p.id IN (SELECT bt.product_id FROM batch bt "
             "WHERE bt.qty > 0 AND bt.expiry_date <= :last_day)")
_AFTER = " AND p.code > :after"
_UPTO = " AND p.code <= :upto"  # a part of the list only (plain_texts' ``upto``)
_FLAGS = (False, True)


def _where(below: bool, expiring: bool, after: bool, upto: bool) -> str:
    """The conditions after ``p.active = :active``: each only when asked for."""
    return "".join(cond for cond, on in ((_BELOW_MIN, below), (_EXPIRING, expiring), (_AFTER, after),
                                         (_UPTO, upto)) if on)


# (below the minimum, expiring, after a code) -> the text of plain_lines
LINES = {(below, expiring, after): _LINES.format(where=_where(below, expiring, after, False))
         for below, expiring, after in itertools.product(_FLAGS, repeat=3)}


def _binds(rows: Rows, chunk: int, expiring_by: date | None, **codes: str | None) -> dict[str, object]:
    """A list text's binds: the chunk, the last day of the expiry window and the codes given."""
    binds: dict[str, object] = {"active": True, "chunk": chunk}
    if expiring_by is not None:  # a DATE column: ISO text on SQLite, a date on PostgreSQL
        binds["last_day"] = day_bind(expiring_by, rows.dialect)
    binds.update((name, code) for name, code in codes.items() if code is not None)
    return binds


def qty_text_sql(qty: str) -> str:
    """domain.quantity.format_qty as an SQLite expression over the integer expression ``qty``
    (thousandths): ``1250`` -> ``1.25``, ``-500`` -> ``-0.5``, ``3000`` -> ``3``. SQLite's integer
    ``/`` and ``%`` truncate toward zero, so the whole part and the fraction are taken of the
    value as it is and negated for a negative one (no abs(): it overflows on the smallest int64)."""
    return (f"CASE WHEN {qty} % 1000 = 0 THEN ({qty} / 1000) || '' "
            f"WHEN {qty} < 0 THEN '-' || (-({qty} / 1000)) || rtrim(printf('.%03d', -({qty} % 1000)), '0') "
            f"ELSE ({qty} / 1000) || rtrim(printf('.%03d', {qty} % 1000), '0') END")


# One product of ``jxc stock --json`` as cli/stock.py's _JSON_ROW writes it (json.dumps' indent=1
# inside the list); json_quote escapes as json's encode_basestring (ensure_ascii=False) does.
_JSON_ROW = ("printf(' {{\n  \"code\": %s,\n  \"barcode\": %s,\n  \"name\": %s,\n  \"qty\": %d,\n"
             "  \"qty_units\": \"%s\",\n  \"avg_cost\": %d,\n  \"value\": %d\n }}', "
             "json_quote(p.code), json_quote({barcode}), json_quote(p.name), p.stock_qty, {units}, p.avg_cost, "
             "p.stock_value)").format(barcode=_BARCODE, units=qty_text_sql("p.stock_qty"))
# One product of ``jxc stock``: tab-separated, as cli/stock.py's _text_chunk writes it.
_TEXT_ROW = ("p.code || char(9) || {barcode} || char(9) || p.name || char(9) || {units} || char(9) || "
             "p.avg_cost || char(9) || p.stock_value || char(10)").format(barcode=_BARCODE,
                                                                         units=qty_text_sql("p.stock_qty"))
# A chunk of products as one text: the rows in code order (the LIMIT keeps the subquery's ORDER
# BY, and SQLite then feeds the aggregate in that order), the count and the last code for the next.
# The text comes as its UTF-8 bytes (a BLOB): checked to be UTF-8, it goes to a UTF-8 stdout as it
# is, never built into str and encoded back (17 MB of mostly Chinese text for 100 000 products).
_TEXTS = ("SELECT CAST(group_concat(text, {sep}) AS BLOB), count(*), max(code) FROM ("
          "SELECT {row} AS text, p.code AS code "
          "FROM product p WHERE p.active = :active{where} ORDER BY p.code LIMIT :chunk)")
# (as JSON, below the minimum, expiring, after a code, up to a code) -> the text of text_chunks
TEXTS = {(as_json, below, expiring, after, upto): _TEXTS.format(row=_JSON_ROW if as_json else _TEXT_ROW,
                                                                sep="',\n'" if as_json else "''",
                                                                where=_where(below, expiring, after, upto))
         for as_json, below, expiring, after, upto in itertools.product(_FLAGS, repeat=5)}
# The rows of a chunk of TEXTS, read again when its text is not UTF-8 (same binds, same products).
_RE_READ = {key: _LINES.format(where=_where(*key)) for key in itertools.product(_FLAGS, repeat=4)}
# Where ``jxc stock`` may cut its list in two (cli/stock_split.py): how many products the file
# holds, active or not, and the code of the middle one — both from the code's unique index alone
# (under a millisecond for 100 000 products; counting only the active ones, or those below their
# minimum, would read every row). The halves of the matching products are as even as the matching
# products are spread over the codes; what each half reads of the table is even.
SPLIT = ("SELECT (SELECT count(*) FROM product), "
         "(SELECT code FROM product ORDER BY code LIMIT 1 OFFSET ((SELECT count(*) FROM product) - 1) / 2)")


def plain_lines(read: Callable[[], AbstractContextManager[Rows]], *, below_min: bool = False,
                expiring_by: date | None = None, chunk: int = 20000) -> Iterator[list[PlainLine]]:
    """Every active product (``below_min``: only those under their minimum stock; ``expiring_by``:
    only those with a batch on hand expiring by that day or already expired) in code order,
    ``chunk`` at a time; each chunk one short read (``read()``) seeking past the last code given,
    so the walk is linear and no read holds the file while the caller writes rows out."""
    after: str | None = None
    while True:
        with read() as rows:
            page = rows.all(LINES[below_min, expiring_by is not None, after is not None],
                            **_binds(rows, chunk, expiring_by, after=after))
        if page:
            yield cast("list[PlainLine]", page)
        if len(page) < chunk:
            return
        after = page[-1][1]  # the code


def text_chunks(read: Callable[[], AbstractContextManager[Rows]], *, as_json: bool, below_min: bool = False,
                expiring_by: date | None = None, chunk: int = 20000, after: str | None = None,
                upto: str | None = None) -> Iterator[tuple[bytes, int, str]]:
    """:func:`plain_texts`' chunks, each with how many products it holds and the last one's code
    (where the next chunk starts): every chunk but the last holds ``chunk`` products."""
    while True:
        key = (below_min, expiring_by is not None, after is not None, upto is not None)
        with read() as rows:
            binds = _binds(rows, chunk, expiring_by, after=after, upto=upto)
            ((text, n, last),) = rows.all(TEXTS[(as_json, *key)], **binds)
            try:
                if n:
                    text.decode()
            except UnicodeDecodeError:
                rows.all(_RE_READ[key], **binds)
                raise
        if n:
            yield text, n, last
        if n < chunk:
            return
        after = last


def plain_texts(read: Callable[[], AbstractContextManager[Rows]], *, as_json: bool, below_min: bool = False,
                expiring_by: date | None = None, chunk: int = 20000, after: str | None = None,
                upto: str | None = None) -> Iterator[bytes]:
    """:func:`plain_lines` written out by SQLite (SQLite only: json_quote, printf): each chunk of
    products as one UTF-8 text — ``as_json``: the list's objects joined by ``,\\n`` (no brackets),
    else the tab-separated lines. The same keyset walk, one short read per chunk; ``after`` and
    ``upto`` (codes) keep to the products after the one and up to the other (a part of the list).

    Each chunk is checked to be UTF-8 (a file written by another tool may hold other bytes); one
    that is not is read again as rows, so sqlite3 refuses it as it refuses :func:`plain_lines`
    (its "Could not decode to UTF-8 column 'name'…"), the same error as the full path gives."""
    for text, _n, _last in text_chunks(read, as_json=as_json, below_min=below_min, expiring_by=expiring_by,
                                       chunk=chunk, after=after, upto=upto):
        yield text
