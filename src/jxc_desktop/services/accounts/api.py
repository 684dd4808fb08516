"""Public face of the accounts package for the other process packages: the booking functions they
call inside their own posting transaction, a receipt's customer line (SQL text over the caller's
``Rows``: customer_list.py), and the services (the DTOs are in dto.py).

Every name is imported from its module on first use (then kept here as a plain attribute: lazy_face.py), as
the staff and members faces do: a receipt read by ``jxc receipt`` on sqlite3 alone takes
``customer_on_receipt_in`` and so loads neither the booking nor SQLAlchemy (issue 15: a command's
fixed cost).
"""

from typing import TYPE_CHECKING

from jxc_desktop.lazy_face import lazy_getattr

if TYPE_CHECKING:
    from jxc_desktop.services.accounts.booking import (
        book_purchase,
        book_purchase_reversal,
        book_sale,
        book_sale_return,
        book_supplier_return,
        check_credit,
        sale_customer,
    )
    from jxc_desktop.services.accounts.customer_list import customer_on_receipt as customer_on_receipt_in
    from jxc_desktop.services.accounts.customers import (
        CustomersService,
        customer_by_name,
        customer_on_receipt,
    )
    from jxc_desktop.services.accounts.dto import CreditLimitExceeded
    from jxc_desktop.services.accounts.proofs import PartyFinding, party_findings
    from jxc_desktop.services.accounts.service import AccountsService

# name here -> the accounts module it comes from, or (that module, its name there)
_LAZY = {
    **dict.fromkeys(("book_purchase", "book_purchase_reversal", "book_sale", "book_sale_return",
                     "book_supplier_return", "check_credit", "sale_customer"), "booking"),
    "customer_on_receipt_in": ("customer_list", "customer_on_receipt"),
    **dict.fromkeys(("CustomersService", "customer_by_name", "customer_on_receipt"), "customers"),
    "CreditLimitExceeded": "dto",
    **dict.fromkeys(("PartyFinding", "party_findings"), "proofs"),
    "AccountsService": "service",
}


__getattr__ = lazy_getattr("jxc_desktop.services.accounts", _LAZY, globals())


__all__ = ["AccountsService", "CreditLimitExceeded", "CustomersService", "book_purchase", "book_purchase_reversal", "book_sale",
           "book_sale_return", "book_supplier_return", "check_credit", "customer_by_name", "customer_on_receipt",
           "customer_on_receipt_in", "PartyFinding", "party_findings", "sale_customer"]
