"""The two kinds of party an account belongs to: a supplier or a customer (read inside a session)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from jxc_desktop.db.models import Customer, Supplier
from jxc_desktop.services.accounts.dto import SUPPLIER, check_party, party_missing


def party_row(s: Session, party: str, party_id: int) -> Supplier | Customer:
    row = s.get(Supplier if check_party(party) == SUPPLIER else Customer, party_id)
    if row is None:
        raise party_missing(party, party_id)
    return row
