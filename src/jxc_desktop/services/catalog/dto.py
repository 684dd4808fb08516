"""What the catalogue hands to other packages, the ui and the command line: frozen values, no ORM."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from jxc_desktop.domain.errors import JxcError


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
