"""What other process packages may use of the catalogue: session-level lookups that join their
own transactions, and the values. (The CatalogService itself is wired by services/hub.py.)"""

from jxc_desktop.services.catalog.dto import (
           CategoryDTO,
           ProductDTO,
           ProductRow,
           ScanHit,
           ScanKind,
           ScanResult,
           VariantNames,
)
from jxc_desktop.services.catalog.pinyin import pinyin_full, pinyin_initials
from jxc_desktop.services.catalog.product_files import ImportRejected, ProductIOService, RowError
from jxc_desktop.services.catalog.product_input import (
    category_by_name,
    get_category,
    get_product,
    product_by_code,
    to_dto,
)
from jxc_desktop.services.catalog.scan import barcode_hit, resolve_in
from jxc_desktop.services.catalog.search import text_matches
from jxc_desktop.services.catalog.style_grid import broken_sizes_in, sell_through_in
from jxc_desktop.services.catalog.styles import variant_names, variant_names_of

__all__ = ["CategoryDTO", "ImportRejected", "ProductIOService", "RowError", "ProductDTO", "ProductRow", "ScanHit", "ScanKind", "ScanResult", "barcode_hit",
           "category_by_name", "get_category", "get_product", "pinyin_full", "pinyin_initials", "product_by_code",
           "resolve_in", "text_matches", "to_dto",
           "VariantNames", "variant_names", "variant_names_of", "broken_sizes_in", "sell_through_in"]
