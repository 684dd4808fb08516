"""The customer list with each one's balance as SQL text, run by either driver (db/text_reads.py):
by the customers service on its unit of work (SQLite or PostgreSQL, the window's search) and by
``jxc customers list`` on sqlite3 alone, which then never builds SQLAlchemy (issue 15); and a
receipt's customer line (sales reads it through the face for ``jxc receipt``)."""

from __future__ import annotations

from datetime import datetime

from jxc_desktop.db.dialect_text import utc_bind
from jxc_desktop.db.text_reads import Row, Rows, filter_binds, filtered_variants
from jxc_desktop.services.accounts.dto import CUSTOMER, CustomerDTO

_CUSTOMERS = ("SELECT id, name, phone, address, level, credit_limit, note, active, terms_days FROM customer"
              "{where} ORDER BY active DESC, pinyin_key, id LIMIT :limit")
_ACTIVE = "active = :active"
# Name (any case), phone or pinyin holding the text; LIKE's wildcards in the text are escaped.
_TEXT = ("(lower(name) LIKE :pat ESCAPE '\\' OR phone LIKE :pat ESCAPE '\\' "
         "OR pinyin_key LIKE :pat ESCAPE '\\')")
CUSTOMERS = filtered_variants(_CUSTOMERS, _ACTIVE, _TEXT)
# Each customer's balance: the sum of its account entries (all customers, or those listed).
BALANCES = "SELECT customer_id, sum(amount) FROM account_entry WHERE party = :party{only} GROUP BY customer_id"
BALANCES_ALL_FROM = 500  # more customers listed than this: one pass over every customer's entries
# The customer a command names: exact name, case-insensitive as the database's lower() folds it.
NAMED = "SELECT id FROM customer WHERE lower(name) = :name"
NAME = "SELECT name FROM customer WHERE id = :customer"
OWED_AT = "SELECT coalesce(sum(amount), 0) FROM account_entry WHERE customer_id = :customer AND created_at <= :at"


def customer_named(rows: Rows, name: str) -> int | None:
    found = rows.all(NAMED, name=name.strip().lower())
    return int(found[0][0]) if found else None


def customer_on_receipt(rows: Rows, customer_id: int, at: datetime) -> tuple[str, int]:
    """A receipt's customer line: the name, and the balance as it stood when the sale was posted
    at ``at`` (entries written up to then) — a reprint says what the first print said."""
    found = rows.all(NAME, customer=customer_id)
    owed = rows.all(OWED_AT, customer=customer_id, at=utc_bind(at, rows.dialect))[0][0]
    return (found[0][0] or "") if found else "", int(owed or 0)


def balances(rows: Rows, ids: list[int] | None = None) -> dict[int, int]:
    """Balance (fen) by customer id, of ``ids`` only when given; a customer without entries is absent."""
    if ids is None:
        found = rows.all(BALANCES.format(only=""), party=CUSTOMER)
    elif not ids:
        return {}
    else:
        binds = {f"c{i}": cid for i, cid in enumerate(ids)}
        only = " AND customer_id IN (" + ", ".join(f":{name}" for name in binds) + ")"
        found = rows.all(BALANCES.format(only=only), party=CUSTOMER, **binds)
    return {int(cid): int(total) for cid, total in found}


def to_dto(row: Row, balance: int) -> CustomerDTO:
    cid, name, phone, address, level, credit_limit, note, active, terms = row
    return CustomerDTO(int(cid), name, phone, address, level, None if credit_limit is None else int(credit_limit),
                       note, bool(active), balance, int(terms or 0))


def list_customers(rows: Rows, *, text: str = "", active_only: bool = False,
                   limit: int = 100_000) -> list[CustomerDTO]:
    """Customers in name order (active first, by pinyin), each with its balance."""
    variant, binds = filter_binds(text, active_only, limit)
    found = rows.all(CUSTOMERS[variant], **binds)
    bal = balances(rows) if len(found) > BALANCES_ALL_FROM else balances(rows, [int(r[0]) for r in found])
    return [to_dto(r, bal.get(int(r[0]), 0)) for r in found]
