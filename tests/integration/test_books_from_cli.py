"""The books scenarios scripted from the command line, as an owner or an auditor would replay them:
products from a file, sales from a file, a delivery note, then the profit report and the check."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from jxc_desktop.domain.clock import local_now, local_today
from tests.integration.test_cli_sales import jxc_in


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_sale_below_zero_then_a_dearer_delivery(db_path, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 14, example 1: cost 10.00 preset, 10 sold with no stock (cost of goods 100.00), then 10
    received at 30.00 — the 10 sold really cost 300.00, and the profit report says so."""
    def run(*args: str):  # type: ignore[no-untyped-def]
        out = jxc_in(capsys, monkeypatch, db_path, *args)
        assert out.returncode == 0, (args, out.stderr)
        return out

    run("products", "import", str(_write(tmp_path / "p.csv", "货号,名称,售价,进价,条码\nP1,可乐,12.00,10.00,6900000000014\n")),
        "--create-categories")
    run("suppliers", "add", "统一")
    sold_at = (local_now() - timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M")
    run("sales", "import", str(_write(tmp_path / "s.csv", f"时间,条码,数量,单价,付款方式\n{sold_at},6900000000014,10,12.00,现金\n")),
        "--post", "--yes")
    run("purchase", "import", str(_write(tmp_path / "d.csv", "条码,数量,单价\n6900000000014,10,30.00\n")),
        "--supplier", "统一", "--post")

    first = (local_today() - timedelta(days=1)).isoformat()  # the sale may fall on yesterday just after midnight
    total = json.loads(run("report", "profit", "--from", first, "--to", local_today().isoformat(), "--json").stdout)["total"]
    assert (total["net_sales"], total["cogs"], total["corrections"]) == (12000, 10000, 20000)
    assert total["net_profit"] == 12000 - 30000
    assert json.loads(run("check", "--json").stdout)["ok"] is True
