"""`jxc promotions import` underneath: a csv or xlsx of promotions is added whole or not at all."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from jxc_desktop.domain.promotion_rules import Kind
from jxc_desktop.files.tabular import write_table
from jxc_desktop.services.promotions.dto import PromotionImportRejected

HEADERS = ["名称", "类型", "开始", "结束", "商品", "特价", "分类", "买", "付", "付款%", "满", "减", "每满", "仅会员",
           "可叠加", "星期"]


@pytest.fixture
def shop(services, make_product):
    cola = make_product("可乐", price=300, category="饮料", code="KL01")
    tea = make_product("绿茶", price=400, category="饮料", code="LC01")
    return services, cola, tea


def _rows(extra: list[list[str]] | None = None) -> list[list[str]]:
    return [
        ["可乐绿茶特价", "特价", "2026-12-01 08:00", "2026-12-31", "KL01=2.5, LC01", "3.5", "", "", "", "", "", "", "",
         "", "", ""],
        ["饮料买2付1", "买N付M", "2026-12-01", "", "", "", "饮料", "2", "1", "", "", "", "", "是", "", "67"],
        ["第二件半价", "第N件", "2026/12/01 00:00", "2026-12-10 22:00", "LC01", "", "", "2", "", "50", "", "", "",
         "", "否", ""],
        ["满100减10", "满减", "2026-12-01", "2026-12-31", "", "", "", "", "", "", "100", "10", "是", "", "是", ""],
        *(extra or []),
    ]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_import_adds_every_row(shop, tmp_path: Path, suffix: str) -> None:
    services, cola, tea = shop
    path = tmp_path / f"promos{suffix}"
    write_table(path, HEADERS, _rows())
    added = services.promotions.import_file(path)
    by_name = {p.name: p for p in added}
    assert list(by_name) == ["可乐绿茶特价", "饮料买2付1", "第二件半价", "满100减10"]
    sp = by_name["可乐绿茶特价"]
    assert [(p.id, p.price) for p in sp.products] == [(cola.id, 250), (tea.id, 350)]
    assert sp.starts == datetime(2026, 12, 1, 8) and sp.ends == datetime(2027, 1, 1)
    buy = by_name["饮料买2付1"]
    assert (buy.kind, buy.n, buy.m, buy.member_only, buy.weekdays, buy.ends) == (Kind.BUY_N_PAY_M, 2, 1, True, "56",
                                                                                 None)
    assert [c.label for c in buy.categories] == ["饮料"]
    half = by_name["第二件半价"]
    assert (half.n, half.m, half.pay_pct, half.ends) == (2, 1, 50, datetime(2026, 12, 10, 22))
    thr = by_name["满100减10"]
    assert (thr.threshold, thr.reduction, thr.repeat, thr.stackable) == (10000, 1000, True, True)
    assert len(services.audit.query(action="promotion_add")) == 4


def test_one_bad_row_and_nothing_is_written(shop, tmp_path: Path, db_path: Path) -> None:
    services, _cola, _tea = shop
    path = tmp_path / "promos.csv"
    bad = [["坏的满减", "满减", "2026-12-01", "2026-12-31", "", "", "", "", "", "", "100", "100", "", "", "", ""],
           ["倒着的", "特价", "2026-12-31", "2026-12-01 00:00", "KL01", "1", "", "", "", "", "", "", "", "", "", ""],
           ["没这个货", "特价", "2026-12-01", "", "ZZ99", "1", "", "", "", "", "", "", "", "", "", ""],
           ["买1付2", "买N付M", "2026-12-01", "", "KL01", "", "", "1", "2", "", "", "", "", "", "", ""],
           ["怪类型", "秒杀", "2026-12-01", "", "KL01", "", "", "", "", "", "", "", "", "", "", ""]]
    write_table(path, HEADERS, _rows(bad))
    with pytest.raises(PromotionImportRejected) as caught:
        services.promotions.import_file(path)
    errors = [(e.row, e.reason) for e in caught.value.errors]
    assert [r for r, _ in errors] == [6, 7, 8, 9, 10]
    assert "less than the threshold" in errors[0][1]
    assert "ends before it starts" in errors[1][1]
    assert "ZZ99" in errors[2][1]
    assert "N must be 2 to 100" in errors[3][1]
    assert "秒杀" in errors[4][1]
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("SELECT COUNT(*) FROM promotion").fetchone() == (0,)
        assert con.execute("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'promotion%'").fetchone() == (0,)
    finally:
        con.close()


def test_missing_columns_are_named(shop, tmp_path: Path) -> None:
    services, _cola, _tea = shop
    path = tmp_path / "promos.csv"
    write_table(path, ["名称", "商品"], [["x", "KL01"]])
    with pytest.raises(Exception, match="类型, 开始"):
        services.promotions.import_file(path)
