"""What the catalogue hands to other packages, the ui and the command line: frozen values, no ORM."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.variants import Grid


@dataclass(frozen=True)
class ProductDTO:
    id: int
    code: str
    name: str
    pinyin: str
    spec: str
    unit: str
    category_id: int | None
    category: str
    sale_price: int
    ref_cost: int
    last_cost: int
    min_stock: int
    max_stock: int
    shelf_life_days: int | None
    tracks_batches: bool
    active: bool
    stock_qty: int
    stock_value: int
    avg_cost: int
    barcodes: tuple[tuple[str, int], ...]
    pinyin_manual: bool = False
    pinyin_full: str = ""


@dataclass(frozen=True)
class ScanHit:
    """A product found by its barcode; ``multiplier`` whole units per scan (a case = 12)."""

    product: ProductDTO
    barcode: str
    multiplier: int


@dataclass(frozen=True)
class CategoryDTO:
    id: int
    name: str
    parent_id: int | None


@dataclass(frozen=True)
class ProductRow:
    """One line of the products table (no barcodes list, no ORM: cheap to build by the thousand)."""

    id: int
    code: str
    name: str
    pinyin: str
    spec: str
    unit: str
    category: str
    sale_price: int
    ref_cost: int
    avg_cost: int
    stock_qty: int
    stock_value: int
    min_stock: int
    active: bool
    barcode: str  # the first barcode, "" if none


@dataclass(frozen=True)
class FirstScreen:
    """What the products table shows at once for a filter: its first ids (every id when
    ``complete``; else CatalogService.list_ids gives them all) and the rows of the first of them."""

    ids: list[int]
    complete: bool
    rows: list[ProductRow]


class ScanKind(StrEnum):
    """How a scan named its product."""

    BARCODE = "barcode"  # a barcode of the product (a case barcode counts its pack)
    SCALE = "scale"  # a scale label: weight or amount embedded
    CODE = "code"  # the product code (货号) typed in full
    SEARCH = "search"  # not a code: search text, see ``candidates``
    NONE = "none"  # nothing


@dataclass(frozen=True)
class ScanResult:
    """What a scanned or typed text names (services/catalog/scan.py).

    - ``product`` set: that product, ``qty`` thousandths of its unit (a pack barcode's multiplier,
      a scale label's weight, or what a price label's ``amount`` in fen buys at the sale price);
      ``barcode`` is the code as scanned ("" for a product code). The product may be deactivated:
      whether that matters is the caller's rule (a sale refuses it, a count takes it).
    - else ``candidates``: products the text matches as search, best first (may be empty).
    - ``problem``: why a code could not be used (a wrong check digit, a scale label whose item
      is not in the catalogue, a price label on a product without a price), as the error to show.
    - ``new_barcode``: a well-formed scanned code no product has (the purchase offers to create one).
    """

    text: str
    kind: ScanKind
    product: ProductDTO | None = None
    qty: int = 0
    amount: int | None = None
    barcode: str = ""
    candidates: tuple[ProductDTO, ...] = field(default=())
    problem: JxcError | None = field(default=None, compare=False)
    new_barcode: bool = False

    @property
    def single(self) -> ProductDTO | None:
        """The one product Enter takes: the named product, or the only candidate."""
        if self.product is not None:
            return self.product
        return self.candidates[0] if len(self.candidates) == 1 else None


@dataclass(frozen=True)
class LabelItem:
    """What one price tag or barcode label shows (services/catalog/labels.py fills it, reports/labels.py
    draws it). ``barcode`` is the code to print ("" = the product code as CODE128); ``member_price``,
    ``origin``, ``colour`` and ``size`` are None/"" when the shop has no such data (the slot is left out)."""

    product_id: int
    code: str
    name: str
    spec: str
    unit: str
    price: int  # fen
    barcode: str
    member_price: int | None = None
    origin: str = ""
    colour: str | None = None
    size: str | None = None
    copies: int = 1


@dataclass(frozen=True)
class StoreBarcode:
    """An in-store EAN-13 code given to a product that had no barcode."""

    product_id: int
    code: str
    name: str
    barcode: str
# ---------------------------------------------------------------- styles (款号 · 颜色 · 尺码)


@dataclass(frozen=True)
class StyleInput:
    """A style as entered: money in fen; ``sizes`` in their order; ``colours`` as (code, name)."""

    code: str
    name: str
    colours: tuple[tuple[str, str], ...]
    sizes: tuple[str, ...]
    category: str = ""
    season: str = ""
    year: int | None = None
    brand: str = ""
    unit: str = "件"
    sale_price: int = 0
    ref_cost: int = 0
    size_group: str = ""
    # Optional barcodes of some cells, keyed (colour code, size): a maker's labels typed in.
    barcodes: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class VariantDTO:
    """One colour × size of a style: a product of its own."""

    product_id: int
    code: str
    colour_code: str
    colour: str
    size: str
    active: bool
    barcode: str  # the first barcode, "" if none
    sale_price: int
    stock_qty: int


@dataclass(frozen=True)
class StyleDTO:
    id: int
    code: str
    name: str
    category: str
    season: str
    year: int | None
    brand: str
    unit: str
    sale_price: int
    ref_cost: int
    size_group: str
    active: bool
    colours: tuple[tuple[str, str], ...]  # (code, name) in order
    sizes: tuple[str, ...]
    variants: tuple[VariantDTO, ...]

    def variant(self, colour_code: str, size: str) -> VariantDTO | None:
        return next((v for v in self.variants if v.colour_code == colour_code and v.size == size), None)

    @property
    def stock_qty(self) -> int:
        return sum(v.stock_qty for v in self.variants)


@dataclass(frozen=True)
class StyleRow:
    """One line of the styles list."""

    id: int
    code: str
    name: str
    category: str
    season: str
    year: int | None
    brand: str
    sale_price: int
    colours: int
    sizes: int
    variants: int
    stock_qty: int
    active: bool


@dataclass(frozen=True)
class VariantNames:
    """What a label or a receipt prints of a variant (catalog.api.variant_names)."""

    product_id: int
    style_code: str
    colour_code: str
    colour: str
    size: str


@dataclass(frozen=True)
class StyleGridDTO:
    """A style's colour × size table of one figure (stock on hand, thousandths), with its totals in
    ``grid`` (domain/variants.Grid)."""

    style: StyleDTO
    grid: Grid
    title: str = "Stock"


@dataclass(frozen=True)
class SellThroughRow:
    """Sales and sell-through (售罄率) of a style, one of its colours, sizes or cells over a period.

    ``sold`` is the net quantity sold in the period (sales less customer returns, reversed sales
    left out), ``on_hand`` the stock at the end of the period; ``rate_bp`` = sold ÷ (sold + on
    hand) in basis points, None when both are nothing (domain/variants.sell_through_bp)."""

    style_code: str
    style_name: str
    colour: str  # "" when the row is a whole style or a size across colours
    size: str  # "" when the row is a whole style or a colour across sizes
    sold: int
    amount: int  # net sales, fen
    on_hand: int
    rate_bp: int | None


@dataclass(frozen=True)
class BrokenSizeRow:
    """One colour of a style with sizes sold out while others remain (断码)."""

    style_code: str
    style_name: str
    season: str
    colour: str
    missing: tuple[str, ...]
    remaining: tuple[str, ...]
    on_hand: int  # what the remaining sizes still hold, thousandths
