"""Styles and their colour × size variants (款号 · 颜色 · 尺码): pure rules, no storage.

A style has colours (a short code that goes into the variant's product code, and a name) and sizes
(taken from a size group such as S–XXL or 36–44, or typed). Each colour × size is a product of its
own, coded ``<style>-<colour code>-<size>``. The grid helpers total a colour × size table of
quantities by row and column; sell-through and "broken sizes" (断码) are read from such tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from jxc_desktop.domain.errors import ValidationError

# The size groups offered when a style is created (a shop may type its own sizes instead).
SIZE_GROUPS: dict[str, tuple[str, ...]] = {
    "S-XXL": ("S", "M", "L", "XL", "XXL"),
    "XS-XXXL": ("XS", "S", "M", "L", "XL", "XXL", "XXXL"),
    "36-44": ("36", "37", "38", "39", "40", "41", "42", "43", "44"),
    "35-40": ("35", "36", "37", "38", "39", "40"),
    "26-34": ("26", "27", "28", "29", "30", "31", "32", "33", "34"),
    "90-150": ("90", "100", "110", "120", "130", "140", "150"),
    "均码": ("均码",),
}
SEASONS = ("春", "夏", "秋", "冬", "春秋", "四季")
STYLE_CODE_MAX = 24
COLOUR_CODE_MAX = 8
SIZE_MAX = 8
_CODE = re.compile(r"^[0-9A-Za-z]+$")
_STYLE_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.]*$")


@dataclass(frozen=True)
class Colour:
    code: str
    name: str


# Sizes written in Chinese and the letters they take in product codes (which are ASCII).
SIZE_CODES = {"均码": "F", "加大": "XXL", "特大": "XXXL"}
_SIZE = re.compile(r"^[0-9A-Za-z._/]+$")


def size_code(size: str) -> str:
    return SIZE_CODES.get(size, size).replace("/", "_")


def variant_code(style_code: str, colour_code: str, size: str) -> str:
    """The product code of one colour × size of a style (均码 is F there)."""
    return f"{style_code}-{colour_code}-{size_code(size)}"


def check_style_code(code: str) -> str:
    code = code.strip()
    if not code:
        raise ValidationError("Style code is required")
    if len(code) > STYLE_CODE_MAX or not _STYLE_CODE.match(code):
        raise ValidationError("Style code {code} must be letters and digits, at most {n}", code=code,
                              n=STYLE_CODE_MAX)
    return code


def check_colour(code: str, name: str) -> Colour:
    """A colour as typed: the code goes into product codes (letters and digits), the name is shown."""
    code, name = code.strip(), " ".join(name.split())
    if not code or len(code) > COLOUR_CODE_MAX or not _CODE.match(code):
        raise ValidationError("Colour code {code} must be 1 to {n} letters or digits", code=code,
                              n=COLOUR_CODE_MAX)
    if not name or len(name) > 30:
        raise ValidationError("Colour {code} needs a name of at most 30 characters", code=code)
    return Colour(code, name)


def check_size(size: str) -> str:
    size = size.strip()
    if size in SIZE_CODES:
        return size
    if not size or len(size) > SIZE_MAX or not _SIZE.match(size):
        raise ValidationError("Size {size} must be 1 to {n} letters or digits (or 均码)", size=size, n=SIZE_MAX)
    return size


def check_dimensions(colours: Sequence[Colour], sizes: Sequence[str]) -> None:
    """A grid needs at least one colour and one size, none twice."""
    if not colours:
        raise ValidationError("A style needs at least one colour")
    if not sizes:
        raise ValidationError("A style needs at least one size")
    codes = [c.code.upper() for c in colours]
    twice = {c for c in codes if codes.count(c) > 1}
    if twice:
        raise ValidationError("Colour code {code} is given twice", code=sorted(twice)[0])
    twice = {s for s in sizes if list(sizes).count(s) > 1}
    if twice:
        raise ValidationError("Size {size} is given twice", size=sorted(twice)[0])


def parse_sizes(text: str) -> tuple[str, ...]:
    """A size group's name (S-XXL, 均码) or sizes typed with spaces, commas or 、 between them."""
    text = text.strip()
    if text in SIZE_GROUPS:
        return SIZE_GROUPS[text]
    parts = [p for p in re.split(r"[\s,，、/]+", text) if p]
    return tuple(check_size(p) for p in parts)


def size_rank(size: str) -> tuple[int, int, str]:
    """Sort key for sizes met in a file or a report: the letter sizes in their order, numbers by
    value, anything else after them by text."""
    letters = SIZE_GROUPS["XS-XXXL"]
    if size in letters:
        return (0, letters.index(size), size)
    if size.isdigit():
        return (1, int(size), size)
    return (2, 0, size)


@dataclass(frozen=True)
class Grid:
    """A colour × size table of quantities (thousandths), with row and column totals.

    ``cells`` is keyed by (colour code, size); a missing key is 0. ``inactive`` lists the
    combinations that are switched off (shown, not counted in as a product to type into)."""

    colours: tuple[Colour, ...]
    sizes: tuple[str, ...]
    cells: Mapping[tuple[str, str], int] = field(default_factory=dict)
    inactive: frozenset[tuple[str, str]] = frozenset()

    def qty(self, colour_code: str, size: str) -> int:
        return self.cells.get((colour_code, size), 0)

    def row_total(self, colour_code: str) -> int:
        return sum(self.qty(colour_code, s) for s in self.sizes)

    def column_total(self, size: str) -> int:
        return sum(self.qty(c.code, size) for c in self.colours)

    @property
    def total(self) -> int:
        return sum(self.row_total(c.code) for c in self.colours)

    def non_zero(self) -> list[tuple[str, str, int]]:
        """(colour code, size, qty) of every cell with a quantity, row by row."""
        return [(c.code, s, q) for c in self.colours for s in self.sizes if (q := self.qty(c.code, s))]


def sell_through_bp(sold: int, on_hand: int) -> int | None:
    """售罄率 in basis points (10 000 = 100 %): sold over the period ÷ (sold + on hand at its end).

    Units that came in and went out again within the period count as sold; negative stock counts
    as none on hand. None when nothing was sold and nothing is on hand (no rate to speak of)."""
    sold = max(sold, 0)
    base = sold + max(on_hand, 0)
    if base <= 0:
        return None
    return (sold * 10_000 * 2 + base) // (base * 2)  # half up


def format_rate(bp: int | None) -> str:
    return "" if bp is None else f"{bp // 100}.{bp % 100:02d}%"


@dataclass(frozen=True)
class BrokenColour:
    """One colour of a style with some sizes sold out while others remain (断码)."""

    colour: Colour
    missing: tuple[str, ...]
    remaining: tuple[str, ...]


def broken_sizes(grid: Grid) -> list[BrokenColour]:
    """The colours of ``grid`` (stock on hand) where at least one active size is at zero or below
    while at least one other still has stock. A colour sold out entirely is not broken, it is gone."""
    out = []
    for colour in grid.colours:
        sizes = [s for s in grid.sizes if (colour.code, s) not in grid.inactive]
        missing = tuple(s for s in sizes if grid.qty(colour.code, s) <= 0)
        remaining = tuple(s for s in sizes if grid.qty(colour.code, s) > 0)
        if missing and remaining:
            out.append(BrokenColour(colour, missing, remaining))
    return out


def grid_from_rows(colours: Iterable[Colour], sizes: Iterable[str],
                   rows: Iterable[tuple[str, str, int]]) -> Grid:
    """A Grid from (colour code, size, qty) rows, summed where a cell appears twice."""
    cells: dict[tuple[str, str], int] = {}
    for colour_code, size, qty in rows:
        cells[(colour_code, size)] = cells.get((colour_code, size), 0) + qty
    return Grid(tuple(colours), tuple(sizes), cells)
