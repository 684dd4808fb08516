"""Public face of the accounts package for the other process packages: the booking functions they
call inside their own posting transaction, and the services (the DTOs are in dto.py)."""

from __future__ import annotations

from jxc_desktop.services.accounts.booking import (
    book_purchase,
    book_purchase_reversal,
    book_sale,
    book_sale_return,
    book_supplier_return,
    check_credit,
    sale_customer,
)
from jxc_desktop.services.accounts.customers import CustomersService, customer_by_name, customer_on_receipt
from jxc_desktop.services.accounts.dto import CreditLimitExceeded
from jxc_desktop.services.accounts.proofs import PartyFinding, party_findings
from jxc_desktop.services.accounts.service import AccountsService

__all__ = ["AccountsService", "CreditLimitExceeded", "CustomersService", "book_purchase", "book_purchase_reversal", "book_sale",
           "book_sale_return", "book_supplier_return", "check_credit", "customer_by_name", "customer_on_receipt", "PartyFinding", "party_findings", "sale_customer"]
