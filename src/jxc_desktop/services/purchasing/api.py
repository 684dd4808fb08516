"""Public face of the purchasing package for the other process packages (the DTOs are in dto.py)."""

from __future__ import annotations

from jxc_desktop.services.purchasing.reorder import ReorderService
from jxc_desktop.services.purchasing.service import PurchasingService
from jxc_desktop.services.purchasing.suppliers import SupplierService

__all__ = ["PurchasingService", "ReorderService", "SupplierService"]
