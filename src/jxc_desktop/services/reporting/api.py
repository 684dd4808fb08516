"""What other packages may use of reporting: the service, the catalogue and the table types."""

from __future__ import annotations

from jxc_desktop.services.reporting import catalogue
from jxc_desktop.services.reporting.dto import (
    ColKind,
    Column,
    ReportKind,
    ReportRequest,
    ReportSpec,
    ReportTable,
    format_value,
)
from jxc_desktop.services.reporting.service import ReportsService
from jxc_desktop.services.reporting.tables import Built
from jxc_desktop.services.reporting.xlsx_export import write_xlsx

__all__ = ["Built", "ColKind", "Column", "ReportKind", "ReportRequest", "ReportSpec", "ReportTable",
           "ReportsService", "catalogue", "format_value", "write_xlsx"]
