"""A supplier as the package shows it. Its own module (dto.py names it too) so that ``jxc suppliers
list`` on sqlite3 alone does not build the package's other 14 dataclasses (~10 ms, issue 15)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class SupplierDTO:
    id: int
    name: str
    contact: str
    phone: str
    address: str
    note: str
    active: bool
    last_purchase_date: date | None = None
    lead_time_days: int = 0
    terms_days: int = 0
