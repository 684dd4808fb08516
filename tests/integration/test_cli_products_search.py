"""`jxc products search TEXT [--json]`: the scan line's ranked matches on the command line."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from jxc_desktop.cli import main as jxc
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services

CASE, UNIT = "16901234567899", "6901234567892"


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("search") / "shop.sqlite3"
    assert jxc(["--db", str(path), "init"]) == 0
    db = Database.for_file(path)
    add = Services(db).catalog.create_product
    add(ProductInput(name="娃哈哈AD钙奶", code="000010", sale_price=250, barcodes=((CASE, 24), (UNIT, 1))))
    add(ProductInput(name="娃哈哈", code="000011", sale_price=200))
    add(ProductInput(name="蒙牛纯牛奶", code="000012", sale_price=350))
    add(ProductInput(name="哈密瓜", code="000013", sale_price=990))
    db.dispose()
    return path


def digest(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    finally:
        con.close()


def run_json(shop: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    assert jxc(["--db", str(shop), "products", "search", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_json_fields_and_ranking(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(shop)
    rows = run_json(shop, capsys, "wahaha")
    assert rows == [
        {"code": "000011", "barcode": "", "name": "娃哈哈", "pinyin": "whh", "pinyin_full": "wahaha",
         "sale_price": 200},
        {"code": "000010", "barcode": UNIT, "name": "娃哈哈AD钙奶", "pinyin": "whhadgn",
         "pinyin_full": "wahahaadgainai", "sale_price": 250},
    ]
    assert [r["code"] for r in run_json(shop, capsys, "cnn")] == ["000012"]  # 助记码 inside
    assert [r["code"] for r in run_json(shop, capsys, CASE)] == ["000010"]  # exact barcode first
    assert [r["code"] for r in run_json(shop, capsys, "00001")] == ["000010", "000011", "000012", "000013"]
    assert [r["code"] for r in run_json(shop, capsys, "哈")][:2] == ["000011", "000013"]  # shortest names first
    assert run_json(shop, capsys, "zzqx") == []
    assert [r["code"] for r in run_json(shop, capsys, "wahaha", "--limit", "1")] == ["000011"]
    assert digest(shop) == before  # a search writes nothing


def test_text_output_is_a_header_and_tab_separated_lines(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert jxc(["--db", str(shop), "products", "search", "niunai"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "code\tbarcode\tname\tpinyin\tsale_price_fen", "000012\t\t蒙牛纯牛奶\tmncnn\t350"]


def test_same_order_as_the_service(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = Database.for_file(shop)
    try:
        want = [p.code for p in Services(db).catalog.search("h", limit=20)]
    finally:
        db.dispose()
    assert [r["code"] for r in run_json(shop, capsys, "h")] == want and want


def test_a_bad_limit_is_refused(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert jxc(["--db", str(shop), "products", "search", "x", "--limit", "0"]) == 2
    assert "--limit" in capsys.readouterr().err


def test_help_names_the_json_fields(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        jxc(["products", "search", "--help"])
    out = capsys.readouterr().out
    for field in ("code", "barcode", "name", "pinyin", "pinyin_full", "sale_price"):
        assert field in out
