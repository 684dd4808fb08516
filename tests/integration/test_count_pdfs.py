"""The blank count sheet and the variance report, read back with pdftotext."""

from __future__ import annotations

import subprocess
from pathlib import Path

from jxc_desktop import i18n
from jxc_desktop.reports.count_sheets import blank_sheet_pdf, variance_pdf


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
