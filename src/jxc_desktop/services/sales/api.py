"""Public face of the sales package for the other process packages (the DTOs are in dto.py).

The catalog asks whether a held cart still holds a product before it is deactivated or deleted.
"""

from __future__ import annotations

from jxc_desktop.services.sales.checkout import CheckoutService
from jxc_desktop.services.sales.held_sales import HeldSalesService, product_is_held

__all__ = ["CheckoutService", "HeldSalesService", "product_is_held"]
