"""Public face of the catalog package for the other process packages.

(Only what purchasing/ uses is listed here; the catalog package adds its own.)
"""

from __future__ import annotations

from jxc_desktop.services.catalog.product_files import ImportRejected, RowError
from jxc_desktop.services.catalog.products import ProductDTO, get_product, pinyin_initials, to_dto

__all__ = ["ImportRejected", "ProductDTO", "RowError", "get_product", "pinyin_initials", "to_dto"]
