"""Document numbers: a prefix, the local day and a per-day counter, e.g. CG20261125-0001."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from jxc_desktop.db.models import Sequence

PURCHASE = "CG"
PURCHASE_RETURN = "CT"
SALE = "XS"
SALE_RETURN = "TH"
COUNT = "PD"
PAYMENT = "FK"  # 付款单 to a supplier
COLLECTION = "SK"  # 收款单 from a customer
REFUND = "TK"  # money paid back against a credit on an account (退款单)
TOPUP = "CZ"  # a member's stored-value top-up (储值充值单)


def next_number(session: Session, prefix: str, day: date) -> str:
    """Take the next number of the day inside the caller's transaction (rolls back with it)."""
    key = day.strftime("%Y%m%d")
    seq = session.get(Sequence, (prefix, key))
    if seq is None:
        seq = Sequence(kind=prefix, day=key, last=0)
        session.add(seq)
    seq.last += 1
    return f"{prefix}{key}-{seq.last:04d}"
