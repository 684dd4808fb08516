"""`jxc demo --kind clothing`, `jxc styles …` and the style reports end to end, in-process (the same
code path as the console script); the stock grid PDF read back with pdftotext and pdffonts and
rendered to PNG with pdftoppm."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from jxc_desktop.cli import main as jxc
from tests.demo_day import DEMO_TODAY_ARG


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("clothing") / "shop.db"
    assert jxc(["--db", str(db), "demo", "--kind", "clothing", "--products", "12", "--days", "200",
                "--today", DEMO_TODAY_ARG]) == 0
    return db


def run(db: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = jxc(["--db", str(db), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_clothing_demo_lists_its_styles(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(shop, capsys, "styles", "list", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 12
    assert {r["season"] for r in rows} >= {"春", "夏", "秋", "冬"}
    assert all(r["colours"] >= 2 and r["sizes"] >= 1 and r["variants"] == r["colours"] * r["sizes"] for r in rows)
    assert any(r["stock_qty"] > 0 for r in rows)
    code, text, _err = run(shop, capsys, "styles", "list")
    assert code == 0 and text.splitlines()[0].startswith("code\tname\tseason")
    # the convenience store demo stays the default: no styles there
    code, _out, err = run(shop, capsys, "demo", "--kind", "clothing")
    assert code != 0 and "already holds" in err


def test_grid_per_cell_and_sold_grid(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    styles = json.loads(run(shop, capsys, "styles", "list", "--json")[1])
    stocked = next(r for r in styles if r["stock_qty"] > 0)
    code, out, _err = run(shop, capsys, "styles", "grid", stocked["code"], "--json")
    grid = json.loads(out)
    assert code == 0 and grid["code"] == stocked["code"]
    assert len(grid["cells"]) == len(grid["colours"]) * len(grid["sizes"])
    assert sum(c["qty"] for c in grid["cells"]) == grid["total"] == stocked["stock_qty"]
    cell = grid["cells"][0]
    assert set(cell) >= {"colour", "colour_code", "size", "qty", "product_code", "barcode"}
    assert cell["product_code"].startswith(stocked["code"] + "-")
    code, text, _err = run(shop, capsys, "styles", "grid", stocked["code"])
    lines = text.splitlines()
    assert lines[1].split("\t")[1:-1] == grid["sizes"] and lines[-1].split("\t")[-1] == str(grid["total"] // 1000)
    code, out, _err = run(shop, capsys, "styles", "grid", stocked["code"], "--sold", "--from", "2026-01-01",
                          "--to", DEMO_TODAY_ARG, "--json")
    assert code == 0 and json.loads(out)["what"] == "sold"
    assert run(shop, capsys, "styles", "grid", "NOPE")[0] != 0


def test_sell_through_and_broken_sizes(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(shop, capsys, "styles", "sell-through", "--from", "2026-01-01", "--to", DEMO_TODAY_ARG,
                          "--by", "colour", "--json")
    rows = json.loads(out)
    assert code == 0 and rows and all(r["colour"] for r in rows)
    for r in rows:
        if r["sold"] + r["on_hand"]:
            assert r["sell_through_bp"] == (r["sold"] * 20000 + r["sold"] + r["on_hand"]) // (
                2 * (r["sold"] + r["on_hand"]))
    code, out, _err = run(shop, capsys, "report", "sell-through", "--from", "2026-01-01", "--to", DEMO_TODAY_ARG,
                          "--by", "size", "--json")
    report = json.loads(out)
    assert code == 0 and report["by"] == "size" and sum(r["qty"] for r in report["rows"]) == report["total"]["qty"]
    code, out, _err = run(shop, capsys, "styles", "broken", "--json")
    broken = json.loads(out)
    assert code == 0 and broken, "a year of a clothing shop leaves broken sizes"
    assert all(r["missing"] and r["remaining"] and r["on_hand"] > 0 for r in broken)
    code, out, _err = run(shop, capsys, "report", "broken-sizes", "--json")
    assert code == 0 and len(json.loads(out)["rows"]) == len(broken)


def test_stock_grid_pdf(shop: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    styles = json.loads(run(shop, capsys, "styles", "list", "--json")[1])
    pdf = tmp_path / "grids.pdf"
    code, out, _err = run(shop, capsys, "styles", "pdf", str(pdf))
    assert code == 0 and pdf.exists()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for r in styles:
        assert r["code"] in text and r["name"] in text
    assert "衣尚服饰" in text and "Total" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "WenQuanYi" in fonts or "JxcCJK" in fonts
    shots = Path(os.environ["JXC_SHOTS"]) if os.environ.get("JXC_SHOTS") else tmp_path
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(shots / "style_grid_pdf")],
                   check=True)
    png = next(shots.glob("style_grid_pdf*.png"))
    assert png.stat().st_size > 10_000
