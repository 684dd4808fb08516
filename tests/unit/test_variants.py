"""domain/variants.py: variant codes, colour and size rules, the grid's totals, sell-through and
broken sizes (断码)."""

from __future__ import annotations

import pytest

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.variants import (
    SIZE_GROUPS,
    Colour,
    Grid,
    broken_sizes,
    check_colour,
    check_size,
    check_style_code,
    format_rate,
    grid_from_rows,
    parse_sizes,
    sell_through_bp,
    size_rank,
    variant_code,
)

BK, WH = Colour("01", "黑色"), Colour("02", "白色")


def test_codes_and_checks() -> None:
    assert variant_code("26Q101", "01", "M") == "26Q101-01-M"
    assert variant_code("26Q101", "01", "均码") == "26Q101-01-F"  # product codes are ASCII
    assert check_style_code(" 26Q101 ") == "26Q101"
    assert check_colour("BK", " 黑  色 ") == Colour("BK", "黑 色")
    assert check_size("均码") == "均码" and check_size("38") == "38"
    for bad in ("", "S M", "S-M", "123456789", "大"):
        with pytest.raises(ValidationError):
            check_size(bad)
    for bad_code in ("", "26 Q", "款1", "x" * 25):
        with pytest.raises(ValidationError):
            check_style_code(bad_code)
    with pytest.raises(ValidationError):
        check_colour("黑", "黑色")


def test_sizes_from_a_group_or_typed() -> None:
    assert parse_sizes("S-XXL") == SIZE_GROUPS["S-XXL"]
    assert parse_sizes("36，37、38 39") == ("36", "37", "38", "39")
    assert sorted(["XL", "S", "40", "M", "38", "均码"], key=size_rank) == ["S", "M", "XL", "38", "40", "均码"]


def test_grid_totals_and_cells() -> None:
    grid = grid_from_rows((BK, WH), ("S", "M", "L"), [("01", "S", 2000), ("01", "M", 3000), ("02", "M", 1000),
                                                       ("01", "S", 1000)])
    assert grid.qty("01", "S") == 3000 and grid.qty("02", "L") == 0
    assert (grid.row_total("01"), grid.row_total("02")) == (6000, 1000)
    assert (grid.column_total("S"), grid.column_total("M"), grid.column_total("L")) == (3000, 4000, 0)
    assert grid.total == 7000
    assert grid.non_zero() == [("01", "S", 3000), ("01", "M", 3000), ("02", "M", 1000)]


def test_sell_through_definition() -> None:
    assert sell_through_bp(3, 7) == 3000
    assert sell_through_bp(1, 2) == 3333 and sell_through_bp(2, 1) == 6667  # half up to a basis point
    assert sell_through_bp(5, 0) == 10_000 and sell_through_bp(0, 5) == 0
    assert sell_through_bp(0, 0) is None
    assert sell_through_bp(4, -2) == 10_000  # stock below zero counts as none on hand
    assert format_rate(3333) == "33.33%" and format_rate(None) == ""


def test_broken_sizes() -> None:
    grid = Grid((BK, WH, Colour("03", "卡其")), ("S", "M", "L"),
                {("01", "M"): 2000, ("02", "S"): 1000, ("02", "M"): 1000, ("02", "L"): 1000},
                inactive=frozenset({("03", "S")}))
    broken = broken_sizes(grid)
    assert [(b.colour.code, b.missing, b.remaining) for b in broken] == [("01", ("S", "L"), ("M",))]
    # a colour sold out altogether is gone, not broken; a cell never made does not count as missing
    grid2 = Grid((WH,), ("S", "M"), {("02", "M"): 1000}, inactive=frozenset({("02", "S")}))
    assert broken_sizes(grid2) == []
