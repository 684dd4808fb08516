"""What other process packages may use of the catalogue: session-level lookups that join their
own transactions, and the values. (The CatalogService itself is wired by services/hub.py.)

The product file's names (ImportRejected, ProductIOService, RowError) are loaded on first use:
that module brings the file readers, the bulk insert and the ledger, which a command that only
needs a name's pinyin (``jxc suppliers list``) should not pay for at start-up (issue 15).
"""

from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from jxc_desktop.services.catalog.product_files import ImportRejected, ProductIOService, RowError

_PRODUCT_FILES = ("ImportRejected", "ProductIOService", "RowError")


def __getattr__(name: str) -> Any:
    if name in _PRODUCT_FILES:
        from jxc_desktop.services.catalog import product_files

        value = getattr(product_files, name)
        globals()[name] = value  # once: later lookups are plain attribute reads
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["CategoryDTO", "ImportRejected", "ProductIOService", "RowError", "ProductDTO", "ProductRow", "ScanHit", "ScanKind", "ScanResult", "barcode_hit",
           "category_by_name", "get_category", "get_product", "pinyin_full", "pinyin_initials", "product_by_code",
           "resolve_in", "text_matches", "to_dto",
           "VariantNames", "variant_names", "variant_names_of", "broken_sizes_in", "sell_through_in"]
