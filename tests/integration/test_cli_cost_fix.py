"""Issue 14 example 1 through the command line: cost 10.00 preset, sell 10 with no stock (cogs
100.00), receive 10 @ 30.00 → `jxc report profit --json` shows corrections 200.00 and net profit =
net sales − 300.00; the text report, PDF and xlsx carry the two new columns."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from jxc_desktop.cli import main
from jxc_desktop.domain.cart import Cart
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput
from jxc_desktop.services.sales.dto import Tender


@pytest.fixture
def shop_db(db_target: Path | str, services: Services, make_product) -> Path:  # type: ignore[no-untyped-def]
    services.settings.update({"negative_stock": "allow"})
    p = make_product("保温杯", 5000, 1000, 0)
    co = services.checkout
    co.post_sale(Cart((co.line_for_product(p.id, 10_000),)), [Tender("cash", 50_000)], confirmed=True,
                 at=datetime(2026, 12, 3, 10).astimezone())
    sup = services.suppliers.add(SupplierInput(name="甲供应商")).id
    services.purchasing.post(NoteInput(sup, (LineInput(p.id, 10_000, 3000),)), confirmed=True,
                             at=datetime(2026, 12, 4, 9).astimezone())
    return db_target


def test_profit_json_has_corrections_and_net_profit(shop_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(shop_db), "report", "profit", "--from", "2026-12-01", "--to", "2026-12-31",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    total = out["total"]
    assert (total["net_sales"], total["cogs"], total["corrections"], total["net_profit"]) == (50_000, 10_000, 20_000,
                                                                                           20_000)
    assert total["profit_after_count"] == 40_000  # the existing field keeps its meaning
    days = {r["key"]: r for r in out["rows"]}
    assert (days["2026-12-03"]["corrections"], days["2026-12-04"]["corrections"]) == (0, 20_000)
    assert (days["2026-12-03"]["net_profit"], days["2026-12-04"]["net_profit"]) == (40_000, -20_000)
    assert main(["--db", str(shop_db), "report", "turnover", "--from", "2026-12-01", "--to", "2026-12-31",
                 "--json"]) == 0
    turn = json.loads(capsys.readouterr().out)["total"]
    assert (turn["corrections"], turn["other"], turn["closing"]) == (-20_000, 0, 0)


def test_profit_text_pdf_and_xlsx_show_the_columns(shop_db: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    pdf, xlsx = tmp_path / "p.pdf", tmp_path / "p.xlsx"
    assert main(["--db", str(shop_db), "report", "profit", "--from", "2026-12-01", "--to", "2026-12-31",
                 "--by", "product", "--pdf", str(pdf), "--xlsx", str(xlsx)]) == 0
    text = capsys.readouterr().out
    assert "Cost corrections" in text and "Net profit" in text and "¥200.00" in text
    assert pdf.read_bytes().startswith(b"%PDF")
    with zipfile.ZipFile(xlsx) as z:
        sheet = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/"))
    assert "Cost corrections" in sheet and "Net profit" in sheet
