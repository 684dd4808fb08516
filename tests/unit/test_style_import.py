"""The product file's style columns (款号, 颜色, 色号, 尺码, 款名): rows sharing a style build its
grid; the same file again changes nothing; an export carries the columns and imports back; bad
style cells reject the file with nothing written; a file without them imports as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from jxc_desktop.db.models import Product, Style
from jxc_desktop.domain.barcode import with_check_digit
from jxc_desktop.services.catalog.dto import StyleInput
from jxc_desktop.services.catalog.product_files import ImportRejected
from jxc_desktop.services.hub import Services

HEAD = "货号,名称,分类,售价,进价,条码,款号,款名,颜色,色号,尺码"


def write_csv(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def ean(n: int) -> str:
    return with_check_digit(f"69712{n:07d}")


def styles(services: Services) -> int:
    with services.db.read() as uow:
        return int(uow.session.scalar(select(func.count(Style.id))) or 0)


def test_rows_sharing_a_style_build_its_grid(services: Services, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "p.csv", HEAD,
                  f",牛仔裤 黑色 28,裤装,189,80,{ean(1)},26N011,,黑色,,28",
                  f",牛仔裤 黑色 30,裤装,189,80,{ean(2)},26N011,,黑色,,30",
                  f",牛仔裤 蓝色 30,裤装,189,80,{ean(3)},26N011,,蓝色,BL,30",
                  f",牛仔裤 蓝色 29,裤装,189,80,{ean(4)},26N011,,蓝色,,29",
                  f"X1,帆布鞋 白 37,鞋,99,40,{ean(5)},26N017,经典帆布鞋,白色,02,37",
                  f"A9,袜子,,9.9,3,{ean(6)},,,,,")
    result = services.product_io.import_products(f, create_categories=True)
    assert (result.created, result.updated) == (6, 0)
    jeans = services.styles.by_code("26N011")
    assert jeans.name == "牛仔裤" and jeans.category == "裤装" and jeans.sale_price == 18900
    assert jeans.colours == (("01", "黑色"), ("BL", "蓝色")) and jeans.sizes == ("28", "29", "30")
    assert sorted(v.code for v in jeans.variants) == ["26N011-01-28", "26N011-01-30", "26N011-BL-29",
                                                      "26N011-BL-30"]
    grid = services.style_grids.stock_grid("26N011").grid
    assert grid.inactive == frozenset({("01", "29"), ("BL", "28")})  # not in the file: not made
    shoes = services.styles.by_code("26N017")
    assert shoes.name == "经典帆布鞋" and [v.code for v in shoes.variants] == ["X1"]
    assert services.catalog.get_by_code("A9") is not None
    with services.db.read() as uow:
        assert uow.session.scalar(select(Product.style_id).where(Product.code == "A9")) is None

    # the same file again: the rows find their products by the variant codes; nothing new
    again = services.product_io.import_products(f, create_categories=True)
    assert (again.created, again.updated) == (0, 6) and styles(services) == 2
    # a later file adds a size to the style
    more = write_csv(tmp_path / "more.csv", HEAD, f",牛仔裤 黑色 32,裤装,189,80,{ean(7)},26N011,,黑色,,32")
    services.product_io.import_products(more)
    assert services.styles.by_code("26N011").sizes == ("28", "29", "30", "32")

    # export and import back: the columns come out and change nothing
    out = tmp_path / "out.csv"
    services.product_io.export_products(out)
    text = out.read_text(encoding="utf-8-sig")
    assert "款号" in text.splitlines()[0] and "26N011,黑色,01,28" in text
    back = services.product_io.import_products(out)
    assert (back.created, back.updated) == (0, 7)
    assert services.styles.by_code("26N011").colours == (("01", "黑色"), ("BL", "蓝色"))


def test_bad_style_cells_reject_the_file(services: Services, tmp_path: Path) -> None:
    services.styles.create_style(StyleInput(code="26X001", name="T恤", colours=(("01", "黑色"),), sizes=("M",)))
    f = write_csv(tmp_path / "bad.csv", HEAD,
                  f",T恤 白 M,,59,20,{ean(1)},26X001,,白色,,",  # no size
                  f",T恤 黑 M,,59,20,{ean(2)},26X001,,黑色,09,M",  # black is 01 in the shop
                  f",T恤 白 L,,59,20,{ean(3)},26X001,,白色,,L",
                  f",T恤 白 L,,59,20,{ean(4)},26X001,,白色,,L",  # the same cell twice
                  f",T恤,,59,20,{ean(5)},T 1,,白色,,L")  # a bad style code
    with pytest.raises(ImportRejected) as info:
        services.product_io.import_products(f)
    rows = {e.row: e.reason for e in info.value.errors}
    assert sorted(rows) == [2, 3, 5, 6]
    assert "款号" in rows[2] or "颜色" in rows[2]
    assert "01" in rows[3] and "repeats row 4" in rows[5]
    assert len(services.styles.by_code("26X001").variants) == 1 and styles(services) == 1
