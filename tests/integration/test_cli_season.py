"""`jxc report season` and `jxc report abc`: the JSON contract on the two-year shop of
tests/unit/season_scenario.py (figures by hand there), the --compare fields, and the files."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jxc_desktop.cli import main
from jxc_desktop.services.hub import Services
from tests.unit import season_scenario
from tests.unit.season_scenario import Shop

pytestmark = pytest.mark.clock  # its own dates: must give the same figures at any instant and zone

MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


@pytest.fixture
def shop(services: Services, make_product) -> Shop:  # type: ignore[no-untyped-def]
    made = season_scenario.build(services, make_product)
    services.settings.update({"shop_name": "好邻居便利店"})
    return made


def run_json(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> dict:  # type: ignore[type-arg]
    assert main(["--db", str(db), "report", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_season_json(db_target: Path | str, shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(capsys, db_target, "season", "--from", "2026-01-01", "--to", "2026-12-31")
    assert (out["from"], out["to"], out["by"]) == ("2026-01-01", "2026-12-31", "category")
    assert (out["last_year_from"], out["last_year_to"]) == ("2025-01-01", "2025-12-31")
    assert out["months"] == MONTHS
    drinks = out["rows"][1]
    assert drinks["name"] == "饮料" and list(drinks["months"]) == MONTHS
    assert (drinks["months"]["2026-07"], drinks["months"]["2026-08"], drinks["months"]["2026-01"]) == (9000, 2000, 0)
    assert (drinks["total"], drinks["last_year_total"], drinks["yoy_pct"]) == (11000, 6000, 83.3)
    assert [(r["name"], r["yoy_pct"]) for r in out["rows"]] == [("冬装", 0.0), ("饮料", 83.3), ("零食", None)]
    t = out["total"]
    assert (t["total"], t["last_year_total"], t["yoy_pct"], t["months"]["2026-02"]) == (42200, 36000, 17.2, 1200)
    by_product = run_json(capsys, db_target, "season", "--from", "2026-07-01", "--to", "2026-08-31", "--by", "product")
    assert by_product["months"] == ["2026-07", "2026-08"]
    assert [(r["key"], r["category"], r["months"], r["yoy_pct"]) for r in by_product["rows"]] == [
        (shop.d1, "饮料", {"2026-07": 9000, "2026-08": 0}, 80.0),
        (shop.d2, "饮料", {"2026-07": 0, "2026-08": 2000}, 100.0)]


def test_abc_json(db_target: Path | str, shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(capsys, db_target, "abc", "--from", "2026-01-01", "--to", "2026-12-31")
    assert (out["by"], out["a_pct"], out["b_pct"]) == ("sales", 80, 15)
    assert [(r["code"], r["value"], r["share"], r["cum_share"], r["class"]) for r in out["rows"]] == [
        (shop.w1, 30000, 71.09, 71.09, "A"), (shop.d1, 9000, 21.33, 92.42, "A"),
        (shop.d2, 2000, 4.74, 97.16, "B"), (shop.s1, 1200, 2.84, 100.0, "C")]
    assert out["classes"] == {"A": {"count": 2, "value": 39000}, "B": {"count": 1, "value": 2000},
                              "C": {"count": 1, "value": 1200}}
    profit = run_json(capsys, db_target, "abc", "--from", "2026-01-01", "--to", "2026-12-31", "--by", "profit")
    assert [(r["value"], r["class"]) for r in profit["rows"]] == [(12000, "A"), (3600, "A"), (1000, "B"), (400, "C")]


def test_compare_json(db_target: Path | str, shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(capsys, db_target, "profit", "--from", "2026-07-01", "--to", "2026-08-31", "--by", "month",
                   "--compare")
    assert out["compare"] == {"figure": "net_sales", "prev_from": "2026-06-01", "prev_to": "2026-07-31",
                              "last_year_from": "2025-07-01", "last_year_to": "2025-08-31"}
    assert [(r["key"], r["prev"], r["prev_pct"], r["last_year"], r["yoy_pct"]) for r in out["rows"]] == [
        ("2026-07", 0, None, 6000, 50.0), ("2026-08", 9000, -77.8, 0, None)]
    t = out["total"]
    assert (t["net_sales"], t["prev"], t["prev_pct"], t["last_year"], t["yoy_pct"]) == (11000, 9000, 22.2, 6000, 83.3)
    plain = run_json(capsys, db_target, "profit", "--from", "2026-07-01", "--to", "2026-08-31", "--by", "month")
    assert "compare" not in plain and "prev" not in plain["rows"][0]  # without --compare: as before


def test_season_pdf_and_xlsx(db_target: Path | str, shop: Shop, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf, xlsx = tmp_path / "season.pdf", tmp_path / "season.xlsx"
    assert main(["--db", str(db_target), "report", "season", "--from", "2026-01-01", "--to", "2026-12-31",
                 "--pdf", str(pdf), "--xlsx", str(xlsx)]) == 0
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "好邻居便利店" in text and "2026-07" in text and "2026-12" in text
    drinks = next(line for line in text.splitlines() if "饮料" in line)
    assert "¥90.00" in drinks and "¥20.00" in drinks and "¥110.00" in drinks and "+83.3%" in drinks
    assert "¥422.00" in text and "+17.2%" in text
    size = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.276 pts (A4)" in size  # landscape: twelve month columns
    sheet = load_workbook(xlsx).active
    assert sheet is not None
    header = [c.value for c in sheet[5]]
    assert header[1:4] == ["2026-01", "2026-02", "2026-03"]
    winter = next(row for row in sheet.iter_rows(min_row=6) if row[0].value == "冬装")
    assert float(winter[1].value) == 300.0  # January, in yuan
    assert str(winter[1].fill.fgColor.rgb).upper().endswith("EC7F2E")  # the largest cell: the strongest shade
    assert str(winter[2].fill.fgColor.rgb).upper().endswith("FFFFFF")  # nothing sold: white
    drinks = next(row for row in sheet.iter_rows(min_row=6) if row[0].value == "饮料")
    assert str(drinks[7].fill.fgColor.rgb).upper().endswith("FBDCB9")  # July 90.00 of 300.00: the second fifth


def test_bad_input_exits_2_and_writes_nothing(db_target: Path | str, shop: Shop, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "s.pdf"
    assert main(["--db", str(db_target), "report", "season", "--from", "2026-12-31", "--to", "2026-01-01",
                 "--pdf", str(pdf)]) == 2
    assert "before it starts" in capsys.readouterr().err and not pdf.exists()
    with pytest.raises(SystemExit) as bad_by:
        main(["--db", str(db_target), "report", "abc", "--by", "qty"])
    assert bad_by.value.code == 2
    capsys.readouterr()
    assert main(["--db", str(db_target), "report", "season", "--from", "2026-01-01", "--to", "2026-12-31",
                 "--pdf", str(tmp_path / "s.txt")]) == 2
    assert "must end in .pdf" in capsys.readouterr().err


def test_turnover_by_month_and_cover_json(db_target: Path | str, shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(capsys, db_target, "turnover", "--from", "2026-07-01", "--to", "2026-08-31", "--by", "month")
    assert [(r["month"], r["cogs"], r["turnover_x100"], r["days_of_inventory"]) for r in out["rows"]] == [
        ("2026-07", 5400, 4, 729), ("2026-08", 1000, 1, 3838)]  # figures by hand in test_reports_stock_trend.py
    cover = run_json(capsys, db_target, "cover", "--from", "2026-07-01", "--to", "2026-07-31", "--by", "category")
    assert (cover["by"], cover["days"]) == ("category", 31)
    drinks = next(r for r in cover["rows"] if r["label"] == "饮料")
    assert (drinks["sell_through_bp"], drinks["days_of_cover"]) == (1479, 179)
