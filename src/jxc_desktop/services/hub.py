"""All services of one open database, built in one place (the composition roots call this).

Each service is built on first use, and its module imported then: a ``jxc`` command loads only
the process packages it calls (``jxc suppliers list`` never imports pypinyin, openpyxl or the
reports), and the window's first paint does not wait for the tabs it has not built yet. The
services hold nothing but the database, so building one later changes nothing else.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from jxc_desktop.db.uow import Database
from jxc_desktop.services.shop.till_config import record_till_on_documents

if TYPE_CHECKING:
    from jxc_desktop.services.accounts.customers import CustomersService
    from jxc_desktop.services.accounts.service import AccountsService
    from jxc_desktop.services.catalog.labels import LabelService
    from jxc_desktop.services.catalog.product_files import ProductIOService
    from jxc_desktop.services.catalog.products import CatalogService
    from jxc_desktop.services.catalog.style_grid import StyleGridService
    from jxc_desktop.services.catalog.styles import StyleService
    from jxc_desktop.services.members.money_service import MemberMoneyService
    from jxc_desktop.services.members.service import MembersService
    from jxc_desktop.services.promotions.service import PromotionService
    from jxc_desktop.services.purchasing.forecasts import ForecastService
    from jxc_desktop.services.purchasing.reorder import ReorderService
    from jxc_desktop.services.purchasing.service import PurchasingService
    from jxc_desktop.services.purchasing.suppliers import SupplierService
    from jxc_desktop.services.reporting.service import ReportsService
    from jxc_desktop.services.safety.audit import AuditService
    from jxc_desktop.services.safety.backup import BackupService
    from jxc_desktop.services.safety.pin import PinService
    from jxc_desktop.services.sales.checkout import CheckoutService
    from jxc_desktop.services.sales.held_sales import HeldSalesService
    from jxc_desktop.services.sales.wholesale import WholesaleService
    from jxc_desktop.services.shop.drawer import DrawerService
    from jxc_desktop.services.shop.settings import SettingsService
    from jxc_desktop.services.staff.people import StaffService
    from jxc_desktop.services.staff.shifts import ShiftService
    from jxc_desktop.services.stock.counts import StockCountService
    from jxc_desktop.services.stock.stock_view import StockViewService

S = TypeVar("S")


class _Built(Generic[S]):
    """A service built from ``module.name(db)`` on first access, then kept on the instance (an
    assignment, e.g. a test's stand-in, replaces it)."""

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name
        self.attr = ""

    def __set_name__(self, owner: type, attr: str) -> None:
        self.attr = attr

    @overload
    def __get__(self, obj: None, owner: type) -> _Built[S]: ...
    @overload
    def __get__(self, obj: Services, owner: type) -> S: ...

    def __get__(self, obj: Services | None, owner: type) -> Any:
        if obj is None:
            return self
        # Imported here, on first use, for start-up speed (see the module doc); not to hide a cycle.
        service = getattr(importlib.import_module(self.module), self.name)(obj.db)
        obj.__dict__[self.attr] = service
        return service


class Services:
    catalog: _Built[CatalogService] = _Built("jxc_desktop.services.catalog.products", "CatalogService")
    settings: _Built[SettingsService] = _Built("jxc_desktop.services.shop.settings", "SettingsService")
    checkout: _Built[CheckoutService] = _Built("jxc_desktop.services.sales.checkout", "CheckoutService")
    held_sales: _Built[HeldSalesService] = _Built("jxc_desktop.services.sales.held_sales", "HeldSalesService")
    suppliers: _Built[SupplierService] = _Built("jxc_desktop.services.purchasing.suppliers", "SupplierService")
    purchasing: _Built[PurchasingService] = _Built("jxc_desktop.services.purchasing.service", "PurchasingService")
    reorder: _Built[ReorderService] = _Built("jxc_desktop.services.purchasing.reorder", "ReorderService")
    product_io: _Built[ProductIOService] = _Built("jxc_desktop.services.catalog.product_files", "ProductIOService")
    stock_count: _Built[StockCountService] = _Built("jxc_desktop.services.stock.counts", "StockCountService")
    stock_view: _Built[StockViewService] = _Built("jxc_desktop.services.stock.stock_view", "StockViewService")
    audit: _Built[AuditService] = _Built("jxc_desktop.services.safety.audit", "AuditService")
    backup: _Built[BackupService] = _Built("jxc_desktop.services.safety.backup_choice", "backup_service")
    pin: _Built[PinService] = _Built("jxc_desktop.services.safety.pin", "PinService")
    reports: _Built[ReportsService] = _Built("jxc_desktop.services.reporting.service", "ReportsService")
    labels: _Built[LabelService] = _Built("jxc_desktop.services.catalog.labels", "LabelService")
    drawer: _Built[DrawerService] = _Built("jxc_desktop.services.shop.drawer", "DrawerService")
    forecasts: _Built[ForecastService] = _Built("jxc_desktop.services.purchasing.forecasts", "ForecastService")
    styles: _Built[StyleService] = _Built("jxc_desktop.services.catalog.styles", "StyleService")
    style_grids: _Built[StyleGridService] = _Built("jxc_desktop.services.catalog.style_grid", "StyleGridService")
    wholesale: _Built[WholesaleService] = _Built("jxc_desktop.services.sales.wholesale", "WholesaleService")
    customers: _Built[CustomersService] = _Built("jxc_desktop.services.accounts.customers", "CustomersService")
    accounts: _Built[AccountsService] = _Built("jxc_desktop.services.accounts.service", "AccountsService")
    staff: _Built[StaffService] = _Built("jxc_desktop.services.staff.people", "StaffService")
    shifts: _Built[ShiftService] = _Built("jxc_desktop.services.staff.shifts", "ShiftService")
    promotions: _Built[PromotionService] = _Built("jxc_desktop.services.promotions.service", "PromotionService")
    members: _Built[MembersService] = _Built("jxc_desktop.services.members.service", "MembersService")
    member_money: _Built[MemberMoneyService] = _Built("jxc_desktop.services.members.money_service",
                                                      "MemberMoneyService")
    # Further services are added here by the issues that build them.

    def __init__(self, db: Database) -> None:
        self.db = db
        record_till_on_documents()  # each new document names this PC's till (issue 21)

    def __repr__(self) -> str:
        return f"Services(db={self.db!r})"
