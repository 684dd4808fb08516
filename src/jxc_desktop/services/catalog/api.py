"""What other process packages may use of the catalogue: session-level lookups that join their
own transactions, and the values. (The CatalogService itself is wired by services/hub.py.)

Only the pinyin helpers are loaded with this module; every other name is imported from its module
on first use (then kept here as a plain attribute: lazy_face.py). A command that only needs a name's pinyin
(``jxc suppliers list``) does not pay for the catalogue's dataclasses, scan and search code, nor
the product file's readers, bulk insert and ledger (issue 15: a command's fixed cost).
"""

from typing import TYPE_CHECKING

from jxc_desktop.lazy_face import lazy_getattr
from jxc_desktop.services.catalog.pinyin import pinyin_full, pinyin_initials

if TYPE_CHECKING:
    from jxc_desktop.services.catalog.dto import (
        CategoryDTO,
        ProductDTO,
        ProductRow,
        ScanHit,
        ScanKind,
        ScanResult,
        VariantNames,
    )
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
    from jxc_desktop.services.catalog.style_figures import broken_sizes_in, sell_through_in
    from jxc_desktop.services.catalog.styles import variant_names, variant_names_of

# name -> the catalogue module it comes from
_LAZY = {
    **dict.fromkeys(("CategoryDTO", "ProductDTO", "ProductRow", "ScanHit", "ScanKind", "ScanResult",
                     "VariantNames"), "dto"),
    **dict.fromkeys(("ImportRejected", "ProductIOService", "RowError"), "product_files"),
    **dict.fromkeys(("category_by_name", "get_category", "get_product", "product_by_code", "to_dto"),
                    "product_input"),
    **dict.fromkeys(("barcode_hit", "resolve_in"), "scan"),
    "text_matches": "search",
    **dict.fromkeys(("broken_sizes_in", "sell_through_in"), "style_figures"),  # SQL text over the caller's Rows
    **dict.fromkeys(("variant_names", "variant_names_of"), "styles"),
}


__getattr__ = lazy_getattr("jxc_desktop.services.catalog", _LAZY, globals())


__all__ = ["CategoryDTO", "ImportRejected", "ProductIOService", "RowError", "ProductDTO", "ProductRow", "ScanHit", "ScanKind", "ScanResult", "barcode_hit",
           "category_by_name", "get_category", "get_product", "pinyin_full", "pinyin_initials", "product_by_code",
           "resolve_in", "text_matches", "to_dto",
           "VariantNames", "variant_names", "variant_names_of", "broken_sizes_in", "sell_through_in"]
