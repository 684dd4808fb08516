"""All services of one open database, built in one place (the composition roots call this)."""

from __future__ import annotations

from dataclasses import dataclass, field

from jxc_desktop.db.uow import Database
from jxc_desktop.services.catalog.product_files import ProductIOService
from jxc_desktop.services.catalog.products import CatalogService
from jxc_desktop.services.purchasing.reorder import ReorderService
from jxc_desktop.services.purchasing.service import PurchasingService
from jxc_desktop.services.purchasing.suppliers import SupplierService
from jxc_desktop.services.reporting.service import ReportsService
from jxc_desktop.services.safety.audit import AuditService
from jxc_desktop.services.safety.backup import BackupService
from jxc_desktop.services.safety.pin import PinService
from jxc_desktop.services.sales.checkout import CheckoutService
from jxc_desktop.services.sales.held_sales import HeldSalesService
from jxc_desktop.services.shop.settings import SettingsService
from jxc_desktop.services.stock.counts import StockCountService
from jxc_desktop.services.stock.stock_view import StockViewService


@dataclass
class Services:
    db: Database
    catalog: CatalogService = field(init=False)
    settings: SettingsService = field(init=False)
    checkout: CheckoutService = field(init=False)
    held_sales: HeldSalesService = field(init=False)
    suppliers: SupplierService = field(init=False)
    purchasing: PurchasingService = field(init=False)
    reorder: ReorderService = field(init=False)
    product_io: ProductIOService = field(init=False)
    stock_count: StockCountService = field(init=False)
    stock_view: StockViewService = field(init=False)
    audit: AuditService = field(init=False)
    backup: BackupService = field(init=False)
    pin: PinService = field(init=False)
    reports: ReportsService = field(init=False)

    def __post_init__(self) -> None:
        self.catalog = CatalogService(self.db)
        self.settings = SettingsService(self.db)
        self.checkout = CheckoutService(self.db)
        self.held_sales = HeldSalesService(self.db)
        self.suppliers = SupplierService(self.db)
        self.purchasing = PurchasingService(self.db)
        self.reorder = ReorderService(self.db)
        self.product_io = ProductIOService(self.db)
        self.stock_count = StockCountService(self.db)
        self.stock_view = StockViewService(self.db)
        self.audit = AuditService(self.db)
        self.backup = BackupService(self.db)
        self.pin = PinService(self.db)
        self.reports = ReportsService(self.db)
        # Further services are added here by the issues that build them.
