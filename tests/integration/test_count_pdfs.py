"""The blank count sheet and the variance report, read back with pdftotext."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from jxc_desktop import i18n
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.reports.count_sheets import blank_sheet_pdf, variance_pdf
from jxc_desktop.services.catalog.product_files import Opening, insert_products


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def fonts_of(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


def test_blank_sheet_grouped_by_category(services, make_product, tmp_path: Path) -> None:
    i18n.set_language("zh_CN")
    make_product("可口可乐330ml", 300, 200, 10, barcode="6901234567892", category="饮料", spec="330ml")
    make_product("全麦面包", 500, 300, 5, category="食品")
    sc = services.stock_count
    count = sc.open()
    pdf = blank_sheet_pdf(tmp_path / "blank.pdf", count, sc.sheet_lines(count.id), shop="好邻居便利店")
    text = text_of(pdf)
    assert "盘点表" in text and count.number in text
    assert "饮料" in text and "食品" in text and text.index("食品") < text.index("饮料")
    assert "可口可乐330ml" in text and "6901234567892" in text and "330ml" in text and "实盘数量" in text
    assert "10" not in text.split("可口可乐330ml")[1].splitlines()[0]  # book qty is not printed
    assert "emb" in fonts_of(pdf).splitlines()[1] or "yes" in fonts_of(pdf)


def test_long_blank_sheet_pages_headings_and_streamed_lines(services, make_product, tmp_path: Path) -> None:
    """Drawn on the canvas: every page repeats the column headings (and the category running over
    it), carries the count number and its page number; long names wrap, batch lines show."""
    i18n.set_language("zh_CN")
    long_name = "特级初榨橄榄油西班牙原装进口家庭装超大容量"  # 21 characters: two lines
    make_product(long_name, 9900, 7000, 1, category="粮油", spec="5L")
    make_product("鲜牛奶", 900, 600, 0, category="乳品", tracks_batches=True)
    with services.db.write() as uow:  # 150 in one write (the import's path), each with 1 on hand
        insert_products(uow.session, [(ProductInput(name=f"矿泉水{i:03d}", sale_price=200, ref_cost=100,
                                                    category="饮料", unit="瓶"), Opening(1000, 100))
                                      for i in range(150)])
        uow.commit()
    sc = services.stock_count
    count = sc.open()
    pdf = blank_sheet_pdf(tmp_path / "long.pdf", count, sc.iter_sheet_lines(count.id), shop="好邻居便利店",
                          total=sc.line_count(count.id))
    pages = text_of(pdf).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 4
    for n, page in enumerate(pages, start=1):
        assert "实盘数量" in page and "货号" in page, n  # the headings on every page
        assert count.number in page and f"第 {n} 页" in page.replace("第{n}页", f"第 {n} 页") or str(n) in page
    assert "饮料" in pages[2]  # the category that runs over the page is named again
    flat = "".join(text_of(pdf).split())
    first = flat.index(long_name[:15])  # wrapped onto a second line, not cut (a longer one ends in …)
    assert long_name[-3:] in flat[first:first + 40] and "…" not in flat
    assert "矿泉水149" in flat and "盘点人" in flat  # the last line and the signatures
    assert "无批次" in flat or "批次" in flat
    assert "WenQuanYi" in fonts_of(pdf) or "JxcCJK" in fonts_of(pdf)


def test_cancelled_blank_sheet_leaves_no_file(services, tmp_path: Path) -> None:
    # 1 200 products in one write (the import's path), not 1 200 create_product commits: the test
    # is about the sheet, and the commits alone took most of its time
    with services.db.write() as uow:
        insert_products(uow.session, [(ProductInput(name=f"商品{i}", sale_price=200, ref_cost=100), None)
                                      for i in range(1200)])
        uow.commit()
    sc = services.stock_count
    count = sc.open()
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "sheet.pdf"
    target.write_bytes(b"the owner's old sheet")
    seen: list[tuple[int, int]] = []

    class Stop(Exception):
        pass

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done >= 1000:
            raise Stop

    with pytest.raises(Stop):
        blank_sheet_pdf(target, count, sc.iter_sheet_lines(count.id), total=1200, progress=progress)
    assert seen[0] == (500, 1200)
    assert target.read_bytes() == b"the owner's old sheet"  # not replaced by half a sheet
    assert sorted(p.name for p in target.parent.iterdir()) == ["sheet.pdf"]  # and no part file left


def test_variance_report_lists_differences_and_totals(services, make_product, tmp_path: Path) -> None:
    i18n.set_language("zh_CN")
    a = make_product("可乐", 300, 200, 10, category="饮料")
    b = make_product("面包", 500, 300, 5, category="食品")
    make_product("绿茶", 400, 250, 8, category="饮料")
    sc = services.stock_count
    count = sc.open()
    sc.add(count.id, a.id, 7_000)
    sc.add(count.id, b.id, 6_000)
    sc.post(count.id)
    count = sc.get(count.id)
    pdf = variance_pdf(tmp_path / "var.pdf", count, sc.summary(count.id),
                       sc.sheet_lines(count.id, differences_only=True))
    text = text_of(pdf)
    assert "盘点差异报告" in text and count.number in text
    assert "可乐" in text and "面包" in text and "绿茶" not in text
    assert "-3" in text and "-¥6.00" in text and "+1" in text and "¥3.00" in text
    assert "盘盈" in text and "盘亏" in text and "-¥3.00" in text  # net: +3.00 - 6.00
    assert "盘点人" in text and "负责人" in text
