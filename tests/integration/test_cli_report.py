"""`jxc report ...`: the JSON contract (fen integers, named fields), files written, bad input -> 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jxc_desktop.cli import main
from jxc_desktop.services.hub import Services
from tests.unit import reports_scenario


@pytest.fixture
def shop_db(db_target: Path | str, services: Services, make_product) -> Path:  # type: ignore[no-untyped-def]
    reports_scenario.build(services, make_product)
    services.settings.update({"shop_name": "好邻居便利店"})
    return db_target


def run_json(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> dict:  # type: ignore[type-arg]
    assert main(["--db", str(db), "report", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_profit_json_contract(shop_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(capsys, shop_db, "profit", "--from", "2026-10-01", "--to", "2026-10-06", "--by", "day")
    assert (out["from"], out["to"], out["by"]) == ("2026-10-01", "2026-10-06", "day")
    assert [r["key"] for r in out["rows"]] == [f"2026-10-0{d}" for d in range(1, 7)]
    total = out["total"]
    assert (total["net_sales"], total["cogs"], total["gross_profit"]) == (6328, 4140, 2188)
    assert (total["sales"], total["returns"], total["discounts"], total["count_loss"]) == (7300, 972, 72, 330)
    assert (total["margin_bp"], total["profit_after_count"], total["sale_count"]) == (3458, 1858, 3)
    for row in out["rows"]:
        for name in ("sales", "returns", "net_sales", "discounts", "cogs", "gross_profit", "count_gain", "count_loss"):
            assert isinstance(row[name], int)
    assert sum(r["gross_profit"] for r in out["rows"]) == 2188


def test_profit_by_product_top_and_files(shop_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf, xlsx = tmp_path / "p.pdf", tmp_path / "p.xlsx"
    out = run_json(capsys, shop_db, "profit", "--from", "2026-10-01", "--to", "2026-10-06", "--by", "product",
                   "--top", "1", "--sort", "gross_profit", "--pdf", str(pdf), "--xlsx", str(xlsx))
    assert [(r["label"], r["gross_profit"]) for r in out["rows"]] == [("苹果", 1332)]
    assert out["total"]["gross_profit"] == 2188  # the total still covers every product
    assert pdf.read_bytes().startswith(b"%PDF") and xlsx.stat().st_size > 0


def test_other_reports_json(shop_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pur = run_json(capsys, shop_db, "purchases", "--from", "2026-10-01", "--to", "2026-10-06", "--by", "supplier")
    assert pur["by"] == "supplier" and pur["total"]["net"] == 10540
    sv = run_json(capsys, shop_db, "stock-value", "--at", "2026-10-05", "--by", "product")
    assert sv["at"] == "2026-10-05" and sv["total"]["value"] == 3630 + 1500 + 2100
    slow = run_json(capsys, shop_db, "slow", "--days", "3", "--today", "2026-10-06")
    assert [r["label"] for r in slow["rows"]] == ["苹果", "饼干"] and slow["total"]["value"] == 5070
    exp = run_json(capsys, shop_db, "expiry", "--days", "30", "--today", "2026-10-06")
    assert [(r["batch_no"], r["expiry"], r["value"]) for r in exp["rows"]] == [("B1", "2026-10-10", 1050)]
    turn = run_json(capsys, shop_db, "turnover", "--from", "2026-10-01", "--to", "2026-10-06")
    assert (turn["total"]["closing"], turn["total"]["cogs"], turn["total"]["turnover_x100"]) == (6070, 4140, 136)
    pay = run_json(capsys, shop_db, "payments", "--from", "2026-10-01", "--to", "2026-10-06")
    assert pay["total"]["net"] == 6328


def test_text_output_and_bad_input(shop_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(shop_db), "report", "profit", "--from", "2026-10-01", "--to", "2026-10-06",
                 "--by", "category"]) == 0
    text = capsys.readouterr().out
    assert "水果" in text and "¥21.88" in text  # the total gross profit
    assert main(["--db", str(shop_db), "report", "profit", "--from", "2026-10-06", "--to", "2026-10-01"]) == 2
    assert "before it starts" in capsys.readouterr().err
    assert main(["--db", str(shop_db), "report", "profit", "--from", "2026-13-01", "--to", "2026-10-01"]) == 2
    assert main(["--db", str(shop_db), "report", "slow", "--days", "0"]) == 2
    assert main(["--db", str(shop_db), "report", "profit", "--by", "day", "--top", "3"]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(shop_db), "report", "profit", "--by", "weekday"])
    assert exc.value.code == 2


def test_report_help_lists_every_report(capsys: pytest.CaptureFixture[str]) -> None:
    # argparse %-formats help texts: the ABC report's "top 80 %" once made `jxc report --help` crash
    from jxc_desktop.services.reporting import catalogue

    with pytest.raises(SystemExit) as done:
        main(["report", "--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    assert all(spec.command in out for spec in catalogue.REPORTS)
    assert "80 %" in out
